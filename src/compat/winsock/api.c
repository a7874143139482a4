/*
 * src/posix/compat.c - the Winsock API on POSIX, behind the drop-in
 * <winsock2.h> (include/bsdsock/compat-src/winsock/, bsdsock/compat_winsock.h).
 *
 * A SOCKET here is the POSIX descriptor widened to uintptr_t, so most
 * Winsock calls are the system's own and only the ones whose Winsock
 * meaning differs land here: errors read as WSAE* numbers, int * lengths,
 * DWORD timeouts, the counted fd_set, WSAPoll's bit numbers and half-close
 * report, no SIGPIPE. The mirror file src/win32/compat.c does the opposite
 * direction (BSD API on Windows).
 */
#include "../compat.h"
#include "bsdsock/compat_winsock.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

/* Linux reports a peer's shutdown(SHUT_WR) as POLLRDHUP; elsewhere the
 * bit does not exist and a half-close reads as plain POLLIN. */
#ifndef POLLRDHUP
# define POLLRDHUP 0
#endif

/* The Winsock numbers this file produces (bsdsock/winsock.h spells all of
 * them out for programs). */
enum {
  WS_BASEERR = 10000,
  WS_NOT_ENOUGH_MEMORY = 8,
  WS_EFAULT = 10014,
  WS_EINVAL = 10022,
  WS_VERNOTSUPPORTED = 10092,
  WS_NOTINITIALISED = 10093,
  WS_SYSCALLFAILURE = 10107
};

/* ---- error numbers ------------------------------------------------------- */

/* Portable codes whose Winsock number is not simply WSABASEERR + the BSD
 * number: the resolver codes (ws2tcpip.h defines EAI_* as WSA numbers),
 * and three conditions Winsock names differently from BSD. Rows are
 * searched in order, so the resolver rows win in the reverse direction. */
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
  /* Winsock calls on a number that is not a socket say WSAENOTSOCK. */     \
  X(EBADF, 10038)                                                            \
  /* A send to a reset connection; see pipe_fixup() for the other case. */  \
  X(EPIPE, 10054)

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

/* The errno value of a portable code, or 0 if none has it. */
static int errno_of(int portable) {
  return bsdsock__os_crt_errno(portable);
}

/* An errno value that means wsa, or 0 if none does. WSABASEERR + n is BSD
 * errno n even where a resolver row shares the number (WSAEINVAL). */
static int errno_from_wsa(int wsa) {
  if (wsa > WS_BASEERR && wsa < WS_BASEERR + 100)
    return errno_of(-(wsa - WS_BASEERR));
  return errno_of(portable_from_wsa(wsa));
}

/* The thread's WSASetLastError() value, valid while errno still holds
 * what it held then (a later failing call changes errno and wins). */
static _Thread_local struct {
  int wsa;
  int err;
  int valid;
} last;

void bsdsock_compat_wsasetlasterror(int err) {
  int native = errno_from_wsa(err);
  if (err == 0 || native != 0) errno = native;
  last.wsa = err;
  last.err = errno;
  last.valid = 1;
}

int bsdsock_compat_wsagetlasterror(void) {
  if (last.valid && errno == last.err) return last.wsa;
  last.valid = 0;
  return wsa_from_portable(bsdsock_translate_error(errno));
}

