/* SPDX-License-Identifier: MIT */
/*
 * src/internal.h - what the files of the shared layer (the .c files
 * directly under src/) share.
 *
 * The shared layer owns every public bsdsock_* call; src/os.h is its
 * contract with the backends. Names: bsdsock__* for internal non-static
 * symbols, hidden from the shared library (visibility / no dllexport);
 * tests reach them through the static library.
 */
#ifndef BSDSOCK_INTERNAL_H
#define BSDSOCK_INTERNAL_H

#include "os.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors (src/error.c) ------------------------------------------------ */

/* Records native as the thread's last native error and returns its
 * portable translation. Every failure path ends in one of these three. */
int bsdsock__fail_native(int native);

/* Records a failure bsdsock detected itself (bad argument): the native
 * code is set to 0 and the portable code is returned. */
int bsdsock__fail(int portable);

/* bsdsock__fail_native(bsdsock__os_error()). */
int bsdsock__fail_os(void);

/* The OS socket behind fd into s, or a return of EBADF from the calling
 * function (a closed or never-opened number; on POSIX, where any number
 * >= 0 passes here, the OS or bsdsock__arg_fail says EBADF instead). */
#define BSDSOCK__SOCKET(s, fd)                                               \
  do {                                                                       \
    s = bsdsock__fd_get(fd);                                                 \
    if (BSDSOCK__UNLIKELY(!BSDSOCK__SOCK_OK(s)))                     \
      return bsdsock__fail(BSDSOCK_EBADF);                                   \
  } while (0)

/* ---- memory -------------------------------------------------------------- */

/* malloc/calloc through the fault seam ("alloc"). */
#define bsdsock__malloc(n) BSDSOCK__OS(alloc, NULL, malloc(n))
#define bsdsock__calloc(n, size) BSDSOCK__OS(alloc, NULL, calloc(n, size))

/* ---- constants (src/const.c) --------------------------------------------- */

/* bsdsock_const_to_native / _from_native without recording a failure, for
 * use on paths that must keep the native error already recorded. */
int bsdsock__const_to_native(int kind, int value, int *native);
int bsdsock__const_from_native(int kind, int native, int *value);

/* The MSG_* flags a data call may take as input (BSDSOCK_MSG_TRUNC and
 * _CTRUNC are output-only). */
#define BSDSOCK__MSG_INPUT                                                   \
  (BSDSOCK_MSG_OOB | BSDSOCK_MSG_PEEK | BSDSOCK_MSG_DONTROUTE |              \
   BSDSOCK_MSG_WAITALL | BSDSOCK_MSG_DONTWAIT | BSDSOCK_MSG_NOSIGNAL)

/* MSG_* flags a backend emulates rather than passing to the OS: Winsock
 * has no MSG_DONTWAIT (BSDSOCK__NOWAIT, src/os.h). */
#ifdef BSDSOCK_HAVE_MSG_DONTWAIT
# define BSDSOCK__EMULATED_MSG 0
#else
# define BSDSOCK__EMULATED_MSG BSDSOCK_MSG_DONTWAIT
#endif

/* Native flags for a data call's portable input flags: 0, or
 * BSDSOCK_EINVAL for a bit that is unknown or output-only. Records
 * nothing. Emulated flags are left out. */
int bsdsock__msg_to_native(int flags, int *native);

/* Translates socket()'s portable arguments to native ones (the type
 * without BSDSOCK_SOCK_NONBLOCK/CLOEXEC). 0 or EAFNOSUPPORT /
 * ESOCKTNOSUPPORT / EPROTONOSUPPORT, recorded. */
int bsdsock__socket_args(int family, int type, int protocol, int *naf,
                         int *ntype, int *nproto);

/* ---- interfaces (src/netif.c) --------------------------------------------- */

/* The prefix length of a netmask of n bytes (its leading one bits). */
unsigned bsdsock__prefixlen(const uint8_t *mask, size_t n);

/* ---- interface watches (src/ifwatch.c) ----------------------------------- */

/* Appends a BSDSOCK_IFEV_RESYNC to ev[0..*count) of room n, or merges it
 * with the resync already last: 1, or 0 when there is no room. */
int bsdsock__ifwatch_resync(bsdsock_ifevent_t *ev, size_t n, size_t *count);

/* Tests only (tests/test_ifwatch.c). Set, a Windows registration that
 * succeeds without a handle (Wine's stubs, quirk Q66) is accepted, so that
 * the rest of the Windows watch - queue, wake-up byte, readiness, close -
 * runs under Wine; 0 in normal use. bsdsock__ifwatch_inject queues ev on
 * watch fd as a callback would: 0, BSDSOCK_EBADF if fd is not a watch,
 * BSDSOCK_ENOSYS where the queue is the kernel's (Linux). */
