/* SPDX-License-Identifier: MIT */
/*
 * test_constants.c - portable constants: the fixed numbers the contract
 * puts on the wire, their translation to and from this platform's native
 * values (every kind, every value, every single flag of the bit masks),
 * the socket option table, and the errors for unknown input.
 */
#include "internal.h"  /* first: its setup.h picks the feature macros */
#include "harness.h"

struct kindvals {
  int kind;
  const char *name;
  int is_mask;
  const int *values;
  size_t count;
};

static const int af_values[] = {BSDSOCK_AF_UNSPEC, BSDSOCK_AF_UNIX,
                                BSDSOCK_AF_INET, BSDSOCK_AF_INET6};
static const int socktype_values[] = {BSDSOCK_SOCK_STREAM, BSDSOCK_SOCK_DGRAM,
                                      BSDSOCK_SOCK_RAW,
                                      BSDSOCK_SOCK_SEQPACKET};
static const int proto_values[] = {BSDSOCK_IPPROTO_IP,   BSDSOCK_IPPROTO_ICMP,
                                   BSDSOCK_IPPROTO_TCP,  BSDSOCK_IPPROTO_UDP,
                                   BSDSOCK_IPPROTO_IPV6, BSDSOCK_IPPROTO_ICMPV6};
static const int level_values[] = {BSDSOCK_SOL_SOCKET, BSDSOCK_IPPROTO_IP,
                                   BSDSOCK_IPPROTO_TCP, BSDSOCK_IPPROTO_UDP,
                                   BSDSOCK_IPPROTO_IPV6};
static const int msg_values[] = {
    BSDSOCK_MSG_OOB,     BSDSOCK_MSG_PEEK,    BSDSOCK_MSG_DONTROUTE,
    BSDSOCK_MSG_TRUNC,   BSDSOCK_MSG_CTRUNC,  BSDSOCK_MSG_WAITALL,
    BSDSOCK_MSG_DONTWAIT, BSDSOCK_MSG_NOSIGNAL};
static const int shut_values[] = {BSDSOCK_SHUT_RD, BSDSOCK_SHUT_WR,
                                  BSDSOCK_SHUT_RDWR};
static const int poll_values[] = {
    BSDSOCK_POLLIN,     BSDSOCK_POLLPRI,    BSDSOCK_POLLOUT,
    BSDSOCK_POLLERR,    BSDSOCK_POLLHUP,    BSDSOCK_POLLNVAL,
    BSDSOCK_POLLRDNORM, BSDSOCK_POLLRDBAND, BSDSOCK_POLLWRNORM,
    BSDSOCK_POLLWRBAND};
static const int ai_values[] = {
    BSDSOCK_AI_PASSIVE, BSDSOCK_AI_CANONNAME, BSDSOCK_AI_NUMERICHOST,
    BSDSOCK_AI_NUMERICSERV, BSDSOCK_AI_ALL, BSDSOCK_AI_ADDRCONFIG,
    BSDSOCK_AI_V4MAPPED};
static const int ni_values[] = {BSDSOCK_NI_NOFQDN, BSDSOCK_NI_NUMERICHOST,
                                BSDSOCK_NI_NAMEREQD, BSDSOCK_NI_NUMERICSERV,
                                BSDSOCK_NI_DGRAM};

#define KIND(k, mask, v) {BSDSOCK_CONST_##k, #k, mask, v, sizeof(v) / sizeof(v[0])}

static const struct kindvals kinds[] = {
    KIND(AF, 0, af_values),       KIND(SOCKTYPE, 0, socktype_values),
    KIND(PROTO, 0, proto_values), KIND(LEVEL, 0, level_values),
    KIND(MSG, 1, msg_values),     KIND(SHUT, 0, shut_values),
    KIND(POLL, 1, poll_values),   KIND(AI, 1, ai_values),
    KIND(NI, 1, ni_values)};

static int is_win32(void) {
  return strcmp(bsdsock_backend(), "win32") == 0;
}

/* The only flags a platform may lack: Winsock has no MSG_DONTWAIT or
 * MSG_NOSIGNAL (quirk Q8); bsdsock emulates the first and never needs the
 * second, but there is no native number to report. */
static int may_lack(int kind, int value) {
  return is_win32() && kind == BSDSOCK_CONST_MSG &&
         (value == BSDSOCK_MSG_DONTWAIT || value == BSDSOCK_MSG_NOSIGNAL);
}

