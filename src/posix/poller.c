/* SPDX-License-Identifier: MIT */
/*
 * src/posix/poller.c - the poller on POSIX: epoll (Linux).
 *
 * epoll already has the contract's semantics: level-triggered by default,
 * EPOLLONESHOT and EPOLLET, errors and hang-ups always reported, a peer's
 * half-close EPOLLIN (+EPOLLRDHUP), a reset EPOLLERR|EPOLLHUP, a failed
 * connect EPOLLOUT|EPOLLERR|EPOLLHUP, and a closed descriptor leaves the
 * set. What is left is the bit translation at the boundary and the event
 * layout (struct epoll_event is packed on x86-64; bsdsock's is not).
 *
 * kqueue (the BSDs, macOS, BSDSOCK_HAVE_KQUEUE) is below, untested: it is
 * compiled on none of the machines this project is built on. Elsewhere
 * bsdsock_poller_create() fails with BSDSOCK_EOPNOTSUPP (docs/readiness.md,
 * "The poller"), and so does everything given a number that is no poller.
 */
#include "../internal.h"

int bsdsock__os_poller_check(int pfd, int fd) {
  int e = errno, rc = 0;
  if (fcntl(pfd, F_GETFD) == -1 || (fd >= 0 && fcntl(fd, F_GETFD) == -1))
    rc = BSDSOCK_EBADF;
  else if (!(bsdsock__fd_flags(pfd) & BSDSOCK__FD_POLLER))
    rc = BSDSOCK_EINVAL;
  errno = e;
  return rc;
}

static void kq_forget(int pfd);

int bsdsock__os_poller_close(int pfd) {
  bsdsock__fd_release(pfd);
  kq_forget(pfd);
  /* As bsdsock_close: never retried, the number is gone either way. */
  if (BSDSOCK__OS(close, -1, close(pfd)) != 0 && errno != EINTR)
    return bsdsock__fail_os();
  return 0;
}

#ifdef BSDSOCK_HAVE_EPOLL

static void kq_forget(int pfd) {
  (void)pfd; /* epoll keeps the poller's state in the kernel */
}

/* Events returned per wait at most, as on Windows (src/win32/poller.c):
 * epoll_wait may always return fewer than maxevents. */
#define WAIT_BATCH 256

#define BITS(X) X(IN) X(OUT) X(PRI) X(RDHUP)
#define TO_NATIVE(name) | ((ev & BSDSOCK_POLL##name) ? EPOLL##name : 0u)
#define FROM_NATIVE(name) | ((rev & EPOLL##name) ? BSDSOCK_POLL##name : 0u)

static uint32_t events_to_native(uint32_t ev) {
  return 0u BITS(TO_NATIVE) |
         ((ev & BSDSOCK_POLLER_ONESHOT) ? (uint32_t)EPOLLONESHOT : 0u) |
         ((ev & BSDSOCK_POLLER_ET) ? (uint32_t)EPOLLET : 0u);
}

/* bsdsock's poll bits are Linux's numbers (bsdsock/poll.h), so on Linux
 * the translation folds, at compile time, into one mask. */
#define OUT_BITS                                                             \
  (BSDSOCK_POLLIN | BSDSOCK_POLLOUT | BSDSOCK_POLLPRI | BSDSOCK_POLLRDHUP |   \
   BSDSOCK_POLLERR | BSDSOCK_POLLHUP)
#define SAME_BITS                                                            \
  (EPOLLIN == BSDSOCK_POLLIN && EPOLLOUT == BSDSOCK_POLLOUT &&                \
   EPOLLPRI == BSDSOCK_POLLPRI && EPOLLRDHUP == BSDSOCK_POLLRDHUP &&          \
   EPOLLERR == BSDSOCK_POLLERR && EPOLLHUP == BSDSOCK_POLLHUP)

static uint32_t events_from_native(uint32_t rev) {
  if (SAME_BITS) return rev & (uint32_t)OUT_BITS;
  return 0u BITS(FROM_NATIVE) |
         ((rev & EPOLLERR) ? (uint32_t)BSDSOCK_POLLERR : 0u) |
         ((rev & EPOLLHUP) ? (uint32_t)BSDSOCK_POLLHUP : 0u);
}

int bsdsock__os_poller_create(void) {
  int fd = BSDSOCK__OS(pollernew, -1, epoll_create1(EPOLL_CLOEXEC));
  if (fd < 0) return bsdsock__fail_os();
  return bsdsock__fd_alloc(fd, BSDSOCK__FD_POLLER);
}

