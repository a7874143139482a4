/* SPDX-License-Identifier: MIT */
/*
 * test_remote_dropin.c - transparent mode (docs/wire.md): a plain BSD
 * program whose socket calls go to a bsdsockd when BSDSOCK_REMOTE is set.
 *
 * Written as legacy BSD code: the includes below resolve to bsdsock's
 * transparent-mode headers on Linux (bsdsock::compat_remote) and to the
 * BSD drop-in on Windows (bsdsock::compat). A bsdsockd started on
 * 127.0.0.1 port 0 holds the remote sockets; the peers they talk to are
 * local bsdsock sockets of this process (bsdsock_* calls are never
 * routed), so each exchange crosses the server.
 */
#define _DEFAULT_SOURCE 1 /* glibc hides the socket API under -std=c11 */

/* <sys/socket.h> first: the system's includes <sys/select.h> half-way
 * through, whose drop-in must not need anything <sys/socket.h> has not
 * declared yet. */
#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "fault.h" /* the placeholder seam (src/fault.h) */

static const char *token = "dropin-test-token";
static char endpoint[64];
static h_process_t *server;

/* Transparent mode on (the right token), off, or with a wrong token; each
 * starts a new session at the next socket call. */
static void mode_remote(const char *tok) {
  h_setenv("BSDSOCK_REMOTE", endpoint);
  h_setenv("BSDSOCK_TOKEN", tok);
  bsdsock_compat_remote_reset();
}

static void mode_local(void) {
  h_setenv("BSDSOCK_REMOTE", NULL);
  bsdsock_compat_remote_reset();
}

/* 1 if fd is a socket of this process (bsdsock knows it), 0 if it is not
 * (a remote socket's placeholder). */
static int is_local_socket(int fd) {
  int type = 0;
  size_t len = sizeof(type);
  return bsdsock_getsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_TYPE, &type,
                            &len) == 0;
}

static void to_sin(const bsdsock_addr_t *a, struct sockaddr_in *sin) {
  memset(sin, 0, sizeof(*sin));
  sin->sin_family = AF_INET;
  sin->sin_port = a->port;
  memcpy(&sin->sin_addr, a->u.ip4, 4);
}

/* A remote socket connected to a local listener, and the local end. */
static void remote_pair(int *remote, int *local) {
  bsdsock_addr_t bound;
  struct sockaddr_in sin;
  int l = h_listener(BSDSOCK_AF_INET, &bound);
  *remote = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(*remote >= 0);
  assert_false(is_local_socket(*remote));
  to_sin(&bound, &sin);
  assert_int_equal(connect(*remote, (struct sockaddr *)&sin, sizeof(sin)), 0);
  *local = bsdsock_accept(l, NULL);
  assert_true(*local >= 0);
  h_io_timeout(*local, 10000);
  bsdsock_close(l);
}

/* ---- tests --------------------------------------------------------------- */

static void test_local_without_env(void **state) {
  int fd;
  (void)state;
  mode_local();
  fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(fd >= 0);
  assert_true(is_local_socket(fd));
  assert_int_equal(close(fd), 0);
}

static void test_tcp_exchange(void **state) {
  char buf[16];
  int r, c;
  (void)state;
  mode_remote(token);
  remote_pair(&r, &c);
  assert_int_equal(send(r, "hello", 5, 0), 5);
  /* Exactly what was sent: a local MSG_WAITALL for more would wait on
   * Linux and return at once under Wine (quirk Q64). */
  assert_int_equal(bsdsock_recv(c, buf, 5, BSDSOCK_MSG_WAITALL), 5);
  assert_memory_equal(buf, "hello", 5);
  assert_int_equal(bsdsock_send(c, "world!", 6, 0), 6);
  assert_int_equal(recv(r, buf, 6, MSG_WAITALL), 6);
  assert_memory_equal(buf, "world!", 6);
  /* write()/read() on the number are the socket's too. */
  assert_int_equal(write(r, "abc", 3), 3);
  assert_int_equal(bsdsock_recv(c, buf, 3, BSDSOCK_MSG_WAITALL), 3);
  assert_int_equal(bsdsock_send(c, "xyz", 3, 0), 3);
  assert_int_equal(read(r, buf, 3), 3);
  assert_memory_equal(buf, "xyz", 3);
  /* close() ends the server's socket: the peer reads end of stream. */
  assert_int_equal(close(r), 0);
  assert_int_equal(bsdsock_recv(c, buf, sizeof(buf), 0), 0);
  bsdsock_close(c);
  mode_local();
}

