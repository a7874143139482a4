/* SPDX-License-Identifier: MIT */
/*
 * test_wire.c - the forwarding protocol's codec (include/bsdsock/wire.h,
 * docs/wire.md): every opcode's request and response round-trips; every
 * truncation of several frames, a lying length, another version, an
 * unknown opcode, oversized frames and fields, and malformed field values
 * are each refused with their documented error, never read past the end.
 */
#include "harness.h"

#include <stdlib.h>

#include <bsdsock/wire.h>

#define CAP (BSDSOCK_WIRE_MAX_FRAME + 64)

static uint8_t *buf, *buf2;
static bsdsock_wire_msg_t msg, back;

/* A message for opcode (request or response) with every field set to a
 * value derived from seed, the array fields filled to count entries. */
static void fill(bsdsock_wire_msg_t *m, unsigned opcode, int seed,
                 size_t count) {
  static const char *strs[] = {"localhost", "http", "", "a.b.example"};
  static const uint8_t bytes[] = {0, 1, 2, 0xff, 0x80, 0x7f, 'x', 0};
  const char *f = bsdsock_wire_fields(opcode);
  int ni = 0, si = 0;
  size_t i;
  memset(m, 0, sizeof(*m));
  m->opcode = (uint16_t)opcode;
  m->call_id = 0x01020304u + (uint32_t)seed;
  assert_non_null(f);
  for (; *f; f++) {
    switch (*f) {
      case 'i': m->num[ni] = seed % 2 ? -1 - seed : INT32_MAX - seed; ni++; break;
      case 'u': m->num[ni++] = UINT32_MAX - (unsigned)seed; break;
      case 'q': m->num[ni++] = seed % 2 ? INT64_MIN + seed : -61; break;
      case 'Q': m->num[ni++] = (int64_t)(UINT64_MAX - (unsigned)seed); break;
      case 'a':
        m->has_addr = seed % 4 != 3;
        if (seed % 4 == 0) bsdsock_addr_parse(&m->addr, "fe80::1%1", 65535);
        if (seed % 4 == 1) bsdsock_addr_parse(&m->addr, "127.0.0.1", 80);
        if (seed % 4 == 2) bsdsock_addr_unix(&m->addr, "/tmp/x.sock");
        if (seed % 4 == 0) m->addr.flowinfo = 0x12345678;
        break;
      case 'b':
        m->data = seed % 3 ? bytes : NULL;
        m->data_len = seed % 3 ? sizeof(bytes) : 0;
        break;
      case 's':
        m->str[si] = seed % 5 == 4 ? NULL : strs[(seed + si) % 4];
        si++;
        break;
      case 'p':
        m->count = count;
        for (i = 0; i < count; i++) {
          m->u.pollfd[i].fd = (int)i - 1;
          m->u.pollfd[i].events = (short)(0x8000 | i);
          m->u.pollfd[i].revents = (short)i;
        }
        break;
      case 'e':
        m->count = count;
        for (i = 0; i < count; i++) {
          m->u.event[i].data = UINT64_MAX - i;
          m->u.event[i].events = 0x80000000u | (uint32_t)i;
        }
        break;
      case 'g':
        m->count = count;
        for (i = 0; i < count; i++) {
          m->u.ai[i].flags = (int)i;
          m->u.ai[i].family = BSDSOCK_AF_INET6;
          m->u.ai[i].socktype = BSDSOCK_SOCK_STREAM;
          m->u.ai[i].protocol = -1;
          bsdsock_addr_loopback(&m->u.ai[i].addr, BSDSOCK_AF_INET6,
                                (uint16_t)i);
        }
        break;
      default: fail_msg("unknown field letter %c", *f);
    }
  }
}

