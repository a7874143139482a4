/* SPDX-License-Identifier: MIT */
/*
 * test_badinput.c - every public socket call with bad input: invalid,
 * never-opened and closed descriptors (EBADF on both backends, fault F1),
 * NULL pointers, unknown families/types/protocols, bad shutdown modes and
 * MSG flags, unsupported address families (F20) and calls in the wrong
 * state. Each failure gives a specific code, leaves
 * bsdsock_last_native_error() consistent with it, and changes nothing:
 * no descriptor leaks, data still flows afterwards, a queued datagram
 * stays queued, a file descriptor passed for a socket is left alone.
 */
#include "harness.h"

#include <limits.h>

/* ---- checks ------------------------------------------------------------ */

/* An argument error bsdsock detected itself: no native code behind it. */
#define ARG_ERR(call, want)                                                  \
  do {                                                                       \
    H_ASSERT_ERR(call, want);                                                \
    assert_int_equal(bsdsock_last_native_error(), 0);                        \
  } while (0)

/* An error either bsdsock or the system may detect: the native code is
 * 0 (bsdsock's own check) or one that translates to the same code. */
#define SYS_ERR(call, want)                                                  \
  do {                                                                       \
    int native_;                                                             \
    H_ASSERT_ERR(call, want);                                                \
    native_ = bsdsock_last_native_error();                                   \
    if (native_ != 0 && bsdsock_translate_error(native_) != (want))          \
      fail_msg("%s: native %d translates to %s", #call, native_,             \
               bsdsock_err_name(bsdsock_translate_error(native_)));          \
  } while (0)

static int probe_fd = -1;   /* the lowest free number when the suite began */

static int tcp_socket(void) {
  int fd = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  H_OK(fd);
  return fd;
}

static int closed_fd(void) {
  int fd = tcp_socket();
  H_OK(bsdsock_close(fd));
  return fd;
}

/* An address of family 77, which no platform has. */
static void bogus_addr(bsdsock_addr_t *a) {
  memset(a, 0, sizeof(*a));
  a->family = 77;
  a->port = 0x5000;
  a->u.ip4[0] = 127;
  a->u.ip4[3] = 1;
}

/* ---- descriptors ------------------------------------------------------- */

static void test_probe_first(void **state) {
  (void)state;
  probe_fd = tcp_socket();
  H_OK(bsdsock_close(probe_fd));
}

/* Every call that takes a descriptor, on a descriptor that is not an open
 * socket: EBADF, on both backends (Winsock's WSAENOTSOCK never shows). */
static void bad_fd_calls(int fd) {
  bsdsock_addr_t a;
  bsdsock_timeval_t tv = {1, 0};
  char buf[8];
  int v = 1;
  size_t len = sizeof(v);
  h_loopback(&a, BSDSOCK_AF_INET);
  SYS_ERR(bsdsock_bind(fd, &a), BSDSOCK_EBADF);
  SYS_ERR(bsdsock_listen(fd, 1), BSDSOCK_EBADF);
  SYS_ERR(bsdsock_accept(fd, &a), BSDSOCK_EBADF);
  SYS_ERR(bsdsock_connect(fd, &a), BSDSOCK_EBADF);
  SYS_ERR(bsdsock_shutdown(fd, BSDSOCK_SHUT_RDWR), BSDSOCK_EBADF);
  SYS_ERR(bsdsock_getsockname(fd, &a), BSDSOCK_EBADF);
  SYS_ERR(bsdsock_getpeername(fd, &a), BSDSOCK_EBADF);
  SYS_ERR(bsdsock_set_nonblocking(fd, 1), BSDSOCK_EBADF);
  SYS_ERR(bsdsock_get_nonblocking(fd), BSDSOCK_EBADF);
  SYS_ERR(bsdsock_send(fd, "x", 1, 0), BSDSOCK_EBADF);
  SYS_ERR(bsdsock_recv(fd, buf, sizeof(buf), 0), BSDSOCK_EBADF);
  SYS_ERR(bsdsock_sendto(fd, "x", 1, 0, &a), BSDSOCK_EBADF);
  SYS_ERR(bsdsock_recvfrom(fd, buf, sizeof(buf), 0, &a), BSDSOCK_EBADF);
  SYS_ERR(bsdsock_setsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_KEEPALIVE,
                             &v, sizeof(v)), BSDSOCK_EBADF);
  SYS_ERR(bsdsock_setsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_RCVTIMEO,
                             &tv, sizeof(tv)), BSDSOCK_EBADF);
  SYS_ERR(bsdsock_getsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_TYPE, &v,
                             &len), BSDSOCK_EBADF);
  SYS_ERR(bsdsock_close(fd), BSDSOCK_EBADF);
  assert_true(bsdsock_native_handle(fd) == BSDSOCK_OS_SOCK_INVALID);
}

