/* SPDX-License-Identifier: MIT */
/*
 * test_poll.c - bsdsock_poll()'s contract over real loopback sockets, with
 * Linux's exact revents as the reference on every backend: every input bit
 * accepted and output-only bits ignored (quirk Q34, fault F26), negative
 * descriptors skipped (Q36) however many there are, nfds 0 a sleep (Q35,
 * F27), POLLNVAL for closed descriptors, a failed non-blocking connect as
 * POLLOUT|POLLERR|POLLHUP with SO_ERROR set whatever the Windows build
 * (Q20, F6), a half-close as POLLIN and not POLLHUP (Q37), a reset as
 * POLLERR|POLLHUP, a pending connection as POLLIN (Q38).
 */
#include "harness.h"

#include <stdlib.h>

#define AF BSDSOCK_AF_INET

#define IN BSDSOCK_POLLIN
#define OUT BSDSOCK_POLLOUT
#define ERR BSDSOCK_POLLERR
#define HUP BSDSOCK_POLLHUP
#define NVAL BSDSOCK_POLLNVAL
#define ALL_INPUT                                                            \
  (BSDSOCK_POLLIN | BSDSOCK_POLLPRI | BSDSOCK_POLLOUT | BSDSOCK_POLLRDNORM |  \
   BSDSOCK_POLLRDBAND | BSDSOCK_POLLWRNORM | BSDSOCK_POLLWRBAND)

/* Polls one descriptor; returns revents after checking the count. */
static short poll1(int fd, short events, int timeout_ms) {
  bsdsock_pollfd_t p;
  int n;
  p.fd = fd;
  p.events = events;
  p.revents = (short)0x7fff;  /* must be overwritten */
  n = bsdsock_poll(&p, 1, timeout_ms);
  H_OK(n);
  assert_int_equal(n, p.revents != 0);
  return p.revents;
}

/* Polls until revents has all of want (the event may take a moment to
 * travel through loopback), at most 5 s. */
static short poll_until(int fd, short events, short want) {
  short rev = 0;
  int i;
  for (i = 0; i < 50 && (rev & want) != want; i++) {
    rev = poll1(fd, events, 100);
    if ((rev & want) != want) h_sleep_ms(20);
  }
  return rev;
}

static void test_bad_args(void **state) {
  bsdsock_pollfd_t p = {0, IN, 0};
  (void)state;
  H_ASSERT_ERR(bsdsock_poll(NULL, 1, 0), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_poll(&p, (size_t)BSDSOCK_FD_MAX + 1, 0),
               BSDSOCK_EINVAL);
  assert_int_equal(p.revents, 0);
}

/* WSAPoll(NULL, 0, t) fails with WSAEINVAL; poll(2) sleeps. */
static void test_sleep(void **state) {
  bsdsock_pollfd_t p[2] = {{-1, IN, 5}, {-7, OUT, 5}};
  uint64_t t0 = h_now_ms();
  (void)state;
  assert_int_equal(bsdsock_poll(NULL, 0, 150), 0);
  assert_true(h_now_ms() - t0 >= 120);
  assert_int_equal(bsdsock_poll(NULL, 0, 0), 0);
  /* Only negative descriptors: WSAPoll fails (WSAENOTSOCK); a sleep. */
  t0 = h_now_ms();
  assert_int_equal(bsdsock_poll(p, 2, 150), 0);
  assert_true(h_now_ms() - t0 >= 120);
  assert_int_equal(p[0].revents, 0);
  assert_int_equal(p[1].revents, 0);
}

/* Negative descriptors are skipped with revents 0 (WSAPoll would report
 * POLLNVAL, Q36) and do not count. */
static void test_negative_fd(void **state) {
  bsdsock_addr_t a;
  bsdsock_pollfd_t p[3];
  int fd = h_udp_bound(AF, &a);
  (void)state;
  p[0].fd = -1, p[0].events = ALL_INPUT, p[0].revents = 99;
  p[1].fd = fd, p[1].events = OUT, p[1].revents = 99;
  p[2].fd = -100, p[2].events = IN, p[2].revents = 99;
  assert_int_equal(bsdsock_poll(p, 3, 1000), 1);
  assert_int_equal(p[0].revents, 0);
  assert_int_equal(p[1].revents, OUT);
  assert_int_equal(p[2].revents, 0);
  H_OK(bsdsock_close(fd));
}