int bsdsock__os_poller_ctl(int pfd, int op, int fd, uint32_t events,
                           uint64_t data) {
  static const int ops[] = {EPOLL_CTL_ADD, EPOLL_CTL_MOD, EPOLL_CTL_DEL};
  struct epoll_event ev;
  memset(&ev, 0, sizeof(ev));
  ev.events = events_to_native(events);
  ev.data.u64 = data;
  if (BSDSOCK__OS(pollerctl, -1, epoll_ctl(pfd, ops[op], fd, &ev)) != 0)
    return bsdsock__fail_os();
  return 0;
}

/* epoll_wait() writes its events straight into the caller's array, and
 * they are widened there into bsdsock's layout: no copy through the stack.
 * A struct epoll_event (12 bytes, packed on x86-64; 16 elsewhere) is never
 * larger than a bsdsock_poller_event_t (16), so event i starts at or before
 * out[i]; widening from the last one down writes out[i] only over events
 * already read. */
_Static_assert(sizeof(struct epoll_event) <= sizeof(bsdsock_poller_event_t),
               "epoll events fit in the caller's array");

int bsdsock__os_poller_wait(int pfd, bsdsock_poller_event_t *out, int max,
                            int64_t timeout_us) {
  unsigned char *raw = (unsigned char *)out;
  int ms = -1, n, i;
  if (max > WAIT_BATCH) max = WAIT_BATCH;
  /* Rounded up, as poll.c does: never wake before the caller's timeout.
   * 0, a poll and the event loop's common call, skips the division. */
  if (timeout_us == 0)
    ms = 0;
  else if (timeout_us > 0)
    ms = timeout_us >= (int64_t)INT_MAX * 1000
             ? INT_MAX
             : (int)((timeout_us + 999) / 1000);
  n = BSDSOCK__OS(pollerwait, -1,
                  epoll_wait(pfd, (struct epoll_event *)(void *)raw, max, ms));
  if (n < 0) return errno == EINTR ? BSDSOCK_EINTR : bsdsock__fail_os();
  for (i = n - 1; i >= 0; i--) {
    struct epoll_event ev;
    memcpy(&ev, raw + (size_t)i * sizeof(ev), sizeof(ev));
    out[i].data = ev.data.u64;
    out[i].events = events_from_native(ev.events);
    out[i].reserved = 0;
  }
  return n;
}

#elif defined(BSDSOCK_HAVE_KQUEUE)

/* kqueue (the BSDs, macOS). Written from the kqueue(2) manual pages and
 * compiled nowhere here: untested (docs/readiness.md, "The poller").
 *
 * kqueue registers (descriptor, filter) pairs: bsdsock gives every added
 * descriptor both EVFILT_READ and EVFILT_WRITE, each enabled or disabled
 * as the mask asks, so the registration exists as long as epoll's would.
 * ONESHOT is EV_DISPATCH (the registration stays, disabled, until a
 * modify, as with EPOLLONESHOT; EV_ONESHOT would delete it), edge-
 * triggered is EV_CLEAR. Whether a descriptor is registered is asked of
 * the kernel (a change with no flags: ENOENT if absent), so a close, which
 * removes a descriptor's registrations, needs no bookkeeping. What kqueue
 * cannot hold is kept here per poller and descriptor: the mask (RDHUP is
 * reported only when asked) and the 64-bit data (udata is pointer-wide).
 * A descriptor's two filters come back as two events; the wait merges
 * them into one, as epoll reports one per descriptor. */

#include <pthread.h>
#include <stdlib.h>

#ifdef EV_DISPATCH
# define KQ_ONESHOT EV_DISPATCH
#else
# define KQ_ONESHOT 0 /* BSDSOCK_POLLER_ONESHOT: BSDSOCK_EOPNOTSUPP */
#endif

#define WAIT_BATCH 64

struct reg {
  uint64_t data;
  uint32_t events;
};

struct kq {
  struct reg *byfd; /* indexed by descriptor */
  size_t cap;
};

/* The pollers' state, by poller number; one lock for all of it (the wait
 * takes it only to translate what kevent returned). */
static pthread_mutex_t kq_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kq **kqs;
static size_t nkqs;

static struct kq *kq_of(int pfd) {
  return pfd >= 0 && (size_t)pfd < nkqs ? kqs[pfd] : NULL;
}

/* The entry for fd, growing the table; NULL without memory. With the
 * lock. */
static struct reg *reg_make(struct kq *q, int fd) {
  if ((size_t)fd >= q->cap) {
    size_t cap = q->cap ? q->cap : 64;
    struct reg *t;
    while (cap <= (size_t)fd) cap *= 2;
    t = BSDSOCK__OS(alloc, NULL, realloc(q->byfd, cap * sizeof(*t)));
    if (t == NULL) return NULL;
    memset(t + q->cap, 0, (cap - q->cap) * sizeof(*t));
    q->byfd = t;
    q->cap = cap;
  }
  return &q->byfd[fd];
}