/* Every value (every single flag of a mask) goes to native and back
 * unchanged, and distinct values have distinct native numbers. */
static void test_round_trip(void **state) {
  size_t k, i, j;
  (void)state;
  for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
    const struct kindvals *kv = &kinds[k];
    int native[16];
    for (i = 0; i < kv->count; i++) {
      int back = -1, rc;
      native[i] = -1;
      rc = bsdsock_const_to_native(kv->kind, kv->values[i], &native[i]);
      if (rc == BSDSOCK_EOPNOTSUPP && may_lack(kv->kind, kv->values[i]))
        continue;
      if (rc != 0)
        fail_msg("%s %#x -> native: %s", kv->name, kv->values[i],
                 bsdsock_err_name(rc));
      rc = bsdsock_const_from_native(kv->kind, native[i], &back);
      if (rc != 0 || back != kv->values[i])
        fail_msg("%s %#x -> native %#x -> %#x (%s)", kv->name, kv->values[i],
                 native[i], back, bsdsock_err_name(rc));
      for (j = 0; j < i; j++)
        if (native[j] != -1 && kv->values[j] != kv->values[i] &&
            native[j] == native[i])
          fail_msg("%s %#x and %#x share native %#x", kv->name,
                   kv->values[j], kv->values[i], native[i]);
    }
  }
}

/* A whole mask (every flag the platform has) translates in one call. */
static void test_mask_union(void **state) {
  size_t k, i;
  (void)state;
  for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
    const struct kindvals *kv = &kinds[k];
    int all = 0, native = 0, back = 0, again = 0;
    if (!kv->is_mask) continue;
    for (i = 0; i < kv->count; i++)
      if (!may_lack(kv->kind, kv->values[i])) all |= kv->values[i];
    assert_int_equal(bsdsock_const_to_native(kv->kind, all, &native), 0);
    assert_int_equal(bsdsock_const_from_native(kv->kind, native, &back), 0);
    /* Winsock's POLLIN is POLLRDNORM|POLLRDBAND, so those three portable
     * bits may collapse into POLLIN; the native value must not change. */
    assert_int_equal(back & ~all, 0);
    assert_int_equal(bsdsock_const_to_native(kv->kind, back, &again), 0);
    assert_int_equal(again, native);
    assert_int_equal(bsdsock_const_to_native(kv->kind, 0, &native), 0);
    assert_int_equal(native, 0);
  }
}

/* The flags Winsock lacks are refused with EOPNOTSUPP there and present
 * everywhere else. */
static void test_missing_flags(void **state) {
  int native = 0;
  (void)state;
  if (is_win32()) {
    H_ASSERT_ERR(bsdsock_const_to_native(BSDSOCK_CONST_MSG,
                                         BSDSOCK_MSG_DONTWAIT, &native),
                 BSDSOCK_EOPNOTSUPP);
    H_ASSERT_ERR(bsdsock_const_to_native(BSDSOCK_CONST_MSG,
                                         BSDSOCK_MSG_NOSIGNAL, &native),
                 BSDSOCK_EOPNOTSUPP);
    assert_int_equal(bsdsock_last_native_error(), 0);
  } else {
    H_OK(bsdsock_const_to_native(BSDSOCK_CONST_MSG, BSDSOCK_MSG_DONTWAIT,
                                 &native));
    assert_int_not_equal(native, 0);
  }
}

/* Unknown kinds, unknown values, unknown bits and NULL outputs. */
static void test_unknown(void **state) {
  static const struct {
    int kind, value;
  } bad[] = {
      {BSDSOCK_CONST_AF, 77},           {BSDSOCK_CONST_AF, -1},
      {BSDSOCK_CONST_SOCKTYPE, 4},      {BSDSOCK_CONST_SOCKTYPE, 0},
      {BSDSOCK_CONST_PROTO, 200},       {BSDSOCK_CONST_LEVEL, 5},
      {BSDSOCK_CONST_MSG, 0x40000000},  {BSDSOCK_CONST_SHUT, 3},
      {BSDSOCK_CONST_SHUT, -1},         {BSDSOCK_CONST_POLL, 0x8000},
      {BSDSOCK_CONST_AI, 0x10000},      {BSDSOCK_CONST_NI, 0x1000},
      {0, 0},                           {BSDSOCK_CONST_NI + 1, 0},
      {-5, 1},                          {BSDSOCK_CONST_SOCKOPT, 1}};
  size_t i;
  int out = 12345;
  (void)state;
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    H_ASSERT_ERR(bsdsock_const_to_native(bad[i].kind, bad[i].value, &out),
                 BSDSOCK_EINVAL);
    assert_int_equal(out, 12345);  /* nothing written on failure */
    assert_int_equal(bsdsock_last_native_error(), 0);
  }
  H_ASSERT_ERR(bsdsock_const_from_native(BSDSOCK_CONST_AF, 12345, &out),
               BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_const_from_native(BSDSOCK_CONST_LEVEL, -7, &out),
               BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_const_from_native(0, 0, &out), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_const_from_native(99, 0, &out), BSDSOCK_EINVAL);
  assert_int_equal(out, 12345);
  H_ASSERT_ERR(bsdsock_const_to_native(BSDSOCK_CONST_AF, BSDSOCK_AF_INET,
                                       NULL), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_const_from_native(BSDSOCK_CONST_AF, 2, NULL),
               BSDSOCK_EINVAL);
}

