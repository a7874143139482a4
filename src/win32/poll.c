/* SPDX-License-Identifier: MIT */
/*
 * src/win32/poll.c - the readiness wait on Windows.
 *
 * Mechanism, chosen for correctness first:
 *
 *  1. Winsock select() over sets sized to the call. Winsock's fd_set is a
 *     counted array whose capacity (FD_SETSIZE, 64) is only a default:
 *     select() takes a larger hand-allocated one (quirk Q25), so there is
 *     no 64-socket limit, and each set is filled straight from the
 *     caller's entries, each once (no FD_SET duplicate scans: O(n)).
 *     Sockets with a non-blocking connect pending are also watched in
 *     exceptfds: that is where Winsock reports a failed connect, on every
 *     build (Q20). WSAPoll is not the waiter because before build 19041 it
 *     never reports a failed connect at all (MicrosoftDocs/sdk-api#764,
 *     curl and poco moved away from it; fault F6), and it rejects POLLPRI
 *     and friends (Q34) and fd -1 entries (Q36).
 *  2. Only if something is ready: one WSAPoll with a zero timeout over the
 *     ready sockets (never a connecting one, so the pre-19041 bug cannot
 *     bite). It tells a reset (POLLERR|POLLHUP) from a peer's orderly
 *     shutdown (POLLHUP alone, which Linux reports as POLLIN: Q37), which
 *     select() cannot; a recv(MSG_PEEK) cannot either under Wine, whose
 *     host-side reset reads as end of stream.
 *
 * Results are then written with Linux's bits (tcp_poll): see
 * entry_revents(). Closed descriptors are found in the descriptor table
 * before Winsock is called (Winsock would fail the whole call with
 * WSAENOTSOCK, Q30); an empty wait is SleepEx(), because select() with
 * nothing to watch fails with WSAEINVAL (Q28, F5).
 */
#include "../internal.h"

#include <stddef.h>
#include <stdlib.h>

/* Winsock's fd_set with room for any count (see above). */
struct wset {
  u_int fd_count;
  SOCKET fd_array[];
};
_Static_assert(offsetof(struct wset, fd_array) == offsetof(fd_set, fd_array),
               "struct wset must have fd_set's layout");

enum { RD = 1, WR = 2, EX = 4 };      /* which native set(s) a socket is in */
enum { CLS_NONE, CLS_FIN, CLS_RESET, CLS_ERR };  /* WSAPoll's verdict */

#define IN_BITS (BSDSOCK_POLLIN | BSDSOCK_POLLRDNORM)
/* What Linux reports for a dead TCP socket (failed connect, reset): it is
 * shut down both ways, so readable (EOF) and writable, and hung up. */
#define DEAD_BITS (IN_BITS | BSDSOCK_POLLOUT | BSDSOCK_POLLHUP)

/* Per-call state: the caller's entries, their sockets, the three sets. */
struct plan {
  bsdsock_pollfd_t *fds;
  size_t n;
  SOCKET *socks;          /* INVALID_SOCKET: not waited on by Winsock */
  struct wset *set[3];    /* read, write, except */
};

/* One ready socket, in a small open-addressing table keyed by SOCKET. */
struct ready {
  SOCKET s;
  int bits;               /* RD | WR | EX */
  int cls;                /* CLS_* */
};

/* Entries whose per-call storage fits on the stack. */
#define STACK_ENTRIES 32
#define PLAN_BYTES(n) ((n) * sizeof(SOCKET) * 4 + 3 * sizeof(struct wset))
#define STACK_READY 64   /* table slots on the stack (32 ready sockets) */

int64_t bsdsock__now_us(void) {
  LARGE_INTEGER freq, now;
  QueryPerformanceFrequency(&freq);  /* fixed at boot; a cheap read */
  QueryPerformanceCounter(&now);
  return (int64_t)(now.QuadPart / freq.QuadPart) * 1000000 +
         (int64_t)(now.QuadPart % freq.QuadPart) * 1000000 / freq.QuadPart;
}

/* Winsock's SO_ERROR, read without bsdsock's read-and-clear emulation
 * (sockopt.c), so that a later bsdsock_getsockopt() still returns it. */
static int native_so_error(SOCKET s) {
  int err = 0, len = sizeof(err);
  if (getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&err, &len) != 0) return 0;
  return err;
}

