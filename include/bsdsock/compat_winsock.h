/* SPDX-License-Identifier: MIT */
/*
 * bsdsock/compat_winsock.h - runtime support for the drop-in Winsock
 * headers: the Winsock API for programs built on Linux and other POSIX
 * systems (src/compat/winsock/api.c; docs/compat.md).
 *
 * Legacy code does not call these functions by name: it includes the
 * drop-in <winsock2.h> (`-I<prefix>/include/bsdsock/compat`), which
 * #defines WSAStartup(), closesocket(), ioctlsocket(), WSAGetLastError(),
 * WSAPoll() and the Winsock fd_set onto them. A SOCKET is the bsdsock
 * descriptor (the POSIX one) widened to uintptr_t.
 *
 * The other direction, the BSD API on Windows, is bsdsock/compat_bsd.h.
 */
#ifndef BSDSOCK_COMPAT_WINSOCK_H
#define BSDSOCK_COMPAT_WINSOCK_H

#include "bsdsock/bsdsock.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sockaddr;
struct timeval;
struct addrinfo;
struct hostent;

/* WSADATA, with the field order of 64-bit Windows. */
#define BSDSOCK_COMPAT_WSADESCRIPTION_LEN 256
#define BSDSOCK_COMPAT_WSASYS_STATUS_LEN 128
struct bsdsock_wsadata {
  uint16_t wVersion;
  uint16_t wHighVersion;
  unsigned short iMaxSockets;
  unsigned short iMaxUdpDg;
  char *lpVendorInfo;
  char szDescription[BSDSOCK_COMPAT_WSADESCRIPTION_LEN + 1];
  char szSystemStatus[BSDSOCK_COMPAT_WSASYS_STATUS_LEN + 1];
};

/* WSAPOLLFD: Winsock's pollfd, whose fd is a SOCKET. */
struct bsdsock_ws_pollfd {
  uintptr_t fd;
  short events;
  short revents;
};

/* Winsock's fd_set is {u_int fd_count; SOCKET fd_array[FD_SETSIZE];} with
 * the FD_SETSIZE of the including file (quirk Q26); the functions below
 * read fd_count entries and never write more than were there. */
struct bsdsock_ws_fd_set;

/* WSAStartup(): validates the requested version (WSAVERNOTSUPPORTED below
 * 1.0, WSAEFAULT for a NULL data), fills data and counts one reference;
 * returns 0 or the error (not via WSAGetLastError, as on Windows). */
BSDSOCK_EXTERN int bsdsock_compat_wsastartup(uint16_t version,
                                             struct bsdsock_wsadata *data);
/* WSACleanup(): drops one reference; SOCKET_ERROR with WSANOTINITIALISED
 * when there is none. Sockets stay usable (no Winsock to tear down). */
BSDSOCK_EXTERN int bsdsock_compat_wsacleanup(void);

/* The calling thread's last error as a Winsock number (WSAECONNREFUSED
 * 10061, WSAEWOULDBLOCK 10035, WSAHOST_NOT_FOUND 11001 ...), translated
 * from errno. WSASetLastError() sets errno to the matching value, or to 0
 * for a number errno cannot carry (kept aside then): either way the next
 * failing call's error wins. */
BSDSOCK_EXTERN int bsdsock_compat_wsagetlasterror(void);
BSDSOCK_EXTERN void bsdsock_compat_wsasetlasterror(int err);

/* SOCKET arguments are the POSIX descriptor widened to uintptr_t, the way
 * the drop-in SOCKET type holds it; results are 0 / SOCKET_ERROR (-1).
 * Each is bsdsock's call of the same name on the caller's native
 * constants, sockaddrs and option values (src/compat/winsock/api.c), so
 * bsdsock's answers hold: no SIGPIPE, no EINTR, one error for a call made
 * in the wrong state (a send on a connection that was lost is
 * WSAECONNRESET, after the local shutdown(SD_SEND) WSAESHUTDOWN; an ICMP
 * port unreachable on a connected UDP socket WSAECONNRESET). An
 * expired SO_RCVTIMEO/SO_SNDTIMEO on a blocking socket is WSAETIMEDOUT, a
 * non-blocking connect in progress WSAEWOULDBLOCK, a number that is not
 * an open socket (a file included) WSAENOTSOCK. Bad arguments are refused
 * before anything happens: an address buffer without its length is
 * WSAEFAULT before a datagram or connection is taken. bind(), listen()
 * and shutdown() are the system's own. */