static void test_numbers_apart(void **state) {
  int f1, s1, f2, s2;
  (void)state;
  mode_remote(token);
  f1 = h_open_file();
  s1 = socket(AF_INET, SOCK_STREAM, 0);
  f2 = h_open_file();
  s2 = socket(AF_INET, SOCK_DGRAM, 0);
  assert_true(f1 >= 0 && s1 >= 0 && f2 >= 0 && s2 >= 0);
  assert_int_not_equal(s1, f1);
  assert_int_not_equal(s1, f2);
  assert_int_not_equal(s2, f1);
  assert_int_not_equal(s2, f2);
  assert_int_not_equal(s1, s2);
  /* The mode is the server's socket's; the number cannot be duplicated
   * (the system would copy the placeholder). */
  assert_int_equal(fcntl(s1, F_GETFL, 0) & O_NONBLOCK, 0);
  assert_int_equal(fcntl(s1, F_SETFL, fcntl(s1, F_GETFL, 0) | O_NONBLOCK), 0);
  assert_int_not_equal(fcntl(s1, F_GETFL, 0) & O_NONBLOCK, 0);
  errno = 0;
  assert_int_equal(dup(s1), -1);
  assert_int_equal(errno, EOPNOTSUPP);
  assert_int_equal(close(s1), 0);
  assert_int_equal(close(s2), 0);
  /* Closed once: the number is gone, and the files are untouched. */
  errno = 0;
  assert_int_equal(close(s1), -1);
  assert_int_equal(errno, EBADF);
  assert_int_equal(h_close_file(f1), 0);
  assert_int_equal(h_close_file(f2), 0);
  mode_local();
}

/* The server allows 8 sockets a session: 3 rounds of 8 fit only if each
 * close() freed its socket there. */
static void test_close_frees_on_server(void **state) {
  int fds[8], round, i;
  (void)state;
  mode_remote(token);
  for (round = 0; round < 3; round++) {
    for (i = 0; i < 8; i++) {
      fds[i] = socket(AF_INET, SOCK_STREAM, 0);
      assert_true(fds[i] >= 0);
    }
    for (i = 0; i < 8; i++) assert_int_equal(close(fds[i]), 0);
  }
  /* The limit itself holds: a ninth open socket is refused. */
  for (i = 0; i < 8; i++) assert_true((fds[i] = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
  errno = 0;
  assert_int_equal(socket(AF_INET, SOCK_STREAM, 0), -1);
  assert_int_equal(errno, EMFILE);
  for (i = 0; i < 8; i++) assert_int_equal(close(fds[i]), 0);
  mode_local();
}

static void test_refused_errno(void **state) {
  bsdsock_addr_t bound;
  struct sockaddr_in sin;
  int l, fd;
  (void)state;
  /* A port that was just listening and is closed now. */
  l = h_listener(BSDSOCK_AF_INET, &bound);
  bsdsock_close(l);
  mode_remote(token);
  fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(fd >= 0);
  to_sin(&bound, &sin);
  errno = 0;
  assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), -1);
  assert_int_equal(errno, ECONNREFUSED);
  assert_int_equal(close(fd), 0);
  mode_local();
}

static void test_wrong_token(void **state) {
  (void)state;
  mode_remote("not-the-token");
  printf("(one line from bsdsock on stderr is expected here)\n");
  errno = 0;
  assert_int_equal(socket(AF_INET, SOCK_STREAM, 0), -1);
  assert_int_equal(errno, EACCES);
  /* No fallback to a local socket, and the same answer again. */
  errno = 0;
  assert_int_equal(socket(AF_INET, SOCK_STREAM, 0), -1);
  assert_int_equal(errno, EACCES);
  mode_local();
}

/* No server at the address, and no token at all: the socket call fails
 * with the open's error; nothing falls back to a local socket. */
static void test_no_session(void **state) {
  bsdsock_addr_t bound;
  char where[64];
  int l;
  (void)state;
  l = h_listener(BSDSOCK_AF_INET, &bound);
  bsdsock_close(l);
  snprintf(where, sizeof(where), "127.0.0.1:%u",
           (unsigned)ntohs(bound.port));
  h_setenv("BSDSOCK_REMOTE", where);
  h_setenv("BSDSOCK_TOKEN", token);
  bsdsock_compat_remote_reset();
  errno = 0;
  assert_int_equal(socket(AF_INET, SOCK_STREAM, 0), -1);
  assert_int_equal(errno, ECONNREFUSED);
  h_setenv("BSDSOCK_REMOTE", endpoint);
  h_setenv("BSDSOCK_TOKEN", NULL);
  h_setenv("BSDSOCK_TOKEN_FILE", NULL);
  bsdsock_compat_remote_reset();
  errno = 0;
  assert_int_equal(socket(AF_INET, SOCK_STREAM, 0), -1);
  assert_int_equal(errno, EACCES);
  mode_local();
}