static void assert_same(const bsdsock_wire_msg_t *a,
                        const bsdsock_wire_msg_t *b) {
  const char *f = bsdsock_wire_fields(a->opcode);
  int si = 0;
  size_t i;
  assert_int_equal(a->opcode, b->opcode);
  assert_int_equal(a->call_id, b->call_id);
  assert_memory_equal(a->num, b->num, sizeof(a->num));
  for (; *f; f++) {
    if (*f == 'a') {
      assert_int_equal(a->has_addr, b->has_addr);
      if (a->has_addr) assert_memory_equal(&a->addr, &b->addr, sizeof(a->addr));
    } else if (*f == 'b') {
      assert_int_equal(a->data_len, b->data_len);
      if (a->data_len) assert_memory_equal(a->data, b->data, a->data_len);
    } else if (*f == 's') {
      if (a->str[si] == NULL) assert_null(b->str[si]);
      else assert_string_equal(a->str[si], b->str[si]);
      si++;
    } else if (*f == 'p' || *f == 'e' || *f == 'g') {
      assert_int_equal(a->count, b->count);
      for (i = 0; i < a->count; i++) {
        if (*f == 'p')
          assert_memory_equal(&a->u.pollfd[i], &b->u.pollfd[i],
                              sizeof(a->u.pollfd[i]));
        if (*f == 'e')
          assert_memory_equal(&a->u.event[i], &b->u.event[i],
                              sizeof(a->u.event[i]));
        if (*f == 'g')
          assert_memory_equal(&a->u.ai[i], &b->u.ai[i], sizeof(a->u.ai[i]));
      }
    }
  }
}

static size_t encode(const bsdsock_wire_msg_t *m) {
  size_t len = 0;
  H_ASSERT_ERR(bsdsock_wire_encode(m, buf, CAP, BSDSOCK_WIRE_MAX_FRAME, &len), 0);
  assert_true(len >= BSDSOCK_WIRE_HEADER);
  return len;
}

/* Every opcode, both directions, several value sets: decode(encode(m))
 * is m, and the header is the documented one. */
static void test_round_trip_every_message(void **state) {
  unsigned op;
  int seed, dir, kinds = 0;
  (void)state;
  for (op = 1; op < BSDSOCK_WIRE_OP_COUNT_; op++) {
    for (dir = 0; dir < 2; dir++) {
      unsigned code = op | (dir ? BSDSOCK_WIRE_RESPONSE : 0);
      if (bsdsock_wire_fields(code) == NULL) continue;
      kinds++;
      for (seed = 0; seed < 8; seed++) {
        size_t counts[] = {0, 1, 17}, c, len;
        for (c = 0; c < 3; c++) {
          fill(&msg, code, seed, counts[c]);
          len = encode(&msg);
          assert_int_equal(buf[4], 0);
          assert_int_equal(buf[5], BSDSOCK_WIRE_VERSION);
          assert_int_equal((buf[6] << 8) | buf[7], code);
          assert_int_equal(((size_t)buf[0] << 24 | (size_t)buf[1] << 16 |
                            (size_t)buf[2] << 8 | buf[3]) + 4, len);
          H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME,
                                           &back), 0);
          assert_int_equal(back.version, BSDSOCK_WIRE_VERSION);
          assert_same(&msg, &back);
        }
      }
    }
  }
  /* Every opcode has a request and a response, ERROR a response only. */
  assert_int_equal(kinds, 2 * (BSDSOCK_WIRE_OP_COUNT_ - 1) - 1);
  assert_string_equal(bsdsock_wire_op_name(BSDSOCK_WIRE_OP_POLLER_WAIT |
                                           BSDSOCK_WIRE_RESPONSE),
                      "POLLER_WAIT");
  assert_string_equal(bsdsock_wire_op_name(999), "?");
}

/* The arrays at their limits, and data at its limit. */
static void test_limits(void **state) {
  static uint8_t big[BSDSOCK_WIRE_MAX_DATA + 1];
  size_t len;
  (void)state;
  fill(&msg, BSDSOCK_WIRE_OP_POLL, 1, BSDSOCK_WIRE_MAX_POLLFDS);
  len = encode(&msg);
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back), 0);
  assert_same(&msg, &back);
  msg.count++;
  H_ASSERT_ERR(bsdsock_wire_encode(&msg, buf, CAP, BSDSOCK_WIRE_MAX_FRAME, &len),
               BSDSOCK_EMSGSIZE);
  fill(&msg, BSDSOCK_WIRE_OP_SEND, 1, 0);
  msg.data = big;
  msg.data_len = BSDSOCK_WIRE_MAX_DATA;
  len = encode(&msg);
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back), 0);
  assert_int_equal(back.data_len, BSDSOCK_WIRE_MAX_DATA);
  /* A smaller limit refuses the same frame, both ways. */
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, 65536, &back), BSDSOCK_EMSGSIZE);
  H_ASSERT_ERR(bsdsock_wire_encode(&msg, buf, CAP, 65536, &len), BSDSOCK_EMSGSIZE);
  msg.data_len++;
  H_ASSERT_ERR(bsdsock_wire_encode(&msg, buf, CAP, BSDSOCK_WIRE_MAX_FRAME, &len),
               BSDSOCK_EMSGSIZE);
  /* A buffer too small. */
  fill(&msg, BSDSOCK_WIRE_OP_SOCKET, 1, 0);
  H_ASSERT_ERR(bsdsock_wire_encode(&msg, buf, 12, BSDSOCK_WIRE_MAX_FRAME, &len),
               BSDSOCK_ENOBUFS);
}

