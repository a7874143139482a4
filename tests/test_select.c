/* SPDX-License-Identifier: MIT */
/*
 * test_select.c - bsdsock_select()'s contract over real loopback sockets:
 * nfds honoured and checked (quirk Q27, fault F2), no descriptors is a
 * sleep (Q28, F5), the timeout is not written back (Q29), a closed
 * descriptor is EBADF with the sets unchanged (Q30, F3), a failed
 * non-blocking connect is in the write set (and in the except set only
 * where asked) with SO_ERROR set (Q20, Q22, F6), listeners and half-closed
 * peers read as readable, and a signal or APC does not cut the wait short.
 */
#include "harness.h"

#include <limits.h>

#define AF BSDSOCK_AF_INET

static bsdsock_timeval_t tv_ms(int ms) {
  bsdsock_timeval_t tv;
  tv.sec = ms / 1000;
  tv.usec = (ms % 1000) * 1000;
  return tv;
}

static int max3(int a, int b, int c) {
  int m = a > b ? a : b;
  return m > c ? m : c;
}

/* A bound UDP socket with one datagram waiting. */
static int readable_udp(void) {
  bsdsock_addr_t a;
  bsdsock_pollfd_t p;
  int rx = h_udp_bound(AF, &a), tx = bsdsock_socket(AF, BSDSOCK_SOCK_DGRAM, 0);
  H_OK(tx);
  assert_int_equal(bsdsock_sendto(tx, "x", 1, 0, &a), 1);
  H_OK(bsdsock_close(tx));
  p.fd = rx;
  p.events = BSDSOCK_POLLIN;
  assert_int_equal(bsdsock_poll(&p, 1, 5000), 1);
  return rx;
}

/* One descriptor in a fresh set. */
static void set1(bsdsock_fdset_t *s, int fd) {
  bsdsock_fdset_init(s);
  H_OK(bsdsock_fdset_set(s, fd));
}

static void test_negative_nfds(void **state) {
  bsdsock_fdset_t r;
  bsdsock_timeval_t tv = tv_ms(0);
  int fd = readable_udp();
  (void)state;
  set1(&r, fd);
  H_ASSERT_ERR(bsdsock_select(-1, &r, NULL, NULL, &tv), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_select(INT_MIN, &r, NULL, NULL, &tv), BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_fdset_isset(&r, fd), 1);
  assert_int_equal(bsdsock_fdset_count(&r), 1);
  H_OK(bsdsock_close(fd));
}

static void test_bad_timeout(void **state) {
  bsdsock_fdset_t r;
  bsdsock_timeval_t tv;
  int fd = readable_udp();
  (void)state;
  set1(&r, fd);
  tv.sec = 0, tv.usec = 1000000;
  H_ASSERT_ERR(bsdsock_select(fd + 1, &r, NULL, NULL, &tv), BSDSOCK_EINVAL);
  tv.sec = 0, tv.usec = -1;
  H_ASSERT_ERR(bsdsock_select(fd + 1, &r, NULL, NULL, &tv), BSDSOCK_EINVAL);
  tv.sec = -1, tv.usec = 0;
  H_ASSERT_ERR(bsdsock_select(fd + 1, &r, NULL, NULL, &tv), BSDSOCK_EINVAL);
  assert_int_equal(bsdsock_fdset_isset(&r, fd), 1);
  /* A huge timeout is fine when something is ready. */
  tv.sec = INT64_MAX, tv.usec = 999999;
  assert_int_equal(bsdsock_select(fd + 1, &r, NULL, NULL, &tv), 1);
  H_OK(bsdsock_close(fd));
}

