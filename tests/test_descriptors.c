/* SPDX-License-Identifier: MIT */
/*
 * test_descriptors.c - descriptor numbering: small non-negative ints, the
 * lowest free number first (socket() and accept() alike), reuse of freed
 * numbers, EBADF for numbers that are not open sockets, and a consistent
 * table under concurrent open/close.
 */
#include "harness.h"

#include <limits.h>
#include <stdatomic.h>

#define NSOCK 5

static int tcp_socket(void) {
  int fd = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  H_OK(fd);
  return fd;
}

static void close_all(int *fds, int n) {
  int i;
  for (i = 0; i < n; i++)
    if (fds[i] >= 0) H_OK(bsdsock_close(fds[i]));
}

/* Runs first: numbering starts just above stdio (0-2) on both backends. */
static void test_first_is_low(void **state) {
  int fd = tcp_socket();
  (void)state;
  assert_true(fd >= 3);
  assert_true(fd < 16);
  H_OK(bsdsock_close(fd));
}

/* With nothing else opening files, successive sockets are consecutive. */
static void test_sequential(void **state) {
  int fds[NSOCK], i;
  (void)state;
  for (i = 0; i < NSOCK; i++) fds[i] = tcp_socket();
  for (i = 1; i < NSOCK; i++) assert_int_equal(fds[i], fds[0] + i);
  close_all(fds, NSOCK);
  /* All freed: the lowest number comes back first. */
  i = tcp_socket();
  assert_int_equal(i, fds[0]);
  H_OK(bsdsock_close(i));
}

/* A freed number is reused, lowest first. */
static void test_reuse_lowest(void **state) {
  int fds[NSOCK], a, b, c;
  (void)state;
  for (a = 0; a < NSOCK; a++) fds[a] = tcp_socket();
  H_OK(bsdsock_close(fds[3]));
  H_OK(bsdsock_close(fds[1]));
  a = tcp_socket();
  b = tcp_socket();
  c = tcp_socket();
  assert_int_equal(a, fds[1]);
  assert_int_equal(b, fds[3]);
  assert_int_equal(c, fds[NSOCK - 1] + 1);
  fds[1] = a;
  fds[3] = b;
  close_all(fds, NSOCK);
  H_OK(bsdsock_close(c));
}

/* UDP and TCP, IPv4 and IPv6 sockets share one numbering. */
static void test_mixed_kinds(void **state) {
  int fds[3];
  (void)state;
  fds[0] = tcp_socket();
  fds[1] = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0);
  H_OK(fds[1]);
  fds[2] = bsdsock_socket(BSDSOCK_AF_INET6, BSDSOCK_SOCK_STREAM, 0);
  if (fds[2] < 0) fds[2] = tcp_socket();  /* no IPv6 stack: still a number */
  assert_int_equal(fds[1], fds[0] + 1);
  assert_int_equal(fds[2], fds[0] + 2);
  close_all(fds, 3);
}

/* Numbers that are not open sockets: EBADF, nothing else touched. */
static void test_close_bad(void **state) {
  static const int never[] = {-1, -2, INT_MIN, 1 << 30, INT_MAX, 99999};
  int fd = tcp_socket(), keep = tcp_socket();
  size_t i;
  (void)state;
  H_OK(bsdsock_close(fd));
  H_ASSERT_ERR(bsdsock_close(fd), BSDSOCK_EBADF);  /* closed twice */
  for (i = 0; i < sizeof(never) / sizeof(never[0]); i++)
    H_ASSERT_ERR(bsdsock_close(never[i]), BSDSOCK_EBADF);
  /* Standard input/output/error are files, not bsdsock sockets: refused,
   * and left open (the next socket still does not get their numbers). */
  for (i = 0; i < 3; i++) H_ASSERT_ERR(bsdsock_close((int)i), BSDSOCK_EBADF);
  fd = tcp_socket();
  assert_true(fd >= 3);
  H_OK(bsdsock_close(fd));
  /* The other socket is still open and usable. */
  assert_int_equal(bsdsock_get_nonblocking(keep), 0);
  H_OK(bsdsock_close(keep));
  H_ASSERT_ERR(bsdsock_close(keep), BSDSOCK_EBADF);
}

