/* SPDX-License-Identifier: MIT */
/*
 * test_faults.c - every failure path behind the fault-injection seam
 * (src/fault.h): for each OS call bsdsock makes, a scenario through the
 * public API that reaches it, run three times:
 *
 *  1. unarmed, to check that the scenario really crosses the seam on this
 *     backend (a seam a backend never crosses is skipped, with the reason;
 *     a seam of the shared layer must be crossed on every backend);
 *  2. armed with a realistic native error: the public call must return the
 *     documented portable code (the translation of the native one, or
 *     bsdsock's own ENOMEM / EAI_MEMORY for memory), with the native code
 *     kept for bsdsock_last_native_error() - or, where the library is
 *     designed to absorb the fault, it must still succeed; and nothing may
 *     leak: not a bsdsock descriptor (the lowest free number), not (on
 *     Windows) a C runtime descriptor, not an OS socket or handle (the
 *     count of those open, which also sees a SOCKET that never got a
 *     number), and not memory (ASan, in the linux-asan preset);
 *  3. unarmed again: the library works as before.
 *
 * Then the EINTR policy through the seam (an interrupted call is retried,
 * BSDSOCK_EINTR is never returned), the seam's after/count arithmetic, and
 * a check that every seam id has a row here, so that a new seam without a
 * test fails this suite.
 */
#include "harness.h"
#include "internal.h"
#include "bsdsock/compat_bsd.h" /* pipe() and poll() of the drop-in layer */

#include <errno.h>

#define WAIT_MS 5000 /* bound for every wait on the network */
#define MANY 65      /* entries/buffers beyond the 64 kept on the stack */
/* The first Windows socket number beyond the C runtime's table
 * (BSDSOCK__FD_OVERFLOW, src/win32/fdtable.c). */
#define OVERFLOW 8192

/* ---- the armed call ------------------------------------------------------ */

/* One run of a scenario: what to inject into the seam `id` (when armed),
 * and what the call under test did to it. */
struct run {
  int id;
  int armed, native, after, count;
  unsigned long calls, hits; /* the seam, during the call under test */
  int last_native;           /* bsdsock_last_native_error() right after */
};

static void arm(struct run *r) {
  bsdsock__fault_reset();
  if (r->armed)
    assert_int_equal(bsdsock__fault_set(r->id, r->native, r->after, r->count),
                     0);
}

static void disarm(struct run *r) {
  r->last_native = bsdsock_last_native_error();
  r->calls = bsdsock__fault_calls(r->id);
  r->hits = bsdsock__fault_hits(r->id);
  bsdsock__fault_reset();
}

/* The call under test: the seam is armed around it alone, so a scenario's
 * set-up and clean-up neither fail nor count. */
#define UNDER_TEST(r, var, call) \
  do {                           \
    arm(r);                      \
    var = (long long)(call);     \
    disarm(r);                   \
  } while (0)

/* The backend's native code for a portable one: the first row of its
 * error table (src/os.h) that translates to it. */
static int native_of(int portable) {
  size_t n, i;
  const struct bsdsock__errmap *map = bsdsock__errmap(&n);
  for (i = 0; i < n; i++)
    if (map[i].portable == portable) return map[i].native;
  fail_msg("the %s backend has no native code for %s", bsdsock_backend(),
           bsdsock_err_name(portable));
  return 0;
}

/* The lowest free bsdsock descriptor number. */
static int lowest_fd(void) {
  int fd = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0);
  H_OK(fd);
  H_OK(bsdsock_close(fd));
  return fd;
}

/* ---- small helpers ------------------------------------------------------- */

static void wait_readable(int fd) {
  bsdsock_pollfd_t p;
  p.fd = fd;
  p.events = BSDSOCK_POLLIN;
  p.revents = 0;
  H_ASSERT_ERR(bsdsock_poll(&p, 1, WAIT_MS), 1);
}

static void udp_pair(int *a, bsdsock_addr_t *aa, int *b, bsdsock_addr_t *ba) {
  *a = h_udp_bound(BSDSOCK_AF_INET, aa);
  *b = h_udp_bound(BSDSOCK_AF_INET, ba);
}

/* Sends one datagram from a to b and waits until b has it. */
static void queue_dgram(int a, int b, const bsdsock_addr_t *ba,
                        const char *text) {
  size_t len = strlen(text);
  H_ASSERT_ERR(bsdsock_sendto(a, text, len, 0, ba), (long long)len);
  wait_readable(b);
}

/* Receives one datagram on fd and checks its content. */
static void expect_dgram(int fd, const char *text) {
  char buf[128];
  size_t len = strlen(text);
  H_ASSERT_ERR(bsdsock_recv(fd, buf, sizeof(buf), 0), (long long)len);
  assert_memory_equal(buf, text, len);
}

static void close_all(const int *fds, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) H_OK(bsdsock_close(fds[i]));
}

static bsdsock_msghdr_t msg_of(bsdsock_addr_t *name, bsdsock_iovec_t *iov,
                               size_t iovlen) {
  bsdsock_msghdr_t m;
  memset(&m, 0, sizeof(m));
  m.name = name;
  m.iov = iov;
  m.iovlen = iovlen;
  return m;
}

/* ---- scenarios ------------------------------------------------------------
 * Each sets up what its call needs, makes the call under test once
 * (UNDER_TEST), checks a success's outcome, cleans up and returns the
 * call's result. Every one must succeed unarmed and be repeatable. */

typedef long long (*scenario_fn)(struct run *r);

/* startup: Winsock stopped, then a socket, which starts it again lazily. */
static long long scn_startup(struct run *r) {
  long long fd;
  bsdsock_cleanup();
  UNDER_TEST(r, fd, bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0));
  if (fd >= 0) H_OK(bsdsock_close((int)fd));
  return fd;
}

static long long scn_socket(struct run *r) {
  long long fd;
  UNDER_TEST(r, fd, bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0));
  if (fd >= 0) H_OK(bsdsock_close((int)fd));
  return fd;
}

/* An IPv6 socket: the one kind that gets a default option (V6ONLY). */
static long long scn_socket6(struct run *r) {
  long long fd;
  UNDER_TEST(r, fd, bsdsock_socket(BSDSOCK_AF_INET6, BSDSOCK_SOCK_STREAM, 0));
  if (!r->armed && fd == BSDSOCK_EAFNOSUPPORT)
    H_SKIP("this host has no IPv6: no IPv6 socket to set V6ONLY on");
  if (fd >= 0) {
    assert_int_equal(
        h_get_int((int)fd, BSDSOCK_IPPROTO_IPV6, BSDSOCK_IPV6_V6ONLY), 1);
    H_OK(bsdsock_close((int)fd));
  }
  return fd;
}

static long long scn_socket_nonblock(struct run *r) {
  long long fd;
  UNDER_TEST(r, fd,
             bsdsock_socket(BSDSOCK_AF_INET,
                            BSDSOCK_SOCK_STREAM | BSDSOCK_SOCK_NONBLOCK, 0));
  if (fd >= 0) {
    H_ASSERT_ERR(bsdsock_get_nonblocking((int)fd), 1);
    H_OK(bsdsock_close((int)fd));
  }
  return fd;
}

/* A socket that must work whatever number it got: on Windows a socket
 * whose C runtime placeholder could not be opened is numbered from
 * OVERFLOW up, where the C runtime never allocates, and holds no C runtime
 * descriptor. */
static long long scn_socket_used(struct run *r) {
  bsdsock_addr_t a;
  long long fd;
  int crt = h_lowest_crt_fd();
  UNDER_TEST(r, fd, bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0));
  if (fd < 0) return fd;
  if (r->hits > 0) {
    assert_true(fd >= OVERFLOW);
    assert_int_equal(h_lowest_crt_fd(), crt);
  } else {
    assert_true(fd < OVERFLOW);
  }
  /* It works: a datagram to itself. */
  h_loopback(&a, BSDSOCK_AF_INET);
  H_OK(bsdsock_bind((int)fd, &a));
  H_OK(bsdsock_getsockname((int)fd, &a));
  h_io_timeout((int)fd, WAIT_MS);
  queue_dgram((int)fd, (int)fd, &a, "placeholder");
  expect_dgram((int)fd, "placeholder");
  H_OK(bsdsock_close((int)fd));
  return fd;
}

static long long scn_bind(struct run *r) {
  bsdsock_addr_t a, got;
  long long rc;
  int fd = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0);
  H_OK(fd);
  h_loopback(&a, BSDSOCK_AF_INET);
  UNDER_TEST(r, rc, bsdsock_bind(fd, &a));
  if (rc == 0) {
    H_OK(bsdsock_getsockname(fd, &got));
    assert_int_not_equal(bsdsock_addr_port(&got), 0);
  }
  H_OK(bsdsock_close(fd));
  return rc;
}

/* listen() on a bound socket (an unbound one would make bsdsock bind it and
 * try again, which is not what is tested here). */
static long long scn_listen(struct run *r) {
  bsdsock_addr_t a;
  long long rc;
  int fd = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  H_OK(fd);
  h_loopback(&a, BSDSOCK_AF_INET);
  H_OK(bsdsock_bind(fd, &a));
  UNDER_TEST(r, rc, bsdsock_listen(fd, 4));
  if (rc == 0)
    assert_int_equal(h_get_int(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_ACCEPTCONN),
                     1);
  H_OK(bsdsock_close(fd));
  return rc;
}

/* accept() of a connection waiting in the backlog, from a blocking or a
 * non-blocking listener; the accepted socket is blocking either way. */
static long long accept_from(struct run *r, int nonblocking_listener) {
  bsdsock_addr_t a;
  long long s;
  int c, l = h_listener(BSDSOCK_AF_INET, &a);
  if (nonblocking_listener) H_OK(bsdsock_set_nonblocking(l, 1));
  c = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  H_OK(c);
  H_OK(bsdsock_connect(c, &a));
  wait_readable(l);
  UNDER_TEST(r, s, bsdsock_accept(l, NULL));
  if (s >= 0) {
    H_ASSERT_ERR(bsdsock_get_nonblocking((int)s), 0);
    h_io_timeout((int)s, WAIT_MS);
    H_ASSERT_ERR(bsdsock_send(c, "a", 1, 0), 1);
    expect_dgram((int)s, "a");
    H_OK(bsdsock_close((int)s));
  }
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(l));
  return s;
}

static long long scn_accept(struct run *r) {
  return accept_from(r, 0);
}

static long long scn_accept_nonblocking(struct run *r) {
  return accept_from(r, 1);
}

static long long scn_connect(struct run *r) {
  bsdsock_addr_t a, peer;
  long long rc;
  int c, l = h_listener(BSDSOCK_AF_INET, &a);
  c = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  H_OK(c);
  UNDER_TEST(r, rc, bsdsock_connect(c, &a));
  if (rc == 0) {
    H_OK(bsdsock_getpeername(c, &peer));
    assert_int_equal(bsdsock_addr_port(&peer), bsdsock_addr_port(&a));
  }
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(l));
  return rc;
}

