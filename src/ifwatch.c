/* SPDX-License-Identifier: MIT */
/*
 * src/ifwatch.c - interface change notification, written once: the
 * arguments checked in the documented order (docs/design.md, "Argument
 * order"), then the backend's watch: a netlink socket on Linux
 * (src/posix/ifwatch.c), iphlpapi's notifications feeding a socket pair
 * on Windows (src/win32/ifwatch.c). bsdsock_close() closes a watch
 * (src/socket.c).
 */
#include "internal.h"

int bsdsock__ifwatch_accept_stubs;

int bsdsock_ifwatch_open(int flags) {
  int rc;
  if (flags != 0) return bsdsock__fail(BSDSOCK_EINVAL);
  if ((rc = bsdsock__os_startup()) != 0) return rc;
  return bsdsock__os_ifwatch_open();
}

/* Why fd, which is not a watch, is refused: BSDSOCK_EBADF if it is not
 * open, BSDSOCK_EINVAL if it is something else (a socket, a poller). */
static int not_a_watch(int fd) {
  bsdsock__sock_t s;
  if (bsdsock__fd_flags(fd) & BSDSOCK__FD_POLLER)
    return bsdsock__fail(BSDSOCK_EINVAL);
  s = bsdsock__fd_get(fd);
  if (!BSDSOCK__SOCK_OK(s) || bsdsock__os_check(s) != 0)
    return bsdsock__fail(BSDSOCK_EBADF);
  return bsdsock__fail(BSDSOCK_EINVAL);
}

int bsdsock_ifwatch_read(int fd, bsdsock_ifevent_t *ev, size_t n) {
  if (fd < 0) return bsdsock__fail(BSDSOCK_EBADF);
  if (!(bsdsock__fd_flags(fd) & BSDSOCK__FD_IFWATCH)) return not_a_watch(fd);
  if (ev == NULL || n == 0) return bsdsock__fail(BSDSOCK_EINVAL);
  if (n > INT_MAX) n = INT_MAX;
  return bsdsock__os_ifwatch_read(fd, ev, n);
}

/* Appends a resync to ev[0..*count) of room n, unless the last event is
 * one already (losses in a row are reported once): 1 if stored or merged,
 * 0 if there is no room. */
int bsdsock__ifwatch_resync(bsdsock_ifevent_t *ev, size_t n, size_t *count) {
  if (*count > 0 && ev[*count - 1].kind == BSDSOCK_IFEV_RESYNC) return 1;
  if (*count >= n) return 0;
  memset(&ev[*count], 0, sizeof(ev[*count]));
  ev[*count].kind = BSDSOCK_IFEV_RESYNC;
  ev[*count].addr.family = BSDSOCK_AF_UNSPEC;
  (*count)++;
  return 1;
}

int bsdsock__ifwatch_inject(int fd, const bsdsock_ifevent_t *ev) {
  if (fd < 0 || !(bsdsock__fd_flags(fd) & BSDSOCK__FD_IFWATCH))
    return BSDSOCK_EBADF;
  return bsdsock__os_ifwatch_inject(fd, ev);
}