/* Fails a call with a Winsock number: SOCKET_ERROR. */
static int ws_fail(int wsa) {
  bsdsock_compat_wsasetlasterror(wsa);
  return -1;
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

void bsdsock_compat_sleep(unsigned long ms) {
  struct timespec ts;
  ts.tv_sec = (time_t)(ms / 1000);
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/* ---- sockets ------------------------------------------------------------- */

/* The descriptor in a SOCKET; -1 (so the call fails with EBADF, read as
 * WSAENOTSOCK) for values no descriptor has, INVALID_SOCKET included. */
static int fd_of(uintptr_t s) {
  return s <= (uintptr_t)INT_MAX ? (int)s : -1;
}

int bsdsock_compat_closesocket(uintptr_t s) {
  int fd = fd_of(s);
  /* Linux frees the descriptor even when close() says EINTR. */
  if (close(fd) != 0 && errno != EINTR) return -1;
  return 0;
}

int bsdsock_compat_ioctlsocket(uintptr_t s, long cmd, unsigned long *argp) {
  int fd = fd_of(s), v;
  if (argp == NULL) return ws_fail(WS_EFAULT);
  /* Winsock's argument is a u_long, Linux's an int (quirk Q5). */
  if (cmd == (long)FIONBIO) {
    v = *argp != 0;
    return ioctl(fd, FIONBIO, &v) == 0 ? 0 : -1;
  }
  if (cmd == (long)FIONREAD || cmd == (long)SIOCATMARK) {
    if (ioctl(fd, (unsigned long)cmd, &v) != 0) return -1;
    *argp = (unsigned long)v;
    return 0;
  }
  return ws_fail(WS_EINVAL);
}

/* Copies a socklen_t result back to Winsock's int length. */
static int len_in(const int *len, socklen_t *out) {
  if (len == NULL) return 0;
  if (*len < 0) return ws_fail(WS_EFAULT);
  *out = (socklen_t)*len;
  return 0;
}

uintptr_t bsdsock_compat_ws_accept(uintptr_t s, struct sockaddr *addr,
                                   int *addrlen) {
  socklen_t len = 0;
  int fd = fd_of(s), c, fl;
  if (len_in(addrlen, &len) != 0) return ~(uintptr_t)0;
  do
    c = accept(fd, addr, addrlen ? &len : NULL);
  while (c < 0 && errno == EINTR);
  if (c < 0) return ~(uintptr_t)0;
  if (addrlen) *addrlen = (int)len;
  /* A Winsock socket accepted from a non-blocking listener is
   * non-blocking too; a POSIX one starts blocking. */
  fl = fcntl(fd, F_GETFL);
  if (fl != -1 && (fl & O_NONBLOCK)) {
    int on = 1;
    ioctl(c, FIONBIO, &on);
  }
  return (uintptr_t)c;
}

/* Linux says EPIPE for a send after our own shutdown(SD_SEND), where
 * Winsock says WSAESHUTDOWN, and after the peer reset the connection,
 * where Winsock says WSAECONNRESET. The socket is still connected only in
 * the first case. */
static void pipe_fixup(int fd) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  if (errno == EPIPE)
    errno = getpeername(fd, (struct sockaddr *)&ss, &len) == 0 ? ESHUTDOWN
                                                               : ECONNRESET;
}

/* A blocking call that gave up after SO_RCVTIMEO/SO_SNDTIMEO fails with
 * EAGAIN on POSIX and WSAETIMEDOUT on Winsock. */
static void timeout_fixup(int fd) {
  int fl;
  if (errno != EAGAIN) return;
  fl = fcntl(fd, F_GETFL);
  errno = (fl != -1 && !(fl & O_NONBLOCK)) ? ETIMEDOUT : EAGAIN;
}

int bsdsock_compat_ws_send(uintptr_t s, const void *buf, int len, int flags) {
  return bsdsock_compat_ws_sendto(s, buf, len, flags, NULL, 0);
}

int bsdsock_compat_ws_sendto(uintptr_t s, const void *buf, int len, int flags,
                             const struct sockaddr *to, int tolen) {
  int fd = fd_of(s);
  ssize_t n;
  if (len < 0 || tolen < 0) return ws_fail(WS_EFAULT);
  /* Winsock never raises SIGPIPE, so neither does its emulation. */
  do
    n = sendto(fd, buf, (size_t)len, flags | MSG_NOSIGNAL, to,
               (socklen_t)tolen);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    pipe_fixup(fd);
    timeout_fixup(fd);
    return -1;
  }
  return (int)n;
}

int bsdsock_compat_ws_recv(uintptr_t s, void *buf, int len, int flags) {
  return bsdsock_compat_ws_recvfrom(s, buf, len, flags, NULL, NULL);
}

int bsdsock_compat_ws_recvfrom(uintptr_t s, void *buf, int len, int flags,
                               struct sockaddr *from, int *fromlen) {
  socklen_t flen = 0;
  ssize_t n;
  int fd = fd_of(s);
  if (len < 0) return ws_fail(WS_EFAULT);
  if (len_in(fromlen, &flen) != 0) return -1;
  do
    n = recvfrom(fd, buf, (size_t)len, flags, from, fromlen ? &flen : NULL);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    timeout_fixup(fd);
    return -1;
  }
  if (fromlen) *fromlen = (int)flen;
  return (int)n;
}

static int is_timeout_opt(int level, int name) {
  return level == SOL_SOCKET && (name == SO_RCVTIMEO || name == SO_SNDTIMEO);
}

