/* SPDX-License-Identifier: MIT */
/**
 * @file
 * bsdsock/bsdsock.h - one socket API over Berkeley sockets and Winsock.
 *
 * Conventions that hold for every function below:
 *  - Descriptors are small non-negative ints, lowest free number first, on
 *    every platform (Windows included; they never collide with C runtime
 *    file descriptors).
 *  - Failure is a negative code from <bsdsock/errno.h>, identical on every
 *    platform; there is no errno or WSAGetLastError() to read. The native
 *    code behind the last failure in the calling thread stays available from
 *    bsdsock_last_native_error().
 *  - Constants are bsdsock's portable numbers (<bsdsock/constants.h>), never
 *    the host's. Addresses are bsdsock_addr_t, never a native sockaddr.
 *  - No call raises SIGPIPE; Winsock is started lazily and thread-safely.
 *  - EINTR policy: bsdsock retries a call that a signal interrupted (PEP 475
 *    style); select/poll retry with the time that is left. BSDSOCK_EINTR is
 *    never returned.
 *  - Bad input (NULL pointers, bad lengths, unknown constants, invalid or
 *    closed descriptors) gives a specific error and changes nothing.
 *  - Several bad arguments: the first failing check of this order decides,
 *    on every platform (docs/design.md, "Argument order"):
 *      1. the descriptor (BSDSOCK_EBADF);
 *      2. constants: MSG_* flags, shutdown mode (BSDSOCK_EINVAL), option
 *         level/name/direction (BSDSOCK_ENOPROTOOPT);
 *      3. pointers, lengths and values (BSDSOCK_EINVAL; BSDSOCK_EFAULT for
 *         a NULL data buffer with a non-zero length);
 *      4. the address (BSDSOCK_EAFNOSUPPORT, BSDSOCK_EINVAL);
 *      5. the socket's state, with one answer per situation on every
 *         platform (docs/design.md, "Misuse": e.g. a send on a stream
 *         socket that never connected is BSDSOCK_ENOTCONN, one whose
 *         connection is gone BSDSOCK_ECONNRESET, one shut down for writing
 *         BSDSOCK_EPIPE; an option for another kind of socket is
 *         BSDSOCK_ENOPROTOOPT).
 */
#ifndef BSDSOCK_BSDSOCK_H
#define BSDSOCK_BSDSOCK_H

#include "bsdsock/platform.h"
#include "bsdsock/constants.h"
#include "bsdsock/errno.h"
#include "bsdsock/poll.h"
#include "bsdsock/poller.h"
#include "bsdsock/version.h"  /* generated from CMakeLists.txt's project() */

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Types                                                                     */

/** A socket address with a fixed layout (120 bytes) on every platform.
 * port, flowinfo and the address bytes are in network byte order; family
 * and scope_id in host byte order. Zero-initialise before filling by hand. */
typedef struct bsdsock_addr {
  uint16_t family;      /**< BSDSOCK_AF_INET, _INET6, _UNIX or _UNSPEC */
  uint16_t port;        /**< network byte order */
  uint32_t flowinfo;    /**< IPv6 flow information, network byte order */
  uint32_t scope_id;    /**< IPv6 scope (interface index), host byte order */
  /** The address, by family. */
  union {
    uint8_t ip4[4];     /**< AF_INET */
    uint8_t ip6[16];    /**< AF_INET6 */
    char path[108];     /**< AF_UNIX: NUL-terminated filesystem path */
  } u;
} bsdsock_addr_t;

/** SO_RCVTIMEO / SO_SNDTIMEO value, and select()'s timeout. A socket
 * timeout longer than 4,294,967 s (about 49.7 days, the longest Winsock's
 * DWORD of milliseconds holds) is set as 4,294,967 s and reads back so, on
 * every platform; a negative one is BSDSOCK_EINVAL. */
typedef struct bsdsock_timeval {
  int64_t sec;          /**< seconds */
  int32_t usec;         /**< microseconds, 0 to 999999 */
} bsdsock_timeval_t;