static long long scn_shutdown(struct run *r) {
  long long rc;
  char b;
  int c, s;
  h_tcp_pair(BSDSOCK_AF_INET, &c, &s);
  UNDER_TEST(r, rc, bsdsock_shutdown(c, BSDSOCK_SHUT_WR));
  if (rc == 0) H_ASSERT_ERR(bsdsock_recv(s, &b, 1, 0), 0); /* end of stream */
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
  return rc;
}

/* close(): whatever it returns, the number is free afterwards. */
static long long scn_close(struct run *r) {
  bsdsock_addr_t a;
  bsdsock_os_sock_t h;
  long long rc;
  int fd = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0);
  H_OK(fd);
  h = bsdsock_native_handle(fd);
  assert_true(h != BSDSOCK_OS_SOCK_INVALID);
  UNDER_TEST(r, rc, bsdsock_close(fd));
  if (r->hits > 0) {
    /* The injected failure stood in for the OS's close(), which so never
     * ran: the OS socket is still open, a state no real failure of Linux's
     * close() leaves (it frees the descriptor whatever it reports). It is
     * closed here so that only what bsdsock did is checked. */
    assert_int_equal(h_close_native(h), 0);
  }
  H_ASSERT_ERR(bsdsock_getsockname(fd, &a), BSDSOCK_EBADF);
  return rc;
}

static long long scn_getsockname(struct run *r) {
  bsdsock_addr_t bound, got;
  long long rc;
  int u = h_udp_bound(BSDSOCK_AF_INET, &bound);
  UNDER_TEST(r, rc, bsdsock_getsockname(u, &got));
  if (rc == 0)
    assert_int_equal(bsdsock_addr_port(&got), bsdsock_addr_port(&bound));
  H_OK(bsdsock_close(u));
  return rc;
}

static long long scn_getpeername(struct run *r) {
  bsdsock_addr_t mine, got;
  long long rc;
  int c, s;
  h_tcp_pair(BSDSOCK_AF_INET, &c, &s);
  H_OK(bsdsock_getsockname(s, &mine));
  UNDER_TEST(r, rc, bsdsock_getpeername(c, &got));
  if (rc == 0)
    assert_int_equal(bsdsock_addr_port(&got), bsdsock_addr_port(&mine));
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
  return rc;
}

static long long scn_setsockopt(struct run *r) {
  bsdsock_addr_t a;
  long long rc;
  int one = 1, u = h_udp_bound(BSDSOCK_AF_INET, &a);
  UNDER_TEST(r, rc,
             bsdsock_setsockopt(u, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_BROADCAST,
                                &one, sizeof(one)));
  assert_int_equal(h_get_int(u, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_BROADCAST),
                   rc == 0);
  H_OK(bsdsock_close(u));
  return rc;
}

static long long scn_getsockopt(struct run *r) {
  bsdsock_addr_t a;
  long long rc;
  size_t len = sizeof(int);
  int v = -1, u = h_udp_bound(BSDSOCK_AF_INET, &a);
  UNDER_TEST(
      r, rc,
      bsdsock_getsockopt(u, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_TYPE, &v, &len));
  if (rc == 0) assert_int_equal(v, BSDSOCK_SOCK_DGRAM);
  H_OK(bsdsock_close(u));
  return rc;
}

static long long scn_set_nonblocking(struct run *r) {
  long long rc;
  int fd = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  H_OK(fd);
  UNDER_TEST(r, rc, bsdsock_set_nonblocking(fd, 1));
  H_ASSERT_ERR(bsdsock_get_nonblocking(fd), rc == 0);
  H_OK(bsdsock_close(fd));
  return rc;
}

static long long scn_get_nonblocking(struct run *r) {
  long long rc;
  int fd = bsdsock_socket(BSDSOCK_AF_INET,
                          BSDSOCK_SOCK_STREAM | BSDSOCK_SOCK_NONBLOCK, 0);
  H_OK(fd);
  UNDER_TEST(r, rc, bsdsock_get_nonblocking(fd));
  if (rc >= 0) assert_int_equal(rc, 1);
  H_OK(bsdsock_close(fd));
  return rc;
}

/* MSG_DONTWAIT on a blocking socket (an overlapped call on Winsock, which
 * has no such flag: src/win32/msg.c). */
static long long scn_recv_dontwait(struct run *r) {
  bsdsock_addr_t aa, ba;
  long long n;
  char buf[16];
  int a, b;
  udp_pair(&a, &aa, &b, &ba);
  queue_dgram(a, b, &ba, "dw");
  UNDER_TEST(r, n, bsdsock_recv(b, buf, sizeof(buf), BSDSOCK_MSG_DONTWAIT));
  if (n >= 0) {
    assert_int_equal(n, 2);
    assert_memory_equal(buf, "dw", 2);
  } else {
    expect_dgram(b, "dw");  /* the failed call took nothing */
  }
  H_ASSERT_ERR(bsdsock_get_nonblocking(b), 0);
  H_OK(bsdsock_close(a));
  H_OK(bsdsock_close(b));
  return n;
}

static long long scn_send(struct run *r) {
  long long n;
  int c, s;
  h_tcp_pair(BSDSOCK_AF_INET, &c, &s);
  UNDER_TEST(r, n, bsdsock_send(c, "s", 1, 0));
  if (n >= 0) {
    assert_int_equal(n, 1);
    expect_dgram(s, "s");
  }
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
  return n;
}

static long long scn_recv(struct run *r) {
  long long n;
  char buf[16];
  int c, s;
  h_tcp_pair(BSDSOCK_AF_INET, &c, &s);
  H_ASSERT_ERR(bsdsock_send(s, "r", 1, 0), 1);
  wait_readable(c);
  UNDER_TEST(r, n, bsdsock_recv(c, buf, sizeof(buf), 0));
  if (n >= 0) {
    assert_int_equal(n, 1);
    assert_int_equal(buf[0], 'r');
  }
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
  return n;
}

static long long scn_sendto(struct run *r) {
  bsdsock_addr_t aa, ba;
  long long n;
  int a, b;
  udp_pair(&a, &aa, &b, &ba);
  UNDER_TEST(r, n, bsdsock_sendto(a, "to", 2, 0, &ba));
  if (n >= 0) {
    assert_int_equal(n, 2);
    expect_dgram(b, "to");
  }
  H_OK(bsdsock_close(a));
  H_OK(bsdsock_close(b));
  return n;
}

static long long scn_recvfrom(struct run *r) {
  bsdsock_addr_t aa, ba, from;
  long long n;
  char buf[16];
  int a, b;
  udp_pair(&a, &aa, &b, &ba);
  queue_dgram(a, b, &ba, "from");
  UNDER_TEST(r, n, bsdsock_recvfrom(b, buf, sizeof(buf), 0, &from));
  if (n >= 0) {
    assert_int_equal(n, 4);
    assert_memory_equal(buf, "from", 4);
    assert_int_equal(bsdsock_addr_port(&from), bsdsock_addr_port(&aa));
  }
  H_OK(bsdsock_close(a));
  H_OK(bsdsock_close(b));
  return n;
}

/* sendmsg() with two buffers (one would go by sendto() on POSIX). */
static long long scn_sendmsg(struct run *r) {
  char ga[] = "ga", ther[] = "ther";
  bsdsock_addr_t aa, ba;
  bsdsock_iovec_t iov[2];
  bsdsock_msghdr_t m;
  long long n;
  int a, b;
  udp_pair(&a, &aa, &b, &ba);
  iov[0].base = ga;
  iov[0].len = 2;
  iov[1].base = ther;
  iov[1].len = 4;
  m = msg_of(&ba, iov, 2);
  UNDER_TEST(r, n, bsdsock_sendmsg(a, &m, 0));
  if (n >= 0) {
    assert_int_equal(n, 6);
    expect_dgram(b, "gather");
  }
  H_OK(bsdsock_close(a));
  H_OK(bsdsock_close(b));
  return n;
}

static long long scn_recvmsg(struct run *r) {
  bsdsock_addr_t aa, ba, from;
  bsdsock_iovec_t iov[2];
  bsdsock_msghdr_t m;
  char p[3], q[8];
  long long n;
  int a, b;
  udp_pair(&a, &aa, &b, &ba);
  queue_dgram(a, b, &ba, "scatter");
  iov[0].base = p;
  iov[0].len = 3;
  iov[1].base = q;
  iov[1].len = sizeof(q);
  m = msg_of(&from, iov, 2);
  UNDER_TEST(r, n, bsdsock_recvmsg(b, &m, 0));
  if (n >= 0) {
    assert_int_equal(n, 7);
    assert_memory_equal(p, "sca", 3);
    assert_memory_equal(q, "tter", 4);
    assert_int_equal(m.flags, 0);
    assert_int_equal(bsdsock_addr_port(&from), bsdsock_addr_port(&aa));
  }
  H_OK(bsdsock_close(a));
  H_OK(bsdsock_close(b));
  return n;
}

/* recvmsg() with ancillary data (IP_PKTINFO on): the destination is
 * reported; a failed call took nothing. */
static long long scn_recvmsg_info(struct run *r) {
  bsdsock_addr_t aa, ba, from;
  bsdsock_msginfo_t info;
  bsdsock_iovec_t iov;
  bsdsock_msghdr_t m;
  char buf[16];
  long long n;
  int a, b, on = 1;
  udp_pair(&a, &aa, &b, &ba);
  H_OK(bsdsock_setsockopt(b, BSDSOCK_IPPROTO_IP, BSDSOCK_IP_PKTINFO, &on,
                          sizeof(on)));
  queue_dgram(a, b, &ba, "info");
  iov.base = buf;
  iov.len = sizeof(buf);
  m = msg_of(&from, &iov, 1);
  m.info = &info;
  UNDER_TEST(r, n, bsdsock_recvmsg(b, &m, 0));
  if (n >= 0) {
    assert_int_equal(n, 4);
    assert_int_equal(info.valid & BSDSOCK_MSGINFO_DST, BSDSOCK_MSGINFO_DST);
    assert_memory_equal(info.dst.u.ip4, ba.u.ip4, 4);
  } else {
    expect_dgram(b, "info"); /* the failed call took nothing */
  }
  H_OK(bsdsock_close(a));
  H_OK(bsdsock_close(b));
  return n;
}

/* sendmsg() from a chosen source address (ancillary data). */
static long long scn_sendmsg_info(struct run *r) {
  bsdsock_addr_t aa, ba;
  bsdsock_msginfo_t info;
  bsdsock_iovec_t iov;
  bsdsock_msghdr_t m;
  long long n;
  int a, b;
  udp_pair(&a, &aa, &b, &ba);
  memset(&info, 0, sizeof(info));
  info.valid = BSDSOCK_MSGINFO_DST;
  info.dst = aa;
  info.dst.port = 0;
  iov.base = "src";
  iov.len = 3;
  m = msg_of(&ba, &iov, 1);
  m.info = &info;
  UNDER_TEST(r, n, bsdsock_sendmsg(a, &m, 0));
  if (n >= 0) {
    assert_int_equal(n, 3);
    expect_dgram(b, "src");
  }
  H_OK(bsdsock_close(a));
  H_OK(bsdsock_close(b));
  return n;
}

