/* SPDX-License-Identifier: MIT */
/*
 * test_resolve.c - getaddrinfo()/getnameinfo() over portable types:
 * numeric hosts and services, strict IPv4 text (no short, octal, hex or
 * integer forms: fault F21), strict port numbers, one parser and one
 * formatter for numeric hosts (bsdsock_addr_parse's and
 * bsdsock_addr_to_text's), over-long names (F22), argument errors,
 * *res being NULL after every failure (F23), freeaddrinfo(NULL), and the
 * resolver error messages. No test depends on DNS: only numeric hosts and
 * "localhost" are looked up.
 */
#include "harness.h"

#include <limits.h>

/* Something that is not NULL and not a valid list: a failure must
 * overwrite it with NULL. */
static bsdsock_addrinfo_t sentinel;

static bsdsock_addrinfo_t hints_of(int family, int socktype, int flags) {
  bsdsock_addrinfo_t h;
  memset(&h, 0, sizeof(h));
  h.family = family;
  h.socktype = socktype;
  h.flags = flags;
  return h;
}

#define NUMERIC (BSDSOCK_AI_NUMERICHOST | BSDSOCK_AI_NUMERICSERV)

/* Calls getaddrinfo expecting the failure want, with *res NULL after. */
static void gai_fails(const char *node, const char *service,
                      const bsdsock_addrinfo_t *hints, int want) {
  bsdsock_addrinfo_t *res = &sentinel;
  int rc = bsdsock_getaddrinfo(node, service, hints, &res);
  if (rc != want)
    fail_msg("getaddrinfo(\"%.40s\", \"%s\"): %s, expected %s",
             node ? node : "(null)", service ? service : "(null)",
             bsdsock_err_name(rc), bsdsock_err_name(want));
  assert_null(res);
}

/* The first result's address as "host:port" text. */
static void first_as_text(const bsdsock_addrinfo_t *ai, char *buf,
                          size_t size) {
  assert_non_null(ai);
  H_OK(bsdsock_addr_format(&ai->addr, buf, size));
}

/* ---- numeric lookups --------------------------------------------------- */

static void test_numeric_ipv4(void **state) {
  bsdsock_addrinfo_t h = hints_of(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM,
                                  NUMERIC), *res = NULL, *ai;
  char text[BSDSOCK_ADDRSTRLEN];
  (void)state;
  H_OK(bsdsock_getaddrinfo("127.0.0.1", "80", &h, &res));
  first_as_text(res, text, sizeof(text));
  assert_string_equal(text, "127.0.0.1:80");
  for (ai = res; ai != NULL; ai = ai->next) {
    assert_int_equal(ai->family, BSDSOCK_AF_INET);
    assert_int_equal(ai->addr.family, BSDSOCK_AF_INET);
    assert_int_equal(ai->socktype, BSDSOCK_SOCK_STREAM);
    assert_true(ai->protocol == 0 || ai->protocol == BSDSOCK_IPPROTO_TCP);
    assert_int_equal(bsdsock_addr_port(&ai->addr), 80);
  }
  bsdsock_freeaddrinfo(res);
}

static void test_numeric_ipv6(void **state) {
  bsdsock_addrinfo_t h = hints_of(BSDSOCK_AF_INET6, BSDSOCK_SOCK_DGRAM,
                                  NUMERIC), *res = NULL;
  char text[BSDSOCK_ADDRSTRLEN];
  (void)state;
  H_OK(bsdsock_getaddrinfo("::1", "5353", &h, &res));
  first_as_text(res, text, sizeof(text));
  assert_string_equal(text, "[::1]:5353");
  assert_int_equal(res->family, BSDSOCK_AF_INET6);
  assert_int_equal(res->socktype, BSDSOCK_SOCK_DGRAM);
  assert_true(res->protocol == 0 || res->protocol == BSDSOCK_IPPROTO_UDP);
  bsdsock_freeaddrinfo(res);
}

