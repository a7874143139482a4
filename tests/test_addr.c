/* SPDX-License-Identifier: MIT */
/*
 * tests/test_addr.c - bsdsock_addr_t text parsing and formatting, and
 * conversion to and from native sockaddrs.
 *
 * Runs unchanged on both backends: the native bytes it checks (family as a
 * host-order uint16 at offset 0, port at 2, IPv4 address at 4, IPv6
 * flowinfo at 4, address at 8, scope at 24, sun_path at 2) are laid out the
 * same on Linux and on Windows.
 */
#include "harness.h"
#include "internal.h"

#include <stdlib.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A byte that no function under test writes by accident. */
#define POISON 0xA5

static int native_af(int family) {
  int n = -1;
  assert_int_equal(bsdsock_const_to_native(BSDSOCK_CONST_AF, family, &n), 0);
  return n;
}

static void put_u16(uint8_t *p, uint16_t v) {
  memcpy(p, &v, sizeof(v));
}

static uint16_t get_u16(const uint8_t *p) {
  uint16_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}

static void poison_addr(bsdsock_addr_t *addr) {
  memset(addr, POISON, sizeof(*addr));
}

static void assert_poisoned(const void *p, size_t n) {
  const uint8_t *b = p;
  size_t i;
  for (i = 0; i < n; i++) assert_int_equal(b[i], POISON);
}

/* ------------------------------------------------------------------------ */
/* inet_pton                                                                 */

struct v4_case {
  const char *text;
  uint8_t bytes[4];
};

static void test_pton_v4_accepts(void **state) {
  static const struct v4_case cases[] = {
      {"0.0.0.0", {0, 0, 0, 0}},
      {"255.255.255.255", {255, 255, 255, 255}},
      {"1.2.3.4", {1, 2, 3, 4}},
      {"127.0.0.1", {127, 0, 0, 1}},
      {"10.0.0.1", {10, 0, 0, 1}},
      {"192.168.100.200", {192, 168, 100, 200}},
      {"100.20.0.9", {100, 20, 0, 9}},
  };
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_SIZE(cases); i++) {
    uint8_t out[4];
    memset(out, POISON, sizeof(out));
    assert_int_equal(bsdsock_inet_pton(BSDSOCK_AF_INET, cases[i].text, out),
                     0);
    assert_memory_equal(out, cases[i].bytes, 4);
  }
}

/* Everything inet_aton()/getaddrinfo() would read differently, plus plain
 * garbage (F21; CVE-2021-29923, CVE-2025-40910, tor#32363). */
static const char *const bad_v4[] = {
    "010.0.0.1", "127.1", "0x7f000001", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4x",
    "256.1.1.1", "", "1.2.3", "1.2.3.4.5", "1..2.3", ".1.2.3", "1.2.3.",
    "1.2.3.-1", "+1.2.3.4", "1.2.3.0004", "00.0.0.0", "1.2.3.04",
    "1.2.3.4\n", "2130706433", "1,2,3,4", "0x7f.0.0.1", "1.2.3.4/8",
    "1.2.3.1000", "999.1.1.1", "::1", "1.2.3.4%1", "1.2.3.4:80", "a.b.c.d",
    "\t1.2.3.4", "1.2.3.256",
};

static void test_pton_v4_rejects(void **state) {
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_SIZE(bad_v4); i++) {
    uint8_t out[4];
    memset(out, POISON, sizeof(out));
    if (bsdsock_inet_pton(BSDSOCK_AF_INET, bad_v4[i], out) != BSDSOCK_EINVAL)
      fail_msg("IPv4 \"%s\" was not rejected", bad_v4[i]);
    assert_poisoned(out, sizeof(out));
  }
}

static void test_pton_v6_bytes(void **state) {
  static const uint8_t loop[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                   0, 0, 0, 0, 0, 0, 0, 1};
  static const uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0,    0,
                                     0, 0, 0xff, 0xff, 1, 2, 3, 4};
  static const uint8_t full[16] = {0, 1, 0, 2, 0, 3, 0, 4,
                                   0, 5, 0, 6, 0, 7, 0, 8};
  static const uint8_t doc[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                  0,    0,    0,    0,    0, 0, 0xab, 0xcd};
  uint8_t out[16];
  (void)state;

  assert_int_equal(bsdsock_inet_pton(BSDSOCK_AF_INET6, "::1", out), 0);
  assert_memory_equal(out, loop, 16);
  assert_int_equal(bsdsock_inet_pton(BSDSOCK_AF_INET6, "::ffff:1.2.3.4", out),
                   0);
  assert_memory_equal(out, mapped, 16);
  assert_int_equal(bsdsock_inet_pton(BSDSOCK_AF_INET6, "1:2:3:4:5:6:7:8", out),
                   0);
  assert_memory_equal(out, full, 16);
  assert_int_equal(bsdsock_inet_pton(BSDSOCK_AF_INET6, "2001:DB8::AbCd", out),
                   0);
  assert_memory_equal(out, doc, 16);
}

/* Accepted IPv6 text and its RFC 5952 canonical form after ntop. */
struct v6_case {
  const char *text;
  const char *canonical;
};