/* A batch of datagrams to one destination, each datagram's text in
 * texts[]. */
static long long send_batch(struct run *r, const char *const *texts, size_t n) {
  bsdsock_addr_t aa, ba;
  bsdsock_iovec_t iov[4];
  bsdsock_mmsghdr_t msgs[4];
  long long k;
  size_t i;
  int a, b, deferred = -1;
  assert_true(n <= 4);
  udp_pair(&a, &aa, &b, &ba);
  for (i = 0; i < n; i++) {
    iov[i].base = (void *)(uintptr_t)texts[i];
    iov[i].len = strlen(texts[i]);
    msgs[i].hdr = msg_of(&ba, &iov[i], 1);
    msgs[i].len = 0;
  }
  UNDER_TEST(r, k, bsdsock_sendmmsg(a, msgs, n, 0, &deferred));
  if (k >= 0) {
    assert_int_equal(k, n);
    assert_int_equal(deferred, 0);
    for (i = 0; i < n; i++) {
      assert_int_equal(msgs[i].len, strlen(texts[i]));
      expect_dgram(b, texts[i]);
    }
  }
  H_OK(bsdsock_close(a));
  H_OK(bsdsock_close(b));
  return k;
}

/* Two datagrams, the second longer: no segmented send can carry them (only
 * the last may be shorter), so Linux makes one sendmmsg() of them. */
static long long scn_sendmmsg(struct run *r) {
  static const char *const texts[] = {"m", "mm"};
  return send_batch(r, texts, 2);
}

/* Three datagrams of one size to one destination on a new socket: Linux
 * first asks whether the socket takes UDP_SEGMENT, then sends them as one
 * segmented send. */
static long long scn_sendmmsg_equal(struct run *r) {
  static const char *const texts[] = {"seg1", "seg2", "seg3"};
  return send_batch(r, texts, 3);
}

static long long scn_recvmmsg(struct run *r) {
  bsdsock_addr_t aa, ba;
  bsdsock_iovec_t iov[2];
  bsdsock_mmsghdr_t msgs[2];
  char buf[2][16];
  long long k;
  int a, b, i, deferred = -1;
  udp_pair(&a, &aa, &b, &ba);
  queue_dgram(a, b, &ba, "one");
  H_ASSERT_ERR(bsdsock_sendto(a, "two", 3, 0, &ba), 3);
  for (i = 0; i < 2; i++) {
    iov[i].base = buf[i];
    iov[i].len = sizeof(buf[i]);
    msgs[i].hdr = msg_of(NULL, &iov[i], 1);
    msgs[i].len = 0;
  }
  UNDER_TEST(r, k, bsdsock_recvmmsg(b, msgs, 2, 0, &deferred));
  if (k >= 0) {
    assert_true(k >= 1 && k <= 2);
    assert_int_equal(deferred, 0);
    assert_int_equal(msgs[0].len, 3);
    assert_memory_equal(buf[0], "one", 3);
  }
  H_OK(bsdsock_close(a));
  H_OK(bsdsock_close(b));
  return k;
}

/* poll() on a UDP socket, which is writable at once. */
static long long scn_poll(struct run *r) {
  bsdsock_addr_t a;
  bsdsock_pollfd_t p;
  long long rc;
  int u = h_udp_bound(BSDSOCK_AF_INET, &a);
  p.fd = u;
  p.events = BSDSOCK_POLLOUT;
  p.revents = 0;
  UNDER_TEST(r, rc, bsdsock_poll(&p, 1, WAIT_MS));
  if (rc >= 0) {
    assert_int_equal(rc, 1);
    assert_int_equal(p.revents, BSDSOCK_POLLOUT);
  }
  H_OK(bsdsock_close(u));
  return rc;
}

static long long scn_select(struct run *r) {
  bsdsock_fdset_t w = BSDSOCK_FDSET_INIT;
  bsdsock_timeval_t tv;
  bsdsock_addr_t a;
  long long rc;
  int u = h_udp_bound(BSDSOCK_AF_INET, &a);
  H_OK(bsdsock_fdset_set(&w, u));
  tv.sec = WAIT_MS / 1000;
  tv.usec = 0;
  UNDER_TEST(r, rc, bsdsock_select(u + 1, NULL, &w, NULL, &tv));
  if (rc >= 0) {
    assert_int_equal(rc, 1);
    assert_int_equal(bsdsock_fdset_isset(&w, u), 1);
  } else {
    assert_int_equal(bsdsock_fdset_isset(&w, u), 1); /* sets unchanged */
  }
  bsdsock_fdset_free(&w);
  H_OK(bsdsock_close(u));
  return rc;
}

/* select() and poll() over MANY sockets: more entries than either layer
 * keeps on the stack. */
static void open_many(int *fds, bsdsock_addr_t *a) {
  int i;
  for (i = 0; i < MANY; i++) fds[i] = h_udp_bound(BSDSOCK_AF_INET, a);
}

static long long scn_select_many(struct run *r) {
  bsdsock_fdset_t w = BSDSOCK_FDSET_INIT;
  bsdsock_timeval_t tv;
  bsdsock_addr_t a;
  long long rc;
  int fds[MANY], i, nfds = 0;
  open_many(fds, &a);
  for (i = 0; i < MANY; i++) {
    H_OK(bsdsock_fdset_set(&w, fds[i]));
    if (fds[i] >= nfds) nfds = fds[i] + 1;
  }
  tv.sec = WAIT_MS / 1000;
  tv.usec = 0;
  UNDER_TEST(r, rc, bsdsock_select(nfds, NULL, &w, NULL, &tv));
  if (rc >= 0) assert_int_equal(rc, MANY);
  assert_int_equal(bsdsock_fdset_count(&w), MANY);
  bsdsock_fdset_free(&w);
  close_all(fds, MANY);
  return rc;
}

static long long scn_poll_many(struct run *r) {
  bsdsock_pollfd_t p[MANY];
  bsdsock_addr_t a;
  long long rc;
  int fds[MANY], i;
  open_many(fds, &a);
  for (i = 0; i < MANY; i++) {
    p[i].fd = fds[i];
    p[i].events = BSDSOCK_POLLOUT;
    p[i].revents = 0;
  }
  UNDER_TEST(r, rc, bsdsock_poll(p, MANY, WAIT_MS));
  if (rc >= 0) {
    assert_int_equal(rc, MANY);
    for (i = 0; i < MANY; i++) assert_int_equal(p[i].revents, BSDSOCK_POLLOUT);
  }
  close_all(fds, MANY);
  return rc;
}

/* sendmsg()/recvmsg() with MANY buffers of one byte (Winsock's WSABUF
 * array is then allocated). */
static long long scn_sendmsg_many(struct run *r) {
  bsdsock_addr_t aa, ba;
  bsdsock_iovec_t iov[MANY];
  bsdsock_msghdr_t m;
  char data[MANY], back[MANY + 1];
  long long n;
  int a, b, i;
  udp_pair(&a, &aa, &b, &ba);
  for (i = 0; i < MANY; i++) {
    data[i] = (char)('A' + i % 26);
    iov[i].base = &data[i];
    iov[i].len = 1;
  }
  m = msg_of(&ba, iov, MANY);
  UNDER_TEST(r, n, bsdsock_sendmsg(a, &m, 0));
  if (n >= 0) {
    assert_int_equal(n, MANY);
    H_ASSERT_ERR(bsdsock_recv(b, back, sizeof(back), 0), MANY);
    assert_memory_equal(back, data, MANY);
  }
  H_OK(bsdsock_close(a));
  H_OK(bsdsock_close(b));
  return n;
}

static long long scn_recvmsg_many(struct run *r) {
  bsdsock_addr_t aa, ba;
  bsdsock_iovec_t iov[MANY];
  bsdsock_msghdr_t m;
  char data[MANY + 1], back[MANY];
  long long n;
  int a, b, i;
  udp_pair(&a, &aa, &b, &ba);
  for (i = 0; i < MANY; i++) {
    data[i] = (char)('a' + i % 26);
    iov[i].base = &back[i];
    iov[i].len = 1;
  }
  data[MANY] = '\0';
  queue_dgram(a, b, &ba, data);
  m = msg_of(NULL, iov, MANY);
  UNDER_TEST(r, n, bsdsock_recvmsg(b, &m, 0));
  if (n >= 0) {
    assert_int_equal(n, MANY);
    assert_memory_equal(back, data, MANY);
  }
  H_OK(bsdsock_close(a));
  H_OK(bsdsock_close(b));
  return n;
}

/* A set that grows onto the heap; on failure it is unchanged. */
static long long scn_fdset_grow(struct run *r) {
  bsdsock_fdset_t set = BSDSOCK_FDSET_INIT;
  long long rc;
  H_OK(bsdsock_fdset_set(&set, 3));
  UNDER_TEST(r, rc, bsdsock_fdset_set(&set, 5000));
  assert_int_equal(bsdsock_fdset_isset(&set, 3), 1);
  assert_int_equal(bsdsock_fdset_isset(&set, 5000), rc == 0);
  assert_int_equal(bsdsock_fdset_count(&set), rc == 0 ? 2 : 1);
  bsdsock_fdset_free(&set);
  return rc;
}

/* getaddrinfo() of a numeric host: no name service is asked. With
 * socktype 0 the system answers one entry per socket type, so the
 * conversion allocates several nodes. */
static long long lookup(struct run *r, int socktype, int flags) {
  bsdsock_addrinfo_t hints, *res = NULL, *ai;
  long long rc;
  memset(&hints, 0, sizeof(hints));
  hints.flags = flags;
  hints.family = BSDSOCK_AF_INET;
  hints.socktype = socktype;
  UNDER_TEST(r, rc, bsdsock_getaddrinfo("127.0.0.1", "80", &hints, &res));
  if (rc != 0) {
    assert_null(res);
    return rc;
  }
  assert_non_null(res);
  for (ai = res; ai != NULL; ai = ai->next) {
    assert_int_equal(ai->family, BSDSOCK_AF_INET);
    assert_int_equal(bsdsock_addr_port(&ai->addr), 80);
  }
  bsdsock_freeaddrinfo(res);
  return rc;
}

static long long scn_getaddrinfo(struct run *r) {
  return lookup(r, BSDSOCK_SOCK_STREAM, 0);
}

static long long scn_getaddrinfo_all(struct run *r) {
  return lookup(r, 0, 0);
}

/* With AI_CANONNAME the first node's name is copied too (glibc names a
 * numeric host after itself). */
static long long scn_getaddrinfo_canon(struct run *r) {
  return lookup(r, 0, BSDSOCK_AI_CANONNAME);
}

