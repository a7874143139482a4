/*
 * src/internal.h - the contract between bsdsock's shared code and its two
 * backends (src/posix/ and src/win32/, mirrored file for file).
 *
 * Names: bsdsock__* for internal non-static symbols. They are hidden from
 * the shared library by -fvisibility=hidden / the absence of dllexport, and
 * tests reach them through the static library.
 */
#ifndef BSDSOCK_INTERNAL_H
#define BSDSOCK_INTERNAL_H

#include "setup.h"
#include "bsdsock/bsdsock.h"

#include <limits.h>
#include <string.h>

/* Marks internal non-static symbols (empty today; `static` in a future
 * single-file build). */
#define BSDSOCK_INTERNAL

#if defined(__GNUC__)
# define BSDSOCK__UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
# define BSDSOCK__UNLIKELY(x) (x)
#endif

/* ---- errors (src/error.c, src/<backend>/error.c) ----------------------- */

/* One row of a backend's native-error table. */
struct bsdsock__errmap {
  int native;           /* errno / WSA / Win32 code */
  int portable;         /* BSDSOCK_E* (negative) */
  const char *name;     /* the native name, "WSAECONNREFUSED" */
};

/* The backend's native-error table (for tests and for translation). */
BSDSOCK_INTERNAL const struct bsdsock__errmap *bsdsock__errmap(size_t *count);

/* The calling thread's last OS error (errno or WSAGetLastError()). */
BSDSOCK_INTERNAL int bsdsock__os_error(void);

/* Records native as the thread's last native error and returns its
 * portable translation. Every failure path ends in one of these two. */
BSDSOCK_INTERNAL int bsdsock__fail_native(int native);

/* Records a failure bsdsock detected itself (bad argument): the native
 * code is set to 0 and the portable code is returned. */
BSDSOCK_INTERNAL int bsdsock__fail(int portable);

/* bsdsock__fail_native(bsdsock__os_error()). */
BSDSOCK_INTERNAL int bsdsock__fail_os(void);

/* ---- constants (src/const.c) ------------------------------------------- */

/* Native MSG_* flags for portable ones, 0 or BSDSOCK_EINVAL (unknown bit)
 * / BSDSOCK_EOPNOTSUPP (no native equivalent: handled by the caller). */
BSDSOCK_INTERNAL int bsdsock__msg_to_native(int flags, int *native);

/* Translates socket()'s portable arguments to native ones (the type
 * without BSDSOCK_SOCK_NONBLOCK/CLOEXEC). 0 or EAFNOSUPPORT /
 * ESOCKTNOSUPPORT / EPROTONOSUPPORT. */
BSDSOCK_INTERNAL int bsdsock__socket_args(int family, int type, int protocol,
                                          int *naf, int *ntype, int *nproto);

/* MSG_* flags a backend emulates rather than passing to the OS: Winsock
 * has no MSG_DONTWAIT (the Windows backend switches FIONBIO around the
 * call instead). */
#ifdef BSDSOCK_HAVE_MSG_DONTWAIT
# define BSDSOCK__EMULATED_MSG 0
#else
# define BSDSOCK__EMULATED_MSG BSDSOCK_MSG_DONTWAIT
#endif

/* Native flags for a data call (flags is almost always 0, so the common
 * case is one predictable branch); returns EINVAL from the caller for an
 * unknown bit. Emulated flags are left to the backend. */
#define BSDSOCK__DATA_FLAGS(flags, nflags)                                   \
  do {                                                                       \
    nflags = 0;                                                              \
    if (BSDSOCK__UNLIKELY((flags) != 0) &&                                   \
        bsdsock__msg_to_native((flags) & ~BSDSOCK__EMULATED_MSG,             \
                               &(nflags)) != 0)                              \
      return bsdsock__fail(BSDSOCK_EINVAL);                                  \
  } while (0)

/* The OS socket behind fd into s, or a return of EBADF from the calling
 * function (a closed or never-opened number). */
#define BSDSOCK__GET_SOCKET(s, fd)                                           \
  do {                                                                       \
    s = bsdsock__fd_get(fd);                                                 \
    if (BSDSOCK__UNLIKELY(s == BSDSOCK__INVALID_SOCK))                       \
      return bsdsock__fail(BSDSOCK_EBADF);                                   \
  } while (0)

/* ---- addresses (src/addr.c) -------------------------------------------- */

/* Portable -> native sockaddr. Returns 0 or a negative error
 * (BSDSOCK_EAFNOSUPPORT, BSDSOCK_EINVAL). */
BSDSOCK_INTERNAL int bsdsock__addr_to_sockaddr(const bsdsock_addr_t *addr,
                                               struct sockaddr_storage *ss,
                                               bsdsock__socklen_t *len);

