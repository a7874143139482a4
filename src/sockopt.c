/*
 * src/sockopt.c - the socket option table and the argument checks shared
 * by both backends' bsdsock_setsockopt/getsockopt.
 */
#include "internal.h"

/* X(level, name, type, access): portable BSDSOCK_<level>/BSDSOCK_<name>,
 * native <level>/<name>, the value's type on the API side. */
#define BSDSOCK__SOCKOPT_MAP(X)                                              \
  X(SOL_SOCKET, SO_DEBUG, INT, RW)                                           \
  X(SOL_SOCKET, SO_ACCEPTCONN, BOOL, RD)                                     \
  X(SOL_SOCKET, SO_REUSEADDR, REUSEADDR, RW)                                 \
  X(SOL_SOCKET, SO_KEEPALIVE, BOOL, RW)                                      \
  X(SOL_SOCKET, SO_DONTROUTE, BOOL, RW)                                      \
  X(SOL_SOCKET, SO_BROADCAST, BOOL, RW)                                      \
  X(SOL_SOCKET, SO_LINGER, LINGER, RW)                                       \
  X(SOL_SOCKET, SO_OOBINLINE, BOOL, RW)                                      \
  X(SOL_SOCKET, SO_SNDBUF, BUFSIZE, RW)                                      \
  X(SOL_SOCKET, SO_RCVBUF, BUFSIZE, RW)                                      \
  X(SOL_SOCKET, SO_SNDLOWAT, INT, RW)                                        \
  X(SOL_SOCKET, SO_RCVLOWAT, INT, RW)                                        \
  X(SOL_SOCKET, SO_SNDTIMEO, TIMEVAL, RW)                                    \
  X(SOL_SOCKET, SO_RCVTIMEO, TIMEVAL, RW)                                    \
  X(SOL_SOCKET, SO_ERROR, ERROR, RD)                                         \
  X(SOL_SOCKET, SO_TYPE, SOCKTYPE, RD)                                       \
  X(IPPROTO_TCP, TCP_NODELAY, BOOL, RW)                                      \
  X(IPPROTO_IP, IP_TOS, INT, RW)                                             \
  X(IPPROTO_IP, IP_TTL, INT, RW)                                             \
  X(IPPROTO_IP, IP_MULTICAST_IF, IN_ADDR, RW)                                \
  X(IPPROTO_IP, IP_MULTICAST_TTL, INT, RW)                                   \
  X(IPPROTO_IP, IP_MULTICAST_LOOP, BOOL, RW)                                 \
  X(IPPROTO_IP, IP_ADD_MEMBERSHIP, MREQ, WR)                                 \
  X(IPPROTO_IP, IP_DROP_MEMBERSHIP, MREQ, WR)                                \
  X(IPPROTO_IPV6, IPV6_UNICAST_HOPS, INT, RW)                                \
  X(IPPROTO_IPV6, IPV6_MULTICAST_IF, INT, RW)                                \
  X(IPPROTO_IPV6, IPV6_MULTICAST_HOPS, INT, RW)                               \
  X(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, BOOL, RW)                              \
  X(IPPROTO_IPV6, IPV6_JOIN_GROUP, MREQ6, WR)                                \
  X(IPPROTO_IPV6, IPV6_LEAVE_GROUP, MREQ6, WR)                               \
  X(IPPROTO_IPV6, IPV6_V6ONLY, BOOL, RW)

static const struct bsdsock__optdesc opts[] = {
#define BSDSOCK__OPT_ROW(level, name, type, access)                          \
  {BSDSOCK_##level, BSDSOCK_##name, level, name, BSDSOCK__OPT_##type,        \
   BSDSOCK__OPT_##access},
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

const struct bsdsock__optdesc *bsdsock__opt_check(int level, int name,
                                                  int access,
                                                  const void *value,
                                                  size_t len, int *err) {
  const struct bsdsock__optdesc *d = bsdsock__opt_find(level, name);
  if (d == NULL) {
    *err = bsdsock__fail(BSDSOCK_ENOPROTOOPT);
    return NULL;
  }
  if (value == NULL || len < bsdsock__opt_size(d->type) ||
      (access == BSDSOCK__OPT_WR && len != bsdsock__opt_size(d->type))) {
    *err = bsdsock__fail(BSDSOCK_EINVAL);
    return NULL;
  }
  if ((d->access & access) == 0) {
    /* Setting a read-only option (SO_ERROR, SO_TYPE) or reading a
     * set-only one (multicast membership). */
    *err = bsdsock__fail(BSDSOCK_ENOPROTOOPT);
    return NULL;
  }
  if (d->type == BSDSOCK__OPT_TIMEVAL && access == BSDSOCK__OPT_WR) {
    const bsdsock_timeval_t *tv = (const bsdsock_timeval_t *)value;
    if (tv->sec < 0 || tv->usec < 0 || tv->usec > 999999) {
      *err = bsdsock__fail(BSDSOCK_EINVAL);
      return NULL;
    }
  }
  return d;
}