/* No host: the wildcard address with AI_PASSIVE, loopback without. */
static void test_service_only(void **state) {
  bsdsock_addrinfo_t h = hints_of(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM,
                                  BSDSOCK_AI_PASSIVE |
                                      BSDSOCK_AI_NUMERICSERV),
                     *res = NULL;
  char text[BSDSOCK_ADDRSTRLEN];
  (void)state;
  H_OK(bsdsock_getaddrinfo(NULL, "8080", &h, &res));
  first_as_text(res, text, sizeof(text));
  assert_string_equal(text, "0.0.0.0:8080");
  bsdsock_freeaddrinfo(res);
  h.flags = BSDSOCK_AI_NUMERICSERV;
  res = NULL;
  H_OK(bsdsock_getaddrinfo("", "8080", &h, &res));
  first_as_text(res, text, sizeof(text));
  assert_string_equal(text, "127.0.0.1:8080");
  bsdsock_freeaddrinfo(res);
}

/* "localhost" needs the system resolver (hosts file), not DNS. */
static void test_localhost(void **state) {
  bsdsock_addrinfo_t h = hints_of(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0),
                     *res = NULL;
  int rc;
  (void)state;
  rc = bsdsock_getaddrinfo("localhost", "80", &h, &res);
  if (rc == BSDSOCK_EAI_AGAIN || rc == BSDSOCK_EAI_FAIL ||
      rc == BSDSOCK_EAI_NONAME || rc == BSDSOCK_EAI_NODATA)
    H_SKIP("the system resolver cannot resolve localhost here: %s",
           bsdsock_err_name(rc));
  H_OK(rc);
  assert_non_null(res);
  assert_int_equal(res->family, BSDSOCK_AF_INET);
  assert_int_equal(res->addr.u.ip4[0], 127);
  assert_int_equal(bsdsock_addr_port(&res->addr), 80);
  bsdsock_freeaddrinfo(res);
}

/* ---- strict text --------------------------------------------------------- */

/* Legacy IPv4 forms that inet_aton() and many getaddrinfo()s accept (as
 * 127.0.0.1, 8.0.0.1, ...) are no address at all for bsdsock, with or
 * without AI_NUMERICHOST and without asking DNS (CVE-2021-29923). */
static void test_strict_ipv4(void **state) {
  static const char *const bad[] = {
      "127.1", "010.0.0.1", "0x7f000001", "2130706433", "0x7f.1",
      "127.0.0.01", "127.0.1", "0177.0.0.1", "256.0.0.1", "1.2.3.4.5"};
  bsdsock_addrinfo_t h = hints_of(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    gai_fails(bad[i], "80", NULL, BSDSOCK_EAI_NONAME);
    h.flags = 0;
    gai_fails(bad[i], "80", &h, BSDSOCK_EAI_NONAME);
    h.flags = NUMERIC;
    gai_fails(bad[i], "80", &h, BSDSOCK_EAI_NONAME);
    assert_int_equal(bsdsock_last_native_error(), 0);
  }
}

/* With AI_NUMERICHOST, text that is not an address fails (trailing
 * garbage included, which inet_aton() would ignore). */
static void test_numeric_only(void **state) {
  static const char *const bad[] = {"localhost", "127.0.0.1 x",
                                    "127.0.0.1\tx", "::1%", "1::2::3"};
  bsdsock_addrinfo_t h = hints_of(BSDSOCK_AF_UNSPEC, BSDSOCK_SOCK_STREAM,
                                  NUMERIC);
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    gai_fails(bad[i], "80", &h, BSDSOCK_EAI_NONAME);
  /* AI_NUMERICSERV: a service name is no port. */
  gai_fails("127.0.0.1", "http", &h, BSDSOCK_EAI_NONAME);
}

