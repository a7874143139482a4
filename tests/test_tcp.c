/* SPDX-License-Identifier: MIT */
/*
 * test_tcp.c - TCP over loopback: echo (IPv4, IPv6), non-blocking connect,
 * refused connects (SO_ERROR read-and-clear), "peer gone" on send without
 * SIGPIPE, half-close and end of stream, MSG_WAITALL, receive timeouts, the "reuse
 * address" contract (rebind over TIME_WAIT, never share a live port) and
 * the IPV6_V6ONLY default.
 */
#include "harness.h"

#define WAIT_MS 5000   /* bound for every wait on the network */

static int stream_socket(int family, int flags) {
  int fd = bsdsock_socket(family, BSDSOCK_SOCK_STREAM | flags, 0);
  H_OK(fd);
  return fd;
}

static int so_error(int fd) {
  return h_get_int(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_ERROR);
}

/* A loopback address whose port was free a moment ago and has no
 * listener: bound to port 0, read back, closed. */
static void closed_port(int family, bsdsock_addr_t *addr) {
  bsdsock_addr_t a;
  int fd = stream_socket(family, 0);
  h_loopback(&a, family);
  H_OK(bsdsock_bind(fd, &a));
  H_OK(bsdsock_getsockname(fd, addr));
  H_OK(bsdsock_close(fd));
}

/* Completion of a non-blocking connect without select/poll: SO_ERROR
 * tells a failure, getpeername() success. Returns 0 or the error. */
static int wait_connect(int fd) {
  uint64_t end = h_now_ms() + WAIT_MS;
  bsdsock_addr_t peer;
  for (;;) {
    int e = so_error(fd);
    if (e != 0) return e;
    if (bsdsock_getpeername(fd, &peer) == 0) return 0;
    if (h_now_ms() > end) return BSDSOCK_ETIMEDOUT;
    h_sleep_ms(5);
  }
}

static void send_all(int fd, const char *s) {
  size_t len = strlen(s);
  assert_int_equal(bsdsock_send(fd, s, len, 0), (bsdsock_ssize_t)len);
}

static void recv_expect(int fd, const char *want) {
  char buf[64];
  size_t len = strlen(want), got = 0;
  while (got < len) {
    bsdsock_ssize_t n = bsdsock_recv(fd, buf + got, len - got, 0);
    H_OK(n);
    assert_true(n > 0);
    got += (size_t)n;
  }
  assert_memory_equal(buf, want, len);
}

/* ---- echo ---------------------------------------------------------------- */

static void echo(int family) {
  bsdsock_addr_t cpeer, sname;
  int c, s;
  h_tcp_pair(family, &c, &s);
  send_all(c, "ping");
  recv_expect(s, "ping");
  send_all(s, "pong!");
  recv_expect(c, "pong!");
  /* Both ends agree on the connection's addresses. */
  H_OK(bsdsock_getpeername(c, &cpeer));
  H_OK(bsdsock_getsockname(s, &sname));
  assert_int_equal(cpeer.family, family);
  assert_memory_equal(&cpeer, &sname, sizeof(cpeer));
  assert_int_equal(h_get_int(c, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_TYPE),
                   BSDSOCK_SOCK_STREAM);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

static void test_echo_ipv4(void **state) {
  (void)state;
  echo(BSDSOCK_AF_INET);
}

static void test_echo_ipv6(void **state) {
  (void)state;
  if (!h_have_ipv6()) H_SKIP("no IPv6 loopback (::1) on this host");
  echo(BSDSOCK_AF_INET6);
}

/* ---- connect ------------------------------------------------------------- */

/* Non-blocking connect: EINPROGRESS (0 if loopback completed at once),
 * then the connection completes with SO_ERROR 0. */
static void test_nonblocking_connect(void **state) {
  bsdsock_addr_t a;
  int l = h_listener(BSDSOCK_AF_INET, &a), c, s, rc;
  (void)state;
  c = stream_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_NONBLOCK);
  assert_int_equal(bsdsock_get_nonblocking(c), 1);
  rc = bsdsock_connect(c, &a);
  if (rc != 0) H_ASSERT_ERR(rc, BSDSOCK_EINPROGRESS);
  H_ASSERT_ERR(wait_connect(c), 0);
  assert_int_equal(so_error(c), 0);
  s = bsdsock_accept(l, NULL);
  H_OK(s);
  h_io_timeout(s, WAIT_MS);
  send_all(c, "hi");
  recv_expect(s, "hi");
  H_OK(bsdsock_close(s));
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(l));
}

