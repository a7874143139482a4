/*
 * src/posix/fdtable.c - descriptors on POSIX.
 *
 * The kernel already hands out the lowest free number and shares one
 * namespace between sockets and files, so a bsdsock descriptor is the
 * kernel descriptor and there is no table to keep. The state bits the
 * Windows backend has to remember are asked of the kernel instead.
 */
#include "../internal.h"

int bsdsock__fd_alloc(bsdsock__sock_t s, unsigned flags) {
  (void)flags;
  return s;
}

bsdsock__sock_t bsdsock__fd_get(int fd) {
  return fd >= 0 ? fd : BSDSOCK__INVALID_SOCK;
}

bsdsock__sock_t bsdsock__fd_release(int fd) {
  return bsdsock__fd_get(fd);
}

unsigned bsdsock__fd_flags(int fd) {
  int fl = fd >= 0 ? fcntl(fd, F_GETFL) : -1;
  return (fl != -1 && (fl & O_NONBLOCK)) ? BSDSOCK__FD_NONBLOCK : 0;
}

void bsdsock__fd_set_flags(int fd, unsigned set, unsigned clear) {
  (void)fd;
  (void)set;
  (void)clear;
}

int bsdsock__fd_limit(void) {
  return INT_MAX;
}

int bsdsock__fd_error_seen(int fd) {
  (void)fd;
  return 0;
}

void bsdsock__fd_set_error_seen(int fd, int err) {
  (void)fd;
  (void)err;
}
