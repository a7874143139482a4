/* SPDX-License-Identifier: MIT */
/*
 * src/compat/winsock/api.c - the Winsock API on POSIX, behind the drop-in
 * <winsock2.h> (include/bsdsock/compat-src/winsock/, bsdsock/compat_winsock.h).
 *
 * A client of bsdsock's public API (docs/compat.md). A SOCKET is the
 * bsdsock descriptor (the POSIX one) widened to uintptr_t; each call
 * narrows it, converts the caller's native MSG_* flags, sockaddrs and
 * option values to bsdsock's, and calls bsdsock_*, which decides the EINTR
 * retry, SIGPIPE suppression and the answer for a call made in the wrong
 * state (src/misuse.c). What is left here is what makes it Winsock:
 * failures read as WSAE* numbers through WSAGetLastError(), int *
 * lengths, DWORD timeouts, the counted fd_set, WSAPoll's bit numbers and
 * its POLLHUP for a peer's shutdown, accepted sockets inheriting the
 * listener's mode.
 *
 * It reaches past the public API only where that has nothing to offer:
 * FIONREAD and SIOCATMARK (a raw ioctl), options bsdsock does not know (a
 * raw setsockopt/getsockopt), and the resolver, whose native struct
 * addrinfo the portable one does not return (the system's getaddrinfo and
 * getnameinfo, with bsdsock's error mapping). The opposite direction, the
 * BSD API on Windows, is src/compat/bsd/api.c.
 */
#include "../compat.h"
#include "../route.h"
#include "bsdsock/compat_winsock.h"

#include <stdatomic.h>
#include <stdlib.h>

/* The Winsock numbers this file produces itself (bsdsock/winsock.h spells
 * all of them out for programs). */
enum {
  WS_BASEERR = 10000,
  WS_NOT_ENOUGH_MEMORY = 8,
  WS_EFAULT = 10014,
  WS_EINVAL = 10022,
  WS_VERNOTSUPPORTED = 10092,
  WS_NOTINITIALISED = 10093,
  WS_SYSCALLFAILURE = 10107
};

#define INVALID_SOCKET_VALUE (~(uintptr_t)0)

/* ---- error numbers ------------------------------------------------------- */

/* Portable codes whose Winsock number is not simply WSABASEERR + the BSD
 * number: the resolver codes (ws2tcpip.h defines EAI_* as WSA numbers),
 * and conditions Winsock names differently from BSD. Rows are searched in
 * order, so the resolver rows win in the reverse direction. */
#define BSDSOCK__WSA_MAP(X)                                                  \
  X(EAI_AGAIN, 11002)      /* WSATRY_AGAIN */                                \
  X(EAI_BADFLAGS, 10022)   /* WSAEINVAL */                                   \
  X(EAI_FAIL, 11003)       /* WSANO_RECOVERY */                              \
  X(EAI_FAMILY, 10047)     /* WSAEAFNOSUPPORT */                             \
  X(EAI_ADDRFAMILY, 10047) /* WSAEAFNOSUPPORT */                             \
  X(EAI_MEMORY, 8)         /* WSA_NOT_ENOUGH_MEMORY */                       \
  X(EAI_NONAME, 11001)     /* WSAHOST_NOT_FOUND */                           \
  X(EAI_NODATA, 11004)     /* WSANO_DATA */                                  \
  X(EAI_SERVICE, 10109)    /* WSATYPE_NOT_FOUND */                           \
  X(EAI_SOCKTYPE, 10044)   /* WSAESOCKTNOSUPPORT */                          \
  X(EAI_BADHINTS, 10022)   /* WSAEINVAL */                                   \
  X(EAI_PROTOCOL, 10043)   /* WSAEPROTONOSUPPORT */                          \
  X(EAI_OVERFLOW, 10014)   /* WSAEFAULT */                                   \
  /* A non-blocking connect in progress is WSAEWOULDBLOCK (quirk Q18). */   \
  X(EINPROGRESS, 10035)                                                      \
  /* bsdsock's EBADF (a closed number, a file, INVALID_SOCKET) is what    \
   * Winsock calls WSAENOTSOCK. */                                           \
  X(EBADF, 10038)                                                            \
  /* bsdsock says EPIPE for a send on a stream still connected, that is   \
   * after our own shutdown(SD_SEND), where Winsock says WSAESHUTDOWN; a   \
   * connection that was lost is ECONNRESET (WSAECONNRESET), one never    \
   * made ENOTCONN (src/misuse.c; quirk Q16, faults F8/F10). */              \
  X(EPIPE, 10058)

struct wsa_row {
  int portable;
  int wsa;
};

static const struct wsa_row wsa_map[] = {
#define BSDSOCK__ROW(name, wsa) {BSDSOCK_##name, wsa},
    BSDSOCK__WSA_MAP(BSDSOCK__ROW)
#undef BSDSOCK__ROW
};

#define WSA_MAP_SIZE (sizeof(wsa_map) / sizeof(wsa_map[0]))

static int wsa_from_portable(int portable) {
  size_t i;
  int n = -portable;
  if (portable == 0) return 0;
  for (i = 0; i < WSA_MAP_SIZE; i++)
    if (wsa_map[i].portable == portable) return wsa_map[i].wsa;
  if (n > 0 && n < 100) return WS_BASEERR + n;  /* the BSD block */
  if (n > WS_BASEERR) return n;  /* Winsock-only codes keep their number */
  return WS_SYSCALLFAILURE;      /* BSDSOCK_EUNKNOWN */
}