static void test_refused_blocking(void **state) {
  bsdsock_addr_t a;
  int c;
  (void)state;
  closed_port(BSDSOCK_AF_INET, &a);
  c = stream_socket(BSDSOCK_AF_INET, 0);
  H_ASSERT_ERR(bsdsock_connect(c, &a), BSDSOCK_ECONNREFUSED);
  /* A synchronous failure leaves nothing behind in SO_ERROR. */
  assert_int_equal(so_error(c), 0);
  H_OK(bsdsock_close(c));
}

/* Non-blocking refused connect: EINPROGRESS, then SO_ERROR reads
 * ECONNREFUSED exactly once (read and clear, quirk Q22). */
static void test_refused_nonblocking(void **state) {
  bsdsock_addr_t a;
  int c, rc;
  (void)state;
  closed_port(BSDSOCK_AF_INET, &a);
  c = stream_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_NONBLOCK);
  rc = bsdsock_connect(c, &a);
  if (rc == BSDSOCK_ECONNREFUSED) {
    /* Refused synchronously (allowed on loopback): nothing pending. */
    assert_int_equal(so_error(c), 0);
  } else {
    H_ASSERT_ERR(rc, BSDSOCK_EINPROGRESS);
    H_ASSERT_ERR(wait_connect(c), BSDSOCK_ECONNREFUSED);
    assert_int_equal(so_error(c), 0);
  }
  H_OK(bsdsock_close(c));
}

/* ---- peer gone ----------------------------------------------------------- */

/* The server aborts the connection: SO_LINGER {1, 0} then close sends RST. */
static void reset_pair(int *c) {
  bsdsock_linger_t lg = {1, 0};
  int s;
  h_tcp_pair(BSDSOCK_AF_INET, c, &s);
  H_OK(bsdsock_setsockopt(s, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_LINGER, &lg,
                          sizeof(lg)));
  H_OK(bsdsock_close(s));
}

static void test_recv_after_reset(void **state) {
  bsdsock_ssize_t n;
  char buf[8];
  int c;
  (void)state;
  reset_pair(&c);
  n = bsdsock_recv(c, buf, sizeof(buf), 0);
  H_OK(bsdsock_close(c));
  if (n == 0 && h_is_wine())
    H_SKIP("Wine 8's wineserver reads the socket's pending ECONNRESET "
           "with getsockopt(SO_ERROR) and drops it, so recv() sees end of "
           "stream; Windows reports WSAECONNRESET");
  H_ASSERT_ERR(n, BSDSOCK_ECONNRESET);
}

/* Sending to a peer that is gone fails with EPIPE or ECONNRESET (one
 * "peer gone" class, fault F8) and never raises SIGPIPE (F11): SIGPIPE is
 * at its default disposition, so a signal would kill this test. */
static void test_send_after_reset(void **state) {
  uint64_t end;
  bsdsock_ssize_t n = 0;
  int c, i;
  (void)state;
  h_sigpipe_default();
  reset_pair(&c);
  end = h_now_ms() + WAIT_MS;
  for (i = 0; i < 1000 && h_now_ms() < end; i++) {
    n = bsdsock_send(c, "x", 1, 0);
    if (n < 0) break;
    h_sleep_ms(5);
  }
  if (n != BSDSOCK_EPIPE && n != BSDSOCK_ECONNRESET)
    fail_msg("send after reset: %s", bsdsock_err_name((int)n));
  /* Still no signal, and still an error, on the next attempt. */
  n = bsdsock_send(c, "x", 1, 0);
  assert_true(n == BSDSOCK_EPIPE || n == BSDSOCK_ECONNRESET);
  H_OK(bsdsock_close(c));
}

