/* SPDX-License-Identifier: MIT */
/*
 * test_options.c - socket options: get/set round trips over IPv4 and IPv6
 * (table-driven, socket2 style), the value types that differ natively
 * (SO_LINGER, buffer sizes, timeouts), read-only options, multicast
 * membership, and bad input that must fail and change nothing.
 */
#include "harness.h"

#define TCP BSDSOCK_SOCK_STREAM
#define UDP BSDSOCK_SOCK_DGRAM
#define V4 BSDSOCK_AF_INET
#define V6 BSDSOCK_AF_INET6
#define SOL BSDSOCK_SOL_SOCKET

/* A socket of family/type, or a skip when the host has no IPv6. */
static int open_socket(int family, int type) {
  int fd;
  if (family == V6 && !h_have_ipv6())
    H_SKIP("no IPv6 loopback (::1) on this host");
  fd = bsdsock_socket(family, type, 0);
  H_OK(fd);
  return fd;
}

/* ---- int and boolean options ------------------------------------------- */

struct int_case {
  const char *what;
  int family, type, level, name;
  int values[3];   /* set in turn, each read back */
};

static const struct int_case int_cases[] = {
    {"SO_KEEPALIVE", V4, TCP, SOL, BSDSOCK_SO_KEEPALIVE, {1, 0, 1}},
    {"SO_KEEPALIVE", V6, TCP, SOL, BSDSOCK_SO_KEEPALIVE, {1, 0, 1}},
    {"SO_BROADCAST", V4, UDP, SOL, BSDSOCK_SO_BROADCAST, {1, 0, 1}},
    {"SO_REUSEADDR", V4, TCP, SOL, BSDSOCK_SO_REUSEADDR, {1, 0, 1}},
    {"SO_REUSEADDR", V6, TCP, SOL, BSDSOCK_SO_REUSEADDR, {1, 0, 1}},
    {"SO_REUSEADDR", V4, UDP, SOL, BSDSOCK_SO_REUSEADDR, {1, 0, 1}},
    {"SO_OOBINLINE", V4, TCP, SOL, BSDSOCK_SO_OOBINLINE, {1, 0, 1}},
    {"TCP_NODELAY", V4, TCP, BSDSOCK_IPPROTO_TCP, BSDSOCK_TCP_NODELAY,
     {1, 0, 1}},
    {"TCP_NODELAY", V6, TCP, BSDSOCK_IPPROTO_TCP, BSDSOCK_TCP_NODELAY,
     {1, 0, 1}},
    {"IP_TTL", V4, TCP, BSDSOCK_IPPROTO_IP, BSDSOCK_IP_TTL, {33, 1, 255}},
    {"IP_TTL", V4, UDP, BSDSOCK_IPPROTO_IP, BSDSOCK_IP_TTL, {33, 64, 2}},
    {"IP_MULTICAST_TTL", V4, UDP, BSDSOCK_IPPROTO_IP,
     BSDSOCK_IP_MULTICAST_TTL, {5, 1, 32}},
    {"IP_MULTICAST_LOOP", V4, UDP, BSDSOCK_IPPROTO_IP,
     BSDSOCK_IP_MULTICAST_LOOP, {0, 1, 0}},
    {"IPV6_V6ONLY", V6, TCP, BSDSOCK_IPPROTO_IPV6, BSDSOCK_IPV6_V6ONLY,
     {0, 1, 0}},
    {"IPV6_V6ONLY", V6, UDP, BSDSOCK_IPPROTO_IPV6, BSDSOCK_IPV6_V6ONLY,
     {0, 1, 0}},
    {"IPV6_UNICAST_HOPS", V6, UDP, BSDSOCK_IPPROTO_IPV6,
     BSDSOCK_IPV6_UNICAST_HOPS, {33, 1, 255}},
    {"IPV6_MULTICAST_HOPS", V6, UDP, BSDSOCK_IPPROTO_IPV6,
     BSDSOCK_IPV6_MULTICAST_HOPS, {5, 1, 32}},
    {"IPV6_MULTICAST_LOOP", V6, UDP, BSDSOCK_IPPROTO_IPV6,
     BSDSOCK_IPV6_MULTICAST_LOOP, {0, 1, 0}},
};