/* Every prefix of several frames, with the length field left as it was
 * and with it rewritten to match: never 0, never a read past the end
 * (each prefix is decoded from an exact-size heap copy). */
static void test_every_truncation(void **state) {
  static const unsigned ops[] = {
      BSDSOCK_WIRE_OP_HELLO | BSDSOCK_WIRE_RESPONSE, BSDSOCK_WIRE_OP_SENDTO,
      BSDSOCK_WIRE_OP_RECVFROM | BSDSOCK_WIRE_RESPONSE,
      BSDSOCK_WIRE_OP_GETADDRINFO, BSDSOCK_WIRE_OP_GETADDRINFO |
      BSDSOCK_WIRE_RESPONSE, BSDSOCK_WIRE_OP_POLL,
      BSDSOCK_WIRE_OP_POLLER_WAIT | BSDSOCK_WIRE_RESPONSE};
  size_t i, n, len;
  (void)state;
  for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
    fill(&msg, ops[i], 1, 3);
    len = encode(&msg);
    for (n = 0; n < len; n++) {
      uint8_t *copy = malloc(n ? n : 1);
      int rc;
      assert_non_null(copy);
      memcpy(copy, buf, n);
      rc = bsdsock_wire_decode(copy, n, BSDSOCK_WIRE_MAX_FRAME, &back);
      assert_int_equal(rc, BSDSOCK_EPROTO);
      if (n >= 4) {  /* the length field says the truncated size */
        uint32_t l = (uint32_t)n - 4;
        copy[0] = (uint8_t)(l >> 24);
        copy[1] = (uint8_t)(l >> 16);
        copy[2] = (uint8_t)(l >> 8);
        copy[3] = (uint8_t)l;
        rc = bsdsock_wire_decode(copy, n, BSDSOCK_WIRE_MAX_FRAME, &back);
        if (rc != BSDSOCK_EPROTO && rc != BSDSOCK_EINVAL)
          fail_msg("%s prefix %u: %d", bsdsock_wire_op_name(ops[i]), (unsigned)n, rc);
      }
      free(copy);
    }
  }
}

static void set_len(uint8_t *b, uint32_t l) {
  b[0] = (uint8_t)(l >> 24);
  b[1] = (uint8_t)(l >> 16);
  b[2] = (uint8_t)(l >> 8);
  b[3] = (uint8_t)l;
}

static void test_bad_headers(void **state) {
  size_t len, frame;
  (void)state;
  fill(&msg, BSDSOCK_WIRE_OP_SOCKET, 1, 0);
  len = encode(&msg);
  /* Another version. */
  buf[5] = 2;
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EPROTO);
  buf[5] = BSDSOCK_WIRE_VERSION;
  /* Unknown opcodes, 0, and an ERROR request. */
  buf[7] = 0;
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EPROTO);
  buf[7] = BSDSOCK_WIRE_OP_COUNT_;
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EPROTO);
  buf[6] = 0x7f;
  buf[7] = BSDSOCK_WIRE_OP_SOCKET;
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EPROTO);
  buf[6] = 0;
  buf[7] = BSDSOCK_WIRE_OP_ERROR;
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EPROTO);
  buf[7] = BSDSOCK_WIRE_OP_SOCKET;
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back), 0);
  /* The length field lying: longer, shorter, below the header, huge. */
  set_len(buf, (uint32_t)len - 3);
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EPROTO);
  set_len(buf, (uint32_t)len - 5);
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EPROTO);
  set_len(buf, 7);
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EPROTO);
  H_ASSERT_ERR(bsdsock_wire_frame_size(buf, 4, BSDSOCK_WIRE_MAX_FRAME, &frame),
               BSDSOCK_EPROTO);
  set_len(buf, 0xffffffffu);
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EMSGSIZE);
  H_ASSERT_ERR(bsdsock_wire_frame_size(buf, 4, BSDSOCK_WIRE_MAX_FRAME, &frame),
               BSDSOCK_EMSGSIZE);
  H_ASSERT_ERR(bsdsock_wire_frame_size(buf, 3, BSDSOCK_WIRE_MAX_FRAME, &frame),
               BSDSOCK_EAGAIN);
  set_len(buf, (uint32_t)len - 4);
  H_ASSERT_ERR(bsdsock_wire_frame_size(buf, 4, BSDSOCK_WIRE_MAX_FRAME, &frame), 0);
  assert_int_equal(frame, len);
  /* Trailing bytes after the last field. */
  buf[len] = 0;
  set_len(buf, (uint32_t)len - 3);
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len + 1, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EPROTO);
  /* NULL pointers. */
  H_ASSERT_ERR(bsdsock_wire_decode(NULL, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, NULL),
               BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_wire_encode(NULL, buf, CAP, BSDSOCK_WIRE_MAX_FRAME, &len),
               BSDSOCK_EINVAL);
  msg.opcode = BSDSOCK_WIRE_OP_ERROR;
  H_ASSERT_ERR(bsdsock_wire_encode(&msg, buf, CAP, BSDSOCK_WIRE_MAX_FRAME, &len),
               BSDSOCK_EINVAL);
}