/* The portable code of a Winsock number: the resolver rows first (this
 * serves gai_strerror), then the BSD block. */
static int portable_from_wsa(int wsa) {
  size_t i;
  for (i = 0; i < WSA_MAP_SIZE; i++)
    if (wsa_map[i].wsa == wsa && wsa_map[i].portable <= BSDSOCK_EAI_ADDRFAMILY)
      return wsa_map[i].portable;
  if (wsa > WS_BASEERR && wsa < WS_BASEERR + 100) return -(wsa - WS_BASEERR);
  return wsa > WS_BASEERR ? -wsa : BSDSOCK_EUNKNOWN;
}

/* An errno value that means wsa, or 0 if none does. WSABASEERR + n is BSD
 * errno n even where a resolver row shares the number (WSAEINVAL). */
static int errno_from_wsa(int wsa) {
  if (wsa > WS_BASEERR && wsa < WS_BASEERR + 100)
    return bsdsock__os_crt_errno(-(wsa - WS_BASEERR));
  return bsdsock__os_crt_errno(portable_from_wsa(wsa));
}

/* The thread's WSASetLastError() value, for the numbers errno cannot
 * carry. errno holds a set value when it has one that reads back as the
 * same number; any other value is kept here, with errno set to 0, which
 * no failing call leaves behind. Either way the next failing call sets
 * errno and its error wins, even when it is the errno the set value had
 * (WSAEBADF and WSAENOTSOCK are both EBADF). */
static _Thread_local struct {
  int wsa;
  int valid;
} last;

void bsdsock_compat_wsasetlasterror(int err) {
  int native = errno_from_wsa(err);
  if (native != 0 &&
      wsa_from_portable(bsdsock_translate_error(native)) == err) {
    errno = native;
    last.valid = 0;
  } else {
    errno = 0;
    last.wsa = err;
    last.valid = 1;
  }
}

int bsdsock_compat_wsagetlasterror(void) {
  if (errno == 0 && last.valid) return last.wsa;
  last.valid = 0;
  return wsa_from_portable(bsdsock_translate_error(errno));
}

/* Failures, SOCKET_ERROR each: with bsdsock's portable code, carried by
 * errno (bsdsock__compat_fail) for WSAGetLastError() to translate; with
 * errno as a raw system call left it; with a Winsock number of its own. */
static int fail(int portable) {
  last.valid = 0;
  return bsdsock__compat_fail(portable);
}

static int fail_errno(void) {
  last.valid = 0;
  return -1;
}

static int ws_fail(int wsa) {
  bsdsock_compat_wsasetlasterror(wsa);
  return -1;
}

/* The result of a bsdsock call that returns 0 or a portable error. */
static int ret(int rc) {
  return rc < 0 ? fail(rc) : rc;
}

/* ---- start-up ------------------------------------------------------------ */

static atomic_int startups;

int bsdsock_compat_wsastartup(uint16_t version, struct bsdsock_wsadata *data) {
  unsigned major = version & 0xff, minor = version >> 8;
  if (major == 0) return WS_VERNOTSUPPORTED;
  if (data == NULL) return WS_EFAULT;
  memset(data, 0, sizeof(*data));
  /* The version the caller gets is the one it asked for, capped at the
   * highest there is (2.2), as ws2_32.dll does. */
  data->wVersion = (major > 2 || (major == 2 && minor > 2)) ? 0x0202 : version;
  data->wHighVersion = 0x0202;
  strcpy(data->szDescription, "bsdsock Winsock emulation");
  strcpy(data->szSystemStatus, "Running");
  atomic_fetch_add(&startups, 1);
  return 0;
}

int bsdsock_compat_wsacleanup(void) {
  int n = atomic_load(&startups);
  do {
    if (n == 0) return ws_fail(WS_NOTINITIALISED);
  } while (!atomic_compare_exchange_weak(&startups, &n, n - 1));
  return 0;
}

/* Sleep(): bsdsock_poll() with no entries sleeps, and a signal does not
 * cut it short (quirk Q17, fault F27). */
void bsdsock_compat_sleep(unsigned long ms) {
  int e = errno;
  while (ms > 0) {
    int part = ms > (unsigned long)INT_MAX ? INT_MAX : (int)ms;
    bsdsock_poll(NULL, 0, part);
    ms -= (unsigned long)part;
  }
  errno = e;
}

/* ---- sockets ------------------------------------------------------------- */

/* The descriptor in a SOCKET; -1 for values no descriptor has,
 * INVALID_SOCKET included, which bsdsock rejects with EBADF (read as
 * WSAENOTSOCK). */
static int fd_of(uintptr_t s) {
  return s <= (uintptr_t)INT_MAX ? (int)s : -1;
}

/* Whose SO_REUSEADDR a TCP socket has, by descriptor number: the one
 * socket() turned on (REUSE_IMPLICIT), which getsockopt() hides, or the
 * program's own. Cleared when the number is handed out again (socket(),
 * accept()) and at closesocket(); numbers beyond the table are not
 * tracked, and getsockopt() reads what the system says for them. */
enum { REUSE_IMPLICIT = 1, REUSE_TRACKED = 65536 };
static atomic_uchar reuse_state[REUSE_TRACKED];

static int reuse_get(int fd) {
  return fd >= 0 && fd < REUSE_TRACKED ? atomic_load(&reuse_state[fd]) : 0;
}

static void reuse_put(int fd, int state) {
  if (fd >= 0 && fd < REUSE_TRACKED)
    atomic_store(&reuse_state[fd], (unsigned char)state);
}

