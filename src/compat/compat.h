/* SPDX-License-Identifier: MIT */
/*
 * src/compat/compat.h - what the two drop-in layers share.
 *
 * src/compat/bsd/ gives programs written for BSD sockets the BSD API on
 * Windows; src/compat/winsock/ gives programs written for Winsock the
 * Winsock API on POSIX (docs/compat.md). Both are clients of bsdsock's
 * public API: they convert the caller's native constants, sockaddrs and
 * option values, call bsdsock_*, and report failures the way their API
 * does. They reach past the public API only for what it does not offer:
 * the option table's value types (bsdsock__opt_find), the C runtime's
 * errno numbers (bsdsock__os_crt_errno), the resolver's error mapping, raw
 * ioctls such as FIONREAD, and options bsdsock does not know.
 *
 * Everything here is static inline: each build compiles one direction's
 * api.c, and the portable fdset.c uses only the first helper.
 */
#ifndef BSDSOCK_COMPAT_INTERNAL_H
#define BSDSOCK_COMPAT_INTERNAL_H

#include "../internal.h"

#include <errno.h>

/* ---- errors -------------------------------------------------------------- */

/* Fails a drop-in call the POSIX way: errno set to the C runtime's value
 * for the portable code (EINVAL if it has none) and -1. */
static inline int bsdsock__compat_fail(int portable) {
  int e = bsdsock__os_crt_errno(portable);
  errno = e != 0 ? e : EINVAL;
  return -1;
}

/* ---- socket kinds ------------------------------------------------------- */

/* A native socket type (its SOCK_NONBLOCK / SOCK_CLOEXEC bits taken off by
 * the caller) and protocol as bsdsock's, for socket() and socketpair():
 * 0, BSDSOCK_ESOCKTNOSUPPORT or BSDSOCK_EPROTONOSUPPORT. */
static inline int bsdsock__compat_kind_in(int type, int protocol, int *ptype,
                                          int *pproto) {
  *pproto = 0;
  if (bsdsock_const_from_native(BSDSOCK_CONST_SOCKTYPE, type, ptype) != 0)
    return BSDSOCK_ESOCKTNOSUPPORT;
  if (protocol != 0 &&
      bsdsock_const_from_native(BSDSOCK_CONST_PROTO, protocol, pproto) != 0)
    return BSDSOCK_EPROTONOSUPPORT;
  return 0;
}

/* ---- native sockaddrs -------------------------------------------------------
 * Both APIs pass the platform's struct sockaddr with an int length. */

/* A sockaddr argument as bsdsock's address: 0, BSDSOCK_EINVAL (NULL, or
 * too short for its family) or BSDSOCK_EAFNOSUPPORT. */
static inline int bsdsock__compat_addr_in(bsdsock_addr_t *a,
                                          const struct sockaddr *sa, int len) {
  if (sa == NULL || len <= 0) return BSDSOCK_EINVAL;
  return bsdsock_addr_from_native(a, sa, (size_t)len);
}

/* Whether an (addr, addrlen) result pair can take an address: no buffer
 * at all, or one whose length is there and not negative. */
static inline int bsdsock__compat_addr_out_ok(const struct sockaddr *sa,
                                              const int *len) {
  return sa == NULL || (len != NULL && *len >= 0);
}

/* Stores a into the caller's buffer (if any), truncated to *len bytes as
 * BSD does; *len gets the full native length, 0 for an address with no
 * native form (the "no address" of a connected stream's recvfrom). */
static inline void bsdsock__compat_addr_out(const bsdsock_addr_t *a,
                                            struct sockaddr *sa, int *len) {
  struct sockaddr_storage ss;
  size_t n = sizeof(ss);
  if (sa == NULL) return;
  if (a->family == BSDSOCK_AF_UNSPEC || bsdsock_addr_to_native(a, &ss, &n) != 0)
    n = 0;
  memcpy(sa, &ss, n < (size_t)*len ? n : (size_t)*len);
  *len = (int)n;
}

/* ---- option values ----------------------------------------------------------
 * An option bsdsock knows, in the value shape legacy code passes, and in
 * bsdsock's type (bsdsock__opt_size(d->type) bytes). The shapes: the
 * platform's struct linger; for SO_RCVTIMEO/SO_SNDTIMEO a struct timeval
 * or a DWORD of milliseconds (quirk Q47); an int, or a single byte, as
 * Winsock code passes booleans (quirk Q48); in_addr, ip_mreq and
 * ipv6_mreq, which have bsdsock's layouts. */

union bsdsock__compat_opt {
  int i;
  bsdsock_linger_t linger;
  bsdsock_timeval_t tv;
  unsigned char raw[sizeof(bsdsock_ipv6_mreq_t)]; /* IN_ADDR, MREQ, MREQ6 */
};