/* shutdown(SHUT_WR): local sends fail with EPIPE (F10), the peer reads
 * end of stream, and the other direction keeps working (F9). */
static void test_send_after_shutdown(void **state) {
  char buf[8];
  int c, s;
  (void)state;
  h_sigpipe_default();
  h_tcp_pair(BSDSOCK_AF_INET, &c, &s);
  send_all(c, "last");
  H_OK(bsdsock_shutdown(c, BSDSOCK_SHUT_WR));
  H_ASSERT_ERR(bsdsock_send(c, "x", 1, 0), BSDSOCK_EPIPE);
  recv_expect(s, "last");
  assert_int_equal(bsdsock_recv(s, buf, sizeof(buf), 0), 0);
  send_all(s, "back");
  recv_expect(c, "back");
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

/* The peer's close reads as end of stream after the data, and keeps
 * reading as end of stream. */
static void test_eof_after_close(void **state) {
  char buf[8];
  int c, s;
  (void)state;
  h_tcp_pair(BSDSOCK_AF_INET, &c, &s);
  send_all(s, "bye");
  H_OK(bsdsock_close(s));
  recv_expect(c, "bye");
  assert_int_equal(bsdsock_recv(c, buf, sizeof(buf), 0), 0);
  assert_int_equal(bsdsock_recv(c, buf, sizeof(buf), 0), 0);
  H_OK(bsdsock_close(c));
}

/* MSG_WAITALL on a blocking stream socket waits for the whole room, the
 * rest arriving after the call started, and the stream's end cuts it
 * short (quirk Q64: Wine returns what is queued, detected and skipped). */
struct late_send {
  int fd;
};

static void send_rest_later(void *arg) {
  struct late_send *ls = arg;
  h_sleep_ms(200);
  send_all(ls->fd, "tall");
}

static void test_waitall(void **state) {
  struct late_send ls;
  h_thread_t *th;
  char buf[16];
  bsdsock_ssize_t n;
  int c, s;
  (void)state;
  h_tcp_pair(BSDSOCK_AF_INET, &c, &s);
  ls.fd = c;
  send_all(c, "wai");
  th = h_thread_start(send_rest_later, &ls);
  assert_non_null(th);
  memset(buf, 0, sizeof(buf));
  n = bsdsock_recv(s, buf, 7, BSDSOCK_MSG_WAITALL);
  h_thread_join(th);
  if (n == 3 && h_is_wine()) {
    H_OK(bsdsock_close(c));
    H_OK(bsdsock_close(s));
    H_SKIP("Wine's recv(MSG_WAITALL) returns what is queued (quirk Q64)");
  }
  H_ASSERT_ERR(n, 7);
  assert_memory_equal(buf, "waitall", 7);
  send_all(c, "x");
  H_OK(bsdsock_shutdown(c, BSDSOCK_SHUT_WR));
  H_ASSERT_ERR(bsdsock_recv(s, buf, 7, BSDSOCK_MSG_WAITALL), 1);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

/* ---- timeouts ------------------------------------------------------------ */

/* SO_RCVTIMEO expiring is BSDSOCK_EAGAIN on every backend (Winsock's
 * WSAETIMEDOUT is translated). No upper bound on speed; 10 s is a sanity
 * bound only. */
static void test_recv_timeout(void **state) {
  bsdsock_timeval_t tv = {0, 200000};
  uint64_t t0, elapsed;
  char buf[8];
  int c, s;
  (void)state;
  h_tcp_pair(BSDSOCK_AF_INET, &c, &s);
  H_OK(bsdsock_setsockopt(c, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_RCVTIMEO, &tv,
                          sizeof(tv)));
  t0 = h_now_ms();
  H_ASSERT_ERR(bsdsock_recv(c, buf, sizeof(buf), 0), BSDSOCK_EAGAIN);
  elapsed = h_now_ms() - t0;
  assert_true(elapsed >= 100);
  assert_true(elapsed < 10000);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

/* SO_SNDTIMEO expiring with nothing sent is BSDSOCK_EAGAIN too. The
 * peer never reads, so the buffers fill; bounded by a count and time. */
static void test_send_timeout(void **state) {
  static char chunk[65536];
  bsdsock_timeval_t tv = {0, 200000};
  bsdsock_ssize_t n = 0;
  uint64_t end;
  int c, s, i;
  (void)state;
  h_tcp_pair(BSDSOCK_AF_INET, &c, &s);
  H_OK(bsdsock_setsockopt(c, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_SNDTIMEO, &tv,
                          sizeof(tv)));
  end = h_now_ms() + 30000;
  for (i = 0; i < 4096 && h_now_ms() < end; i++) {
    n = bsdsock_send(c, chunk, sizeof(chunk), 0);
    if (n < 0) break;
  }
  H_ASSERT_ERR(n, BSDSOCK_EAGAIN);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

/* ---- address reuse --------------------------------------------------------- */

static int reuse_socket(int reuse) {
  int fd = stream_socket(BSDSOCK_AF_INET, 0);
  if (reuse) h_set_int(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_REUSEADDR, 1);
  return fd;
}

/* Leaves the server side of a closed connection in TIME_WAIT on the
 * listener's port (the server closes first: active close) and returns
 * that address with every socket closed. */
static void make_time_wait(bsdsock_addr_t *addr) {
  bsdsock_addr_t a;
  char buf[4];
  int l = reuse_socket(1), c, s;
  h_loopback(&a, BSDSOCK_AF_INET);
  H_OK(bsdsock_bind(l, &a));
  H_OK(bsdsock_listen(l, 4));
  H_OK(bsdsock_getsockname(l, addr));
  c = stream_socket(BSDSOCK_AF_INET, 0);
  h_io_timeout(c, WAIT_MS);
  H_OK(bsdsock_connect(c, addr));
  s = bsdsock_accept(l, NULL);
  H_OK(s);
  H_OK(bsdsock_close(s));
  assert_int_equal(bsdsock_recv(c, buf, sizeof(buf), 0), 0);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(l));
}

/* "Reuse address" (a): a new listener binds over TIME_WAIT. */
static void test_reuse_time_wait(void **state) {
  bsdsock_addr_t addr;
  int fd, rc;
  (void)state;
  make_time_wait(&addr);
  /* Control: without the option the bind must not share the port with a
   * live socket; over TIME_WAIT alone BSD refuses it and Windows allows
   * it, both fine here. */
  fd = reuse_socket(0);
  rc = bsdsock_bind(fd, &addr);
  if (rc != 0) H_ASSERT_ERR(rc, BSDSOCK_EADDRINUSE);
  H_OK(bsdsock_close(fd));
  fd = reuse_socket(1);
  H_ASSERT_ERR(bsdsock_bind(fd, &addr), 0);
  H_OK(bsdsock_listen(fd, 4));
  H_OK(bsdsock_close(fd));
}

/* bind() then listen(): 0 or the first error. */
static int bind_listen(int fd, const bsdsock_addr_t *addr) {
  int rc = bsdsock_bind(fd, addr);
  return rc != 0 ? rc : bsdsock_listen(fd, 4);
}

/* "Reuse address" (b): never a second live listener on the port, with
 * the option on both sockets, on one or on neither. */
static void test_no_live_sharing(void **state) {
  static const int combos[][2] = {{1, 1}, {0, 1}, {1, 0}, {0, 0}};
  bsdsock_addr_t a, addr;
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(combos) / sizeof(combos[0]); i++) {
    int l1 = reuse_socket(combos[i][0]), l2 = reuse_socket(combos[i][1]);
    h_loopback(&a, BSDSOCK_AF_INET);
    H_OK(bind_listen(l1, &a));
    H_OK(bsdsock_getsockname(l1, &addr));
    H_ASSERT_ERR(bind_listen(l2, &addr), BSDSOCK_EADDRINUSE);
    H_OK(bsdsock_close(l2));
    H_OK(bsdsock_close(l1));
  }
}

/* The option reads back as set, whatever the native option behind it. */
static void test_reuse_reads_back(void **state) {
  int fd = reuse_socket(0);
  (void)state;
  assert_int_equal(h_get_int(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_REUSEADDR), 0);
  h_set_int(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_REUSEADDR, 1);
  assert_int_equal(h_get_int(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_REUSEADDR), 1);
  h_set_int(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_REUSEADDR, 0);
  assert_int_equal(h_get_int(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_REUSEADDR), 0);
  H_OK(bsdsock_close(fd));
}

/* getsockname() before bind(): the family's unspecified address, port 0,
 * on every backend (Winsock fails with WSAEINVAL). */
static void test_unbound_name(void **state) {
  static const int kinds[][2] = {{BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM},
                                 {BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM},
                                 {BSDSOCK_AF_INET6, BSDSOCK_SOCK_STREAM},
                                 {BSDSOCK_AF_INET6, BSDSOCK_SOCK_DGRAM}};
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
    bsdsock_addr_t name, any;
    int fd;
    if (kinds[i][0] == BSDSOCK_AF_INET6 && !h_have_ipv6()) continue;
    fd = bsdsock_socket(kinds[i][0], kinds[i][1], 0);
    H_OK(fd);
    memset(&name, 0xAA, sizeof(name));
    H_OK(bsdsock_getsockname(fd, &name));
    H_OK(bsdsock_addr_any(&any, kinds[i][0], 0));
    assert_memory_equal(&name, &any, sizeof(name));
    H_OK(bsdsock_close(fd));
  }
}

/* ---- IPv6 ---------------------------------------------------------------- */

/* IPV6_V6ONLY is 1 on every new IPv6 socket (quirk Q45), and 0 sticks. */
static void test_v6only_default(void **state) {
  bsdsock_addr_t a;
  int fd, c, s;
  (void)state;
  if (!h_have_ipv6()) H_SKIP("no IPv6 loopback (::1) on this host");
  fd = stream_socket(BSDSOCK_AF_INET6, 0);
  assert_int_equal(h_get_int(fd, BSDSOCK_IPPROTO_IPV6, BSDSOCK_IPV6_V6ONLY), 1);
  h_set_int(fd, BSDSOCK_IPPROTO_IPV6, BSDSOCK_IPV6_V6ONLY, 0);
  assert_int_equal(h_get_int(fd, BSDSOCK_IPPROTO_IPV6, BSDSOCK_IPV6_V6ONLY), 0);
  /* A dual-stack socket still binds ::1. (Linux then reads V6ONLY back
   * as 1, since a socket bound to a plain IPv6 address is IPv6-only by
   * nature, so the value is not checked after bind.) */
  h_loopback(&a, BSDSOCK_AF_INET6);
  H_OK(bsdsock_bind(fd, &a));
  H_OK(bsdsock_close(fd));
  fd = bsdsock_socket(BSDSOCK_AF_INET6, BSDSOCK_SOCK_DGRAM, 0);
  H_OK(fd);
  assert_int_equal(h_get_int(fd, BSDSOCK_IPPROTO_IPV6, BSDSOCK_IPV6_V6ONLY), 1);
  H_OK(bsdsock_close(fd));
  /* Accepted sockets have it too. */
  h_tcp_pair(BSDSOCK_AF_INET6, &c, &s);
  assert_int_equal(h_get_int(s, BSDSOCK_IPPROTO_IPV6, BSDSOCK_IPV6_V6ONLY), 1);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_echo_ipv4),
      cmocka_unit_test(test_echo_ipv6),
      cmocka_unit_test(test_nonblocking_connect),
      cmocka_unit_test(test_refused_blocking),
      cmocka_unit_test(test_refused_nonblocking),
      cmocka_unit_test(test_recv_after_reset),
      cmocka_unit_test(test_send_after_reset),
      cmocka_unit_test(test_send_after_shutdown),
      cmocka_unit_test(test_eof_after_close),
      cmocka_unit_test(test_waitall),
      cmocka_unit_test(test_recv_timeout),
      cmocka_unit_test(test_send_timeout),
      cmocka_unit_test(test_reuse_time_wait),
      cmocka_unit_test(test_no_live_sharing),
      cmocka_unit_test(test_reuse_reads_back),
      cmocka_unit_test(test_unbound_name),
      cmocka_unit_test(test_v6only_default),
  };
  return H_RUN("tcp", tests);
}