/* A service that starts like a number (a digit, a sign or white space) is
 * a port, written in plain decimal: 0..65535, no sign, space or leading
 * zero. Anything else of that kind is BSDSOCK_EAI_SERVICE before any
 * system is asked: the systems read "65616" as port 80, "99999" as 34463,
 * "4294967376" as 80 and " 80", "+80", "080" as 80, which lets a caller's
 * allow-list on the text be bypassed. */
static void test_strict_service(void **state) {
  static const char *const bad[] = {
      "65616", "99999", "65536", "4294967376", "18446744073709551696",
      " 80", "\t80", "+80", "-80", "-0", "080", "00", "0080", "80 ",
      "8O", "0x50", "80/tcp", "1e3"};
  static const struct {
    const char *text;
    int port;
  } good[] = {{"0", 0}, {"1", 1}, {"80", 80}, {"65535", 65535}};
  bsdsock_addrinfo_t h = hints_of(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0),
                     *res;
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    h.flags = 0;
    gai_fails("127.0.0.1", bad[i], &h, BSDSOCK_EAI_SERVICE);
    assert_int_equal(bsdsock_last_native_error(), 0);
    h.flags = NUMERIC;
    gai_fails("127.0.0.1", bad[i], &h, BSDSOCK_EAI_SERVICE);
    gai_fails(NULL, bad[i], &h, BSDSOCK_EAI_SERVICE);
  }
  for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
    h.flags = NUMERIC;
    res = NULL;
    H_OK(bsdsock_getaddrinfo("127.0.0.1", good[i].text, &h, &res));
    assert_non_null(res);
    assert_int_equal(bsdsock_addr_port(&res->addr), good[i].port);
    bsdsock_freeaddrinfo(res);
  }
}

/* A service name still goes to the system: either it knows "http" (port
 * 80) or it refuses it itself (a native code behind the failure). */
static void test_service_name(void **state) {
  bsdsock_addrinfo_t h = hints_of(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM,
                                  BSDSOCK_AI_NUMERICHOST),
                     *res = NULL;
  int rc;
  (void)state;
  rc = bsdsock_getaddrinfo("127.0.0.1", "http", &h, &res);
  if (rc != 0) {
    assert_null(res);
    assert_int_not_equal(bsdsock_last_native_error(), 0);
    H_SKIP("the system has no services database here: %s",
           bsdsock_err_name(rc));
  }
  assert_non_null(res);
  assert_int_equal(bsdsock_addr_port(&res->addr), 80);
  bsdsock_freeaddrinfo(res);
}

/* One parser for numeric hosts: getaddrinfo() takes exactly the text
 * bsdsock_addr_parse() takes, scope included, and gives the same address
 * (glibc took "::%070" as scope 70, which bsdsock_addr_parse refuses). */
static void test_numeric_same_as_parse(void **state) {
  static const char *const bad[] = {
      "::%070", "::1%", "::1%01", "::1%4294967296", "::1%1%2", "1::2::3",
      "::1:", "[::1]", "127.0.0.1%1", "::ffff:127.1", "::ffff:010.0.0.1"};
  static const char *const good[] = {
      "::", "::1", "::1%5", "fe80::1%3", "::%70", "::707:407",
      "::ffff:127.0.0.1", "2001:db8::8:800:200c:417a", "127.0.0.1",
      "0.0.0.0"};
  bsdsock_addrinfo_t h = hints_of(BSDSOCK_AF_UNSPEC, BSDSOCK_SOCK_STREAM, 0),
                     *res, *ai;
  bsdsock_addr_t want;
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    H_ASSERT_ERR(bsdsock_addr_parse(&want, bad[i], 80), BSDSOCK_EINVAL);
    h.flags = 0;
    gai_fails(bad[i], "80", &h, BSDSOCK_EAI_NONAME);
    h.flags = NUMERIC;
    gai_fails(bad[i], "80", &h, BSDSOCK_EAI_NONAME);
  }
  for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
    H_OK(bsdsock_addr_parse(&want, good[i], 80));
    h.flags = i % 2 ? NUMERIC : 0;
    res = NULL;
    H_OK(bsdsock_getaddrinfo(good[i], "80", &h, &res));
    assert_non_null(res);
    for (ai = res; ai != NULL; ai = ai->next) {
      char got[BSDSOCK_ADDRSTRLEN];
      H_OK(bsdsock_addr_format(&ai->addr, got, sizeof(got)));
      if (memcmp(&ai->addr, &want, sizeof(want)) != 0)
        fail_msg("getaddrinfo(\"%s\") gave %s", good[i], got);
      assert_int_equal(ai->family, want.family);
    }
    bsdsock_freeaddrinfo(res);
  }
}

