/* SPDX-License-Identifier: MIT */
/*
 * test_msg.c - scatter/gather (sendmsg/recvmsg) and batched datagrams
 * (sendmmsg/recvmmsg): content and order over TCP and UDP, the portable
 * truncation flag, batches of 1 to 100 (across the POSIX backend's chunk
 * of 64) and of mixed sizes and destinations (Linux coalesces runs into
 * segmented sends), partial batches whose error is deferred rather than lost, the
 * "wait for the first datagram only" rule, and bad input that changes
 * nothing.
 */
#include "harness.h"

#define WAIT_MS 5000  /* bound for every wait on the network */
#define DGRAM 64      /* datagram size of the batch tests */

/* ---- helpers ------------------------------------------------------------ */

static bsdsock_msghdr_t msg_of(bsdsock_addr_t *name, bsdsock_iovec_t *iov,
                               size_t iovlen) {
  bsdsock_msghdr_t m;
  memset(&m, 0, sizeof(m));
  m.name = name;
  m.iov = iov;
  m.iovlen = iovlen;
  m.flags = 0x7777;  /* output only: must be overwritten by a receive */
  return m;
}

static int udp_pair(int *tx, int *rx, bsdsock_addr_t *tx_addr,
                    bsdsock_addr_t *rx_addr) {
  *tx = h_udp_bound(BSDSOCK_AF_INET, tx_addr);
  *rx = h_udp_bound(BSDSOCK_AF_INET, rx_addr);
  return 0;
}

static void same_addr(const bsdsock_addr_t *a, const bsdsock_addr_t *b) {
  assert_int_equal(a->family, b->family);
  assert_int_equal(a->port, b->port);
  assert_memory_equal(a->u.ip4, b->u.ip4, 4);
}

/* Asserts that nothing more is queued on a UDP socket. */
static void nothing_queued(int fd) {
  char c;
  H_ASSERT_ERR(bsdsock_recv(fd, &c, 1, BSDSOCK_MSG_DONTWAIT), BSDSOCK_EAGAIN);
}

/* The content of datagram i of a batch: a recognisable byte pattern. */
static void fill(unsigned char *p, size_t len, size_t i) {
  size_t j;
  for (j = 0; j < len; j++) p[j] = (unsigned char)(i * 31u + j * 7u + 1u);
}

/* Receives exactly len bytes of a stream into the gather list iov[0..n-1]
 * with as many recvmsg calls as it takes (bounded), advancing the list. */
static void recv_stream_all(int fd, bsdsock_iovec_t *iov, size_t n,
                            size_t len) {
  size_t got = 0;
  int rounds = 0;
  while (got < len) {
    bsdsock_msghdr_t m = msg_of(NULL, iov, n);
    bsdsock_ssize_t r = bsdsock_recvmsg(fd, &m, 0);
    H_OK(r);
    assert_true(r > 0);
    got += (size_t)r;
    while (r > 0 && n > 0) { /* drop what was filled */
      size_t take = (size_t)r < iov->len ? (size_t)r : iov->len;
      iov->base = (char *)iov->base + take;
      iov->len -= take;
      r -= (bsdsock_ssize_t)take;
      if (iov->len == 0) {
        iov++;
        n--;
      }
    }
    assert_true(++rounds < 100);
  }
  assert_int_equal(got, len);
}

/* ---- scatter/gather ------------------------------------------------------- */

/* Three buffers out, three differently sized buffers in, over TCP: the
 * bytes arrive in order across the buffer boundaries. */