/* Winsock's boolean options also take a one-byte value. */
static int is_bool_opt(int level, int name) {
  if (level == SOL_SOCKET)
    return name == SO_REUSEADDR || name == SO_KEEPALIVE ||
           name == SO_BROADCAST || name == SO_OOBINLINE ||
           name == SO_DONTROUTE;
  return level == IPPROTO_TCP && name == TCP_NODELAY;
}

int bsdsock_compat_ws_setsockopt(uintptr_t s, int level, int name,
                                 const void *value, int len) {
  int fd = fd_of(s), v;
  if (len < 0 || (value == NULL && len > 0)) return ws_fail(WS_EFAULT);
  /* SO_RCVTIMEO/SO_SNDTIMEO take a DWORD of milliseconds on Windows and
   * a struct timeval on POSIX (quirk Q2). */
  if (is_timeout_opt(level, name) && len == (int)sizeof(uint32_t)) {
    struct timeval tv;
    uint32_t ms;
    memcpy(&ms, value, sizeof(ms));
    tv.tv_sec = (time_t)(ms / 1000);
    tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
    return setsockopt(fd, level, name, &tv, sizeof(tv));
  }
  /* Every POSIX socket already has the exclusive binding Winsock's
   * SO_EXCLUSIVEADDRUSE asks for (no live-port sharing without
   * SO_REUSEPORT; quirk Q10). */
  if (level == SOL_SOCKET && name == (int)(~SO_REUSEADDR)) {
    if (len < 1) return ws_fail(WS_EFAULT);
    return fcntl(fd, F_GETFD) == -1 ? -1 : 0;
  }
  if (len == 1 && is_bool_opt(level, name)) {
    v = *(const unsigned char *)value != 0;
    return setsockopt(fd, level, name, &v, sizeof(v));
  }
  return setsockopt(fd, level, name, value, (socklen_t)len);
}

int bsdsock_compat_ws_getsockopt(uintptr_t s, int level, int name,
                                 void *value, int *len) {
  int fd = fd_of(s), v;
  socklen_t l;
  if (len == NULL || value == NULL || *len < 0) return ws_fail(WS_EFAULT);
  if (is_timeout_opt(level, name)) {
    struct timeval tv;
    uint32_t ms;
    l = sizeof(tv);
    if (*len < (int)sizeof(ms)) return ws_fail(WS_EFAULT);
    if (getsockopt(fd, level, name, &tv, &l) != 0) return -1;
    ms = (uint32_t)tv.tv_sec * 1000u + (uint32_t)(tv.tv_usec / 1000);
    memcpy(value, &ms, sizeof(ms));
    *len = (int)sizeof(ms);
    return 0;
  }
  l = (socklen_t)*len;
  if (getsockopt(fd, level, name, value, &l) != 0) return -1;
  /* SO_ERROR holds an errno value; Winsock code expects a WSA number. */
  if (level == SOL_SOCKET && name == SO_ERROR && l >= sizeof(v)) {
    memcpy(&v, value, sizeof(v));
    v = wsa_from_portable(bsdsock_translate_error(v));
    memcpy(value, &v, sizeof(v));
  }
  *len = (int)l;
  return 0;
}

static int name_of(uintptr_t s, struct sockaddr *addr, int *addrlen,
                   int (*get)(int, struct sockaddr *, socklen_t *)) {
  socklen_t len;
  if (addr == NULL || addrlen == NULL || *addrlen < 0)
    return ws_fail(WS_EFAULT);
  len = (socklen_t)*addrlen;
  if (get(fd_of(s), addr, &len) != 0) return -1;
  *addrlen = (int)len;
  return 0;
}

int bsdsock_compat_ws_getsockname(uintptr_t s, struct sockaddr *addr,
                                  int *addrlen) {
  return name_of(s, addr, addrlen, getsockname);
}

int bsdsock_compat_ws_getpeername(uintptr_t s, struct sockaddr *addr,
                                  int *addrlen) {
  return name_of(s, addr, addrlen, getpeername);
}

/* ---- select and WSAPoll -------------------------------------------------- */

/* The layout of Winsock's fd_set whatever its FD_SETSIZE. */
struct ws_set {
  unsigned int fd_count;
  uintptr_t fd_array[];
};

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* poll() that retries after a signal with the time that is left (Winsock
 * calls are never interrupted). */
static int poll_retry(struct pollfd *p, nfds_t n, int timeout_ms) {
  uint64_t deadline = timeout_ms > 0 ? now_ms() + (uint64_t)timeout_ms : 0;
  int rc;
  for (;;) {
    rc = poll(p, n, timeout_ms);
    if (rc >= 0 || errno != EINTR) return rc;
    if (timeout_ms > 0) {
      uint64_t now = now_ms();
      timeout_ms = now >= deadline ? 0 : (int)(deadline - now);
    }
  }
}

