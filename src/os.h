/* SPDX-License-Identifier: MIT */
/*
 * src/os.h - the OS contract: what each backend (src/posix/, src/win32/,
 * mirrored file for file) provides to the shared layer.
 *
 * The shared layer (the .c files directly under src/) owns every public
 * bsdsock_* call: argument checks in the documented precedence order,
 * constant and address conversion, the EINTR policy, failure
 * normalisation and error recording (docs/design.md). A backend only
 * makes the OS call and does what only it can: Winsock's fix-ups, the
 * descriptor table, native option values.
 *
 * Conventions for every bsdsock__os_* function:
 *  - arguments are already checked and converted to native values;
 *  - success is 0 (or a count), failure a negative portable code after the
 *    native one was recorded (bsdsock__fail_os), BSDSOCK_EINTR when a
 *    signal interrupted the call (the shared layer decides what then);
 *  - every OS call goes through the fault-injection seam (fault.h).
 * The hot-path calls are static inline in the backend's os_inline.h.
 */
#ifndef BSDSOCK_OS_H
#define BSDSOCK_OS_H

#include "setup.h"

#include <limits.h>

#include "fault.h"
#include "bsdsock/bsdsock.h"

#if defined(__GNUC__)
# define BSDSOCK__UNLIKELY(x) __builtin_expect(!!(x), 0)
# define BSDSOCK__LIKELY(x) __builtin_expect(!!(x), 1)
/* A rare path kept out of its caller, so that the caller's frame and
 * registers stay what they were without it (ancillary data, msg.c). */
# define BSDSOCK__NOINLINE __attribute__((noinline))
#else
# define BSDSOCK__UNLIKELY(x) (x)
# define BSDSOCK__LIKELY(x) (x)
# define BSDSOCK__NOINLINE
#endif

/* ---- start-up (socket.c) ------------------------------------------------- */

/* Makes sure the OS socket layer is started (lazy WSAStartup; a failure is
 * not remembered, so a later call tries again). Cheap once started. */
int bsdsock__os_startup(void);
void bsdsock__os_cleanup(void);

/* ---- errors (error.c) ---------------------------------------------------- */

/* One row of a backend's native-error table. */
struct bsdsock__errmap {
  int native;           /* errno / WSA / Win32 code */
  int portable;         /* BSDSOCK_E* (negative) */
  const char *name;     /* the native name, "WSAECONNREFUSED" */
};

/* The backend's native-error table (for tests and the drop-in layers). */
const struct bsdsock__errmap *bsdsock__errmap(size_t *count);

/* Portable code of a native one, BSDSOCK_EUNKNOWN if it has none (the
 * table above as a switch). */
int bsdsock__os_translate(int native);

/* The calling thread's last OS error (errno or WSAGetLastError()), and
 * setting it (the fault seam uses it). */
int bsdsock__os_error(void);
void bsdsock__os_set_error(int native);

/* The C runtime's errno value for a portable code (the drop-in BSD layer
 * reports failures through errno; 0 if there is none), and the portable
 * code of one (0 if it is not a socket error). The kernel's numbers on
 * POSIX; the Windows runtime's own E* numbers there. */
int bsdsock__os_crt_errno(int portable);
int bsdsock__os_crt_portable(int e);

/* ---- descriptors (fdtable.c) --------------------------------------------- */

/* Per-descriptor state bits. Windows keeps the socket's mode there;
 * both backends keep what the shared layer learnt about the socket. */