/* revents of a socket whose non-blocking connect failed, as Linux gives
 * them: dead, plus POLLERR until SO_ERROR has been read. */
static short failed_connect(int fd, SOCKET s, short events) {
  int err = native_so_error(s);
  short rev = DEAD_BITS;
  if (err != 0 && err != bsdsock__fd_error_seen(fd)) rev |= BSDSOCK_POLLERR;
  return (short)(rev & (events | BSDSOCK_POLLERR | BSDSOCK_POLLHUP));
}

/* Linux reports POLLWRBAND for writable datagram sockets only
 * (datagram_poll vs tcp_poll); asked rarely, so the type is looked up. */
static int is_dgram(SOCKET s) {
  int type = 0, len = sizeof(type);
  return getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len) == 0 &&
         type == SOCK_DGRAM;
}

static void put(struct wset *set, SOCKET s) {
  set->fd_array[set->fd_count++] = s;
}

/* Fills the native sets from the entries. Entries answered without
 * Winsock (closed descriptors, failed connects) get their revents here;
 * returns how many. */
static int build(struct plan *p) {
  size_t i;
  int answered = 0;
  p->set[0]->fd_count = p->set[1]->fd_count = p->set[2]->fd_count = 0;
  for (i = 0; i < p->n; i++) {
    bsdsock_pollfd_t *e = &p->fds[i];
    short ev = e->events;
    unsigned flags;
    SOCKET s;
    e->revents = 0;
    p->socks[i] = INVALID_SOCKET;
    if (e->fd < 0) continue;  /* skipped, as poll(2) does (Q36) */
    s = bsdsock__fd_get(e->fd);
    if (s == INVALID_SOCKET) {
      e->revents = BSDSOCK_POLLNVAL;
      answered++;
      continue;
    }
    flags = bsdsock__fd_flags(e->fd);
    if (flags & BSDSOCK__FD_CONNFAILED) {
      e->revents = failed_connect(e->fd, s, ev);
      answered++;
      continue;
    }
    /* Only bits that a ready socket will report: a socket in a set that
     * fires with nothing to say would make the wait spin. Linux never
     * reports POLLRDBAND for TCP or UDP, nor POLLWRBAND for TCP. */
    if (ev & (BSDSOCK_POLLIN | BSDSOCK_POLLRDNORM)) put(p->set[0], s);
    if ((ev & BSDSOCK_POLLOUT) ||
        ((ev & BSDSOCK_POLLWRBAND) && is_dgram(s)))
      put(p->set[1], s);
    if ((ev & BSDSOCK_POLLPRI) || (flags & BSDSOCK__FD_CONNECTING))
      put(p->set[2], s);
    p->socks[i] = s;
  }
  return answered;
}

/* ---- the ready table --------------------------------------------------- */

static size_t slot_of(SOCKET s, size_t mask) {
  return (size_t)(((uint64_t)s * 0x9E3779B97F4A7C15ull) >> 40) & mask;
}

static struct ready *find(struct ready *tab, size_t mask, SOCKET s) {
  size_t i = slot_of(s, mask);
  while (tab[i].s != INVALID_SOCKET && tab[i].s != s) i = (i + 1) & mask;
  return &tab[i];
}

/* WSAPoll's verdict on a socket select() found ready (see the top). */
static int classify(SOCKET s, short wrev) {
  char c;
  int e;
  if ((wrev & POLLERR) && (wrev & POLLHUP)) return CLS_RESET;
  if (wrev & POLLHUP) {
    /* Hung up: recv returns at once. A reset reported as POLLHUP alone
     * still fails the read with WSAECONNRESET. */
    if (recv(s, &c, 1, MSG_PEEK) == SOCKET_ERROR) {
      e = WSAGetLastError();
      if (e == WSAECONNRESET || e == WSAECONNABORTED) return CLS_RESET;
    }
    return CLS_FIN;
  }
  return (wrev & POLLERR) ? CLS_ERR : CLS_NONE;
}

/* One zero-timeout WSAPoll over the sockets select() found readable or
 * writable. Failure leaves every verdict CLS_NONE: the readiness select()
 * reported stands. pfd has room for every slot. */