/* Native sockaddr of len bytes -> portable; never reads past len. */
BSDSOCK_INTERNAL int bsdsock__addr_from_sockaddr(bsdsock_addr_t *addr,
                                                 const struct sockaddr *sa,
                                                 size_t len);

/* ---- socket options (src/sockopt.c; conversion in the backends) -------- */

enum bsdsock__opttype {
  BSDSOCK__OPT_INT,      /* int, passed through */
  BSDSOCK__OPT_BOOL,     /* int 0/1; Windows may read back 1 byte */
  BSDSOCK__OPT_BUFSIZE,  /* int; Linux reads back double */
  BSDSOCK__OPT_LINGER,   /* bsdsock_linger_t */
  BSDSOCK__OPT_TIMEVAL,  /* bsdsock_timeval_t; Windows takes DWORD ms */
  BSDSOCK__OPT_ERROR,    /* int, portable error code, read and clear */
  BSDSOCK__OPT_SOCKTYPE, /* int, portable SOCK_* */
  BSDSOCK__OPT_IN_ADDR,  /* 4 bytes, network order */
  BSDSOCK__OPT_MREQ,     /* bsdsock_ip_mreq_t */
  BSDSOCK__OPT_MREQ6,    /* bsdsock_ipv6_mreq_t */
  BSDSOCK__OPT_REUSEADDR /* int; "no live-port sharing" semantics */
};

enum { BSDSOCK__OPT_RD = 1, BSDSOCK__OPT_WR = 2, BSDSOCK__OPT_RW = 3 };

struct bsdsock__optdesc {
  int level, name;                /* portable */
  int native_level, native_name;  /* this platform's */
  enum bsdsock__opttype type;
  int access;                     /* BSDSOCK__OPT_RD / _WR / _RW */
};

/* Looks an option up; NULL if level/name is unknown. */
BSDSOCK_INTERNAL const struct bsdsock__optdesc *bsdsock__opt_find(int level,
                                                                  int name);

/* The size a value of this type must have on the API side. */
BSDSOCK_INTERNAL size_t bsdsock__opt_size(enum bsdsock__opttype type);

/* Validates the shared part of set/getsockopt arguments; returns the
 * descriptor or NULL after storing the error in *err. */
BSDSOCK_INTERNAL const struct bsdsock__optdesc *
bsdsock__opt_check(int level, int name, int access, const void *value,
                   size_t len, int *err);

/* The option table (for the constants test and bsdsock_sockopt_*). */
BSDSOCK_INTERNAL const struct bsdsock__optdesc *bsdsock__opt_table(size_t *n);

/* ---- resolver (src/resolve.c; error mapping in src/<backend>/resolve.c) */

/* Records a failed getaddrinfo()/getnameinfo() return value (with errno
 * for EAI_SYSTEM) as the native error and returns the portable code. */
BSDSOCK_INTERNAL int bsdsock__gai_fail(int rc);

/* ---- descriptor table (src/<backend>/fdtable.c) ------------------------ */

/* Per-descriptor state bits kept by bsdsock (Windows needs them; POSIX
 * asks the kernel). */
enum {
  BSDSOCK__FD_NONBLOCK = 1u << 0,   /* FIONBIO is on */
  BSDSOCK__FD_CONNECTING = 1u << 1, /* a non-blocking connect is pending */
  BSDSOCK__FD_RCVTIMEO = 1u << 2,   /* SO_RCVTIMEO is set (non-zero) */
  BSDSOCK__FD_SNDTIMEO = 1u << 3,   /* SO_SNDTIMEO is set (non-zero) */
  /* A non-blocking connect failed: the socket is dead until the next
   * connect(), and poll reports it as Linux does (POLLHUP, POLLERR while
   * SO_ERROR is unread) without asking Winsock, which stops signalling it
   * once the connect is no longer watched in exceptfds (quirk Q20). */
  BSDSOCK__FD_CONNFAILED = 1u << 4
};

/* Registers an OS socket and returns its descriptor (lowest free number)
 * or a negative error; the socket is closed on failure. */
BSDSOCK_INTERNAL int bsdsock__fd_alloc(bsdsock__sock_t s, unsigned flags);

/* The OS socket behind fd, or BSDSOCK__INVALID_SOCK. Lock-free. */
BSDSOCK_INTERNAL bsdsock__sock_t bsdsock__fd_get(int fd);

/* Removes fd from the table and returns its OS socket (not closed), or
 * BSDSOCK__INVALID_SOCK if fd was not open. */
BSDSOCK_INTERNAL bsdsock__sock_t bsdsock__fd_release(int fd);

/* State bits of fd (0 if not open); set/clear some of them. */
BSDSOCK_INTERNAL unsigned bsdsock__fd_flags(int fd);
BSDSOCK_INTERNAL void bsdsock__fd_set_flags(int fd, unsigned set,
                                            unsigned clear);