static void test_fd_negative(void **state) {
  (void)state;
  bad_fd_calls(-1);
  bad_fd_calls(INT_MIN);
}

static void test_fd_never_opened(void **state) {
  (void)state;
  bad_fd_calls(99999);
  bad_fd_calls(1 << 30);
}

static void test_fd_closed(void **state) {
  (void)state;
  bad_fd_calls(closed_fd());
}

/* A file descriptor is not a socket: every call says EBADF and leaves the
 * file alone, as on Windows, where such a number is not in bsdsock's
 * table. On POSIX FIONBIO and F_GETFL work on any file, so the mode calls
 * must check before acting (set_nonblocking(0, 1) would make a terminal
 * non-blocking under the program's other users of it). */
static void test_fd_file(void **state) {
  bsdsock_addr_t a;
  bsdsock_timeval_t tv = {1, 0};
  char buf[8];
  int v = 1, fd = h_open_file();
  size_t len = sizeof(v);
  (void)state;
  assert_true(fd >= 0);
  h_loopback(&a, BSDSOCK_AF_INET);
  H_ASSERT_ERR(bsdsock_set_nonblocking(fd, 1), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_set_nonblocking(fd, 0), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_get_nonblocking(fd), BSDSOCK_EBADF);
  assert_true(bsdsock_native_handle(fd) == BSDSOCK_OS_SOCK_INVALID);
  H_ASSERT_ERR(bsdsock_bind(fd, &a), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_listen(fd, 1), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_accept(fd, &a), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_connect(fd, &a), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_shutdown(fd, BSDSOCK_SHUT_RDWR), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_getsockname(fd, &a), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_getpeername(fd, &a), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_send(fd, "x", 1, 0), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_recv(fd, buf, sizeof(buf), 0), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_setsockopt(fd, BSDSOCK_SOL_SOCKET,
                                  BSDSOCK_SO_RCVTIMEO, &tv, sizeof(tv)),
               BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_getsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_TYPE,
                                  &v, &len), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_close(fd), BSDSOCK_EBADF);
  /* Still open: none of it closed the file. */
  assert_int_equal(h_close_file(fd), 0);
}

/* ---- socket() ---------------------------------------------------------- */

static void test_socket_args(void **state) {
  static const struct {
    int family, type, protocol, want;
  } bad[] = {
      {77, BSDSOCK_SOCK_STREAM, 0, BSDSOCK_EAFNOSUPPORT},
      {-1, BSDSOCK_SOCK_STREAM, 0, BSDSOCK_EAFNOSUPPORT},
      {BSDSOCK_AF_UNSPEC, BSDSOCK_SOCK_STREAM, 0, BSDSOCK_EAFNOSUPPORT},
      {10, BSDSOCK_SOCK_STREAM, 0, BSDSOCK_EAFNOSUPPORT},  /* Linux's AF_INET6 */
      {23, BSDSOCK_SOCK_STREAM, 0, BSDSOCK_EAFNOSUPPORT},  /* Winsock's */
      {BSDSOCK_AF_INET, 0, 0, BSDSOCK_ESOCKTNOSUPPORT},
      {BSDSOCK_AF_INET, 4, 0, BSDSOCK_ESOCKTNOSUPPORT},
      {BSDSOCK_AF_INET, 99, 0, BSDSOCK_ESOCKTNOSUPPORT},
      {BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM | 0x40000000, 0,
       BSDSOCK_ESOCKTNOSUPPORT},
      {BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 200, BSDSOCK_EPROTONOSUPPORT},
      {BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, -1, BSDSOCK_EPROTONOSUPPORT},
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    ARG_ERR(bsdsock_socket(bad[i].family, bad[i].type, bad[i].protocol),
            bad[i].want);
}

/* A known protocol that does not fit the type: the system refuses it. */
static void test_socket_mismatch(void **state) {
  (void)state;
  SYS_ERR(bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM,
                         BSDSOCK_IPPROTO_UDP), BSDSOCK_EPROTONOSUPPORT);
  SYS_ERR(bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM,
                         BSDSOCK_IPPROTO_TCP), BSDSOCK_EPROTONOSUPPORT);
}