extern int bsdsock__ifwatch_accept_stubs;
int bsdsock__ifwatch_inject(int fd, const bsdsock_ifevent_t *ev);

/* The Linux backend's decoder of one netlink datagram of len bytes from
 * the kernel (src/posix/ifwatch.c; fuzz target Z10): the number of events
 * it carries, of which the first n (at most) are stored in ev. A message
 * that is cut short or malformed ends the datagram with a resync. Pure:
 * no OS call, no allocation. */
size_t bsdsock__ifwatch_parse(const void *buf, size_t len,
                              bsdsock_ifevent_t *ev, size_t n);

/* ---- pairs (src/socketpair.c) ------------------------------------------ */

/* Called, when set, by a socket pair built through a listener, once the
 * listener listens at *listener and before the pair's own connect: tests
 * connect a stranger there to check that it is refused (tests/
 * test_socketpair.c). NULL in normal use. */
extern void (*bsdsock__pair_hook)(const bsdsock_addr_t *listener);

/* ---- addresses (src/addr.c) ---------------------------------------------- */

/* Portable -> native sockaddr. Returns 0 or a negative error
 * (BSDSOCK_EAFNOSUPPORT, BSDSOCK_EINVAL); records nothing. */
int bsdsock__addr_to_sockaddr(const bsdsock_addr_t *addr,
                              struct sockaddr_storage *ss,
                              bsdsock__socklen_t *len);

/* Native sockaddr of len bytes -> portable; never reads past len. */
int bsdsock__addr_from_sockaddr(bsdsock_addr_t *addr,
                                const struct sockaddr *sa, size_t len);

/* bsdsock_addr_parse() without recording a failure: 0 or BSDSOCK_EINVAL.
 * The one parser of address text (bsdsock_getaddrinfo's numeric hosts
 * too). */
int bsdsock__addr_parse(bsdsock_addr_t *addr, const char *text,
                        uint16_t port);

/* ---- the argument order and misuse (src/misuse.c) ------------------------ */

/* The public calls whose failures are normalised (docs/design.md). */
enum bsdsock__call {
  BSDSOCK__CALL_BIND,
  BSDSOCK__CALL_LISTEN,
  BSDSOCK__CALL_ACCEPT,
  BSDSOCK__CALL_CONNECT,
  BSDSOCK__CALL_SHUTDOWN,
  BSDSOCK__CALL_GETSOCKNAME,
  BSDSOCK__CALL_GETPEERNAME,
  BSDSOCK__CALL_SEND,       /* send, sendto, sendmsg, sendmmsg */
  BSDSOCK__CALL_RECV,       /* recv, recvfrom, recvmsg, recvmmsg */
  BSDSOCK__CALL_SOCKOPT,    /* setsockopt, getsockopt */
  BSDSOCK__CALL_OTHER       /* the descriptor check alone */
};

/* The error of an argument check on a call on s: the descriptor is
 * checked first (both kernels do), so EBADF wins over err when s is not an
 * open socket. Recorded as bsdsock's own (native 0). */
int bsdsock__arg_fail(bsdsock__sock_t s, int err);

/* The first checks of a data call: the descriptor into *s, then the
 * portable MSG_* flags into native ones. 0, or the error, recorded. */
int bsdsock__data_args(int fd, int flags, bsdsock__sock_t *s, int *nflags);

/* The first checks of a call that takes an address (bind, connect): the
 * descriptor into *s, then the address (not NULL, convertible) into *ss.
 * 0, or the error, recorded. */
int bsdsock__addr_args(int fd, const bsdsock_addr_t *addr, bsdsock__sock_t *s,
                       struct sockaddr_storage *ss, bsdsock__socklen_t *len);

/* Normalises rc, the failure of `call` on fd/s (addr: the address it was
 * given, NULL for none; arg: the portable MSG_* flags of a data call, the
 * option's BSDSOCK__ON_* for SOCKOPT): the portable code bsdsock documents
 * for the socket's state, which may be 0 where the contract says the call
 * succeeds. Failure paths only. */
int bsdsock__misuse(enum bsdsock__call call, int fd, bsdsock__sock_t s,
                    int rc, const bsdsock_addr_t *addr, int arg);

/* 0 if an option for sockets `on` (BSDSOCK__ON_*) fits s, else
 * BSDSOCK_ENOPROTOOPT (unrecorded). */
int bsdsock__opt_fits(bsdsock__sock_t s, int on);

/* ---- socket options (src/sockopt.c) -------------------------------------- */

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
  BSDSOCK__OPT_REUSEADDR, /* int; "no live-port sharing" semantics */
  BSDSOCK__OPT_KEEPTIME, /* int seconds 1..32767 (TCP_KEEPIDLE/INTVL) */
  BSDSOCK__OPT_KEEPCNT   /* int 1..127 (TCP_KEEPCNT) */
};