static void test_poll_remote_and_pipe(void **state) {
  struct pollfd p[2];
  char buf[8];
  int r, c, pp[2];
  (void)state;
  mode_remote(token);
  remote_pair(&r, &c);
  assert_int_equal(pipe(pp), 0);
  p[0].fd = r;
  p[0].events = POLLIN;
  p[1].fd = pp[0];
  p[1].events = POLLIN;
  /* Nothing ready: the timeout passes. */
  assert_int_equal(poll(p, 1, 50), 0);
  assert_int_equal(poll(p, 2, 50), 0);
  /* The remote socket alone, then with the pipe too. */
  assert_int_equal(bsdsock_send(c, "x", 1, 0), 1);
  assert_int_equal(poll(p, 2, 10000), 1);
  assert_true(p[0].revents & POLLIN);
  assert_int_equal(p[1].revents, 0);
  assert_int_equal(write(pp[1], "y", 1), 1);
  assert_int_equal(poll(p, 2, 10000), 2);
  assert_true(p[0].revents & POLLIN);
  assert_true(p[1].revents & POLLIN);
  assert_int_equal(recv(r, buf, 1, 0), 1);
  assert_int_equal(read(pp[0], buf, 1), 1);
  close(pp[0]);
  close(pp[1]);
  assert_int_equal(close(r), 0);
  bsdsock_close(c);
  mode_local();
}

static void test_resolver_remote(void **state) {
  struct addrinfo hints, *res = NULL;
  struct hostent *he;
  (void)state;
  mode_remote(token);
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  assert_int_equal(getaddrinfo("127.0.0.1", "8080", &hints, &res), 0);
  assert_non_null(res);
  assert_int_equal(res->ai_family, AF_INET);
  assert_int_equal(res->ai_socktype, SOCK_STREAM);
  assert_int_equal(
      ntohs(((struct sockaddr_in *)(void *)res->ai_addr)->sin_port), 8080);
  freeaddrinfo(res);
  he = gethostbyname("127.0.0.1");
  assert_non_null(he);
  assert_int_equal(he->h_addrtype, AF_INET);
  assert_int_equal(he->h_length, 4);
  assert_non_null(he->h_addr_list[0]);
  assert_memory_equal(he->h_addr_list[0], "\x7f\0\0\x01", 4);
  mode_local();
}

/* No placeholder for a new remote socket (the process is out of
 * descriptors): socket() fails with EMFILE, and the server's socket is
 * closed again (the session's whole limit still fits afterwards). */
static void test_placeholder_fails(void **state) {
  int fds[8], i, fd;
  (void)state;
  mode_remote(token);
  fd = socket(AF_INET, SOCK_STREAM, 0); /* opens the session first */
  assert_true(fd >= 0);
  assert_int_equal(close(fd), 0);
  if (bsdsock__fault_set(BSDSOCK__SYS_placeholder, EMFILE, 0, 1) ==
      BSDSOCK_ENOSYS) {
    printf("skipped: this build has no fault-injection seam\n");
    mode_local();
    skip();
  }
  errno = 0;
  fd = socket(AF_INET, SOCK_STREAM, 0);
  bsdsock__fault_reset();
  assert_int_equal(fd, -1);
  assert_int_equal(errno, EMFILE);
  for (i = 0; i < 8; i++) {
    fds[i] = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fds[i] >= 0);
  }
  for (i = 0; i < 8; i++) assert_int_equal(close(fds[i]), 0);
  mode_local();
}

/* ---- the server ---------------------------------------------------------- */

static int start_server(void) {
  static const char *const extra[] = {"--max-sockets", "8", NULL};
  unsigned port;
  server = h_bsdsockd_start(BSDSOCKD_PATH, token, extra, &port);
  if (server == NULL) return -1;
  snprintf(endpoint, sizeof(endpoint), "127.0.0.1:%u", port);
  printf("bsdsockd on %s\n", endpoint);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_local_without_env),
      cmocka_unit_test(test_tcp_exchange),
      cmocka_unit_test(test_numbers_apart),
      cmocka_unit_test(test_close_frees_on_server),
      cmocka_unit_test(test_refused_errno),
      cmocka_unit_test(test_wrong_token),
      cmocka_unit_test(test_no_session),
      cmocka_unit_test(test_poll_remote_and_pipe),
      cmocka_unit_test(test_resolver_remote),
      cmocka_unit_test(test_placeholder_fails),
  };
  int rc;
  bsdsock_init();
  if (start_server() != 0) {
    h_process_kill(server);
    return 1;
  }
  rc = H_RUN("remote_dropin", tests);
  mode_local();
  h_process_kill(server);
  return rc;
}