static long long scn_getnameinfo(struct run *r) {
  bsdsock_addr_t a;
  char host[BSDSOCK_NI_MAXHOST], serv[BSDSOCK_NI_MAXSERV];
  long long rc;
  assert_int_equal(bsdsock_addr_loopback(&a, BSDSOCK_AF_INET, 80), 0);
  strcpy(host, "untouched");
  UNDER_TEST(
      r, rc,
      bsdsock_getnameinfo(&a, host, sizeof(host), serv, sizeof(serv),
                          BSDSOCK_NI_NUMERICHOST | BSDSOCK_NI_NUMERICSERV));
  if (rc == 0) {
    assert_string_equal(host, "127.0.0.1");
    assert_string_equal(serv, "80");
  } else {
    assert_string_equal(host, "untouched");
  }
  return rc;
}

/* ---- the drop-in BSD layer: pipes ------------------------------------------
 * pipe() and the questions the drop-in poll()/select() ask a pipe (on
 * Windows, where Winsock cannot wait on one: src/compat/bsd/nonsock.h). */

/* The drop-in pipe(): 0, or the portable code for the errno it set. */
static int compat_pipe(int p[2]) {
  return bsdsock_compat_pipe(p) == 0 ? 0 : bsdsock__os_crt_portable(errno);
}

static long long scn_pipe(struct run *r) {
  long long rc;
  int p[2] = {-1, -1};
  UNDER_TEST(r, rc, compat_pipe(p));
  if (rc == 0) {
    assert_int_equal(h_close_file(p[0]), 0);
    assert_int_equal(h_close_file(p[1]), 0);
  }
  return rc;
}

/* An empty pipe's read end, asked with a zero timeout: nothing ready; a
 * question that fails reports POLLERR on the entry, and the call itself
 * succeeds. */
static long long scn_peek_poll(struct run *r) {
  bsdsock_pollfd_t f;
  long long rc;
  int p[2];
  H_OK(compat_pipe(p));
  f.fd = p[0];
  f.events = BSDSOCK_POLLIN;
  f.revents = 0;
  UNDER_TEST(r, rc, bsdsock_compat_poll(&f, 1, 0));
  if (r->armed && r->hits > 0) {
    assert_int_equal(rc, 1);
    assert_int_equal(f.revents, BSDSOCK_POLLERR);
  } else {
    assert_int_equal(rc, 0);
    assert_int_equal(f.revents, 0);
  }
  assert_int_equal(h_close_file(p[0]), 0);
  assert_int_equal(h_close_file(p[1]), 0);
  return rc;
}

/* The same through select(): the POLLERR puts the read end in the read
 * set, as Linux's select() does with an error. */
static long long scn_peek_select(struct run *r) {
  bsdsock_compat_fd_set rd;
  struct timeval tv;
  long long rc;
  int p[2];
  H_OK(compat_pipe(p));
  bsdsock_compat_fd_zero(&rd);
  bsdsock_compat_fd_setbit(p[0], &rd);
  tv.tv_sec = 0;
  tv.tv_usec = 0;
  UNDER_TEST(r, rc, bsdsock_compat_select(p[0] + 1, &rd, NULL, NULL, &tv));
  assert_int_equal(rc, r->armed && r->hits > 0 ? 1 : 0);
  assert_int_equal(bsdsock_compat_fd_isset(p[0], &rd), rc == 1);
  assert_int_equal(h_close_file(p[0]), 0);
  assert_int_equal(h_close_file(p[1]), 0);
  return rc;
}

/* ---- the poller ---------------------------------------------------------- */

static long long scn_poller_create(struct run *r) {
  long long rc;
  UNDER_TEST(r, rc, bsdsock_poller_create());
  if (rc >= 0) H_OK(bsdsock_poller_close((int)rc));
  return rc;
}

static long long scn_poller_add(struct run *r) {
  bsdsock_addr_t a;
  long long rc;
  int p = bsdsock_poller_create(), s = h_udp_bound(BSDSOCK_AF_INET, &a);
  H_OK(p);
  UNDER_TEST(r, rc, bsdsock_poller_add(p, s, BSDSOCK_POLLIN, 1));
  /* A failed add registered nothing. */
  H_ASSERT_ERR(bsdsock_poller_delete(p, s), rc == 0 ? 0 : BSDSOCK_ENOENT);
  H_OK(bsdsock_poller_close(p));
  H_OK(bsdsock_close(s));
  return rc;
}

/* A modify that must cancel the poll in flight (IN asked, OUT wanted).
 * When it fails, the registration is as it was: IN, with its data. */
static long long scn_poller_modify(struct run *r) {
  bsdsock_poller_event_t ev[2];
  bsdsock_addr_t a;
  long long rc;
  int p = bsdsock_poller_create(), s = h_udp_bound(BSDSOCK_AF_INET, &a);
  H_OK(p);
  H_OK(bsdsock_poller_add(p, s, BSDSOCK_POLLIN, 1));
  UNDER_TEST(r, rc, bsdsock_poller_modify(p, s, BSDSOCK_POLLOUT, 2));
  if (rc == 0) {
    H_ASSERT_ERR(bsdsock_poller_wait(p, ev, 2, WAIT_MS), 1);
    assert_true(ev[0].data == 2);
    assert_int_equal(ev[0].events, BSDSOCK_POLLOUT);
  } else {
    H_ASSERT_ERR(bsdsock_poller_wait(p, ev, 2, 0), 0);
    h_make_readable(s);
    H_ASSERT_ERR(bsdsock_poller_wait(p, ev, 2, WAIT_MS), 1);
    assert_true(ev[0].data == 1);
    assert_int_equal(ev[0].events, BSDSOCK_POLLIN);
  }
  H_OK(bsdsock_poller_close(p));
  H_OK(bsdsock_close(s));
  return rc;
}

/* A delete whose cancel fails is done all the same: nothing is reported
 * for the socket, which can be added again; the poller closes. */
static long long scn_poller_delete(struct run *r) {
  bsdsock_poller_event_t ev[2];
  bsdsock_addr_t a;
  long long rc;
  int p = bsdsock_poller_create(), s = h_udp_bound(BSDSOCK_AF_INET, &a);
  H_OK(p);
  H_OK(bsdsock_poller_add(p, s, BSDSOCK_POLLIN, 1));
  UNDER_TEST(r, rc, bsdsock_poller_delete(p, s));
  h_make_readable(s);
  H_ASSERT_ERR(bsdsock_poller_wait(p, ev, 2, 100), 0);
  H_OK(bsdsock_poller_add(p, s, BSDSOCK_POLLOUT, 3));
  H_OK(bsdsock_poller_delete(p, s));
  H_OK(bsdsock_poller_close(p));
  H_OK(bsdsock_close(s));
  return rc;
}

/* A poller whose AFD handle's event would be set on each completion. */
static long long scn_poller_used(struct run *r) {
  bsdsock_poller_event_t ev[2];
  bsdsock_addr_t a;
  long long rc;
  int s = h_udp_bound(BSDSOCK_AF_INET, &a);
  UNDER_TEST(r, rc, bsdsock_poller_create());
  if (rc >= 0) {
    H_OK(bsdsock_poller_add((int)rc, s, BSDSOCK_POLLIN, 4));
    h_make_readable(s);
    H_ASSERT_ERR(bsdsock_poller_wait((int)rc, ev, 2, WAIT_MS), 1);
    assert_true(ev[0].data == 4);
    H_OK(bsdsock_poller_close((int)rc));
    rc = 0;
  }
  H_OK(bsdsock_close(s));
  return rc;
}

static long long scn_poller_wait(struct run *r) {
  bsdsock_poller_event_t ev[2];
  bsdsock_addr_t aa, ba;
  long long rc;
  int a, b, p = bsdsock_poller_create();
  H_OK(p);
  udp_pair(&a, &aa, &b, &ba);
  queue_dgram(a, b, &ba, "w");
  H_OK(bsdsock_poller_add(p, b, BSDSOCK_POLLIN, 42));
  UNDER_TEST(r, rc, bsdsock_poller_wait(p, ev, 2, WAIT_MS));
  if (rc == 1) {
    assert_true(ev[0].data == 42);
    assert_int_equal(ev[0].events, BSDSOCK_POLLIN);
    rc = 0;
  } else if (rc >= 0) {
    fail_msg("poller_wait returned %lld, expected 1", rc);
  }
  /* The datagram is still there for the next call. */
  H_ASSERT_ERR(bsdsock_poller_wait(p, ev, 2, WAIT_MS), 1);
  expect_dgram(b, "w");
  H_OK(bsdsock_poller_close(p));
  close_all((int[]){a, b}, 2);
  return rc;
}

/* ifname: the name of the first interface that has one. */
static long long scn_if_indextoname(struct run *r) {
  char name[BSDSOCK_IF_NAMESIZE];
  unsigned i;
  long long rc = BSDSOCK_ENXIO;
  for (i = 1; i < 1024 && rc == BSDSOCK_ENXIO; i++) {
    strcpy(name, "untouched");
    UNDER_TEST(r, rc, bsdsock_if_indextoname(i, name, sizeof(name)));
    if (r->armed) break;
  }
  if (rc >= 0) {
    assert_int_equal((size_t)rc, strlen(name));
    assert_int_equal(bsdsock_if_nametoindex(name), i - 1);
  } else {
    assert_string_equal(name, "untouched");
  }
  return rc;
}

static long long scn_gethostname(struct run *r) {
  char name[BSDSOCK_HOST_NAME_MAX];
  long long rc;
  strcpy(name, "untouched");
  UNDER_TEST(r, rc, bsdsock_gethostname(name, sizeof(name)));
  if (rc >= 0)
    assert_int_equal((size_t)rc, strlen(name));
  else
    assert_string_equal(name, "untouched");
  return rc;
}

/* A pair over loopback TCP, built through a listener on every backend:
 * socket x2, setsockopt, bind, listen, getsockname x3, connect, wait,
 * getsockopt, accept, getpeername, nonblock. */
static long long scn_socketpair_inet(struct run *r) {
  int sv[2] = {-1, -1};
  long long rc;
  char buf[4];
  UNDER_TEST(r, rc,
             bsdsock_socketpair(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0, sv));
  if (rc == 0) {
    H_ASSERT_ERR(bsdsock_send(sv[0], "p", 1, 0), 1);
    H_ASSERT_ERR(bsdsock_recv(sv[1], buf, sizeof(buf), 0), 1);
    close_all(sv, 2);
  } else {
    assert_int_equal(sv[0], -1);
    assert_int_equal(sv[1], -1);
  }
  return rc;
}

/* An AF_UNIX pair: socketpair() on POSIX; built through a listener on a
 * temporary path on Windows (where Wine has no AF_UNIX: never crossed). */
