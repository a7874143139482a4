/* SPDX-License-Identifier: MIT */
/*
 * src/posix/resolve.c - getaddrinfo()/getnameinfo() error codes on POSIX.
 *
 * glibc's EAI_* values are small negative numbers (EAI_NONAME is -2) that
 * differ between libcs; each maps to the portable code of the same name.
 * EAI_SYSTEM means "see errno", and bsdsock returns errno's own portable
 * code instead, so the cause is never lost (joyent/libuv#1316, fault F23).
 */
#include "../internal.h"

#define BSDSOCK__POSIX_EAI_MAP(X)                                            \
  X(EAI_BADFLAGS) X(EAI_NONAME) X(EAI_AGAIN) X(EAI_FAIL) X(EAI_FAMILY)       \
  X(EAI_SOCKTYPE) X(EAI_SERVICE) X(EAI_MEMORY) X(EAI_OVERFLOW)               \
  X(EAI_NODATA) X(EAI_ADDRFAMILY)

int bsdsock__gai_fail(int rc) {
  if (rc == EAI_SYSTEM) {
    /* glibc has been seen to return EAI_SYSTEM with errno 0 (Wine's
     * unixlib notes it); that is still a failure. */
    int e = errno;
    return e ? bsdsock__fail_native(e) : bsdsock__fail(BSDSOCK_EAI_SYSTEM);
  }
  bsdsock__fail_native(rc);
  switch (rc) {
#define BSDSOCK__CASE(name) case name: return BSDSOCK_##name;
    BSDSOCK__POSIX_EAI_MAP(BSDSOCK__CASE)
#undef BSDSOCK__CASE
    default: return BSDSOCK_EAI_FAIL;
  }
}