/* ---- addresses and pointers ------------------------------------------------ */

static void test_null_pointers(void **state) {
  int fd = tcp_socket();
  (void)state;
  ARG_ERR(bsdsock_bind(fd, NULL), BSDSOCK_EINVAL);
  ARG_ERR(bsdsock_connect(fd, NULL), BSDSOCK_EINVAL);
  ARG_ERR(bsdsock_getsockname(fd, NULL), BSDSOCK_EINVAL);
  ARG_ERR(bsdsock_getpeername(fd, NULL), BSDSOCK_EINVAL);
  /* Still a fresh, usable socket. */
  assert_int_equal(bsdsock_get_nonblocking(fd), 0);
  H_OK(bsdsock_close(fd));
}

/* A NULL data buffer with a non-zero length is refused by the system
 * (EFAULT), never dereferenced; with length 0 it is a legal empty call. */
static void test_null_buffers(void **state) {
  char buf[4];
  int c, s;
  (void)state;
  h_tcp_pair(BSDSOCK_AF_INET, &c, &s);
  SYS_ERR(bsdsock_send(c, NULL, 4, 0), BSDSOCK_EFAULT);
  assert_int_equal(bsdsock_send(c, NULL, 0, 0), 0);
  assert_int_equal(bsdsock_send(c, "ok", 2, 0), 2);
  SYS_ERR(bsdsock_recv(s, NULL, 4, 0), BSDSOCK_EFAULT);
  assert_int_equal(bsdsock_recv(s, buf, sizeof(buf), 0), 2);
  assert_memory_equal(buf, "ok", 2);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

/* Family 77 in bind/connect/sendto: EAFNOSUPPORT from bsdsock's address
 * conversion, and the socket is untouched (F20). */
static void test_bad_family_addr(void **state) {
  bsdsock_addr_t bad, name;
  int t = tcp_socket(), u = bsdsock_socket(BSDSOCK_AF_INET,
                                           BSDSOCK_SOCK_DGRAM, 0);
  (void)state;
  H_OK(u);
  bogus_addr(&bad);
  ARG_ERR(bsdsock_bind(t, &bad), BSDSOCK_EAFNOSUPPORT);
  ARG_ERR(bsdsock_connect(t, &bad), BSDSOCK_EAFNOSUPPORT);
  ARG_ERR(bsdsock_sendto(u, "x", 1, 0, &bad), BSDSOCK_EAFNOSUPPORT);
  /* Not bound by any of it. */
  H_OK(bsdsock_getsockname(u, &name));
  assert_int_equal(bsdsock_addr_port(&name), 0);
  H_OK(bsdsock_close(t));
  H_OK(bsdsock_close(u));
}

/* ---- modes and flags ------------------------------------------------------ */

static void test_bad_shutdown_how(void **state) {
  static const int bad[] = {3, -1, 0x100, INT_MAX};
  int c, s;
  size_t i;
  (void)state;
  h_tcp_pair(BSDSOCK_AF_INET, &c, &s);
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    ARG_ERR(bsdsock_shutdown(c, bad[i]), BSDSOCK_EINVAL);
  /* Nothing was shut down. */
  assert_int_equal(bsdsock_send(c, "ok", 2, 0), 2);
  assert_int_equal(bsdsock_send(s, "ok", 2, 0), 2);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

/* An unknown MSG flag bit fails the call before any data moves. */
static void test_bad_msg_flags(void **state) {
  static const int bad[] = {0x40000000, BSDSOCK_MSG_PEEK | 0x40000000,
                            BSDSOCK_MSG_TRUNC << 8};
  bsdsock_addr_t from;
  char buf[8];
  int c, s;
  size_t i;
  (void)state;
  h_tcp_pair(BSDSOCK_AF_INET, &c, &s);
  assert_int_equal(bsdsock_send(c, "data", 4, 0), 4);
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    ARG_ERR(bsdsock_send(c, "zz", 2, bad[i]), BSDSOCK_EINVAL);
    ARG_ERR(bsdsock_sendto(c, "zz", 2, bad[i], NULL), BSDSOCK_EINVAL);
    ARG_ERR(bsdsock_recv(s, buf, sizeof(buf), bad[i]), BSDSOCK_EINVAL);
    ARG_ERR(bsdsock_recvfrom(s, buf, sizeof(buf), bad[i], &from),
            BSDSOCK_EINVAL);
  }
  /* Exactly the good data arrives. */
  assert_int_equal(bsdsock_send(c, "!", 1, 0), 1);
  assert_int_equal(bsdsock_recv(s, buf, 5, BSDSOCK_MSG_WAITALL), 5);
  assert_memory_equal(buf, "data!", 5);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

/* ---- a queued datagram stays queued ---------------------------------------- */

/* Two UDP sockets on loopback, with the datagram "dgram" sent from tx
 * queued on rx (waited for, at most 5 s). */
static void queued_datagram(int *tx, int *rx, bsdsock_addr_t *rxa) {
  bsdsock_addr_t txa;
  bsdsock_pollfd_t p;
  *tx = h_udp_bound(BSDSOCK_AF_INET, &txa);
  *rx = h_udp_bound(BSDSOCK_AF_INET, rxa);
  assert_int_equal(bsdsock_sendto(*tx, "dgram", 5, 0, rxa), 5);
  p.fd = *rx;
  p.events = BSDSOCK_POLLIN;
  p.revents = 0;
  assert_int_equal(bsdsock_poll(&p, 1, 5000), 1);
}

/* Receives the datagram "dgram" and asserts nothing else is queued. */
static void takes_datagram(int rx) {
  char buf[16];
  assert_int_equal(bsdsock_recv(rx, buf, sizeof(buf), BSDSOCK_MSG_DONTWAIT),
                   5);
  assert_memory_equal(buf, "dgram", 5);
  H_ASSERT_ERR(bsdsock_recv(rx, buf, sizeof(buf), BSDSOCK_MSG_DONTWAIT),
               BSDSOCK_EAGAIN);
}

/* A NULL buffer with a length is refused before the receive: Linux would
 * take the datagram off the queue and then fail with EFAULT, losing it.
 * recvmsg/recvmmsg call such a buffer a malformed message (bsdsock/msg.h:
 * EINVAL), with the same promise. */
static void test_null_buffer_keeps_datagram(void **state) {
  bsdsock_addr_t rxa, from;
  bsdsock_iovec_t io = {NULL, 8};
  bsdsock_msghdr_t m;
  bsdsock_mmsghdr_t mm;
  int tx, rx;
  (void)state;
  queued_datagram(&tx, &rx, &rxa);
  ARG_ERR(bsdsock_recv(rx, NULL, 8, 0), BSDSOCK_EFAULT);
  ARG_ERR(bsdsock_recv(rx, NULL, 8, BSDSOCK_MSG_DONTWAIT), BSDSOCK_EFAULT);
  ARG_ERR(bsdsock_recvfrom(rx, NULL, 8, 0, &from), BSDSOCK_EFAULT);
  ARG_ERR(bsdsock_recvfrom(rx, NULL, 8, BSDSOCK_MSG_PEEK, &from),
          BSDSOCK_EFAULT);
  memset(&m, 0, sizeof(m));
  m.iov = &io;
  m.iovlen = 1;
  ARG_ERR(bsdsock_recvmsg(rx, &m, 0), BSDSOCK_EINVAL);
  memset(&mm, 0, sizeof(mm));
  mm.hdr = m;
  ARG_ERR(bsdsock_recvmmsg(rx, &mm, 1, 0, NULL), BSDSOCK_EINVAL);
  takes_datagram(rx);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

/* MSG_TRUNC and MSG_CTRUNC are output flags (recvmsg's msg->flags): as
 * input they are EINVAL on every data call, before anything moves (Linux
 * would take MSG_TRUNC on a receive as "report the real length" and drop
 * the datagram into a short buffer). */
static void test_output_flags_as_input(void **state) {
  static const int bad[] = {BSDSOCK_MSG_TRUNC, BSDSOCK_MSG_CTRUNC,
                            BSDSOCK_MSG_TRUNC | BSDSOCK_MSG_PEEK,
                            BSDSOCK_MSG_CTRUNC | BSDSOCK_MSG_DONTWAIT};
  bsdsock_addr_t rxa, from;
  char buf[16];
  bsdsock_iovec_t io;
  bsdsock_msghdr_t m;
  bsdsock_mmsghdr_t mm;
  size_t i;
  int tx, rx;
  (void)state;
  queued_datagram(&tx, &rx, &rxa);
  io.base = buf;
  io.len = sizeof(buf);
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    memset(&m, 0, sizeof(m));
    m.iov = &io;
    m.iovlen = 1;
    memset(&mm, 0, sizeof(mm));
    mm.hdr = m;
    ARG_ERR(bsdsock_recv(rx, buf, sizeof(buf), bad[i]), BSDSOCK_EINVAL);
    ARG_ERR(bsdsock_recvfrom(rx, buf, sizeof(buf), bad[i], &from),
            BSDSOCK_EINVAL);
    ARG_ERR(bsdsock_recvmsg(rx, &m, bad[i]), BSDSOCK_EINVAL);
    ARG_ERR(bsdsock_recvmmsg(rx, &mm, 1, bad[i], NULL), BSDSOCK_EINVAL);
    /* Nothing is sent either. */
    m.name = &rxa;
    mm.hdr = m;
    ARG_ERR(bsdsock_sendto(tx, "zz", 2, bad[i], &rxa), BSDSOCK_EINVAL);
    ARG_ERR(bsdsock_sendmsg(tx, &m, bad[i]), BSDSOCK_EINVAL);
    ARG_ERR(bsdsock_sendmmsg(tx, &mm, 1, bad[i], NULL), BSDSOCK_EINVAL);
  }
  takes_datagram(rx);
  H_OK(bsdsock_close(tx));
  H_OK(bsdsock_close(rx));
}

/* A failure with an OS code behind it (listen on a UDP socket), so that
 * the next call starts with a native error recorded. */
static void native_error_first(int udp) {
  H_ASSERT_ERR(bsdsock_listen(udp, 1), BSDSOCK_EOPNOTSUPP);
  assert_int_not_equal(bsdsock_last_native_error(), 0);
}

/* An argument error is bsdsock's own: bsdsock_last_native_error() is 0
 * after it, also when the call before it failed with a native error (so a
 * stale OS code is never reported against it). */
static void test_arg_error_clears_native(void **state) {
  bsdsock_addr_t a;
  bsdsock_msghdr_t m;
  int u = h_udp_bound(BSDSOCK_AF_INET, &a);
  (void)state;
  memset(&m, 0, sizeof(m));
  native_error_first(u);
  ARG_ERR(bsdsock_sendmsg(u, NULL, 0), BSDSOCK_EINVAL);
  native_error_first(u);
  ARG_ERR(bsdsock_recvmsg(u, NULL, 0), BSDSOCK_EINVAL);
  native_error_first(u);
  ARG_ERR(bsdsock_sendmmsg(u, NULL, 1, 0, NULL), BSDSOCK_EINVAL);
  native_error_first(u);
  ARG_ERR(bsdsock_recvmmsg(u, NULL, 1, 0, NULL), BSDSOCK_EINVAL);
  native_error_first(u);
  ARG_ERR(bsdsock_sendmsg(u, &m, 0x40000000), BSDSOCK_EINVAL);
  native_error_first(u);
  ARG_ERR(bsdsock_recvmsg(u, &m, BSDSOCK_MSG_TRUNC), BSDSOCK_EINVAL);
  H_OK(bsdsock_close(u));
}

/* ---- calls in the wrong state ------------------------------------------- */

static void test_listen_on_udp(void **state) {
  bsdsock_addr_t a;
  int u = h_udp_bound(BSDSOCK_AF_INET, &a);
  (void)state;
  SYS_ERR(bsdsock_listen(u, 4), BSDSOCK_EOPNOTSUPP);
  SYS_ERR(bsdsock_accept(u, NULL), BSDSOCK_EOPNOTSUPP);
  H_OK(bsdsock_close(u));
}

static void test_connect_twice(void **state) {
  bsdsock_addr_t a;
  int c, s;
  (void)state;
  h_tcp_pair(BSDSOCK_AF_INET, &c, &s);
  H_OK(bsdsock_getpeername(c, &a));
  SYS_ERR(bsdsock_connect(c, &a), BSDSOCK_EISCONN);
  /* The connection is intact. */
  assert_int_equal(bsdsock_send(c, "x", 1, 0), 1);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

static void test_bind_twice(void **state) {
  bsdsock_addr_t a, name;
  int fd = tcp_socket();
  (void)state;
  h_loopback(&a, BSDSOCK_AF_INET);
  H_OK(bsdsock_bind(fd, &a));
  H_OK(bsdsock_getsockname(fd, &name));
  SYS_ERR(bsdsock_bind(fd, &a), BSDSOCK_EINVAL);
  H_OK(bsdsock_getsockname(fd, &a));
  assert_memory_equal(&a, &name, sizeof(a));
  H_OK(bsdsock_close(fd));
}

static void test_accept_not_listening(void **state) {
  bsdsock_addr_t a;
  int fd = tcp_socket();
  (void)state;
  h_loopback(&a, BSDSOCK_AF_INET);
  H_OK(bsdsock_bind(fd, &a));
  SYS_ERR(bsdsock_accept(fd, NULL), BSDSOCK_EINVAL);
  H_OK(bsdsock_close(fd));
}

static void test_not_connected(void **state) {
  bsdsock_addr_t a;
  char buf[4];
  int fd = tcp_socket();
  (void)state;
  SYS_ERR(bsdsock_getpeername(fd, &a), BSDSOCK_ENOTCONN);
  SYS_ERR(bsdsock_recv(fd, buf, sizeof(buf), 0), BSDSOCK_ENOTCONN);
  SYS_ERR(bsdsock_shutdown(fd, BSDSOCK_SHUT_RDWR), BSDSOCK_ENOTCONN);
  H_OK(bsdsock_close(fd));
}

/* An address of the other IP family than the socket's: EAFNOSUPPORT on
 * every backend and in both directions (Linux alone says EINVAL for an
 * IPv4 address on an IPv6 socket; Wine says WSAEOPNOTSUPP). */
static void family_mismatch(int sock_family, int addr_family) {
  bsdsock_addr_t a;
  int t = bsdsock_socket(sock_family, BSDSOCK_SOCK_STREAM, 0);
  int u = bsdsock_socket(sock_family, BSDSOCK_SOCK_DGRAM, 0);
  H_OK(t);
  H_OK(u);
  h_loopback(&a, addr_family);
  a.port = 0x5000;   /* network order, any non-zero port */
  H_ASSERT_ERR(bsdsock_bind(t, &a), BSDSOCK_EAFNOSUPPORT);
  H_ASSERT_ERR(bsdsock_connect(t, &a), BSDSOCK_EAFNOSUPPORT);
  H_ASSERT_ERR(bsdsock_sendto(u, "x", 1, 0, &a), BSDSOCK_EAFNOSUPPORT);
  H_ASSERT_ERR(bsdsock_bind(u, &a), BSDSOCK_EAFNOSUPPORT);
  H_OK(bsdsock_close(t));
  H_OK(bsdsock_close(u));
}

static void test_family_mismatch(void **state) {
  (void)state;
  family_mismatch(BSDSOCK_AF_INET, BSDSOCK_AF_INET6);
  if (!h_have_ipv6()) H_SKIP("no IPv6 loopback (::1) on this host");
  family_mismatch(BSDSOCK_AF_INET6, BSDSOCK_AF_INET);
}

/* Runs last: no call above leaked a descriptor. */
static void test_probe_last(void **state) {
  int fd = tcp_socket();
  (void)state;
  H_OK(bsdsock_close(fd));
  assert_true(probe_fd >= 0);
  assert_int_equal(fd, probe_fd);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_probe_first),
      cmocka_unit_test(test_fd_negative),
      cmocka_unit_test(test_fd_never_opened),
      cmocka_unit_test(test_fd_closed),
      cmocka_unit_test(test_fd_file),
      cmocka_unit_test(test_socket_args),
      cmocka_unit_test(test_socket_mismatch),
      cmocka_unit_test(test_null_pointers),
      cmocka_unit_test(test_null_buffers),
      cmocka_unit_test(test_bad_family_addr),
      cmocka_unit_test(test_bad_shutdown_how),
      cmocka_unit_test(test_bad_msg_flags),
      cmocka_unit_test(test_null_buffer_keeps_datagram),
      cmocka_unit_test(test_output_flags_as_input),
      cmocka_unit_test(test_arg_error_clears_native),
      cmocka_unit_test(test_listen_on_udp),
      cmocka_unit_test(test_connect_twice),
      cmocka_unit_test(test_bind_twice),
      cmocka_unit_test(test_accept_not_listening),
      cmocka_unit_test(test_not_connected),
      cmocka_unit_test(test_family_mismatch),
      cmocka_unit_test(test_probe_last),
  };
  return H_RUN("badinput", tests);
}