/* accept() hands out the lowest free number too. */
static void test_accept_lowest(void **state) {
  bsdsock_addr_t a;
  int l, c, hole, filler, s;
  (void)state;
  hole = tcp_socket();
  l = h_listener(BSDSOCK_AF_INET, &a);
  c = tcp_socket();
  filler = tcp_socket();
  H_OK(bsdsock_connect(c, &a));
  H_OK(bsdsock_close(hole));
  s = bsdsock_accept(l, NULL);
  H_OK(s);
  assert_int_equal(s, hole);
  H_OK(bsdsock_close(s));
  H_OK(bsdsock_close(filler));
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(l));
}

static void test_native_handle(void **state) {
  int fd = tcp_socket();
  (void)state;
  assert_true(bsdsock_native_handle(fd) != BSDSOCK_OS_SOCK_INVALID);
  H_OK(bsdsock_close(fd));
  assert_true(bsdsock_native_handle(fd) == BSDSOCK_OS_SOCK_INVALID);
  assert_true(bsdsock_native_handle(-1) == BSDSOCK_OS_SOCK_INVALID);
  assert_true(bsdsock_native_handle(INT_MIN) == BSDSOCK_OS_SOCK_INVALID);
  assert_true(bsdsock_native_handle(1 << 30) == BSDSOCK_OS_SOCK_INVALID);
  assert_true(bsdsock_native_handle(99999) == BSDSOCK_OS_SOCK_INVALID);
}

/* ---- hostile callers ------------------------------------------------- */

/* The lowest free descriptor number. */
static int lowest_fd(void) {
  int fd = tcp_socket();
  H_OK(bsdsock_close(fd));
  return fd;
}

/* CRT numbering switched on while a socket is open: that socket's number
 * is reserved then, so the C runtime hands it to no file (on POSIX the
 * socket's number is its kernel descriptor anyway). Runs before any other
 * test switches it on. */
static void test_crt_numbering_late(void **state) {
  int fd, file;
  (void)state;
  fd = tcp_socket();
  H_OK(bsdsock_crt_numbering());
  H_OK(bsdsock_crt_numbering()); /* idempotent */
  file = h_open_file();
  assert_true(file >= 0);
  assert_int_not_equal(file, fd);
  assert_int_not_equal(h_lowest_crt_fd(), fd);
  assert_int_equal(h_close_file(file), 0);
  H_OK(bsdsock_close(fd));
}

/* A legacy program closes a socket's number with the C runtime's close()
 * instead of the socket call. On Windows that closes the placeholder
 * descriptor the socket holds (src/win32/fdtable.c) and the socket stays
 * open; bsdsock must go on: later sockets open, no C runtime file gets a
 * number while a live socket holds it, and closing the socket never closes
 * a file that took its number in between. */
static void test_crt_close_placeholder(void **state) {
  int fd, fd2, file, low0, crt0;
  (void)state;
  /* What the drop-in layer does at its first call (quirk Q68). */
  H_OK(bsdsock_crt_numbering());
  low0 = lowest_fd();
  crt0 = h_lowest_crt_fd();
  fd = tcp_socket();
  if (h_crt_close(fd) != 0) {
    H_OK(bsdsock_close(fd));
    H_SKIP("the %s backend holds no placeholder descriptor: a socket's "
           "number is its kernel descriptor, which close() would close",
           bsdsock_backend());
  }
  /* The next socket opens, with another number; the C runtime then hands
   * out neither number. */
  fd2 = tcp_socket();
  assert_int_not_equal(fd2, fd);
  assert_int_not_equal(h_lowest_crt_fd(), fd);
  assert_int_not_equal(h_lowest_crt_fd(), fd2);
  /* The first socket still works. */
  assert_int_equal(bsdsock_get_nonblocking(fd), 0);
  H_OK(bsdsock_set_nonblocking(fd, 1));
  H_OK(bsdsock_close(fd));
  H_OK(bsdsock_close(fd2));
  assert_int_equal(lowest_fd(), low0);
  assert_int_equal(h_lowest_crt_fd(), crt0);

  /* A file opened before bsdsock can notice takes the number (the C
   * runtime hands out the lowest free one). Closing the socket leaves
   * that file open. */
  fd = tcp_socket();
  assert_int_equal(h_crt_close(fd), 0);
  file = h_crt_open_temp("crt-close");
  assert_int_equal(file, fd);
  fd2 = tcp_socket();
  assert_int_not_equal(fd2, fd);
  H_OK(bsdsock_close(fd));
  H_OK(bsdsock_close(fd2));
  assert_int_equal(h_crt_close(file), 0);
  assert_int_equal(lowest_fd(), low0);
  assert_int_equal(h_lowest_crt_fd(), crt0);
}

