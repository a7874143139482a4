/* SPDX-License-Identifier: MIT */
/*
 * test_pktinfo.c - ancillary data in its portable form (bsdsock_msginfo_t
 * on bsdsock_recvmsg/sendmsg and per message of recvmmsg/sendmmsg): the
 * destination address and arrival interface of a datagram to 127.0.0.1
 * and ::1 (the loopback's index, found through the interface list), none
 * when the option is off, the TOS byte / traffic class a sender set,
 * sending from a chosen source address and interface, a per-datagram TOS,
 * and bad info refused before anything is sent. Wine gaps are skipped
 * with the reason.
 */
#include "harness.h"

#define WAIT_MS 5000 /* bound for every wait on the network */
#define TOS 0x28     /* a DSCP (AF11) with the ECN bits clear */

/* ---- helpers ------------------------------------------------------------ */

/* The loopback interface's index, from the interface list (the entry with
 * the family's loopback address), cross-checked with its name. */
static unsigned loopback_index(int family) {
  bsdsock_interface_t *list = NULL;
  bsdsock_addr_t lo;
  size_t n = 0, i;
  unsigned index = 0;
  h_loopback(&lo, family);
  H_OK(bsdsock_interfaces(&list, &n));
  for (i = 0; i < n && index == 0; i++) {
    const bsdsock_interface_t *e = &list[i];
    if (e->addr.family != family) continue;
    if (family == BSDSOCK_AF_INET ? memcmp(e->addr.u.ip4, lo.u.ip4, 4) == 0
                                  : memcmp(e->addr.u.ip6, lo.u.ip6, 16) == 0) {
      index = e->index;
      assert_int_equal(bsdsock_if_nametoindex(e->name), index);
    }
  }
  bsdsock_free_interfaces(list);
  if (index == 0) fail_msg("no interface has the loopback address");
  return index;
}

static void wait_readable(int fd) {
  bsdsock_pollfd_t p;
  p.fd = fd;
  p.events = BSDSOCK_POLLIN;
  p.revents = 0;
  H_ASSERT_ERR(bsdsock_poll(&p, 1, WAIT_MS), 1);
}

static void nothing_queued(int fd) {
  char c;
  H_ASSERT_ERR(bsdsock_recv(fd, &c, 1, BSDSOCK_MSG_DONTWAIT), BSDSOCK_EAGAIN);
}

/* A socket of family that has not been bound (the system picks its
 * address and port on the first send). */
static int unbound_udp(int family) {
  int fd = bsdsock_socket(family, BSDSOCK_SOCK_DGRAM, 0);
  H_OK(fd);
  h_io_timeout(fd, WAIT_MS);
  return fd;
}

/* Receives one datagram "text" on fd with recvmsg and info (garbage
 * first, so that every field checked was written); *from gets the
 * sender. */
static void recv_info(int fd, const char *text, bsdsock_msginfo_t *info,
                      bsdsock_addr_t *from) {
  char buf[64];
  bsdsock_iovec_t iov;
  bsdsock_msghdr_t m;
  size_t len = strlen(text);
  wait_readable(fd);
  memset(&m, 0, sizeof(m));
  memset(info, 0x5a, sizeof(*info));
  iov.base = buf;
  iov.len = sizeof(buf);
  m.name = from;
  m.iov = &iov;
  m.iovlen = 1;
  m.flags = 0x7777;
  m.info = info;
  H_ASSERT_ERR(bsdsock_recvmsg(fd, &m, 0), (long long)len);
  assert_memory_equal(buf, text, len);
  assert_int_equal(m.flags, 0);
  assert_int_equal(info->valid & ~BSDSOCK_MSGINFO_ALL, 0);
}