/** SO_LINGER value, in seconds on every platform (macOS's ticks included). */
typedef struct bsdsock_linger {
  int onoff;            /**< nonzero: linger on close */
  int seconds;          /**< how long */
} bsdsock_linger_t;

/** IP_ADD_MEMBERSHIP / IP_DROP_MEMBERSHIP value. */
typedef struct bsdsock_ip_mreq {
  uint8_t multiaddr[4]; /**< group address, network order */
  uint8_t ifaddr[4];    /**< local interface address, network order (0 = any) */
} bsdsock_ip_mreq_t;

/** IPV6_JOIN_GROUP / IPV6_LEAVE_GROUP value. */
typedef struct bsdsock_ipv6_mreq {
  uint8_t multiaddr[16]; /**< group address, network order */
  uint32_t ifindex;     /**< 0 = let the system choose */
} bsdsock_ipv6_mreq_t;

/** getaddrinfo() result list. */
typedef struct bsdsock_addrinfo {
  int flags;            /**< BSDSOCK_AI_* */
  int family;           /**< BSDSOCK_AF_* */
  int socktype;         /**< BSDSOCK_SOCK_* */
  int protocol;         /**< BSDSOCK_IPPROTO_* */
  bsdsock_addr_t addr;  /**< the address */
  char *canonname;      /**< with BSDSOCK_AI_CANONNAME, first entry only */
  struct bsdsock_addrinfo *next; /**< the next entry, or NULL */
} bsdsock_addrinfo_t;

/* ------------------------------------------------------------------------ */
/** @name Library
 * @{ */

/** Starts the library (WSAStartup on Windows). Optional: every call starts
 * it lazily. Idempotent and thread-safe.
 * @return 0 or a negative error. */
BSDSOCK_EXTERN int bsdsock_init(void);

/** Releases bsdsock's own Winsock reference.
 * One WSACleanup per successful start-up; the process's other Winsock users
 * are untouched. Sockets still open stay valid only until the process's
 * last WSACleanup. */
BSDSOCK_EXTERN void bsdsock_cleanup(void);

/** The backend this library was built with.
 * @return "posix" or "win32". */
BSDSOCK_EXTERN const char *bsdsock_backend(void);

/** The library's version.
 * @return "MAJOR.MINOR.PATCH". */