/* A mask with one known and one unknown bit is refused as a whole. */
static void test_mask_partial(void **state) {
  int out = 777;
  (void)state;
  H_ASSERT_ERR(bsdsock_const_to_native(BSDSOCK_CONST_MSG,
                                       BSDSOCK_MSG_PEEK | 0x40000000, &out),
               BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_const_to_native(BSDSOCK_CONST_AI,
                                       BSDSOCK_AI_PASSIVE | 0x10000, &out),
               BSDSOCK_EINVAL);
  assert_int_equal(out, 777);
}

/* Every row of the option table goes to native and back, and the native
 * (level, name) pairs are unique so the reverse mapping is well defined. */
static void test_sockopt_table(void **state) {
  size_t i, j, n;
  const struct bsdsock__optdesc *t = bsdsock__opt_table(&n);
  (void)state;
  assert_true(n >= 30);
  for (i = 0; i < n; i++) {
    int nl = -1, nn = -1, l = -1, nm = -1;
    if (t[i].native_name == 0) { /* not on this OS (SO_REUSEPORT, Windows) */
      H_ASSERT_ERR(bsdsock_sockopt_to_native(t[i].level, t[i].name, &nl, &nn),
                   BSDSOCK_ENOPROTOOPT);
      continue;
    }
    H_OK(bsdsock_sockopt_to_native(t[i].level, t[i].name, &nl, &nn));
    assert_int_equal(nl, t[i].native_level);
    assert_int_equal(nn, t[i].native_name);
    H_OK(bsdsock_sockopt_from_native(nl, nn, &l, &nm));
    if (l != t[i].level || nm != t[i].name)
      fail_msg("option %#x/%#x -> native %d/%d -> %#x/%#x", t[i].level,
               t[i].name, nl, nn, l, nm);
    for (j = 0; j < i; j++) {
      assert_false(t[j].level == t[i].level && t[j].name == t[i].name);
      if (t[j].native_name == 0) continue;
      assert_false(t[j].native_level == t[i].native_level &&
                   t[j].native_name == t[i].native_name);
    }
  }
}

static void test_sockopt_unknown(void **state) {
  int a = 5, b = 6;
  (void)state;
  H_ASSERT_ERR(bsdsock_sockopt_to_native(BSDSOCK_SOL_SOCKET, 0x7777, &a, &b),
               BSDSOCK_ENOPROTOOPT);
  H_ASSERT_ERR(bsdsock_sockopt_to_native(12345, BSDSOCK_SO_ERROR, &a, &b),
               BSDSOCK_ENOPROTOOPT);
  H_ASSERT_ERR(bsdsock_sockopt_from_native(12345, 0x7777, &a, &b),
               BSDSOCK_ENOPROTOOPT);
  assert_int_equal(a, 5);
  assert_int_equal(b, 6);
  assert_int_equal(bsdsock_last_native_error(), 0);
  H_ASSERT_ERR(bsdsock_sockopt_to_native(BSDSOCK_SOL_SOCKET, BSDSOCK_SO_ERROR,
                                         NULL, &b), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_sockopt_to_native(BSDSOCK_SOL_SOCKET, BSDSOCK_SO_ERROR,
                                         &a, NULL), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_sockopt_from_native(0, 0, NULL, &b), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_sockopt_from_native(0, 0, &a, NULL), BSDSOCK_EINVAL);
}