enum {
  BSDSOCK__FD_NONBLOCK = 1u << 0,   /* FIONBIO is on (Windows) */
  BSDSOCK__FD_CONNECTING = 1u << 1, /* a non-blocking connect is pending */
  BSDSOCK__FD_RCVTIMEO = 1u << 2,   /* SO_RCVTIMEO is set (non-zero) */
  BSDSOCK__FD_SNDTIMEO = 1u << 3,   /* SO_SNDTIMEO is set (non-zero) */
  /* A non-blocking connect failed: the socket is dead until the next
   * connect(), and poll reports it as Linux does (POLLHUP, POLLERR while
   * SO_ERROR is unread) without asking Winsock, which stops signalling it
   * once the connect is no longer watched in exceptfds (quirk Q20). */
  BSDSOCK__FD_CONNFAILED = 1u << 4,
  /* connect() reached the network, or the socket came from accept(): a
   * stream socket that is not connected now has lost its connection,
   * rather than never had one (docs/design.md, "Misuse"). */
  BSDSOCK__FD_EVERCONN = 1u << 5,
  BSDSOCK__FD_GSO_KNOWN = 1u << 6,  /* whether UDP_SEGMENT works is known */
  BSDSOCK__FD_GSO_OK = 1u << 7,     /* ... and it does */
  /* The number is a poller (poller.c), not a socket: bsdsock_close()
   * closes it as one, and on Windows bsdsock__fd_get() finds no socket. */
  BSDSOCK__FD_POLLER = 1u << 8,
  /* The number is an interface watch (ifwatch.c): bsdsock_close() cancels
   * its notifications and frees its state too. */
  BSDSOCK__FD_IFWATCH = 1u << 9,
  /* An interface watch lost events and owes a resync once what is still
   * queued has been read (posix/ifwatch.c). */
  BSDSOCK__FD_RESYNC = 1u << 10,
  /* What the socket is for ancillary data (bsdsock_msginfo_t), learnt on
   * its first message with info (src/msg.c; a socket's family and type
   * never change): _CTL_KNOWN, and _CTL_IP4 or _CTL_IP6 for an IPv4 or
   * IPv6 datagram socket, neither for any other. */
  BSDSOCK__FD_CTL_KNOWN = 1u << 11,
  BSDSOCK__FD_CTL_IP4 = 1u << 12,
  BSDSOCK__FD_CTL_IP6 = 1u << 13
};

/* The TCP keepalive times (seconds; 0: never set) remembered for fd. The
 * Windows backend keeps them where it sets them with SIO_KEEPALIVE_VALS,
 * which Winsock cannot report (quirk Q60); POSIX keeps nothing (0, 0). */
void bsdsock__fd_keepalive(int fd, unsigned *idle, unsigned *intvl);
void bsdsock__fd_set_keepalive(int fd, unsigned idle, unsigned intvl);

/* Registers an OS socket and returns its descriptor (lowest free number)
 * or a negative error; the socket is closed on failure. */
int bsdsock__fd_alloc(bsdsock__sock_t s, unsigned flags);

/* From now on, every number handed out is also held in the C runtime's
 * descriptor table, and so are the live ones that were not (Windows; POSIX
 * numbers are the kernel's descriptors already, and this does nothing).
 * Idempotent, thread-safe; 0. See bsdsock_crt_numbering(). */
int bsdsock__fd_crt_numbering(void);

/* Whether poll must look for poller numbers among its descriptors: 1 on
 * POSIX while a poller (an epoll descriptor, which poll() would watch) is
 * open; 0 on Windows, whose poll finds no socket behind one. */
int bsdsock__fd_pollers_seen(void);

/* bsdsock__fd_get(fd): the OS socket behind fd, lock-free, and inline
 * where it is free (os_inline.h); BSDSOCK__SOCK_OK(s) says whether it may
 * be one (on POSIX any number >= 0 may: the OS call then tells). */

/* Removes fd from the table and returns its OS socket (not closed); on
 * Windows INVALID_SOCKET if fd was not open (POSIX keeps no sockets, only
 * the state bits, which this resets). */
bsdsock__sock_t bsdsock__fd_release(int fd);

/* State bits of fd (0 if none are known); set/clear some of them. */
unsigned bsdsock__fd_flags(int fd);
void bsdsock__fd_set_flags(int fd, unsigned set, unsigned clear);

/* One past the highest descriptor number ever handed out (for scans). */
int bsdsock__fd_limit(void);

/* The SO_ERROR value last reported for fd. Winsock does not clear SO_ERROR
 * when it is read (quirk Q22), so the Windows backend remembers what it
 * reported to make the next read return 0; POSIX keeps nothing (the kernel
 * clears it). A new connect() resets it to 0. */
int bsdsock__fd_error_seen(int fd);
void bsdsock__fd_set_error_seen(int fd, int err);

/* ---- sockets (socket.c) -------------------------------------------------- */

/* A new socket of native family, type and protocol, never inherited by
 * child processes, with bsdsock's defaults (IPV6_V6ONLY on, no SIGPIPE),
 * non-blocking if asked. */
int bsdsock__os_socket(int naf, int ntype, int nproto, int nonblock,
                       bsdsock__sock_t *out);

/* A connected pair of sockets of native family, type and protocol in one
 * OS call (socketpair()), with everything bsdsock__os_socket() gives a
 * socket: 0, or BSDSOCK_EOPNOTSUPP (recorded) where the OS makes no such
 * pair, which the shared layer then builds (src/socketpair.c), or
 * another error. */
int bsdsock__os_socketpair(int naf, int ntype, int nproto, int nonblock,
                           bsdsock__sock_t out[2]);

/* Closes an OS socket that has no descriptor (a failure path's clean-up:
 * nothing recorded). */