/* A numeric host of another family than the hints ask for: Linux's
 * answer, EAI_ADDRFAMILY, on every backend (Wine passed a raw resolver
 * code through). With AI_V4MAPPED an IPv6 lookup takes IPv4 text as its
 * mapped address (::ffff:a.b.c.d). */
static void test_numeric_family_mismatch(void **state) {
  bsdsock_addrinfo_t h, *res = NULL;
  bsdsock_addr_t want;
  int flags[] = {0, NUMERIC}, i;
  (void)state;
  for (i = 0; i < 2; i++) {
    h = hints_of(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, flags[i]);
    gai_fails("::1", "80", &h, BSDSOCK_EAI_ADDRFAMILY);
    gai_fails("::ffff:127.0.0.1", "80", &h, BSDSOCK_EAI_ADDRFAMILY);
    h = hints_of(BSDSOCK_AF_INET6, BSDSOCK_SOCK_STREAM, flags[i]);
    gai_fails("127.0.0.1", "80", &h, BSDSOCK_EAI_ADDRFAMILY);
    assert_int_equal(bsdsock_last_native_error(), 0);
  }
  h = hints_of(BSDSOCK_AF_INET6, BSDSOCK_SOCK_STREAM,
               NUMERIC | BSDSOCK_AI_V4MAPPED);
  H_OK(bsdsock_getaddrinfo("127.0.0.1", "80", &h, &res));
  assert_non_null(res);
  H_OK(bsdsock_addr_parse(&want, "::ffff:127.0.0.1", 80));
  assert_memory_equal(&res->addr, &want, sizeof(want));
  bsdsock_freeaddrinfo(res);
}

/* Names longer than 255 bytes are refused, never cut (F22). */
static void test_long_name(void **state) {
  char name[301];
  (void)state;
  memset(name, 'a', sizeof(name) - 1);
  name[sizeof(name) - 1] = '\0';
  gai_fails(name, "80", NULL, BSDSOCK_ENAMETOOLONG);
  assert_int_equal(bsdsock_last_native_error(), 0);
  memset(name, '1', 256);   /* digits too: the length check comes first */
  name[256] = '\0';
  gai_fails(name, NULL, NULL, BSDSOCK_ENAMETOOLONG);
}

/* ---- argument errors ----------------------------------------------------- */

static void test_gai_bad_args(void **state) {
  bsdsock_addrinfo_t h;
  (void)state;
  gai_fails(NULL, NULL, NULL, BSDSOCK_EAI_NONAME);
  gai_fails("", "", NULL, BSDSOCK_EAI_NONAME);
  H_ASSERT_ERR(bsdsock_getaddrinfo("127.0.0.1", "80", NULL, NULL),
               BSDSOCK_EINVAL);
  h = hints_of(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0x10000);
  gai_fails("127.0.0.1", "80", &h, BSDSOCK_EAI_BADFLAGS);
  h = hints_of(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, NUMERIC | 0x40000000);
  gai_fails("127.0.0.1", "80", &h, BSDSOCK_EAI_BADFLAGS);
  h = hints_of(77, BSDSOCK_SOCK_STREAM, NUMERIC);
  gai_fails("127.0.0.1", "80", &h, BSDSOCK_EAI_FAMILY);
  h = hints_of(BSDSOCK_AF_INET, 99, NUMERIC);
  gai_fails("127.0.0.1", "80", &h, BSDSOCK_EAI_SOCKTYPE);
  h = hints_of(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, NUMERIC);
  h.protocol = 200;
  gai_fails("127.0.0.1", "80", &h, BSDSOCK_EAI_PROTOCOL);
  assert_int_equal(bsdsock_last_native_error(), 0);
}

