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
 * kqueue (the BSDs, macOS) is not implemented yet: there,
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

int bsdsock__os_poller_close(int pfd) {
  bsdsock__fd_release(pfd);
  /* As bsdsock_close: never retried, the number is gone either way. */
  if (BSDSOCK__OS(close, -1, close(pfd)) != 0 && errno != EINTR)
    return bsdsock__fail_os();
  return 0;
}

#ifdef BSDSOCK_HAVE_EPOLL

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

static uint32_t events_from_native(uint32_t rev) {
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
  /* Rounded up, as poll.c does: never wake before the caller's timeout. */
  if (timeout_us >= 0)
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

#else /* no poller yet on this system (kqueue: to do) */

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
