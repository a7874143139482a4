/* SPDX-License-Identifier: MIT */
/*
 * src/win32/resolve.c - getaddrinfo()/getnameinfo() error codes on Winsock.
 *
 * Winsock's EAI_* constants are WSA codes (EAI_NONAME is WSAHOST_NOT_FOUND,
 * EAI_BADFLAGS is WSAEINVAL; quirk Q15). In a resolver call they mean the
 * resolver error, so they map to the EAI range here rather than through the
 * general WSA table (where WSAEINVAL is EINVAL).
 */
#include "../internal.h"

#define BSDSOCK__WIN32_EAI_MAP(X)                                            \
  X(EAI_BADFLAGS) X(EAI_NONAME) X(EAI_AGAIN) X(EAI_FAIL) X(EAI_FAMILY)       \
  X(EAI_SOCKTYPE) X(EAI_SERVICE) X(EAI_MEMORY) X(EAI_NODATA)

int bsdsock__gai_fail(int rc) {
  bsdsock__fail_native(rc);
  switch (rc) {
#define BSDSOCK__CASE(name) case name: return BSDSOCK_##name;
    BSDSOCK__WIN32_EAI_MAP(BSDSOCK__CASE)
#undef BSDSOCK__CASE
    default: return bsdsock_translate_error(rc);
  }
}
