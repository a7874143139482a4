/* SPDX-License-Identifier: MIT */
/*
 * src/compat/bsd/fdset.c - select() and poll() of the drop-in BSD headers
 * (bsdsock/compat_bsd.h): portable code, built on every platform.
 *
 * The drop-in fd_set is a fixed bitmap by descriptor number (so that
 * `read_fds = master;` copies it) and the drop-in struct pollfd is
 * bsdsock_pollfd_t; both calls hand over to bsdsock_select/bsdsock_poll,
 * which hold the one readiness contract, and report failure the POSIX
 * way (bsdsock__compat_fail).
 *
 * Pipes, the console and files (on Windows, where bsdsock's wait takes
 * sockets only: nonsock.h) are asked without waiting, and while none of
 * the entries is ready the sockets are waited on in slices of SLICE_MS,
 * after each of which the others are asked again, until the caller's
 * timeout. Calls with sockets alone (and every call on POSIX) go straight
 * to bsdsock.
 */
#include "../compat.h"
#include "bsdsock/compat_bsd.h"
#include "bsdsock/poll.h"
#include "nonsock.h"
#include "../route.h"

#include <stdlib.h>

/* The longest a pipe or the console can be ready before a wait that also
 * holds them notices: a bound on the added latency, against the CPU the
 * questions cost (a few system calls per entry per slice, 100 slices a
 * second at most). docs/compat.md documents it. */
#define SLICE_MS 10

/* Which poll bits put a descriptor in each select() result set (Linux's
 * rules, as src/select.c applies them). */
#define READ_BITS                                                            \
  (BSDSOCK_POLLIN | BSDSOCK_POLLRDNORM | BSDSOCK_POLLRDBAND |                \
   BSDSOCK_POLLHUP | BSDSOCK_POLLERR)
#define WRITE_BITS (BSDSOCK_POLLOUT | BSDSOCK_POLLWRBAND | BSDSOCK_POLLERR)
#define EXCEPT_BITS (BSDSOCK_POLLPRI | BSDSOCK_POLLERR)

static int ret(int rc) {
  return rc < 0 ? bsdsock__compat_fail(rc) : rc;
}

/* Copies the first nfds bits of a drop-in fd_set into a bsdsock fd set. */
static int set_in(bsdsock_fdset_t *dst, const bsdsock_compat_fd_set *src,
                  int nfds) {
  int w, b, rc;
  for (w = 0; w * 64 < nfds; w++) {
    uint64_t bits = src->fds_bits[w];
    for (b = 0; bits != 0 && w * 64 + b < nfds; b++, bits >>= 1) {
      if ((bits & 1) && (rc = bsdsock_fdset_set(dst, w * 64 + b)) != 0)
        return rc;
    }
  }
  return 0;
}

/* Rewrites the first nfds bits of a drop-in fd_set from the result. */
static void set_out(bsdsock_compat_fd_set *dst, const bsdsock_fdset_t *src,
                    int nfds) {
  int fd;
  for (fd = 0; fd < nfds; fd++) {
    if (bsdsock_fdset_isset(src, fd))
      bsdsock_compat_fd_setbit(fd, dst);
    else
      bsdsock_compat_fd_clrbit(fd, dst);
  }
}

/* ---- waiting on sockets and other descriptors together ------------------ */

/* poll() over an array whose entries may be pipes, the console or files
 * as well as sockets (timeout_us < 0: none). The others are asked first;
 * if one is ready the sockets are only checked (timeout 0), else they are
 * waited on for a slice, and the others asked again, until something is
 * ready or the time is up. Returns the number of entries with revents,
 * or a negative bsdsock error. */