/* The caller's value -> bsdsock's. 0, or -1 when len is too short for the
 * shape (each API reports that its own way). */
static inline int bsdsock__compat_opt_in(const struct bsdsock__optdesc *d,
                                         const void *value, int len,
                                         union bsdsock__compat_opt *out) {
  size_t size = bsdsock__opt_size(d->type);
  switch (d->type) {
    case BSDSOCK__OPT_LINGER: {
      struct linger l;
      if (len < (int)sizeof(l)) return -1;
      memcpy(&l, value, sizeof(l));
      out->linger.onoff = l.l_onoff;
      out->linger.seconds = l.l_linger;
      return 0;
    }
    case BSDSOCK__OPT_TIMEVAL:
      if (len == (int)sizeof(uint32_t)) {
        uint32_t ms;
        memcpy(&ms, value, sizeof(ms));
        out->tv.sec = ms / 1000;
        out->tv.usec = (int32_t)(ms % 1000) * 1000;
      } else {
        struct timeval t;
        if (len < (int)sizeof(t)) return -1;
        memcpy(&t, value, sizeof(t));
        out->tv.sec = t.tv_sec;
        out->tv.usec = (int32_t)t.tv_usec;
      }
      return 0;
    case BSDSOCK__OPT_IN_ADDR:
    case BSDSOCK__OPT_MREQ:
    case BSDSOCK__OPT_MREQ6:
      if (len < (int)size) return -1;
      memcpy(out->raw, value, size);
      return 0;
    default:
      if (len == 1)
        out->i = *(const unsigned char *)value;
      else if (len >= (int)sizeof(int))
        memcpy(&out->i, value, sizeof(int));
      else
        return -1;
      return 0;
  }
}

/* bsdsock's value -> the caller's buffer of *len bytes; *len gets the
 * size written. A timeout goes out as a DWORD of milliseconds when
 * dword_ms is set (Winsock's shape) or the buffer is exactly a DWORD, else
 * as a struct timeval; an int option into a buffer shorter than an int as
 * one byte; SO_TYPE as the native number. SO_ERROR is the caller's to turn
 * into its API's number first. 0, or -1 when the buffer is too small. */
static inline int bsdsock__compat_opt_out(const struct bsdsock__optdesc *d,
                                          union bsdsock__compat_opt *v,
                                          void *value, int *len,
                                          int dword_ms) {
  size_t size = bsdsock__opt_size(d->type);
  switch (d->type) {
    case BSDSOCK__OPT_LINGER: {
      struct linger l;
      if (*len < (int)sizeof(l)) return -1;
      memset(&l, 0, sizeof(l));
      l.l_onoff = v->linger.onoff;
      l.l_linger = v->linger.seconds;
      memcpy(value, &l, sizeof(l));
      *len = (int)sizeof(l);
      return 0;
    }
    case BSDSOCK__OPT_TIMEVAL:
      if (dword_ms || *len == (int)sizeof(uint32_t)) {
        uint64_t ms =
            (uint64_t)v->tv.sec * 1000u + (uint64_t)v->tv.usec / 1000u;
        uint32_t ms32 = ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
        if (*len < (int)sizeof(ms32)) return -1;
        memcpy(value, &ms32, sizeof(ms32));
        *len = (int)sizeof(ms32);
      } else {
        struct timeval t;
        if (*len < (int)sizeof(t)) return -1;
        memset(&t, 0, sizeof(t));
        t.tv_sec = v->tv.sec;
        t.tv_usec = v->tv.usec;
        memcpy(value, &t, sizeof(t));
        *len = (int)sizeof(t);
      }
      return 0;
    case BSDSOCK__OPT_IN_ADDR:
    case BSDSOCK__OPT_MREQ:
    case BSDSOCK__OPT_MREQ6:
      if (*len < (int)size) return -1;
      memcpy(value, v->raw, size);
      *len = (int)size;
      return 0;
    default:
      if (d->type == BSDSOCK__OPT_SOCKTYPE &&
          bsdsock_const_to_native(BSDSOCK_CONST_SOCKTYPE, v->i, &v->i) != 0)
        v->i = 0;
      if (*len >= (int)sizeof(int)) {
        memcpy(value, &v->i, sizeof(int));
        *len = (int)sizeof(int);
      } else if (*len >= 1) {
        *(unsigned char *)value = (unsigned char)v->i;
        *len = 1;
      } else {
        return -1;
      }
      return 0;
  }
}

#endif /* BSDSOCK_COMPAT_INTERNAL_H */