/* One past the highest descriptor number ever handed out (for scans). */
BSDSOCK_INTERNAL int bsdsock__fd_limit(void);

/* The SO_ERROR value last reported for fd. Winsock does not clear SO_ERROR
 * when it is read (Wine's test_select, quirk Q22), so the Windows backend
 * remembers what it reported to make the next read return 0; POSIX keeps
 * nothing (the kernel clears it). A new connect() resets it to 0. */
BSDSOCK_INTERNAL int bsdsock__fd_error_seen(int fd);
BSDSOCK_INTERNAL void bsdsock__fd_set_error_seen(int fd, int err);

/* ---- backend start-up (src/<backend>/socket.c) ------------------------- */

/* Makes sure the OS socket layer is started (lazy WSAStartup). 0 or an
 * error. Cheap after the first call. */
BSDSOCK_INTERNAL int bsdsock__startup(void);

/* ---- data-call helpers (src/<backend>/socket.c, used by msg.c) --------- */

/* The portable error of a failed native send-side call on fd, with the
 * backend's fix-ups (Winsock's WSAESHUTDOWN is EPIPE, ...); POSIX needs
 * none. */
BSDSOCK_INTERNAL int bsdsock__send_error(int fd);

/* The same for the receive side: the bytes to report (>= 0) for failures
 * BSD reports as data (Winsock's WSAEMSGSIZE: len bytes were stored), or
 * the portable error. */
BSDSOCK_INTERNAL bsdsock_ssize_t bsdsock__recv_error(int fd, size_t len);

/* BSDSOCK_MSG_DONTWAIT for a call on socket s: Winsock has no such flag,
 * so on a blocking socket the Windows backend switches FIONBIO on around
 * the call. begin returns a token for end (1 if switched, else 0) or an
 * error; POSIX passes the flag to the kernel and returns 0. */
BSDSOCK_INTERNAL int bsdsock__dontwait_begin(int fd, bsdsock__sock_t s,
                                             int flags);
BSDSOCK_INTERNAL void bsdsock__dontwait_end(bsdsock__sock_t s, int token);

/* ---- scatter/gather (src/msg.c) ---------------------------------------- */

/* Checks a message's shape (see bsdsock/msg.h for the rules): its total
 * length, or the error, recorded. */
BSDSOCK_INTERNAL bsdsock_ssize_t bsdsock__msg_check(const bsdsock_msghdr_t *msg);

/* The result of a batch that stopped after `done` messages because of err
 * (0: it did not stop early): err itself if nothing went through, else the
 * count, with err stored in *deferred (may be NULL) so it is never lost. */
BSDSOCK_INTERNAL int bsdsock__batch_result(size_t done, int err,
                                           int *deferred);

/* Checks every message of a batch: 0 or the first error, recorded. */
BSDSOCK_INTERNAL int bsdsock__mmsg_check(const bsdsock_mmsghdr_t *msgs,
                                         size_t n);

/* ---- readiness (src/select.c; the wait in src/<backend>/poll.c) -------- */

/* Waits until an entry of fds[0..n) is ready or timeout_us passes (< 0: no
 * limit), and fills every revents with portable bits. events may hold any
 * bits; only the input bits are used. Entries with fd < 0 get revents 0;
 * closed or invalid descriptors get BSDSOCK_POLLNVAL and make the call
 * return at once. n == 0 is a sleep. Returns the number of entries with
 * revents != 0, 0 on timeout, or a negative error (never BSDSOCK_EINTR: the
 * backend waits through bsdsock__wait_retry). */
BSDSOCK_INTERNAL int bsdsock__poll_os(bsdsock_pollfd_t *fds, size_t n,
                                      int64_t timeout_us);

/* Monotonic clock, microseconds (src/<backend>/poll.c). */
BSDSOCK_INTERNAL int64_t bsdsock__now_us(void);

/* One wait of a backend: ready count, 0 on timeout, BSDSOCK_EINTR, or an
 * error. It may return 0 early (a clamped timeout). */
typedef int (*bsdsock__wait_fn)(void *ctx, int64_t timeout_us);

/* Calls wait(ctx, t) until it returns neither BSDSOCK_EINTR nor 0 before
 * the deadline, t being the time left of timeout_us (< 0: no limit) - the
 * EINTR policy of bsdsock.h, in one place for both backends. */
BSDSOCK_INTERNAL int bsdsock__wait_retry(bsdsock__wait_fn wait, void *ctx,
                                         int64_t timeout_us);

/* ---- drop-in headers (src/compat.c, src/<backend>/compat.c) ------------ */

/* Fails a call of a drop-in function the POSIX way: stores the C
 * runtime's errno value for the portable code (Windows: the runtime's own
 * E* numbers; POSIX: the native errno) and returns -1. */
BSDSOCK_INTERNAL int bsdsock__compat_fail(int portable);

#endif /* BSDSOCK_INTERNAL_H */