static int mixed_poll(bsdsock_pollfd_t *fds, size_t n, int64_t timeout_us) {
  bsdsock_pollfd_t *socks;
  int64_t deadline = timeout_us < 0 ? -1 : bsdsock__now_us() + timeout_us;
  size_t i;
  int rc, ready;
  socks = bsdsock__malloc(n * sizeof(*socks));
  if (socks == NULL) return BSDSOCK_ENOMEM;
  /* bsdsock waits on a copy in which the others are skipped (fd -1). */
  for (i = 0; i < n; i++) {
    socks[i] = fds[i];
    fds[i].revents = 0;
    if (bsdsock__compat_peekable(fds[i].fd)) socks[i].fd = -1;
  }
  for (;;) {
    int64_t left, slice_ms;
    ready = 0;
    for (i = 0; i < n; i++) {
      if (fds[i].fd < 0 || socks[i].fd >= 0) continue;
      fds[i].revents = bsdsock__compat_peek(fds[i].fd, fds[i].events);
      if (fds[i].revents != 0) ready++;
    }
    slice_ms = ready > 0 ? 0 : SLICE_MS;
    if (deadline >= 0 && slice_ms > 0) {
      left = deadline - bsdsock__now_us();
      if (left < slice_ms * 1000) slice_ms = left > 0 ? (left + 999) / 1000 : 0;
    }
    rc = bsdsock_poll(socks, n, (int)slice_ms);
    if (rc < 0) break;
    for (i = 0; i < n; i++) {
      if (socks[i].fd < 0) continue;
      fds[i].revents = socks[i].revents;
    }
    rc += ready;
    if (rc > 0 || slice_ms == 0 ||
        (deadline >= 0 && bsdsock__now_us() >= deadline))
      break;
  }
  free(socks);
  return rc;
}

/* The local side of a poll (route.h): sockets of this process, and
 * pipes, the console and files asked as above. */
static int local_poll(bsdsock_pollfd_t *fds, size_t n, int timeout_ms) {
  size_t i;
  for (i = 0; fds != NULL && i < n; i++)
    if (bsdsock__compat_peekable(fds[i].fd))
      return mixed_poll(fds, n, timeout_ms < 0 ? -1
                                               : (int64_t)timeout_ms * 1000);
  return bsdsock_poll(fds, n, timeout_ms);
}

/* Whether any descriptor below nfds in the three sets is a remote
 * socket's placeholder (transparent mode, docs/wire.md). */
static int any_remote(int nfds, bsdsock_compat_fd_set *const in[3]) {
  int fd, i;
  for (fd = 0; fd < nfds; fd++)
    for (i = 0; i < 3; i++)
      if (in[i] != NULL && bsdsock_compat_fd_isset(fd, in[i]) &&
          bsdsock__route_is_remote(fd))
        return 1;
  return 0;
}

/* Whether any descriptor below nfds in the three sets needs peeking. */
static int any_peekable(int nfds, bsdsock_compat_fd_set *const in[3]) {
  int fd, i;
  for (fd = 0; fd < nfds; fd++)
    for (i = 0; i < 3; i++)
      if (in[i] != NULL && bsdsock_compat_fd_isset(fd, in[i]) &&
          bsdsock__compat_peekable(fd))
        return 1;
  return 0;
}

/* select() with pipes, the console or files among the descriptors: the
 * sets as an array for mixed_poll(), and the result back with Linux's
 * rules. A descriptor that is not open fails the call with EBADF and
 * leaves the sets as they were, as bsdsock_select does (quirk Q30). */