BSDSOCK_EXTERN int bsdsock_compat_closesocket(uintptr_t s);
/* socket(): the system's, with Windows' defaults: an AF_INET6 socket has
 * IPV6_V6ONLY on (Linux's default is off), so that a server may bind
 * 0.0.0.0 and :: to one port with two sockets; a TCP socket may bind a
 * port that only connections in TIME_WAIT hold, never one with a live
 * listener (Linux's SO_REUSEADDR, set here and read back as 0 until the
 * program sets the option itself). INVALID_SOCKET on failure. */
BSDSOCK_EXTERN uintptr_t bsdsock_compat_ws_socket(int af, int type,
                                                  int protocol);
/* ioctlsocket(): FIONBIO, FIONREAD and SIOCATMARK with a u_long *; the
 * descriptor is checked first (WSAENOTSOCK), then argp (WSAEFAULT), then
 * cmd (WSAEINVAL). */
BSDSOCK_EXTERN int bsdsock_compat_ioctlsocket(uintptr_t s, long cmd,
                                              unsigned long *argp);
/* bind(), listen(), shutdown(): the system's own, or the server's for a
 * socket of transparent mode (docs/wire.md). */
BSDSOCK_EXTERN int bsdsock_compat_ws_bind(uintptr_t s,
                                          const struct sockaddr *addr,
                                          int addrlen);
BSDSOCK_EXTERN int bsdsock_compat_ws_listen(uintptr_t s, int backlog);
BSDSOCK_EXTERN int bsdsock_compat_ws_shutdown(uintptr_t s, int how);
/* freeaddrinfo(): a list of the server's resolver in transparent mode,
 * else the system's. */
BSDSOCK_EXTERN void bsdsock_compat_ws_freeaddrinfo(struct addrinfo *ai);
BSDSOCK_EXTERN int bsdsock_compat_ws_connect(uintptr_t s,
                                             const struct sockaddr *addr,
                                             int addrlen);
/* accept(): the new socket is non-blocking if the listener is, as on
 * Windows, and never inherited by child processes (FD_CLOEXEC). */
BSDSOCK_EXTERN uintptr_t bsdsock_compat_ws_accept(uintptr_t s,
                                                  struct sockaddr *addr,
                                                  int *addrlen);
BSDSOCK_EXTERN int bsdsock_compat_ws_send(uintptr_t s, const void *buf,
                                          int len, int flags);
BSDSOCK_EXTERN int bsdsock_compat_ws_sendto(uintptr_t s, const void *buf,
                                            int len, int flags,
                                            const struct sockaddr *to,
                                            int tolen);
BSDSOCK_EXTERN int bsdsock_compat_ws_recv(uintptr_t s, void *buf, int len,
                                          int flags);
BSDSOCK_EXTERN int bsdsock_compat_ws_recvfrom(uintptr_t s, void *buf,
                                              int len, int flags,
                                              struct sockaddr *from,
                                              int *fromlen);
/* getsockopt()/setsockopt(): options bsdsock knows go through bsdsock
 * with Winsock's value shapes: SO_RCVTIMEO/SO_SNDTIMEO as a DWORD of
 * milliseconds (a struct timeval is also taken), one-byte booleans,
 * SO_ERROR as a WSA number; SO_EXCLUSIVEADDRUSE is accepted and changes
 * nothing (Linux never shares a live port). Other options go to the
 * system as they are. */
BSDSOCK_EXTERN int bsdsock_compat_ws_getsockopt(uintptr_t s, int level,
                                                int name, void *value,
                                                int *len);
BSDSOCK_EXTERN int bsdsock_compat_ws_setsockopt(uintptr_t s, int level,
                                                int name, const void *value,
                                                int len);
BSDSOCK_EXTERN int bsdsock_compat_ws_getsockname(uintptr_t s,
                                                 struct sockaddr *addr,
                                                 int *addrlen);
BSDSOCK_EXTERN int bsdsock_compat_ws_getpeername(uintptr_t s,
                                                 struct sockaddr *addr,
                                                 int *addrlen);