static void int_round_trip(const struct int_case *c) {
  int fd = open_socket(c->family, c->type), i;
  for (i = 0; i < 3; i++) {
    int got;
    h_set_int(fd, c->level, c->name, c->values[i]);
    got = h_get_int(fd, c->level, c->name);
    if (got != c->values[i])
      fail_msg("%s (family %d, type %d): set %d, read %d", c->what,
               c->family, c->type, c->values[i], got);
  }
  H_OK(bsdsock_close(fd));
}

static void test_int_options(void **state) {
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(int_cases) / sizeof(int_cases[0]); i++)
    if (int_cases[i].family == V4 || h_have_ipv6())
      int_round_trip(&int_cases[i]);
}

/* Booleans are normalised: any non-zero value reads back as 1. */
static void test_bool_normalised(void **state) {
  int fd = open_socket(V4, TCP);
  (void)state;
  h_set_int(fd, SOL, BSDSOCK_SO_KEEPALIVE, 42);
  assert_int_equal(h_get_int(fd, SOL, BSDSOCK_SO_KEEPALIVE), 1);
  h_set_int(fd, BSDSOCK_IPPROTO_TCP, BSDSOCK_TCP_NODELAY, -1);
  assert_int_equal(h_get_int(fd, BSDSOCK_IPPROTO_TCP, BSDSOCK_TCP_NODELAY), 1);
  H_OK(bsdsock_close(fd));
}

/* ---- structured options ---------------------------------------------- */

static void get_linger(int fd, bsdsock_linger_t *lg) {
  size_t len = sizeof(*lg);
  H_OK(bsdsock_getsockopt(fd, SOL, BSDSOCK_SO_LINGER, lg, &len));
  assert_int_equal(len, sizeof(*lg));
}

static void test_linger(void **state) {
  bsdsock_linger_t lg = {1, 5}, out;
  int fd = open_socket(V4, TCP);
  (void)state;
  get_linger(fd, &out);
  assert_int_equal(out.onoff, 0);
  H_OK(bsdsock_setsockopt(fd, SOL, BSDSOCK_SO_LINGER, &lg, sizeof(lg)));
  get_linger(fd, &out);
  assert_int_equal(out.onoff, 1);
  assert_int_equal(out.seconds, 5);   /* seconds, not ticks (Q11) */
  lg.onoff = 0;
  lg.seconds = 0;
  H_OK(bsdsock_setsockopt(fd, SOL, BSDSOCK_SO_LINGER, &lg, sizeof(lg)));
  get_linger(fd, &out);
  assert_int_equal(out.onoff, 0);
  H_OK(bsdsock_close(fd));
}

/* SO_RCVBUF/SO_SNDBUF read back the size set, never Linux's doubled
 * figure (quirk Q49); a platform may round, within a factor of two. */
static void test_buffer_sizes(void **state) {
  static const int names[] = {BSDSOCK_SO_RCVBUF, BSDSOCK_SO_SNDBUF};
  static const int types[] = {TCP, UDP};
  size_t i, j;
  (void)state;
  for (i = 0; i < 2; i++) {
    for (j = 0; j < 2; j++) {
      int fd = open_socket(V4, types[j]), got;
      h_set_int(fd, SOL, names[i], 65536);
      got = h_get_int(fd, SOL, names[i]);
      assert_true(got >= 65536 / 2);
      assert_true(got <= 2 * 65536);
      if (strcmp(bsdsock_backend(), "posix") == 0)
        assert_int_equal(got, 65536);
      H_OK(bsdsock_close(fd));
    }
  }
}

static void get_timeval(int fd, int name, bsdsock_timeval_t *tv) {
  size_t len = sizeof(*tv);
  H_OK(bsdsock_getsockopt(fd, SOL, name, tv, &len));
  assert_int_equal(len, sizeof(*tv));
}