/* Sends text to `to` from tx with sendmsg and info (may be NULL). */
static long long send_info(int tx, const bsdsock_addr_t *to, const char *text,
                           const bsdsock_msginfo_t *info) {
  bsdsock_iovec_t iov;
  bsdsock_msghdr_t m;
  bsdsock_addr_t dest = *to;
  memset(&m, 0, sizeof(m));
  iov.base = (void *)(uintptr_t)text;
  iov.len = strlen(text);
  m.name = &dest;
  m.iov = &iov;
  m.iovlen = 1;
  m.info = (bsdsock_msginfo_t *)(uintptr_t)info;
  return bsdsock_sendmsg(tx, &m, 0);
}

static void expect_dst(const bsdsock_msginfo_t *info, int family,
                       unsigned index) {
  bsdsock_addr_t lo;
  h_loopback(&lo, family);
  assert_int_equal(info->valid & (BSDSOCK_MSGINFO_DST | BSDSOCK_MSGINFO_IFINDEX),
                   BSDSOCK_MSGINFO_DST | BSDSOCK_MSGINFO_IFINDEX);
  assert_int_equal(info->dst.family, family);
  assert_int_equal(info->dst.port, 0);
  if (family == BSDSOCK_AF_INET)
    assert_memory_equal(info->dst.u.ip4, lo.u.ip4, 4);
  else
    assert_memory_equal(info->dst.u.ip6, lo.u.ip6, 16);
  assert_int_equal(info->ifindex, index);
}

/* ---- receive: destination and interface ---------------------------------- */

