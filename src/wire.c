/* SPDX-License-Identifier: MIT */
/*
 * wire.c - the forwarding protocol's codec (include/bsdsock/wire.h,
 * docs/wire.md). Pure C: no OS call, no allocation. One table of field
 * letters per opcode drives both the encoder and the decoder, so the two
 * cannot disagree; the decoder checks every length against what is left
 * before it reads.
 */
#include <stddef.h>
#include <string.h>

#include "bsdsock/wire.h"
#include "internal.h"

struct opdesc {
  const char *name, *req, *resp;
};

static const struct opdesc ops[BSDSOCK_WIRE_OP_COUNT_] = {
#define BSDSOCK_WIRE_OP_ROW(name, num, req, resp) [num] = {#name, req, resp},
    BSDSOCK_WIRE_OPS(BSDSOCK_WIRE_OP_ROW)
#undef BSDSOCK_WIRE_OP_ROW
};

const char *bsdsock_wire_fields(unsigned opcode) {
  unsigned op = opcode & ~BSDSOCK_WIRE_RESPONSE;
  if (op == 0 || op >= BSDSOCK_WIRE_OP_COUNT_ || opcode > 0xFFFFu) return NULL;
  return (opcode & BSDSOCK_WIRE_RESPONSE) ? ops[op].resp : ops[op].req;
}

const char *bsdsock_wire_op_name(unsigned opcode) {
  unsigned op = opcode & ~BSDSOCK_WIRE_RESPONSE;
  if (op == 0 || op >= BSDSOCK_WIRE_OP_COUNT_) return "?";
  return ops[op].name;
}

/* ---- writing --------------------------------------------------------------- */

struct out {
  uint8_t *p;
  size_t cap, len;
  int err;
};

static void put(struct out *o, const void *src, size_t n) {
  if (o->err) return;
  if (o->cap - o->len < n) {
    o->err = BSDSOCK_ENOBUFS;
    return;
  }
  if (n) memcpy(o->p + o->len, src, n);
  o->len += n;
}

