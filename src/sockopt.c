/* SPDX-License-Identifier: MIT */
/*
 * src/sockopt.c - the socket option table, and setsockopt/getsockopt
 * written once: the option looked up, the value's size and range checked,
 * then the backend converts the value to the OS's type (src/os.h).
 */
#include "internal.h"

/* X(level, name, type, access, on): portable BSDSOCK_<level>/BSDSOCK_<name>,
 * native <level>/<name>, the value's type on the API side, whether it can
 * be read and/or set, and the sockets it is for (BSDSOCK__ON_*, ANY for
 * all): on any other socket it is ENOPROTOOPT everywhere (misuse.c). */
#define BSDSOCK__SOCKOPT_MAP(X)                                              \
  X(SOL_SOCKET, SO_DEBUG, INT, RW, ANY)                                      \
  X(SOL_SOCKET, SO_ACCEPTCONN, BOOL, RD, ANY)                                \
  X(SOL_SOCKET, SO_REUSEADDR, REUSEADDR, RW, ANY)                            \
  X(SOL_SOCKET, SO_KEEPALIVE, BOOL, RW, ANY)                                 \
  X(SOL_SOCKET, SO_DONTROUTE, BOOL, RW, ANY)                                 \
  X(SOL_SOCKET, SO_BROADCAST, BOOL, RW, ANY)                                 \
  /* Winsock refuses it on datagram sockets, Linux keeps it unused. */       \
  X(SOL_SOCKET, SO_LINGER, LINGER, RW, STREAM | BSDSOCK__ON_CHECK)           \
  X(SOL_SOCKET, SO_OOBINLINE, BOOL, RW, ANY)                                 \
  /* Native 0 where the OS has no such option (Windows): ENOPROTOOPT. */     \
  X(SOL_SOCKET, SO_REUSEPORT, BOOL, RW, ANY)                                 \
  X(SOL_SOCKET, SO_SNDBUF, BUFSIZE, RW, ANY)                                 \
  X(SOL_SOCKET, SO_RCVBUF, BUFSIZE, RW, ANY)                                 \
  X(SOL_SOCKET, SO_SNDLOWAT, INT, RW, ANY)                                   \
  X(SOL_SOCKET, SO_RCVLOWAT, INT, RW, ANY)                                   \
  X(SOL_SOCKET, SO_SNDTIMEO, TIMEVAL, RW, ANY)                               \
  X(SOL_SOCKET, SO_RCVTIMEO, TIMEVAL, RW, ANY)                               \
  X(SOL_SOCKET, SO_ERROR, ERROR, RD, ANY)                                    \
  X(SOL_SOCKET, SO_TYPE, SOCKTYPE, RD, ANY)                                  \
  X(IPPROTO_TCP, TCP_NODELAY, BOOL, RW, STREAM)                              \
  /* Checked first: Windows' SIO_KEEPALIVE_VALS fallback takes any socket. */\
  X(IPPROTO_TCP, TCP_KEEPIDLE, KEEPTIME, RW, STREAM | BSDSOCK__ON_CHECK)     \
  X(IPPROTO_TCP, TCP_KEEPINTVL, KEEPTIME, RW, STREAM | BSDSOCK__ON_CHECK)    \
  X(IPPROTO_TCP, TCP_KEEPCNT, KEEPCNT, RW, STREAM | BSDSOCK__ON_CHECK)       \
  X(IPPROTO_IP, IP_TOS, INT, RW, IP)                                         \
  X(IPPROTO_IP, IP_TTL, INT, RW, IP)                                         \
  X(IPPROTO_IP, IP_MULTICAST_IF, IN_ADDR, RW, IP | BSDSOCK__ON_DGRAM)        \
  X(IPPROTO_IP, IP_MULTICAST_TTL, INT, RW, IP | BSDSOCK__ON_DGRAM)           \
  X(IPPROTO_IP, IP_MULTICAST_LOOP, BOOL, RW, IP | BSDSOCK__ON_DGRAM)         \
  X(IPPROTO_IP, IP_ADD_MEMBERSHIP, MREQ, WR, IP | BSDSOCK__ON_DGRAM)         \
  X(IPPROTO_IP, IP_DROP_MEMBERSHIP, MREQ, WR, IP | BSDSOCK__ON_DGRAM)        \
  /* Ancillary-data switches: Winsock takes them on datagram sockets only,  \
   * Linux on any; datagram sockets only, everywhere. */                     \
  X(IPPROTO_IP, IP_PKTINFO, BOOL, RW, IP | BSDSOCK__ON_DGRAM | BSDSOCK__ON_CHECK) \
  X(IPPROTO_IP, IP_RECVTOS, BOOL, RW, IP | BSDSOCK__ON_DGRAM | BSDSOCK__ON_CHECK) \
  /* IPv6 options: Wine takes some of them on an IPv4 socket silently. */    \
  X(IPPROTO_IPV6, IPV6_UNICAST_HOPS, INT, RW, IP6 | BSDSOCK__ON_CHECK)       \
  X(IPPROTO_IPV6, IPV6_MULTICAST_IF, INT, RW, MC6)                           \
  X(IPPROTO_IPV6, IPV6_MULTICAST_HOPS, INT, RW, MC6)                         \
  X(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, BOOL, RW, MC6)                        \
  X(IPPROTO_IPV6, IPV6_JOIN_GROUP, MREQ6, WR, MC6)                           \
  X(IPPROTO_IPV6, IPV6_LEAVE_GROUP, MREQ6, WR, MC6)                          \
  X(IPPROTO_IPV6, IPV6_V6ONLY, BOOL, RW, IP6 | BSDSOCK__ON_CHECK)            \
  X(IPPROTO_IPV6, IPV6_TCLASS, INT, RW, IP6 | BSDSOCK__ON_CHECK)             \
  X(IPPROTO_IPV6, IPV6_RECVTCLASS, BOOL, RW, MC6)                            \
  X(IPPROTO_IPV6, IPV6_RECVPKTINFO, BOOL, RW, MC6)