static void classify_all(struct ready *tab, size_t size, WSAPOLLFD *pfd) {
  size_t i, m = 0;
  for (i = 0; i < size; i++) {
    if (tab[i].s == INVALID_SOCKET || !(tab[i].bits & (RD | WR))) continue;
    pfd[m].fd = tab[i].s;
    pfd[m].events = (short)(((tab[i].bits & RD) ? POLLRDNORM : 0) |
                            ((tab[i].bits & WR) ? POLLWRNORM : 0));
    pfd[m].revents = 0;
    m++;
  }
  if (m == 0 ||
      BSDSOCK__OS(classify, SOCKET_ERROR, WSAPoll(pfd, (ULONG)m, 0)) ==
          SOCKET_ERROR)
    return;
  for (i = 0; i < m; i++)
    if (pfd[i].revents & (POLLERR | POLLHUP))
      find(tab, size - 1, pfd[i].fd)->cls = classify(pfd[i].fd, pfd[i].revents);
}

/* An entry's revents from what select() and WSAPoll said about its socket,
 * in Linux's terms. */
static short entry_revents(const bsdsock_pollfd_t *e, SOCKET s,
                           const struct ready *r) {
  unsigned flags = bsdsock__fd_flags(e->fd);
  short rev = 0;
  if (flags & BSDSOCK__FD_CONNFAILED)  /* an earlier entry for the same fd */
    return failed_connect(e->fd, s, e->events);
  if (flags & BSDSOCK__FD_CONNECTING) {
    /* exceptfds with SO_ERROR set is a failed connect (Q20); writefds is a
     * completed one. Either way the connect is over. */
    if ((r->bits & EX) && native_so_error(s) != 0) {
      bsdsock__fd_set_flags(e->fd, BSDSOCK__FD_CONNFAILED,
                            BSDSOCK__FD_CONNECTING);
      return failed_connect(e->fd, s, e->events);
    }
    if (r->bits & (WR | EX))
      bsdsock__fd_set_flags(e->fd, 0, BSDSOCK__FD_CONNECTING);
  }
  if (r->bits & RD) rev |= IN_BITS;
  if (r->bits & WR) rev |= BSDSOCK_POLLOUT;
  if ((r->bits & WR) && (e->events & BSDSOCK_POLLWRBAND) && is_dgram(s))
    rev |= BSDSOCK_POLLWRBAND;
  if (r->bits & EX) rev |= BSDSOCK_POLLPRI;  /* urgent (OOB) data */
  if (r->cls == CLS_RESET) rev |= DEAD_BITS | BSDSOCK_POLLERR;
  if (r->cls == CLS_ERR) rev |= BSDSOCK_POLLERR;
  return (short)(rev & (e->events | BSDSOCK_POLLERR | BSDSOCK_POLLHUP));
}

/* Whether entry i's socket was closed by another thread while select()
 * waited on it (its number no longer maps to the SOCKET waited on); if so
 * its revents become POLLNVAL, Linux's answer for a number that is no
 * longer open. Winsock has no answer of its own: Wine reports the closed
 * socket readable, and select() may fail the whole call with WSAENOTSOCK
 * (Q30). */
static int closed_during_wait(struct plan *p, size_t i) {
  if (bsdsock__fd_get(p->fds[i].fd) == p->socks[i]) return 0;
  p->fds[i].revents = BSDSOCK_POLLNVAL;
  return 1;
}

/* Turns select()'s result sets into revents; returns the ready count
 * (answered: entries already answered by build()), or BSDSOCK_ENOMEM. */
static int collect(struct plan *p, int answered) {
  struct ready stack_tab[STACK_READY], *tab = stack_tab;
  WSAPOLLFD stack_pfd[STACK_READY], *pfd = stack_pfd;
  size_t k = p->set[0]->fd_count + p->set[1]->fd_count + p->set[2]->fd_count;
  size_t size = 8, i, j;
  int count = answered;
  while (size < 2 * k) size *= 2;
  if (size > STACK_READY) {
    tab = bsdsock__malloc(size * (sizeof(*tab) + sizeof(*pfd)));
    if (tab == NULL) return bsdsock__fail(BSDSOCK_ENOMEM);
    pfd = (WSAPOLLFD *)(tab + size);
  }
  for (i = 0; i < size; i++) {
    tab[i].s = INVALID_SOCKET;
    tab[i].bits = tab[i].cls = 0;
  }
  for (j = 0; j < 3; j++) {
    for (i = 0; i < p->set[j]->fd_count; i++) {
      struct ready *r = find(tab, size - 1, p->set[j]->fd_array[i]);
      r->s = p->set[j]->fd_array[i];
      r->bits |= 1 << j;  /* RD, WR, EX */
    }
  }
  classify_all(tab, size, pfd);
  for (i = 0; i < p->n; i++) {
    const struct ready *r;
    if (p->socks[i] == INVALID_SOCKET) continue;
    if (closed_during_wait(p, i)) {
      count++;
      continue;
    }
    r = find(tab, size - 1, p->socks[i]);
    if (r->s == INVALID_SOCKET) continue;
    p->fds[i].revents = entry_revents(&p->fds[i], p->socks[i], r);
    count += p->fds[i].revents != 0;
  }
  if (tab != stack_tab) free(tab);
  return count;
}