/* Timeouts are a timeval everywhere (Winsock's DWORD milliseconds are
 * converted, quirk Q47); zero means none. */
static void test_timeouts(void **state) {
  static const int names[] = {BSDSOCK_SO_RCVTIMEO, BSDSOCK_SO_SNDTIMEO};
  size_t i;
  int fd = open_socket(V4, TCP);
  (void)state;
  for (i = 0; i < 2; i++) {
    bsdsock_timeval_t tv = {1, 500000}, out;
    get_timeval(fd, names[i], &out);
    assert_true(out.sec == 0 && out.usec == 0);
    H_OK(bsdsock_setsockopt(fd, SOL, names[i], &tv, sizeof(tv)));
    get_timeval(fd, names[i], &out);
    assert_int_equal(out.sec, 1);
    assert_int_equal(out.usec, 500000);
    tv.sec = 0;
    tv.usec = 0;
    H_OK(bsdsock_setsockopt(fd, SOL, names[i], &tv, sizeof(tv)));
    get_timeval(fd, names[i], &out);
    assert_true(out.sec == 0 && out.usec == 0);
  }
  H_OK(bsdsock_close(fd));
}

/* A sub-millisecond timeout must not turn into "no timeout" (socket2's
 * into_ms rounds up): it reads back non-zero. */
static void test_tiny_timeout(void **state) {
  bsdsock_timeval_t tv = {0, 1}, out;
  int fd = open_socket(V4, TCP);
  (void)state;
  H_OK(bsdsock_setsockopt(fd, SOL, BSDSOCK_SO_RCVTIMEO, &tv, sizeof(tv)));
  get_timeval(fd, BSDSOCK_SO_RCVTIMEO, &out);
  assert_true(out.sec > 0 || out.usec > 0);
  H_OK(bsdsock_close(fd));
}

/* A timeout longer than every platform can hold is clamped to the longest
 * one all of them can, 4,294,967 s (Winsock's DWORD of milliseconds tops
 * out at 0xFFFFFFFE ms, about 49.7 days; whole seconds so that Linux's
 * jiffies read back the same), on every backend: 18,446,744,073,709,552 s
 * must not wrap around to 0.384 s on Windows while Linux keeps it. Shorter
 * values are kept as they are. */
static void test_huge_timeout(void **state) {
  static const bsdsock_timeval_t huge[] = {
      {INT64_C(18446744073709552), 0}, {INT64_MAX, 999999},
      {INT64_C(4294967296), 0}, {4294968, 0}, {4294967, 1},
      {4294967, 999999}, {4294967, 0}};
  static const int names[] = {BSDSOCK_SO_RCVTIMEO, BSDSOCK_SO_SNDTIMEO};
  bsdsock_timeval_t below = {4294966, 0}, out;
  size_t i, j;
  int fd = open_socket(V4, TCP);
  (void)state;
  for (j = 0; j < 2; j++) {
    for (i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
      H_OK(bsdsock_setsockopt(fd, SOL, names[j], &huge[i], sizeof(huge[i])));
      get_timeval(fd, names[j], &out);
      if (out.sec != 4294967 || out.usec != 0)
        fail_msg("set %lld s %d us, read back %lld s %d us",
                 (long long)huge[i].sec, (int)huge[i].usec,
                 (long long)out.sec, (int)out.usec);
    }
    H_OK(bsdsock_setsockopt(fd, SOL, names[j], &below, sizeof(below)));
    get_timeval(fd, names[j], &out);
    assert_int_equal(out.sec, 4294966);
    assert_int_equal(out.usec, 0);
  }
  H_OK(bsdsock_close(fd));
}

/* ---- read-only options ----------------------------------------------- */