/* A connection over loopback: connect, send, receive. */
static void echo_once(void) {
  char buf[4];
  int c, s;
  h_tcp_pair(BSDSOCK_AF_INET, &c, &s);
  H_ASSERT_ERR(bsdsock_send(c, "ping", 4, 0), 4);
  H_ASSERT_ERR(bsdsock_recv(s, buf, sizeof(buf), BSDSOCK_MSG_WAITALL), 4);
  assert_memory_equal(buf, "ping", 4);
  H_OK(bsdsock_close(c));
  H_OK(bsdsock_close(s));
}

/* bsdsock_cleanup() gives back bsdsock's Winsock reference (the last one
 * in this process); a later bsdsock_init(), or the lazy start of any call,
 * takes a new one (quirk Q43). */
static void test_restart(void **state) {
  (void)state;
  echo_once();
  bsdsock_cleanup();
  H_OK(bsdsock_init());
  echo_once();
  /* A second cleanup and a second init change nothing. */
  bsdsock_cleanup();
  bsdsock_cleanup();
  H_OK(bsdsock_init());
  H_OK(bsdsock_init());
  echo_once();
  /* Started lazily by the first call after a cleanup. */
  bsdsock_cleanup();
  echo_once();
}

/* ---- concurrency ----------------------------------------------------- */

#define NTHREADS 4
#define ROUNDS 200
#define MAXFD 4096

static atomic_int owner[MAXFD];   /* 1 while some thread holds the number */
static atomic_int failures;       /* socket()/close() failed */
static atomic_int duplicates;     /* a number handed out twice at once */

static void claim(int fd) {
  if (fd < 0 || fd >= MAXFD) {
    atomic_fetch_add(&failures, 1);
    return;
  }
  if (atomic_exchange(&owner[fd], 1) != 0) atomic_fetch_add(&duplicates, 1);
}

/* Released before close(): once closed, another thread may get the
 * number at once. */
static void release(int fd) {
  if (fd >= 0 && fd < MAXFD) atomic_store(&owner[fd], 0);
  if (bsdsock_close(fd) != 0) atomic_fetch_add(&failures, 1);
}

static void stress(void *arg) {
  int i, held[2];
  (void)arg;
  for (i = 0; i < ROUNDS; i++) {
    held[0] = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
    held[1] = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0);
    claim(held[0]);
    claim(held[1]);
    release(held[(i & 1)]);
    release(held[!(i & 1)]);
  }
}

static void test_threads(void **state) {
  h_thread_t *t[NTHREADS];
  int i, before, fds[NSOCK];
  (void)state;
  before = tcp_socket();
  H_OK(bsdsock_close(before));
  atomic_store(&failures, 0);
  atomic_store(&duplicates, 0);
  for (i = 0; i < NTHREADS; i++) {
    t[i] = h_thread_start(stress, NULL);
    assert_non_null(t[i]);
  }
  for (i = 0; i < NTHREADS; i++) h_thread_join(t[i]);
  assert_int_equal(atomic_load(&failures), 0);
  assert_int_equal(atomic_load(&duplicates), 0);
  for (i = 0; i < MAXFD; i++) assert_int_equal(atomic_load(&owner[i]), 0);
  /* The table is back where it was: lowest first, consecutive. */
  for (i = 0; i < NSOCK; i++) fds[i] = tcp_socket();
  assert_int_equal(fds[0], before);
  for (i = 1; i < NSOCK; i++) assert_int_equal(fds[i], before + i);
  close_all(fds, NSOCK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_first_is_low),
      cmocka_unit_test(test_sequential),
      cmocka_unit_test(test_reuse_lowest),
      cmocka_unit_test(test_mixed_kinds),
      cmocka_unit_test(test_close_bad),
      cmocka_unit_test(test_accept_lowest),
      cmocka_unit_test(test_native_handle),
      cmocka_unit_test(test_threads),
      cmocka_unit_test(test_restart),
      cmocka_unit_test(test_crt_numbering_late),
      cmocka_unit_test(test_crt_close_placeholder),
  };
  return H_RUN("descriptors", tests);
}