static const struct v6_case good_v6[] = {
    {"::", "::"},
    {"::1", "::1"},
    {"1::", "1::"},
    {"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"},
    {"2001:DB8::1", "2001:db8::1"},
    {"2001:db8::0001", "2001:db8::1"},
    {"0000:0000:0000:0000:0000:0000:0000:0001", "::1"},
    {"2001:db8:0:0:0:0:2:1", "2001:db8::2:1"},
    {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
    {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
    {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},
    {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"},
    {"::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"},
    {"1:0:0:0:0:0:0:0", "1::"},
    {"0:0:1:0:0:0:0:0", "0:0:1::"},
    {"fe80::1", "fe80::1"},
    {"FE80:0000::0001", "fe80::1"},
    {"::ffff:1.2.3.4", "::ffff:1.2.3.4"},
    {"::FFFF:192.0.2.1", "::ffff:192.0.2.1"},
    {"::ffff:0:0", "::ffff:0.0.0.0"},
    {"::ffff:0.0.0.0", "::ffff:0.0.0.0"},
    {"1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"},
    {"::1.2.3.4", "::102:304"},
    {"64:ff9b::192.0.2.33", "64:ff9b::c000:221"},
    {"ffff::", "ffff::"},
    {"ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255",
     "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
    {"0:0:0:0:0:0:0:0", "::"},
    {"1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0"},
    {"1:0:0:1:0:0:1:1", "1::1:0:0:1:1"},
    {"1:1:0:0:1:0:0:0", "1:1:0:0:1::"},
};

static void test_pton_v6_accepts_canonical(void **state) {
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_SIZE(good_v6); i++) {
    uint8_t bytes[16];
    char text[BSDSOCK_INET6_ADDRSTRLEN];
    int n;
    if (bsdsock_inet_pton(BSDSOCK_AF_INET6, good_v6[i].text, bytes) != 0)
      fail_msg("IPv6 \"%s\" was rejected", good_v6[i].text);
    n = bsdsock_inet_ntop(BSDSOCK_AF_INET6, bytes, text, sizeof(text));
    assert_int_equal(n, (int)strlen(good_v6[i].canonical));
    assert_string_equal(text, good_v6[i].canonical);
  }
}

static const char *const bad_v6[] = {
    "0::00:00:00/2",  /* CVE-2023-31130 seed */
    "1:2:3:4:5:6:7:8:9", ":1", "1:", ":::", "1:::2", "1::2::3", "::1::",
    "12345::", "::12345", "00000::", "1:2:3:4:5:6:7", "g::", "::g",
    "::ffff:010.0.0.1", "::ffff:1.2.3", "::ffff:1.2.3.4.5", "::1.2.3.4:1",
    "::ffff:256.1.1.1", "::ffff:1.2.3.4x", "1:2:3:4:5:6:7:1.2.3.4",
    "1.2.3.4::", "1.2.3.4", "::1 ", " ::1", "fe80::1%1", "fe80::1%", "[::1]",
    "", ":", "::1:2:3:4:5:6:7:8", "1:2:3:4::5:6:7:8", "1:2:3:4:5:6:7:8::",
    "::-1", "1:2:3:4:5:6:7:8:", ":1:2:3:4:5:6:7:8", "0x1::",
    "1:2:3:4:5:6:7:8/64",
    "1::2:", ":1::2", "::ffff:1.2.3.4%1", "1:2:3:4:5:6::1.2.3.4:5",
    "1:2:3:4:5:6:7:8:1.2.3.4", "::1.2.3", "ab:cd:ef:01:23:45:67:89ab:cd",
};

static void test_pton_v6_rejects(void **state) {
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_SIZE(bad_v6); i++) {
    uint8_t out[16];
    memset(out, POISON, sizeof(out));
    if (bsdsock_inet_pton(BSDSOCK_AF_INET6, bad_v6[i], out) != BSDSOCK_EINVAL)
      fail_msg("IPv6 \"%s\" was not rejected", bad_v6[i]);
    assert_poisoned(out, sizeof(out));
  }
}

static void test_pton_long_text(void **state) {
  char text[300];
  uint8_t out[16];
  (void)state;
  memset(text, '1', sizeof(text) - 1);
  text[sizeof(text) - 1] = '\0';
  memset(out, POISON, sizeof(out));
  assert_int_equal(bsdsock_inet_pton(BSDSOCK_AF_INET, text, out),
                   BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_inet_pton(BSDSOCK_AF_INET6, text, out),
                   BSDSOCK_EINVAL);
  assert_poisoned(out, sizeof(out));
}

static void test_pton_bad_args(void **state) {
  uint8_t out[16];
  (void)state;
  memset(out, POISON, sizeof(out));
  assert_int_equal(bsdsock_inet_pton(BSDSOCK_AF_INET, NULL, out),
                   BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_inet_pton(BSDSOCK_AF_INET, "1.2.3.4", NULL),
                   BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_inet_pton(BSDSOCK_AF_UNIX, "1.2.3.4", out),
                   BSDSOCK_EAFNOSUPPORT);
  assert_int_equal(bsdsock_inet_pton(BSDSOCK_AF_UNSPEC, "::1", out),
                   BSDSOCK_EAFNOSUPPORT);
  assert_int_equal(bsdsock_inet_pton(10, "::1", out), BSDSOCK_EAFNOSUPPORT);
  assert_int_equal(bsdsock_inet_pton(23, "::1", out), BSDSOCK_EAFNOSUPPORT);
  assert_poisoned(out, sizeof(out));
  /* Our own argument errors leave no native code behind. */
  assert_int_equal(bsdsock_last_native_error(), 0);
}

/* ------------------------------------------------------------------------ */
/* inet_ntop                                                                 */

static void test_ntop_v4(void **state) {
  static const uint8_t a[4] = {192, 0, 2, 255};
  static const uint8_t z[4] = {0, 0, 0, 0};
  char buf[BSDSOCK_INET_ADDRSTRLEN];
  (void)state;
  assert_int_equal(bsdsock_inet_ntop(BSDSOCK_AF_INET, a, buf, sizeof(buf)), 11);
  assert_string_equal(buf, "192.0.2.255");
  assert_int_equal(bsdsock_inet_ntop(BSDSOCK_AF_INET, z, buf, sizeof(buf)), 7);
  assert_string_equal(buf, "0.0.0.0");
}

static void test_ntop_max_lengths_fit(void **state) {
  uint8_t v4[4], v6[16];
  char b4[BSDSOCK_INET_ADDRSTRLEN], b6[BSDSOCK_INET6_ADDRSTRLEN];
  (void)state;
  memset(v4, 255, sizeof(v4));
  assert_int_equal(bsdsock_inet_ntop(BSDSOCK_AF_INET, v4, b4, sizeof(b4)), 15);
  /* The longest IPv6 text is the mapped form of 255.255.255.255 ... */
  assert_int_equal(bsdsock_inet_pton(BSDSOCK_AF_INET6,
                                     "::ffff:255.255.255.255", v6), 0);
  assert_int_equal(bsdsock_inet_ntop(BSDSOCK_AF_INET6, v6, b6, sizeof(b6)), 22);
  /* ... or eight full groups: 39 characters. */
  memset(v6, 0xff, sizeof(v6));
  assert_int_equal(bsdsock_inet_ntop(BSDSOCK_AF_INET6, v6, b6, sizeof(b6)), 39);
  assert_string_equal(b6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

static void test_ntop_enospc(void **state) {
  static const uint8_t a[4] = {10, 0, 0, 1};   /* "10.0.0.1": 8 chars */
  static const uint8_t v6[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                 0, 0, 0, 0, 0, 0, 0, 1};
  char buf[16];
  (void)state;

  memset(buf, 'x', sizeof(buf));
  assert_int_equal(bsdsock_inet_ntop(BSDSOCK_AF_INET, a, buf, 8),
                   BSDSOCK_ENOSPC);
  assert_string_equal(buf, "");
  assert_int_equal(buf[1], 'x');

  memset(buf, 'x', sizeof(buf));
  assert_int_equal(bsdsock_inet_ntop(BSDSOCK_AF_INET, a, buf, 0),
                   BSDSOCK_ENOSPC);
  assert_int_equal(buf[0], 'x');   /* size 0: not a byte written */

  assert_int_equal(bsdsock_inet_ntop(BSDSOCK_AF_INET, a, buf, 9), 8);
  assert_string_equal(buf, "10.0.0.1");

  assert_int_equal(bsdsock_inet_ntop(BSDSOCK_AF_INET6, v6, buf, 3),
                   BSDSOCK_ENOSPC);
  assert_string_equal(buf, "");
  assert_int_equal(bsdsock_inet_ntop(BSDSOCK_AF_INET6, v6, buf, 4), 3);
  assert_string_equal(buf, "::1");
}

static void test_ntop_bad_args(void **state) {
  static const uint8_t a[16] = {1, 2, 3, 4};
  char buf[64];
  (void)state;
  memset(buf, 'x', sizeof(buf));
  assert_int_equal(bsdsock_inet_ntop(BSDSOCK_AF_INET, NULL, buf, sizeof(buf)),
                   BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_inet_ntop(BSDSOCK_AF_INET, a, NULL, 16),
                   BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_inet_ntop(BSDSOCK_AF_UNIX, a, buf, sizeof(buf)),
                   BSDSOCK_EAFNOSUPPORT);
  assert_int_equal(bsdsock_inet_ntop(77, a, buf, sizeof(buf)),
                   BSDSOCK_EAFNOSUPPORT);
  assert_int_equal(buf[0], 'x');
}

/* ------------------------------------------------------------------------ */
/* addr_parse / addr_format                                                  */

struct round_trip {
  const char *text;
  uint16_t port;
  const char *formatted;
  const char *host;
};

static void test_parse_format_round_trip(void **state) {
  static const struct round_trip cases[] = {
      {"1.2.3.4", 80, "1.2.3.4:80", "1.2.3.4"},
      {"0.0.0.0", 65535, "0.0.0.0:65535", "0.0.0.0"},
      {"255.255.255.255", 0, "255.255.255.255:0", "255.255.255.255"},
      {"::1", 80, "[::1]:80", "::1"},
      {"::", 1, "[::]:1", "::"},
      {"fe80::1%2", 443, "[fe80::1%2]:443", "fe80::1%2"},
      {"FE80:0::1%7", 0, "[fe80::1%7]:0", "fe80::1%7"},
      {"fe80::1%0", 8, "[fe80::1]:8", "fe80::1"},
      {"fe80::1%4294967295", 65535, "[fe80::1%4294967295]:65535",
       "fe80::1%4294967295"},
      {"::ffff:10.0.0.1", 53, "[::ffff:10.0.0.1]:53", "::ffff:10.0.0.1"},
      {"2001:db8:0:0:1:0:0:1", 8080, "[2001:db8::1:0:0:1]:8080",
       "2001:db8::1:0:0:1"},
  };
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_SIZE(cases); i++) {
    bsdsock_addr_t addr, again;
    char buf[BSDSOCK_ADDRSTRLEN];
    int n;
    poison_addr(&addr);
    if (bsdsock_addr_parse(&addr, cases[i].text, cases[i].port) != 0)
      fail_msg("\"%s\" did not parse", cases[i].text);
    assert_int_equal(bsdsock_addr_port(&addr), cases[i].port);
    assert_int_equal(addr.flowinfo, 0);
    n = bsdsock_addr_format(&addr, buf, sizeof(buf));
    assert_int_equal(n, (int)strlen(cases[i].formatted));
    assert_string_equal(buf, cases[i].formatted);
    n = bsdsock_addr_to_text(&addr, buf, sizeof(buf));
    assert_int_equal(n, (int)strlen(cases[i].host));
    assert_string_equal(buf, cases[i].host);
    /* The host text parses back to the same address. */
    assert_int_equal(bsdsock_addr_parse(&again, buf, cases[i].port), 0);
    assert_memory_equal(&again, &addr, sizeof(addr));
  }
}

static void test_parse_fields(void **state) {
  bsdsock_addr_t addr;
  const uint8_t *port;
  (void)state;

  assert_int_equal(bsdsock_addr_parse(&addr, "10.1.2.3", 0x1234), 0);
  assert_int_equal(addr.family, BSDSOCK_AF_INET);
  port = (const uint8_t *)&addr.port;
  assert_int_equal(port[0], 0x12);   /* network byte order */
  assert_int_equal(port[1], 0x34);
  assert_int_equal(addr.u.ip4[0], 10);
  assert_int_equal(addr.u.ip4[3], 3);
  assert_int_equal(addr.scope_id, 0);

  assert_int_equal(bsdsock_addr_parse(&addr, "fe80::abcd%123456", 1), 0);
  assert_int_equal(addr.family, BSDSOCK_AF_INET6);
  assert_int_equal(addr.scope_id, 123456);   /* host byte order */
  assert_int_equal(addr.u.ip6[0], 0xfe);
  assert_int_equal(addr.u.ip6[14], 0xab);
  assert_int_equal(addr.u.ip6[15], 0xcd);
}

static void test_parse_rejects(void **state) {
  static const char *const bad_scoped[] = {
      "1.2.3.4%1",           /* scope on IPv4 */
      "fe80::1%",            /* empty scope */
      "fe80::1%4294967296",  /* 2^32 */
      "fe80::1%99999999999",
      "fe80::1%-1", "fe80::1%+1", "fe80::1% 1", "fe80::1%1 ", "fe80::1%01",
      "fe80::1%1%2", "%1", "::1%%1",
      "fe80::1%no-such-interface-0", /* a name no host has */
      "[::1]", "[::1]:80", "1.2.3.4:80", "localhost",
  };
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_SIZE(bad_v4); i++) {
    bsdsock_addr_t addr;
    poison_addr(&addr);
    if (strcmp(bad_v4[i], "::1") == 0) continue;  /* fine as IPv6 */
    if (bsdsock_addr_parse(&addr, bad_v4[i], 1) != BSDSOCK_EINVAL)
      fail_msg("\"%s\" was not rejected", bad_v4[i]);
    assert_poisoned(&addr, sizeof(addr));
  }
  for (i = 0; i < ARRAY_SIZE(bad_v6); i++) {
    bsdsock_addr_t addr;
    /* Valid here: scopes are addr_parse's business, and IPv4 is too. */
    if (strcmp(bad_v6[i], "fe80::1%1") == 0 ||
        strcmp(bad_v6[i], "::ffff:1.2.3.4%1") == 0 ||
        strcmp(bad_v6[i], "1.2.3.4") == 0)
      continue;
    poison_addr(&addr);
    if (bsdsock_addr_parse(&addr, bad_v6[i], 1) != BSDSOCK_EINVAL)
      fail_msg("\"%s\" was not rejected", bad_v6[i]);
    assert_poisoned(&addr, sizeof(addr));
  }
  for (i = 0; i < ARRAY_SIZE(bad_scoped); i++) {
    bsdsock_addr_t addr;
    poison_addr(&addr);
    if (bsdsock_addr_parse(&addr, bad_scoped[i], 1) != BSDSOCK_EINVAL)
      fail_msg("\"%s\" was not rejected", bad_scoped[i]);
    assert_poisoned(&addr, sizeof(addr));
  }
}

static void test_parse_long_text(void **state) {
  char text[200];
  bsdsock_addr_t addr;
  (void)state;
  /* A scope name far longer than any interface name. */
  strcpy(text, "fe80::1%");
  memset(text + 8, 'e', sizeof(text) - 9);
  text[sizeof(text) - 1] = '\0';
  poison_addr(&addr);
  assert_int_equal(bsdsock_addr_parse(&addr, text, 1), BSDSOCK_EINVAL);
  /* And digits: 190 of them must not wrap around to a valid index. */
  memset(text + 8, '1', sizeof(text) - 9);
  assert_int_equal(bsdsock_addr_parse(&addr, text, 1), BSDSOCK_EINVAL);
  assert_poisoned(&addr, sizeof(addr));
}

static void test_parse_bad_args(void **state) {
  bsdsock_addr_t addr;
  (void)state;
  poison_addr(&addr);
  assert_int_equal(bsdsock_addr_parse(NULL, "1.2.3.4", 1), BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_addr_parse(&addr, NULL, 1), BSDSOCK_EINVAL);
  assert_poisoned(&addr, sizeof(addr));
}

static void test_any_loopback(void **state) {
  static const uint8_t zero16[16] = {0};
  static const uint8_t loop6[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                    0, 0, 0, 0, 0, 0, 0, 1};
  bsdsock_addr_t addr;
  char buf[BSDSOCK_ADDRSTRLEN];
  (void)state;

  poison_addr(&addr);
  assert_int_equal(bsdsock_addr_any(&addr, BSDSOCK_AF_INET, 80), 0);
  assert_int_equal(addr.family, BSDSOCK_AF_INET);
  assert_int_equal(bsdsock_addr_port(&addr), 80);
  assert_int_equal(bsdsock_addr_format(&addr, buf, sizeof(buf)), 10);
  assert_string_equal(buf, "0.0.0.0:80");

  poison_addr(&addr);
  assert_int_equal(bsdsock_addr_any(&addr, BSDSOCK_AF_INET6, 81), 0);
  assert_int_equal(addr.family, BSDSOCK_AF_INET6);
  assert_memory_equal(addr.u.ip6, zero16, 16);
  assert_int_equal(addr.scope_id, 0);
  assert_int_equal(addr.flowinfo, 0);
  bsdsock_addr_format(&addr, buf, sizeof(buf));
  assert_string_equal(buf, "[::]:81");

  assert_int_equal(bsdsock_addr_loopback(&addr, BSDSOCK_AF_INET, 82), 0);
  bsdsock_addr_format(&addr, buf, sizeof(buf));
  assert_string_equal(buf, "127.0.0.1:82");

  assert_int_equal(bsdsock_addr_loopback(&addr, BSDSOCK_AF_INET6, 83), 0);
  assert_memory_equal(addr.u.ip6, loop6, 16);
  bsdsock_addr_format(&addr, buf, sizeof(buf));
  assert_string_equal(buf, "[::1]:83");

  poison_addr(&addr);
  assert_int_equal(bsdsock_addr_any(&addr, BSDSOCK_AF_UNIX, 1),
                   BSDSOCK_EAFNOSUPPORT);
  assert_int_equal(bsdsock_addr_loopback(&addr, BSDSOCK_AF_UNSPEC, 1),
                   BSDSOCK_EAFNOSUPPORT);
  assert_int_equal(bsdsock_addr_loopback(&addr, 10, 1), BSDSOCK_EAFNOSUPPORT);
  assert_poisoned(&addr, sizeof(addr));
  assert_int_equal(bsdsock_addr_any(NULL, BSDSOCK_AF_INET, 1), BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_addr_loopback(NULL, BSDSOCK_AF_INET6, 1),
                   BSDSOCK_EINVAL);
}

static void test_addr_unix(void **state) {
  bsdsock_addr_t addr;
  char path[200], buf[256];
  (void)state;

  assert_int_equal(bsdsock_addr_unix(&addr, "/tmp/bsdsock.sock"), 0);
  assert_int_equal(addr.family, BSDSOCK_AF_UNIX);
  assert_int_equal(bsdsock_addr_port(&addr), 0);
  assert_int_equal(bsdsock_addr_format(&addr, buf, sizeof(buf)), 17);
  assert_string_equal(buf, "/tmp/bsdsock.sock");
  assert_int_equal(bsdsock_addr_to_text(&addr, buf, sizeof(buf)), 17);
  assert_string_equal(buf, "/tmp/bsdsock.sock");

  /* 107 bytes and the NUL fill sun_path exactly; 108 do not fit. */
  memset(path, 'p', sizeof(path));
  path[107] = '\0';
  assert_int_equal(bsdsock_addr_unix(&addr, path), 0);
  assert_int_equal(bsdsock_addr_format(&addr, buf, sizeof(buf)), 107);
  assert_string_equal(buf, path);

  path[107] = 'p';
  path[108] = '\0';
  poison_addr(&addr);
  assert_int_equal(bsdsock_addr_unix(&addr, path), BSDSOCK_ENAMETOOLONG);
  path[sizeof(path) - 1] = '\0';
  assert_int_equal(bsdsock_addr_unix(&addr, path), BSDSOCK_ENAMETOOLONG);
  assert_int_equal(bsdsock_addr_unix(&addr, ""), BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_addr_unix(&addr, NULL), BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_addr_unix(NULL, "/x"), BSDSOCK_EINVAL);
  assert_poisoned(&addr, sizeof(addr));
}

static void test_port_and_text_errors(void **state) {
  bsdsock_addr_t addr;
  char buf[BSDSOCK_ADDRSTRLEN];
  (void)state;

  assert_int_equal(bsdsock_addr_port(NULL), 0);
  memset(&addr, 0, sizeof(addr));   /* AF_UNSPEC */
  addr.port = 0xffff;
  assert_int_equal(bsdsock_addr_port(&addr), 0);

  memset(buf, 'x', sizeof(buf));
  assert_int_equal(bsdsock_addr_to_text(&addr, buf, sizeof(buf)),
                   BSDSOCK_EAFNOSUPPORT);
  assert_int_equal(bsdsock_addr_format(&addr, buf, sizeof(buf)),
                   BSDSOCK_EAFNOSUPPORT);
  addr.family = 999;
  assert_int_equal(bsdsock_addr_format(&addr, buf, sizeof(buf)),
                   BSDSOCK_EAFNOSUPPORT);
  assert_int_equal(bsdsock_addr_to_text(NULL, buf, sizeof(buf)),
                   BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_addr_format(NULL, buf, sizeof(buf)),
                   BSDSOCK_EINVAL);
  assert_int_equal(buf[0], 'x');
  assert_int_equal(bsdsock_addr_format(&addr, NULL, 10), BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_addr_to_text(&addr, NULL, 10), BSDSOCK_EINVAL);

  /* A hand-filled AF_UNIX path with no NUL cannot be formatted. */
  memset(&addr, 0, sizeof(addr));
  addr.family = BSDSOCK_AF_UNIX;
  memset(addr.u.path, 'q', sizeof(addr.u.path));
  assert_int_equal(bsdsock_addr_to_text(&addr, buf, sizeof(buf)),
                   BSDSOCK_EINVAL);
}

static void test_format_enospc(void **state) {
  bsdsock_addr_t addr;
  char buf[32];
  (void)state;

  assert_int_equal(bsdsock_addr_parse(&addr, "fe80::1%2", 80), 0);
  /* "[fe80::1%2]:80" is 14 characters. */
  memset(buf, 'x', sizeof(buf));
  assert_int_equal(bsdsock_addr_format(&addr, buf, 14), BSDSOCK_ENOSPC);
  assert_string_equal(buf, "");
  assert_int_equal(buf[1], 'x');
  memset(buf, 'x', sizeof(buf));
  assert_int_equal(bsdsock_addr_format(&addr, buf, 0), BSDSOCK_ENOSPC);
  assert_int_equal(buf[0], 'x');
  assert_int_equal(bsdsock_addr_format(&addr, buf, 15), 14);
  assert_string_equal(buf, "[fe80::1%2]:80");

  /* "fe80::1%2" is 9. */
  assert_int_equal(bsdsock_addr_to_text(&addr, buf, 9), BSDSOCK_ENOSPC);
  assert_string_equal(buf, "");
  assert_int_equal(bsdsock_addr_to_text(&addr, buf, 10), 9);
  assert_string_equal(buf, "fe80::1%2");
}

/* ------------------------------------------------------------------------ */
/* Native sockaddr                                                           */

static void test_native_v4(void **state) {
  bsdsock_addr_t addr, back;
  uint8_t native[128];
  size_t len = sizeof(native);
  (void)state;

  assert_int_equal(bsdsock_addr_parse(&addr, "192.0.2.7", 0x1f90), 0);
  memset(native, POISON, sizeof(native));
  assert_int_equal(bsdsock_addr_to_native(&addr, native, &len), 0);
  assert_int_equal(len, 16);   /* sizeof(struct sockaddr_in) everywhere */
  assert_int_equal(get_u16(native), native_af(BSDSOCK_AF_INET));
  assert_int_equal(native[2], 0x1f);   /* sin_port, big-endian */
  assert_int_equal(native[3], 0x90);
  assert_int_equal(native[4], 192);    /* sin_addr */
  assert_int_equal(native[5], 0);
  assert_int_equal(native[6], 2);
  assert_int_equal(native[7], 7);
  assert_int_equal(native[16], POISON);   /* nothing written past len */

  poison_addr(&back);
  assert_int_equal(bsdsock_addr_from_native(&back, native, len), 0);
  assert_int_equal(back.family, BSDSOCK_AF_INET);
  assert_int_equal(bsdsock_addr_port(&back), 0x1f90);
  assert_memory_equal(back.u.ip4, addr.u.ip4, 4);
  assert_int_equal(back.scope_id, 0);
  assert_int_equal(back.flowinfo, 0);
  /* Everything else is zeroed, so whole structs compare equal. */
  assert_memory_equal(&back, &addr, sizeof(addr));
}

static void test_native_v6(void **state) {
  static const uint8_t flow[4] = {0x00, 0x0a, 0xbc, 0xde};
  bsdsock_addr_t addr, back;
  uint8_t native[128];
  size_t len = sizeof(native);
  uint32_t scope;
  (void)state;

  assert_int_equal(bsdsock_addr_parse(&addr, "fe80::1:2%5", 443), 0);
  memcpy(&addr.flowinfo, flow, 4);
  memset(native, POISON, sizeof(native));
  assert_int_equal(bsdsock_addr_to_native(&addr, native, &len), 0);
  assert_int_equal(len, 28);   /* sizeof(struct sockaddr_in6) everywhere */
  assert_int_equal(get_u16(native), native_af(BSDSOCK_AF_INET6));
  assert_int_equal(native[2], 0x01);   /* 443, big-endian */
  assert_int_equal(native[3], 0xbb);
  assert_memory_equal(native + 4, flow, 4);
  assert_memory_equal(native + 8, addr.u.ip6, 16);
  memcpy(&scope, native + 24, 4);
  assert_int_equal(scope, 5);
  assert_int_equal(native[28], POISON);

  poison_addr(&back);
  assert_int_equal(bsdsock_addr_from_native(&back, native, len), 0);
  assert_memory_equal(&back, &addr, sizeof(addr));
}

static void test_native_unix(void **state) {
  bsdsock_addr_t addr, back;
  uint8_t native[128];
  size_t len = sizeof(native);
  (void)state;

  assert_int_equal(bsdsock_addr_unix(&addr, "/run/x.sock"), 0);
  memset(native, POISON, sizeof(native));
  assert_int_equal(bsdsock_addr_to_native(&addr, native, &len), 0);
  assert_int_equal(len, 2 + 11 + 1);   /* offsetof(sun_path) + path + NUL */
  assert_int_equal(get_u16(native), native_af(BSDSOCK_AF_UNIX));
  assert_string_equal((const char *)native + 2, "/run/x.sock");

  poison_addr(&back);
  assert_int_equal(bsdsock_addr_from_native(&back, native, len), 0);
  assert_memory_equal(&back, &addr, sizeof(addr));

  /* Without the NUL in len (as Linux reports for such a bind). */
  poison_addr(&back);
  assert_int_equal(bsdsock_addr_from_native(&back, native, len - 1), 0);
  assert_memory_equal(&back, &addr, sizeof(addr));
  /* A shorter len cuts the path. */
  assert_int_equal(bsdsock_addr_from_native(&back, native, 2 + 4), 0);
  assert_string_equal(back.u.path, "/run");
}

static void test_native_unix_unnamed(void **state) {
  bsdsock_addr_t addr, back;
  uint8_t native[128];
  size_t len = sizeof(native);
  (void)state;

  /* An unnamed socket: the family alone. */
  memset(native, 0, sizeof(native));
  put_u16(native, (uint16_t)native_af(BSDSOCK_AF_UNIX));
  poison_addr(&addr);
  assert_int_equal(bsdsock_addr_from_native(&addr, native, 2), 0);
  assert_int_equal(addr.family, BSDSOCK_AF_UNIX);
  assert_string_equal(addr.u.path, "");
  assert_int_equal(bsdsock_addr_format(&addr, (char *)native + 64, 64), 0);
  /* The same with a whole zeroed sun_path after it. */
  assert_int_equal(bsdsock_addr_from_native(&back, native, 110), 0);
  assert_memory_equal(&back, &addr, sizeof(addr));

  /* And back: the family alone again. */
  assert_int_equal(bsdsock_addr_to_native(&addr, native, &len), 0);
  assert_int_equal(len, 2);
}

static void test_native_unix_full_path(void **state) {
  bsdsock_addr_t addr;
  uint8_t native[128];
  (void)state;

  /* 108 path bytes with no NUL: bsdsock_addr_t has no room for them. */
  memset(native, 'p', sizeof(native));
  put_u16(native, (uint16_t)native_af(BSDSOCK_AF_UNIX));
  poison_addr(&addr);
  assert_int_equal(bsdsock_addr_from_native(&addr, native, 110),
                   BSDSOCK_EINVAL);
  assert_poisoned(&addr, sizeof(addr));
  /* 107 and a NUL fit; extra bytes after sun_path are ignored. */
  native[2 + 107] = '\0';
  assert_int_equal(bsdsock_addr_from_native(&addr, native, sizeof(native)), 0);
  assert_int_equal(strlen(addr.u.path), 107);
}

/* The converter must not read one byte past len: hand it heap blocks of
 * exactly len bytes (AddressSanitizer watches the edge). */
static void test_native_exact_buffers(void **state) {
  static const size_t sizes[] = {16, 28, 5, 2};
  const int families[] = {BSDSOCK_AF_INET, BSDSOCK_AF_INET6, BSDSOCK_AF_UNIX,
                          BSDSOCK_AF_UNIX};
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_SIZE(sizes); i++) {
    bsdsock_addr_t addr;
    uint8_t *p = malloc(sizes[i]);
    assert_non_null(p);
    memset(p, 'a', sizes[i]);
    put_u16(p, (uint16_t)native_af(families[i]));
    assert_int_equal(bsdsock_addr_from_native(&addr, p, sizes[i]), 0);
    assert_int_equal(addr.family, families[i]);
    free(p);
  }
}

static void test_native_too_small(void **state) {
  bsdsock_addr_t v4, v6, un;
  uint8_t native[128];
  size_t len;
  (void)state;

  assert_int_equal(bsdsock_addr_parse(&v4, "1.2.3.4", 1), 0);
  assert_int_equal(bsdsock_addr_parse(&v6, "::1", 1), 0);
  assert_int_equal(bsdsock_addr_unix(&un, "/a"), 0);

  memset(native, POISON, sizeof(native));
  len = 15;
  assert_int_equal(bsdsock_addr_to_native(&v4, native, &len), BSDSOCK_EINVAL);
  assert_int_equal(len, 16);
  len = 27;
  assert_int_equal(bsdsock_addr_to_native(&v6, native, &len), BSDSOCK_EINVAL);
  assert_int_equal(len, 28);
  len = 0;
  assert_int_equal(bsdsock_addr_to_native(&v6, native, &len), BSDSOCK_EINVAL);
  assert_int_equal(len, 28);
  len = 4;
  assert_int_equal(bsdsock_addr_to_native(&un, native, &len), BSDSOCK_EINVAL);
  assert_int_equal(len, 5);
  assert_poisoned(native, sizeof(native));

  /* The exact size is enough. */
  len = 28;
  assert_int_equal(bsdsock_addr_to_native(&v6, native, &len), 0);
  assert_int_equal(len, 28);
}

static void test_native_short_lengths(void **state) {
  bsdsock_addr_t addr;
  uint8_t native[128];
  (void)state;

  memset(native, 0, sizeof(native));
  poison_addr(&addr);

  put_u16(native, (uint16_t)native_af(BSDSOCK_AF_INET));
  assert_int_equal(bsdsock_addr_from_native(&addr, native, 15),
                   BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_addr_from_native(&addr, native, 2), BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_addr_from_native(&addr, native, 1), BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_addr_from_native(&addr, native, 0), BSDSOCK_EINVAL);

  put_u16(native, (uint16_t)native_af(BSDSOCK_AF_INET6));
  assert_int_equal(bsdsock_addr_from_native(&addr, native, 27),
                   BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_addr_from_native(&addr, native, 16),
                   BSDSOCK_EINVAL);

  put_u16(native, (uint16_t)native_af(BSDSOCK_AF_UNIX));
  assert_int_equal(bsdsock_addr_from_native(&addr, native, 1), BSDSOCK_EINVAL);

  assert_int_equal(bsdsock_addr_from_native(&addr, NULL, 16), BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_addr_from_native(NULL, native, 16),
                   BSDSOCK_EINVAL);
  assert_poisoned(&addr, sizeof(addr));
}

static void test_native_unknown_family(void **state) {
  bsdsock_addr_t addr;
  uint8_t native[128];
  size_t len = sizeof(native);
  (void)state;

  memset(native, 0, sizeof(native));
  put_u16(native, 0xBEEF);
  poison_addr(&addr);
  assert_int_equal(bsdsock_addr_from_native(&addr, native, sizeof(native)),
                   BSDSOCK_EAFNOSUPPORT);
  assert_poisoned(&addr, sizeof(addr));

  /* A native AF_UNSPEC is a valid (empty) answer. */
  put_u16(native, (uint16_t)native_af(BSDSOCK_AF_UNSPEC));
  assert_int_equal(bsdsock_addr_from_native(&addr, native, 16), 0);
  assert_int_equal(addr.family, BSDSOCK_AF_UNSPEC);

  /* And the other way: no native form for AF_UNSPEC or junk. */
  memset(native, POISON, sizeof(native));
  memset(&addr, 0, sizeof(addr));
  assert_int_equal(bsdsock_addr_to_native(&addr, native, &len),
                   BSDSOCK_EAFNOSUPPORT);
  addr.family = 10;   /* Linux's AF_INET6, not a portable family */
  assert_int_equal(bsdsock_addr_to_native(&addr, native, &len),
                   BSDSOCK_EAFNOSUPPORT);
  assert_int_equal(len, sizeof(native));
  assert_poisoned(native, sizeof(native));
  assert_int_equal(bsdsock_addr_to_native(NULL, native, &len), BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_addr_to_native(&addr, NULL, &len), BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_addr_to_native(&addr, native, NULL),
                   BSDSOCK_EINVAL);
}

static void test_native_unix_unterminated_addr(void **state) {
  bsdsock_addr_t addr;
  uint8_t native[128];
  size_t len = sizeof(native);
  (void)state;

  memset(&addr, 0, sizeof(addr));
  addr.family = BSDSOCK_AF_UNIX;
  memset(addr.u.path, 'q', sizeof(addr.u.path));
  memset(native, POISON, sizeof(native));
  assert_int_equal(bsdsock_addr_to_native(&addr, native, &len),
                   BSDSOCK_EINVAL);
  assert_poisoned(native, sizeof(native));
}

/* White-box: the backends' converter treats "no address at all" (len 0,
 * as recvfrom() on a connected stream reports) as AF_UNSPEC, not an error,
 * and the to-native side reports the native length. */
static void test_internal_no_address(void **state) {
  bsdsock_addr_t addr, v6;
  struct sockaddr_storage ss;
  bsdsock__socklen_t len = 0;
  (void)state;

  poison_addr(&addr);
  assert_int_equal(bsdsock__addr_from_sockaddr(&addr, NULL, 0), 0);
  assert_int_equal(addr.family, BSDSOCK_AF_UNSPEC);
  assert_int_equal(bsdsock_addr_port(&addr), 0);
  poison_addr(&addr);
  memset(&ss, 0, sizeof(ss));
  assert_int_equal(bsdsock__addr_from_sockaddr(
                       &addr, (const struct sockaddr *)&ss, 1),
                   BSDSOCK_EINVAL);
  assert_poisoned(&addr, sizeof(addr));

  assert_int_equal(bsdsock_addr_parse(&v6, "2001:db8::5%3", 7), 0);
  assert_int_equal(bsdsock__addr_to_sockaddr(&v6, &ss, &len), 0);
  assert_int_equal(len, sizeof(struct sockaddr_in6));
  assert_int_equal(bsdsock__addr_from_sockaddr(
                       &addr, (const struct sockaddr *)&ss, (size_t)len),
                   0);
  assert_memory_equal(&addr, &v6, sizeof(v6));
}

static void test_layout(void **state) {
  (void)state;
  assert_int_equal(sizeof(bsdsock_addr_t), 120);
  assert_int_equal(offsetof(bsdsock_addr_t, port), 2);
  assert_int_equal(offsetof(bsdsock_addr_t, flowinfo), 4);
  assert_int_equal(offsetof(bsdsock_addr_t, scope_id), 8);
  assert_int_equal(offsetof(bsdsock_addr_t, u), 12);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_layout),
      cmocka_unit_test(test_pton_v4_accepts),
      cmocka_unit_test(test_pton_v4_rejects),
      cmocka_unit_test(test_pton_v6_bytes),
      cmocka_unit_test(test_pton_v6_accepts_canonical),
      cmocka_unit_test(test_pton_v6_rejects),
      cmocka_unit_test(test_pton_long_text),
      cmocka_unit_test(test_pton_bad_args),
      cmocka_unit_test(test_ntop_v4),
      cmocka_unit_test(test_ntop_max_lengths_fit),
      cmocka_unit_test(test_ntop_enospc),
      cmocka_unit_test(test_ntop_bad_args),
      cmocka_unit_test(test_parse_format_round_trip),
      cmocka_unit_test(test_parse_fields),
      cmocka_unit_test(test_parse_rejects),
      cmocka_unit_test(test_parse_long_text),
      cmocka_unit_test(test_parse_bad_args),
      cmocka_unit_test(test_any_loopback),
      cmocka_unit_test(test_addr_unix),
      cmocka_unit_test(test_port_and_text_errors),
      cmocka_unit_test(test_format_enospc),
      cmocka_unit_test(test_native_v4),
      cmocka_unit_test(test_native_v6),
      cmocka_unit_test(test_native_unix),
      cmocka_unit_test(test_native_unix_unnamed),
      cmocka_unit_test(test_native_unix_full_path),
      cmocka_unit_test(test_native_exact_buffers),
      cmocka_unit_test(test_native_too_small),
      cmocka_unit_test(test_native_short_lengths),
      cmocka_unit_test(test_native_unknown_family),
      cmocka_unit_test(test_native_unix_unterminated_addr),
      cmocka_unit_test(test_internal_no_address),
  };
  return H_RUN("addr", tests);
}