static void kq_forget(int pfd) {
  struct kq *q;
  pthread_mutex_lock(&kq_lock);
  q = kq_of(pfd);
  if (q != NULL) {
    kqs[pfd] = NULL;
    free(q->byfd);
    free(q);
  }
  pthread_mutex_unlock(&kq_lock);
}

int bsdsock__os_poller_create(void) {
  struct kq *q;
  int fd = BSDSOCK__OS(pollernew, -1, kqueue()), rc;
  if (fd < 0) return bsdsock__fail_os();
  /* A fork's child has no kqueue; FD_CLOEXEC closes it across exec too. */
  if (BSDSOCK__OS(cloexec, -1, fcntl(fd, F_SETFD, FD_CLOEXEC)) != 0) {
    rc = bsdsock__fail_os();
    close(fd);
    return rc;
  }
  q = bsdsock__calloc(1, sizeof(*q));
  pthread_mutex_lock(&kq_lock);
  if (q != NULL && (size_t)fd >= nkqs) {
    size_t n = nkqs ? nkqs : 16;
    struct kq **t;
    while (n <= (size_t)fd) n *= 2;
    t = BSDSOCK__OS(alloc, NULL, realloc(kqs, n * sizeof(*t)));
    if (t != NULL) {
      memset(t + nkqs, 0, (n - nkqs) * sizeof(*t));
      kqs = t;
      nkqs = n;
    }
  }
  rc = q != NULL && (size_t)fd < nkqs ? 0 : BSDSOCK_ENOMEM;
  if (rc == 0) kqs[fd] = q;
  pthread_mutex_unlock(&kq_lock);
  if (rc != 0) {
    free(q);
    close(fd);
    return bsdsock__fail(rc);
  }
  rc = bsdsock__fd_alloc(fd, BSDSOCK__FD_POLLER);
  if (rc < 0) kq_forget(fd);
  return rc;
}

/* Asks whether fd is registered (a change with no flags: ENOENT if not),
 * or registers it (EV_ADD), re-registers it (op MOD: kqueue keeps a
 * registration's EV_CLEAR and EV_DISPATCH on EV_ADD, so it goes and comes
 * back) or deletes it (EV_DELETE), both filters at once: kevent's result. */
static int kq_change(int pfd, int fd, uint32_t events, int op) {
  struct kevent ch[4];
  unsigned short fl = EV_ADD;
  int n = 0;
  uintptr_t id = (uintptr_t)fd;
  /* EV_SET may evaluate its arguments more than once (older BSDs). */
  if (op == -1) {
    EV_SET(&ch[0], id, EVFILT_READ, 0, 0, 0, 0);
    return kevent(pfd, ch, 1, NULL, 0, NULL);
  }
  if (op != BSDSOCK__POLLER_ADD) {
    EV_SET(&ch[0], id, EVFILT_READ, EV_DELETE, 0, 0, 0);
    EV_SET(&ch[1], id, EVFILT_WRITE, EV_DELETE, 0, 0, 0);
    n = 2;
  }
  if (op != BSDSOCK__POLLER_DEL) {
    if (events & BSDSOCK_POLLER_ONESHOT) fl |= KQ_ONESHOT;
    if (events & BSDSOCK_POLLER_ET) fl |= EV_CLEAR;
    EV_SET(&ch[n], id, EVFILT_READ,
           fl | ((events & (BSDSOCK_POLLIN | BSDSOCK_POLLRDHUP)) ? EV_ENABLE
                                                                 : EV_DISABLE),
           0, 0, 0);
    EV_SET(&ch[n + 1], id, EVFILT_WRITE,
           fl | ((events & BSDSOCK_POLLOUT) ? EV_ENABLE : EV_DISABLE), 0, 0, 0);
    n += 2;
  }
  return kevent(pfd, ch, n, NULL, 0, NULL);
}

