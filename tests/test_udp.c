/* SPDX-License-Identifier: MIT */
/*
 * test_udp.c - UDP over loopback: echo with sendto/recvfrom (IPv4, IPv6)
 * and the sender's address, connected UDP, empty datagrams (fault F14:
 * 0 is a datagram, not end of stream), truncation of a datagram longer
 * than the buffer (F15, quirk Q50) and MSG_PEEK.
 */
#include "harness.h"

static void skip_without(int family) {
  if (family == BSDSOCK_AF_INET6 && !h_have_ipv6())
    H_SKIP("no IPv6 loopback (::1) on this host");
}

/* Two bound UDP sockets of family. */
static void udp_pair(int family, int *a, bsdsock_addr_t *aa, int *b,
                     bsdsock_addr_t *ba) {
  *a = h_udp_bound(family, aa);
  *b = h_udp_bound(family, ba);
}

static void close2(int a, int b) {
  H_OK(bsdsock_close(a));
  H_OK(bsdsock_close(b));
}

/* ---- echo ---------------------------------------------------------------- */

static void echo(int family) {
  bsdsock_addr_t aa, ba, from;
  char buf[32];
  int a, b;
  udp_pair(family, &a, &aa, &b, &ba);
  assert_int_equal(bsdsock_sendto(a, "hello", 5, 0, &ba), 5);
  memset(&from, 0xAA, sizeof(from));
  assert_int_equal(bsdsock_recvfrom(b, buf, sizeof(buf), 0, &from), 5);
  assert_memory_equal(buf, "hello", 5);
  /* The sender's address is exactly what the sender's getsockname says. */
  assert_memory_equal(&from, &aa, sizeof(from));
  assert_int_equal(bsdsock_sendto(b, "world!", 6, 0, &from), 6);
  memset(&from, 0, sizeof(from));
  assert_int_equal(bsdsock_recvfrom(a, buf, sizeof(buf), 0, &from), 6);
  assert_memory_equal(buf, "world!", 6);
  assert_memory_equal(&from, &ba, sizeof(from));
  close2(a, b);
}

static void test_echo_ipv4(void **state) {
  (void)state;
  echo(BSDSOCK_AF_INET);
}

static void test_echo_ipv6(void **state) {
  (void)state;
  skip_without(BSDSOCK_AF_INET6);
  echo(BSDSOCK_AF_INET6);
}

/* recvfrom() without an address, and recv() on an unconnected socket. */
static void test_recv_without_address(void **state) {
  bsdsock_addr_t aa, ba;
  char buf[8];
  int a, b;
  (void)state;
  udp_pair(BSDSOCK_AF_INET, &a, &aa, &b, &ba);
  assert_int_equal(bsdsock_sendto(a, "one", 3, 0, &ba), 3);
  assert_int_equal(bsdsock_sendto(a, "two", 3, 0, &ba), 3);
  assert_int_equal(bsdsock_recvfrom(b, buf, sizeof(buf), 0, NULL), 3);
  assert_memory_equal(buf, "one", 3);
  assert_int_equal(bsdsock_recv(b, buf, sizeof(buf), 0), 3);
  assert_memory_equal(buf, "two", 3);
  close2(a, b);
}

/* ---- connected UDP ----------------------------------------------------- */

static void connected(int family) {
  bsdsock_addr_t aa, ba, peer, from;
  char buf[8];
  int a, b;
  udp_pair(family, &a, &aa, &b, &ba);
  H_OK(bsdsock_connect(a, &ba));
  H_OK(bsdsock_connect(b, &aa));
  H_OK(bsdsock_getpeername(a, &peer));
  assert_memory_equal(&peer, &ba, sizeof(peer));
  assert_int_equal(bsdsock_send(a, "abc", 3, 0), 3);
  assert_int_equal(bsdsock_recv(b, buf, sizeof(buf), 0), 3);
  assert_memory_equal(buf, "abc", 3);
  assert_int_equal(bsdsock_sendto(b, "de", 2, 0, NULL), 2);
  assert_int_equal(bsdsock_recvfrom(a, buf, sizeof(buf), 0, &from), 2);
  assert_memory_equal(buf, "de", 2);
  assert_memory_equal(&from, &ba, sizeof(from));
  close2(a, b);
}

static void test_connected_ipv4(void **state) {
  (void)state;
  connected(BSDSOCK_AF_INET);
}

static void test_connected_ipv6(void **state) {
  (void)state;
  skip_without(BSDSOCK_AF_INET6);
  connected(BSDSOCK_AF_INET6);
}

