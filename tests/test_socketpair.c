/* SPDX-License-Identifier: MIT */
/*
 * test_socketpair.c - bsdsock_socketpair: data both ways and end of stream
 * for every family (AF_UNIX native on POSIX, built through a listener on
 * Windows, quirk Q54; loopback TCP everywhere), the non-blocking flag, a
 * stranger that connects to the listener first being refused (made
 * deterministic by the set-up hook bsdsock__pair_hook), bad arguments,
 * and no descriptor left behind.
 */
#include "harness.h"
#include "internal.h"

static int lowest_fd(void) {
  int fd = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0);
  H_OK(fd);
  H_OK(bsdsock_close(fd));
  return fd;
}

/* Data both ways, then end of stream each way. */
static void talk(const int sv[2]) {
  char buf[16];
  h_io_timeout(sv[0], 5000);
  h_io_timeout(sv[1], 5000);
  H_ASSERT_ERR(bsdsock_send(sv[0], "ping", 4, 0), 4);
  H_ASSERT_ERR(bsdsock_recv(sv[1], buf, sizeof(buf), 0), 4);
  assert_memory_equal(buf, "ping", 4);
  H_ASSERT_ERR(bsdsock_send(sv[1], "pong!", 5, 0), 5);
  H_ASSERT_ERR(bsdsock_recv(sv[0], buf, sizeof(buf), 0), 5);
  assert_memory_equal(buf, "pong!", 5);
  H_OK(bsdsock_shutdown(sv[0], BSDSOCK_SHUT_WR));
  H_ASSERT_ERR(bsdsock_recv(sv[1], buf, sizeof(buf), 0), 0);
  H_OK(bsdsock_close(sv[1]));
  H_ASSERT_ERR(bsdsock_recv(sv[0], buf, sizeof(buf), 0), 0);
  H_OK(bsdsock_close(sv[0]));
}

/* For a pair over IP: each end's name is the other's peer. */
static void crossed(const int sv[2]) {
  bsdsock_addr_t a, b;
  H_OK(bsdsock_getsockname(sv[0], &a));
  H_OK(bsdsock_getpeername(sv[1], &b));
  assert_int_equal(a.port, b.port);
  H_OK(bsdsock_getsockname(sv[1], &a));
  H_OK(bsdsock_getpeername(sv[0], &b));
  assert_int_equal(a.port, b.port);
}

static void skip_no_unix(int rc) {
  if (rc == BSDSOCK_EAFNOSUPPORT)
    H_SKIP("no AF_UNIX stream sockets on this %s%s (quirk Q53)",
           bsdsock_backend(), h_is_wine() ? " (Wine)" : "");
}

static void test_unix(void **state) {
  int sv[2] = {-1, -1}, fd0 = lowest_fd(), rc;
  (void)state;
  rc = bsdsock_socketpair(BSDSOCK_AF_UNIX, BSDSOCK_SOCK_STREAM, 0, sv);
  skip_no_unix(rc);
  H_OK(rc);
  assert_int_equal(bsdsock_get_nonblocking(sv[0]), 0);
  assert_int_equal(bsdsock_get_nonblocking(sv[1]), 0);
  talk(sv);
  assert_int_equal(lowest_fd(), fd0);
}

static void test_unspec(void **state) {
  int sv[2] = {-1, -1}, fd0 = lowest_fd();
  bsdsock_addr_t a;
  (void)state;
  H_OK(bsdsock_socketpair(BSDSOCK_AF_UNSPEC, BSDSOCK_SOCK_STREAM, 0, sv));
  H_OK(bsdsock_getsockname(sv[0], &a));
  printf("  AF_UNSPEC made a %s pair\n",
         a.family == BSDSOCK_AF_UNIX ? "AF_UNIX" : "loopback TCP");
  assert_true(a.family == BSDSOCK_AF_UNIX || a.family == BSDSOCK_AF_INET);
  talk(sv);
  assert_int_equal(lowest_fd(), fd0);
}

static void test_inet(void **state) {
  int sv[2] = {-1, -1}, fd0 = lowest_fd();
  (void)state;
  H_OK(bsdsock_socketpair(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0, sv));
  crossed(sv);
  assert_int_equal(bsdsock_get_nonblocking(sv[0]), 0);
  assert_int_equal(bsdsock_get_nonblocking(sv[1]), 0);
  talk(sv);
  assert_int_equal(lowest_fd(), fd0);
}

static void test_inet6(void **state) {
  int sv[2] = {-1, -1};
  (void)state;
  if (!h_have_ipv6()) H_SKIP("this host has no IPv6 loopback");
  H_OK(bsdsock_socketpair(BSDSOCK_AF_INET6, BSDSOCK_SOCK_STREAM, 0, sv));
  crossed(sv);
  talk(sv);
}

/* BSDSOCK_SOCK_NONBLOCK: both ends, and a receive with nothing queued is
 * EAGAIN at once. */
static void test_nonblock(void **state) {
  static const int families[] = {BSDSOCK_AF_UNIX, BSDSOCK_AF_INET};
  char buf[4];
  size_t i;
  int sv[2], rc;
  (void)state;
  for (i = 0; i < 2; i++) {
    rc = bsdsock_socketpair(families[i],
                            BSDSOCK_SOCK_STREAM | BSDSOCK_SOCK_NONBLOCK, 0,
                            sv);
    if (rc == BSDSOCK_EAFNOSUPPORT && families[i] == BSDSOCK_AF_UNIX) continue;
    H_OK(rc);
    assert_int_equal(bsdsock_get_nonblocking(sv[0]), 1);
    assert_int_equal(bsdsock_get_nonblocking(sv[1]), 1);
    H_ASSERT_ERR(bsdsock_recv(sv[0], buf, sizeof(buf), 0), BSDSOCK_EAGAIN);
    H_ASSERT_ERR(bsdsock_recv(sv[1], buf, sizeof(buf), 0), BSDSOCK_EAGAIN);
    H_OK(bsdsock_close(sv[0]));
    H_OK(bsdsock_close(sv[1]));
  }
}