int bsdsock_compat_closesocket(uintptr_t s) {
  /* Cleared first: once closed, the number may be another thread's new
   * socket. */
  reuse_put(fd_of(s), 0);
  return ret(bsdsock__route_close(fd_of(s)));
}

/* Transparent mode: a socket of the server (docs/wire.md); the Windows
 * defaults below are then the server's business. */
static uintptr_t remote_socket(int af, int type, int protocol) {
  int paf, ptype, pproto, fd, rc;
  if (bsdsock_const_from_native(BSDSOCK_CONST_AF, af, &paf) != 0) {
    fail(BSDSOCK_EAFNOSUPPORT);
    return INVALID_SOCKET_VALUE;
  }
  if ((rc = bsdsock__compat_kind_in(type, protocol, &ptype, &pproto)) != 0) {
    fail(rc);
    return INVALID_SOCKET_VALUE;
  }
  fd = bsdsock__route_socket(paf, ptype, pproto);
  if (fd < 0) {
    fail(fd);
    return INVALID_SOCKET_VALUE;
  }
  return (uintptr_t)fd;
}

uintptr_t bsdsock_compat_ws_socket(int af, int type, int protocol) {
  int fd, one = 1, e;
  if (bsdsock__route_mode()) return remote_socket(af, type, protocol);
  fd = socket(af, type, protocol);
  if (fd < 0) {
    fail_errno();
    return INVALID_SOCKET_VALUE;
  }
  reuse_put(fd, 0);
  /* Windows lets a TCP socket bind a port that only connections in
   * TIME_WAIT hold, so a server restarted at once gets its port back;
   * Linux refuses that unless SO_REUSEADDR is on, both for the new socket
   * and for the one whose connection lingers (quirk Q46). Linux's
   * SO_REUSEADDR still refuses a port that has a listener, so turning it
   * on for every TCP socket from the start (accepted ones inherit it)
   * gives Windows' rule: over TIME_WAIT yes, onto a live listener never
   * (WSAEADDRINUSE). The program's own setsockopt(SO_REUSEADDR) replaces
   * it; until then getsockopt() reads Windows' default, 0. */
  if ((af == AF_INET || af == AF_INET6) && (type & 0xf) == SOCK_STREAM &&
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0)
    reuse_put(fd, REUSE_IMPLICIT);
  /* Windows' IPv6 sockets are IPv6-only (quirk Q45): a Winsock server
   * binds 0.0.0.0 and :: to one port with two sockets, which Linux's
   * default (mapped IPv4 on the :: socket) refuses with WSAEADDRINUSE. */
  if (af == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
                                   sizeof(one)) != 0) {
    e = errno;
    reuse_put(fd, 0);
    close(fd);
    errno = e;
    fail_errno();
    return INVALID_SOCKET_VALUE;
  }
  return (uintptr_t)fd;
}

int bsdsock_compat_ioctlsocket(uintptr_t s, long cmd, unsigned long *argp) {
  int fd = fd_of(s), v;
  /* The descriptor first, as Winsock (and bsdsock's argument order) has
   * it: a number that is not an open socket is WSAENOTSOCK whatever the
   * command, and a file is left alone (Linux's ioctl would set a file's
   * O_NONBLOCK for FIONBIO and answer FIONREAD for it). */
  bsdsock_os_sock_t h = bsdsock_native_handle(fd);
  int remote = bsdsock__route_is_remote(fd);
  if (h == BSDSOCK_OS_SOCK_INVALID && !remote) return fail(BSDSOCK_EBADF);
  if (argp == NULL) return ws_fail(WS_EFAULT);
  /* Winsock's argument is a u_long, Linux's an int (quirk Q5). */
  if (cmd == (long)FIONBIO)
    return ret(bsdsock__route_set_nonblocking(fd, *argp != 0));
  if (remote) return fail(BSDSOCK_EOPNOTSUPP);  /* no remote ioctl */
  if (cmd != (long)FIONREAD && cmd != (long)SIOCATMARK)
    return ws_fail(WS_EINVAL);
  /* FIONREAD and SIOCATMARK have no bsdsock call: the raw ioctl. */
  if (ioctl(h, (unsigned long)cmd, &v) != 0) return fail_errno();
  *argp = (unsigned long)v;
  return 0;
}

int bsdsock_compat_ws_connect(uintptr_t s, const struct sockaddr *addr,
                              int addrlen) {
  bsdsock_addr_t a;
  int rc = bsdsock__compat_addr_in(&a, addr, addrlen);
  /* A missing or short address is WSAEFAULT. */
  if (rc == BSDSOCK_EINVAL) return ws_fail(WS_EFAULT);
  if (rc != 0) return fail(rc);
  return ret(bsdsock__route_connect(fd_of(s), &a));
}

uintptr_t bsdsock_compat_ws_accept(uintptr_t s, struct sockaddr *addr,
                                   int *addrlen) {
  bsdsock_addr_t peer;
  int fd = fd_of(s), c, rc;
  if (!bsdsock__compat_addr_out_ok(addr, addrlen)) {
    ws_fail(WS_EFAULT);
    return INVALID_SOCKET_VALUE;
  }
  c = bsdsock__route_accept(fd, addr ? &peer : NULL);
  if (c < 0) {
    fail(c);
    return INVALID_SOCKET_VALUE;
  }
  /* A Winsock socket accepted from a non-blocking listener is
   * non-blocking too; bsdsock's starts blocking whatever the listener. */
  if (bsdsock__route_get_nonblocking(fd) == 1 &&
      (rc = bsdsock__route_set_nonblocking(c, 1)) != 0) {
    bsdsock__route_close(c);
    fail(rc);
    return INVALID_SOCKET_VALUE;
  }
  reuse_put(c, reuse_get(fd));  /* as the listener's, which it inherits */
  bsdsock__compat_addr_out(&peer, addr, addrlen);
  return (uintptr_t)c;
}