static long long scn_socketpair_unix(struct run *r) {
  int sv[2] = {-1, -1};
  long long rc;
  UNDER_TEST(r, rc,
             bsdsock_socketpair(BSDSOCK_AF_UNIX, BSDSOCK_SOCK_STREAM, 0, sv));
  if (rc == 0) {
    close_all(sv, 2);
  } else {
    assert_int_equal(sv[0], -1);
    assert_int_equal(sv[1], -1);
  }
  return rc;
}

/* An AF_UNIX pair built through a listener on temporary paths, as Windows
 * makes it: the OS's socketpair() is made to answer "not for this family"
 * (its seam armed with EOPNOTSUPP around the call), so POSIX builds the
 * pair too. Where the platform has no AF_UNIX (Wine) nothing reaches the
 * temporary paths. A socket file left behind by a failed removal is
 * removed here. */
static long long scn_socketpair_built(struct run *r) {
  int sv[2] = {-1, -1};
  bsdsock_addr_t mine, peer;
  long long rc;
  char buf[2];
  mine.family = peer.family = BSDSOCK_AF_UNSPEC;
  arm(r);
  assert_int_equal(bsdsock__fault_set(BSDSOCK__SYS_socketpair,
                                      native_of(BSDSOCK_EOPNOTSUPP), 0, -1),
                   0);
  rc = bsdsock_socketpair(BSDSOCK_AF_UNIX, BSDSOCK_SOCK_STREAM, 0, sv);
  disarm(r);
  if (rc == 0) {
    H_ASSERT_ERR(bsdsock_send(sv[0], "u", 1, 0), 1);
    H_ASSERT_ERR(bsdsock_recv(sv[1], buf, sizeof(buf), 0), 1);
    H_OK(bsdsock_getsockname(sv[0], &mine));
    H_OK(bsdsock_getpeername(sv[0], &peer));
    assert_int_equal(mine.family, BSDSOCK_AF_UNIX);
    close_all(sv, 2);
    remove(mine.u.path);
    remove(peer.u.path);
  } else {
    assert_int_equal(sv[0], -1);
    assert_int_equal(sv[1], -1);
  }
  return rc;
}

/* keepalive: a keepalive time on a TCP socket with SO_KEEPALIVE on. */
static long long scn_keepidle(struct run *r) {
  int fd = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0), v = 60;
  long long rc;
  H_OK(fd);
  h_set_int(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_KEEPALIVE, 1);
  UNDER_TEST(r, rc,
             bsdsock_setsockopt(fd, BSDSOCK_IPPROTO_TCP, BSDSOCK_TCP_KEEPIDLE,
                                &v, sizeof(v)));
  if (rc == 0)
    assert_int_equal(
        h_get_int(fd, BSDSOCK_IPPROTO_TCP, BSDSOCK_TCP_KEEPIDLE), 60);
  H_OK(bsdsock_close(fd));
  return rc;
}

static long long scn_interfaces(struct run *r) {
  bsdsock_interface_t *list = NULL;
  size_t n = 0;
  long long rc;
  UNDER_TEST(r, rc, bsdsock_interfaces(&list, &n));
  if (rc == 0) {
    assert_true(n >= 1);
    bsdsock_free_interfaces(list);
  } else {
    assert_null(list);
    assert_int_equal(n, 0);
  }
  return rc;
}

/* Where the platform delivers no notifications (Wine registers and never
 * calls back: docs/quirks.md Q66), the scenarios run on the stub
 * registrations (bsdsock__ifwatch_accept_stubs), so that the Windows
 * watch's own failure paths are exercised there too. */
static void ifwatch_stubs(int on) {
  int w;
  bsdsock__ifwatch_accept_stubs = 0;
  if (!on) return;
  w = bsdsock_ifwatch_open(0);
  if (w >= 0) {
    H_OK(bsdsock_close(w));
    return;
  }
  bsdsock__ifwatch_accept_stubs = 1;
}

static int ifwatch_or_skip(void) {
  int w;
  ifwatch_stubs(1);
  w = bsdsock_ifwatch_open(0);
  if (w == BSDSOCK_EOPNOTSUPP) {
    ifwatch_stubs(0);
    H_SKIP("no interface change notification on the %s backend here "
           "(docs/quirks.md Q65)",
           bsdsock_backend());
  }
  H_OK(w);
  return w;
}

/* ifwatch: opening a watch (Linux: its netlink socket, then bind;
 * Windows: the two registrations). */
static long long scn_ifwatch_open(struct run *r) {
  long long rc;
  ifwatch_stubs(1);
  UNDER_TEST(r, rc, bsdsock_ifwatch_open(0));
  ifwatch_stubs(0);
  if (rc == BSDSOCK_EOPNOTSUPP && !r->armed)
    H_SKIP("no interface change notification on the %s backend here "
           "(docs/quirks.md Q65)",
           bsdsock_backend());
  if (rc >= 0) {
    H_OK(bsdsock_close((int)rc));
    rc = 0;
  }
  return rc;
}

/* ifwatchrd: reading a watch with nothing pending (EAGAIN counts as
 * success here). Notifications the kernel dropped (ENOBUFS) are one
 * resync event. */
static long long scn_ifwatch_read(struct run *r) {
  bsdsock_ifevent_t ev[4];
  long long rc;
  int w = ifwatch_or_skip();
  ifwatch_stubs(0);
  UNDER_TEST(r, rc, bsdsock_ifwatch_read(w, ev, 4));
  if (r->armed && r->native == native_of(BSDSOCK_ENOBUFS)) {
    assert_true(rc >= 1);
    assert_int_equal(ev[0].kind, BSDSOCK_IFEV_RESYNC);
  }
  H_OK(bsdsock_close(w));
  return rc == BSDSOCK_EAGAIN || rc > 0 ? 0 : rc;
}

/* ---- the table ------------------------------------------------------------
 */

enum {
  ABSORBED = 1,      /* expect: the call must succeed all the same */
  FROM_RESOLVER = 2, /* inject/expect: a real failed lookup's codes */
  LAST = -1          /* after: fail the last crossing of the dry run */
};

enum {
  NAT_INJECTED, /* bsdsock_last_native_error() is the injected code */
  NAT_ZERO,     /* bsdsock's own failure (ENOMEM): native code 0 */
  NAT_ANY       /* absorbed: nothing to check */
};

struct row {
  const char *name; /* the test is seam_<name>; begins with the seam's */
  int id;           /* BSDSOCK__SYS_* */
  scenario_fn run;
  int inject;        /* portable code whose native spelling is injected */
  int expect;        /* the public call's result, or ABSORBED */
  int native;        /* NAT_* */
  int after;         /* crossings let through first (at most all but the
                      * last of the dry run), or LAST */
  int everywhere;    /* a shared-layer seam: must be crossed everywhere */
  const char *where; /* which backends make the call */
};

#define SYS(id) BSDSOCK__SYS_##id

