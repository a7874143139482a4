/* SPDX-License-Identifier: MIT */
/*
 * src/poller.c - the poller calls (bsdsock/poller.h), written once for
 * every backend: the argument checks in the documented order, the EINTR
 * policy of the wait, then the backend's poller (src/os.h): epoll in
 * src/posix/poller.c, AFD polls on an I/O completion port in
 * src/win32/poller.c.
 */
#include "internal.h"

/* The event bits a caller may give. ERR and HUP are always reported and
 * accepted (ignored) as input, as epoll accepts them. */
#define POLLER_INPUT                                                         \
  (BSDSOCK_POLLIN | BSDSOCK_POLLOUT | BSDSOCK_POLLPRI | BSDSOCK_POLLRDHUP |  \
   BSDSOCK_POLLERR | BSDSOCK_POLLHUP | BSDSOCK_POLLER_ONESHOT |              \
   BSDSOCK_POLLER_ET)

/* The error of a bad argument: the poller and the descriptor are looked at
 * first (poller.h's order), so EBADF/EINVAL for them wins over err. */
static int poller_arg_fail(int pfd, int fd, int err) {
  int rc = bsdsock__os_poller_check(pfd, fd);
  return bsdsock__fail(rc != 0 ? rc : err);
}

int bsdsock_poller_create(void) {
  int rc = bsdsock__os_startup();
  if (rc != 0) return rc;
  return bsdsock__os_poller_create();
}

int bsdsock_poller_close(int poller) {
  if (poller < 0) return bsdsock__fail(BSDSOCK_EBADF);
  if (!(bsdsock__fd_flags(poller) & BSDSOCK__FD_POLLER))
    return poller_arg_fail(poller, -1, BSDSOCK_EBADF);
  return bsdsock__os_poller_close(poller);
}

static int ctl(int op, int poller, int fd, uint32_t events, uint64_t data) {
  if (poller < 0 || fd < 0) return bsdsock__fail(BSDSOCK_EBADF);
  if ((events & ~(uint32_t)POLLER_INPUT) != 0 || poller == fd ||
      (bsdsock__fd_flags(fd) & BSDSOCK__FD_POLLER))
    return poller_arg_fail(poller, fd, BSDSOCK_EINVAL);
  events &= ~(uint32_t)(BSDSOCK_POLLERR | BSDSOCK_POLLHUP);
  return bsdsock__os_poller_ctl(poller, op, fd, events, data);
}

int bsdsock_poller_add(int poller, int fd, uint32_t events, uint64_t data) {
  return ctl(BSDSOCK__POLLER_ADD, poller, fd, events, data);
}

int bsdsock_poller_modify(int poller, int fd, uint32_t events,
                          uint64_t data) {
  return ctl(BSDSOCK__POLLER_MOD, poller, fd, events, data);
}

int bsdsock_poller_delete(int poller, int fd) {
  return ctl(BSDSOCK__POLLER_DEL, poller, fd, 0, 0);
}

struct wait_ctx {
  int pfd;
  bsdsock_poller_event_t *ev;
  int max;
};

static int wait_once(void *p, int64_t timeout_us) {
  const struct wait_ctx *c = p;
  return bsdsock__os_poller_wait(c->pfd, c->ev, c->max, timeout_us);
}

int bsdsock_poller_wait(int poller, bsdsock_poller_event_t *events,
                        int maxevents, int timeout_ms) {
  struct wait_ctx c;
  if (poller < 0) return bsdsock__fail(BSDSOCK_EBADF);
  if (events == NULL || maxevents <= 0)
    return poller_arg_fail(poller, -1, BSDSOCK_EINVAL);
  /* A poll (timeout 0), the event loop's common call, has no time left to
   * wait on: one wait, retried only after a signal, and no clock read
   * (bsdsock__wait_retry reads the clock for its deadline, a measurable
   * part of an epoll_wait(0); docs/readiness.md, "The poller", Cost). */
  if (timeout_ms == 0) {
    int rc;
    do rc = bsdsock__os_poller_wait(poller, events, maxevents, 0);
    while (rc == BSDSOCK_EINTR);
    return rc;
  }
  c.pfd = poller;
  c.ev = events;
  c.max = maxevents;
  /* A signal, or a wake that produced no event (a cancelled poll being
   * re-armed on Windows), waits on for the time left. */
  return bsdsock__wait_retry(wait_once, &c,
                             timeout_ms < 0 ? -1 : (int64_t)timeout_ms * 1000);
}