/* ---- the wait ------------------------------------------------------------ */

/* Nothing to ask Winsock: an alertable sleep, so that an APC cuts it short
 * as it would cut select() short (Q17); the retry loop sleeps on. */
static int sleep_us(int64_t timeout_us) {
  DWORD ms = INFINITE;
  if (timeout_us >= 0)
    ms = timeout_us >= (int64_t)0x7fffffff * 1000
             ? 0x7fffffff
             : (DWORD)((timeout_us + 999) / 1000);
  return SleepEx(ms, TRUE) == WAIT_IO_COMPLETION ? BSDSOCK_EINTR : 0;
}

static fd_set *native(struct wset *set) {
  return set->fd_count > 0 ? (fd_set *)(void *)set : NULL;
}

static int wait_once(void *ctx, int64_t timeout_us) {
  struct plan *p = ctx;
  struct timeval tv, *tvp = NULL;
  int answered = build(p), rc, e;
  if (answered > 0) timeout_us = 0;  /* as poll(2): report them at once */
  if (!p->set[0]->fd_count && !p->set[1]->fd_count && !p->set[2]->fd_count)
    return answered > 0 ? answered : sleep_us(timeout_us);
  if (timeout_us >= 0) {
    /* tv_sec is a 32-bit long; a longer wait is retried. */
    int64_t sec = timeout_us / 1000000;
    tv.tv_sec = sec > 0x7fffffff ? 0x7fffffff : (long)sec;
    tv.tv_usec = (long)(timeout_us % 1000000);
    tvp = &tv;
  }
  rc = BSDSOCK__OS(wait, SOCKET_ERROR,
                   select(0, native(p->set[0]), native(p->set[1]),
                          native(p->set[2]), tvp));
  if (rc == SOCKET_ERROR) {
    e = WSAGetLastError();
    if (e == WSAEINTR) return BSDSOCK_EINTR;
    /* WSAENOTSOCK: a descriptor was closed by another thread during the
     * call (the table was checked first): its entries are POLLNVAL, as a
     * poll that began after the close would say. */
    if (e == WSAENOTSOCK) {
      size_t i;
      int closed = 0;
      for (i = 0; i < p->n; i++)
        if (p->socks[i] != INVALID_SOCKET) closed += closed_during_wait(p, i);
      if (closed > 0) return answered + closed;
      bsdsock__fail_native(e);
      return BSDSOCK_EBADF;
    }
    return bsdsock__fail_native(e);
  }
  if (rc == 0) return answered;
  return collect(p, answered);
}

int bsdsock__poll_os(bsdsock_pollfd_t *fds, size_t n, int64_t timeout_us) {
  uint64_t stack[(PLAN_BYTES(STACK_ENTRIES) + 7) / 8];
  unsigned char *mem = (unsigned char *)stack;
  struct plan p;
  size_t setbytes = sizeof(struct wset) + n * sizeof(SOCKET);
  int rc;
  if (n > STACK_ENTRIES) {
    mem = bsdsock__malloc(PLAN_BYTES(n));
    if (mem == NULL) return bsdsock__fail(BSDSOCK_ENOMEM);
  }
  p.fds = fds;
  p.n = n;
  p.socks = (SOCKET *)(void *)mem;
  p.set[0] = (struct wset *)(void *)(mem + n * sizeof(SOCKET));
  p.set[1] = (struct wset *)(void *)(mem + n * sizeof(SOCKET) + setbytes);
  p.set[2] = (struct wset *)(void *)(mem + n * sizeof(SOCKET) + 2 * setbytes);
  rc = bsdsock__wait_retry(wait_once, &p, timeout_us);
  if (mem != (unsigned char *)stack) free(mem);
  return rc;
}