/* The contract's numbers: they go on the wire and never change. */
static void test_fixed_numbers(void **state) {
  (void)state;
  assert_int_equal(BSDSOCK_AF_UNSPEC, 0);
  assert_int_equal(BSDSOCK_AF_UNIX, 1);
  assert_int_equal(BSDSOCK_AF_INET, 2);
  assert_int_equal(BSDSOCK_AF_INET6, 28);
  assert_int_equal(BSDSOCK_SOCK_STREAM, 1);
  assert_int_equal(BSDSOCK_SOCK_DGRAM, 2);
  assert_int_equal(BSDSOCK_IPPROTO_TCP, 6);
  assert_int_equal(BSDSOCK_IPPROTO_UDP, 17);
  assert_int_equal(BSDSOCK_IPPROTO_IPV6, 41);
  assert_int_equal(BSDSOCK_SOL_SOCKET, 0xffff);
  assert_int_equal(BSDSOCK_SO_REUSEADDR, 4);
  assert_int_equal(BSDSOCK_SO_KEEPALIVE, 8);
  assert_int_equal(BSDSOCK_SO_LINGER, 0x80);
  assert_int_equal(BSDSOCK_SO_SNDBUF, 0x1001);
  assert_int_equal(BSDSOCK_SO_RCVBUF, 0x1002);
  assert_int_equal(BSDSOCK_SO_RCVTIMEO, 0x1006);
  assert_int_equal(BSDSOCK_SO_ERROR, 0x1007);
  assert_int_equal(BSDSOCK_SO_TYPE, 0x1008);
  assert_int_equal(BSDSOCK_TCP_NODELAY, 1);
  assert_int_equal(BSDSOCK_IP_TTL, 4);
  assert_int_equal(BSDSOCK_IP_ADD_MEMBERSHIP, 12);
  assert_int_equal(BSDSOCK_IPV6_V6ONLY, 27);
  assert_int_equal(BSDSOCK_MSG_OOB, 1);
  assert_int_equal(BSDSOCK_MSG_PEEK, 2);
  assert_int_equal(BSDSOCK_MSG_DONTWAIT, 0x80);
  assert_int_equal(BSDSOCK_MSG_NOSIGNAL, 0x20000);
  assert_int_equal(BSDSOCK_SHUT_RD, 0);
  assert_int_equal(BSDSOCK_SHUT_WR, 1);
  assert_int_equal(BSDSOCK_SHUT_RDWR, 2);
  assert_int_equal(BSDSOCK_POLLIN, 1);
  assert_int_equal(BSDSOCK_POLLPRI, 2);
  assert_int_equal(BSDSOCK_POLLOUT, 4);
  assert_int_equal(BSDSOCK_POLLERR, 8);
  assert_int_equal(BSDSOCK_POLLHUP, 0x10);
  assert_int_equal(BSDSOCK_POLLNVAL, 0x20);
  assert_int_equal(BSDSOCK_POLLWRNORM, BSDSOCK_POLLOUT);
  assert_int_equal(BSDSOCK_AI_PASSIVE, 1);
  assert_int_equal(BSDSOCK_AI_NUMERICHOST, 4);
  assert_int_equal(BSDSOCK_NI_NUMERICHOST, 2);
  assert_int_equal(BSDSOCK_NI_NUMERICSERV, 8);
}

/* Known native numbers per backend, written out so the test does not
 * trust the headers the library was built with (quirks Q1-Q4). */
struct native_row {
  int kind, value, posix, win32;
};