static int name_of(uintptr_t s, struct sockaddr *addr, int *addrlen,
                   int (*get)(int, bsdsock_addr_t *)) {
  bsdsock_addr_t a;
  int rc;
  if (addr == NULL || !bsdsock__compat_addr_out_ok(addr, addrlen))
    return ws_fail(WS_EFAULT);
  rc = get(fd_of(s), &a);
  if (rc != 0) return fail(rc);
  bsdsock__compat_addr_out(&a, addr, addrlen);
  return 0;
}

int bsdsock_compat_ws_getsockname(uintptr_t s, struct sockaddr *addr,
                                  int *addrlen) {
  return name_of(s, addr, addrlen, bsdsock__route_getsockname);
}

int bsdsock_compat_ws_getpeername(uintptr_t s, struct sockaddr *addr,
                                  int *addrlen) {
  return name_of(s, addr, addrlen, bsdsock__route_getpeername);
}

/* ---- data ---------------------------------------------------------------- */

/* The caller's native MSG_* flags as bsdsock's (0 at no cost, the usual
 * case): 0, or BSDSOCK_EINVAL for a bit bsdsock does not know. */
static int msg_flags(int native, int *portable) {
  *portable = 0;
  return native == 0 ? 0
                     : bsdsock_const_from_native(BSDSOCK_CONST_MSG, native,
                                                 portable);
}

/* A data call that bsdsock failed with rc; flags are its portable flags.
 * An expired SO_RCVTIMEO/SO_SNDTIMEO is EAGAIN in bsdsock and POSIX, and
 * WSAETIMEDOUT in Winsock on a blocking socket (quirk Q47); a non-blocking
 * socket, or a call with MSG_DONTWAIT, keeps WSAEWOULDBLOCK. */
static int data_fail(int fd, int flags, bsdsock_ssize_t rc) {
  size_t len = sizeof(int);
  int type = 0;
  if (rc == BSDSOCK_EAGAIN && !(flags & BSDSOCK_MSG_DONTWAIT) &&
      bsdsock__route_get_nonblocking(fd) == 0)
    rc = BSDSOCK_ETIMEDOUT;
  /* An ICMP port unreachable for a connected UDP socket is ECONNREFUSED
   * on Linux and WSAECONNRESET on Windows (quirk Q51), which is what a
   * Winsock program tests for. */
  if (rc == BSDSOCK_ECONNREFUSED &&
      bsdsock__route_getsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_TYPE,
                                &type, &len) == 0 &&
      type == BSDSOCK_SOCK_DGRAM)
    rc = BSDSOCK_ECONNRESET;
  return fail((int)rc);
}

int bsdsock_compat_ws_send(uintptr_t s, const void *buf, int len, int flags) {
  return bsdsock_compat_ws_sendto(s, buf, len, flags, NULL, 0);
}

int bsdsock_compat_ws_sendto(uintptr_t s, const void *buf, int len, int flags,
                             const struct sockaddr *to, int tolen) {
  bsdsock_addr_t a;
  bsdsock_ssize_t n;
  int fd = fd_of(s), pflags, rc;
  if (len < 0) return ws_fail(WS_EFAULT);
  if (msg_flags(flags, &pflags) != 0) return fail(BSDSOCK_EINVAL);
  if (to != NULL) {
    rc = bsdsock__compat_addr_in(&a, to, tolen);
    if (rc == BSDSOCK_EINVAL) return ws_fail(WS_EFAULT);  /* short tolen */
    if (rc != 0) return fail(rc);
  }
  /* bsdsock never raises SIGPIPE, as Winsock never does. */
  n = bsdsock__route_sendto(fd, buf, (size_t)len, pflags,
                            to != NULL ? &a : NULL);
  return n < 0 ? data_fail(fd, pflags, n) : (int)n;
}

int bsdsock_compat_ws_recv(uintptr_t s, void *buf, int len, int flags) {
  return bsdsock_compat_ws_recvfrom(s, buf, len, flags, NULL, NULL);
}

int bsdsock_compat_ws_recvfrom(uintptr_t s, void *buf, int len, int flags,
                               struct sockaddr *from, int *fromlen) {
  bsdsock_addr_t a;
  bsdsock_ssize_t n;
  int fd = fd_of(s), pflags;
  if (len < 0 || !bsdsock__compat_addr_out_ok(from, fromlen))
    return ws_fail(WS_EFAULT);
  if (msg_flags(flags, &pflags) != 0) return fail(BSDSOCK_EINVAL);
  n = bsdsock__route_recvfrom(fd, buf, (size_t)len, pflags,
                              from ? &a : NULL);
  if (n < 0) return data_fail(fd, pflags, n);
  bsdsock__compat_addr_out(&a, from, fromlen);
  return (int)n;
}

/* ---- options ------------------------------------------------------------- */

/* Options bsdsock does not know (Linux's own, such as SO_REUSEPORT or
 * TCP_KEEPIDLE) go to the system as they are, on a socket bsdsock vouches
 * for: there is no bsdsock call to express them. */