/* ---- a stranger connecting first ---------------------------------------- */

static int stranger = -1;

/* The set-up hook: another socket connects to the pair's listener before
 * the pair's own connect, so it is first in the accept queue. */
static void stranger_hook(const bsdsock_addr_t *listener) {
  stranger = bsdsock_socket(listener->family, BSDSOCK_SOCK_STREAM, 0);
  H_OK(stranger);
  H_OK(bsdsock_connect(stranger, listener));
}

/* The pair is made, is not the stranger's, and the stranger's connection
 * was closed. */
static void check_refused(int rc, const int sv[2]) {
  char buf[4];
  bsdsock_ssize_t n;
  H_OK(rc);
  assert_true(stranger >= 0);
  h_io_timeout(stranger, 5000);
  n = bsdsock_recv(stranger, buf, sizeof(buf), 0);
  if (n != 0 && n != BSDSOCK_ECONNRESET)
    fail_msg("the stranger's connection is still open: recv gave %lld (%s)",
             (long long)n, bsdsock_err_name((int)n));
  H_OK(bsdsock_close(stranger));
  stranger = -1;
  talk(sv);
}

static void test_stranger_inet(void **state) {
  int sv[2] = {-1, -1}, fd0 = lowest_fd(), rc;
  int seam = bsdsock__fault_set(0, 0, 0, 0) != BSDSOCK_ENOSYS;
  (void)state;
  bsdsock__fault_reset();
  bsdsock__pair_hook = stranger_hook;
  rc = bsdsock_socketpair(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0, sv);
  bsdsock__pair_hook = NULL;
  /* Two connections accepted: the stranger's, then the pair's own. */
  if (seam) assert_int_equal(bsdsock__fault_calls(BSDSOCK__SYS_accept), 2);
  check_refused(rc, sv);
  assert_int_equal(lowest_fd(), fd0);
}

/* The AF_UNIX pair built through a listener: what Windows does; on POSIX,
 * forced by making socketpair() fail with EOPNOTSUPP through the fault
 * seam. */
static void test_stranger_unix(void **state) {
  int sv[2] = {-1, -1}, fd0 = lowest_fd(), rc, native = 0;
  size_t n, i;
  const struct bsdsock__errmap *map = bsdsock__errmap(&n);
  (void)state;
  for (i = 0; i < n && native == 0; i++)
    if (map[i].portable == BSDSOCK_EOPNOTSUPP) native = map[i].native;
  bsdsock__fault_reset();
  if (bsdsock__fault_set(BSDSOCK__SYS_socketpair, native, 0, -1) ==
      BSDSOCK_ENOSYS)
    H_SKIP("built without BSDSOCK_FAULT_INJECTION");
  bsdsock__pair_hook = stranger_hook;
  rc = bsdsock_socketpair(BSDSOCK_AF_UNIX, BSDSOCK_SOCK_STREAM, 0, sv);
  bsdsock__pair_hook = NULL;
  n = bsdsock__fault_calls(BSDSOCK__SYS_accept);
  bsdsock__fault_reset();
  skip_no_unix(rc);
  assert_int_equal(n, 2);
  check_refused(rc, sv);
  assert_int_equal(lowest_fd(), fd0);
}

static void test_bad_args(void **state) {
  int sv[2] = {-7, -7}, fd0 = lowest_fd();
  (void)state;
  H_ASSERT_ERR(bsdsock_socketpair(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0,
                                  NULL),
               BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_socketpair(99, BSDSOCK_SOCK_STREAM, 0, sv),
               BSDSOCK_EAFNOSUPPORT);
  H_ASSERT_ERR(bsdsock_socketpair(BSDSOCK_AF_INET, 99, 0, sv),
               BSDSOCK_ESOCKTNOSUPPORT);
  H_ASSERT_ERR(bsdsock_socketpair(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM,
                                  BSDSOCK_IPPROTO_TCP, sv),
               BSDSOCK_EPROTONOSUPPORT);
  H_ASSERT_ERR(bsdsock_socketpair(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0, sv),
               BSDSOCK_EOPNOTSUPP);
  /* Several bad arguments: the family, then the type, then the pointer. */
  H_ASSERT_ERR(bsdsock_socketpair(99, 99, 0, NULL), BSDSOCK_EAFNOSUPPORT);
  H_ASSERT_ERR(bsdsock_socketpair(BSDSOCK_AF_INET, 99, 0, NULL),
               BSDSOCK_ESOCKTNOSUPPORT);
  assert_int_equal(sv[0], -7);
  assert_int_equal(sv[1], -7);
  assert_int_equal(lowest_fd(), fd0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_unix),
      cmocka_unit_test(test_unspec),
      cmocka_unit_test(test_inet),
      cmocka_unit_test(test_inet6),
      cmocka_unit_test(test_nonblock),
      cmocka_unit_test(test_stranger_inet),
      cmocka_unit_test(test_stranger_unix),
      cmocka_unit_test(test_bad_args),
  };
  return H_RUN("socketpair", tests);
}