static void test_native_values(void **state) {
  static const struct native_row rows[] = {
      {BSDSOCK_CONST_AF, BSDSOCK_AF_INET, 2, 2},
      {BSDSOCK_CONST_AF, BSDSOCK_AF_INET6, 10, 23},
      {BSDSOCK_CONST_AF, BSDSOCK_AF_UNIX, 1, 1},
      {BSDSOCK_CONST_LEVEL, BSDSOCK_SOL_SOCKET, 1, 0xffff},
      {BSDSOCK_CONST_SOCKTYPE, BSDSOCK_SOCK_STREAM, 1, 1},
      {BSDSOCK_CONST_SOCKTYPE, BSDSOCK_SOCK_DGRAM, 2, 2},
      {BSDSOCK_CONST_PROTO, BSDSOCK_IPPROTO_UDP, 17, 17},
      {BSDSOCK_CONST_MSG, BSDSOCK_MSG_PEEK, 2, 2},
      {BSDSOCK_CONST_MSG, BSDSOCK_MSG_WAITALL, 0x100, 8},
      {BSDSOCK_CONST_SHUT, BSDSOCK_SHUT_RDWR, 2, 2},
      {BSDSOCK_CONST_POLL, BSDSOCK_POLLIN, 1, 0x300},
      {BSDSOCK_CONST_POLL, BSDSOCK_POLLOUT, 4, 0x10},
      {BSDSOCK_CONST_AI, BSDSOCK_AI_NUMERICHOST, 4, 4},
  };
  static const struct {
    int level, name, posix_level, posix_name, win32_level, win32_name;
  } opts[] = {
      {BSDSOCK_SOL_SOCKET, BSDSOCK_SO_REUSEADDR, 1, 2, 0xffff, 4},
      {BSDSOCK_SOL_SOCKET, BSDSOCK_SO_ERROR, 1, 4, 0xffff, 0x1007},
      {BSDSOCK_SOL_SOCKET, BSDSOCK_SO_RCVTIMEO, 1, 20, 0xffff, 0x1006},
      {BSDSOCK_IPPROTO_IPV6, BSDSOCK_IPV6_V6ONLY, 41, 26, 41, 27},
      {BSDSOCK_IPPROTO_IP, BSDSOCK_IP_TTL, 0, 2, 0, 4},
      {BSDSOCK_IPPROTO_TCP, BSDSOCK_TCP_NODELAY, 6, 1, 6, 1},
  };
  int win = is_win32();
  size_t i;
  (void)state;
  if (!win && strcmp(bsdsock_backend(), "posix") != 0)
    H_SKIP("no known native numbers for backend %s", bsdsock_backend());
  for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
    int native = -1;
    H_OK(bsdsock_const_to_native(rows[i].kind, rows[i].value, &native));
    if (native != (win ? rows[i].win32 : rows[i].posix))
      fail_msg("kind %d value %#x: native %#x, expected %#x", rows[i].kind,
               rows[i].value, native, win ? rows[i].win32 : rows[i].posix);
  }
  for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
    int nl = -1, nn = -1;
    H_OK(bsdsock_sockopt_to_native(opts[i].level, opts[i].name, &nl, &nn));
    assert_int_equal(nl, win ? opts[i].win32_level : opts[i].posix_level);
    assert_int_equal(nn, win ? opts[i].win32_name : opts[i].posix_name);
  }
}

/* What the platform's poll() reports comes back: native POLLWRNORM (a bit
 * of its own on Linux, 0x100, alongside POLLOUT) reads as POLLOUT, which
 * BSDSOCK_POLLWRNORM equals. */
static void test_native_poll_bits(void **state) {
  int back = 0;
  (void)state;
  H_OK(bsdsock_const_from_native(BSDSOCK_CONST_POLL, POLLWRNORM, &back));
  assert_int_equal(back, BSDSOCK_POLLWRNORM);
  H_OK(bsdsock_const_from_native(BSDSOCK_CONST_POLL, POLLOUT | POLLWRNORM,
                                 &back));
  assert_int_equal(back, BSDSOCK_POLLOUT);
  H_OK(bsdsock_const_from_native(BSDSOCK_CONST_POLL, POLLIN | POLLRDNORM,
                                 &back));
  assert_int_equal(back & BSDSOCK_POLLIN, BSDSOCK_POLLIN);
}

/* The generated bsdsock/version.h and the library's string agree, and the
 * string is the three numbers (both come from CMakeLists.txt's project()). */
static void test_version(void **state) {
  char want[32];
  (void)state;
  snprintf(want, sizeof(want), "%d.%d.%d", BSDSOCK_VERSION_MAJOR,
           BSDSOCK_VERSION_MINOR, BSDSOCK_VERSION_PATCH);
  assert_string_equal(bsdsock_version(), BSDSOCK_VERSION_STRING);
  assert_string_equal(BSDSOCK_VERSION_STRING, want);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_mask_union),
      cmocka_unit_test(test_missing_flags),
      cmocka_unit_test(test_unknown),
      cmocka_unit_test(test_mask_partial),
      cmocka_unit_test(test_sockopt_table),
      cmocka_unit_test(test_sockopt_unknown),
      cmocka_unit_test(test_fixed_numbers),
      cmocka_unit_test(test_native_values),
      cmocka_unit_test(test_native_poll_bits),
      cmocka_unit_test(test_version),
  };
  return H_RUN("constants", tests);
}