static int raw_setsockopt(int fd, int level, int name, const void *value,
                          int len) {
  bsdsock_os_sock_t h = bsdsock_native_handle(fd);
  /* A remote socket takes only options with a portable number. */
  if (bsdsock__route_is_remote(fd)) return fail(BSDSOCK_ENOPROTOOPT);
  if (h == BSDSOCK_OS_SOCK_INVALID) return fail(BSDSOCK_EBADF);
  if (setsockopt(h, level, name, value, (socklen_t)len) != 0)
    return fail_errno();
  return 0;
}

static int raw_getsockopt(int fd, int level, int name, void *value,
                          int *len) {
  bsdsock_os_sock_t h = bsdsock_native_handle(fd);
  socklen_t l = (socklen_t)*len;
  if (bsdsock__route_is_remote(fd)) return fail(BSDSOCK_ENOPROTOOPT);
  if (h == BSDSOCK_OS_SOCK_INVALID) return fail(BSDSOCK_EBADF);
  if (getsockopt(h, level, name, value, &l) != 0) return fail_errno();
  *len = (int)l;
  return 0;
}

/* Winsock's SO_EXCLUSIVEADDRUSE, which the drop-in header defines as
 * ~SO_REUSEADDR as Windows does. */
#define WS_SO_EXCLUSIVEADDRUSE ((int)(~SO_REUSEADDR))

static int ws_setsockopt(uintptr_t s, int level, int name,
                         const void *value, int len) {
  const struct bsdsock__optdesc *d;
  union bsdsock__compat_opt v;
  int fd = fd_of(s), plevel, pname;
  if (len < 0 || (value == NULL && len > 0)) return ws_fail(WS_EFAULT);
  /* Every POSIX socket already has the exclusive binding Winsock's
   * SO_EXCLUSIVEADDRUSE asks for (no live-port sharing without
   * SO_REUSEPORT; quirk Q10): accepted on any socket, and nothing to do. */
  if (level == SOL_SOCKET && name == WS_SO_EXCLUSIVEADDRUSE) {
    if (len < 1) return ws_fail(WS_EFAULT);
    return bsdsock_native_handle(fd) == BSDSOCK_OS_SOCK_INVALID &&
                   !bsdsock__route_is_remote(fd)
               ? fail(BSDSOCK_EBADF)
               : 0;
  }
  if (bsdsock_sockopt_from_native(level, name, &plevel, &pname) != 0 ||
      (d = bsdsock__opt_find(plevel, pname)) == NULL)
    return raw_setsockopt(fd, level, name, value, len);
  /* The Winsock shapes (a DWORD of milliseconds, a one-byte boolean)
   * become bsdsock's types; a value too short for its shape is
   * WSAEFAULT. */
  if (value == NULL || bsdsock__compat_opt_in(d, value, len, &v) != 0)
    return ws_fail(WS_EFAULT);
  return ret(bsdsock__route_setsockopt(fd, plevel, pname, &v,
                                bsdsock__opt_size(d->type)));
}

/* The program's own SO_REUSEADDR replaces the one socket() set. */
int bsdsock_compat_ws_setsockopt(uintptr_t s, int level, int name,
                                 const void *value, int len) {
  int rc = ws_setsockopt(s, level, name, value, len);
  if (rc == 0 && level == SOL_SOCKET && name == SO_REUSEADDR)
    reuse_put(fd_of(s), 0);
  return rc;
}

static int ws_getsockopt(uintptr_t s, int level, int name, void *value,
                         int *len) {
  const struct bsdsock__optdesc *d;
  union bsdsock__compat_opt v;
  size_t n = sizeof(v);
  int fd = fd_of(s), plevel, pname, rc;
  /* No value is empty: checked before SO_ERROR is read (and cleared). */
  if (len == NULL || value == NULL || *len <= 0) return ws_fail(WS_EFAULT);
  if (bsdsock_sockopt_from_native(level, name, &plevel, &pname) != 0 ||
      (d = bsdsock__opt_find(plevel, pname)) == NULL)
    return raw_getsockopt(fd, level, name, value, len);
  rc = bsdsock__route_getsockopt(fd, plevel, pname, &v, &n);
  if (rc != 0) return fail(rc);
  /* SO_ERROR is a portable code in bsdsock; Winsock code expects a WSA
   * number. */
  if (d->type == BSDSOCK__OPT_ERROR) v.i = wsa_from_portable(v.i);
  /* Timeouts go out as Winsock's DWORD of milliseconds (quirk Q47). */
  if (bsdsock__compat_opt_out(d, &v, value, len, 1) != 0)
    return ws_fail(WS_EFAULT);
  return 0;
}

/* The SO_REUSEADDR socket() turned on reads as Windows' default, 0. */
int bsdsock_compat_ws_getsockopt(uintptr_t s, int level, int name,
                                 void *value, int *len) {
  int rc = ws_getsockopt(s, level, name, value, len);
  if (rc == 0 && level == SOL_SOCKET && name == SO_REUSEADDR &&
      reuse_get(fd_of(s)) == REUSE_IMPLICIT)
    memset(value, 0, (size_t)*len);
  return rc;
}

/* ---- select and WSAPoll -------------------------------------------------- */

/* The layout of Winsock's fd_set whatever its FD_SETSIZE (quirk Q26). */
struct ws_set {
  unsigned int fd_count;
  uintptr_t fd_array[];
};

static struct ws_set *ws_set_of(struct bsdsock_ws_fd_set *set) {
  return (struct ws_set *)(void *)set;
}