static void test_read_only(void **state) {
  bsdsock_addr_t a;
  int t = open_socket(V4, TCP), u = open_socket(V4, UDP), l;
  (void)state;
  assert_int_equal(h_get_int(t, SOL, BSDSOCK_SO_ERROR), 0);
  assert_int_equal(h_get_int(u, SOL, BSDSOCK_SO_ERROR), 0);
  assert_int_equal(h_get_int(t, SOL, BSDSOCK_SO_TYPE), BSDSOCK_SOCK_STREAM);
  assert_int_equal(h_get_int(u, SOL, BSDSOCK_SO_TYPE), BSDSOCK_SOCK_DGRAM);
  assert_int_equal(h_get_int(t, SOL, BSDSOCK_SO_ACCEPTCONN), 0);
  l = h_listener(V4, &a);
  assert_int_equal(h_get_int(l, SOL, BSDSOCK_SO_ACCEPTCONN), 1);
  H_OK(bsdsock_close(l));
  H_OK(bsdsock_close(t));
  H_OK(bsdsock_close(u));
}

static void test_type_ipv6(void **state) {
  int t = open_socket(V6, TCP), u = open_socket(V6, UDP);
  (void)state;
  assert_int_equal(h_get_int(t, SOL, BSDSOCK_SO_TYPE), BSDSOCK_SOCK_STREAM);
  assert_int_equal(h_get_int(u, SOL, BSDSOCK_SO_TYPE), BSDSOCK_SOCK_DGRAM);
  H_OK(bsdsock_close(t));
  H_OK(bsdsock_close(u));
}

/* ---- multicast ------------------------------------------------------- */

static void test_multicast_membership(void **state) {
  bsdsock_ip_mreq_t mr = {{239, 255, 0, 1}, {127, 0, 0, 1}};
  bsdsock_addr_t a;
  size_t len = sizeof(mr);
  int fd = h_udp_bound(V4, &a), rc;
  (void)state;
  rc = bsdsock_setsockopt(fd, BSDSOCK_IPPROTO_IP, BSDSOCK_IP_ADD_MEMBERSHIP,
                          &mr, sizeof(mr));
  if (rc == BSDSOCK_ENODEV || rc == BSDSOCK_EADDRNOTAVAIL ||
      rc == BSDSOCK_ENOBUFS) {
    H_OK(bsdsock_close(fd));
    H_SKIP("cannot join 239.255.0.1 on 127.0.0.1 here: %s",
           bsdsock_err_name(rc));
  }
  H_OK(rc);
  /* Membership is set-only. */
  H_ASSERT_ERR(bsdsock_getsockopt(fd, BSDSOCK_IPPROTO_IP,
                                  BSDSOCK_IP_ADD_MEMBERSHIP, &mr, &len),
               BSDSOCK_ENOPROTOOPT);
  H_OK(bsdsock_setsockopt(fd, BSDSOCK_IPPROTO_IP, BSDSOCK_IP_DROP_MEMBERSHIP,
                          &mr, sizeof(mr)));
  H_OK(bsdsock_close(fd));
}

/* IP_MULTICAST_IF takes and returns a 4-byte interface address. */
static void test_multicast_if(void **state) {
  uint8_t ifaddr[4] = {127, 0, 0, 1}, out[4] = {0, 0, 0, 0};
  size_t len = sizeof(out);
  int fd = open_socket(V4, UDP);
  (void)state;
  H_OK(bsdsock_setsockopt(fd, BSDSOCK_IPPROTO_IP, BSDSOCK_IP_MULTICAST_IF,
                          ifaddr, sizeof(ifaddr)));
  H_OK(bsdsock_getsockopt(fd, BSDSOCK_IPPROTO_IP, BSDSOCK_IP_MULTICAST_IF,
                          out, &len));
  assert_int_equal(len, 4);
  assert_memory_equal(out, ifaddr, 4);
  H_OK(bsdsock_close(fd));
}

/* ---- bad input --------------------------------------------------------- */