static void test_tcp_scatter_gather(void **state) {
  static const char want[] = "abcdefghij";
  char a[] = "abc", b[] = "defgh", c[] = "ij";
  char r1[4], r2[3], r3[10];
  bsdsock_iovec_t out[3], in[3];
  bsdsock_msghdr_t m;
  bsdsock_addr_t name;
  int cl, sv;
  (void)state;
  h_tcp_pair(BSDSOCK_AF_INET, &cl, &sv);
  out[0].base = a; out[0].len = 3;
  out[1].base = b; out[1].len = 5;
  out[2].base = c; out[2].len = 2;
  m = msg_of(NULL, out, 3);
  H_ASSERT_ERR(bsdsock_sendmsg(cl, &m, 0), 10);

  memset(r1, 0, sizeof(r1));
  memset(r2, 0, sizeof(r2));
  memset(r3, 0, sizeof(r3));
  in[0].base = r1; in[0].len = sizeof(r1);
  in[1].base = r2; in[1].len = sizeof(r2);
  in[2].base = r3; in[2].len = sizeof(r3);
  recv_stream_all(sv, in, 3, 10);
  assert_memory_equal(r1, want, 4);
  assert_memory_equal(r2, want + 4, 3);
  assert_memory_equal(r3, want + 7, 3);

  /* A stream has no sender address: the name comes back zeroed. */
  H_ASSERT_ERR(bsdsock_send(cl, "x", 1, 0), 1);
  memset(&name, 0xAB, sizeof(name));
  in[0].base = r1; in[0].len = sizeof(r1);
  m = msg_of(&name, in, 1);
  H_ASSERT_ERR(bsdsock_recvmsg(sv, &m, 0), 1);
  assert_int_equal(r1[0], 'x');
  assert_int_equal(m.flags, 0);
  assert_int_equal(name.family, BSDSOCK_AF_UNSPEC);

  /* End of stream reads as 0. */
  H_OK(bsdsock_shutdown(cl, BSDSOCK_SHUT_WR));
  m = msg_of(NULL, in, 1);
  H_ASSERT_ERR(bsdsock_recvmsg(sv, &m, 0), 0);
  H_OK(bsdsock_close(cl));
  H_OK(bsdsock_close(sv));
}

/* Over UDP: one datagram from three buffers, gathered into three, with
 * the sender's address and no truncation. */