static size_t set_count(struct bsdsock_ws_fd_set *set) {
  return set ? ws_set_of(set)->fd_count : 0;
}

/* Winsock's timeout in milliseconds for bsdsock_poll (-1: none). A
 * negative one is no wait, as Winsock treats it; a partial millisecond
 * counts as one, so the wait is never shorter than asked. */
static int timeval_ms(const struct timeval *tv) {
  long long ms;
  if (tv == NULL) return -1;
  if (tv->tv_sec < 0 || tv->tv_usec < 0) return 0;
  ms = (long long)tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000;
  return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* A bsdsock_pollfd_t array of n entries: stack when it fits, else heap. */
#define STACK_ENTRIES 64

static bsdsock_pollfd_t *entries(bsdsock_pollfd_t *stack, size_t n) {
  if (n <= STACK_ENTRIES) return stack;
  if (n > SIZE_MAX / sizeof(*stack)) return NULL;
  return malloc(n * sizeof(*stack));
}

/* Winsock's select() is bsdsock_poll() over one entry per set member
 * rather than bsdsock_select(): its sets are lists of sockets, not
 * bitmasks, and it needs the POLLERR that bsdsock_select() folds into the
 * write set (bsdsock's contract, Linux's rule).
 *
 * What each Winsock set asks bsdsock_poll for and reads back: the read
 * set is readable, at end of stream, reset or failed; the write set is
 * writable and not failed (a failed non-blocking connect is writable with
 * POLLERR on POSIX, and Winsock shows it only in the except set, quirk
 * Q20); the except set has urgent data or an error. */
static const struct {
  short asked, ready, veto;
} select_bits[3] = {
    {BSDSOCK_POLLIN,
     BSDSOCK_POLLIN | BSDSOCK_POLLRDNORM | BSDSOCK_POLLRDBAND |
         BSDSOCK_POLLHUP | BSDSOCK_POLLERR,
     0},
    {BSDSOCK_POLLOUT, BSDSOCK_POLLOUT | BSDSOCK_POLLWRBAND, BSDSOCK_POLLERR},
    {BSDSOCK_POLLPRI, BSDSOCK_POLLPRI | BSDSOCK_POLLERR, 0},
};

int bsdsock_compat_ws_select(int nfds, struct bsdsock_ws_fd_set *readfds,
                             struct bsdsock_ws_fd_set *writefds,
                             struct bsdsock_ws_fd_set *exceptfds,
                             const struct timeval *timeout) {
  struct bsdsock_ws_fd_set *sets[3];
  bsdsock_pollfd_t stack[STACK_ENTRIES], *p;
  size_t total = 0, i, j, k;
  int rc = 0;
  (void)nfds;  /* ignored, as by Winsock (quirk Q27) */
  sets[0] = readfds;
  sets[1] = writefds;
  sets[2] = exceptfds;
  for (j = 0; j < 3; j++) total += set_count(sets[j]);
  /* Nothing to wait for is WSAEINVAL at once on Windows, where Sleep()
   * is the way to wait; waiting here instead would be for ever without a
   * timeout. */
  if (total == 0) return ws_fail(WS_EINVAL);
  p = entries(stack, total);
  if (p == NULL) return ws_fail(WS_NOT_ENOUGH_MEMORY);
  /* One entry per set member: bsdsock_poll takes a descriptor twice. A
   * SOCKET no descriptor has is not a socket (quirk Q30), and neither is
   * a file: Linux's poll() calls a regular file ready at once, where
   * Winsock fails the call with WSAENOTSOCK (docs/quirks.md, Z8). The
   * check is one getsockopt() per member, on a call that waits anyway. */
  for (j = 0, k = 0; j < 3; j++) {
    for (i = 0; i < set_count(sets[j]); i++, k++) {
      p[k].fd = fd_of(ws_set_of(sets[j])->fd_array[i]);
      p[k].events = select_bits[j].asked;
      p[k].revents = 0;
      if (rc == 0 &&
          bsdsock_native_handle(p[k].fd) == BSDSOCK_OS_SOCK_INVALID &&
          !bsdsock__route_is_remote(p[k].fd))
        rc = BSDSOCK_EBADF;
    }
  }
  if (rc == 0)
    rc = bsdsock__route_poll(p, total, timeval_ms(timeout), bsdsock_poll);
  /* A closed socket in a set fails the call and leaves the sets
   * unchanged (quirk Q30). */
  for (k = 0; rc > 0 && k < total; k++)
    if (p[k].revents & BSDSOCK_POLLNVAL) rc = BSDSOCK_EBADF;
  if (rc >= 0) {
    rc = 0;
    for (j = 0, k = 0; j < 3; j++) {
      struct ws_set *ws = sets[j] ? ws_set_of(sets[j]) : NULL;
      unsigned kept = 0;
      for (i = 0; i < set_count(sets[j]); i++, k++)
        if ((p[k].revents & select_bits[j].ready) &&
            !(p[k].revents & select_bits[j].veto))
          ws->fd_array[kept++] = ws->fd_array[i];
      if (ws != NULL) ws->fd_count = kept;
      rc += (int)kept;
    }
  }
  if (p != stack) free(p);
  return ret(rc);
}

int bsdsock_compat_ws_fdisset(uintptr_t s, struct bsdsock_ws_fd_set *set) {
  size_t i, n = set_count(set);
  for (i = 0; i < n; i++)
    if (ws_set_of(set)->fd_array[i] == s) return 1;
  return 0;
}

/* Winsock's POLL* numbers (winsock2.h) against bsdsock's bits. */
#define WS_POLLRDNORM 0x0100
#define WS_POLLRDBAND 0x0200
#define WS_POLLPRI 0x0400
#define WS_POLLWRNORM 0x0010
#define WS_POLLWRBAND 0x0020
#define WS_POLLERR 0x0001
#define WS_POLLHUP 0x0002
#define WS_POLLNVAL 0x0004
#define WS_POLLOUTPUT (WS_POLLERR | WS_POLLHUP | WS_POLLNVAL)

static const struct {
  short ws, portable;
} wsapoll_bits[] = {
    {WS_POLLRDNORM, BSDSOCK_POLLIN | BSDSOCK_POLLRDNORM},
    {WS_POLLRDBAND, BSDSOCK_POLLRDBAND},
    {WS_POLLPRI, BSDSOCK_POLLPRI},
    {WS_POLLWRNORM, BSDSOCK_POLLOUT},  /* POLLWRNORM = POLLOUT in both */
    {WS_POLLWRBAND, BSDSOCK_POLLWRBAND},
    {WS_POLLERR, BSDSOCK_POLLERR},
    {WS_POLLHUP, BSDSOCK_POLLHUP},
    {WS_POLLNVAL, BSDSOCK_POLLNVAL},
};

static short poll_bits(short in, int to_portable) {
  short out = 0;
  size_t i;
  for (i = 0; i < sizeof(wsapoll_bits) / sizeof(wsapoll_bits[0]); i++) {
    short from = to_portable ? wsapoll_bits[i].ws : wsapoll_bits[i].portable;
    short to = to_portable ? wsapoll_bits[i].portable : wsapoll_bits[i].ws;
    if (in & from) out |= to;
  }
  return out;
}

/* Whether a stream socket that polls readable is at end of stream: the
 * peer shut down its sending side or closed, and what it sent before has
 * been read. Winsock's WSAPoll says POLLHUP then, where bsdsock (as
 * Linux) says POLLIN (quirk Q37); a zero-byte peek tells the two apart
 * (on a datagram socket it is an empty datagram). The probe leaves errno
 * as it was: it is not the caller's failure. */
static int at_end_of_stream(int fd) {
  size_t len = sizeof(int);
  int type = 0, e = errno, eof;
  char c;
  eof = bsdsock__route_recv(fd, &c, 1,
                            BSDSOCK_MSG_PEEK | BSDSOCK_MSG_DONTWAIT) == 0 &&
        bsdsock__route_getsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_TYPE, &type,
                           &len) == 0 &&
        type == BSDSOCK_SOCK_STREAM;
  errno = e;
  return eof;
}

