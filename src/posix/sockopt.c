/* SPDX-License-Identifier: MIT */
/*
 * src/posix/sockopt.c - socket options on POSIX: the portable value types
 * of src/sockopt.c's table (checked there) converted to the kernel's.
 */
#include "../internal.h"

int bsdsock__os_setsockopt(int fd, int s, const struct bsdsock__optdesc *d,
                           const void *value) {
  struct linger lg;
  struct timeval tv;
  struct ip_mreq mr;
  struct ipv6_mreq mr6;
  const void *nv = value;
  socklen_t nlen = sizeof(int);
  int iv;
  (void)fd;
  switch (d->type) {
    case BSDSOCK__OPT_BOOL:
    case BSDSOCK__OPT_REUSEADDR:
      /* Linux's SO_REUSEADDR already means "rebind over TIME_WAIT, refuse
       * a second live listener"; booleans are normalised to 0/1. */
      iv = *(const int *)value != 0;
      nv = &iv;
      break;
    case BSDSOCK__OPT_LINGER: {
      const bsdsock_linger_t *l = (const bsdsock_linger_t *)value;
      lg.l_onoff = l->onoff != 0;
      lg.l_linger = l->seconds;
      nv = &lg;
      nlen = sizeof(lg);
      break;
    }
    case BSDSOCK__OPT_TIMEVAL: {
      const bsdsock_timeval_t *t = (const bsdsock_timeval_t *)value;
      tv.tv_sec = (time_t)t->sec;
      tv.tv_usec = t->usec;
      nv = &tv;
      nlen = sizeof(tv);
      break;
    }
    case BSDSOCK__OPT_IN_ADDR:
      nlen = 4;
      break;
    case BSDSOCK__OPT_MREQ: {
      const bsdsock_ip_mreq_t *m = (const bsdsock_ip_mreq_t *)value;
      memcpy(&mr.imr_multiaddr, m->multiaddr, 4);
      memcpy(&mr.imr_interface, m->ifaddr, 4);
      nv = &mr;
      nlen = sizeof(mr);
      break;
    }
    case BSDSOCK__OPT_MREQ6: {
      const bsdsock_ipv6_mreq_t *m = (const bsdsock_ipv6_mreq_t *)value;
      memcpy(&mr6.ipv6mr_multiaddr, m->multiaddr, 16);
      mr6.ipv6mr_interface = m->ifindex;
      nv = &mr6;
      nlen = sizeof(mr6);
      break;
    }
    default:
      break;
  }
  if (BSDSOCK__OS(setsockopt, -1,
                  setsockopt(s, d->native_level, d->native_name, nv,
                             nlen)) != 0)
    return bsdsock__fail_os();
  return 0;
}

int bsdsock__os_getsockopt(int fd, int s, const struct bsdsock__optdesc *d,
                           void *value) {
  union {
    int i;
    struct linger lg;
    struct timeval tv;
    struct in_addr in;
  } nv;
  socklen_t nlen = sizeof(nv);
  int ptype;
  (void)fd;
  memset(&nv, 0, sizeof(nv));
  if (BSDSOCK__OS(getsockopt, -1,
                  getsockopt(s, d->native_level, d->native_name, &nv,
                             &nlen)) != 0)
    return bsdsock__fail_os();
  switch (d->type) {
    case BSDSOCK__OPT_BOOL:
    case BSDSOCK__OPT_REUSEADDR:
      *(int *)value = nv.i != 0;
      break;
    case BSDSOCK__OPT_BUFSIZE:
#ifdef BSDSOCK_HAVE_DOUBLED_BUFSIZE
      /* Linux reports twice the size set, to account for its bookkeeping
       * overhead (socket(7)); bsdsock reports the size set (quirk Q49). */
      *(int *)value = nv.i / 2;
#else
      *(int *)value = nv.i;
#endif
      break;
    case BSDSOCK__OPT_LINGER: {
      bsdsock_linger_t *l = (bsdsock_linger_t *)value;
      l->onoff = nv.lg.l_onoff != 0;
      l->seconds = nv.lg.l_linger;
      break;
    }
    case BSDSOCK__OPT_TIMEVAL: {
      bsdsock_timeval_t *t = (bsdsock_timeval_t *)value;
      t->sec = nv.tv.tv_sec;
      t->usec = (int32_t)nv.tv.tv_usec;
      break;
    }
    case BSDSOCK__OPT_ERROR:
      *(int *)value = bsdsock_translate_error(nv.i);
      break;
    case BSDSOCK__OPT_SOCKTYPE:
      if (bsdsock__const_from_native(BSDSOCK_CONST_SOCKTYPE, nv.i, &ptype))
        return bsdsock__fail(BSDSOCK_EOPNOTSUPP);
      *(int *)value = ptype;
      break;
    case BSDSOCK__OPT_IN_ADDR:
      memcpy(value, &nv.in, 4);
      break;
    default:
      *(int *)value = nv.i;
      break;
  }
  return 0;
}