/* More entries than the open-file limit, all negative but one: Linux's
 * poll(2) refuses an array longer than RLIMIT_NOFILE (EINVAL) although it
 * skips negative entries, WSAPoll has no such limit; bsdsock answers on
 * both. The array is 70,000 entries or one more than the limit, whichever
 * is larger. */
static void test_many_negative(void **state) {
  long limit = h_raise_fd_limit(0);
  size_t n = limit >= 70000 ? (size_t)limit + 1 : 70000, i, mid = n / 2;
  bsdsock_pollfd_t *p;
  bsdsock_addr_t a;
  int fd;
  (void)state;
  if (n > (size_t)BSDSOCK_FD_MAX)
    H_SKIP("the open-file limit (%ld) is above BSDSOCK_FD_MAX", limit);
  p = malloc(n * sizeof(*p));
  assert_non_null(p);
  fd = h_udp_bound(AF, &a);
  for (i = 0; i < n; i++) {
    p[i].fd = i == mid ? fd : -1 - (int)(i % 3);
    p[i].events = i == mid ? OUT : IN;
    p[i].revents = 99;
  }
  assert_int_equal(bsdsock_poll(p, n, 1000), 1);
  for (i = 0; i < n; i++)
    if (p[i].revents != (i == mid ? OUT : 0))
      fail_msg("entry %lu: revents %d", (unsigned long)i, p[i].revents);
  free(p);
  H_OK(bsdsock_close(fd));
}

/* Every input bit is accepted, output-only and unknown bits in events are
 * ignored (WSAPoll fails with WSAEINVAL on POLLPRI, POLLWRBAND, POLLERR,
 * POLLHUP: Q34, F26). Linux's answers: a writable TCP socket is
 * POLLOUT (= POLLWRNORM), a writable UDP one POLLOUT|POLLWRBAND. */
static void test_all_bits_accepted(void **state) {
  short all = (short)(ALL_INPUT | ERR | HUP | NVAL | 0x4000);
  bsdsock_addr_t a;
  int c, s, u = h_udp_bound(AF, &a);
  (void)state;
  h_tcp_pair(AF, &c, &s);
  assert_int_equal(poll1(c, all, 1000), OUT);
  assert_int_equal(poll1(u, all, 1000), OUT | BSDSOCK_POLLWRBAND);
  /* Output-only bits alone ask for nothing, but are still reported. */
  assert_int_equal(poll1(c, (short)(ERR | HUP | NVAL), 0), 0);
  assert_int_equal(poll1(c, 0, 0), 0);
  /* RDNORM and IN are asked for and reported separately. */
  assert_int_equal(bsdsock_send(s, "x", 1, 0), 1);
  assert_int_equal(poll_until(c, BSDSOCK_POLLRDNORM, BSDSOCK_POLLRDNORM),
                   BSDSOCK_POLLRDNORM);
  assert_int_equal(poll1(c, IN | BSDSOCK_POLLRDNORM, 0),
                   IN | BSDSOCK_POLLRDNORM);
  assert_int_equal(poll1(c, IN | OUT, 0), IN | OUT);
  /* Linux never reports POLLRDBAND for TCP data, nor POLLWRBAND for a
   * TCP socket: asked alone, they time out. */
  assert_int_equal(poll1(c, BSDSOCK_POLLRDBAND, 100), 0);
  assert_int_equal(poll1(c, BSDSOCK_POLLWRBAND, 100), 0);
  assert_int_equal(poll1(u, BSDSOCK_POLLWRBAND, 100), BSDSOCK_POLLWRBAND);
  H_OK(bsdsock_close(u));
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

static void test_nval(void **state) {
  bsdsock_pollfd_t p[3];
  bsdsock_addr_t a;
  int live = h_udp_bound(AF, &a), fd = bsdsock_socket(AF, BSDSOCK_SOCK_DGRAM, 0);
  uint64_t t0;
  (void)state;
  H_OK(fd);
  H_OK(bsdsock_close(fd));  /* after live: its number stays free */
  p[0].fd = fd, p[0].events = IN, p[0].revents = 0;
  p[1].fd = 100000, p[1].events = 0, p[1].revents = 0;
  p[2].fd = live, p[2].events = IN, p[2].revents = 0;  /* idle */
  t0 = h_now_ms();
  assert_int_equal(bsdsock_poll(p, 3, 5000), 2);
  assert_true(h_now_ms() - t0 < 4000);  /* reported at once */
  assert_int_equal(p[0].revents, NVAL);
  assert_int_equal(p[1].revents, NVAL);
  assert_int_equal(p[2].revents, 0);
  H_OK(bsdsock_close(live));
}

/* WSAPoll before build 19041 never reports a failed connect; Winsock
 * select() reports it in exceptfds only (Q20). bsdsock: Linux's bits. */
static void test_failed_connect(void **state) {
  int fd = h_connect_refused(AF), err;
  size_t len = sizeof(err);
  (void)state;
  assert_int_equal(poll1(fd, OUT, 10000), OUT | ERR | HUP);
  assert_int_equal(poll1(fd, IN | OUT, 0), IN | OUT | ERR | HUP);
  assert_int_equal(poll1(fd, IN, 0), IN | ERR | HUP);
  assert_int_equal(poll1(fd, 0, 0), ERR | HUP);
  H_OK(bsdsock_getsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_ERROR, &err,
                          &len));
  H_ASSERT_ERR(err, BSDSOCK_ECONNREFUSED);
  /* Read and cleared: POLLERR goes, the socket stays hung up. */
  assert_int_equal(poll1(fd, IN | OUT, 0), IN | OUT | HUP);
  H_OK(bsdsock_getsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_ERROR, &err,
                          &len));
  assert_int_equal(err, 0);
  H_OK(bsdsock_close(fd));
}

