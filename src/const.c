/* SPDX-License-Identifier: MIT */
/*
 * src/const.c - portable constant <-> native constant translation.
 *
 * One X-macro table per kind of constant, written with the native macro
 * names (identical on POSIX and Winsock; src/setup.h fills in 0 for the
 * few a platform lacks). Enumerated kinds map value to value; bit-mask
 * kinds map bit to bit, and a native 0 in a mask row means "this platform
 * has no such flag".
 */
#include "internal.h"

struct constmap {
  int portable;
  int native;
};

#define BSDSOCK__ROW(name) {BSDSOCK_##name, name},

#define BSDSOCK__AF_MAP(X) X(AF_UNSPEC) X(AF_UNIX) X(AF_INET) X(AF_INET6)
#define BSDSOCK__SOCKTYPE_MAP(X)                                             \
  X(SOCK_STREAM) X(SOCK_DGRAM) X(SOCK_RAW) X(SOCK_SEQPACKET)
#define BSDSOCK__PROTO_MAP(X)                                                \
  X(IPPROTO_IP) X(IPPROTO_ICMP) X(IPPROTO_TCP) X(IPPROTO_UDP)                \
  X(IPPROTO_IPV6) X(IPPROTO_ICMPV6)
#define BSDSOCK__LEVEL_MAP(X)                                                \
  X(SOL_SOCKET) X(IPPROTO_IP) X(IPPROTO_TCP) X(IPPROTO_UDP) X(IPPROTO_IPV6)
#define BSDSOCK__MSG_MAP(X)                                                  \
  X(MSG_OOB) X(MSG_PEEK) X(MSG_DONTROUTE) X(MSG_TRUNC) X(MSG_CTRUNC)         \
  X(MSG_WAITALL) X(MSG_DONTWAIT) X(MSG_NOSIGNAL)
#define BSDSOCK__SHUT_MAP(X) X(SHUT_RD) X(SHUT_WR) X(SHUT_RDWR)
/* Composite native bits first: Winsock's POLLIN is RDNORM|RDBAND, and the
 * reverse mapping takes the first row whose bits are all present.
 * POLLWRNORM is a bit of its own on Linux (0x100, reported with POLLOUT)
 * but equals POLLOUT in bsdsock and Winsock; its row only matters in the
 * native -> portable direction, where it reads as POLLOUT. */
#define BSDSOCK__POLL_MAP(X)                                                 \
  X(POLLIN) X(POLLOUT) X(POLLWRNORM) X(POLLRDNORM) X(POLLRDBAND) X(POLLPRI)  \
  X(POLLWRBAND) X(POLLERR) X(POLLHUP) X(POLLNVAL)
#define BSDSOCK__AI_MAP(X)                                                   \
  X(AI_PASSIVE) X(AI_CANONNAME) X(AI_NUMERICHOST) X(AI_NUMERICSERV)          \
  X(AI_ALL) X(AI_ADDRCONFIG) X(AI_V4MAPPED)
#define BSDSOCK__NI_MAP(X)                                                   \
  X(NI_NOFQDN) X(NI_NUMERICHOST) X(NI_NAMEREQD) X(NI_NUMERICSERV) X(NI_DGRAM)

static const struct constmap af_map[] = {BSDSOCK__AF_MAP(BSDSOCK__ROW)};
static const struct constmap socktype_map[] = {
    BSDSOCK__SOCKTYPE_MAP(BSDSOCK__ROW)};
static const struct constmap proto_map[] = {BSDSOCK__PROTO_MAP(BSDSOCK__ROW)};
static const struct constmap level_map[] = {BSDSOCK__LEVEL_MAP(BSDSOCK__ROW)};
static const struct constmap msg_map[] = {BSDSOCK__MSG_MAP(BSDSOCK__ROW)};
static const struct constmap shut_map[] = {BSDSOCK__SHUT_MAP(BSDSOCK__ROW)};
static const struct constmap poll_map[] = {BSDSOCK__POLL_MAP(BSDSOCK__ROW)};
static const struct constmap ai_map[] = {BSDSOCK__AI_MAP(BSDSOCK__ROW)};
static const struct constmap ni_map[] = {BSDSOCK__NI_MAP(BSDSOCK__ROW)};

struct kind {
  const struct constmap *map;
  size_t n;
  int is_mask;
};

#define BSDSOCK__KIND(map, mask) {map, sizeof(map) / sizeof(map[0]), mask}

static const struct kind *kind_of(int kind) {
  static const struct kind kinds[] = {
      BSDSOCK__KIND(af_map, 0),       BSDSOCK__KIND(socktype_map, 0),
      BSDSOCK__KIND(proto_map, 0),    BSDSOCK__KIND(level_map, 0),
      {NULL, 0, 0} /* SOCKOPT: see bsdsock_sockopt_to_native */,
      BSDSOCK__KIND(msg_map, 1),      BSDSOCK__KIND(shut_map, 0),
      BSDSOCK__KIND(poll_map, 1),     BSDSOCK__KIND(ai_map, 1),
      BSDSOCK__KIND(ni_map, 1)};
  if (kind < BSDSOCK_CONST_AF || kind > BSDSOCK_CONST_NI) return NULL;
  if (kinds[kind - BSDSOCK_CONST_AF].map == NULL) return NULL;
  return &kinds[kind - BSDSOCK_CONST_AF];
}