/* Winsock fails select() with nothing to watch (WSAEINVAL); BSD sleeps. */
static void test_sleep_without_descriptors(void **state) {
  bsdsock_fdset_t r = BSDSOCK_FDSET_INIT, w = BSDSOCK_FDSET_INIT;
  bsdsock_timeval_t tv = tv_ms(150);
  uint64_t t0 = h_now_ms();
  int fd = readable_udp();
  (void)state;
  assert_int_equal(bsdsock_select(0, NULL, NULL, NULL, &tv), 0);
  assert_true(h_now_ms() - t0 >= 120);
  /* Empty sets, nfds > 0. */
  t0 = h_now_ms();
  assert_int_equal(bsdsock_select(64, &r, &w, NULL, &tv), 0);
  assert_true(h_now_ms() - t0 >= 120);
  /* nfds 0 ignores the members: a sleep, and the sets come back empty. */
  H_OK(bsdsock_fdset_set(&r, fd));
  t0 = h_now_ms();
  assert_int_equal(bsdsock_select(0, &r, NULL, NULL, &tv), 0);
  assert_true(h_now_ms() - t0 >= 120);
  assert_int_equal(bsdsock_fdset_count(&r), 0);
  /* A zero timeout is a poll. */
  tv = tv_ms(0);
  assert_int_equal(bsdsock_select(0, NULL, NULL, NULL, &tv), 0);
  H_OK(bsdsock_close(fd));
}

/* Linux writes the time left back into the timeout; Winsock does not;
 * bsdsock never does (and takes it const). */