int bsdsock__os_poller_ctl(int pfd, int op, int fd, uint32_t events,
                           uint64_t data) {
  struct kq *q;
  struct reg *r = NULL;
  int rc = 0, there;
  if ((events & BSDSOCK_POLLER_ONESHOT) && KQ_ONESHOT == 0)
    return bsdsock__fail(BSDSOCK_EOPNOTSUPP);
  pthread_mutex_lock(&kq_lock);
  q = kq_of(pfd);
  if (q == NULL) {
    pthread_mutex_unlock(&kq_lock);
    rc = bsdsock__os_poller_check(pfd, fd);
    return bsdsock__fail(rc != 0 ? rc : BSDSOCK_EINVAL);
  }
  there = BSDSOCK__OS(pollerctl, -1, kq_change(pfd, fd, 0, -1)) == 0;
  if (!there && errno != ENOENT)
    rc = bsdsock__fail_os(); /* EBADF: fd is not open */
  else if (op == BSDSOCK__POLLER_ADD ? there : !there)
    rc = bsdsock__fail(there ? BSDSOCK_EEXIST : BSDSOCK_ENOENT);
  else if (op != BSDSOCK__POLLER_DEL && (r = reg_make(q, fd)) == NULL)
    rc = bsdsock__fail(BSDSOCK_ENOMEM);
  else if (BSDSOCK__OS(pollerctl, -1, kq_change(pfd, fd, events, op)) != 0)
    rc = bsdsock__fail_os();
  if (rc != 0 && op == BSDSOCK__POLLER_ADD && !there)
    /* A failed add leaves nothing behind (one filter may have gone in). */
    (void)kq_change(pfd, fd, 0, BSDSOCK__POLLER_DEL);
  if (rc == 0 && r != NULL) {
    r->events = events;
    r->data = data;
  }
  pthread_mutex_unlock(&kq_lock);
  return rc;
}

/* What one kevent says, in the poll contract's bits. EV_EOF on the read
 * side is the peer's FIN (IN, end of stream, and RDHUP when asked), or
 * with a socket error in fflags a reset (ERR|HUP); on the write side the
 * connection can take no more data: a failed connect or a reset with the
 * error (OUT|ERR|HUP, as epoll says), else HUP. */
static uint32_t kq_bits(const struct kevent *k, uint32_t asked) {
  uint32_t r = 0;
  int eof = (k->flags & EV_EOF) != 0, err = eof && k->fflags != 0;
  if (k->filter == EVFILT_READ) {
    r |= BSDSOCK_POLLIN;
    if (eof) r |= BSDSOCK_POLLRDHUP;
    if (err) r |= BSDSOCK_POLLERR | BSDSOCK_POLLHUP;
  } else if (k->filter == EVFILT_WRITE) {
    r |= BSDSOCK_POLLOUT;
    if (eof) r |= BSDSOCK_POLLHUP;
    if (err) r |= BSDSOCK_POLLERR;
  }
  return r & (asked | BSDSOCK_POLLERR | BSDSOCK_POLLHUP);
}

int bsdsock__os_poller_wait(int pfd, bsdsock_poller_event_t *out, int max,
                            int64_t timeout_us) {
  struct kevent kev[WAIT_BATCH];
  struct timespec ts, *tp = NULL;
  int idents[WAIT_BATCH];
  int n, i, j, k = 0;
  struct kq *q;
  if (max > WAIT_BATCH) max = WAIT_BATCH;
  if (timeout_us >= 0) {
    ts.tv_sec = (time_t)(timeout_us / 1000000);
    ts.tv_nsec = (long)(timeout_us % 1000000) * 1000;
    tp = &ts;
  }
  n = BSDSOCK__OS(pollerwait, -1, kevent(pfd, NULL, 0, kev, max, tp));
  if (n < 0) return errno == EINTR ? BSDSOCK_EINTR : bsdsock__fail_os();
  pthread_mutex_lock(&kq_lock);
  q = kq_of(pfd);
  for (i = 0; q != NULL && i < n; i++) {
    int fd = (int)kev[i].ident;
    const struct reg *r;
    uint32_t bits;
    if (kev[i].flags & EV_ERROR) continue;
    if (fd < 0 || (size_t)fd >= q->cap) continue;
    r = &q->byfd[fd];
    bits = kq_bits(&kev[i], r->events);
    if (bits == 0) continue;
    for (j = 0; j < k && idents[j] != fd; j++) continue;
    if (j == k) {
      idents[k] = fd;
      out[k].data = r->data;
      out[k].events = 0;
      out[k].reserved = 0;
      k++;
    }
    out[j].events |= bits;
  }
  pthread_mutex_unlock(&kq_lock);
  return k;
}

#else /* no poller on this system */

static void kq_forget(int pfd) {
  (void)pfd;
}

int bsdsock__os_poller_create(void) {
  return bsdsock__fail(BSDSOCK_EOPNOTSUPP);
}

int bsdsock__os_poller_ctl(int pfd, int op, int fd, uint32_t events,
                           uint64_t data) {
  int rc = bsdsock__os_poller_check(pfd, fd);
  (void)op;
  (void)events;
  (void)data;
  return bsdsock__fail(rc != 0 ? rc : BSDSOCK_EINVAL);
}

int bsdsock__os_poller_wait(int pfd, bsdsock_poller_event_t *out, int max,
                            int64_t timeout_us) {
  int rc = bsdsock__os_poller_check(pfd, -1);
  (void)out;
  (void)max;
  (void)timeout_us;
  return bsdsock__fail(rc != 0 ? rc : BSDSOCK_EINVAL);
}

#endif
