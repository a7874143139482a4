/* SPDX-License-Identifier: MIT */
/*
 * test_netif.c - interface names and indexes, and the host name: every
 * interface index the system has round-trips through its name, unknown
 * names and indexes fail as documented, buffers too small are refused
 * without being written.
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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_index_name_round_trip),
      cmocka_unit_test(test_unknown),
      cmocka_unit_test(test_name_too_long),
      cmocka_unit_test(test_hostname),
  };
  return H_RUN("netif", tests);
}