void bsdsock__os_close_sock(bsdsock__sock_t s);

/* A filesystem path for a transient AF_UNIX socket of this process, in
 * the temporary directory, that no other call returns (tag tells them
 * apart): 0, or BSDSOCK_ENAMETOOLONG when it does not fit size bytes. Any
 * file of that name is removed first. bsdsock__os_remove_path deletes
 * the socket file. */
int bsdsock__os_temp_path(char *buf, size_t size, const char *tag);
void bsdsock__os_remove_path(const char *path);

int bsdsock__os_bind(bsdsock__sock_t s, const struct sockaddr *sa,
                     bsdsock__socklen_t len);
int bsdsock__os_listen(bsdsock__sock_t s, int backlog);

/* accept(): *out is blocking and not inheritable, whatever the listener. */
int bsdsock__os_accept(int fd, bsdsock__sock_t s, struct sockaddr_storage *ss,
                       bsdsock__socklen_t *len, bsdsock__sock_t *out);

/* connect(): 0, BSDSOCK_EINPROGRESS (non-blocking, Winsock's
 * WSAEWOULDBLOCK included), BSDSOCK_EALREADY, BSDSOCK_EINTR, or an error. */
int bsdsock__os_connect(int fd, bsdsock__sock_t s, const struct sockaddr *sa,
                        bsdsock__socklen_t len);

int bsdsock__os_shutdown(bsdsock__sock_t s, int nhow);

/* Releases fd and closes its socket: 0, or BSDSOCK_EBADF when fd is not an
 * open socket. Never retried (the number may be reused at once). */
int bsdsock__os_close(int fd);

/* getsockname() (peer 0) or getpeername() (peer 1). */
int bsdsock__os_name(bsdsock__sock_t s, int peer, struct sockaddr_storage *ss,
                     bsdsock__socklen_t *len);

int bsdsock__os_set_nonblocking(int fd, bsdsock__sock_t s, int on);
int bsdsock__os_get_nonblocking(int fd, bsdsock__sock_t s);

/* What the shared layer needs to know about a socket to normalise a
 * failure (docs/design.md, "Misuse"). Failure paths only: it costs a few
 * system calls, and it records nothing, so the failure's own native code
 * stays what bsdsock_last_native_error() reports. */
enum {
  BSDSOCK__ST_BOUND = 1u << 0,      /* has a local address */
  BSDSOCK__ST_LISTENING = 1u << 1,
  BSDSOCK__ST_CONNECTED = 1u << 2   /* has a peer */
};
struct bsdsock__sockstate {
  int family;           /* portable BSDSOCK_AF_*, 0 if unknown */
  int type;             /* portable BSDSOCK_SOCK_*, 0 if unknown */
  unsigned bits;        /* BSDSOCK__ST_* */
};

/* 0 and *st filled, or BSDSOCK_EBADF when s is not an open socket. */
int bsdsock__os_sockstate(bsdsock__sock_t s, struct bsdsock__sockstate *st);

/* 0 if s is an open socket, else BSDSOCK_EBADF (records nothing). The
 * descriptor check that comes before every argument check. */
int bsdsock__os_check(bsdsock__sock_t s);

/* 1 if s is listening, 0 if not or unknown (records nothing). */
int bsdsock__os_listening(bsdsock__sock_t s);

/* ---- data (os_inline.h, socket.c) ----------------------------------------
 * bsdsock__os_send/recv/sendto/recvfrom (inline) return the byte count or
 * a negative value with the native error pending; the failure is then
 * turned into a portable code by these, with the backend's fix-ups. */

/* A failed send-side call on fd: the portable code (BSDSOCK_EINTR for an
 * interrupted call). */
int bsdsock__os_send_error(int fd);

/* A failed receive of len bytes: the bytes to report (>= 0) where BSD
 * reports data (Winsock's WSAEMSGSIZE: len bytes were stored), else the
 * portable code. */
bsdsock_ssize_t bsdsock__os_recv_error(int fd, size_t len);

/* The native flag of a data call that must not wait: BSDSOCK_MSG_DONTWAIT,
 * and the datagrams of a batch after its first. The shared layer decides
 * when (src/data.c, src/msg.c) and adds it to nflags; every data call of
 * this contract takes it. It changes no state of the socket, which other
 * threads may be using at that moment: a blocking receive in another
 * thread still waits, and the mode stays what bsdsock_set_nonblocking()
 * last set. It is the OS's own MSG_DONTWAIT where there is one (POSIX);
 * Winsock has none (quirk Q8), so there it is a bit no Winsock flag uses,
 * which the Windows backend's data calls take off and act on: an
 * overlapped call, cancelled if it does not complete at once (msg.c). A
 * call that finds nothing to do fails with BSDSOCK_EAGAIN. */