/* Winsock select(): nfds is ignored; the sets are Winsock's counted
 * arrays (any FD_SETSIZE), rewritten to the ready sockets. A failed
 * non-blocking connect shows in exceptfds, not writefds, as on Windows; a
 * closed socket in a set fails the call with WSAENOTSOCK and leaves the
 * sets as they were. No socket in any set is WSAEINVAL at once, as on
 * Windows, whatever the timeout. */
BSDSOCK_EXTERN int bsdsock_compat_ws_select(int nfds,
                                            struct bsdsock_ws_fd_set *readfds,
                                            struct bsdsock_ws_fd_set *writefds,
                                            struct bsdsock_ws_fd_set *exceptfds,
                                            const struct timeval *timeout);
/* __WSAFDIsSet(): 1 if s is in the set. */
BSDSOCK_EXTERN int bsdsock_compat_ws_fdisset(uintptr_t s,
                                             struct bsdsock_ws_fd_set *set);

/* WSAPoll() with Winsock's POLL* numbers: INVALID_SOCKET entries report
 * POLLNVAL and are not counted (quirk Q36); a peer's shutdown or close
 * reports POLLHUP (quirk Q37) on an entry that asks for POLLRDNORM, once
 * the data sent before it has been read (Windows says it at once). */
BSDSOCK_EXTERN int bsdsock_compat_wsapoll(struct bsdsock_ws_pollfd *fds,
                                          unsigned long nfds, int timeout_ms);

/* getaddrinfo()/getnameinfo() returning Winsock's numbers (EAI_NONAME is
 * WSAHOST_NOT_FOUND 11001), also left for WSAGetLastError(); and the
 * messages for them. */
BSDSOCK_EXTERN int bsdsock_compat_ws_getaddrinfo(const char *node,
                                                 const char *service,
                                                 const struct addrinfo *hints,
                                                 struct addrinfo **res);
BSDSOCK_EXTERN int bsdsock_compat_ws_getnameinfo(const struct sockaddr *addr,
                                                 int addrlen, char *host,
                                                 unsigned long hostlen,
                                                 char *serv,
                                                 unsigned long servlen,
                                                 int flags);
BSDSOCK_EXTERN const char *bsdsock_compat_ws_gai_strerror(int err);
/* gethostbyname()/gethostbyaddr(): the system's, leaving a failure's
 * h_errno for WSAGetLastError() as WSAHOST_NOT_FOUND, WSATRY_AGAIN,
 * WSANO_RECOVERY or WSANO_DATA. */
BSDSOCK_EXTERN struct hostent *bsdsock_compat_ws_gethostbyname(
    const char *name);
BSDSOCK_EXTERN struct hostent *bsdsock_compat_ws_gethostbyaddr(
    const char *addr, int len, int type);

/* FormatMessageA(): FORMAT_MESSAGE_FROM_SYSTEM for Winsock's error
 * numbers and a few system ones (the text, then "\r\n" as Windows ends
 * it, unless a FORMAT_MESSAGE_MAX_WIDTH_MASK width is given), into buf
 * of size chars or, with FORMAT_MESSAGE_ALLOCATE_BUFFER, into a buffer
 * stored at *(char **)buf for LocalFree(). Returns the length, or 0 with
 * GetLastError() ERROR_MR_MID_NOT_FOUND (an unknown number),
 * ERROR_INSUFFICIENT_BUFFER or ERROR_INVALID_PARAMETER (a source other
 * than the system). Inserts are never expanded; args is ignored. */
BSDSOCK_EXTERN uint32_t bsdsock_compat_formatmessage(uint32_t flags,
                                                     const void *source,
                                                     uint32_t id,
                                                     uint32_t lang,
                                                     char *buf, uint32_t size,
                                                     void *args);
/* LocalFree() of a FormatMessage buffer: NULL. */
BSDSOCK_EXTERN void *bsdsock_compat_localfree(void *mem);
/* GetTickCount64(): milliseconds of a monotonic clock. */
BSDSOCK_EXTERN uint64_t bsdsock_compat_gettickcount64(void);

/* Sleep() in milliseconds; signals do not cut it short. */
BSDSOCK_EXTERN void bsdsock_compat_sleep(unsigned long ms);

#ifdef __cplusplus
}
#endif

#endif /* BSDSOCK_COMPAT_WINSOCK_H */
