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
 */
#include "../compat.h"
#include "bsdsock/compat_bsd.h"
#include "bsdsock/poll.h"

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
  return ret(bsdsock_poll(fds, (size_t)nfds, timeout_ms));
}