#ifdef BSDSOCK_HAVE_MSG_DONTWAIT
# define BSDSOCK__NOWAIT MSG_DONTWAIT
#else
# define BSDSOCK__NOWAIT 0x40000000
#endif

/* ---- options (sockopt.c) ------------------------------------------------- */

struct bsdsock__optdesc;

/* Sets an option from a portable value the shared layer checked (size,
 * range); the backend converts it to the native type. */
int bsdsock__os_setsockopt(int fd, bsdsock__sock_t s,
                           const struct bsdsock__optdesc *d,
                           const void *value);

/* Reads an option into a portable value of bsdsock__opt_size(d->type). */
int bsdsock__os_getsockopt(int fd, bsdsock__sock_t s,
                           const struct bsdsock__optdesc *d, void *value);

/* ---- scatter/gather and batches (msg.c) ---------------------------------- */

/* Ancillary data (bsdsock_msginfo_t, msg->info) has calls of its own,
 * so that the plain ones never look at it (their cost is what it was
 * before info existed): the shared layer calls bsdsock__os_sendmsg/
 * _recvmsg for a message whose info is NULL, the _info variants for one
 * whose info is not, and tells the batch calls whether any message of the
 * batch has info. The backend acts on info only when the descriptor's
 * flags have BSDSOCK__FD_CTL_IP4 or _IP6 (the shared layer has learnt
 * them, and checked a send's info against them: its bits, tos's range,
 * dst of the socket's family); on any other socket the message goes as
 * without it. A receive with info fills it (valid 0 when there is
 * nothing). */

/* One message, checked, info NULL: the bytes sent. Converts msg->name;
 * one that cannot be converted is the message's error. */
bsdsock_ssize_t bsdsock__os_sendmsg(int fd, bsdsock__sock_t s,
                                    const bsdsock_msghdr_t *msg, int nflags);
bsdsock_ssize_t bsdsock__os_sendmsg_info(int fd, bsdsock__sock_t s,
                                         const bsdsock_msghdr_t *msg,
                                         int nflags);

/* One message, info NULL: the bytes received; sets msg->flags and
 * msg->name (and, in the _info variant, *msg->info). */
bsdsock_ssize_t bsdsock__os_recvmsg(int fd, bsdsock__sock_t s,
                                    bsdsock_msghdr_t *msg, int nflags,
                                    bsdsock_ssize_t total);
bsdsock_ssize_t bsdsock__os_recvmsg_info(int fd, bsdsock__sock_t s,
                                         bsdsock_msghdr_t *msg, int nflags,
                                         bsdsock_ssize_t total);

/* Where the OS has batch calls (BSDSOCK_HAVE_MMSG); elsewhere the shared
 * layer loops over the calls above. info: whether any message of the
 * batch has ancillary data (0: the backend looks at none).
 *
 * Sends the head of a checked batch of n >= 1 messages in as few system
 * calls as the OS allows: how many went (>= 1), or the error of the first.
 * A message after the first that fails ends the run early without an
 * error; the shared loop then calls again from that message, which fails
 * first and so reports its own error. */
int bsdsock__os_sendmmsg(int fd, bsdsock__sock_t s, bsdsock_mmsghdr_t *msgs,
                         size_t n, int nflags, int info);

/* Receives up to n >= 1 datagrams, waiting (as the socket would) for the
 * first only: how many (>= 1), or the error of the first. *deferred gets
 * an error met after the first datagram (0 if none, or if the batch just
 * ran out of queued datagrams). */
int bsdsock__os_recvmmsg(int fd, bsdsock__sock_t s, bsdsock_mmsghdr_t *msgs,
                         size_t n, int nflags, int *deferred, int info);

/* ---- readiness (poll.c) -------------------------------------------------- */

/* Waits until an entry of fds[0..n) is ready or timeout_us passes (< 0: no
 * limit), and fills every revents with portable bits. events may hold any
 * bits; only the input bits are used. Entries with fd < 0 get revents 0;
 * closed or invalid descriptors get BSDSOCK_POLLNVAL and make the call
 * return at once. n == 0 is a sleep. Returns the number of entries with
 * revents != 0, 0 on timeout, or a negative error (never BSDSOCK_EINTR: the
 * backend waits through bsdsock__wait_retry). */
int bsdsock__poll_os(bsdsock_pollfd_t *fds, size_t n, int64_t timeout_us);