/* A connected UDP socket takes datagrams from its peer only. */
static void test_connected_filters(void **state) {
  bsdsock_addr_t aa, ba, ca;
  char buf[8];
  int a, b, c;
  (void)state;
  udp_pair(BSDSOCK_AF_INET, &a, &aa, &b, &ba);
  c = h_udp_bound(BSDSOCK_AF_INET, &ca);
  H_OK(bsdsock_connect(a, &ba));
  assert_int_equal(bsdsock_sendto(c, "bad", 3, 0, &aa), 3);
  assert_int_equal(bsdsock_sendto(b, "good", 4, 0, &aa), 4);
  assert_int_equal(bsdsock_recv(a, buf, sizeof(buf), 0), 4);
  assert_memory_equal(buf, "good", 4);
  close2(a, b);
  H_OK(bsdsock_close(c));
}

/* ---- datagram boundaries ------------------------------------------------- */

/* An empty datagram reads as 0 with the sender's address, and is not end
 * of stream: the next datagram still arrives (F14, CVE-2023-32067). */
static void test_empty_datagram(void **state) {
  bsdsock_addr_t aa, ba, from;
  char buf[8];
  int a, b;
  (void)state;
  udp_pair(BSDSOCK_AF_INET, &a, &aa, &b, &ba);
  assert_int_equal(bsdsock_sendto(a, "", 0, 0, &ba), 0);
  assert_int_equal(bsdsock_sendto(a, "after", 5, 0, &ba), 5);
  memset(&from, 0, sizeof(from));
  assert_int_equal(bsdsock_recvfrom(b, buf, sizeof(buf), 0, &from), 0);
  assert_memory_equal(&from, &aa, sizeof(from));
  assert_int_equal(bsdsock_recvfrom(b, buf, sizeof(buf), 0, &from), 5);
  assert_memory_equal(buf, "after", 5);
  close2(a, b);
}

/* A datagram longer than the buffer: the call returns the buffer's
 * length with the datagram's first bytes on every backend (Winsock's
 * WSAEMSGSIZE is not passed on, Q50), the rest is discarded, and the
 * next datagram is intact. */
static void test_truncated_datagram(void **state) {
  bsdsock_addr_t aa, ba, from;
  char big[100], buf[16];
  int a, b, i;
  (void)state;
  for (i = 0; i < (int)sizeof(big); i++) big[i] = (char)('a' + i % 26);
  udp_pair(BSDSOCK_AF_INET, &a, &aa, &b, &ba);
  assert_int_equal(bsdsock_sendto(a, big, sizeof(big), 0, &ba), sizeof(big));
  assert_int_equal(bsdsock_sendto(a, "next", 4, 0, &ba), 4);
  memset(&from, 0, sizeof(from));
  assert_int_equal(bsdsock_recvfrom(b, buf, 10, 0, &from), 10);
  assert_memory_equal(buf, big, 10);
  assert_memory_equal(&from, &aa, sizeof(from));
  assert_int_equal(bsdsock_recv(b, buf, sizeof(buf), 0), 4);
  assert_memory_equal(buf, "next", 4);
  close2(a, b);
}

/* MSG_PEEK leaves the datagram queued. */
static void test_peek(void **state) {
  bsdsock_addr_t aa, ba, from;
  char buf[8];
  int a, b;
  (void)state;
  udp_pair(BSDSOCK_AF_INET, &a, &aa, &b, &ba);
  assert_int_equal(bsdsock_sendto(a, "peek", 4, 0, &ba), 4);
  assert_int_equal(bsdsock_recvfrom(b, buf, sizeof(buf), BSDSOCK_MSG_PEEK,
                                    &from), 4);
  assert_memory_equal(&from, &aa, sizeof(from));
  memset(buf, 0, sizeof(buf));
  assert_int_equal(bsdsock_recv(b, buf, sizeof(buf), 0), 4);
  assert_memory_equal(buf, "peek", 4);
  close2(a, b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_echo_ipv4),
      cmocka_unit_test(test_echo_ipv6),
      cmocka_unit_test(test_recv_without_address),
      cmocka_unit_test(test_connected_ipv4),
      cmocka_unit_test(test_connected_ipv6),
      cmocka_unit_test(test_connected_filters),
      cmocka_unit_test(test_empty_datagram),
      cmocka_unit_test(test_truncated_datagram),
      cmocka_unit_test(test_peek),
  };
  return H_RUN("udp", tests);
}