/* The failure is found even when only POLLIN (or nothing) was asked. */
static void test_failed_connect_unasked(void **state) {
  int fd = h_connect_refused(AF);
  (void)state;
  assert_int_equal(poll_until(fd, 0, ERR), ERR | HUP);
  H_OK(bsdsock_close(fd));
}

static void test_connect_completes(void **state) {
  bsdsock_addr_t a;
  int l = h_listener(AF, &a), fd, rc;
  (void)state;
  fd = bsdsock_socket(AF, BSDSOCK_SOCK_STREAM | BSDSOCK_SOCK_NONBLOCK, 0);
  H_OK(fd);
  rc = bsdsock_connect(fd, &a);
  assert_true(rc == 0 || rc == BSDSOCK_EINPROGRESS);
  assert_int_equal(poll1(fd, IN | OUT, 5000), OUT);
  assert_int_equal(poll1(fd, IN | OUT, 0), OUT);
  H_OK(bsdsock_close(fd));
  H_OK(bsdsock_close(l));
}

/* WSAPoll reports a peer's shutdown(SD_SEND) as POLLHUP (Q37); on Linux it
 * is POLLIN (end of stream), with POLLOUT still there. */
static void test_half_close(void **state) {
  char b[4];
  int c, s;
  (void)state;
  h_tcp_pair(AF, &c, &s);
  H_OK(bsdsock_shutdown(c, BSDSOCK_SHUT_WR));
  assert_int_equal(poll_until(s, IN, IN), IN);
  assert_int_equal(poll1(s, IN | OUT, 0), IN | OUT);
  assert_int_equal(bsdsock_recv(s, b, sizeof(b), 0), 0);
  /* The half-closed side can still send. */
  assert_int_equal(bsdsock_send(s, "x", 1, 0), 1);
  assert_int_equal(poll_until(c, IN, IN), IN);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

/* A reset (peer closed with SO_LINGER 0) is POLLERR|POLLHUP plus whatever
 * of POLLIN/POLLOUT was asked, as Linux reports it. */
static void test_reset(void **state) {
  bsdsock_linger_t lg = {1, 0};
  char b[4];
  int c, s;
  (void)state;
  h_tcp_pair(AF, &c, &s);
  H_OK(bsdsock_setsockopt(c, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_LINGER, &lg,
                          sizeof(lg)));
  H_OK(bsdsock_close(c));
  assert_int_equal(poll_until(s, IN | OUT, ERR | HUP), IN | OUT | ERR | HUP);
  assert_int_equal(poll1(s, OUT, 0), OUT | ERR | HUP);
  assert_int_equal(poll1(s, IN, 0), IN | ERR | HUP);
  /* Wine's server reads the host socket's error itself, so its recv()
   * then sees end of stream instead of the reset. */
  if (h_is_wine())
    printf("# Wine: recv after a reset is not checked (reads as EOF)\n");
  else
    H_ASSERT_ERR(bsdsock_recv(s, b, sizeof(b), 0), BSDSOCK_ECONNRESET);
  H_OK(bsdsock_close(s));
}

/* A listener with a pending connection is POLLIN only (Q38). */
static void test_listener(void **state) {
  bsdsock_addr_t a;
  int l = h_listener(AF, &a), c;
  (void)state;
  assert_int_equal(poll1(l, ALL_INPUT, 0), 0);
  c = bsdsock_socket(AF, BSDSOCK_SOCK_STREAM, 0);
  H_OK(c);
  H_OK(bsdsock_connect(c, &a));
  assert_int_equal(poll_until(l, ALL_INPUT, IN), IN | BSDSOCK_POLLRDNORM);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(l));
}