/* Field values: each malformed one, in a frame whose lengths are right. */
static void test_bad_fields(void **state) {
  size_t len;
  (void)state;
  /* CONNECT: i32 fd, then the address at offset 16. */
  fill(&msg, BSDSOCK_WIRE_OP_CONNECT, 1, 0);  /* 127.0.0.1:80 */
  len = encode(&msg);
  assert_int_equal(len, 16 + 1 + 2 + 2 + 4 + 4 + 1 + 4);
  buf[16] = 2;  /* presence byte */
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EINVAL);
  buf[16] = 1;
  buf[29] = 5;  /* an IPv4 address of 5 bytes */
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EINVAL);
  buf[29] = 4;
  buf[18] = BSDSOCK_AF_INET6;  /* an IPv6 address of 4 bytes */
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EINVAL);
  buf[18] = BSDSOCK_AF_UNIX;  /* a path with a NUL inside */
  buf[30] = 0;
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EINVAL);
  memcpy(buf + 30, "abcd", 4);
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back), 0);
  assert_string_equal(back.addr.u.path, "abcd");
  /* An unknown family carries no address bytes. */
  buf[18] = 99;
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EINVAL);
  /* Strings: CLOSE has none; GETADDRINFO's node is at offset 12. */
  fill(&msg, BSDSOCK_WIRE_OP_GETADDRINFO, 0, 0);  /* "http", "" */
  msg.str[0] = "ab";
  len = encode(&msg);
  assert_int_equal(buf[13], 3);
  buf[16] = 'c';  /* no terminating NUL */
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EINVAL);
  buf[16] = 0;
  buf[15] = 0;  /* a NUL inside */
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EINVAL);
  buf[12] = 0x10;  /* longer than BSDSOCK_WIRE_MAX_STR */
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EMSGSIZE);
  /* An array count over the limit, or over what the frame holds. */
  fill(&msg, BSDSOCK_WIRE_OP_POLL, 0, 2);
  len = encode(&msg);
  buf[19] = BSDSOCK_WIRE_MAX_POLLFDS + 1;
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EMSGSIZE);
  buf[19] = 3;
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EPROTO);
  buf[16] = 0xff;
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EMSGSIZE);
  /* A bytes field over the data limit. */
  fill(&msg, BSDSOCK_WIRE_OP_HELLO, 1, 0);
  len = encode(&msg);
  buf[12] = 0x7f;
  H_ASSERT_ERR(bsdsock_wire_decode(buf, len, BSDSOCK_WIRE_MAX_FRAME, &back),
               BSDSOCK_EMSGSIZE);
  /* Encoding refuses what decoding would. */
  fill(&msg, BSDSOCK_WIRE_OP_LISTEN, 0, 0);
  msg.num[1] = (int64_t)INT32_MAX + 1;
  H_ASSERT_ERR(bsdsock_wire_encode(&msg, buf, CAP, BSDSOCK_WIRE_MAX_FRAME, &len),
               BSDSOCK_EINVAL);
  fill(&msg, BSDSOCK_WIRE_OP_BIND, 2, 0);
  memset(msg.addr.u.path, 'x', sizeof(msg.addr.u.path));  /* no NUL */
  H_ASSERT_ERR(bsdsock_wire_encode(&msg, buf, CAP, BSDSOCK_WIRE_MAX_FRAME, &len),
               BSDSOCK_EINVAL);
}