/* Unknown levels and names, and writes to read-only options. */
static void test_unknown_options(void **state) {
  static const int bad[][2] = {{12345, BSDSOCK_SO_KEEPALIVE},
                               {SOL, 0x7777},
                               {BSDSOCK_IPPROTO_TCP, 0x7777},
                               {BSDSOCK_IPPROTO_UDP, 1},
                               {-1, -1}};
  static const int read_only[] = {BSDSOCK_SO_ERROR, BSDSOCK_SO_TYPE,
                                  BSDSOCK_SO_ACCEPTCONN};
  int fd = open_socket(V4, TCP), v = 1;
  size_t i, len;
  (void)state;
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    len = sizeof(v);
    H_ASSERT_ERR(bsdsock_setsockopt(fd, bad[i][0], bad[i][1], &v, sizeof(v)),
                 BSDSOCK_ENOPROTOOPT);
    assert_int_equal(bsdsock_last_native_error(), 0);
    H_ASSERT_ERR(bsdsock_getsockopt(fd, bad[i][0], bad[i][1], &v, &len),
                 BSDSOCK_ENOPROTOOPT);
  }
  for (i = 0; i < sizeof(read_only) / sizeof(read_only[0]); i++) {
    v = 0;
    H_ASSERT_ERR(bsdsock_setsockopt(fd, SOL, read_only[i], &v, sizeof(v)),
                 BSDSOCK_ENOPROTOOPT);
    assert_int_equal(bsdsock_last_native_error(), 0);
  }
  assert_int_equal(h_get_int(fd, SOL, BSDSOCK_SO_TYPE), BSDSOCK_SOCK_STREAM);
  H_OK(bsdsock_close(fd));
}

/* NULL pointers and lengths that do not match the option's type. */
static void test_bad_lengths(void **state) {
  bsdsock_linger_t lg = {1, 1};
  char big[64];
  int fd = open_socket(V4, TCP), v = 1;
  size_t len;
  (void)state;
  h_set_int(fd, SOL, BSDSOCK_SO_KEEPALIVE, 1);
  H_ASSERT_ERR(bsdsock_setsockopt(fd, SOL, BSDSOCK_SO_KEEPALIVE, NULL, 4),
               BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_setsockopt(fd, SOL, BSDSOCK_SO_KEEPALIVE, &v, 2),
               BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_setsockopt(fd, SOL, BSDSOCK_SO_KEEPALIVE, &v, 0),
               BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_setsockopt(fd, SOL, BSDSOCK_SO_KEEPALIVE, big, 8),
               BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_setsockopt(fd, SOL, BSDSOCK_SO_LINGER, &lg,
                                  sizeof(int)), BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_last_native_error(), 0);
  len = sizeof(v);
  H_ASSERT_ERR(bsdsock_getsockopt(fd, SOL, BSDSOCK_SO_KEEPALIVE, NULL, &len),
               BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_getsockopt(fd, SOL, BSDSOCK_SO_KEEPALIVE, &v, NULL),
               BSDSOCK_EINVAL);
  len = 2;
  H_ASSERT_ERR(bsdsock_getsockopt(fd, SOL, BSDSOCK_SO_KEEPALIVE, &v, &len),
               BSDSOCK_EINVAL);
  assert_int_equal(len, 2);
  len = sizeof(int);
  H_ASSERT_ERR(bsdsock_getsockopt(fd, SOL, BSDSOCK_SO_LINGER, &lg, &len),
               BSDSOCK_EINVAL);
  /* A larger buffer is fine: *len says how much was written. */
  len = sizeof(big);
  H_OK(bsdsock_getsockopt(fd, SOL, BSDSOCK_SO_KEEPALIVE, big, &len));
  assert_int_equal(len, sizeof(int));
  /* Nothing changed. */
  assert_int_equal(h_get_int(fd, SOL, BSDSOCK_SO_KEEPALIVE), 1);
  H_OK(bsdsock_close(fd));
}