static int timeval_ms(const struct timeval *tv) {
  long long ms;
  if (tv == NULL) return -1;
  if (tv->tv_sec < 0 || tv->tv_usec < 0) return 0;
  ms = (long long)tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000;
  return ms > INT_MAX ? INT_MAX : (int)ms;
}

static size_t set_count(const struct bsdsock_ws_fd_set *set) {
  return set ? ((const struct ws_set *)(const void *)set)->fd_count : 0;
}

/* Appends one pollfd per member of set, all asking for `events`. */
static size_t set_to_poll(const struct bsdsock_ws_fd_set *set,
                          struct pollfd *p, short events) {
  const struct ws_set *ws = (const struct ws_set *)(const void *)set;
  size_t i, n = set_count(set);
  for (i = 0; i < n; i++) {
    p[i].fd = fd_of(ws->fd_array[i]);
    p[i].events = events;
    p[i].revents = 0;
  }
  return n;
}

/* Keeps the members whose pollfd reported one of `ready` and none of
 * `veto`; returns how many stayed. */
static int set_from_poll(struct bsdsock_ws_fd_set *set,
                         const struct pollfd *p, short ready, short veto) {
  struct ws_set *ws = (struct ws_set *)(void *)set;
  size_t i, n = set_count(set);
  unsigned kept = 0;
  for (i = 0; i < n; i++)
    if ((p[i].revents & ready) && !(p[i].revents & veto))
      ws->fd_array[kept++] = ws->fd_array[i];
  if (set) ws->fd_count = kept;
  return (int)kept;
}

int bsdsock_compat_ws_select(int nfds, struct bsdsock_ws_fd_set *readfds,
                             struct bsdsock_ws_fd_set *writefds,
                             struct bsdsock_ws_fd_set *exceptfds,
                             const struct timeval *timeout) {
  size_t nr = set_count(readfds), nw = set_count(writefds);
  size_t ne = set_count(exceptfds), total = nr + nw + ne, i;
  struct pollfd stack[64], *p = stack;
  int rc;
  (void)nfds;  /* ignored, as by Winsock (quirk Q27) */
  if (total > sizeof(stack) / sizeof(stack[0])) {
    p = malloc(total * sizeof(*p));
    if (p == NULL) return ws_fail(WS_NOT_ENOUGH_MEMORY);
  }
  /* One entry per set member (poll accepts a descriptor twice). A failed
   * non-blocking connect is POLLOUT|POLLERR on Linux; Winsock reports it
   * in exceptfds and not in writefds. */
  set_to_poll(readfds, p, POLLIN);
  set_to_poll(writefds, p + nr, POLLOUT);
  set_to_poll(exceptfds, p + nr + nw, POLLPRI);
  rc = poll_retry(p, (nfds_t)total, timeval_ms(timeout));
  if (rc > 0) {
    /* A closed socket in a set fails the call and leaves the sets
     * unchanged (quirk Q30). */
    for (i = 0; i < total; i++)
      if (p[i].revents & POLLNVAL) break;
    if (i < total) {
      errno = EBADF;
      rc = -1;
    } else {
      rc = set_from_poll(readfds, p, POLLIN | POLLHUP | POLLERR, 0);
      rc += set_from_poll(writefds, p + nr, POLLOUT, POLLERR);
      rc += set_from_poll(exceptfds, p + nr + nw, POLLPRI | POLLERR, 0);
    }
  } else if (rc == 0) {
    set_from_poll(readfds, p, 0, 0);
    set_from_poll(writefds, p, 0, 0);
    set_from_poll(exceptfds, p, 0, 0);
  }
  if (p != stack) free(p);
  return rc;
}

int bsdsock_compat_ws_fdisset(uintptr_t s, struct bsdsock_ws_fd_set *set) {
  const struct ws_set *ws = (const struct ws_set *)(const void *)set;
  size_t i, n = set_count(set);
  for (i = 0; i < n; i++)
    if (ws->fd_array[i] == s) return 1;
  return 0;
}