/* Option values in their typed form, both ways. */
static void test_optvals(void **state) {
  uint8_t w[32];
  int v = -5, v2 = 0;
  bsdsock_timeval_t tv = {4294967, 999999}, tv2;
  bsdsock_linger_t l = {1, 65535}, l2;
  bsdsock_ipv6_mreq_t mr, mr2;
  (void)state;
  H_ASSERT_ERR(bsdsock_wire_optval_encode(BSDSOCK_SOL_SOCKET, BSDSOCK_SO_SNDBUF,
                                          &v, sizeof(v), w, sizeof(w)), 4);
  assert_int_equal(w[0], 0xff);
  H_ASSERT_ERR(bsdsock_wire_optval_decode(BSDSOCK_SOL_SOCKET, BSDSOCK_SO_SNDBUF,
                                          w, 4, &v2, sizeof(v2)),
               (int)sizeof(int));
  assert_int_equal(v2, -5);
  H_ASSERT_ERR(bsdsock_wire_optval_encode(BSDSOCK_SOL_SOCKET,
                                          BSDSOCK_SO_RCVTIMEO, &tv, sizeof(tv),
                                          w, sizeof(w)), 12);
  H_ASSERT_ERR(bsdsock_wire_optval_decode(BSDSOCK_SOL_SOCKET,
                                          BSDSOCK_SO_RCVTIMEO, w, 12, &tv2,
                                          sizeof(tv2)), (int)sizeof(tv2));
  assert_true(tv2.sec == tv.sec && tv2.usec == tv.usec);
  H_ASSERT_ERR(bsdsock_wire_optval_encode(BSDSOCK_SOL_SOCKET, BSDSOCK_SO_LINGER,
                                          &l, sizeof(l), w, sizeof(w)), 8);
  H_ASSERT_ERR(bsdsock_wire_optval_decode(BSDSOCK_SOL_SOCKET, BSDSOCK_SO_LINGER,
                                          w, 8, &l2, sizeof(l2)),
               (int)sizeof(l2));
  assert_true(l2.onoff == 1 && l2.seconds == 65535);
  memset(&mr, 0, sizeof(mr));
  mr.multiaddr[0] = 0xff;
  mr.ifindex = 0x01020304;
  H_ASSERT_ERR(bsdsock_wire_optval_encode(BSDSOCK_IPPROTO_IPV6,
                                          BSDSOCK_IPV6_JOIN_GROUP, &mr,
                                          sizeof(mr), w, sizeof(w)), 20);
  assert_int_equal(w[16], 1);
  H_ASSERT_ERR(bsdsock_wire_optval_decode(BSDSOCK_IPPROTO_IPV6,
                                          BSDSOCK_IPV6_JOIN_GROUP, w, 20, &mr2,
                                          sizeof(mr2)), (int)sizeof(mr2));
  assert_memory_equal(&mr, &mr2, sizeof(mr));
  /* Unknown options, wrong sizes, short buffers. */
  H_ASSERT_ERR(bsdsock_wire_optval_encode(BSDSOCK_SOL_SOCKET, 12345, &v,
                                          sizeof(v), w, sizeof(w)),
               BSDSOCK_ENOPROTOOPT);
  H_ASSERT_ERR(bsdsock_wire_optval_encode(BSDSOCK_SOL_SOCKET, BSDSOCK_SO_SNDBUF,
                                          &v, 2, w, sizeof(w)), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_wire_optval_encode(BSDSOCK_SOL_SOCKET, BSDSOCK_SO_SNDBUF,
                                          &v, sizeof(v), w, 3), BSDSOCK_ENOBUFS);
  H_ASSERT_ERR(bsdsock_wire_optval_decode(BSDSOCK_SOL_SOCKET,
                                          BSDSOCK_SO_RCVTIMEO, w, 16, &tv2,
                                          sizeof(tv2)), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_wire_optval_decode(BSDSOCK_SOL_SOCKET,
                                          BSDSOCK_SO_RCVTIMEO, w, 12, &tv2, 4),
               BSDSOCK_ENOBUFS);
}

static int setup(void **state) {
  (void)state;
  buf = malloc(CAP);
  buf2 = malloc(CAP);
  return buf == NULL || buf2 == NULL;
}

static int teardown(void **state) {
  (void)state;
  free(buf);
  free(buf2);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip_every_message),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_every_truncation),
      cmocka_unit_test(test_bad_headers),
      cmocka_unit_test(test_bad_fields),
      cmocka_unit_test(test_optvals),
  };
  if (setup(NULL)) return 1;
  {
    int rc = H_RUN("wire", tests);
    teardown(NULL);
    return rc;
  }
}