int bsdsock_compat_wsapoll(struct bsdsock_ws_pollfd *fds, unsigned long nfds,
                           int timeout_ms) {
  bsdsock_pollfd_t stack[STACK_ENTRIES], *p;
  unsigned long i;
  int rc;
  if (fds == NULL && nfds > 0) return ws_fail(WS_EFAULT);
  p = entries(stack, (size_t)nfds);
  if (p == NULL) return ws_fail(WS_NOT_ENOUGH_MEMORY);
  for (i = 0; i < nfds; i++) {
    /* An entry no descriptor has (INVALID_SOCKET included) gets -1, which
     * bsdsock_poll skips. */
    p[i].fd = fd_of(fds[i].fd);
    p[i].events = poll_bits(fds[i].events, 1);
    p[i].revents = 0;
  }
  rc = bsdsock__route_poll(p, (size_t)nfds, timeout_ms < 0 ? -1 : timeout_ms,
                           bsdsock_poll);
  if (rc >= 0) {
    rc = 0;
    for (i = 0; i < nfds; i++) {
      short rev = p[i].revents;
      /* INVALID_SOCKET reads POLLNVAL and is not counted (quirk Q36). */
      if (fds[i].fd == INVALID_SOCKET_VALUE) {
        fds[i].revents = WS_POLLNVAL;
        continue;
      }
      if ((rev & BSDSOCK_POLLIN) &&
          !(rev & (BSDSOCK_POLLHUP | BSDSOCK_POLLERR)) &&
          at_end_of_stream(p[i].fd))
        rev |= BSDSOCK_POLLHUP;
      fds[i].revents =
          (short)(poll_bits(rev, 0) & (fds[i].events | WS_POLLOUTPUT));
      if (fds[i].revents) rc++;
    }
  }
  if (p != stack) free(p);
  return ret(rc);
}

/* ---- resolver ------------------------------------------------------------ */

/* The system's resolver stays: legacy code wants its native struct
 * addrinfo, which bsdsock_getaddrinfo does not return. Its failures go
 * through bsdsock's mapping (bsdsock__gai_fail) to Winsock's numbers,
 * returned and left for WSAGetLastError(). */
static int gai_fail(int rc) {
  int wsa = wsa_from_portable(bsdsock__gai_fail(rc));
  bsdsock_compat_wsasetlasterror(wsa);
  return wsa;
}

int bsdsock_compat_ws_getaddrinfo(const char *node, const char *service,
                                  const struct addrinfo *hints,
                                  struct addrinfo **res) {
  /* Transparent mode: the server's resolver (docs/wire.md). */
  int rc = bsdsock__route_mode()
               ? bsdsock__compat_remote_gai(node, service, hints, res)
               : getaddrinfo(node, service, hints, res);
  return rc == 0 ? 0 : gai_fail(rc);
}

