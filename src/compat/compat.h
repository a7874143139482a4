/*
 * src/compat/compat.h - what the two drop-in layers share.
 *
 * src/compat/bsd/ gives programs written for BSD sockets the BSD API on
 * Windows; src/compat/winsock/ gives programs written for Winsock the
 * Winsock API on POSIX (docs/compat.md). Both are clients of bsdsock's
 * public API: they convert the caller's native constants and sockaddrs,
 * call bsdsock_*, and report failures the way their API does. They reach
 * past the public API only for what it does not offer (the option table's
 * value types, the C runtime's errno numbers, raw ioctls such as FIONREAD).
 */
#ifndef BSDSOCK_COMPAT_INTERNAL_H
#define BSDSOCK_COMPAT_INTERNAL_H

#include "../internal.h"

#include <errno.h>

/* Fails a drop-in call the POSIX way: errno set to the C runtime's value
 * for the portable code (EINVAL if it has none) and -1. */
static inline int bsdsock__compat_fail(int portable) {
  int e = bsdsock__os_crt_errno(portable);
  errno = e != 0 ? e : EINVAL;
  return -1;
}

#endif /* BSDSOCK_COMPAT_INTERNAL_H */