static void test_udp_scatter_gather(void **state) {
  char a[] = "0123", b[] = "456789", c[] = "AB";
  char r1[5], r2[5], r3[10];
  bsdsock_iovec_t out[3], in[3];
  bsdsock_addr_t txa, rxa, from;
  bsdsock_msghdr_t m;
  int tx, rx;
  (void)state;
  udp_pair(&tx, &rx, &txa, &rxa);
  out[0].base = a; out[0].len = 4;
  out[1].base = b; out[1].len = 6;
  out[2].base = c; out[2].len = 2;
  m = msg_of(&rxa, out, 3);
  H_ASSERT_ERR(bsdsock_sendmsg(tx, &m, 0), 12);

  memset(r3, '.', sizeof(r3));
  in[0].base = r1; in[0].len = sizeof(r1);
  in[1].base = r2; in[1].len = sizeof(r2);
  in[2].base = r3; in[2].len = sizeof(r3);
  memset(&from, 0, sizeof(from));
  m = msg_of(&from, in, 3);
  H_ASSERT_ERR(bsdsock_recvmsg(rx, &m, 0), 12);
  assert_int_equal(m.flags, 0);
  assert_memory_equal(r1, "01234", 5);
  assert_memory_equal(r2, "56789", 5);
  assert_memory_equal(r3, "AB........", 10);
  same_addr(&from, &txa);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

/* More buffers than the Windows backend converts on its stack, up to the
 * portable maximum: one byte per buffer, in order. */
static void test_many_buffers(void **state) {
  static bsdsock_iovec_t out[BSDSOCK_IOV_MAX], in[BSDSOCK_IOV_MAX];
  static unsigned char src[BSDSOCK_IOV_MAX], dst[BSDSOCK_IOV_MAX];
  static const size_t counts[] = {65, BSDSOCK_IOV_MAX};
  bsdsock_addr_t txa, rxa;
  bsdsock_msghdr_t m;
  size_t k, i;
  int tx, rx;
  (void)state;
  udp_pair(&tx, &rx, &txa, &rxa);
  fill(src, sizeof(src), 3);
  for (k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
    size_t n = counts[k];
    for (i = 0; i < n; i++) {
      out[i].base = &src[i];
      out[i].len = 1;
      in[i].base = &dst[n - 1 - i];  /* gathered back to front */
      in[i].len = 1;
    }
    memset(dst, 0, sizeof(dst));
    m = msg_of(&rxa, out, n);
    H_ASSERT_ERR(bsdsock_sendmsg(tx, &m, 0), n);
    m = msg_of(NULL, in, n);
    H_ASSERT_ERR(bsdsock_recvmsg(rx, &m, 0), n);
    assert_int_equal(m.flags, 0);
    for (i = 0; i < n; i++) assert_int_equal(dst[n - 1 - i], src[i]);
  }
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

/* A datagram longer than the buffers: they are filled, the rest is
 * dropped, and BSDSOCK_MSG_TRUNC says so on both backends (Winsock's
 * WSAEMSGSIZE failure becomes the flag). The next datagram is whole. */
static void test_udp_truncation(void **state) {
  unsigned char big[100], r1[10], r2[10];
  bsdsock_iovec_t in[2];
  bsdsock_addr_t txa, rxa, from;
  bsdsock_msghdr_t m;
  int tx, rx;
  (void)state;
  udp_pair(&tx, &rx, &txa, &rxa);
  fill(big, sizeof(big), 9);
  H_ASSERT_ERR(bsdsock_sendto(tx, big, sizeof(big), 0, &rxa), 100);
  H_ASSERT_ERR(bsdsock_sendto(tx, big, 15, 0, &rxa), 15);

  in[0].base = r1; in[0].len = sizeof(r1);
  in[1].base = r2; in[1].len = sizeof(r2);
  memset(&from, 0, sizeof(from));
  m = msg_of(&from, in, 2);
  H_ASSERT_ERR(bsdsock_recvmsg(rx, &m, 0), 20);
  assert_int_equal(m.flags, BSDSOCK_MSG_TRUNC);
  assert_memory_equal(r1, big, 10);
  assert_memory_equal(r2, big + 10, 10);
  same_addr(&from, &txa);

  m = msg_of(&from, in, 2);
  H_ASSERT_ERR(bsdsock_recvmsg(rx, &m, 0), 15);
  assert_int_equal(m.flags, 0);
  assert_memory_equal(r2, big + 10, 5);
  nothing_queued(rx);

  /* Truncation inside a batch is reported per message. */
  {
    bsdsock_mmsghdr_t mm[2];
    bsdsock_iovec_t one[2];
    unsigned char s1[4], s2[200];
    int deferred = 99;
    H_ASSERT_ERR(bsdsock_sendto(tx, big, 50, 0, &rxa), 50);
    H_ASSERT_ERR(bsdsock_sendto(tx, big, 60, 0, &rxa), 60);
    one[0].base = s1; one[0].len = sizeof(s1);
    one[1].base = s2; one[1].len = sizeof(s2);
    mm[0].hdr = msg_of(NULL, &one[0], 1);
    mm[1].hdr = msg_of(NULL, &one[1], 1);
    H_ASSERT_ERR(bsdsock_recvmmsg(rx, mm, 2, 0, &deferred), 2);
    assert_int_equal(deferred, 0);
    assert_int_equal(mm[0].len, 4);
    assert_int_equal(mm[0].hdr.flags, BSDSOCK_MSG_TRUNC);
    assert_int_equal(mm[1].len, 60);
    assert_int_equal(mm[1].hdr.flags, 0);
  }
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

/* iovlen 0 is an empty message: sendmsg sends an empty datagram, and
 * recvmsg with no buffers takes one datagram, reporting truncation if it
 * had bytes. */
static void test_empty_iov(void **state) {
  bsdsock_addr_t txa, rxa;
  bsdsock_msghdr_t m;
  char buf[8];
  int tx, rx;
  (void)state;
  udp_pair(&tx, &rx, &txa, &rxa);
  m = msg_of(&rxa, NULL, 0);
  H_ASSERT_ERR(bsdsock_sendmsg(tx, &m, 0), 0);
  H_ASSERT_ERR(bsdsock_recv(rx, buf, sizeof(buf), 0), 0);

  H_ASSERT_ERR(bsdsock_sendto(tx, "hello", 5, 0, &rxa), 5);
  m = msg_of(NULL, NULL, 0);
  H_ASSERT_ERR(bsdsock_recvmsg(rx, &m, 0), 0);
  assert_int_equal(m.flags, BSDSOCK_MSG_TRUNC);
  nothing_queued(rx);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

/* BSDSOCK_MSG_DONTWAIT on a blocking socket (emulated on Winsock). */
static void test_dontwait(void **state) {
  bsdsock_addr_t txa, rxa;
  bsdsock_msghdr_t m;
  bsdsock_iovec_t io;
  bsdsock_mmsghdr_t mm;
  char buf[8];
  int tx, rx, deferred = 99;
  (void)state;
  udp_pair(&tx, &rx, &txa, &rxa);
  io.base = buf;
  io.len = sizeof(buf);
  m = msg_of(NULL, &io, 1);
  H_ASSERT_ERR(bsdsock_recvmsg(rx, &m, BSDSOCK_MSG_DONTWAIT), BSDSOCK_EAGAIN);
  mm.hdr = msg_of(NULL, &io, 1);
  H_ASSERT_ERR(bsdsock_recvmmsg(rx, &mm, 1, BSDSOCK_MSG_DONTWAIT, &deferred),
               BSDSOCK_EAGAIN);
  assert_int_equal(deferred, 0);
  /* The socket is still blocking afterwards. */
  assert_int_equal(bsdsock_get_nonblocking(rx), 0);
  H_ASSERT_ERR(bsdsock_sendto(tx, "abc", 3, 0, &rxa), 3);
  H_ASSERT_ERR(bsdsock_recvmsg(rx, &m, BSDSOCK_MSG_DONTWAIT), 3);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

/* ---- batches ------------------------------------------------------------- */

#define MAXBATCH 100

struct batch {
  bsdsock_mmsghdr_t m[MAXBATCH];
  bsdsock_iovec_t iov[MAXBATCH][2];
  unsigned char data[MAXBATCH][DGRAM];
  bsdsock_addr_t from[MAXBATCH];
};

/* Sets up n outgoing datagrams of DGRAM bytes, each from two buffers (a
 * 10-byte head and the rest), addressed to `to` (NULL: connected). With
 * shared, every message points at the same address object. */
static void batch_out(struct batch *b, size_t n, bsdsock_addr_t *to,
                      int shared) {
  static bsdsock_addr_t copies[MAXBATCH];
  size_t i;
  for (i = 0; i < n; i++) {
    fill(b->data[i], DGRAM, i);
    b->iov[i][0].base = b->data[i];
    b->iov[i][0].len = 10;
    b->iov[i][1].base = b->data[i] + 10;
    b->iov[i][1].len = DGRAM - 10;
    if (to != NULL && !shared) copies[i] = *to;
    b->m[i].hdr = msg_of(to == NULL ? NULL : shared ? to : &copies[i],
                         b->iov[i], 2);
    b->m[i].len = 12345;
  }
}

/* Sets up n receive slots of DGRAM + 8 bytes each. */
static void batch_in(struct batch *b, size_t n) {
  size_t i;
  memset(b->data, 0, sizeof(b->data));
  memset(b->from, 0, sizeof(b->from));
  for (i = 0; i < n; i++) {
    b->iov[i][0].base = b->data[i];
    b->iov[i][0].len = DGRAM;
    b->m[i].hdr = msg_of(&b->from[i], b->iov[i], 1);
    b->m[i].len = 12345;
  }
}

/* Receives n datagrams with recvmmsg (as many calls as it takes, bounded)
 * and checks their order, content, length, flags and sender. */
static void batch_receive_check(int rx, size_t n, const bsdsock_addr_t *sender,
                                size_t first) {
  static struct batch in;
  size_t got = 0, i;
  int rounds = 0;
  batch_in(&in, n);
  while (got < n) {
    int deferred = 99;
    int k = bsdsock_recvmmsg(rx, in.m + got, n - got, 0, &deferred);
    H_OK(k);
    assert_true(k >= 1);
    assert_int_equal(deferred, 0);
    got += (size_t)k;
    assert_true(++rounds < 50);
  }
  for (i = 0; i < n; i++) {
    unsigned char want[DGRAM];
    fill(want, DGRAM, first + i);
    assert_int_equal(in.m[i].len, DGRAM);
    assert_int_equal(in.m[i].hdr.flags, 0);
    assert_memory_equal(in.data[i], want, DGRAM);
    same_addr(&in.from[i], sender);
  }
}

static void run_batch(size_t n) {
  static struct batch out;
  static const int modes[] = {0, 1, 2};  /* per-message, shared, connected */
  bsdsock_addr_t txa, rxa;
  size_t k, i;
  int tx, rx;
  udp_pair(&tx, &rx, &txa, &rxa);
  for (k = 0; k < sizeof(modes) / sizeof(modes[0]); k++) {
    int deferred = 99;
    if (modes[k] == 2) H_OK(bsdsock_connect(tx, &rxa));
    batch_out(&out, n, modes[k] == 2 ? NULL : &rxa, modes[k] == 1);
    H_ASSERT_ERR(bsdsock_sendmmsg(tx, out.m, n, 0, &deferred), n);
    assert_int_equal(deferred, 0);
    for (i = 0; i < n; i++) assert_int_equal(out.m[i].len, DGRAM);
    batch_receive_check(rx, n, &txa, 0);
    nothing_queued(rx);
  }
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

static void test_batch_1(void **state) {
  (void)state;
  run_batch(1);
}

static void test_batch_8(void **state) {
  (void)state;
  run_batch(8);
}

static void test_batch_32(void **state) {
  (void)state;
  run_batch(32);
}

/* Above the POSIX backend's chunk of 64 messages per system call. */
static void test_batch_100(void **state) {
  (void)state;
  run_batch(MAXBATCH);
}

/* Sends one batch of datagrams of the given sizes (pattern fill(i)) to
 * the given destinations, and checks that it all went. */
static void send_sizes(int tx, const size_t *sizes, size_t n,
                       bsdsock_addr_t *const *to) {
  static unsigned char data[MAXBATCH][1500];
  static bsdsock_iovec_t iov[MAXBATCH][2];
  static bsdsock_mmsghdr_t m[MAXBATCH];
  size_t i;
  int deferred = 99;
  for (i = 0; i < n; i++) {
    size_t head = sizes[i] / 3;  /* two buffers per datagram */
    fill(data[i], sizes[i], i);
    iov[i][0].base = data[i];
    iov[i][0].len = head;
    iov[i][1].base = data[i] + head;
    iov[i][1].len = sizes[i] - head;
    m[i].hdr = msg_of(to[i], iov[i], 2);
    m[i].len = 12345;
  }
  H_ASSERT_ERR(bsdsock_sendmmsg(tx, m, n, 0, &deferred), n);
  assert_int_equal(deferred, 0);
  for (i = 0; i < n; i++) assert_int_equal(m[i].len, sizes[i]);
}

/* Receives n datagrams and checks each one's size and content: datagram
 * k must be the one sent as number index[k] of the batch. */
static void recv_sizes(int rx, const size_t *sizes, const size_t *index,
                       size_t n) {
  static unsigned char data[MAXBATCH][2000];
  static bsdsock_iovec_t iov[MAXBATCH];
  static bsdsock_mmsghdr_t m[MAXBATCH];
  size_t got = 0, k;
  int rounds = 0;
  for (k = 0; k < n; k++) {
    iov[k].base = data[k];
    iov[k].len = sizeof(data[k]);
    m[k].hdr = msg_of(NULL, &iov[k], 1);
  }
  while (got < n) {
    int r = bsdsock_recvmmsg(rx, m + got, n - got, 0, NULL);
    H_OK(r);
    got += (size_t)r;
    assert_true(++rounds < 50);
  }
  for (k = 0; k < n; k++) {
    unsigned char want[1500];
    size_t i = index ? index[k] : k;
    fill(want, sizes[i], i);
    assert_int_equal(m[k].hdr.flags, 0);
    assert_int_equal(m[k].len, sizes[i]);
    assert_memory_equal(data[k], want, sizes[i]);
  }
  nothing_queued(rx);
}

/* Datagram boundaries survive every batch shape, whichever way the
 * backend sends it (Linux coalesces runs of equal datagrams to one
 * destination into one segmented send): shorter datagrams inside and at
 * the end of runs, a longer one after shorter ones, runs cut by the 64 KiB
 * datagram limit. */
static void test_batch_mixed_sizes(void **state) {
  static const size_t sizes[] = {64, 64, 64, 10, 64, 64, 64, 30, 100, 64, 1,
                                 1, 1, 1400, 1400, 1400, 200, 7};
  static size_t big[64];
  bsdsock_addr_t *to[MAXBATCH];
  bsdsock_addr_t txa, rxa;
  size_t i, n = sizeof(sizes) / sizeof(sizes[0]);
  int tx, rx, big_rcvbuf = 1 << 20;
  (void)state;
  udp_pair(&tx, &rx, &txa, &rxa);
  bsdsock_setsockopt(rx, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_RCVBUF, &big_rcvbuf,
                     sizeof(big_rcvbuf));
  for (i = 0; i < MAXBATCH; i++) to[i] = &rxa;
  send_sizes(tx, sizes, n, to);
  recv_sizes(rx, sizes, NULL, n);
  /* 64 x 1100 bytes is more than one datagram's 65,507 can carry. */
  for (i = 0; i < 64; i++) big[i] = 1100;
  send_sizes(tx, big, 64, to);
  recv_sizes(rx, big, NULL, 64);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

/* Equal datagrams to alternating destinations: each gets its own, in
 * order (a coalesced send must never merge two destinations). In pairs
 * (the second of each b pair a copy of the address), then one by one for
 * more than the POSIX backend's 64 messages per system call. */
static void test_batch_two_destinations(void **state) {
  static size_t sizes[MAXBATCH], to_a[MAXBATCH], to_b[MAXBATCH];
  bsdsock_addr_t *to[MAXBATCH];
  bsdsock_addr_t txa, a_addr, b_addr, b_copy;
  int tx, a, b, pass;
  size_t i, na, nb;
  (void)state;
  tx = h_udp_bound(BSDSOCK_AF_INET, &txa);
  a = h_udp_bound(BSDSOCK_AF_INET, &a_addr);
  b = h_udp_bound(BSDSOCK_AF_INET, &b_addr);
  b_copy = b_addr;
  for (pass = 0; pass < 2; pass++) {
    size_t n = pass == 0 ? 8 : MAXBATCH;
    for (i = na = nb = 0; i < n; i++) {
      /* pass 0: a, a, b, b', a, a, b, b'; pass 1: a, b, a, b, ... */
      int to_b_side = pass == 0 ? (i & 2) != 0 : (i & 1) != 0;
      sizes[i] = 64;
      to[i] = !to_b_side ? &a_addr : (i & 1) ? &b_copy : &b_addr;
      if (to_b_side) to_b[nb++] = i;
      else to_a[na++] = i;
    }
    send_sizes(tx, sizes, n, to);
    recv_sizes(a, sizes, to_a, na);
    recv_sizes(b, sizes, to_b, nb);
  }
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(a));
  H_OK(bsdsock_close(b));
}

/* A datagram socket of another family (AF_UNIX): the batch keeps its
 * datagrams apart there too. */
static void test_batch_unix_dgram(void **state) {
  static const size_t sizes[] = {50, 50, 50, 50, 20};
  static const char path[] = "test_msg_unix_dgram.sock";
  bsdsock_addr_t *to[5], addr;
  size_t i;
  int tx, rx;
  (void)state;
  rx = bsdsock_socket(BSDSOCK_AF_UNIX, BSDSOCK_SOCK_DGRAM, 0);
  if (rx < 0)
    H_SKIP("no AF_UNIX datagram sockets here (%s)", bsdsock_err_name(rx));
  remove(path);
  H_OK(bsdsock_addr_unix(&addr, path));
  H_OK(bsdsock_bind(rx, &addr));
  h_io_timeout(rx, WAIT_MS);
  tx = bsdsock_socket(BSDSOCK_AF_UNIX, BSDSOCK_SOCK_DGRAM, 0);
  H_OK(tx);
  for (i = 0; i < 5; i++) to[i] = &addr;
  send_sizes(tx, sizes, 5, to);
  recv_sizes(rx, sizes, NULL, 5);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
  remove(path);
}

/* recvmmsg waits for the first datagram only, then takes what is queued:
 * 3 queued and room for 8 gives 3 at once (not after the receive
 * timeout), and running out is not an error. With nothing queued a
 * non-blocking socket says EAGAIN. */
static void test_recvmmsg_takes_what_is_queued(void **state) {
  static struct batch out, in;
  bsdsock_addr_t txa, rxa;
  uint64_t t0;
  int tx, rx, deferred = 99, pass;
  (void)state;
  udp_pair(&tx, &rx, &txa, &rxa);
  h_io_timeout(rx, 3000);
  for (pass = 0; pass < 2; pass++) {  /* blocking, then non-blocking */
    batch_out(&out, 3, &rxa, 1);
    H_ASSERT_ERR(bsdsock_sendmmsg(tx, out.m, 3, 0, NULL), 3);
    batch_in(&in, 8);
    t0 = h_now_ms();
    H_ASSERT_ERR(bsdsock_recvmmsg(rx, in.m, 8, 0, &deferred), 3);
    assert_true(h_now_ms() - t0 < 2500);  /* did not wait for 8 */
    assert_int_equal(deferred, 0);
    assert_int_equal(in.m[2].len, DGRAM);
    assert_int_equal(in.m[3].len, 12345);  /* slots not used are untouched */
    H_OK(bsdsock_set_nonblocking(rx, 1));
  }
  deferred = 99;
  H_ASSERT_ERR(bsdsock_recvmmsg(rx, in.m, 8, 0, &deferred), BSDSOCK_EAGAIN);
  assert_int_equal(deferred, 0);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

/* A batch whose second message is a datagram no IPv4 packet can carry:
 * the first is sent, the count is 1 and the error of the second comes back
 * in *deferred, and the third is not sent. If the bad message is the
 * first, the call fails with its error and nothing is sent. */
static void test_partial_batch_deferred_error(void **state) {
  static unsigned char big[70000];
  static struct batch out;
  bsdsock_iovec_t bigv;
  bsdsock_addr_t txa, rxa;
  int tx, rx, deferred = 99;
  (void)state;
  udp_pair(&tx, &rx, &txa, &rxa);
  bigv.base = big;
  bigv.len = sizeof(big);

  batch_out(&out, 3, &rxa, 1);
  out.m[1].hdr.iov = &bigv;
  out.m[1].hdr.iovlen = 1;
  H_ASSERT_ERR(bsdsock_sendmmsg(tx, out.m, 3, 0, &deferred), 1);
  H_ASSERT_ERR(deferred, BSDSOCK_EMSGSIZE);
  assert_int_equal(out.m[0].len, DGRAM);
  assert_int_equal(out.m[1].len, 12345);
  assert_int_equal(out.m[2].len, 12345);
  batch_receive_check(rx, 1, &txa, 0);
  nothing_queued(rx);

  /* The error is the same with no *deferred to store it in. */
  batch_out(&out, 3, &rxa, 1);
  out.m[1].hdr.iov = &bigv;
  out.m[1].hdr.iovlen = 1;
  H_ASSERT_ERR(bsdsock_sendmmsg(tx, out.m, 3, 0, NULL), 1);
  batch_receive_check(rx, 1, &txa, 0);

  batch_out(&out, 2, &rxa, 1);
  out.m[0].hdr.iov = &bigv;
  out.m[0].hdr.iovlen = 1;
  deferred = 99;
  H_ASSERT_ERR(bsdsock_sendmmsg(tx, out.m, 2, 0, &deferred), BSDSOCK_EMSGSIZE);
  assert_int_equal(deferred, 0);
  nothing_queued(rx);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

/* A message to an address of another family fails when its turn comes;
 * the deferred error is exactly what that message gives when sent alone. */
static void test_partial_batch_wrong_family(void **state) {
  static struct batch out;
  bsdsock_addr_t txa, rxa, v6;
  bsdsock_msghdr_t alone;
  int tx, rx, deferred = 99;
  bsdsock_ssize_t want;
  (void)state;
  udp_pair(&tx, &rx, &txa, &rxa);
  h_loopback(&v6, BSDSOCK_AF_INET6);
  v6.port = rxa.port;
  batch_out(&out, 3, &rxa, 0);
  alone = out.m[1].hdr;
  alone.name = &v6;
  want = bsdsock_sendmsg(tx, &alone, 0);
  assert_true(want < 0);
  out.m[1].hdr.name = &v6;
  H_ASSERT_ERR(bsdsock_sendmmsg(tx, out.m, 3, 0, &deferred), 1);
  H_ASSERT_ERR(deferred, want);
  batch_receive_check(rx, 1, &txa, 0);
  nothing_queued(rx);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

/* ---- bad input -------------------------------------------------------------- */

static void test_bad_input(void **state) {
  static struct batch out;
  static bsdsock_iovec_t many[BSDSOCK_IOV_MAX + 1];
  bsdsock_addr_t txa, rxa;
  bsdsock_msghdr_t m;
  bsdsock_iovec_t io;
  char buf[8];
  int tx, rx, deferred = 99;
  (void)state;
  udp_pair(&tx, &rx, &txa, &rxa);
  io.base = buf;
  io.len = sizeof(buf);

  H_ASSERT_ERR(bsdsock_sendmsg(tx, NULL, 0), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_recvmsg(rx, NULL, 0), BSDSOCK_EINVAL);
  m = msg_of(&rxa, NULL, 1);  /* NULL list with a count */
  H_ASSERT_ERR(bsdsock_sendmsg(tx, &m, 0), BSDSOCK_EINVAL);
  io.base = NULL;  /* NULL buffer with a length */
  m = msg_of(&rxa, &io, 1);
  H_ASSERT_ERR(bsdsock_sendmsg(tx, &m, 0), BSDSOCK_EINVAL);
  io.base = buf;
  m = msg_of(&rxa, many, BSDSOCK_IOV_MAX + 1);
  H_ASSERT_ERR(bsdsock_sendmsg(tx, &m, 0), BSDSOCK_EMSGSIZE);
  m = msg_of(&rxa, &io, 1);
  H_ASSERT_ERR(bsdsock_sendmsg(tx, &m, 0x40000000), BSDSOCK_EINVAL);
  nothing_queued(rx);

  /* A receive with bad buffers leaves the datagram queued. */
  H_ASSERT_ERR(bsdsock_sendto(tx, "abc", 3, 0, &rxa), 3);
  io.base = NULL;
  m = msg_of(NULL, &io, 1);
  H_ASSERT_ERR(bsdsock_recvmsg(rx, &m, 0), BSDSOCK_EINVAL);
  assert_int_equal(m.flags, 0x7777);
  m = msg_of(NULL, many, BSDSOCK_IOV_MAX + 1);
  H_ASSERT_ERR(bsdsock_recvmsg(rx, &m, 0), BSDSOCK_EMSGSIZE);
  io.base = buf;
  m = msg_of(NULL, &io, 1);
  H_ASSERT_ERR(bsdsock_recvmsg(rx, &m, 0), 3);

  /* Batches: empty, NULL, and a malformed message anywhere rejects the
   * whole batch before anything is sent (*deferred is still written). */
  H_ASSERT_ERR(bsdsock_sendmmsg(tx, NULL, 0, 0, &deferred), 0);
  assert_int_equal(deferred, 0);
  H_ASSERT_ERR(bsdsock_recvmmsg(rx, NULL, 0, 0, NULL), 0);
  deferred = 99;
  H_ASSERT_ERR(bsdsock_sendmmsg(tx, NULL, 1, 0, &deferred), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_recvmmsg(rx, NULL, 1, 0, &deferred), BSDSOCK_EINVAL);
  batch_out(&out, 4, &rxa, 1);
  out.m[2].hdr.iovlen = BSDSOCK_IOV_MAX + 1;
  H_ASSERT_ERR(bsdsock_sendmmsg(tx, out.m, 4, 0, &deferred), BSDSOCK_EMSGSIZE);
  out.m[2].hdr.iovlen = 2;
  out.m[2].hdr.iov = NULL;
  deferred = 99;
  H_ASSERT_ERR(bsdsock_sendmmsg(tx, out.m, 4, 0, &deferred), BSDSOCK_EINVAL);
  assert_int_equal(deferred, 0);
  assert_int_equal(out.m[0].len, 12345);
  nothing_queued(rx);
  H_ASSERT_ERR(bsdsock_sendmmsg(tx, out.m, 1, 0x40000000, &deferred),
               BSDSOCK_EINVAL);
  nothing_queued(rx);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

/* Descriptors that are not open sockets: EBADF from every call, also for
 * an empty batch. */
static void test_bad_descriptor(void **state) {
  static struct batch out;
  bsdsock_addr_t txa, rxa;
  bsdsock_msghdr_t m;
  bsdsock_iovec_t io;
  char buf[8];
  int tx, rx, closed, deferred = 99;
  (void)state;
  udp_pair(&tx, &rx, &txa, &rxa);
  closed = rx;
  H_OK(bsdsock_close(rx));
  io.base = buf;
  io.len = sizeof(buf);
  m = msg_of(&txa, &io, 1);
  H_ASSERT_ERR(bsdsock_sendmsg(closed, &m, 0), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_recvmsg(closed, &m, 0), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_sendmsg(-1, &m, 0), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_recvmsg(-1, &m, 0), BSDSOCK_EBADF);
  batch_out(&out, 2, &txa, 1);
  H_ASSERT_ERR(bsdsock_sendmmsg(closed, out.m, 2, 0, &deferred),
               BSDSOCK_EBADF);
  assert_int_equal(deferred, 0);
  H_ASSERT_ERR(bsdsock_recvmmsg(closed, out.m, 2, 0, &deferred),
               BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_sendmmsg(closed, out.m, 0, 0, NULL), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_recvmmsg(-1, out.m, 0, 0, NULL), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_sendmmsg(tx, out.m, 0, 0, NULL), 0);
  H_OK(bsdsock_close(tx));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tcp_scatter_gather),
      cmocka_unit_test(test_udp_scatter_gather),
      cmocka_unit_test(test_many_buffers),
      cmocka_unit_test(test_udp_truncation),
      cmocka_unit_test(test_empty_iov),
      cmocka_unit_test(test_dontwait),
      cmocka_unit_test(test_batch_1),
      cmocka_unit_test(test_batch_8),
      cmocka_unit_test(test_batch_32),
      cmocka_unit_test(test_batch_100),
      cmocka_unit_test(test_batch_mixed_sizes),
      cmocka_unit_test(test_batch_two_destinations),
      cmocka_unit_test(test_batch_unix_dgram),
      cmocka_unit_test(test_recvmmsg_takes_what_is_queued),
      cmocka_unit_test(test_partial_batch_deferred_error),
      cmocka_unit_test(test_partial_batch_wrong_family),
      cmocka_unit_test(test_bad_input),
      cmocka_unit_test(test_bad_descriptor),
  };
  return H_RUN("msg", tests);
}