static struct row rows[] = {
    {"startup", SYS(startup), scn_startup, BSDSOCK_EPROCLIM, BSDSOCK_EPROCLIM,
     NAT_INJECTED, 0, 0, "only Winsock needs starting (WSAStartup, win32)"},
    {"socket", SYS(socket), scn_socket, BSDSOCK_EMFILE, BSDSOCK_EMFILE,
     NAT_INJECTED, 0, 1, "all"},
    /* Failing inside bsdsock_socket: the call fails, the half-made socket
     * is closed (the leak checks). */
    {"sockdefault", SYS(sockdefault), scn_socket6, BSDSOCK_ENOBUFS,
     BSDSOCK_ENOBUFS, NAT_INJECTED, 0, 1, "all (IPV6_V6ONLY)"},
    {"cloexec_socket", SYS(cloexec), scn_socket, BSDSOCK_ENOBUFS,
     BSDSOCK_ENOBUFS, NAT_INJECTED, 0, 0,
     "only a POSIX system without SOCK_CLOEXEC (linux-portable, macOS) sets "
     "FD_CLOEXEC after socket(); Linux and win32 do it atomically"},
    {"cloexec_accept", SYS(cloexec), scn_accept, BSDSOCK_ENOBUFS,
     BSDSOCK_ENOBUFS, NAT_INJECTED, 0, 0,
     "only win32 (handle inheritance) and POSIX systems without accept4 "
     "(linux-portable, macOS) set it after accept(); Linux's accept4 does it "
     "atomically"},
    {"bind", SYS(bind), scn_bind, BSDSOCK_EACCES, BSDSOCK_EACCES, NAT_INJECTED,
     0, 1, "all"},
    {"listen", SYS(listen), scn_listen, BSDSOCK_ENOBUFS, BSDSOCK_ENOBUFS,
     NAT_INJECTED, 0, 1, "all"},
    {"accept", SYS(accept), scn_accept, BSDSOCK_EMFILE, BSDSOCK_EMFILE,
     NAT_INJECTED, 0, 1, "all"},
    {"connect", SYS(connect), scn_connect, BSDSOCK_EACCES, BSDSOCK_EACCES,
     NAT_INJECTED, 0, 1, "all"},
    {"shutdown", SYS(shutdown), scn_shutdown, BSDSOCK_ENETDOWN,
     BSDSOCK_ENETDOWN, NAT_INJECTED, 0, 1, "all"},
    {"close", SYS(close), scn_close, BSDSOCK_ENETDOWN, BSDSOCK_ENETDOWN,
     NAT_INJECTED, 0, 1, "all"},
    {"getsockname", SYS(getsockname), scn_getsockname, BSDSOCK_ENOBUFS,
     BSDSOCK_ENOBUFS, NAT_INJECTED, 0, 1, "all"},
    {"getpeername", SYS(getpeername), scn_getpeername, BSDSOCK_ENOBUFS,
     BSDSOCK_ENOBUFS, NAT_INJECTED, 0, 1, "all"},
    {"setsockopt", SYS(setsockopt), scn_setsockopt, BSDSOCK_ENOBUFS,
     BSDSOCK_ENOBUFS, NAT_INJECTED, 0, 1, "all"},
    {"getsockopt", SYS(getsockopt), scn_getsockopt, BSDSOCK_ENOBUFS,
     BSDSOCK_ENOBUFS, NAT_INJECTED, 0, 1, "all"},
    {"nonblock", SYS(nonblock), scn_set_nonblocking, BSDSOCK_ENETDOWN,
     BSDSOCK_ENETDOWN, NAT_INJECTED, 0, 1, "all"},
    {"nonblock_get", SYS(nonblock), scn_get_nonblocking, BSDSOCK_ENETDOWN,
     BSDSOCK_ENETDOWN, NAT_INJECTED, 0, 0,
     "win32 keeps the mode in its descriptor table (Winsock cannot report "
     "it): reading it makes no OS call"},
    {"nonblock_socket", SYS(nonblock), scn_socket_nonblock, BSDSOCK_ENETDOWN,
     BSDSOCK_ENETDOWN, NAT_INJECTED, 0, 0,
     "Linux's socket() takes SOCK_NONBLOCK; only win32 and POSIX systems "
     "without it (linux-portable, macOS) switch FIONBIO afterwards"},
    {"nonblock_accept", SYS(nonblock), scn_accept_nonblocking, BSDSOCK_ENETDOWN,
     BSDSOCK_ENETDOWN, NAT_INJECTED, 0, 0,
     "Linux's accept4 gives a blocking socket; only win32 and POSIX systems "
     "without accept4 (linux-portable, macOS) switch FIONBIO off afterwards"},
    {"send", SYS(send), scn_send, BSDSOCK_ENOBUFS, BSDSOCK_ENOBUFS,
     NAT_INJECTED, 0, 1, "all"},
    {"recv", SYS(recv), scn_recv, BSDSOCK_ENOBUFS, BSDSOCK_ENOBUFS,
     NAT_INJECTED, 0, 1, "all"},
    {"sendto", SYS(sendto), scn_sendto, BSDSOCK_ENOBUFS, BSDSOCK_ENOBUFS,
     NAT_INJECTED, 0, 1, "all"},
    {"recvfrom", SYS(recvfrom), scn_recvfrom, BSDSOCK_ENOBUFS, BSDSOCK_ENOBUFS,
     NAT_INJECTED, 0, 1, "all"},
    {"sendmsg", SYS(sendmsg), scn_sendmsg, BSDSOCK_ENOBUFS, BSDSOCK_ENOBUFS,
     NAT_INJECTED, 0, 1, "all"},
    {"recvmsg", SYS(recvmsg), scn_recvmsg, BSDSOCK_ENOBUFS, BSDSOCK_ENOBUFS,
     NAT_INJECTED, 0, 1, "all"},
    {"sendmsg_info", SYS(sendmsg), scn_sendmsg_info, BSDSOCK_ENOBUFS,
     BSDSOCK_ENOBUFS, NAT_INJECTED, 0, 1, "all (sendmsg, WSASendMsg)"},
    {"recvmsg_info", SYS(recvmsg), scn_recvmsg_info, BSDSOCK_ENOBUFS,
     BSDSOCK_ENOBUFS, NAT_INJECTED, 0, 1, "all (recvmsg, WSARecvMsg)"},
    /* The extension pointer cannot be had: the message is not sent, or
     * the datagram stays queued. */
    {"extfn_send", SYS(extfn), scn_sendmsg_info, BSDSOCK_EOPNOTSUPP,
     BSDSOCK_EOPNOTSUPP, NAT_INJECTED, 0, 0,
     "only win32 looks WSASendMsg up (SIO_GET_EXTENSION_FUNCTION_POINTER)"},
    {"extfn_recv", SYS(extfn), scn_recvmsg_info, BSDSOCK_EOPNOTSUPP,
     BSDSOCK_EOPNOTSUPP, NAT_INJECTED, 0, 0,
     "only win32 looks WSARecvMsg up (SIO_GET_EXTENSION_FUNCTION_POINTER)"},
    {"sendmmsg", SYS(sendmmsg), scn_sendmmsg, BSDSOCK_ENOBUFS, BSDSOCK_ENOBUFS,
     NAT_INJECTED, 0, 0,
     "only Linux has sendmmsg(); elsewhere a batch is one send per datagram"},
    {"recvmmsg", SYS(recvmmsg), scn_recvmmsg, BSDSOCK_ENOBUFS, BSDSOCK_ENOBUFS,
     NAT_INJECTED, 0, 0,
     "only Linux has recvmmsg(); elsewhere a batch is one receive per "
     "datagram"},
    {"wait_poll", SYS(wait), scn_poll, BSDSOCK_ENOMEM, BSDSOCK_ENOMEM,
     NAT_INJECTED, 0, 1, "all"},
    {"wait_select", SYS(wait), scn_select, BSDSOCK_ENOMEM, BSDSOCK_ENOMEM,
     NAT_INJECTED, 0, 1, "all"},
    /* The zero-timeout WSAPoll only refines select()'s answer: when it
     * fails, the readiness select() reported stands. */
    {"classify", SYS(classify), scn_poll, BSDSOCK_ENOBUFS, ABSORBED, NAT_ANY, 0,
     0, "only win32 follows select() with a zero-timeout WSAPoll"},
    {"getaddrinfo", SYS(getaddrinfo), scn_getaddrinfo, FROM_RESOLVER,
     FROM_RESOLVER, NAT_INJECTED, 0, 1, "all"},
    {"getnameinfo", SYS(getnameinfo), scn_getnameinfo, FROM_RESOLVER,
     FROM_RESOLVER, NAT_INJECTED, 0, 1, "all"},
    /* Memory: bsdsock's own failure (native code 0), BSDSOCK_ENOMEM, or
     * BSDSOCK_EAI_MEMORY from the resolver; the first allocation and the
     * last one of the call (partial results freed). */
    {"alloc_select", SYS(alloc), scn_select_many, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_ZERO, 0, 1, "all"},
    {"alloc_select_last", SYS(alloc), scn_select_many, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_ZERO, LAST, 1, "all"},
    {"alloc_poll", SYS(alloc), scn_poll_many, BSDSOCK_ENOMEM, BSDSOCK_ENOMEM,
     NAT_ZERO, 0, 1, "all"},
    {"alloc_poll_last", SYS(alloc), scn_poll_many, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_ZERO, LAST, 1, "all"},
    {"alloc_getaddrinfo", SYS(alloc), scn_getaddrinfo_all, BSDSOCK_ENOMEM,
     BSDSOCK_EAI_MEMORY, NAT_ZERO, 0, 1, "all"},
    {"alloc_getaddrinfo_last", SYS(alloc), scn_getaddrinfo_all, BSDSOCK_ENOMEM,
     BSDSOCK_EAI_MEMORY, NAT_ZERO, LAST, 1, "all"},
    {"alloc_getaddrinfo_canon", SYS(alloc), scn_getaddrinfo_canon,
     BSDSOCK_ENOMEM, BSDSOCK_EAI_MEMORY, NAT_ZERO, 1, 1, "all"},
    {"alloc_fdset", SYS(alloc), scn_fdset_grow, BSDSOCK_ENOMEM, BSDSOCK_ENOMEM,
     NAT_ZERO, 0, 1, "all"},
    {"alloc_sendmsg", SYS(alloc), scn_sendmsg_many, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_ZERO, 0, 0,
     "only win32 converts the buffers (WSABUF); POSIX passes "
     "bsdsock_iovec_t arrays to the kernel as they are"},
    {"alloc_recvmsg", SYS(alloc), scn_recvmsg_many, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_ZERO, 0, 0,
     "only win32 converts the buffers (WSABUF); POSIX passes "
     "bsdsock_iovec_t arrays to the kernel as they are"},
    /* The descriptor table cannot make room: the new socket is closed. */
    {"fdtable", SYS(fdtable), scn_socket, BSDSOCK_ENOMEM, BSDSOCK_ENOMEM,
     NAT_ZERO, 0, 1, "all"},
    {"fdtable_accept", SYS(fdtable), scn_accept, BSDSOCK_ENOMEM, BSDSOCK_ENOMEM,
     NAT_ZERO, 0, 1, "all"},
    /* No C runtime placeholder: bsdsock_socket numbers the socket from
     * OVERFLOW up, and it works. */
    {"placeholder", SYS(placeholder), scn_socket_used, BSDSOCK_EMFILE, ABSORBED,
     NAT_ANY, 0, 0,
     "only win32 holds a C runtime placeholder descriptor per socket"},
    /* The UDP_SEGMENT probe failing means "no segmentation": every
     * datagram still goes, by sendmmsg(). */
    {"gsoprobe", SYS(gsoprobe), scn_sendmmsg_equal, BSDSOCK_ENOPROTOOPT,
     ABSORBED, NAT_ANY, 0, 0, "only Linux segments UDP batches (UDP_SEGMENT)"},
    {"sigmask", SYS(sigmask), scn_send, BSDSOCK_EFAULT, BSDSOCK_EFAULT,
     NAT_INJECTED, 0, 0,
     "only POSIX systems with neither MSG_NOSIGNAL nor SO_NOSIGPIPE "
     "(linux-portable) block SIGPIPE around a send"},
    /* No event for the overlapped call: the call fails before it starts,
     * and the datagram stays queued for the next one. */
    {"nowait", SYS(nowait), scn_recv_dontwait, BSDSOCK_ENOMEM, BSDSOCK_ENOMEM,
     NAT_INJECTED, 0, 0,
     "MSG_DONTWAIT is a kernel flag on POSIX; only win32 makes an overlapped "
     "call with an event for it"},
    /* The drop-in pipe(): nothing is created, errno says why. */
    {"pipe", SYS(pipe), scn_pipe, BSDSOCK_EMFILE, BSDSOCK_EMFILE, NAT_ANY, 0,
     1, "all"},
    /* A pipe that cannot be asked is reported POLLERR, not waited on. */
    {"peek_poll", SYS(peek), scn_peek_poll, BSDSOCK_ENOBUFS, ABSORBED, NAT_ANY,
     LAST, 0,
     "only win32 asks pipes, the console and files (PeekNamedPipe, "
     "PeekConsoleInput); POSIX's poll() takes them"},
    {"peek_select", SYS(peek), scn_peek_select, BSDSOCK_ENOBUFS, ABSORBED,
     NAT_ANY, LAST, 0,
     "only win32 asks pipes, the console and files (PeekNamedPipe, "
     "PeekConsoleInput); POSIX's select() takes them"},
    /* The poller: nothing is left behind by a failed create or add (the
     * leak checks), and a failed wait leaves the event for the next one. */
    {"pollernew", SYS(pollernew), scn_poller_create, BSDSOCK_EMFILE,
     BSDSOCK_EMFILE, NAT_INJECTED, 0, 1, "all (epoll_create1, the port)"},
    {"afdopen", SYS(afdopen), scn_poller_create, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_INJECTED, 0, 0,
     "only win32 opens the AFD device for a poller"},
    {"afdopen_port", SYS(afdopen), scn_poller_create, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_INJECTED, LAST, 0,
     "only win32 ties an AFD handle to the poller's port"},
    {"afdmode", SYS(afdmode), scn_poller_used, BSDSOCK_ENOMEM, ABSORBED,
     NAT_ANY, 0, 0,
     "only win32 sets the AFD handle's completion mode (an optimisation)"},
    {"fdtable_poller", SYS(fdtable), scn_poller_create, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_ZERO, 0, 1, "all"},
    {"alloc_poller", SYS(alloc), scn_poller_create, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_ZERO, 0, 0,
     "only win32 keeps the poller's state in memory (epoll keeps it in the "
     "kernel)"},
    {"basehandle", SYS(basehandle), scn_poller_add, BSDSOCK_ENOBUFS,
     BSDSOCK_ENOBUFS, NAT_INJECTED, 0, 0,
     "only win32 asks for a socket's base handle (SIO_BASE_HANDLE)"},
    {"pollerctl", SYS(pollerctl), scn_poller_add, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_INJECTED, 0, 1,
     "all (epoll_ctl, IOCTL_AFD_POLL)"},
    {"alloc_poller_add", SYS(alloc), scn_poller_add, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_ZERO, 0, 0,
     "only win32 keeps registrations in memory (epoll keeps them in the "
     "kernel)"},
    {"alloc_poller_add_last", SYS(alloc), scn_poller_add, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_ZERO, LAST, 0,
     "only win32 keeps registrations in memory (epoll keeps them in the "
     "kernel)"},
    {"pollercancel", SYS(pollercancel), scn_poller_modify, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_INJECTED, 0, 0,
     "only win32 cancels a poll in flight to modify it (epoll_ctl changes "
     "the registration in one call)"},
    {"pollercancel_delete", SYS(pollercancel), scn_poller_delete,
     BSDSOCK_ENOMEM, ABSORBED, NAT_ANY, 0, 0,
     "only win32 cancels a poll in flight to delete it"},
    {"pollerwait", SYS(pollerwait), scn_poller_wait, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_INJECTED, 0, 1,
     "all (epoll_wait, GetQueuedCompletionStatusEx)"},
    /* bsdsock_socketpair: each step failing, nothing left open. */
    {"socketpair", SYS(socketpair), scn_socketpair_unix, BSDSOCK_EMFILE,
     BSDSOCK_EMFILE, NAT_INJECTED, 0, 0,
     "only POSIX has socketpair(); Windows builds the pair"},
    {"fdtable_pair", SYS(fdtable), scn_socketpair_unix, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_ZERO, LAST, 0,
     "needs AF_UNIX sockets (Wine has none)"},
    {"socket_pair", SYS(socket), scn_socketpair_inet, BSDSOCK_EMFILE,
     BSDSOCK_EMFILE, NAT_INJECTED, LAST, 1, "all"},
    {"setsockopt_pair", SYS(setsockopt), scn_socketpair_inet, BSDSOCK_ENOBUFS,
     BSDSOCK_ENOBUFS, NAT_INJECTED, 0, 1, "all"},
    {"bind_pair", SYS(bind), scn_socketpair_inet, BSDSOCK_EACCES,
     BSDSOCK_EACCES, NAT_INJECTED, 0, 1, "all"},
    {"listen_pair", SYS(listen), scn_socketpair_inet, BSDSOCK_ENOBUFS,
     BSDSOCK_ENOBUFS, NAT_INJECTED, 0, 1, "all"},
    {"getsockname_pair", SYS(getsockname), scn_socketpair_inet,
     BSDSOCK_ENOBUFS, BSDSOCK_ENOBUFS, NAT_INJECTED, LAST, 1, "all"},
    {"connect_pair", SYS(connect), scn_socketpair_inet, BSDSOCK_EACCES,
     BSDSOCK_EACCES, NAT_INJECTED, 0, 1, "all"},
    {"accept_pair", SYS(accept), scn_socketpair_inet, BSDSOCK_EMFILE,
     BSDSOCK_EMFILE, NAT_INJECTED, 0, 1, "all"},
    {"getpeername_pair", SYS(getpeername), scn_socketpair_inet,
     BSDSOCK_ENOBUFS, BSDSOCK_ENOBUFS, NAT_INJECTED, 0, 1, "all"},
    {"fdtable_pair_accept", SYS(fdtable), scn_socketpair_inet, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_ZERO, LAST, 1, "all"},
    /* No temporary directory: the pair is made in the fallback one. */
    {"tmpdir", SYS(tmpdir), scn_socketpair_built, BSDSOCK_ENOENT, ABSORBED,
     NAT_ANY, 0, 0,
     "an AF_UNIX pair built through a listener: POSIX (forced here) and "
     "Windows with AF_UNIX (Wine 8 has none)"},
    /* A socket file that cannot be removed: the pair is made all the
     * same (the scenario removes the file). */
    {"unlink", SYS(unlink), scn_socketpair_built, BSDSOCK_EACCES, ABSORBED,
     NAT_ANY, LAST, 0,
     "an AF_UNIX pair built through a listener: POSIX (forced here) and "
     "Windows with AF_UNIX (Wine 8 has none)"},
    {"keepalive", SYS(keepalive), scn_keepidle, BSDSOCK_ENOBUFS,
     BSDSOCK_ENOBUFS, NAT_INJECTED, 0, 0,
     "only Windows without TCP_KEEPIDLE (before 10 1709, Wine) sets keepalive "
     "times with SIO_KEEPALIVE_VALS"},
    {"ifname", SYS(ifname), scn_if_indextoname, BSDSOCK_ENOBUFS,
     BSDSOCK_ENOBUFS, NAT_INJECTED, 0, 1, "all"},
    {"ifaddrs", SYS(ifaddrs), scn_interfaces, BSDSOCK_ENOBUFS,
     BSDSOCK_ENOBUFS, NAT_INJECTED, 0, 1, "all"},
    /* An MTU query failing leaves the MTU 0: the list is still made. */
    {"ifmtu", SYS(ifmtu), scn_interfaces, BSDSOCK_ENOBUFS, ABSORBED,
     NAT_ANY, LAST, 0,
     "only POSIX asks each interface's MTU (SIOCGIFMTU); Windows' list has "
     "it"},
    {"alloc_interfaces", SYS(alloc), scn_interfaces, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_ZERO, LAST, 1, "all"},
    /* An interface that cannot be named fails the list: nothing leaks. */
    {"ifluid", SYS(ifluid), scn_interfaces, BSDSOCK_ENOBUFS, BSDSOCK_ENOBUFS,
     NAT_INJECTED, 0, 0,
     "only win32 names interfaces by LUID (ConvertInterfaceLuidToNameA)"},
    {"hostname", SYS(hostname), scn_gethostname, BSDSOCK_ENETDOWN,
     BSDSOCK_ENETDOWN, NAT_INJECTED, 0, 1, "all"},
    {"ifwatch", SYS(ifwatch), scn_ifwatch_open, BSDSOCK_EMFILE,
     BSDSOCK_EMFILE, NAT_INJECTED, 0, 0,
     "Linux (netlink) and Windows (on Wine's stub registrations there)"},
    {"ifwatch_last", SYS(ifwatch), scn_ifwatch_open, BSDSOCK_ENOBUFS,
     BSDSOCK_ENOBUFS, NAT_INJECTED, LAST, 0,
     "Linux (netlink) and Windows (on Wine's stub registrations there)"},
    {"alloc_ifwatch", SYS(alloc), scn_ifwatch_open, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_ZERO, 0, 0,
     "only Windows allocates a watch's queue (Linux's is the kernel's)"},
    {"ifwatchrd", SYS(ifwatchrd), scn_ifwatch_read, BSDSOCK_ENOBUFS, ABSORBED,
     NAT_ANY, 0, 0,
     "only Linux asks the kernel on every read (Windows reads its own "
     "queue)"},
    {"ifwatchrd_fail", SYS(ifwatchrd), scn_ifwatch_read, BSDSOCK_ENOMEM,
     BSDSOCK_ENOMEM, NAT_INJECTED, 0, 0,
     "only Linux asks the kernel on every read (Windows reads its own "
     "queue)"},
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* A real failed lookup's portable and native codes: a service name no
 * services database has, with a numeric host, is refused by the system
 * itself (glibc's EAI_SERVICE, Winsock's WSATYPE_NOT_FOUND) without a name
 * service being asked. Address text bsdsock refuses never reaches it. */
static void resolver_failure(int *portable, int *native) {
  bsdsock_addrinfo_t hints, *res = NULL;
  memset(&hints, 0, sizeof(hints));
  hints.flags = BSDSOCK_AI_NUMERICHOST;
  *portable = bsdsock_getaddrinfo("127.0.0.1", "zz-no-such-service", &hints,
                                  &res);
  *native = bsdsock_last_native_error();
  assert_null(res);
  H_ASSERT_ERR(*portable, BSDSOCK_EAI_SERVICE);
  assert_int_not_equal(*native, 0);
}

static void need_seam(void) {
  if (bsdsock__fault_set(0, 0, 0, 0) == BSDSOCK_ENOSYS)
    H_SKIP("built without BSDSOCK_FAULT_INJECTION");
  bsdsock__fault_reset();
}

/* The dry run: the scenario must work and cross the seam (else skip). */
static void dry_run(const struct row *row, struct run *r) {
  long long got;
  memset(r, 0, sizeof(*r));
  r->id = row->id;
  got = row->run(r);
  if (r->calls == 0) {
    if (row->everywhere)
      fail_msg(
          "seam %s: not crossed by seam_%s on the %s backend, which "
          "every backend must cross",
          bsdsock__fault_name(row->id), row->name, bsdsock_backend());
    H_SKIP("seam %s is not crossed by seam_%s on the %s backend: %s",
           bsdsock__fault_name(row->id), row->name, bsdsock_backend(),
           row->where);
  }
  H_OK(got);
}

/* Nothing leaked: the lowest free numbers are those noted before. */
static void no_leak(const struct row *row, int fd0, int crt0, long os0,
                    const char *when) {
  int fd = lowest_fd(), crt = h_lowest_crt_fd();
  long os = h_os_handles_open();
  if (os != os0)
    fail_msg("seam_%s %s: %ld OS handles open, %ld before (leaked)", row->name,
             when, os, os0);
  if (fd != fd0)
    fail_msg("seam_%s %s: lowest free descriptor %d, was %d (leaked)",
             row->name, when, fd, fd0);
  if (crt != crt0)
    fail_msg(
        "seam_%s %s: lowest free C runtime descriptor %d, was %d "
        "(leaked)",
        row->name, when, crt, crt0);
}

static void test_seam(void **state) {
  const struct row *row = *state;
  struct run r;
  long long got;
  int fd0, crt0, inject, expect = row->expect;
  long os0;
  need_seam();
  dry_run(row, &r);

  /* Armed. */
  inject = row->inject == FROM_RESOLVER ? 0 : native_of(row->inject);
  if (row->inject == FROM_RESOLVER) resolver_failure(&expect, &inject);
  fd0 = lowest_fd();
  crt0 = h_lowest_crt_fd();
  os0 = h_os_handles_open();
  r.after = row->after == LAST || (unsigned long)row->after >= r.calls
                ? (int)r.calls - 1
                : row->after;
  r.armed = 1;
  r.native = inject;
  r.count = 1;
  got = row->run(&r);
  if (r.hits != 1)
    fail_msg("seam_%s: %lu injected failures, expected 1 (%lu crossings)",
             row->name, r.hits, r.calls);
  if (expect == ABSORBED) {
    if (got < 0)
      fail_msg(
          "seam_%s: the fault must be absorbed, yet the call returned "
          "%s",
          row->name, bsdsock_err_name((int)got));
  } else {
    if (got != expect)
      fail_msg(
          "seam_%s: injected native %d, the call returned %lld (%s), "
          "expected %s",
          row->name, inject, got,
          got < 0 ? bsdsock_err_name((int)got) : "success",
          bsdsock_err_name(expect));
    if (row->native == NAT_INJECTED && r.last_native != inject)
      fail_msg("seam_%s: bsdsock_last_native_error() is %d, injected %d",
               row->name, r.last_native, inject);
    if (row->native == NAT_ZERO && r.last_native != 0)
      fail_msg("seam_%s: bsdsock's own failure, yet native error %d", row->name,
               r.last_native);
  }
  no_leak(row, fd0, crt0, os0, "failing");

  /* Disarmed: works again, and still leaks nothing. */
  r.armed = 0;
  H_OK(row->run(&r));
  assert_true(r.calls > 0);
  assert_int_equal(r.hits, 0);
  no_leak(row, fd0, crt0, os0, "disarmed");

  /* The suite started Winsock; the startup row stopped and restarted it. */
  H_OK(bsdsock_init());
}

/* ---- the EINTR policy ------------------------------------------------------
 * A call that a signal interrupted is retried: armed once with the native
 * EINTR, the call succeeds, having crossed its seam twice. */

struct eintr_row {
  const char *name;
  int id;
  scenario_fn run;
};

static struct eintr_row eintr_rows[] = {
    {"send", SYS(send), scn_send},
    {"recv", SYS(recv), scn_recv},
    {"sendto", SYS(sendto), scn_sendto},
    {"recvfrom", SYS(recvfrom), scn_recvfrom},
    {"sendmsg", SYS(sendmsg), scn_sendmsg},
    {"recvmsg", SYS(recvmsg), scn_recvmsg},
    {"sendmmsg", SYS(sendmmsg), scn_sendmmsg},
    {"recvmmsg", SYS(recvmmsg), scn_recvmmsg},
    {"accept", SYS(accept), scn_accept},
    {"wait_poll", SYS(wait), scn_poll},
    {"wait_select", SYS(wait), scn_select},
    {"pollerwait", SYS(pollerwait), scn_poller_wait},
};

#define NEINTR (sizeof(eintr_rows) / sizeof(eintr_rows[0]))

static void test_eintr(void **state) {
  const struct eintr_row *row = *state;
  struct run r;
  long long got;
  need_seam();
  memset(&r, 0, sizeof(r));
  r.id = row->id;
  H_OK(row->run(&r));
  if (r.calls == 0)
    H_SKIP("seam %s is not crossed by eintr_%s on the %s backend",
           bsdsock__fault_name(row->id), row->name, bsdsock_backend());
  r.armed = 1;
  r.native = native_of(BSDSOCK_EINTR);
  r.after = 0;
  r.count = 1;
  got = row->run(&r);
  H_OK(got);
  assert_int_equal(r.hits, 1);
  assert_true(r.calls >= 2); /* retried through the seam */
}

/* A blocking receive that Winsock reports aborted is issued again, as an
 * interrupted one: the Windows backend's only overlapped calls are those
 * that must not wait, and cancelling one may take another thread's
 * blocking receive on the socket along (src/win32/msg.c). Recv and
 * recvmsg (the receives of the recvfrom and recvmmsg shapes share their
 * paths). */
static void test_aborted_receive(void **state) {
  static const scenario_fn runs[] = {scn_recv, scn_recvmsg};
  static const int ids[] = {BSDSOCK__SYS_recv, BSDSOCK__SYS_recvmsg};
  const struct bsdsock__errmap *map;
  struct run r;
  size_t n, i;
  int aborted = 0;
  (void)state;
  need_seam();
  map = bsdsock__errmap(&n);
  for (i = 0; i < n; i++)
    if (strcmp(map[i].name, "WSA_OPERATION_ABORTED") == 0)
      aborted = map[i].native;
  if (aborted == 0)
    H_SKIP("the %s backend makes no overlapped calls, whose cancellation "
           "could abort a blocking receive",
           bsdsock_backend());
  for (i = 0; i < 2; i++) {
    memset(&r, 0, sizeof(r));
    r.id = ids[i];
    r.armed = 1;
    r.native = aborted;
    r.count = 1;
    H_OK(runs[i](&r));
    assert_int_equal(r.hits, 1);
    assert_true(r.calls >= 2); /* issued again through the seam */
  }
}

/* ---- the seam itself -------------------------------------------------------
 */

/* after 1, count 2: the 2nd and 3rd calls fail, the 1st and 4th work. */
static void test_after_and_count(void **state) {
  int fd[4], i, emfile;
  unsigned long calls, hits;
  (void)state;
  need_seam();
  emfile = native_of(BSDSOCK_EMFILE);
  assert_int_equal(bsdsock__fault_set(BSDSOCK__SYS_socket, emfile, 1, 2), 0);
  for (i = 0; i < 4; i++)
    fd[i] = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0);
  calls = bsdsock__fault_calls(BSDSOCK__SYS_socket);
  hits = bsdsock__fault_hits(BSDSOCK__SYS_socket);
  bsdsock__fault_reset();
  H_OK(fd[0]);
  H_ASSERT_ERR(fd[1], BSDSOCK_EMFILE);
  H_ASSERT_ERR(fd[2], BSDSOCK_EMFILE);
  H_OK(fd[3]);
  assert_int_equal(calls, 4);
  assert_int_equal(hits, 2);
  assert_int_equal(bsdsock__fault_calls(BSDSOCK__SYS_socket), 0);
  H_OK(bsdsock_close(fd[0]));
  H_OK(bsdsock_close(fd[3]));
}