static void test_timeout_kept(void **state) {
  bsdsock_fdset_t r;
  const bsdsock_timeval_t tv = {0, 200000};
  int c, s;
  uint64_t t0;
  (void)state;
  h_tcp_pair(AF, &c, &s);
  set1(&r, s);
  t0 = h_now_ms();
  assert_int_equal(bsdsock_select(s + 1, &r, NULL, NULL, &tv), 0);
  assert_true(h_now_ms() - t0 >= 170);
  assert_int_equal(tv.sec, 0);
  assert_int_equal(tv.usec, 200000);
  assert_int_equal(bsdsock_fdset_count(&r), 0);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

/* Winsock ignores nfds; bsdsock does not look at descriptors >= nfds. */
static void test_nfds_honoured(void **state) {
  bsdsock_fdset_t r;
  bsdsock_timeval_t tv = tv_ms(0);
  int fd = readable_udp();
  (void)state;
  set1(&r, fd);
  assert_int_equal(bsdsock_select(fd, &r, NULL, NULL, &tv), 0);
  assert_int_equal(bsdsock_fdset_isset(&r, fd), 0);
  set1(&r, fd);
  assert_int_equal(bsdsock_select(fd + 1, &r, NULL, NULL, &tv), 1);
  assert_int_equal(bsdsock_fdset_isset(&r, fd), 1);
  /* nfds far beyond any descriptor is clamped, not an error. */
  assert_int_equal(bsdsock_select(INT_MAX, &r, NULL, NULL, &tv), 1);
  assert_int_equal(bsdsock_fdset_isset(&r, fd), 1);
  H_OK(bsdsock_close(fd));
}

static void test_closed_descriptor(void **state) {
  bsdsock_fdset_t r, w;
  bsdsock_timeval_t tv = tv_ms(2000);
  int fd = readable_udp(), dead = bsdsock_socket(AF, BSDSOCK_SOCK_DGRAM, 0);
  uint64_t t0;
  (void)state;
  H_OK(dead);
  H_OK(bsdsock_close(dead));
  set1(&r, fd);
  H_OK(bsdsock_fdset_set(&r, dead));
  set1(&w, fd);
  t0 = h_now_ms();
  H_ASSERT_ERR(bsdsock_select(max3(fd, dead, 0) + 1, &r, &w, NULL, &tv),
               BSDSOCK_EBADF);
  assert_true(h_now_ms() - t0 < 1500);  /* reported, not waited on */
  assert_int_equal(bsdsock_fdset_isset(&r, fd), 1);
  assert_int_equal(bsdsock_fdset_isset(&r, dead), 1);
  assert_int_equal(bsdsock_fdset_isset(&w, fd), 1);
  assert_int_equal(bsdsock_fdset_count(&r), 2);
  assert_int_equal(bsdsock_fdset_count(&w), 1);
  /* A number never handed out, in the except set alone. */
  bsdsock_fdset_zero(&r);
  H_OK(bsdsock_fdset_set(&r, 100000));
  H_ASSERT_ERR(bsdsock_select(100001, NULL, NULL, &r, &tv), BSDSOCK_EBADF);
  assert_int_equal(bsdsock_fdset_isset(&r, 100000), 1);
  bsdsock_fdset_free(&r);
  H_OK(bsdsock_close(fd));
}

static void test_read_write(void **state) {
  bsdsock_fdset_t r, w;
  bsdsock_timeval_t tv = tv_ms(0);
  int c, s, n = 0;
  (void)state;
  h_tcp_pair(AF, &c, &s);
  set1(&r, s);
  H_OK(bsdsock_fdset_set(&r, c));
  set1(&w, c);
  assert_int_equal(bsdsock_select(max3(c, s, 0) + 1, &r, &w, NULL, &tv), 1);
  assert_int_equal(bsdsock_fdset_count(&r), 0);
  assert_int_equal(bsdsock_fdset_isset(&w, c), 1);
  assert_int_equal(bsdsock_send(c, "hi", 2, 0), 2);
  tv = tv_ms(5000);
  /* The same descriptor in two sets counts twice. */
  set1(&r, s);
  set1(&w, s);
  n = bsdsock_select(s + 1, &r, &w, NULL, &tv);
  assert_int_equal(n, 2);
  assert_int_equal(bsdsock_fdset_isset(&r, s), 1);
  assert_int_equal(bsdsock_fdset_isset(&w, s), 1);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

/* Winsock signals a failed connect in exceptfds only (Q20); BSD code looks
 * in the write set. bsdsock: the write set, plus the except (and read)
 * set where the caller asked, with SO_ERROR read-and-clear afterwards. */
static void test_failed_connect(void **state) {
  bsdsock_fdset_t r, w, e;
  bsdsock_timeval_t tv = tv_ms(10000);
  int fd = h_connect_refused(AF), c, s, err;
  size_t len = sizeof(err);
  (void)state;
  h_tcp_pair(AF, &c, &s);
  /* Write set only; an idle socket in the except set stays out. */
  set1(&w, fd);
  set1(&e, s);
  assert_int_equal(bsdsock_select(max3(fd, s, 0) + 1, NULL, &w, &e, &tv), 1);
  assert_int_equal(bsdsock_fdset_isset(&w, fd), 1);
  assert_int_equal(bsdsock_fdset_count(&e), 0);
  /* Asked in all three sets: reported in all three. */
  set1(&r, fd);
  set1(&w, fd);
  set1(&e, fd);
  assert_int_equal(bsdsock_select(fd + 1, &r, &w, &e, &tv), 3);
  assert_int_equal(bsdsock_fdset_isset(&r, fd), 1);
  assert_int_equal(bsdsock_fdset_isset(&w, fd), 1);
  assert_int_equal(bsdsock_fdset_isset(&e, fd), 1);
  /* select did not consume SO_ERROR; reading it clears it. */
  H_OK(bsdsock_getsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_ERROR, &err,
                          &len));
  H_ASSERT_ERR(err, BSDSOCK_ECONNREFUSED);
  H_OK(bsdsock_getsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_ERROR, &err,
                          &len));
  assert_int_equal(err, 0);
  /* The socket stays dead: writable (and hung up), no error pending. */
  set1(&w, fd);
  set1(&e, fd);
  assert_int_equal(bsdsock_select(fd + 1, NULL, &w, &e, &tv), 1);
  assert_int_equal(bsdsock_fdset_isset(&w, fd), 1);
  assert_int_equal(bsdsock_fdset_isset(&e, fd), 0);
  H_OK(bsdsock_close(fd));
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

/* A completed non-blocking connect is writable and in no other set. */
static void test_connect_completes(void **state) {
  bsdsock_fdset_t r, w, e;
  bsdsock_timeval_t tv = tv_ms(5000);
  bsdsock_addr_t a;
  int l = h_listener(AF, &a), fd, err = -1, rc;
  size_t len = sizeof(err);
  (void)state;
  fd = bsdsock_socket(AF, BSDSOCK_SOCK_STREAM | BSDSOCK_SOCK_NONBLOCK, 0);
  H_OK(fd);
  rc = bsdsock_connect(fd, &a);
  assert_true(rc == 0 || rc == BSDSOCK_EINPROGRESS);
  set1(&r, fd);
  set1(&w, fd);
  set1(&e, fd);
  assert_int_equal(bsdsock_select(fd + 1, &r, &w, &e, &tv), 1);
  assert_int_equal(bsdsock_fdset_isset(&w, fd), 1);
  H_OK(bsdsock_getsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_ERROR, &err,
                          &len));
  assert_int_equal(err, 0);
  H_OK(bsdsock_close(fd));
  H_OK(bsdsock_close(l));
}