void bsdsock_compat_ws_freeaddrinfo(struct addrinfo *ai) {
  if (ai == NULL) return;
  if (bsdsock__route_mode())
    bsdsock__compat_remote_freeai(ai);
  else
    freeaddrinfo(ai);
}

/* ---- bind, listen, shutdown: the system's, or the server's ---------------- */

int bsdsock_compat_ws_bind(uintptr_t s, const struct sockaddr *addr,
                           int addrlen) {
  bsdsock_addr_t a;
  int fd = fd_of(s), rc;
  if (!bsdsock__route_is_remote(fd))
    return bind(fd, addr, addrlen < 0 ? 0 : (socklen_t)addrlen);
  rc = bsdsock__compat_addr_in(&a, addr, addrlen);
  if (rc == BSDSOCK_EINVAL) return ws_fail(WS_EFAULT);
  if (rc != 0) return fail(rc);
  return ret(bsdsock__route_bind(fd, &a));
}

int bsdsock_compat_ws_listen(uintptr_t s, int backlog) {
  int fd = fd_of(s);
  if (!bsdsock__route_is_remote(fd)) return listen(fd, backlog);
  return ret(bsdsock__route_listen(fd, backlog));
}

int bsdsock_compat_ws_shutdown(uintptr_t s, int how) {
  int fd = fd_of(s), phow;
  if (!bsdsock__route_is_remote(fd)) return shutdown(fd, how);
  if (bsdsock_const_from_native(BSDSOCK_CONST_SHUT, how, &phow) != 0)
    return ws_fail(WS_EINVAL);
  return ret(bsdsock__route_shutdown(fd, phow));
}

int bsdsock_compat_ws_getnameinfo(const struct sockaddr *addr, int addrlen,
                                  char *host, unsigned long hostlen,
                                  char *serv, unsigned long servlen,
                                  int flags) {
  int rc;
  if (addrlen < 0 || hostlen > UINT32_MAX || servlen > UINT32_MAX)
    return gai_fail(EAI_FAIL);
  if (bsdsock__route_mode()) {
    /* Transparent mode: the server's resolver, its code as a WSA one. */
    bsdsock_addr_t a;
    int pflags = 0, wsa;
    if (bsdsock__compat_addr_in(&a, addr, addrlen) != 0)
      return gai_fail(EAI_FAMILY);
    if (flags != 0 &&
        bsdsock_const_from_native(BSDSOCK_CONST_NI, flags, &pflags) != 0)
      return gai_fail(EAI_BADFLAGS);
    rc = bsdsock__route_getnameinfo(&a, host, hostlen, serv, servlen, pflags);
    if (rc == 0) return 0;
    wsa = wsa_from_portable(rc);
    bsdsock_compat_wsasetlasterror(wsa);
    return wsa;
  }
  rc = getnameinfo(addr, (socklen_t)addrlen, host, (socklen_t)hostlen, serv,
                   (socklen_t)servlen, flags);
  return rc == 0 ? 0 : gai_fail(rc);
}

const char *bsdsock_compat_ws_gai_strerror(int err) {
  return bsdsock_strerror(portable_from_wsa(err));
}

/* The gethostbyname() family reports through h_errno, which Winsock
 * programs read as WSAGetLastError() (Winsock's h_errno is that call). */
static int wsa_from_herrno(int h) {
  switch (h) {
    case HOST_NOT_FOUND: return 11001; /* WSAHOST_NOT_FOUND */
    case TRY_AGAIN: return 11002;      /* WSATRY_AGAIN */
    case NO_RECOVERY: return 11003;    /* WSANO_RECOVERY */
    case NO_DATA: return 11004;        /* WSANO_DATA */
    /* NETDB_INTERNAL: a local failure, whose errno glibc's NSS modules
     * leave unreliable (a missing nscd socket says ENOENT). */
    default: return 11003;             /* WSANO_RECOVERY */
  }
}

/* A successful lookup leaves the last error as it was, as on Windows:
 * glibc's NSS modules set errno on the way (a missing nscd socket). */
static struct hostent *host_result(struct hostent *h, int saved_errno) {
  if (h == NULL) {
    ws_fail(wsa_from_herrno(h_errno));
    return NULL;
  }
  errno = saved_errno;
  return h;
}

struct hostent *bsdsock_compat_ws_gethostbyname(const char *name) {
  char self[256];
  int e = errno;
  /* Transparent mode: the server's resolver, its h_errno as WSA codes. */
  if (bsdsock__route_mode() && name != NULL && name[0] != '\0') {
    struct hostent *he = bsdsock__compat_remote_hostent(name);
    if (he == NULL) ws_fail(wsa_from_herrno(h_errno));
    return he;
  }
  /* Winsock resolves NULL or "" as the local host's own name. */
  if (name == NULL || name[0] == '\0') {
    if (gethostname(self, sizeof(self)) != 0) {
      fail_errno();
      return NULL;
    }
    self[sizeof(self) - 1] = '\0';
    name = self;
  }
  errno = 0;
  return host_result(gethostbyname(name), e);
}

struct hostent *bsdsock_compat_ws_gethostbyaddr(const char *addr, int len,
                                                int type) {
  int e = errno;
  /* An address shorter than its family's is WSAEFAULT on Windows. */
  if (addr == NULL || len < 0 || (type == AF_INET && len < 4) ||
      (type == AF_INET6 && len < 16)) {
    ws_fail(WS_EFAULT);
    return NULL;
  }
  errno = 0;
  return host_result(gethostbyaddr(addr, (socklen_t)len, type), e);
}