/* ---- the poller (poller.c) -----------------------------------------------
 * The shared layer (src/poller.c) checks the arguments it can see (negative
 * numbers, event bits, the argument order of poller.h) and calls these;
 * the backend answers for the poller and the descriptor themselves:
 * BSDSOCK_EBADF (not open), BSDSOCK_EINVAL (not a poller, or a poller as
 * the watched descriptor), BSDSOCK_EEXIST / BSDSOCK_ENOENT, and
 * BSDSOCK_EOPNOTSUPP for BSDSOCK_POLLER_ET where it cannot honour it. */

enum { BSDSOCK__POLLER_ADD, BSDSOCK__POLLER_MOD, BSDSOCK__POLLER_DEL };

/* A new poller's descriptor, registered in the descriptor table with
 * BSDSOCK__FD_POLLER, or a negative error. */
int bsdsock__os_poller_create(void);

/* Closes poller pfd (BSDSOCK__FD_POLLER is set on it). */
int bsdsock__os_poller_close(int pfd);

/* Adds, modifies or deletes fd; events are portable bits, already checked. */
int bsdsock__os_poller_ctl(int pfd, int op, int fd, uint32_t events,
                           uint64_t data);

/* One wait of at most timeout_us (< 0: no limit): the number of events
 * stored (0 on timeout, or when what woke it produced no event: the shared
 * layer waits on for the time left), BSDSOCK_EINTR, or an error. */
int bsdsock__os_poller_wait(int pfd, bsdsock_poller_event_t *ev, int max,
                            int64_t timeout_us);

/* Failure path of an argument check: BSDSOCK_EBADF if pfd is not open or
 * (fd >= 0) fd is not open, as epoll_ctl checks both descriptors first;
 * then BSDSOCK_EINVAL if pfd is not a poller; 0 if all are fine. Records
 * nothing. */
int bsdsock__os_poller_check(int pfd, int fd);

/* Monotonic clock, microseconds. */
int64_t bsdsock__now_us(void);

/* ---- interfaces and the host name (netif.c) ------------------------------ */

/* The index of the interface called name (not empty, checked), or 0 with
 * the native error recorded. */
unsigned bsdsock__os_if_nametoindex(const char *name);

/* The name of interface index (>= 1) into buf of size bytes: its length,
 * or BSDSOCK_ENXIO (no such interface; the native error recorded),
 * BSDSOCK_ENAMETOOLONG when it does not fit. */
int bsdsock__os_if_indextoname(unsigned index, char *buf, size_t size);

/* The interfaces' addresses, as bsdsock_interfaces() documents: 0 and a
 * list from malloc (NULL if count is 0), or a recorded error. */
int bsdsock__os_interfaces(bsdsock_interface_t **list, size_t *count);

/* The host name into buf of size bytes (size - 1 usable, the shared layer
 * gives a buffer longer than any host name): 0 or a recorded error. */
int bsdsock__os_gethostname(char *buf, size_t size);

/* ---- interface change notification (ifwatch.c) -------------------------- */

/* A new watch: its descriptor, registered with BSDSOCK__FD_IFWATCH (a
 * socket that poll, select and the poller see readable while events are
 * pending), or BSDSOCK_EOPNOTSUPP where the platform cannot deliver
 * notifications, or another recorded error. */
int bsdsock__os_ifwatch_open(void);

/* Up to n >= 1 pending events of watch fd (BSDSOCK__FD_IFWATCH is set on
 * it), without waiting: how many, BSDSOCK_EAGAIN when none, or an error. */
int bsdsock__os_ifwatch_read(int fd, bsdsock_ifevent_t *ev, size_t n);

/* Closes watch fd: the notifications cancelled (none runs after this
 * returns), its state freed, the descriptor closed. */
int bsdsock__os_ifwatch_close(int fd);

/* Queues ev on watch fd as a notification would (tests only,
 * bsdsock__ifwatch_inject): 0, or BSDSOCK_ENOSYS where the queue is the
 * kernel's. */
int bsdsock__os_ifwatch_inject(int fd, const bsdsock_ifevent_t *ev);

/* ---- resolver (resolve.c) ------------------------------------------------ */

/* Records a failed getaddrinfo()/getnameinfo() return value (with errno
 * for EAI_SYSTEM) as the native error and returns the portable code. */
int bsdsock__gai_fail(int rc);

/* ---- the inline part: hot-path calls --------------------------------------
 * bsdsock__fd_get() and bsdsock__os_send/recv/sendto/recvfrom, from the
 * backend's directory (CMake puts it on the include path). */
#include "os_inline.h"

#endif /* BSDSOCK_OS_H */