enum { BSDSOCK__OPT_RD = 1, BSDSOCK__OPT_WR = 2, BSDSOCK__OPT_RW = 3 };

/* The sockets an option is for (bits: all of them must hold). */
enum {
  BSDSOCK__ON_ANY = 0,
  BSDSOCK__ON_STREAM = 1 << 0,    /* SOCK_STREAM */
  BSDSOCK__ON_DGRAM = 1 << 1,     /* SOCK_DGRAM */
  BSDSOCK__ON_IP = 1 << 2,        /* AF_INET or AF_INET6 */
  BSDSOCK__ON_IP6 = 1 << 3,       /* AF_INET6 */
  /* Checked before the call, not only when it fails: some OS accepts the
   * option on the wrong socket without a word. */
  BSDSOCK__ON_CHECK = 1 << 4,
  BSDSOCK__ON_MC6 = BSDSOCK__ON_IP6 | BSDSOCK__ON_DGRAM | BSDSOCK__ON_CHECK
};

struct bsdsock__optdesc {
  int level, name;                /* portable */
  int native_level, native_name;  /* this platform's */
  enum bsdsock__opttype type;
  int access;                     /* BSDSOCK__OPT_RD / _WR / _RW */
  int on;                         /* BSDSOCK__ON_* */
};

/* Looks an option up; NULL if level/name is unknown. */
const struct bsdsock__optdesc *bsdsock__opt_find(int level, int name);

/* The size a value of this type must have on the API side. */
size_t bsdsock__opt_size(enum bsdsock__opttype type);

/* The option table (for the constants test and bsdsock_sockopt_*). */
const struct bsdsock__optdesc *bsdsock__opt_table(size_t *n);

/* The largest SO_LINGER time, in seconds, on every platform (Winsock's
 * l_linger is a u_short). */
#define BSDSOCK__LINGER_MAX 65535

/* The longest SO_RCVTIMEO/SO_SNDTIMEO, in seconds, on every platform:
 * Winsock's DWORD of milliseconds holds up to 0xFFFFFFFE ms (about 49.7
 * days), and whole seconds read back exactly from Linux's jiffies too.
 * Longer values are clamped to it (src/sockopt.c). */
#define BSDSOCK__TIMEO_MAX_SEC 4294967

/* The portable ranges of the keepalive options (Linux's MAX_TCP_KEEPIDLE,
 * _KEEPINTVL and _KEEPCNT; Windows takes more). */
#define BSDSOCK__KEEPTIME_MAX 32767
#define BSDSOCK__KEEPCNT_MAX 127

/* ---- scatter/gather (src/msg.c) ------------------------------------------ */

/* Checks a message's shape (see bsdsock/msg.h for the rules): its total
 * length, or the error, unrecorded. */
bsdsock_ssize_t bsdsock__msg_check(const bsdsock_msghdr_t *msg);

/* The descriptor's BSDSOCK__FD_CTL_IP4 / _IP6 bit (0 for a socket that
 * carries no IP ancillary data), learnt once per descriptor, or
 * BSDSOCK_EBADF (unrecorded). */
int bsdsock__msg_ctl_kind(int fd, bsdsock__sock_t s);

/* A received datagram's destination (4 or 16 address bytes at addr, as
 * family says: BSDSOCK_AF_INET or _INET6) and arrival interface, into
 * info (DST and IFINDEX set; an IPv6 link-local address gets the index as
 * its scope). The backends' control-data parsers share it. */
void bsdsock__msginfo_dst(bsdsock_msginfo_t *info, int family,
                          const void *addr, unsigned ifindex);

/* The interface a send's info asks for: ifindex with
 * BSDSOCK_MSGINFO_IFINDEX, else an IPv6 source's scope, else 0. */
unsigned bsdsock__msginfo_ifindex(const bsdsock_msginfo_t *info);

/* ---- readiness (src/select.c) -------------------------------------------- */

/* One wait of a backend: ready count, 0 on timeout, BSDSOCK_EINTR, or an
 * error. It may return 0 early (a clamped timeout). */
typedef int (*bsdsock__wait_fn)(void *ctx, int64_t timeout_us);

/* Calls wait(ctx, t) until it returns neither BSDSOCK_EINTR nor 0 before
 * the deadline, t being the time left of timeout_us (< 0: no limit) - the
 * EINTR policy of bsdsock.h for every wait, in one place. */
int bsdsock__wait_retry(bsdsock__wait_fn wait, void *ctx, int64_t timeout_us);

#endif /* BSDSOCK_INTERNAL_H */