static const struct bsdsock__optdesc opts[] = {
#define BSDSOCK__OPT_ROW(level, name, type, access, on)                      \
  {BSDSOCK_##level, BSDSOCK_##name, level, name, BSDSOCK__OPT_##type,        \
   BSDSOCK__OPT_##access, BSDSOCK__ON_##on},
    BSDSOCK__SOCKOPT_MAP(BSDSOCK__OPT_ROW)
#undef BSDSOCK__OPT_ROW
};

const struct bsdsock__optdesc *bsdsock__opt_table(size_t *n) {
  *n = sizeof(opts) / sizeof(opts[0]);
  return opts;
}

const struct bsdsock__optdesc *bsdsock__opt_find(int level, int name) {
  size_t i;
  for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
    if (opts[i].level == level && opts[i].name == name) return &opts[i];
  return NULL;
}

size_t bsdsock__opt_size(enum bsdsock__opttype type) {
  switch (type) {
    case BSDSOCK__OPT_LINGER: return sizeof(bsdsock_linger_t);
    case BSDSOCK__OPT_TIMEVAL: return sizeof(bsdsock_timeval_t);
    case BSDSOCK__OPT_IN_ADDR: return 4;
    case BSDSOCK__OPT_MREQ: return sizeof(bsdsock_ip_mreq_t);
    case BSDSOCK__OPT_MREQ6: return sizeof(bsdsock_ipv6_mreq_t);
    default: return sizeof(int);
  }
}

/* Whether a portable value is one bsdsock accepts for the option (sizes
 * are checked before): the same range on every platform, so a value one
 * OS would take and the other refuse is refused everywhere. */
static int value_ok(const struct bsdsock__optdesc *d, const void *value) {
  if (d->type == BSDSOCK__OPT_TIMEVAL) {
    const bsdsock_timeval_t *tv = (const bsdsock_timeval_t *)value;
    return tv->sec >= 0 && tv->usec >= 0 && tv->usec <= 999999;
  }
  if (d->type == BSDSOCK__OPT_KEEPTIME) {
    int v = *(const int *)value;
    return v >= 1 && v <= BSDSOCK__KEEPTIME_MAX;
  }
  if (d->type == BSDSOCK__OPT_KEEPCNT) {
    int v = *(const int *)value;
    return v >= 1 && v <= BSDSOCK__KEEPCNT_MAX;
  }
  if (d->type == BSDSOCK__OPT_LINGER) {
    const bsdsock_linger_t *l = (const bsdsock_linger_t *)value;
    return l->seconds >= 0 && l->seconds <= BSDSOCK__LINGER_MAX;
  }
  return 1;
}

/* A timeout longer than BSDSOCK__TIMEO_MAX_SEC is that: the longest every
 * platform holds. Winsock's DWORD of milliseconds would otherwise wrap
 * (18,446,744,073,709,552 s became 0.384 s) where Linux kept it; both now
 * read back the same value. Returns the value to set: tv itself, or
 * *out. */
static const void *clamp_timeout(const bsdsock_timeval_t *tv,
                                 bsdsock_timeval_t *out) {
  if (tv->sec < BSDSOCK__TIMEO_MAX_SEC) return tv;
  out->sec = BSDSOCK__TIMEO_MAX_SEC;
  out->usec = 0;
  return out;
}

/* The option's row, if it exists and allows `access` (setting a read-only
 * option such as SO_ERROR, or reading a set-only one such as a multicast
 * membership, is ENOPROTOOPT too: the OS has no such option that way). */
static const struct bsdsock__optdesc *lookup(int level, int name, int access) {
  const struct bsdsock__optdesc *d = bsdsock__opt_find(level, name);
  /* A native name of 0: the OS has no such option (setup.h). */
  return d != NULL && (d->access & access) && d->native_name != 0 ? d : NULL;
}

int bsdsock_setsockopt(int fd, int level, int name, const void *value,
                       size_t len) {
  const struct bsdsock__optdesc *d;
  bsdsock_timeval_t tv;
  bsdsock__sock_t s;
  int rc;
  BSDSOCK__SOCKET(s, fd);
  d = lookup(level, name, BSDSOCK__OPT_WR);
  if (d == NULL) return bsdsock__arg_fail(s, BSDSOCK_ENOPROTOOPT);
  if (value == NULL || len != bsdsock__opt_size(d->type) ||
      !value_ok(d, value))
    return bsdsock__arg_fail(s, BSDSOCK_EINVAL);
  if (d->type == BSDSOCK__OPT_TIMEVAL)
    value = clamp_timeout((const bsdsock_timeval_t *)value, &tv);
  if ((d->on & BSDSOCK__ON_CHECK) && (rc = bsdsock__opt_fits(s, d->on)) != 0)
    return bsdsock__fail(rc);
  rc = bsdsock__os_setsockopt(fd, s, d, value);
  if (rc == 0) return 0;
  return bsdsock__misuse(BSDSOCK__CALL_SOCKOPT, fd, s, rc, NULL, d->on);
}

int bsdsock_getsockopt(int fd, int level, int name, void *value,
                       size_t *len) {
  const struct bsdsock__optdesc *d;
  bsdsock__sock_t s;
  int rc;
  BSDSOCK__SOCKET(s, fd);
  d = lookup(level, name, BSDSOCK__OPT_RD);
  if (d == NULL) return bsdsock__arg_fail(s, BSDSOCK_ENOPROTOOPT);
  if (value == NULL || len == NULL || *len < bsdsock__opt_size(d->type))
    return bsdsock__arg_fail(s, BSDSOCK_EINVAL);
  if ((d->on & BSDSOCK__ON_CHECK) && (rc = bsdsock__opt_fits(s, d->on)) != 0)
    return bsdsock__fail(rc);
  rc = bsdsock__os_getsockopt(fd, s, d, value);
  if (rc != 0)
    return bsdsock__misuse(BSDSOCK__CALL_SOCKOPT, fd, s, rc, NULL, d->on);
  *len = bsdsock__opt_size(d->type);
  return 0;
}
