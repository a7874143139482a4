/* SPDX-License-Identifier: MIT */
/*
 * test_unix.c - AF_UNIX stream sockets through the portable address type:
 * bind to a filesystem path, connect, echo, the names both ends report,
 * end of stream. Windows has AF_UNIX stream sockets from Windows 10 1803
 * (quirk Q53); Wine 8 has none, which is a run-time skip, not a failure.
 */
#include "harness.h"

/* A stream AF_UNIX socket, or a skip where the platform has none. */
static int unix_socket(void) {
  int fd = bsdsock_socket(BSDSOCK_AF_UNIX, BSDSOCK_SOCK_STREAM, 0);
  if (fd == BSDSOCK_EAFNOSUPPORT || fd == BSDSOCK_EPROTONOSUPPORT ||
      fd == BSDSOCK_ESOCKTNOSUPPORT)
    H_SKIP("no AF_UNIX stream sockets on this %s%s (%s)", bsdsock_backend(),
           h_is_wine() ? " (Wine)" : "", bsdsock_err_name(fd));
  H_OK(fd);
  return fd;
}

static void test_stream_echo(void **state) {
  char path[200], buf[16] = {0};
  bsdsock_addr_t addr, name;
  int l, c, s;
  (void)state;
  l = unix_socket();
  h_temp_socket_path(path, sizeof(path), "echo");
  H_OK(bsdsock_addr_unix(&addr, path));
  H_OK(bsdsock_bind(l, &addr));
  H_OK(bsdsock_listen(l, 4));
  /* The listener's name is the path it was bound to. */
  H_OK(bsdsock_getsockname(l, &name));
  assert_int_equal(name.family, BSDSOCK_AF_UNIX);
  assert_string_equal(name.u.path, path);

  c = unix_socket();
  H_OK(bsdsock_connect(c, &addr));
  s = bsdsock_accept(l, NULL);
  H_OK(s);
  h_io_timeout(c, 5000);
  h_io_timeout(s, 5000);
  /* The client's peer is the path; its own name is unnamed (empty). */
  H_OK(bsdsock_getpeername(c, &name));
  assert_int_equal(name.family, BSDSOCK_AF_UNIX);
  assert_string_equal(name.u.path, path);

  assert_int_equal(bsdsock_send(c, "hello", 5, 0), 5);
  assert_int_equal(bsdsock_recv(s, buf, sizeof(buf), 0), 5);
  assert_memory_equal(buf, "hello", 5);
  assert_int_equal(bsdsock_send(s, buf, 5, 0), 5);
  memset(buf, 0, sizeof(buf));
  assert_int_equal(bsdsock_recv(c, buf, sizeof(buf), 0), 5);
  assert_memory_equal(buf, "hello", 5);

  /* Closing one end reads as end of stream at the other. */
  H_OK(bsdsock_close(s));
  assert_int_equal(bsdsock_recv(c, buf, sizeof(buf), 0), 0);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(l));
  h_remove_path(path);
}

/* A path already bound (the file exists) is EADDRINUSE, and a path that
 * does not fit the address is refused before any call. */
static void test_bind_errors(void **state) {
  char path[200], big[300];
  bsdsock_addr_t addr;
  int a, b;
  (void)state;
  a = unix_socket();
  h_temp_socket_path(path, sizeof(path), "inuse");
  H_OK(bsdsock_addr_unix(&addr, path));
  H_OK(bsdsock_bind(a, &addr));
  b = unix_socket();
  H_ASSERT_ERR(bsdsock_bind(b, &addr), BSDSOCK_EADDRINUSE);
  memset(big, 'x', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  H_ASSERT_ERR(bsdsock_addr_unix(&addr, big), BSDSOCK_ENAMETOOLONG);
  H_OK(bsdsock_close(a));
  H_OK(bsdsock_close(b));
  h_remove_path(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_stream_echo),
      cmocka_unit_test(test_bind_errors),
  };
  return H_RUN("unix", tests);
}