static int mixed_select(int nfds, bsdsock_compat_fd_set *const in[3],
                        int64_t timeout_us) {
  static const short asked[3] = {BSDSOCK_POLLIN, BSDSOCK_POLLOUT,
                                 BSDSOCK_POLLPRI};
  static const short bits[3] = {READ_BITS, WRITE_BITS, EXCEPT_BITS};
  bsdsock_pollfd_t *fds;
  size_t n = 0, k;
  int fd, i, rc;
  for (fd = 0; fd < nfds; fd++)
    for (i = 0; i < 3; i++)
      if (in[i] != NULL && bsdsock_compat_fd_isset(fd, in[i])) {
        n++;
        break;
      }
  fds = bsdsock__malloc(n * sizeof(*fds));
  if (fds == NULL) return BSDSOCK_ENOMEM;
  for (fd = 0, k = 0; fd < nfds; fd++) {
    short ev = 0;
    for (i = 0; i < 3; i++)
      if (in[i] != NULL && bsdsock_compat_fd_isset(fd, in[i])) ev |= asked[i];
    if (ev == 0) continue;
    fds[k].fd = fd;
    fds[k].events = ev;
    fds[k].revents = 0;
    k++;
  }
  rc = bsdsock__route_poll(fds, n,
                           timeout_us < 0 ? -1
                           : timeout_us / 1000 >= INT_MAX
                               ? INT_MAX
                               : (int)((timeout_us + 999) / 1000),
                           local_poll);
  for (k = 0; rc >= 0 && k < n; k++)
    if (fds[k].revents & BSDSOCK_POLLNVAL) rc = BSDSOCK_EBADF;
  if (rc >= 0) {
    rc = 0;
    for (i = 0; i < 3; i++)
      if (in[i] != NULL)
        for (fd = 0; fd < nfds; fd++) bsdsock_compat_fd_clrbit(fd, in[i]);
    for (k = 0; k < n; k++)
      for (i = 0; i < 3; i++)
        if (in[i] != NULL && (fds[k].events & asked[i]) &&
            (fds[k].revents & bits[i])) {
          bsdsock_compat_fd_setbit(fds[k].fd, in[i]);
          rc++;
        }
  }
  free(fds);
  return rc;
}

/* ---- the calls ----------------------------------------------------------- */

int bsdsock_compat_select(int nfds, bsdsock_compat_fd_set *readfds,
                          bsdsock_compat_fd_set *writefds,
                          bsdsock_compat_fd_set *exceptfds,
                          struct timeval *timeout) {
  bsdsock_compat_fd_set *in[3];
  bsdsock_fdset_t sets[3];
  bsdsock_timeval_t tv;
  int i, rc = 0;
  in[0] = readfds;
  in[1] = writefds;
  in[2] = exceptfds;
  /* A descriptor that FD_SET could not store fails the call: dropping it
   * silently is Winsock's failure mode (quirk Q25), writing past the set
   * glibc's. */
  if (nfds < 0 || nfds > BSDSOCK_COMPAT_FD_SETSIZE)
    return bsdsock__compat_fail(BSDSOCK_EINVAL);
  for (i = 0; i < 3; i++)
    if (in[i] != NULL && in[i]->overflow)
      return bsdsock__compat_fail(BSDSOCK_EINVAL);
  if (timeout != NULL) {
    if (timeout->tv_sec < 0 || timeout->tv_usec < 0)
      return bsdsock__compat_fail(BSDSOCK_EINVAL);
    tv.sec = (int64_t)timeout->tv_sec + timeout->tv_usec / 1000000;
    tv.usec = (int32_t)(timeout->tv_usec % 1000000);
  }
  if (any_peekable(nfds, in) || any_remote(nfds, in))
    return ret(mixed_select(
        nfds, in,
        timeout == NULL ? -1
        : tv.sec >= INT64_MAX / 4000000 ? INT64_MAX / 4
                                        : tv.sec * 1000000 + tv.usec));
  for (i = 0; i < 3; i++) {
    bsdsock_fdset_init(&sets[i]);
    if (rc == 0 && in[i] != NULL) rc = set_in(&sets[i], in[i], nfds);
  }
  if (rc == 0)
    rc = bsdsock_select(nfds, in[0] ? &sets[0] : NULL,
                        in[1] ? &sets[1] : NULL, in[2] ? &sets[2] : NULL,
                        timeout ? &tv : NULL);
  for (i = 0; i < 3; i++) {
    if (rc >= 0 && in[i] != NULL) set_out(in[i], &sets[i], nfds);
    bsdsock_fdset_free(&sets[i]);
  }
  return ret(rc);
}

/* The drop-in struct pollfd is bsdsock_pollfd_t and its POLL* numbers are
 * bsdsock's, so the array goes through as it is. */
int bsdsock_compat_poll(struct bsdsock_pollfd *fds, unsigned long nfds,
                        int timeout_ms) {
  if (fds != NULL && nfds > (unsigned long)BSDSOCK_FD_MAX)
    return ret(bsdsock_poll(fds, (size_t)nfds, timeout_ms));
  return ret(bsdsock__route_poll(fds, (size_t)nfds, timeout_ms, local_poll));
}