BSDSOCK_EXTERN const char *bsdsock_version(void);

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Errors
 * @{ */

/** Message for a bsdsock error code.
 * @return the message ("connection refused"); never NULL. Unknown codes
 * give "unknown error". */
BSDSOCK_EXTERN const char *bsdsock_strerror(int err);

/** Name of a bsdsock error code.
 * @return the name ("ECONNREFUSED"); never NULL. Unknown codes give
 * "EUNKNOWN". */
BSDSOCK_EXTERN const char *bsdsock_err_name(int err);

/** The native error behind the last failing bsdsock call in this thread.
 * @return the native code (errno value on POSIX, WSAGetLastError() value
 * on Windows, the EAI_* value for resolver failures); 0 if none failed
 * yet. */
BSDSOCK_EXTERN int bsdsock_last_native_error(void);

/** Translates a native socket error code to the portable code.
 * native is an errno / WSA / Win32 code of this platform; the portable code
 * is negative.
 * @return the portable code. 0 maps to 0; codes with no portable meaning
 * map to BSDSOCK_EUNKNOWN. */
BSDSOCK_EXTERN int bsdsock_translate_error(int native);

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Constants
 * @{ */

/** Native value of a portable constant.
 * kind is a BSDSOCK_CONST_* kind (for bit-mask kinds, every bit of value
 * must be known); the native value goes to *native.
 * @return 0, or BSDSOCK_EINVAL for an unknown kind or value,
 * BSDSOCK_EOPNOTSUPP when this platform has no such constant. */
BSDSOCK_EXTERN int bsdsock_const_to_native(int kind, int value, int *native);

/** Portable value of a native constant.
 * The reverse of bsdsock_const_to_native(): the portable value goes to
 * *value.
 * @return 0 or an error as bsdsock_const_to_native(). */
BSDSOCK_EXTERN int bsdsock_const_from_native(int kind, int native, int *value);

/** Native level and name of a portable socket option.
 * They go to *native_level and *native_name.
 * @return 0 or BSDSOCK_EINVAL / BSDSOCK_ENOPROTOOPT. */
BSDSOCK_EXTERN int bsdsock_sockopt_to_native(int level, int name,
                                             int *native_level,
                                             int *native_name);

/** Portable level and name of a native socket option.
 * The reverse of bsdsock_sockopt_to_native(): they go to *level and *name.
 * @return 0 or BSDSOCK_EINVAL / BSDSOCK_ENOPROTOOPT. */
BSDSOCK_EXTERN int bsdsock_sockopt_from_native(int native_level,
                                               int native_name, int *level,
                                               int *name);

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Addresses (strict text forms: no octal, hex or short IPv4 forms)
 * @{ */

/** Parses IPv4 or IPv6 address text into bytes.
 * inet_pton: parses dotted-quad IPv4 (af BSDSOCK_AF_INET, 4 bytes out) or
 * IPv6 text (BSDSOCK_AF_INET6, 16 bytes out).
 * @return 0, BSDSOCK_EINVAL for malformed text or NULL,
 * BSDSOCK_EAFNOSUPPORT for another family. */
BSDSOCK_EXTERN int bsdsock_inet_pton(int af, const char *src, void *dst);

/** Formats IPv4 or IPv6 address bytes as text.
 * inet_ntop: formats 4 or 16 bytes (RFC 5952 for IPv6).
 * @return the text length, BSDSOCK_ENOSPC if size is too small (dst then
 * holds ""), BSDSOCK_EINVAL for NULL, BSDSOCK_EAFNOSUPPORT for another
 * family. */
BSDSOCK_EXTERN int bsdsock_inet_ntop(int af, const void *src, char *dst,
                                     size_t size);

/** Fills addr from IPv4 or IPv6 text and a port.
 * IPv6 text may carry an optional "%scope" (interface index or name); port
 * in host byte order.
 * @return 0 or BSDSOCK_EINVAL (addr then unchanged). */
BSDSOCK_EXTERN int bsdsock_addr_parse(bsdsock_addr_t *addr, const char *text,
                                      uint16_t port);

/** Fills addr with the wildcard (any) address and a port.
 * family BSDSOCK_AF_INET or _INET6; port in host byte order.
 * @return 0 or BSDSOCK_EAFNOSUPPORT. */
BSDSOCK_EXTERN int bsdsock_addr_any(bsdsock_addr_t *addr, int family,
                                    uint16_t port);

/** Fills addr with the loopback address and a port.
 * family BSDSOCK_AF_INET or _INET6; port in host byte order.
 * @return 0 or BSDSOCK_EAFNOSUPPORT. */
BSDSOCK_EXTERN int bsdsock_addr_loopback(bsdsock_addr_t *addr, int family,
                                         uint16_t port);

/** Fills addr with an AF_UNIX path.
 * @return 0, BSDSOCK_ENAMETOOLONG, or BSDSOCK_EINVAL for NULL or an empty
 * path. */
BSDSOCK_EXTERN int bsdsock_addr_unix(bsdsock_addr_t *addr, const char *path);

/** The port of an AF_INET/AF_INET6 address.
 * @return the port in host byte order (0 else). */
BSDSOCK_EXTERN uint16_t bsdsock_addr_port(const bsdsock_addr_t *addr);

/** Formats an address as text, without the port.
 * "10.0.0.1", "fe80::1%2", the AF_UNIX path.
 * @return the length, BSDSOCK_ENOSPC, BSDSOCK_EINVAL or
 * BSDSOCK_EAFNOSUPPORT. */
BSDSOCK_EXTERN int bsdsock_addr_to_text(const bsdsock_addr_t *addr, char *buf,
                                        size_t size);

/** Formats an address as text, with the port.
 * "10.0.0.1:80", "[::1]:80"; AF_UNIX paths as is.
 * @return the length or an error as bsdsock_addr_to_text(). */
BSDSOCK_EXTERN int bsdsock_addr_format(const bsdsock_addr_t *addr, char *buf,
                                       size_t size);

/** Converts an address to the platform's native sockaddr.
 * The platform's struct sockaddr_in/_in6/_un goes to native (a buffer of
 * *len bytes; a struct sockaddr_storage always fits). On return *len is
 * the native length.
 * @return 0, BSDSOCK_EINVAL (NULL, or the buffer is too small: *len then
 * says how much is needed) or BSDSOCK_EAFNOSUPPORT. */
BSDSOCK_EXTERN int bsdsock_addr_to_native(const bsdsock_addr_t *addr,
                                          void *native, size_t *len);

/** Converts a native sockaddr to an address.
 * Converts from a native sockaddr of len bytes; never reads past len.
 * @return 0, BSDSOCK_EINVAL or BSDSOCK_EAFNOSUPPORT (addr then
 * unchanged). */
BSDSOCK_EXTERN int bsdsock_addr_from_native(bsdsock_addr_t *addr,
                                            const void *native, size_t len);

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Sockets
 * @{ */

/** Creates a socket.
 * socket(): family BSDSOCK_AF_*, type BSDSOCK_SOCK_* optionally or-ed with
 * BSDSOCK_SOCK_NONBLOCK, protocol 0 or BSDSOCK_IPPROTO_*. Sockets are never
 * inherited by child processes. IPv6 sockets start with IPV6_V6ONLY = 1 on
 * every platform.
 * @return the new descriptor or a negative error. */
BSDSOCK_EXTERN int bsdsock_socket(int family, int type, int protocol);

/** Creates a pair of connected sockets, as socketpair().
 * family BSDSOCK_AF_UNIX (the OS's socketpair() on POSIX, any type it
 * takes; on Windows, which has none, a stream pair connected through a
 * listener on a fresh temporary path), BSDSOCK_AF_INET or _INET6 (a
 * stream pair over loopback TCP, on every platform), or BSDSOCK_AF_UNSPEC
 * for the best the platform has: AF_UNIX, else loopback TCP on 127.0.0.1.
 * type BSDSOCK_SOCK_STREAM (any type for a native AF_UNIX pair),
 * optionally or-ed with BSDSOCK_SOCK_NONBLOCK for both ends; protocol 0.
 * A pair made through a listener checks that the connection it accepted
 * is its own (its peer is the connecting socket's name and the other way
 * round) and closes any other process's connection that came first. The
 * sockets are never inherited by child processes.
 * @return 0 with sv[0] and sv[1] set, or a negative error, with no
 * descriptor left open: BSDSOCK_EAFNOSUPPORT for another family (or
 * AF_UNIX where the platform has none, Wine included),
 * BSDSOCK_ESOCKTNOSUPPORT for an unknown type, BSDSOCK_EOPNOTSUPP for a
 * type other than stream where the pair must be built,
 * BSDSOCK_EPROTONOSUPPORT for a protocol other than 0, BSDSOCK_EINVAL
 * for a NULL sv, BSDSOCK_ECONNABORTED when the pair's own connection was
 * not among the first accepted, or what a step (socket, bind, listen,
 * connect, accept) failed with. */
BSDSOCK_EXTERN int bsdsock_socketpair(int family, int type, int protocol,
                                      int sv[2]);

/** Binds a socket to an address, as bind().
 * bind, connect and sendto give BSDSOCK_EAFNOSUPPORT for an address of
 * another family than the socket's, on every platform.
 * @return 0 or a negative error (EADDRINUSE, EAFNOSUPPORT, ...). */
BSDSOCK_EXTERN int bsdsock_bind(int fd, const bsdsock_addr_t *addr);

/** Listens for connections, as listen().
 * A backlog <= 0 or above the OS maximum means the OS maximum.
 * @return 0 or a negative error. */
BSDSOCK_EXTERN int bsdsock_listen(int fd, int backlog);

/** Accepts a connection, as accept().
 * peer may be NULL. The new socket is blocking whatever the listener's
 * mode.
 * @return the new descriptor, or a negative error (BSDSOCK_EAGAIN on a
 * non-blocking socket with nothing pending). */
BSDSOCK_EXTERN int bsdsock_accept(int fd, bsdsock_addr_t *peer);

/** Connects a socket, as connect().
 * @return 0, or BSDSOCK_EINPROGRESS for a non-blocking socket (on every
 * platform; Winsock's WSAEWOULDBLOCK is translated), then completion is
 * seen as writability with SO_ERROR telling the outcome; or another
 * negative error (BSDSOCK_ECONNREFUSED, ...). */
BSDSOCK_EXTERN int bsdsock_connect(int fd, const bsdsock_addr_t *addr);

/** Shuts down one or both directions of a connection.
 * shutdown(fd, BSDSOCK_SHUT_RD / _WR / _RDWR).
 * @return 0 or an error. */
BSDSOCK_EXTERN int bsdsock_shutdown(int fd, int how);

/** Closes the socket and frees its descriptor number.
 * @return 0, BSDSOCK_EBADF (the number was not an open bsdsock socket), or
 * the error the OS reported while closing (rare: an I/O error, a failed
 * network subsystem); the number is freed all the same and must not be
 * closed again. */
BSDSOCK_EXTERN int bsdsock_close(int fd);

/** The address a socket is bound to, as getsockname().
 * For a socket not bound yet it gives its family's unspecified address,
 * port 0 (Windows included, where Winsock fails instead).
 * @return 0 or a negative error. */
BSDSOCK_EXTERN int bsdsock_getsockname(int fd, bsdsock_addr_t *addr);

/** The address of a connected socket's peer, as getpeername().
 * @return 0 or a negative error (BSDSOCK_ENOTCONN when not connected). */
BSDSOCK_EXTERN int bsdsock_getpeername(int fd, bsdsock_addr_t *addr);

/** Switches non-blocking mode on (nonzero) or off.
 * @return 0 or an error: BSDSOCK_EBADF for a number that is not an open
 * socket, a POSIX file or terminal included (which is left as it was). */
BSDSOCK_EXTERN int bsdsock_set_nonblocking(int fd, int on);

/** Whether a socket is in non-blocking mode.
 * Windows included, where bsdsock tracks the mode itself.
 * @return 1 if the socket is non-blocking, 0 if blocking, or a negative
 * error (BSDSOCK_EBADF as for bsdsock_set_nonblocking()). */
BSDSOCK_EXTERN int bsdsock_get_nonblocking(int fd);

/** Makes socket and poller numbers C runtime descriptors too, from now on
 * (Windows): each later number, and each live one whose number no file
 * has taken meanwhile, is also held in the C runtime's descriptor table,
 * so no file the program opens gets a number a socket holds and the
 * drop-in close(), read() and write() can tell sockets from files. Until
 * then a socket takes the lowest number that is neither a socket's nor an
 * open file's, without that reservation, which costs a C runtime
 * descriptor and three OS requests per socket. The drop-in BSD layer calls
 * it at its first call; a program that hands plain-API socket numbers to
 * the C runtime or the drop-in layer calls it before opening files.
 * Nothing to do on POSIX, where a socket's number is its kernel
 * descriptor. Idempotent and thread-safe.
 * @return 0 (it cannot fail: a number it cannot reserve is one the C
 * runtime cannot hand out either). */
BSDSOCK_EXTERN int bsdsock_crt_numbering(void);

/** The OS handle behind a descriptor.
 * @return the handle, or BSDSOCK_OS_SOCK_INVALID (also for a number that
 * is not a socket, such as a POSIX file). */
BSDSOCK_EXTERN bsdsock_os_sock_t bsdsock_native_handle(int fd);

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Data
 * @{ */

/** Sends data, as send().
 * len above INT_MAX is sent in part.
 * @return bytes sent (possibly fewer than len), or a negative error.
 * BSDSOCK_EPIPE when the connection is shut down for writing, EPIPE or
 * BSDSOCK_ECONNRESET when the peer is gone (never a signal),
 * BSDSOCK_EAGAIN when a non-blocking socket's buffer is full or
 * SO_SNDTIMEO expired. */
BSDSOCK_EXTERN bsdsock_ssize_t bsdsock_send(int fd, const void *buf,
                                            size_t len, int flags);

/** Receives data, as recv().
 * @return bytes received, 0 at end of stream (or for an empty datagram),
 * or a negative error (BSDSOCK_EAGAIN: non-blocking with nothing to read,
 * or SO_RCVTIMEO expired; BSDSOCK_ECONNRESET, ...). */
BSDSOCK_EXTERN bsdsock_ssize_t bsdsock_recv(int fd, void *buf, size_t len,
                                            int flags);

/** Sends data to an address, as sendto().
 * As bsdsock_send(), to addr (NULL for a connected socket).
 * @return as bsdsock_send(). */
BSDSOCK_EXTERN bsdsock_ssize_t bsdsock_sendto(int fd, const void *buf,
                                              size_t len, int flags,
                                              const bsdsock_addr_t *addr);

/** Receives data and its sender's address, as recvfrom().
 * As bsdsock_recv(); the sender's address goes to from (may be NULL). A
 * datagram longer than len is truncated to len bytes on every platform
 * (Winsock's WSAEMSGSIZE is not passed on; use bsdsock_recvmsg() to see
 * the truncation flag).
 * @return as bsdsock_recv(). */
BSDSOCK_EXTERN bsdsock_ssize_t bsdsock_recvfrom(int fd, void *buf, size_t len,
                                                int flags,
                                                bsdsock_addr_t *from);

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Options
 * @{ */

/** Sets a socket option, as setsockopt().
 * level and name are portable (see constants.h for each option's value
 * type).
 * @return 0, BSDSOCK_EINVAL for a NULL value or a length that does not
 * match the option's type, BSDSOCK_ENOPROTOOPT for an unknown level/name,
 * or another error. */
BSDSOCK_EXTERN int bsdsock_setsockopt(int fd, int level, int name,
                                      const void *value, size_t len);

/** Reads a socket option, as getsockopt().
 * *len is the buffer size on entry and the value's size on return.
 * @return 0 or an error as bsdsock_setsockopt(). */
BSDSOCK_EXTERN int bsdsock_getsockopt(int fd, int level, int name,
                                      void *value, size_t *len);

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Names
 * @{ */

/** Resolves a host and service, as getaddrinfo().
 * node and/or service (NULL or "" for none), hints may be NULL. Numeric hosts
 * are read by bsdsock_addr_parse()'s parser, scope included, and give its
 * address: text it refuses ("127.1", "010.0.0.1", "0x7f000001", "::%070",
 * anything else with a ":" or "%") is BSDSOCK_EAI_NONAME rather than an
 * address. A numeric host of the other IP family than hints->family is
 * BSDSOCK_EAI_ADDRFAMILY (with BSDSOCK_AI_V4MAPPED, IPv4 text in an IPv6 lookup
 * is its "::ffff:" address). A service that starts with a digit, a sign or
 * white space is a port and must be plain decimal 0..65535 without a sign,
 * blank or leading zero ("65616", "+80", "080" are BSDSOCK_EAI_SERVICE); other
 * services are names for the system, BSDSOCK_EAI_NONAME with
 * BSDSOCK_AI_NUMERICSERV. Names longer than 255 bytes give
 * BSDSOCK_ENAMETOOLONG.
 * @return 0 and a list to free with bsdsock_freeaddrinfo(), or a negative
 * BSDSOCK_EAI_* (or errno-range) code with *res set to NULL. */
BSDSOCK_EXTERN int bsdsock_getaddrinfo(const char *node, const char *service,
                                       const bsdsock_addrinfo_t *hints,
                                       bsdsock_addrinfo_t **res);

/** Frees a bsdsock_getaddrinfo() list; NULL is accepted and ignored. */
BSDSOCK_EXTERN void bsdsock_freeaddrinfo(bsdsock_addrinfo_t *ai);

/** Finds the names of an address and port, as getnameinfo().
 * host and/or serv may be NULL (with length 0). A numeric host answer
 * (BSDSOCK_NI_NUMERICHOST, or no name found) is bsdsock_addr_to_text()'s
 * text on every platform ("::707:407", a scope as its index: "fe80::1%2").
 * @return 0 or a negative BSDSOCK_EAI_* code: BSDSOCK_EAI_OVERFLOW when an
 * answer does not fit its buffer (the buffers are then untouched), or
 * BSDSOCK_EINVAL for NULL arguments. */
BSDSOCK_EXTERN int bsdsock_getnameinfo(const bsdsock_addr_t *addr, char *host,
                                       size_t hostlen, char *serv,
                                       size_t servlen, int flags);

/** Message for a resolver code; the same as bsdsock_strerror(). */
BSDSOCK_EXTERN const char *bsdsock_gai_strerror(int err);

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Interfaces and the host
 * @{ */

/** The index of a network interface, as if_nametoindex().
 * Names are the system's: "lo", "eth0" on Linux; the NDIS names
 * ("loopback_0", "ethernet_32768") on Windows, which
 * bsdsock_if_indextoname() gives back.
 * @return the index (>= 1), or 0 for a NULL, empty or unknown name (the
 * reason is in bsdsock_last_native_error()). */
BSDSOCK_EXTERN unsigned bsdsock_if_nametoindex(const char *name);

/** The name of a network interface, as if_indextoname().
 * buf gets the NUL-terminated name; BSDSOCK_IF_NAMESIZE bytes always
 * suffice.
 * @return the name's length, or a negative error: BSDSOCK_ENXIO for an
 * index no interface has (0 included), BSDSOCK_ENAMETOOLONG when the name
 * and its NUL do not fit size bytes (buf is then untouched),
 * BSDSOCK_EINVAL for a NULL buf. */
BSDSOCK_EXTERN int bsdsock_if_indextoname(unsigned index, char *buf,
                                          size_t size);

/** One address of a network interface (bsdsock_interfaces()). */
typedef struct bsdsock_interface {
  char name[BSDSOCK_IF_NAMESIZE]; /**< as bsdsock_if_nametoindex() takes it */
  unsigned index;                 /**< interface index, >= 1 */
  unsigned flags;                 /**< BSDSOCK_IFF_* */
  bsdsock_addr_t addr;            /**< the address, port 0; IPv6 scope set */
  unsigned prefixlen;             /**< network prefix length, in bits */
  unsigned mtu;                   /**< bytes, 0 if unknown */
  uint8_t hwaddr[16];             /**< hardware address (MAC) */
  size_t hwaddr_len;              /**< its length, 0 if none */
} bsdsock_interface_t;

/** Lists the network interfaces' addresses, as getifaddrs() and
 * GetAdaptersAddresses(): one entry per (interface, IPv4 or IPv6
 * address), as libuv's uv_interface_addresses, interfaces that are down
 * included (see flags).
 * @return 0 with *list (free it with bsdsock_free_interfaces()) and
 * *count set, or a negative error with *list NULL and *count 0:
 * BSDSOCK_EINVAL for a NULL list or count, BSDSOCK_ENOMEM, or what the OS
 * reported. */
BSDSOCK_EXTERN int bsdsock_interfaces(bsdsock_interface_t **list,
                                      size_t *count);

/** Frees a bsdsock_interfaces() list; NULL is accepted and ignored. */
BSDSOCK_EXTERN void bsdsock_free_interfaces(bsdsock_interface_t *list);

/** The host's name, as gethostname().
 * buf gets the NUL-terminated name; BSDSOCK_HOST_NAME_MAX bytes always
 * suffice.
 * @return the name's length, or a negative error: BSDSOCK_ENAMETOOLONG
 * when the name and its NUL do not fit size bytes (buf is then untouched;
 * POSIX would truncate it silently), BSDSOCK_EINVAL for a NULL buf. */
BSDSOCK_EXTERN int bsdsock_gethostname(char *buf, size_t size);

/** @} */

/** @name Interface change notification
 * A watch is a descriptor that becomes readable (bsdsock_poll(),
 * bsdsock_select(), the poller, as POLLIN) when an interface or an address
 * appears, disappears or changes; bsdsock_ifwatch_read() then takes the
 * events. Netlink (RTM_NEWLINK, _DELLINK, _NEWADDR, _DELADDR) on Linux;
 * NotifyIpInterfaceChange() and NotifyUnicastIpAddressChange() on Windows.
 * Close it with bsdsock_close(), which cancels the notifications and frees
 * everything. Other calls on it (send, recv, options) are not supported.
 * docs/readiness.md, "Watching the interfaces", has a poll loop.
 * @{ */

/** Event kinds (bsdsock_ifevent_t.kind). */
#define BSDSOCK_IFEV_LINK_ADDED     1 /**< an interface appeared */
#define BSDSOCK_IFEV_LINK_REMOVED   2 /**< an interface disappeared */
#define BSDSOCK_IFEV_LINK_CHANGED   3 /**< its flags or parameters changed */
#define BSDSOCK_IFEV_ADDR_ADDED     4 /**< an address appeared or changed */
#define BSDSOCK_IFEV_ADDR_REMOVED   5 /**< an address disappeared */
/** Events were lost (the kernel's queue or the watch's overflowed, or a
 * message could not be decoded): re-read bsdsock_interfaces(). It comes
 * after the events kept from before the loss, and several losses in a
 * row are reported once. */
#define BSDSOCK_IFEV_RESYNC         6

/** One change (bsdsock_ifwatch_read()). */
typedef struct bsdsock_ifevent {
  int kind;             /**< BSDSOCK_IFEV_* */
  unsigned index;       /**< the interface's index; 0 for a resync */
  unsigned flags;       /**< link events: BSDSOCK_IFF_* now (Linux; 0 on
                             Windows, whose notification has none) */
  unsigned prefixlen;   /**< address events: the prefix length, in bits */
  bsdsock_addr_t addr;  /**< address events: the address, port 0, IPv6
                             scope set; else family BSDSOCK_AF_UNSPEC */
} bsdsock_ifevent_t;

/** Opens a watch on the interfaces and their addresses.
 * The descriptor is non-blocking and not inherited by child processes;
 * it reports only changes made after this call (read
 * bsdsock_interfaces() once the watch is open for the starting state).
 * @param flags 0 (reserved).
 * @return the watch's descriptor (close it with bsdsock_close()), or a
 * negative error: BSDSOCK_EINVAL for flags other than 0,
 * BSDSOCK_EOPNOTSUPP where the platform cannot deliver notifications
 * (POSIX systems other than Linux; Wine, which accepts the registration
 * and never calls back: docs/quirks.md Q66), or what the OS reported
 * (BSDSOCK_EMFILE, BSDSOCK_ENOMEM, ...). */
BSDSOCK_EXTERN int bsdsock_ifwatch_open(int flags);

/** Takes up to n pending events of watch fd, oldest first; never waits.
 * @return the number of events stored in ev (>= 1), or a negative error:
 * BSDSOCK_EAGAIN when none is pending (poll for BSDSOCK_POLLIN),
 * BSDSOCK_EBADF for a descriptor that is not open, BSDSOCK_EINVAL for an
 * open descriptor that is not a watch, a NULL ev or n == 0, or what the
 * OS reported. */
BSDSOCK_EXTERN int bsdsock_ifwatch_read(int fd, bsdsock_ifevent_t *ev,
                                        size_t n);

/** @} */

#ifdef __cplusplus
}
#endif

/* Last: its ancillary data holds a bsdsock_addr_t. */
#include "bsdsock/msg.h"

#endif /* BSDSOCK_BSDSOCK_H */
