/* SPDX-License-Identifier: MIT */
/*
 * src/posix/poll.c - the readiness wait on POSIX: one poll(2).
 *
 * poll(2) already has the contract's semantics (negative descriptors
 * skipped, POLLNVAL for closed ones, output-only bits ignored in events,
 * nfds 0 a sleep), and no FD_SETSIZE: bsdsock_select() is built on it, so
 * descriptors above 1023 work (fault F4, openssl#9686). What is left is the
 * bit translation at the boundary and the copy into struct pollfd, on the
 * stack for small calls, without the negative entries.
 */
#include "../internal.h"

#include <stdlib.h>
#include <time.h>

/* Entries kept on the stack (64 x 8 bytes); more are allocated. */
#define STACK_ENTRIES 64

/* Input bits: portable and native names agree, only the numbers differ
 * (Linux's POLLWRNORM is 0x100, bsdsock's is POLLOUT, 0x4). */
#define EVENT_BITS(X) X(IN) X(PRI) X(OUT) X(RDNORM) X(RDBAND) X(WRBAND)
/* Output bits: as above plus the output-only ones. */
#define REVENT_BITS(X) EVENT_BITS(X) X(WRNORM) X(ERR) X(HUP) X(NVAL)

#define TO_NATIVE(name) | ((ev & BSDSOCK_POLL##name) ? POLL##name : 0)
#define FROM_NATIVE(name) | ((rev & POLL##name) ? BSDSOCK_POLL##name : 0)

/* Unrolled at compile time: a handful of branch-free ors per entry. */
static short events_to_native(short ev) {
  return (short)(0 EVENT_BITS(TO_NATIVE));
}

static short revents_from_native(short rev) {
  return (short)(0 REVENT_BITS(FROM_NATIVE));
}

int64_t bsdsock__now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct wait_ctx {
  struct pollfd *pfd;
  size_t n;
};

static int wait_once(void *p, int64_t timeout_us) {
  const struct wait_ctx *c = p;
  int ms = -1, rc;
  /* Rounded up: poll() must never wake before the caller's timeout. A
   * longer wait than poll's int can say is cut short, and retried by
   * bsdsock__wait_retry. */
  if (timeout_us >= 0)
    ms = timeout_us >= (int64_t)INT_MAX * 1000 ? INT_MAX
                                               : (int)((timeout_us + 999) / 1000);
  rc = BSDSOCK__OS(wait, -1, poll(c->pfd, (nfds_t)c->n, ms));
  if (rc >= 0) return rc;
  return errno == EINTR ? BSDSOCK_EINTR : bsdsock__fail_os();
}

/* Entries with a negative descriptor are left out of the native array:
 * poll(2) skips them, but Linux refuses an array longer than the
 * open-file limit (RLIMIT_NOFILE) with EINVAL whatever it holds, where the
 * Windows backend answers. The kept entries are in the caller's order, so
 * the results are mapped back by walking both arrays again; the walks are
 * bounded by the count kept, so a caller changing its array meanwhile
 * cannot make them overrun the native one. */
/* A poller's number is an epoll descriptor, which poll() would watch (and
 * call readable while it has events); bsdsock_poll is over sockets, and a
 * poller is none: it reports POLLNVAL, as on Windows (quirk Q69). Looked
 * for only while a poller is open, so a program without one pays nothing
 * for it. */
static int is_poller(int fd, int seen) {
  return seen && fd >= 0 && (bsdsock__fd_flags(fd) & BSDSOCK__FD_POLLER);
}

int bsdsock__poll_os(bsdsock_pollfd_t *fds, size_t n, int64_t timeout_us) {
  struct pollfd stack[STACK_ENTRIES], *pfd = stack;
  struct wait_ctx ctx;
  size_t i, k, kept = 0, nval = 0;
  int rc, count = 0, seen = bsdsock__fd_pollers_seen();
  for (i = 0; i < n; i++) {
    if (is_poller(fds[i].fd, seen))
      nval++;
    else
      kept += fds[i].fd >= 0;
  }
  /* A POLLNVAL entry is ready: the wait is a look. */
  if (nval > 0) timeout_us = 0;
  if (kept > STACK_ENTRIES) {
    pfd = bsdsock__malloc(kept * sizeof(*pfd));
    if (pfd == NULL) return bsdsock__fail(BSDSOCK_ENOMEM);
  }
  for (i = 0, k = 0; i < n && k < kept; i++) {
    if (fds[i].fd < 0 || is_poller(fds[i].fd, seen)) continue;
    pfd[k].fd = fds[i].fd;
    pfd[k].events = events_to_native(fds[i].events);
    pfd[k].revents = 0;
    k++;
  }
  ctx.pfd = pfd;
  ctx.n = k;
  rc = bsdsock__wait_retry(wait_once, &ctx, timeout_us);
  if (rc >= 0) {
    kept = k;
    for (i = 0, k = 0; i < n; i++) {
      short rev;
      if (is_poller(fds[i].fd, seen)) {
        fds[i].revents = BSDSOCK_POLLNVAL;
        count++;
        continue;
      }
      rev = fds[i].fd >= 0 && k < kept ? pfd[k++].revents : 0;
      fds[i].revents = rev != 0 ? revents_from_native(rev) : 0;
      count += fds[i].revents != 0;
    }
    rc = count;
  }
  if (pfd != stack) free(pfd);
  return rc;
}