/* Out-of-range structured values fail and leave the option as it was. */
static void test_bad_values(void **state) {
  static const bsdsock_timeval_t bad_tv[] = {
      {0, -1}, {0, 1000000}, {-1, 0}, {1, INT32_MIN}};
  bsdsock_timeval_t good = {1, 500000}, out;
  bsdsock_linger_t lg = {1, -1}, lout;
  size_t i;
  int fd = open_socket(V4, TCP);
  (void)state;
  H_OK(bsdsock_setsockopt(fd, SOL, BSDSOCK_SO_RCVTIMEO, &good, sizeof(good)));
  for (i = 0; i < sizeof(bad_tv) / sizeof(bad_tv[0]); i++) {
    H_ASSERT_ERR(bsdsock_setsockopt(fd, SOL, BSDSOCK_SO_RCVTIMEO, &bad_tv[i],
                                    sizeof(bad_tv[i])), BSDSOCK_EINVAL);
    assert_int_equal(bsdsock_last_native_error(), 0);
  }
  get_timeval(fd, BSDSOCK_SO_RCVTIMEO, &out);
  assert_int_equal(out.sec, 1);
  assert_int_equal(out.usec, 500000);
  H_ASSERT_ERR(bsdsock_setsockopt(fd, SOL, BSDSOCK_SO_LINGER, &lg,
                                  sizeof(lg)), BSDSOCK_EINVAL);
  get_linger(fd, &lout);
  assert_int_equal(lout.onoff, 0);
  H_OK(bsdsock_close(fd));
}

/* An option of another protocol than the socket's is refused by the
 * system; the code is one of the "not for this socket" class. */
static void test_wrong_protocol(void **state) {
  int u = open_socket(V4, UDP), v = 1, rc;
  (void)state;
  rc = bsdsock_setsockopt(u, BSDSOCK_IPPROTO_TCP, BSDSOCK_TCP_NODELAY, &v,
                          sizeof(v));
  if (rc != BSDSOCK_ENOPROTOOPT && rc != BSDSOCK_EOPNOTSUPP &&
      rc != BSDSOCK_EINVAL)
    fail_msg("TCP_NODELAY on UDP: %s", bsdsock_err_name(rc));
  H_OK(bsdsock_close(u));
}

/* ---- issue 10 options ---------------------------------------------------- */

#define TCPL BSDSOCK_IPPROTO_TCP

/* Sets value, reads it back. */
static void set_and_read(int fd, int level, int name, int value) {
  h_set_int(fd, level, name, value);
  assert_int_equal(h_get_int(fd, level, name), value);
}

/* TCP_KEEPIDLE/KEEPINTVL read back what was set on every platform
 * (Windows without the options: through SIO_KEEPALIVE_VALS, remembered,
 * quirk Q60); TCP_KEEPCNT where the OS has it, else ENOPROTOOPT and 10. */
static void test_keepalive_times(void **state) {
  static const int families[] = {V4, V6};
  static const int idle[] = {30, 1, 32767}, intvl[] = {5, 1, 100},
                   cnt[] = {3, 1, 127};
  size_t f, i;
  int fd, rc;
  (void)state;
  for (f = 0; f < 2; f++) {
    if (families[f] == V6 && !h_have_ipv6()) continue;
    fd = open_socket(families[f], TCP);
    h_set_int(fd, SOL, BSDSOCK_SO_KEEPALIVE, 1);
    for (i = 0; i < 3; i++) {
      set_and_read(fd, TCPL, BSDSOCK_TCP_KEEPIDLE, idle[i]);
      set_and_read(fd, TCPL, BSDSOCK_TCP_KEEPINTVL, intvl[i]);
      assert_int_equal(h_get_int(fd, TCPL, BSDSOCK_TCP_KEEPIDLE), idle[i]);
    }
    /* Switching SO_KEEPALIVE keeps the times. */
    h_set_int(fd, SOL, BSDSOCK_SO_KEEPALIVE, 0);
    h_set_int(fd, SOL, BSDSOCK_SO_KEEPALIVE, 1);
    assert_int_equal(h_get_int(fd, TCPL, BSDSOCK_TCP_KEEPIDLE), idle[2]);
    assert_int_equal(h_get_int(fd, TCPL, BSDSOCK_TCP_KEEPINTVL), intvl[2]);
    for (i = 0; i < 3; i++) {
      rc = bsdsock_setsockopt(fd, TCPL, BSDSOCK_TCP_KEEPCNT, &cnt[i],
                              sizeof(int));
      if (rc == BSDSOCK_ENOPROTOOPT) {
        printf("  no TCP_KEEPCNT on this %s%s: the count is fixed, 10\n",
               bsdsock_backend(), h_is_wine() ? " (Wine)" : "");
        assert_int_equal(h_get_int(fd, TCPL, BSDSOCK_TCP_KEEPCNT), 10);
        break;
      }
      H_OK(rc);
      assert_int_equal(h_get_int(fd, TCPL, BSDSOCK_TCP_KEEPCNT), cnt[i]);
    }
    H_OK(bsdsock_close(fd));
  }
}