static void test_listener_pending(void **state) {
  bsdsock_fdset_t r, w;
  bsdsock_timeval_t tv = tv_ms(0);
  bsdsock_addr_t a;
  int l = h_listener(AF, &a), c;
  (void)state;
  set1(&r, l);
  set1(&w, l);
  assert_int_equal(bsdsock_select(l + 1, &r, &w, NULL, &tv), 0);
  c = bsdsock_socket(AF, BSDSOCK_SOCK_STREAM, 0);
  H_OK(c);
  H_OK(bsdsock_connect(c, &a));
  set1(&r, l);
  set1(&w, l);
  tv = tv_ms(5000);
  assert_int_equal(bsdsock_select(l + 1, &r, &w, NULL, &tv), 1);
  assert_int_equal(bsdsock_fdset_isset(&r, l), 1);
  assert_int_equal(bsdsock_fdset_isset(&w, l), 0);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(l));
}

/* A peer's shutdown(SHUT_WR) reads as readable (end of stream), and is no
 * exceptional condition. */
static void test_half_close(void **state) {
  bsdsock_fdset_t r, e;
  bsdsock_timeval_t tv = tv_ms(5000);
  char b[4];
  int c, s;
  (void)state;
  h_tcp_pair(AF, &c, &s);
  H_OK(bsdsock_shutdown(c, BSDSOCK_SHUT_WR));
  set1(&r, s);
  set1(&e, s);
  assert_int_equal(bsdsock_select(s + 1, &r, NULL, &e, &tv), 1);
  assert_int_equal(bsdsock_fdset_isset(&r, s), 1);
  assert_int_equal(bsdsock_fdset_isset(&e, s), 0);
  assert_int_equal(bsdsock_recv(s, b, sizeof(b), 0), 0);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

/* An interrupted wait goes on for the time left (bsdsock.h's EINTR
 * policy), on a socket and as a pure sleep. */
static void test_interrupted(void **state) {
  bsdsock_fdset_t r;
  bsdsock_timeval_t tv = tv_ms(600);
  h_interrupt_t *it;
  uint64_t t0;
  int c, s;
  (void)state;
  h_tcp_pair(AF, &c, &s);
  set1(&r, s);
  t0 = h_now_ms();
  it = h_interrupt_after(150);
  assert_non_null(it);
  assert_int_equal(bsdsock_select(s + 1, &r, NULL, NULL, &tv), 0);
  assert_true(h_now_ms() - t0 >= 570);
  assert_int_equal(h_interrupt_join(it), 1);
  t0 = h_now_ms();
  it = h_interrupt_after(150);
  assert_non_null(it);
  assert_int_equal(bsdsock_select(0, NULL, NULL, NULL, &tv), 0);
  assert_true(h_now_ms() - t0 >= 570);
  assert_int_equal(h_interrupt_join(it), 1);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_negative_nfds),
      cmocka_unit_test(test_bad_timeout),
      cmocka_unit_test(test_sleep_without_descriptors),
      cmocka_unit_test(test_timeout_kept),
      cmocka_unit_test(test_nfds_honoured),
      cmocka_unit_test(test_closed_descriptor),
      cmocka_unit_test(test_read_write),
      cmocka_unit_test(test_failed_connect),
      cmocka_unit_test(test_connect_completes),
      cmocka_unit_test(test_listener_pending),
      cmocka_unit_test(test_half_close),
      cmocka_unit_test(test_interrupted),
  };
  return H_RUN("select", tests);
}