/* Bit-mask translation in either direction; `to_native` picks the columns.
 * Every set bit must be covered by a row, else EINVAL. */
static int map_mask(const struct kind *k, int in, int to_native, int *out) {
  int result = 0, rest = in;
  size_t i;
  for (i = 0; i < k->n; i++) {
    int from = to_native ? k->map[i].portable : k->map[i].native;
    int to = to_native ? k->map[i].native : k->map[i].portable;
    if (from == 0 || (rest & from) != from) continue;
    if (to == 0) return BSDSOCK_EOPNOTSUPP;
    result |= to;
    rest &= ~from;
  }
  if (rest != 0) return BSDSOCK_EINVAL;
  *out = result;
  return 0;
}

static int map_value(const struct kind *k, int in, int to_native, int *out) {
  size_t i;
  for (i = 0; i < k->n; i++) {
    if ((to_native ? k->map[i].portable : k->map[i].native) == in) {
      *out = to_native ? k->map[i].native : k->map[i].portable;
      return 0;
    }
  }
  return BSDSOCK_EINVAL;
}

static int translate(int kind, int in, int to_native, int *out) {
  const struct kind *k = kind_of(kind);
  if (k == NULL || out == NULL) return BSDSOCK_EINVAL;
  return k->is_mask ? map_mask(k, in, to_native, out)
                    : map_value(k, in, to_native, out);
}

int bsdsock__const_to_native(int kind, int value, int *native) {
  return translate(kind, value, 1, native);
}

int bsdsock__const_from_native(int kind, int native, int *value) {
  return translate(kind, native, 0, value);
}

int bsdsock_const_to_native(int kind, int value, int *native) {
  int rc = translate(kind, value, 1, native);
  return rc != 0 ? bsdsock__fail(rc) : 0;
}

int bsdsock_const_from_native(int kind, int native, int *value) {
  int rc = translate(kind, native, 0, value);
  return rc != 0 ? bsdsock__fail(rc) : 0;
}

int bsdsock__msg_to_native(int flags, int *native) {
  static const struct kind k = BSDSOCK__KIND(msg_map, 1);
  *native = 0;
  /* Output-only flags are refused as input: Linux would act on MSG_TRUNC
   * (return a datagram's full length, discard stream data), Winsock would
   * not, and a caller trusting that length overruns its buffer. */
  if (flags & ~BSDSOCK__MSG_INPUT) return BSDSOCK_EINVAL;
  /* MSG_NOSIGNAL is accepted everywhere: bsdsock suppresses SIGPIPE on
   * every send anyway. Emulated flags are the backend's business. */
  flags &= ~(BSDSOCK_MSG_NOSIGNAL | BSDSOCK__EMULATED_MSG);
  if (flags == 0) return 0;
  return map_mask(&k, flags, 1, native) != 0 ? BSDSOCK_EINVAL : 0;
}

int bsdsock_sockopt_to_native(int level, int name, int *native_level,
                              int *native_name) {
  const struct bsdsock__optdesc *d = bsdsock__opt_find(level, name);
  if (native_level == NULL || native_name == NULL)
    return bsdsock__fail(BSDSOCK_EINVAL);
  if (d == NULL || d->native_name == 0)
    return bsdsock__fail(BSDSOCK_ENOPROTOOPT);
  *native_level = d->native_level;
  *native_name = d->native_name;
  return 0;
}

int bsdsock_sockopt_from_native(int native_level, int native_name, int *level,
                                int *name) {
  size_t i, n;
  const struct bsdsock__optdesc *t = bsdsock__opt_table(&n);
  if (level == NULL || name == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  for (i = 0; i < n; i++) {
    if (t[i].native_name != 0 && t[i].native_level == native_level &&
        t[i].native_name == native_name) {
      *level = t[i].level;
      *name = t[i].name;
      return 0;
    }
  }
  return bsdsock__fail(BSDSOCK_ENOPROTOOPT);
}

int bsdsock__socket_args(int family, int type, int protocol, int *naf,
                         int *ntype, int *nproto) {
  if (family == BSDSOCK_AF_UNSPEC ||
      bsdsock__const_to_native(BSDSOCK_CONST_AF, family, naf) != 0)
    return bsdsock__fail(BSDSOCK_EAFNOSUPPORT);
  type &= ~(BSDSOCK_SOCK_NONBLOCK | BSDSOCK_SOCK_CLOEXEC);
  if (bsdsock__const_to_native(BSDSOCK_CONST_SOCKTYPE, type, ntype) != 0)
    return bsdsock__fail(BSDSOCK_ESOCKTNOSUPPORT);
  if (bsdsock__const_to_native(BSDSOCK_CONST_PROTO, protocol, nproto) != 0)
    return bsdsock__fail(BSDSOCK_EPROTONOSUPPORT);
  return 0;
}

const char *bsdsock_version(void) {
#define BSDSOCK__STR(x) #x
#define BSDSOCK__XSTR(x) BSDSOCK__STR(x)
  return BSDSOCK__XSTR(BSDSOCK_VERSION_MAJOR) "." BSDSOCK__XSTR(
      BSDSOCK_VERSION_MINOR) "." BSDSOCK__XSTR(BSDSOCK_VERSION_PATCH);
}