/* Counting: one per ready entry, duplicates included; idle ones stay 0. */
static void test_count(void **state) {
  bsdsock_addr_t a;
  bsdsock_pollfd_t p[4];
  int c, s, u = h_udp_bound(AF, &a);
  uint64_t t0;
  (void)state;
  h_tcp_pair(AF, &c, &s);
  p[0].fd = c, p[0].events = OUT;
  p[1].fd = s, p[1].events = IN;  /* idle */
  p[2].fd = c, p[2].events = IN | OUT;
  p[3].fd = u, p[3].events = IN;  /* idle */
  assert_int_equal(bsdsock_poll(p, 4, 1000), 2);
  assert_int_equal(p[0].revents, OUT);
  assert_int_equal(p[1].revents, 0);
  assert_int_equal(p[2].revents, OUT);
  assert_int_equal(p[3].revents, 0);
  /* Nothing ready: times out after the timeout. */
  p[0].events = IN;
  p[2].events = IN;
  t0 = h_now_ms();
  assert_int_equal(bsdsock_poll(p, 4, 200), 0);
  assert_true(h_now_ms() - t0 >= 170);
  H_OK(bsdsock_close(u));
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

static void test_interrupted(void **state) {
  bsdsock_pollfd_t p;
  h_interrupt_t *it;
  uint64_t t0;
  int c, s;
  (void)state;
  h_tcp_pair(AF, &c, &s);
  p.fd = s, p.events = IN;
  t0 = h_now_ms();
  it = h_interrupt_after(150);
  assert_non_null(it);
  assert_int_equal(bsdsock_poll(&p, 1, 600), 0);
  assert_true(h_now_ms() - t0 >= 570);
  assert_int_equal(h_interrupt_join(it), 1);
  t0 = h_now_ms();
  it = h_interrupt_after(150);
  assert_non_null(it);
  assert_int_equal(bsdsock_poll(NULL, 0, 600), 0);
  assert_true(h_now_ms() - t0 >= 570);
  assert_int_equal(h_interrupt_join(it), 1);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bad_args),
      cmocka_unit_test(test_sleep),
      cmocka_unit_test(test_negative_fd),
      cmocka_unit_test(test_many_negative),
      cmocka_unit_test(test_all_bits_accepted),
      cmocka_unit_test(test_nval),
      cmocka_unit_test(test_failed_connect),
      cmocka_unit_test(test_failed_connect_unasked),
      cmocka_unit_test(test_connect_completes),
      cmocka_unit_test(test_half_close),
      cmocka_unit_test(test_reset),
      cmocka_unit_test(test_listener),
      cmocka_unit_test(test_count),
      cmocka_unit_test(test_interrupted),
  };
  return H_RUN("poll", tests);
}