/* Every seam has a name and at least one row above. */
static void test_every_seam_has_a_scenario(void **state) {
  size_t i;
  int id;
  (void)state;
  for (id = 0; id < BSDSOCK__SYS_COUNT; id++) {
    const char *name = bsdsock__fault_name(id);
    int found = 0;
    assert_non_null(name);
    assert_true(name[0] != '\0');
    for (i = 0; i < NROWS; i++)
      if (rows[i].id == id) found = 1;
    if (!found)
      fail_msg("seam %s (id %d) has no scenario in tests/test_faults.c", name,
               id);
  }
  for (i = 0; i < NROWS; i++) {
    const char *seam = bsdsock__fault_name(rows[i].id);
    assert_non_null(seam);
    assert_int_equal(strncmp(rows[i].name, seam, strlen(seam)), 0);
  }
  assert_null(bsdsock__fault_name(BSDSOCK__SYS_COUNT));
  assert_null(bsdsock__fault_name(-1));
  if (bsdsock__fault_set(0, 0, 0, 0) != BSDSOCK_ENOSYS)
    H_ASSERT_ERR(bsdsock__fault_set(BSDSOCK__SYS_COUNT, 1, 0, 1),
                 BSDSOCK_EINVAL);
  bsdsock__fault_reset();
}