/* Values outside the portable range are EINVAL everywhere; a UDP socket
 * has no keepalive (ENOPROTOOPT). */
static void test_keepalive_range(void **state) {
  static const int bad_time[] = {0, -1, 32768}, bad_cnt[] = {0, -5, 128};
  int fd = open_socket(V4, TCP), u = open_socket(V4, UDP), one = 1;
  size_t i;
  (void)state;
  for (i = 0; i < 3; i++) {
    H_ASSERT_ERR(bsdsock_setsockopt(fd, TCPL, BSDSOCK_TCP_KEEPIDLE,
                                    &bad_time[i], sizeof(int)),
                 BSDSOCK_EINVAL);
    H_ASSERT_ERR(bsdsock_setsockopt(fd, TCPL, BSDSOCK_TCP_KEEPINTVL,
                                    &bad_time[i], sizeof(int)),
                 BSDSOCK_EINVAL);
    H_ASSERT_ERR(bsdsock_setsockopt(fd, TCPL, BSDSOCK_TCP_KEEPCNT, &bad_cnt[i],
                                    sizeof(int)),
                 BSDSOCK_EINVAL);
  }
  H_ASSERT_ERR(bsdsock_setsockopt(u, TCPL, BSDSOCK_TCP_KEEPIDLE, &one,
                                  sizeof(one)),
               BSDSOCK_ENOPROTOOPT);
  H_OK(bsdsock_close(fd));
  H_OK(bsdsock_close(u));
}

/* Sets an int option that Wine may lack: 0, or a skip under Wine. */
static void wine_may_lack(int fd, int level, int name, int value,
                          const char *what) {
  int rc = bsdsock_setsockopt(fd, level, name, &value, sizeof(value));
  if (rc != 0 && h_is_wine())
    H_SKIP("Wine refuses %s (%s); real Windows 10 has it", what,
           bsdsock_err_name(rc));
  H_OK(rc);
}

static void test_tclass(void **state) {
  static const int values[] = {0x20, 0, 0xb8};
  static const int types[] = {TCP, UDP};
  size_t t, i;
  int fd, v4, one = 1;
  (void)state;
  for (t = 0; t < 2; t++) {
    fd = open_socket(V6, types[t]);
    wine_may_lack(fd, BSDSOCK_IPPROTO_IPV6, BSDSOCK_IPV6_TCLASS, 0x20,
                  "IPV6_TCLASS");
    for (i = 0; i < 3; i++)
      set_and_read(fd, BSDSOCK_IPPROTO_IPV6, BSDSOCK_IPV6_TCLASS, values[i]);
    H_OK(bsdsock_close(fd));
  }
  v4 = open_socket(V4, UDP);
  H_ASSERT_ERR(bsdsock_setsockopt(v4, BSDSOCK_IPPROTO_IPV6,
                                  BSDSOCK_IPV6_TCLASS, &one, sizeof(one)),
               BSDSOCK_ENOPROTOOPT);
  H_OK(bsdsock_close(v4));
}