static void test_freeaddrinfo_null(void **state) {
  (void)state;
  bsdsock_freeaddrinfo(NULL);
}

/* ---- getnameinfo ---------------------------------------------------------- */

static void test_nameinfo_numeric(void **state) {
  bsdsock_addr_t a;
  char host[BSDSOCK_NI_MAXHOST], serv[BSDSOCK_NI_MAXSERV];
  const int flags = BSDSOCK_NI_NUMERICHOST | BSDSOCK_NI_NUMERICSERV;
  (void)state;
  H_OK(bsdsock_addr_parse(&a, "127.0.0.1", 8080));
  H_OK(bsdsock_getnameinfo(&a, host, sizeof(host), serv, sizeof(serv),
                           flags));
  assert_string_equal(host, "127.0.0.1");
  assert_string_equal(serv, "8080");
  H_OK(bsdsock_addr_parse(&a, "::1", 443));
  H_OK(bsdsock_getnameinfo(&a, host, sizeof(host), serv, sizeof(serv),
                           flags));
  assert_string_equal(host, "::1");
  assert_string_equal(serv, "443");
  /* Either output may be left out. */
  H_OK(bsdsock_getnameinfo(&a, NULL, 0, serv, sizeof(serv), flags));
  assert_string_equal(serv, "443");
  H_OK(bsdsock_getnameinfo(&a, host, sizeof(host), NULL, 0, flags));
  assert_string_equal(host, "::1");
}

/* One formatter for numeric hosts: getnameinfo(NI_NUMERICHOST) writes what
 * bsdsock_addr_to_text() writes (glibc wrote "::7.7.4.7" for ::707:407
 * and an interface name for a scope), on every backend. */
static void test_nameinfo_same_as_text(void **state) {
  static const char *const addrs[] = {
      "::707:407", "::2", "::", "::1", "::ffff:1.2.3.4", "fe80::1%1",
      "fe80::1%4294967295", "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:0",
      "1:0:0:0:0:0:0:8", "10.0.0.1", "255.255.255.255"};
  char host[BSDSOCK_NI_MAXHOST], text[BSDSOCK_INET6_ADDRSTRLEN + 16];
  bsdsock_addr_t a;
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
    H_OK(bsdsock_addr_parse(&a, addrs[i], 80));
    H_OK(bsdsock_addr_to_text(&a, text, sizeof(text)));
    H_OK(bsdsock_getnameinfo(&a, host, sizeof(host), NULL, 0,
                             BSDSOCK_NI_NUMERICHOST));
    if (strcmp(host, text) != 0)
      fail_msg("%s: getnameinfo \"%s\", addr_to_text \"%s\"", addrs[i],
               host, text);
  }
}

static void test_nameinfo_bad_args(void **state) {
  bsdsock_addr_t a, bad;
  char host[64], serv[16];
  const int flags = BSDSOCK_NI_NUMERICHOST | BSDSOCK_NI_NUMERICSERV;
  (void)state;
  H_OK(bsdsock_addr_parse(&a, "127.0.0.1", 80));
  H_ASSERT_ERR(bsdsock_getnameinfo(NULL, host, sizeof(host), serv,
                                   sizeof(serv), flags), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_getnameinfo(&a, NULL, 10, serv, sizeof(serv), flags),
               BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_getnameinfo(&a, host, sizeof(host), NULL, 10, flags),
               BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_getnameinfo(&a, NULL, 0, NULL, 0, flags),
               BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_last_native_error(), 0);
  H_ASSERT_ERR(bsdsock_getnameinfo(&a, host, sizeof(host), serv,
                                   sizeof(serv), 0x1000),
               BSDSOCK_EAI_BADFLAGS);
  memset(&bad, 0, sizeof(bad));
  bad.family = 77;
  H_ASSERT_ERR(bsdsock_getnameinfo(&bad, host, sizeof(host), serv,
                                   sizeof(serv), flags), BSDSOCK_EAI_FAMILY);
  assert_int_equal(bsdsock_last_native_error(), 0);
}