static void put_be(struct out *o, uint64_t v, int n) {
  uint8_t b[8];
  int i;
  for (i = 0; i < n; i++) b[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
  put(o, b, (size_t)n);
}

/* The address bytes a family carries: 4, 16, the path's length, or 0;
 * -1 if the address cannot be encoded (a path with no NUL). */
static int addr_bytes(const bsdsock_addr_t *a) {
  size_t n;
  switch (a->family) {
    case BSDSOCK_AF_INET: return 4;
    case BSDSOCK_AF_INET6: return 16;
    case BSDSOCK_AF_UNIX:
      for (n = 0; n < sizeof(a->u.path) && a->u.path[n] != 0; n++) continue;
      return n < sizeof(a->u.path) ? (int)n : -1;
    default: return 0;
  }
}

static void put_addr(struct out *o, int present, const bsdsock_addr_t *a) {
  int n;
  put_be(o, present ? 1 : 0, 1);
  if (!present) return;
  n = addr_bytes(a);
  if (n < 0) {
    if (!o->err) o->err = BSDSOCK_EINVAL;
    return;
  }
  put_be(o, a->family, 2);
  put(o, &a->port, 2);       /* already network (big-endian) order */
  put(o, &a->flowinfo, 4);   /* likewise */
  put_be(o, a->scope_id, 4);
  put_be(o, (uint64_t)n, 1);
  put(o, a->u.ip6, (size_t)n);
}

static void put_str(struct out *o, const char *s) {
  size_t n;
  if (s == NULL) {
    put_be(o, 0, 2);
    return;
  }
  n = strlen(s) + 1;
  if (n > BSDSOCK_WIRE_MAX_STR) {
    if (!o->err) o->err = BSDSOCK_EMSGSIZE;
    return;
  }
  put_be(o, n, 2);
  put(o, s, n);
}

static int num_fits(char kind, int64_t v) {
  switch (kind) {
    case 'i': return v >= INT32_MIN && v <= INT32_MAX;
    case 'u': return v >= 0 && v <= (int64_t)UINT32_MAX;
    default: return 1;  /* q and Q take all 64 bits */
  }
}

int bsdsock_wire_encode(const bsdsock_wire_msg_t *m, uint8_t *buf, size_t cap,
                        size_t max_frame, size_t *len) {
  const char *f;
  struct out o;
  size_t i;
  int ni = 0, si = 0;
  if (m == NULL || buf == NULL || len == NULL) return BSDSOCK_EINVAL;
  f = bsdsock_wire_fields(m->opcode);
  if (f == NULL) return BSDSOCK_EINVAL;
  o.p = buf;
  o.cap = cap;
  o.len = 0;
  o.err = 0;
  put_be(&o, 0, 4);  /* the length, written last */
  put_be(&o, BSDSOCK_WIRE_VERSION, 2);
  put_be(&o, m->opcode, 2);
  put_be(&o, m->call_id, 4);
  for (; *f && !o.err; f++) {
    switch (*f) {
      case 'i': case 'u': case 'q': case 'Q':
        if (!num_fits(*f, m->num[ni])) return BSDSOCK_EINVAL;
        put_be(&o, (uint64_t)m->num[ni++], *f == 'i' || *f == 'u' ? 4 : 8);
        break;
      case 'a':
        put_addr(&o, m->has_addr, &m->addr);
        break;
      case 'b':
        if (m->data_len > BSDSOCK_WIRE_MAX_DATA) return BSDSOCK_EMSGSIZE;
        if (m->data == NULL && m->data_len) return BSDSOCK_EINVAL;
        put_be(&o, m->data_len, 4);
        put(&o, m->data, m->data_len);
        break;
      case 's':
        put_str(&o, m->str[si++]);
        break;
      case 'p':
        if (m->count > BSDSOCK_WIRE_MAX_POLLFDS) return BSDSOCK_EMSGSIZE;
        put_be(&o, m->count, 4);
        for (i = 0; i < m->count; i++) {
          put_be(&o, (uint32_t)m->u.pollfd[i].fd, 4);
          put_be(&o, (uint16_t)m->u.pollfd[i].events, 2);
          put_be(&o, (uint16_t)m->u.pollfd[i].revents, 2);
        }
        break;
      case 'e':
        if (m->count > BSDSOCK_WIRE_MAX_EVENTS) return BSDSOCK_EMSGSIZE;
        put_be(&o, m->count, 4);
        for (i = 0; i < m->count; i++) {
          put_be(&o, m->u.event[i].data, 8);
          put_be(&o, m->u.event[i].events, 4);
        }
        break;
      case 'g':
        if (m->count > BSDSOCK_WIRE_MAX_AI) return BSDSOCK_EMSGSIZE;
        put_be(&o, m->count, 4);
        for (i = 0; i < m->count; i++) {
          const bsdsock_wire_ai_t *ai = &m->u.ai[i];
          put_be(&o, (uint32_t)ai->flags, 4);
          put_be(&o, (uint32_t)ai->family, 4);
          put_be(&o, (uint32_t)ai->socktype, 4);
          put_be(&o, (uint32_t)ai->protocol, 4);
          put_addr(&o, 1, &ai->addr);
        }
        break;
      default:
        return BSDSOCK_EINVAL;
    }
  }
  if (o.err) return o.err;
  if (o.len > max_frame || o.len - 4 > UINT32_MAX) return BSDSOCK_EMSGSIZE;
  for (i = 0; i < 4; i++)
    buf[i] = (uint8_t)((uint64_t)(o.len - 4) >> (8 * (3 - i)));
  *len = o.len;
  return 0;
}

/* ---- reading --------------------------------------------------------------- */

struct in {
  const uint8_t *p;
  size_t left;
  int err;
};

static void fail(struct in *r, int err) {
  if (!r->err) r->err = err;
}

/* The next n bytes, or NULL (and EPROTO: the field runs past the end). */
static const uint8_t *take(struct in *r, size_t n) {
  const uint8_t *p;
  if (r->err) return NULL;
  if (r->left < n) {
    fail(r, BSDSOCK_EPROTO);
    return NULL;
  }
  p = r->p;
  r->p += n;
  r->left -= n;
  return p;
}

static uint64_t get_be(struct in *r, int n) {
  const uint8_t *p = take(r, (size_t)n);
  uint64_t v = 0;
  int i;
  if (p == NULL) return 0;
  for (i = 0; i < n; i++) v = (v << 8) | p[i];
  return v;
}

static void get_addr(struct in *r, int *present, bsdsock_addr_t *a) {
  uint64_t flag = get_be(r, 1);
  const uint8_t *p;
  unsigned n;
  int want;
  memset(a, 0, sizeof(*a));
  if (present) *present = 0;
  if (r->err) return;
  if (flag > 1 || (flag == 0 && present == NULL)) {
    fail(r, BSDSOCK_EINVAL);
    return;
  }
  if (flag == 0) return;
  a->family = (uint16_t)get_be(r, 2);
  if ((p = take(r, 2)) != NULL) memcpy(&a->port, p, 2);
  if ((p = take(r, 4)) != NULL) memcpy(&a->flowinfo, p, 4);
  a->scope_id = (uint32_t)get_be(r, 4);
  n = (unsigned)get_be(r, 1);
  if (r->err) return;
  /* The length must be the family's: 4, 16, a path without NUL shorter
   * than the struct's 108 bytes, or none for any other family. */
  want = a->family == BSDSOCK_AF_INET ? 4 : a->family == BSDSOCK_AF_INET6 ? 16
                                                                          : 0;
  if (a->family == BSDSOCK_AF_UNIX ? n >= sizeof(a->u.path)
                                   : n != (unsigned)want) {
    fail(r, BSDSOCK_EINVAL);
    return;
  }
  if ((p = take(r, n)) == NULL) return;
  if (a->family == BSDSOCK_AF_UNIX && memchr(p, 0, n) != NULL) {
    fail(r, BSDSOCK_EINVAL);
    return;
  }
  memcpy(a->u.ip6, p, n);
  if (present) *present = 1;
}

static const char *get_str(struct in *r) {
  size_t n = (size_t)get_be(r, 2);
  const uint8_t *p;
  if (r->err || n == 0) return NULL;
  if (n > BSDSOCK_WIRE_MAX_STR) {
    fail(r, BSDSOCK_EMSGSIZE);
    return NULL;
  }
  if ((p = take(r, n)) == NULL) return NULL;
  if (p[n - 1] != 0 || memchr(p, 0, n - 1) != NULL) {
    fail(r, BSDSOCK_EINVAL);
    return NULL;
  }
  return (const char *)p;
}

/* An array's count, checked against its limit and against the bytes
 * left (each entry takes at least min bytes) before anything is read. */
static size_t get_count(struct in *r, size_t max, size_t min) {
  size_t n = (size_t)get_be(r, 4);
  if (r->err) return 0;
  if (n > max) {
    fail(r, BSDSOCK_EMSGSIZE);
    return 0;
  }
  if (n * min > r->left) {
    fail(r, BSDSOCK_EPROTO);
    return 0;
  }
  return n;
}

int bsdsock_wire_frame_size(const uint8_t *buf, size_t len, size_t max_frame,
                            size_t *frame) {
  uint64_t n;
  if (buf == NULL || frame == NULL) return BSDSOCK_EINVAL;
  if (len < 4) return BSDSOCK_EAGAIN;
  n = ((uint64_t)buf[0] << 24) | ((uint64_t)buf[1] << 16) |
      ((uint64_t)buf[2] << 8) | buf[3];
  if (n + 4 < BSDSOCK_WIRE_HEADER) return BSDSOCK_EPROTO;
  if (n + 4 > max_frame) return BSDSOCK_EMSGSIZE;
  *frame = (size_t)n + 4;
  return 0;
}

int bsdsock_wire_decode(const uint8_t *buf, size_t len, size_t max_frame,
                        bsdsock_wire_msg_t *m) {
  struct in r;
  const char *f;
  size_t frame, i;
  int rc, ni = 0, si = 0;
  if (buf == NULL || m == NULL) return BSDSOCK_EINVAL;
  if (len > max_frame) return BSDSOCK_EMSGSIZE;
  rc = bsdsock_wire_frame_size(buf, len, max_frame, &frame);
  if (rc == BSDSOCK_EAGAIN) return BSDSOCK_EPROTO;  /* not even a length */
  if (rc != 0) return rc;
  if (frame != len) return BSDSOCK_EPROTO;  /* the length field lies */
  memset(m, 0, offsetof(bsdsock_wire_msg_t, u));
  m->count = 0;
  r.p = buf + 4;
  r.left = len - 4;
  r.err = 0;
  m->version = (uint16_t)get_be(&r, 2);
  m->opcode = (uint16_t)get_be(&r, 2);
  m->call_id = (uint32_t)get_be(&r, 4);
  if (m->version != BSDSOCK_WIRE_VERSION) return BSDSOCK_EPROTO;
  f = bsdsock_wire_fields(m->opcode);
  if (f == NULL) return BSDSOCK_EPROTO;
  for (; *f && !r.err; f++) {
    switch (*f) {
      case 'i': m->num[ni++] = (int32_t)(uint32_t)get_be(&r, 4); break;
      case 'u': m->num[ni++] = (int64_t)get_be(&r, 4); break;
      case 'q': case 'Q': m->num[ni++] = (int64_t)get_be(&r, 8); break;
      case 'a': get_addr(&r, &m->has_addr, &m->addr); break;
      case 'b':
        m->data_len = (size_t)get_be(&r, 4);
        if (!r.err && m->data_len > BSDSOCK_WIRE_MAX_DATA)
          fail(&r, BSDSOCK_EMSGSIZE);
        else
          m->data = take(&r, m->data_len);
        if (m->data_len == 0) m->data = NULL;
        break;
      case 's': m->str[si++] = get_str(&r); break;
      case 'p':
        m->count = get_count(&r, BSDSOCK_WIRE_MAX_POLLFDS, 8);
        for (i = 0; i < m->count && !r.err; i++) {
          m->u.pollfd[i].fd = (int32_t)(uint32_t)get_be(&r, 4);
          m->u.pollfd[i].events = (short)(uint16_t)get_be(&r, 2);
          m->u.pollfd[i].revents = (short)(uint16_t)get_be(&r, 2);
        }
        break;
      case 'e':
        m->count = get_count(&r, BSDSOCK_WIRE_MAX_EVENTS, 12);
        for (i = 0; i < m->count && !r.err; i++) {
          m->u.event[i].data = get_be(&r, 8);
          m->u.event[i].events = (uint32_t)get_be(&r, 4);
          m->u.event[i].reserved = 0;
        }
        break;
      case 'g':
        m->count = get_count(&r, BSDSOCK_WIRE_MAX_AI, 17);
        for (i = 0; i < m->count && !r.err; i++) {
          bsdsock_wire_ai_t *ai = &m->u.ai[i];
          ai->flags = (int32_t)(uint32_t)get_be(&r, 4);
          ai->family = (int32_t)(uint32_t)get_be(&r, 4);
          ai->socktype = (int32_t)(uint32_t)get_be(&r, 4);
          ai->protocol = (int32_t)(uint32_t)get_be(&r, 4);
          get_addr(&r, NULL, &ai->addr);
        }
        break;
      default: return BSDSOCK_EINVAL;
    }
  }
  if (r.err) return r.err;
  return r.left == 0 ? 0 : BSDSOCK_EPROTO;  /* bytes left over */
}

/* ---- option values ----------------------------------------------------------- */

/* The wire size of an option type's value: integers are i32; a timeval
 * i64 seconds and i32 microseconds; a linger two i32; addresses and
 * group requests their bytes (network order already), an IPv6 group's
 * interface index a u32. */
static size_t opt_wire_size(enum bsdsock__opttype t) {
  switch (t) {
    case BSDSOCK__OPT_TIMEVAL: return 12;
    case BSDSOCK__OPT_LINGER: return 8;
    case BSDSOCK__OPT_IN_ADDR: return 4;
    case BSDSOCK__OPT_MREQ: return 8;
    case BSDSOCK__OPT_MREQ6: return 20;
    default: return 4;
  }
}

int bsdsock_wire_optval_encode(int level, int name, const void *value,
                               size_t len, uint8_t *out, size_t cap) {
  const struct bsdsock__optdesc *d = bsdsock__opt_find(level, name);
  struct out o;
  size_t n;
  if (d == NULL) return BSDSOCK_ENOPROTOOPT;
  if (value == NULL || len != bsdsock__opt_size(d->type)) return BSDSOCK_EINVAL;
  n = opt_wire_size(d->type);
  if (out == NULL || cap < n) return BSDSOCK_ENOBUFS;
  o.p = out;
  o.cap = cap;
  o.len = 0;
  o.err = 0;
  switch (d->type) {
    case BSDSOCK__OPT_TIMEVAL: {
      const bsdsock_timeval_t *tv = value;
      put_be(&o, (uint64_t)tv->sec, 8);
      put_be(&o, (uint32_t)tv->usec, 4);
      break;
    }
    case BSDSOCK__OPT_LINGER: {
      const bsdsock_linger_t *l = value;
      put_be(&o, (uint32_t)l->onoff, 4);
      put_be(&o, (uint32_t)l->seconds, 4);
      break;
    }
    case BSDSOCK__OPT_IN_ADDR:
    case BSDSOCK__OPT_MREQ:
      put(&o, value, n);
      break;
    case BSDSOCK__OPT_MREQ6: {
      const bsdsock_ipv6_mreq_t *mr = value;
      put(&o, mr->multiaddr, 16);
      put_be(&o, mr->ifindex, 4);
      break;
    }
    default: {
      int v;
      memcpy(&v, value, sizeof(v));
      put_be(&o, (uint32_t)v, 4);
      break;
    }
  }
  return (int)o.len;
}

int bsdsock_wire_optval_decode(int level, int name, const uint8_t *in,
                               size_t inlen, void *value, size_t cap) {
  const struct bsdsock__optdesc *d = bsdsock__opt_find(level, name);
  struct in r;
  size_t size;
  if (d == NULL) return BSDSOCK_ENOPROTOOPT;
  if (in == NULL || inlen != opt_wire_size(d->type)) return BSDSOCK_EINVAL;
  size = bsdsock__opt_size(d->type);
  if (value == NULL || cap < size) return BSDSOCK_ENOBUFS;
  r.p = in;
  r.left = inlen;
  r.err = 0;
  memset(value, 0, size);
  switch (d->type) {
    case BSDSOCK__OPT_TIMEVAL: {
      bsdsock_timeval_t *tv = value;
      tv->sec = (int64_t)get_be(&r, 8);
      tv->usec = (int32_t)(uint32_t)get_be(&r, 4);
      break;
    }
    case BSDSOCK__OPT_LINGER: {
      bsdsock_linger_t *l = value;
      l->onoff = (int32_t)(uint32_t)get_be(&r, 4);
      l->seconds = (int32_t)(uint32_t)get_be(&r, 4);
      break;
    }
    case BSDSOCK__OPT_IN_ADDR:
    case BSDSOCK__OPT_MREQ:
      memcpy(value, in, inlen);
      break;
    case BSDSOCK__OPT_MREQ6: {
      bsdsock_ipv6_mreq_t *mr = value;
      memcpy(mr->multiaddr, in, 16);
      r.p += 16;
      r.left -= 16;
      mr->ifindex = (uint32_t)get_be(&r, 4);
      break;
    }
    default: {
      int v = (int32_t)(uint32_t)get_be(&r, 4);
      memcpy(value, &v, sizeof(v));
      break;
    }
  }
  return (int)size;
}