/* Every test starts and ends with every seam disarmed, even one that
 * failed half-way through a scenario. */
static int reset_seams(void **state) {
  (void)state;
  bsdsock__fault_reset();
  return 0;
}

/* Windows without the keepalive options (quirk Q60), forced: the option
 * refused as older Windows and Wine refuse it, the time is set through
 * SIO_KEEPALIVE_VALS and reads back, also when reading the option is
 * refused too. POSIX has no fallback: the refusal is the answer. */
static void test_keepalive_fallback(void **state) {
  int fd = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0), v = 77, rc;
  size_t len = sizeof(v);
  (void)state;
  need_seam();
  H_OK(fd);
  h_set_int(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_KEEPALIVE, 1);
  assert_int_equal(bsdsock__fault_set(SYS(setsockopt),
                                      native_of(BSDSOCK_ENOPROTOOPT), 0, 1),
                   0);
  rc = bsdsock_setsockopt(fd, BSDSOCK_IPPROTO_TCP, BSDSOCK_TCP_KEEPIDLE, &v,
                          sizeof(v));
  if (rc == 0) {
    assert_int_equal(bsdsock__fault_calls(SYS(keepalive)), 1);
    assert_int_equal(
        h_get_int(fd, BSDSOCK_IPPROTO_TCP, BSDSOCK_TCP_KEEPIDLE), 77);
    bsdsock__fault_reset();
    assert_int_equal(bsdsock__fault_set(SYS(getsockopt),
                                        native_of(BSDSOCK_ENOPROTOOPT), 0, 1),
                     0);
    v = 0;
    H_OK(bsdsock_getsockopt(fd, BSDSOCK_IPPROTO_TCP, BSDSOCK_TCP_KEEPIDLE, &v,
                            &len));
    assert_int_equal(v, 77);
  } else {
    H_ASSERT_ERR(rc, BSDSOCK_ENOPROTOOPT);
    assert_int_equal(bsdsock__fault_calls(SYS(keepalive)), 0);
  }
  bsdsock__fault_reset();
  H_OK(bsdsock_close(fd));
}

int main(void) {
  static struct CMUnitTest tests[NROWS + NEINTR + 4];
  static char names[NROWS + NEINTR][48];
  size_t i, n = 0;
  /* Windows sockets hold C runtime placeholders (the placeholder seam) only
   * with CRT numbering on, as under the drop-in layer (quirk Q68). */
  if (bsdsock_crt_numbering() != 0) return 1;
  tests[n].name = "every_seam_has_a_scenario";
  tests[n].test_func = test_every_seam_has_a_scenario;
  tests[n].setup_func = reset_seams;
  tests[n].teardown_func = reset_seams;
  tests[n].initial_state = NULL;
  n++;
  tests[n].name = "after_and_count";
  tests[n].test_func = test_after_and_count;
  tests[n].setup_func = reset_seams;
  tests[n].teardown_func = reset_seams;
  tests[n].initial_state = NULL;
  n++;
  for (i = 0; i < NROWS; i++, n++) {
    snprintf(names[i], sizeof(names[i]), "seam_%s", rows[i].name);
    tests[n].name = names[i];
    tests[n].test_func = test_seam;
    tests[n].setup_func = reset_seams;
    tests[n].teardown_func = reset_seams;
    tests[n].initial_state = &rows[i];
  }
  for (i = 0; i < NEINTR; i++, n++) {
    snprintf(names[NROWS + i], sizeof(names[0]), "eintr_%s",
             eintr_rows[i].name);
    tests[n].name = names[NROWS + i];
    tests[n].test_func = test_eintr;
    tests[n].setup_func = reset_seams;
    tests[n].teardown_func = reset_seams;
    tests[n].initial_state = &eintr_rows[i];
  }
  tests[n].name = "keepalive_fallback";
  tests[n].test_func = test_keepalive_fallback;
  tests[n].setup_func = reset_seams;
  tests[n].teardown_func = reset_seams;
  tests[n].initial_state = NULL;
  n++;
  tests[n].name = "aborted_receive";
  tests[n].test_func = test_aborted_receive;
  tests[n].setup_func = reset_seams;
  tests[n].teardown_func = reset_seams;
  tests[n].initial_state = NULL;
  n++;
  return h_run("faults", tests, n);
}
