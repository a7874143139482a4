/* SPDX-License-Identifier: MIT */
/* tests/support/harness.c - shared test helpers (see harness.h). */
#include "harness.h"

int h_run(const char *suite, const struct CMUnitTest *tests, size_t count) {
  int rc = bsdsock_init();
  printf("[ backend  ] %s suite on the %s backend (bsdsock %s)\n", suite,
         bsdsock_backend(), bsdsock_version());
  fflush(stdout);
  if (rc != 0) {
    printf("bsdsock_init failed: %s\n", bsdsock_strerror(rc));
    return 1;
  }
  rc = _cmocka_run_group_tests(suite, tests, count, NULL, NULL);
  bsdsock_cleanup();
  return rc;
}

int h_have_ipv6(void) {
  static int cached = -1;
  if (cached < 0) {
    bsdsock_addr_t a;
    int fd = bsdsock_socket(BSDSOCK_AF_INET6, BSDSOCK_SOCK_STREAM, 0);
    cached = 0;
    if (fd >= 0) {
      h_loopback(&a, BSDSOCK_AF_INET6);
      cached = bsdsock_bind(fd, &a) == 0;
      bsdsock_close(fd);
    }
  }
  return cached;
}

void h_loopback(bsdsock_addr_t *addr, int family) {
  assert_int_equal(bsdsock_addr_loopback(addr, family, 0), 0);
}

int h_get_int(int fd, int level, int name) {
  int v = -12345;
  size_t len = sizeof(v);
  H_OK(bsdsock_getsockopt(fd, level, name, &v, &len));
  assert_int_equal(len, sizeof(v));
  return v;
}

void h_set_int(int fd, int level, int name, int value) {
  H_OK(bsdsock_setsockopt(fd, level, name, &value, sizeof(value)));
}

void h_io_timeout(int fd, int ms) {
  bsdsock_timeval_t tv;
  tv.sec = ms / 1000;
  tv.usec = (ms % 1000) * 1000;
  H_OK(bsdsock_setsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_RCVTIMEO, &tv,
                          sizeof(tv)));
  H_OK(bsdsock_setsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_SNDTIMEO, &tv,
                          sizeof(tv)));
}

int h_listener(int family, bsdsock_addr_t *bound) {
  bsdsock_addr_t a;
  int fd = bsdsock_socket(family, BSDSOCK_SOCK_STREAM, 0);
  H_OK(fd);
  h_loopback(&a, family);
  H_OK(bsdsock_bind(fd, &a));
  H_OK(bsdsock_listen(fd, 16));
  H_OK(bsdsock_getsockname(fd, bound));
  assert_int_not_equal(bsdsock_addr_port(bound), 0);
  return fd;
}

void h_tcp_pair(int family, int *client, int *server) {
  bsdsock_addr_t a;
  int l = h_listener(family, &a);
  *client = bsdsock_socket(family, BSDSOCK_SOCK_STREAM, 0);
  H_OK(*client);
  H_OK(bsdsock_connect(*client, &a));
  *server = bsdsock_accept(l, NULL);
  H_OK(*server);
  H_OK(bsdsock_close(l));
  h_io_timeout(*client, 5000);
  h_io_timeout(*server, 5000);
}

int h_udp_bound(int family, bsdsock_addr_t *bound) {
  bsdsock_addr_t a;
  int fd = bsdsock_socket(family, BSDSOCK_SOCK_DGRAM, 0);
  H_OK(fd);
  h_loopback(&a, family);
  H_OK(bsdsock_bind(fd, &a));
  H_OK(bsdsock_getsockname(fd, bound));
  h_io_timeout(fd, 5000);
  return fd;
}

void h_make_readable(int fd) {
  bsdsock_addr_t a;
  bsdsock_pollfd_t p;
  int tx;
  H_OK(bsdsock_getsockname(fd, &a));
  tx = bsdsock_socket(a.family, BSDSOCK_SOCK_DGRAM, 0);
  H_OK(tx);
  H_ASSERT_ERR(bsdsock_sendto(tx, "!", 1, 0, &a), 1);
  H_OK(bsdsock_close(tx));
  p.fd = fd;
  p.events = BSDSOCK_POLLIN;
  p.revents = 0;
  H_ASSERT_ERR(bsdsock_poll(&p, 1, 5000), 1);
}

int h_connect_refused(int family) {
  bsdsock_addr_t a;
  int fd = bsdsock_socket(family, BSDSOCK_SOCK_STREAM, 0);
  H_OK(fd);
  h_loopback(&a, family);
  H_OK(bsdsock_bind(fd, &a));  /* reserve a port, then free it */
  H_OK(bsdsock_getsockname(fd, &a));
  H_OK(bsdsock_close(fd));
  fd = bsdsock_socket(family, BSDSOCK_SOCK_STREAM | BSDSOCK_SOCK_NONBLOCK, 0);
  H_OK(fd);
  H_ASSERT_ERR(bsdsock_connect(fd, &a), BSDSOCK_EINPROGRESS);
  return fd;
}

h_process_t *h_bsdsockd_start(const char *path, const char *token,
                              const char *const *extra, unsigned *port) {
  char why[600];
  h_process_t *server = su_bsdsockd_start(path, token, extra, 0, port, why,
                                          sizeof(why));
  if (server == NULL) printf("%s\n", why);
  return server;
}
