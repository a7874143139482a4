/* SPDX-License-Identifier: MIT */
/*
 * test_netif.c - interface names and indexes, and the host name: every
 * interface index the system has round-trips through its name, unknown
 * names and indexes fail as documented, buffers too small are refused
 * without being written; the interface list has the loopback addresses.
 */
#include "harness.h"

/* The lowest index an interface has (the loopback's on Linux, 1), and its
 * name. */
static unsigned first_interface(char *name, size_t size) {
  unsigned i;
  for (i = 1; i < 1024; i++)
    if (bsdsock_if_indextoname(i, name, size) > 0) return i;
  fail_msg("no interface index between 1 and 1023 has a name");
  return 0;
}

static void test_index_name_round_trip(void **state) {
  char name[BSDSOCK_IF_NAMESIZE], again[BSDSOCK_IF_NAMESIZE];
  unsigned i, found = 0;
  int len;
  (void)state;
  for (i = 1; i < 1024; i++) {
    len = bsdsock_if_indextoname(i, name, sizeof(name));
    if (len == BSDSOCK_ENXIO) continue;
    H_OK(len);
    assert_int_equal((size_t)len, strlen(name));
    assert_true(len > 0);
    assert_int_equal(bsdsock_if_nametoindex(name), i);
    /* Exactly the name's length plus its NUL is enough. */
    H_ASSERT_ERR(bsdsock_if_indextoname(i, again, (size_t)len + 1), len);
    assert_string_equal(again, name);
    found++;
  }
  assert_true(found >= 1);
  printf("  %u interfaces\n", found);
}

static void test_unknown(void **state) {
  char buf[BSDSOCK_IF_NAMESIZE];
  (void)state;
  assert_int_equal(bsdsock_if_nametoindex("bsdsock-no-such-if"), 0);
  assert_int_equal(bsdsock_if_nametoindex(""), 0);
  assert_int_equal(bsdsock_if_nametoindex(NULL), 0);
  H_ASSERT_ERR(bsdsock_if_indextoname(0, buf, sizeof(buf)), BSDSOCK_ENXIO);
  H_ASSERT_ERR(bsdsock_if_indextoname(0x7ffffff0u, buf, sizeof(buf)),
               BSDSOCK_ENXIO);
  H_ASSERT_ERR(bsdsock_if_indextoname(1, NULL, 16), BSDSOCK_EINVAL);
}

static void test_name_too_long(void **state) {
  char name[BSDSOCK_IF_NAMESIZE], small[BSDSOCK_IF_NAMESIZE];
  unsigned i = first_interface(name, sizeof(name));
  size_t len = strlen(name);
  (void)state;
  memset(small, 'x', sizeof(small));
  H_ASSERT_ERR(bsdsock_if_indextoname(i, small, len), BSDSOCK_ENAMETOOLONG);
  H_ASSERT_ERR(bsdsock_if_indextoname(i, small, 0), BSDSOCK_ENAMETOOLONG);
  assert_int_equal(small[0], 'x');
  assert_int_equal(small[len - 1], 'x');
}

static void test_hostname(void **state) {
  char name[BSDSOCK_HOST_NAME_MAX], small[BSDSOCK_HOST_NAME_MAX];
  int len;
  (void)state;
  len = bsdsock_gethostname(name, sizeof(name));
  H_OK(len);
  assert_true(len > 0);
  assert_int_equal((size_t)len, strlen(name));
  /* The name and its NUL fit exactly; one byte less does not. */
  H_ASSERT_ERR(bsdsock_gethostname(small, (size_t)len + 1), len);
  assert_string_equal(small, name);
  memset(small, 'x', sizeof(small));
  H_ASSERT_ERR(bsdsock_gethostname(small, (size_t)len), BSDSOCK_ENAMETOOLONG);
  H_ASSERT_ERR(bsdsock_gethostname(small, 0), BSDSOCK_ENAMETOOLONG);
  assert_int_equal(small[0], 'x');
  H_ASSERT_ERR(bsdsock_gethostname(NULL, 64), BSDSOCK_EINVAL);
}

/* bsdsock_interfaces: every entry is sane, and the loopback interface is
 * there with 127.0.0.1/8 (and ::1/128 where IPv6 is up). */
static void test_interfaces(void **state) {
  static const uint8_t lo4[4] = {127, 0, 0, 1};
  static const uint8_t lo6[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                  0, 0, 0, 0, 0, 0, 0, 1};
  bsdsock_interface_t *list = (bsdsock_interface_t *)&list;
  size_t n = 7, i;
  int found4 = 0, found6 = 0;
  char text[BSDSOCK_ADDRSTRLEN];
  (void)state;
  H_ASSERT_ERR(bsdsock_interfaces(NULL, &n), BSDSOCK_EINVAL);
  assert_int_equal(n, 0);
  H_ASSERT_ERR(bsdsock_interfaces(&list, NULL), BSDSOCK_EINVAL);
  assert_null(list);
  H_OK(bsdsock_interfaces(&list, &n));
  assert_true(n >= 1);
  assert_non_null(list);
  for (i = 0; i < n; i++) {
    const bsdsock_interface_t *e = &list[i];
    H_OK(bsdsock_addr_to_text(&e->addr, text, sizeof(text)));
    printf("  %-16s index %-3u flags %#06x %s/%u mtu %u hw %u bytes\n",
           e->name, e->index, e->flags, text, e->prefixlen, e->mtu,
           (unsigned)e->hwaddr_len);
    assert_true(e->addr.family == BSDSOCK_AF_INET ||
                e->addr.family == BSDSOCK_AF_INET6);
    assert_int_equal(e->addr.port, 0);
    assert_true(e->index >= 1);
    assert_true(e->name[0] != '\0');
    assert_int_equal(bsdsock_if_nametoindex(e->name), e->index);
    assert_true(e->prefixlen <=
                (e->addr.family == BSDSOCK_AF_INET ? 32u : 128u));
    if (e->addr.family == BSDSOCK_AF_INET &&
        memcmp(e->addr.u.ip4, lo4, 4) == 0) {
      assert_int_equal(e->prefixlen, 8);
      assert_true(e->flags & BSDSOCK_IFF_LOOPBACK);
      assert_true(e->flags & BSDSOCK_IFF_UP);
      found4 = 1;
    }
    if (e->addr.family == BSDSOCK_AF_INET6 &&
        memcmp(e->addr.u.ip6, lo6, 16) == 0) {
      assert_int_equal(e->prefixlen, 128);
      assert_true(e->flags & BSDSOCK_IFF_LOOPBACK);
      found6 = 1;
    }
  }
  bsdsock_free_interfaces(list);
  bsdsock_free_interfaces(NULL);
  assert_true(found4);
  if (h_have_ipv6() && !found6) fail_msg("IPv6 is up but ::1 is not listed");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_index_name_round_trip),
      cmocka_unit_test(test_unknown),
      cmocka_unit_test(test_name_too_long),
      cmocka_unit_test(test_hostname),
      cmocka_unit_test(test_interfaces),
  };
  return H_RUN("netif", tests);
}