/* The switches that ask for ancillary data on received datagrams. */
static void test_recv_switches(void **state) {
  static const struct {
    const char *what;
    int family, level, name;
  } cases[] = {
      {"IP_PKTINFO", V4, BSDSOCK_IPPROTO_IP, BSDSOCK_IP_PKTINFO},
      {"IP_RECVTOS", V4, BSDSOCK_IPPROTO_IP, BSDSOCK_IP_RECVTOS},
      {"IPV6_RECVPKTINFO", V6, BSDSOCK_IPPROTO_IPV6, BSDSOCK_IPV6_RECVPKTINFO},
      {"IPV6_RECVTCLASS", V6, BSDSOCK_IPPROTO_IPV6, BSDSOCK_IPV6_RECVTCLASS},
  };
  size_t i;
  int fd, tcp, one = 1;
  (void)state;
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    if (cases[i].family == V6 && !h_have_ipv6()) continue;
    fd = open_socket(cases[i].family, UDP);
    wine_may_lack(fd, cases[i].level, cases[i].name, 1, cases[i].what);
    assert_int_equal(h_get_int(fd, cases[i].level, cases[i].name), 1);
    set_and_read(fd, cases[i].level, cases[i].name, 0);
    set_and_read(fd, cases[i].level, cases[i].name, 1);
    /* Datagram sockets only, on every platform. */
    tcp = open_socket(cases[i].family, TCP);
    H_ASSERT_ERR(bsdsock_setsockopt(tcp, cases[i].level, cases[i].name, &one,
                                    sizeof(one)),
                 BSDSOCK_ENOPROTOOPT);
    H_OK(bsdsock_close(tcp));
    H_OK(bsdsock_close(fd));
  }
}

/* SO_REUSEPORT: POSIX shares the port between the sockets that set it;
 * Windows has no equivalent and says ENOPROTOOPT (quirk Q59). */
static void test_reuseport(void **state) {
  bsdsock_addr_t a;
  int x = open_socket(V4, UDP), y = open_socket(V4, UDP), one = 1, rc;
  size_t len = sizeof(int);
  (void)state;
  rc = bsdsock_setsockopt(x, SOL, BSDSOCK_SO_REUSEPORT, &one, sizeof(one));
  if (strcmp(bsdsock_backend(), "posix") != 0) {
    H_ASSERT_ERR(rc, BSDSOCK_ENOPROTOOPT);
    H_ASSERT_ERR(bsdsock_getsockopt(x, SOL, BSDSOCK_SO_REUSEPORT, &one, &len),
                 BSDSOCK_ENOPROTOOPT);
  } else {
    H_OK(rc);
    assert_int_equal(h_get_int(x, SOL, BSDSOCK_SO_REUSEPORT), 1);
    h_set_int(y, SOL, BSDSOCK_SO_REUSEPORT, 1);
    h_loopback(&a, V4);
    H_OK(bsdsock_bind(x, &a));
    H_OK(bsdsock_getsockname(x, &a));
    H_OK(bsdsock_bind(y, &a)); /* the same port, shared */
    set_and_read(x, SOL, BSDSOCK_SO_REUSEPORT, 0);
  }
  H_OK(bsdsock_close(x));
  H_OK(bsdsock_close(y));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_int_options),
      cmocka_unit_test(test_bool_normalised),
      cmocka_unit_test(test_linger),
      cmocka_unit_test(test_buffer_sizes),
      cmocka_unit_test(test_timeouts),
      cmocka_unit_test(test_tiny_timeout),
      cmocka_unit_test(test_huge_timeout),
      cmocka_unit_test(test_read_only),
      cmocka_unit_test(test_type_ipv6),
      cmocka_unit_test(test_multicast_membership),
      cmocka_unit_test(test_multicast_if),
      cmocka_unit_test(test_unknown_options),
      cmocka_unit_test(test_bad_lengths),
      cmocka_unit_test(test_bad_values),
      cmocka_unit_test(test_wrong_protocol),
      cmocka_unit_test(test_keepalive_times),
      cmocka_unit_test(test_keepalive_range),
      cmocka_unit_test(test_tclass),
      cmocka_unit_test(test_recv_switches),
      cmocka_unit_test(test_reuseport),
  };
  return H_RUN("options", tests);
}