/* An output buffer too small for the answer: EAI_OVERFLOW, never a cut
 * string. */
static void test_nameinfo_overflow(void **state) {
  bsdsock_addr_t a;
  char host[4], serv[2], exact[5];
  const int flags = BSDSOCK_NI_NUMERICHOST | BSDSOCK_NI_NUMERICSERV;
  (void)state;
  H_OK(bsdsock_addr_parse(&a, "127.0.0.1", 8080));
  memset(host, 'x', sizeof(host));
  memset(serv, 'y', sizeof(serv));
  H_ASSERT_ERR(bsdsock_getnameinfo(&a, host, sizeof(host), NULL, 0, flags),
               BSDSOCK_EAI_OVERFLOW);
  H_ASSERT_ERR(bsdsock_getnameinfo(&a, NULL, 0, serv, sizeof(serv), flags),
               BSDSOCK_EAI_OVERFLOW);
  H_ASSERT_ERR(bsdsock_getnameinfo(&a, host, sizeof(host), serv,
                                   sizeof(serv), flags),
               BSDSOCK_EAI_OVERFLOW);
  assert_memory_equal(host, "xxxx", 4);   /* untouched */
  assert_memory_equal(serv, "yy", 2);
  /* Exactly enough room is enough. */
  H_OK(bsdsock_getnameinfo(&a, NULL, 0, exact, sizeof(exact), flags));
  assert_string_equal(exact, "8080");
}

/* ---- messages ------------------------------------------------------------- */

static void test_eai_messages(void **state) {
  static const int codes[] = {
      BSDSOCK_EAI_ADDRFAMILY, BSDSOCK_EAI_AGAIN,    BSDSOCK_EAI_BADFLAGS,
      BSDSOCK_EAI_FAIL,       BSDSOCK_EAI_FAMILY,   BSDSOCK_EAI_MEMORY,
      BSDSOCK_EAI_NODATA,     BSDSOCK_EAI_NONAME,   BSDSOCK_EAI_SERVICE,
      BSDSOCK_EAI_SOCKTYPE,   BSDSOCK_EAI_SYSTEM,   BSDSOCK_EAI_BADHINTS,
      BSDSOCK_EAI_PROTOCOL,   BSDSOCK_EAI_OVERFLOW};
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
    const char *m = bsdsock_gai_strerror(codes[i]);
    assert_non_null(m);
    assert_true(m[0] != '\0');
    assert_string_not_equal(m, "unknown error");
    assert_int_equal(codes[i], -(3001 + (int)i));
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_numeric_ipv4),
      cmocka_unit_test(test_numeric_ipv6),
      cmocka_unit_test(test_service_only),
      cmocka_unit_test(test_localhost),
      cmocka_unit_test(test_strict_ipv4),
      cmocka_unit_test(test_numeric_only),
      cmocka_unit_test(test_strict_service),
      cmocka_unit_test(test_service_name),
      cmocka_unit_test(test_numeric_same_as_parse),
      cmocka_unit_test(test_numeric_family_mismatch),
      cmocka_unit_test(test_long_name),
      cmocka_unit_test(test_gai_bad_args),
      cmocka_unit_test(test_freeaddrinfo_null),
      cmocka_unit_test(test_nameinfo_numeric),
      cmocka_unit_test(test_nameinfo_same_as_text),
      cmocka_unit_test(test_nameinfo_bad_args),
      cmocka_unit_test(test_nameinfo_overflow),
      cmocka_unit_test(test_eai_messages),
  };
  return H_RUN("resolve", tests);
}