static void pktinfo_case(int family, int level, int name) {
  bsdsock_addr_t rxa, from, txa;
  bsdsock_msginfo_t info;
  unsigned index = loopback_index(family);
  int rx = h_udp_bound(family, &rxa), tx = h_udp_bound(family, &txa);
  h_set_int(rx, level, name, 1);
  assert_int_equal(h_get_int(rx, level, name), 1);
  H_ASSERT_ERR(bsdsock_sendto(tx, "dst", 3, 0, &rxa), 3);
  recv_info(rx, "dst", &info, &from);
  expect_dst(&info, family, index);
  assert_int_equal(info.valid & BSDSOCK_MSGINFO_TOS, 0);
  assert_int_equal(bsdsock_addr_port(&from), bsdsock_addr_port(&txa));
  printf("  loopback index %u\n", index);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

static void test_pktinfo_ipv4(void **state) {
  (void)state;
  pktinfo_case(BSDSOCK_AF_INET, BSDSOCK_IPPROTO_IP, BSDSOCK_IP_PKTINFO);
}

static void test_pktinfo_ipv6(void **state) {
  (void)state;
  if (!h_have_ipv6()) H_SKIP("IPv6 loopback (::1) is not up on this host");
  pktinfo_case(BSDSOCK_AF_INET6, BSDSOCK_IPPROTO_IPV6,
               BSDSOCK_IPV6_RECVPKTINFO);
}

/* Without the options nothing is reported, and valid says so. */
static void test_option_off(void **state) {
  bsdsock_addr_t rxa, from;
  bsdsock_msginfo_t info;
  int rx, tx;
  (void)state;
  rx = h_udp_bound(BSDSOCK_AF_INET, &rxa);
  tx = unbound_udp(BSDSOCK_AF_INET);
  H_ASSERT_ERR(bsdsock_sendto(tx, "off", 3, 0, &rxa), 3);
  recv_info(rx, "off", &info, &from);
  assert_int_equal(info.valid, 0);
  /* On, then off again. */
  h_set_int(rx, BSDSOCK_IPPROTO_IP, BSDSOCK_IP_PKTINFO, 1);
  h_set_int(rx, BSDSOCK_IPPROTO_IP, BSDSOCK_IP_PKTINFO, 0);
  H_ASSERT_ERR(bsdsock_sendto(tx, "off", 3, 0, &rxa), 3);
  recv_info(rx, "off", &info, &from);
  assert_int_equal(info.valid, 0);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

/* A stream socket has no ancillary data: valid 0, the data as usual. */
static void test_stream_socket(void **state) {
  bsdsock_msginfo_t info;
  bsdsock_iovec_t iov;
  bsdsock_msghdr_t m;
  char buf[8];
  int c, s;
  (void)state;
  h_tcp_pair(BSDSOCK_AF_INET, &c, &s);
  H_ASSERT_ERR(bsdsock_send(c, "tcp", 3, 0), 3);
  memset(&m, 0, sizeof(m));
  memset(&info, 0x5a, sizeof(info));
  iov.base = buf;
  iov.len = sizeof(buf);
  m.iov = &iov;
  m.iovlen = 1;
  m.info = &info;
  H_ASSERT_ERR(bsdsock_recvmsg(s, &m, 0), 3);
  assert_int_equal(info.valid, 0);
  /* Info with nothing in it sends as usual; anything in it is refused. */
  memset(&info, 0, sizeof(info));
  iov.base = (void *)"abc";
  iov.len = 3;
  H_ASSERT_ERR(bsdsock_sendmsg(c, &m, 0), 3);
  info.valid = BSDSOCK_MSGINFO_TOS;
  info.tos = TOS;
  H_ASSERT_ERR(bsdsock_sendmsg(c, &m, 0), BSDSOCK_EOPNOTSUPP);
  H_ASSERT_ERR(bsdsock_recv(s, buf, sizeof(buf), 0), 3);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

/* A datagram longer than the buffers: truncated as without info (its
 * length, BSDSOCK_MSG_TRUNC), and the destination still reported. */
static void test_truncated(void **state) {
  bsdsock_addr_t rxa, from;
  bsdsock_msginfo_t info;
  bsdsock_iovec_t iov;
  bsdsock_msghdr_t m;
  char buf[4];
  unsigned index = loopback_index(BSDSOCK_AF_INET);
  int rx = h_udp_bound(BSDSOCK_AF_INET, &rxa), tx = unbound_udp(BSDSOCK_AF_INET);
  (void)state;
  h_set_int(rx, BSDSOCK_IPPROTO_IP, BSDSOCK_IP_PKTINFO, 1);
  H_ASSERT_ERR(bsdsock_sendto(tx, "truncated", 9, 0, &rxa), 9);
  wait_readable(rx);
  memset(&m, 0, sizeof(m));
  memset(&info, 0x5a, sizeof(info));
  iov.base = buf;
  iov.len = sizeof(buf);
  m.name = &from;
  m.iov = &iov;
  m.iovlen = 1;
  m.info = &info;
  H_ASSERT_ERR(bsdsock_recvmsg(rx, &m, 0), 4);
  assert_memory_equal(buf, "trun", 4);
  assert_int_equal(m.flags, BSDSOCK_MSG_TRUNC);
  nothing_queued(rx);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
  if (info.valid == 0 && h_is_wine())
    H_SKIP("Wine reports no control data with a truncated datagram");
  expect_dst(&info, BSDSOCK_AF_INET, index);
}

/* ---- receive: TOS / traffic class ---------------------------------------- */

static void tos_case(int family, int tos_level, int tos_name, int recv_name) {
  bsdsock_addr_t rxa, from, txa;
  bsdsock_msginfo_t info;
  int rx = h_udp_bound(family, &rxa), tx = h_udp_bound(family, &txa), rc;
  h_set_int(rx, tos_level, recv_name, 1);
  rc = bsdsock_setsockopt(tx, tos_level, tos_name, &(int){TOS}, sizeof(int));
  if (rc != 0 && h_is_wine()) {
    printf("  setting the sender's %s: %s\n",
           family == BSDSOCK_AF_INET ? "IP_TOS" : "IPV6_TCLASS",
           bsdsock_err_name(rc));
    H_OK(bsdsock_close(tx));
    H_OK(bsdsock_close(rx));
    H_SKIP("Wine cannot set the sender's TOS / traffic class");
  }
  H_OK(rc);
  H_ASSERT_ERR(bsdsock_sendto(tx, "tos", 3, 0, &rxa), 3);
  recv_info(rx, "tos", &info, &from);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
  if (!(info.valid & BSDSOCK_MSGINFO_TOS) && h_is_wine())
    H_SKIP("Wine delivers no %s control message",
           family == BSDSOCK_AF_INET ? "IP_TOS" : "IPV6_TCLASS");
  assert_int_equal(info.valid & BSDSOCK_MSGINFO_TOS, BSDSOCK_MSGINFO_TOS);
  assert_int_equal(info.tos, TOS);
  /* Only what was asked for. */
  assert_int_equal(info.valid & BSDSOCK_MSGINFO_DST, 0);
}

static void test_recvtos_ipv4(void **state) {
  (void)state;
  tos_case(BSDSOCK_AF_INET, BSDSOCK_IPPROTO_IP, BSDSOCK_IP_TOS,
           BSDSOCK_IP_RECVTOS);
}

static void test_recvtclass_ipv6(void **state) {
  (void)state;
  if (!h_have_ipv6()) H_SKIP("IPv6 loopback (::1) is not up on this host");
  tos_case(BSDSOCK_AF_INET6, BSDSOCK_IPPROTO_IPV6, BSDSOCK_IPV6_TCLASS,
           BSDSOCK_IPV6_RECVTCLASS);
}

/* ---- send: source address, interface, TOS -------------------------------- */

/* A socket the system has not bound sends from the chosen source and
 * interface; the receiver sees that source, and (pktinfo on) that
 * destination. */
static void source_case(int family, int level, int name) {
  bsdsock_addr_t rxa, from, lo, mine;
  bsdsock_msginfo_t out, in;
  unsigned index = loopback_index(family);
  int rx = h_udp_bound(family, &rxa), tx = unbound_udp(family);
  long long rc;
  h_set_int(rx, level, name, 1);
  h_loopback(&lo, family);
  memset(&out, 0, sizeof(out));
  out.valid = BSDSOCK_MSGINFO_DST | BSDSOCK_MSGINFO_IFINDEX;
  out.dst = lo;
  out.ifindex = index;
  rc = send_info(tx, &rxa, "src", &out);
  if (rc < 0 && h_is_wine()) {
    printf("  sendmsg with a source address: %s\n",
           bsdsock_err_name((int)rc));
    H_OK(bsdsock_close(tx));
    H_OK(bsdsock_close(rx));
    H_SKIP("Wine refuses a source address in WSASendMsg's control data");
  }
  H_ASSERT_ERR(rc, 3);
  recv_info(rx, "src", &in, &from);
  expect_dst(&in, family, index);
  assert_int_equal(from.family, family);
  if (family == BSDSOCK_AF_INET)
    assert_memory_equal(from.u.ip4, lo.u.ip4, 4);
  else
    assert_memory_equal(from.u.ip6, lo.u.ip6, 16);
  H_OK(bsdsock_getsockname(tx, &mine));
  assert_int_equal(bsdsock_addr_port(&from), bsdsock_addr_port(&mine));
  /* The source alone, and the interface alone, work too. */
  out.valid = BSDSOCK_MSGINFO_DST;
  H_ASSERT_ERR(send_info(tx, &rxa, "src", &out), 3);
  recv_info(rx, "src", &in, &from);
  expect_dst(&in, family, index);
  out.valid = BSDSOCK_MSGINFO_IFINDEX;
  H_ASSERT_ERR(send_info(tx, &rxa, "src", &out), 3);
  recv_info(rx, "src", &in, &from);
  expect_dst(&in, family, index);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

static void test_send_source_ipv4(void **state) {
  (void)state;
  source_case(BSDSOCK_AF_INET, BSDSOCK_IPPROTO_IP, BSDSOCK_IP_PKTINFO);
}

static void test_send_source_ipv6(void **state) {
  (void)state;
  if (!h_have_ipv6()) H_SKIP("IPv6 loopback (::1) is not up on this host");
  source_case(BSDSOCK_AF_INET6, BSDSOCK_IPPROTO_IPV6,
              BSDSOCK_IPV6_RECVPKTINFO);
}

/* One datagram's TOS, given with the datagram. */
static void send_tos_case(int family, int level, int recv_name) {
  bsdsock_addr_t rxa, txa, from;
  bsdsock_msginfo_t out, in;
  int rx = h_udp_bound(family, &rxa), tx = h_udp_bound(family, &txa);
  long long rc;
  h_set_int(rx, level, recv_name, 1);
  memset(&out, 0, sizeof(out));
  out.valid = BSDSOCK_MSGINFO_TOS;
  out.tos = TOS;
  rc = send_info(tx, &rxa, "tos", &out);
  if (rc < 0 && h_is_wine()) {
    printf("  sendmsg with a TOS: %s\n", bsdsock_err_name((int)rc));
    H_OK(bsdsock_close(tx));
    H_OK(bsdsock_close(rx));
    H_SKIP("Wine refuses a TOS in WSASendMsg's control data");
  }
  H_ASSERT_ERR(rc, 3);
  recv_info(rx, "tos", &in, &from);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
  if ((!(in.valid & BSDSOCK_MSGINFO_TOS) || in.tos != TOS) && h_is_wine())
    H_SKIP("Wine sends the datagram without its TOS control message "
           "(received valid %#x tos %#x)", in.valid, (unsigned)in.tos);
  assert_int_equal(in.valid, BSDSOCK_MSGINFO_TOS);
  assert_int_equal(in.tos, TOS);
}

static void test_send_tos_ipv4(void **state) {
  (void)state;
  send_tos_case(BSDSOCK_AF_INET, BSDSOCK_IPPROTO_IP, BSDSOCK_IP_RECVTOS);
}

static void test_send_tclass_ipv6(void **state) {
  (void)state;
  if (!h_have_ipv6()) H_SKIP("IPv6 loopback (::1) is not up on this host");
  send_tos_case(BSDSOCK_AF_INET6, BSDSOCK_IPPROTO_IPV6,
                BSDSOCK_IPV6_RECVTCLASS);
}

/* ---- batches -------------------------------------------------------------- */

/* Each message of a batch has its own info, both ways; messages without
 * info go with them, alone or in runs (which Linux sends and receives as
 * separate batch calls). */
static void test_batch(void **state) {
  enum { N = 7 };
  static const int send_info[N] = {0, 1, 1, 1, 0, 0, 1};
  static const int recv_info[N] = {1, 1, 0, 1, 0, 0, 1};
  bsdsock_addr_t rxa, lo, from[N];
  bsdsock_msginfo_t out, in[N];
  bsdsock_mmsghdr_t mm[N];
  bsdsock_iovec_t iov[N];
  char buf[N][8];
  unsigned index = loopback_index(BSDSOCK_AF_INET);
  int rx = h_udp_bound(BSDSOCK_AF_INET, &rxa), tx = unbound_udp(BSDSOCK_AF_INET);
  int deferred = -1, k, i, got = 0, rounds = 0;
  (void)state;
  h_set_int(rx, BSDSOCK_IPPROTO_IP, BSDSOCK_IP_PKTINFO, 1);
  h_loopback(&lo, BSDSOCK_AF_INET);
  memset(&out, 0, sizeof(out));
  out.valid = BSDSOCK_MSGINFO_DST;
  out.dst = lo;
  memset(mm, 0, sizeof(mm));
  for (i = 0; i < N; i++) {
    iov[i].base = (void *)"batch";
    iov[i].len = 5;
    mm[i].hdr.name = &rxa;
    mm[i].hdr.iov = &iov[i];
    mm[i].hdr.iovlen = 1;
    mm[i].hdr.info = send_info[i] ? &out : NULL;
  }
  k = bsdsock_sendmmsg(tx, mm, N, 0, &deferred);
  if (k < 0 && h_is_wine()) {
    printf("  sendmmsg with a source address: %s\n", bsdsock_err_name(k));
    H_OK(bsdsock_close(tx));
    H_OK(bsdsock_close(rx));
    H_SKIP("Wine refuses a source address in WSASendMsg's control data");
  }
  H_ASSERT_ERR(k, N);
  assert_int_equal(deferred, 0);
  while (got < N) {
    wait_readable(rx);
    memset(mm, 0, sizeof(mm));
    for (i = 0; i < N; i++) {
      iov[i].base = buf[i];
      iov[i].len = sizeof(buf[i]);
      mm[i].hdr.name = &from[i];
      mm[i].hdr.iov = &iov[i];
      mm[i].hdr.iovlen = 1;
      mm[i].hdr.info = recv_info[(got + i) % N] ? &in[i] : NULL;
      memset(&in[i], 0x5a, sizeof(in[i]));
    }
    k = bsdsock_recvmmsg(rx, mm, (size_t)(N - got), 0, &deferred);
    H_OK(k);
    assert_int_equal(deferred, 0);
    for (i = 0; i < k; i++) {
      assert_int_equal(mm[i].len, 5);
      if (mm[i].hdr.info != NULL) expect_dst(&in[i], BSDSOCK_AF_INET, index);
      else assert_int_equal(in[i].valid, 0x5a5a5a5a);  /* untouched */
      assert_memory_equal(from[i].u.ip4, lo.u.ip4, 4);
    }
    got += k;
    assert_true(++rounds <= N);
  }
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

/* A receive with info that must not wait (Windows: an overlapped
 * WSARecvMsg): EAGAIN on an empty socket, the datagram and its info when
 * one is queued. */
static void test_dontwait(void **state) {
  bsdsock_addr_t rxa, from;
  bsdsock_msginfo_t info, out;
  bsdsock_iovec_t iov;
  bsdsock_msghdr_t m;
  char buf[16];
  unsigned index = loopback_index(BSDSOCK_AF_INET);
  int rx = h_udp_bound(BSDSOCK_AF_INET, &rxa), tx = unbound_udp(BSDSOCK_AF_INET);
  (void)state;
  h_set_int(rx, BSDSOCK_IPPROTO_IP, BSDSOCK_IP_PKTINFO, 1);
  memset(&m, 0, sizeof(m));
  iov.base = buf;
  iov.len = sizeof(buf);
  m.name = &from;
  m.iov = &iov;
  m.iovlen = 1;
  m.info = &info;
  H_ASSERT_ERR(bsdsock_recvmsg(rx, &m, BSDSOCK_MSG_DONTWAIT), BSDSOCK_EAGAIN);
  /* Sent without waiting too, from a chosen interface. */
  memset(&out, 0, sizeof(out));
  out.valid = BSDSOCK_MSGINFO_IFINDEX;
  out.ifindex = index;
  iov.base = (void *)"nw";
  iov.len = 2;
  m.name = &rxa;
  m.info = &out;
  H_ASSERT_ERR(bsdsock_sendmsg(tx, &m, BSDSOCK_MSG_DONTWAIT), 2);
  wait_readable(rx);
  iov.base = buf;
  iov.len = sizeof(buf);
  m.name = &from;
  m.info = &info;
  memset(&info, 0x5a, sizeof(info));
  H_ASSERT_ERR(bsdsock_recvmsg(rx, &m, BSDSOCK_MSG_DONTWAIT), 2);
  assert_memory_equal(buf, "nw", 2);
  expect_dst(&info, BSDSOCK_AF_INET, index);
  H_ASSERT_ERR(bsdsock_get_nonblocking(rx), 0);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

/* ---- bad info ----------------------------------------------------------- */

/* Refused before anything is sent: a source of the other family, an
 * address of no IP family, unknown bits, a TOS out of range. */
static void test_bad_info(void **state) {
  bsdsock_addr_t rxa, lo6;
  bsdsock_msginfo_t info;
  bsdsock_mmsghdr_t mm[2];
  bsdsock_iovec_t iov;
  int rx = h_udp_bound(BSDSOCK_AF_INET, &rxa), tx = unbound_udp(BSDSOCK_AF_INET);
  int deferred = -1;
  (void)state;
  h_loopback(&lo6, BSDSOCK_AF_INET6);
  memset(&info, 0, sizeof(info));
  info.valid = BSDSOCK_MSGINFO_DST;
  info.dst = lo6;
  H_ASSERT_ERR(send_info(tx, &rxa, "bad", &info), BSDSOCK_EAFNOSUPPORT);
  info.dst.family = BSDSOCK_AF_UNIX;
  H_ASSERT_ERR(send_info(tx, &rxa, "bad", &info), BSDSOCK_EAFNOSUPPORT);
  info.dst.family = 0;
  H_ASSERT_ERR(send_info(tx, &rxa, "bad", &info), BSDSOCK_EAFNOSUPPORT);
  memset(&info, 0, sizeof(info));
  info.valid = 0x100;
  H_ASSERT_ERR(send_info(tx, &rxa, "bad", &info), BSDSOCK_EINVAL);
  info.valid = BSDSOCK_MSGINFO_TOS;
  info.tos = 256;
  H_ASSERT_ERR(send_info(tx, &rxa, "bad", &info), BSDSOCK_EINVAL);
  info.tos = -1;
  H_ASSERT_ERR(send_info(tx, &rxa, "bad", &info), BSDSOCK_EINVAL);
  /* A batch with one bad message is refused whole. */
  info.tos = 300;
  memset(mm, 0, sizeof(mm));
  iov.base = (void *)"bad";
  iov.len = 3;
  mm[0].hdr.name = mm[1].hdr.name = &rxa;
  mm[0].hdr.iov = mm[1].hdr.iov = &iov;
  mm[0].hdr.iovlen = mm[1].hdr.iovlen = 1;
  mm[1].hdr.info = &info;
  H_ASSERT_ERR(bsdsock_sendmmsg(tx, mm, 2, 0, &deferred), BSDSOCK_EINVAL);
  assert_int_equal(deferred, 0);
  info.valid = BSDSOCK_MSGINFO_DST;
  info.dst = lo6;
  H_ASSERT_ERR(bsdsock_sendmmsg(tx, mm, 2, 0, &deferred),
               BSDSOCK_EAFNOSUPPORT);
  /* Nothing went out; the socket still works. */
  h_sleep_ms(50);
  nothing_queued(rx);
  memset(&info, 0, sizeof(info));
  H_ASSERT_ERR(send_info(tx, &rxa, "ok", &info), 2);
  wait_readable(rx);
  H_ASSERT_ERR(bsdsock_recv(rx, &iov, sizeof(iov), 0), 2);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

/* The descriptor comes first, as for every call. */
static void test_bad_descriptor(void **state) {
  bsdsock_addr_t a;
  bsdsock_msginfo_t info;
  (void)state;
  memset(&info, 0, sizeof(info));
  info.valid = 0x100;
  h_loopback(&a, BSDSOCK_AF_INET);
  H_ASSERT_ERR(send_info(-1, &a, "x", &info), BSDSOCK_EBADF);
  H_ASSERT_ERR(send_info(9999, &a, "x", &info), BSDSOCK_EBADF);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pktinfo_ipv4),
      cmocka_unit_test(test_pktinfo_ipv6),
      cmocka_unit_test(test_option_off),
      cmocka_unit_test(test_stream_socket),
      cmocka_unit_test(test_truncated),
      cmocka_unit_test(test_recvtos_ipv4),
      cmocka_unit_test(test_recvtclass_ipv6),
      cmocka_unit_test(test_send_source_ipv4),
      cmocka_unit_test(test_send_source_ipv6),
      cmocka_unit_test(test_send_tos_ipv4),
      cmocka_unit_test(test_send_tclass_ipv6),
      cmocka_unit_test(test_batch),
      cmocka_unit_test(test_dontwait),
      cmocka_unit_test(test_bad_info),
      cmocka_unit_test(test_bad_descriptor),
  };
  return H_RUN("pktinfo", tests);
}