/* Winsock's POLL* numbers (winsock2.h) against the POSIX bits. */
#define BSDSOCK__WSAPOLL_MAP(X)                                              \
  X(0x0100, POLLIN | POLLRDNORM)  /* POLLRDNORM */                           \
  X(0x0200, POLLRDBAND)           /* POLLRDBAND */                           \
  X(0x0400, POLLPRI)              /* POLLPRI */                              \
  X(0x0010, POLLOUT | POLLWRNORM) /* POLLWRNORM (= POLLOUT) */               \
  X(0x0020, POLLWRBAND)           /* POLLWRBAND */                           \
  X(0x0001, POLLERR)              /* POLLERR */                              \
  X(0x0002, POLLHUP | POLLRDHUP)  /* POLLHUP */                              \
  X(0x0004, POLLNVAL)             /* POLLNVAL */

static const struct {
  short ws;
  short native;
} wsapoll_map[] = {
#define BSDSOCK__ROW(ws, native) {ws, (short)(native)},
    BSDSOCK__WSAPOLL_MAP(BSDSOCK__ROW)
#undef BSDSOCK__ROW
};

static short poll_bits(short in, int to_native) {
  short out = 0;
  size_t i;
  for (i = 0; i < sizeof(wsapoll_map) / sizeof(wsapoll_map[0]); i++) {
    short from = to_native ? wsapoll_map[i].ws : wsapoll_map[i].native;
    if (in & from) out |= to_native ? wsapoll_map[i].native : wsapoll_map[i].ws;
  }
  return out;
}

#define WS_POLLOUTPUT 0x0007  /* POLLERR | POLLHUP | POLLNVAL */

int bsdsock_compat_wsapoll(struct bsdsock_ws_pollfd *fds, unsigned long nfds,
                           int timeout_ms) {
  struct pollfd stack[64], *p = stack;
  unsigned long i;
  int rc;
  if (fds == NULL && nfds > 0) return ws_fail(WS_EFAULT);
  if (nfds > sizeof(stack) / sizeof(stack[0])) {
    if (nfds > SIZE_MAX / sizeof(*p)) return ws_fail(WS_EINVAL);
    p = malloc(nfds * sizeof(*p));
    if (p == NULL) return ws_fail(WS_NOT_ENOUGH_MEMORY);
  }
  for (i = 0; i < nfds; i++) {
    p[i].fd = fd_of(fds[i].fd);
    /* POLLRDHUP always: Winsock reports a peer's shutdown as POLLHUP
     * (quirk Q37), Linux only as POLLRDHUP. */
    p[i].events = (short)(poll_bits(fds[i].events, 1) | POLLRDHUP);
    p[i].revents = 0;
  }
  rc = poll_retry(p, (nfds_t)nfds, timeout_ms < 0 ? -1 : timeout_ms);
  if (rc >= 0) {
    rc = 0;
    for (i = 0; i < nfds; i++) {
      short want = (short)(fds[i].events | WS_POLLOUTPUT);
      /* INVALID_SOCKET reads POLLNVAL and is not counted (quirk Q36). */
      if (fds[i].fd == ~(uintptr_t)0) {
        fds[i].revents = 0x0004;
        continue;
      }
      fds[i].revents = (short)(poll_bits(p[i].revents, 0) & want);
      if (fds[i].revents) rc++;
    }
  }
  if (p != stack) free(p);
  return rc;
}

/* ---- resolver ------------------------------------------------------------ */

/* A resolver failure as Winsock reports it: returned and left for
 * WSAGetLastError(). */
static int gai_fail(int rc) {
  int wsa = wsa_from_portable(bsdsock__gai_fail(rc));
  bsdsock_compat_wsasetlasterror(wsa);
  return wsa;
}

int bsdsock_compat_ws_getaddrinfo(const char *node, const char *service,
                                  const struct addrinfo *hints,
                                  struct addrinfo **res) {
  int rc = getaddrinfo(node, service, hints, res);
  return rc == 0 ? 0 : gai_fail(rc);
}

int bsdsock_compat_ws_getnameinfo(const struct sockaddr *addr, int addrlen,
                                  char *host, unsigned long hostlen,
                                  char *serv, unsigned long servlen,
                                  int flags) {
  int rc;
  if (addrlen < 0 || hostlen > UINT32_MAX || servlen > UINT32_MAX)
    return gai_fail(EAI_FAIL);
  rc = getnameinfo(addr, (socklen_t)addrlen, host, (socklen_t)hostlen, serv,
                   (socklen_t)servlen, flags);
  return rc == 0 ? 0 : gai_fail(rc);
}

const char *bsdsock_compat_ws_gai_strerror(int err) {
  return bsdsock_strerror(portable_from_wsa(err));
}
