/*
 * tests/test_compat_winsock.c - Winsock code through the drop-in headers.
 *
 * Written as a plain Winsock program. On Windows <winsock2.h> is the real
 * one, so these expectations are checked against Winsock itself (under
 * Wine); elsewhere it is bsdsock's emulation (bsdsock/winsock.h), checked
 * against the same expectations.
 */
#define FD_SETSIZE 256 /* as Winsock programs do for more than 64 sockets */

#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* ---- plain Winsock helpers ----------------------------------------------- */

static void loopback(SOCKADDR_IN *sin) {
  memset(sin, 0, sizeof(*sin));
  sin->sin_family = AF_INET;
  sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

static SOCKET listener(SOCKADDR_IN *bound) {
  int len = sizeof(*bound);
  SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  assert_true(s != INVALID_SOCKET);
  loopback(bound);
  assert_int_equal(bind(s, (SOCKADDR *)bound, sizeof(*bound)), 0);
  assert_int_equal(listen(s, SOMAXCONN), 0);
  assert_int_equal(getsockname(s, (SOCKADDR *)bound, &len), 0);
  assert_int_not_equal(ntohs(bound->sin_port), 0);
  return s;
}

static void tcp_pair(SOCKET *client, SOCKET *server) {
  SOCKADDR_IN a;
  SOCKET l = listener(&a);
  *client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  assert_true(*client != INVALID_SOCKET);
  assert_int_equal(connect(*client, (SOCKADDR *)&a, sizeof(a)), 0);
  *server = accept(l, NULL, NULL);
  assert_true(*server != INVALID_SOCKET);
  assert_int_equal(closesocket(l), 0);
}

static unsigned short free_port(void) {
  SOCKADDR_IN a;
  SOCKET l = listener(&a);
  closesocket(l);
  return ntohs(a.sin_port);
}

static short wait_for(SOCKET s, short events) {
  WSAPOLLFD p;
  p.fd = s;
  p.events = events;
  p.revents = 0;
  assert_true(WSAPoll(&p, 1, 5000) >= 0);
  return p.revents;
}

/* ---- start-up and errors ------------------------------------------------- */

static void test_startup_cleanup_balanced(void **state) {
  WSADATA d1, d2;
  (void)state;
  memset(&d1, 0xff, sizeof(d1));
  assert_int_equal(WSAStartup(MAKEWORD(2, 2), &d1), 0);
  assert_int_equal(d1.wVersion, MAKEWORD(2, 2));
  assert_int_equal(LOBYTE(d1.wHighVersion), 2);
  assert_int_equal(WSAStartup(MAKEWORD(1, 1), &d2), 0);
  assert_int_equal(d2.wVersion, MAKEWORD(1, 1));
  assert_int_equal(WSACleanup(), 0);
  assert_int_equal(WSACleanup(), 0);
  /* Version 0.x does not exist. */
  assert_int_equal(WSAStartup(MAKEWORD(0, 9), &d2), WSAVERNOTSUPPORTED);
}

static void test_set_get_last_error(void **state) {
  (void)state;
  WSASetLastError(WSAEINVAL);
  assert_int_equal(WSAGetLastError(), WSAEINVAL);
  WSASetLastError(WSANOTINITIALISED);
  assert_int_equal(WSAGetLastError(), WSANOTINITIALISED);
  WSASetLastError(0);
  assert_int_equal(WSAGetLastError(), 0);
}

static void test_socket_closesocket(void **state) {
  SOCKET s;
  (void)state;
  s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  assert_true(s != INVALID_SOCKET);
  assert_int_equal(closesocket(s), 0);
  assert_int_equal(closesocket(s), SOCKET_ERROR);
  assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
}

static void test_refused_connect(void **state) {
  SOCKADDR_IN a;
  SOCKET s;
  (void)state;
  loopback(&a);
  a.sin_port = htons(free_port());
  s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  assert_true(s != INVALID_SOCKET);
  assert_int_equal(connect(s, (SOCKADDR *)&a, sizeof(a)), SOCKET_ERROR);
  assert_int_equal(WSAGetLastError(), WSAECONNREFUSED);
  closesocket(s);
}

/* ---- ioctlsocket and non-blocking calls ---------------------------------- */

static void test_ioctlsocket_fionbio_fionread(void **state) {
  char buf[16];
  u_long on = 1, avail = 99;
  SOCKET c, s;
  (void)state;
  tcp_pair(&c, &s);
  assert_int_equal(ioctlsocket(c, FIONBIO, &on), 0);
  assert_int_equal(recv(c, buf, sizeof(buf), 0), SOCKET_ERROR);
  assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
  assert_int_equal(ioctlsocket(c, FIONREAD, &avail), 0);
  assert_int_equal(avail, 0);
  assert_int_equal(send(s, "seven!!", 7, 0), 7);
  assert_true(wait_for(c, POLLRDNORM) & POLLRDNORM);
  assert_int_equal(ioctlsocket(c, FIONREAD, &avail), 0);
  assert_int_equal(avail, 7);
  assert_int_equal(recv(c, buf, sizeof(buf), 0), 7);
  closesocket(c);
  closesocket(s);
}

static void test_nonblocking_connect_would_block(void **state) {
  SOCKADDR_IN a;
  SOCKET l = listener(&a), s;
  u_long on = 1;
  fd_set wr;
  TIMEVAL tv = {5, 0};
  int rc;
  (void)state;
  s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  assert_true(s != INVALID_SOCKET);
  assert_int_equal(ioctlsocket(s, FIONBIO, &on), 0);
  rc = connect(s, (SOCKADDR *)&a, sizeof(a));
  /* Winsock says WSAEWOULDBLOCK, never WSAEINPROGRESS (quirk Q18). */
  if (rc == SOCKET_ERROR) assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
  FD_ZERO(&wr);
  FD_SET(s, &wr);
  assert_int_equal(select(0, NULL, &wr, NULL, &tv), 1);
  assert_true(FD_ISSET(s, &wr));
  closesocket(s);
  closesocket(l);
}

static void test_failed_connect_in_exceptfds(void **state) {
  SOCKADDR_IN a;
  SOCKET s;
  u_long on = 1;
  fd_set wr, ex;
  int err = 0, len = sizeof(err), rc, tries;
  (void)state;
  loopback(&a);
  a.sin_port = htons(free_port());
  s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  assert_true(s != INVALID_SOCKET);
  assert_int_equal(ioctlsocket(s, FIONBIO, &on), 0);
  rc = connect(s, (SOCKADDR *)&a, sizeof(a));
  assert_int_equal(rc, SOCKET_ERROR);
  if (WSAGetLastError() == WSAECONNREFUSED) {  /* refused at once */
    closesocket(s);
    return;
  }
  assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
  /* Windows retries a refused SYN for about two seconds. */
  for (tries = 0; tries < 10; tries++) {
    TIMEVAL tv = {1, 0};
    FD_ZERO(&wr);
    FD_ZERO(&ex);
    FD_SET(s, &wr);
    FD_SET(s, &ex);
    rc = select(0, NULL, &wr, &ex, &tv);
    if (rc != 0) break;
  }
  assert_int_equal(rc, 1);
  assert_true(FD_ISSET(s, &ex));
  assert_false(FD_ISSET(s, &wr));
  assert_int_equal(getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&err, &len), 0);
  assert_int_equal(err, WSAECONNREFUSED);
  closesocket(s);
}

/* ---- WSAPoll ------------------------------------------------------------- */

static void test_wsapoll(void **state) {
  WSAPOLLFD p[3];
  SOCKET c, s;
  (void)state;
  tcp_pair(&c, &s);
  p[0].fd = c;
  p[0].events = POLLRDNORM;
  p[1].fd = s;
  p[1].events = POLLWRNORM;
  p[2].fd = INVALID_SOCKET;
  p[2].events = POLLRDNORM;
  p[0].revents = p[1].revents = p[2].revents = 0;
  /* The invalid entry reads POLLNVAL and does not count (quirk Q36). */
  assert_int_equal(WSAPoll(p, 3, 0), 1);
  assert_int_equal(p[0].revents, 0);
  assert_int_equal(p[1].revents, POLLWRNORM);
  assert_int_equal(p[2].revents, POLLNVAL);
  assert_int_equal(send(s, "x", 1, 0), 1);
  p[1].events = POLLRDNORM;
  assert_int_equal(WSAPoll(p, 2, 5000), 1);
  assert_int_equal(p[0].revents, POLLRDNORM);
  assert_true(p[0].revents & POLLIN);
  closesocket(c);
  closesocket(s);
}

static void test_wsapoll_peer_shutdown_is_pollhup(void **state) {
  WSAPOLLFD p;
  char buf[4];
  SOCKET c, s;
  int tries;
  (void)state;
  tcp_pair(&c, &s);
  assert_int_equal(shutdown(s, SD_SEND), 0);
  p.fd = c;
  p.events = POLLRDNORM;
  for (tries = 0; tries < 50; tries++) {
    p.revents = 0;
    assert_true(WSAPoll(&p, 1, 100) >= 0);
    if (p.revents) break;
  }
  /* Winsock reports the peer's FIN as POLLHUP (quirk Q37). */
  assert_true(p.revents & POLLHUP);
  assert_int_equal(recv(c, buf, sizeof(buf), 0), 0);
  closesocket(c);
  closesocket(s);
}

/* ---- the Winsock fd_set -------------------------------------------------- */

#define NSOCK 100

static void test_fd_set_macros(void **state) {
  fd_set set;
  SOCKET i;
  (void)state;
  FD_ZERO(&set);
  assert_int_equal(set.fd_count, 0);
  FD_SET((SOCKET)7, &set);
  FD_SET((SOCKET)7, &set);  /* duplicates collapse (quirk Q25) */
  assert_int_equal(set.fd_count, 1);
  assert_true(FD_ISSET((SOCKET)7, &set));
  FD_CLR((SOCKET)7, &set);
  assert_int_equal(set.fd_count, 0);
  assert_false(FD_ISSET((SOCKET)7, &set));
  /* Capacity is a count, FD_SETSIZE; a full set ignores more. */
  for (i = 1; i <= FD_SETSIZE + 10; i++) FD_SET(i, &set);
  assert_int_equal(set.fd_count, FD_SETSIZE);
  assert_false(FD_ISSET((SOCKET)(FD_SETSIZE + 5), &set));
}

static void test_select_more_than_64_ignores_nfds(void **state) {
  SOCKET socks[NSOCK];
  SOCKADDR_IN addrs[NSOCK];
  fd_set rd;
  int i, n = 0, tries;
  (void)state;
  for (i = 0; i < NSOCK; i++) {
    int len = sizeof(addrs[i]);
    socks[i] = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    assert_true(socks[i] != INVALID_SOCKET);
    loopback(&addrs[i]);
    assert_int_equal(bind(socks[i], (SOCKADDR *)&addrs[i], sizeof(addrs[i])),
                     0);
    assert_int_equal(getsockname(socks[i], (SOCKADDR *)&addrs[i], &len), 0);
  }
  for (i = 0; i < NSOCK; i += 4)
    assert_int_equal(sendto(socks[0], "d", 1, 0, (SOCKADDR *)&addrs[i],
                            sizeof(addrs[i])), 1);
  for (tries = 0; tries < 50; tries++) {
    TIMEVAL tv = {0, 100000};
    FD_ZERO(&rd);
    for (i = 0; i < NSOCK; i++) FD_SET(socks[i], &rd);
    assert_int_equal(rd.fd_count, NSOCK);
    /* nfds is ignored: 0 is what Winsock programs pass. */
    n = select(0, &rd, NULL, NULL, &tv);
    assert_true(n >= 0);
    assert_int_equal(rd.fd_count, n);
    if (n == NSOCK / 4) break;
  }
  assert_int_equal(n, NSOCK / 4);
  for (i = 0; i < NSOCK; i++)
    assert_int_equal(FD_ISSET(socks[i], &rd) != 0, i % 4 == 0);
  for (i = 0; i < NSOCK; i++) closesocket(socks[i]);
}

/* ---- shutdown, options, resolver ----------------------------------------- */

static void test_sd_both_then_send(void **state) {
  SOCKET c, s;
  (void)state;
  tcp_pair(&c, &s);
  assert_int_equal(shutdown(c, SD_BOTH), 0);
  assert_int_equal(send(c, "x", 1, 0), SOCKET_ERROR);
  assert_int_equal(WSAGetLastError(), WSAESHUTDOWN);
  closesocket(c);
  closesocket(s);
}

static void test_dword_timeouts(void **state) {
  DWORD ms = 200, got = 0;
  int len = sizeof(got);
  char buf[4];
  SOCKET c, s;
  (void)state;
  tcp_pair(&c, &s);
  assert_int_equal(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms,
                              sizeof(ms)), 0);
  assert_int_equal(getsockopt(c, SOL_SOCKET, SO_RCVTIMEO, (char *)&got, &len),
                   0);
  assert_int_equal(len, sizeof(DWORD));
  assert_int_equal(got, 200);
  assert_int_equal(recv(c, buf, sizeof(buf), 0), SOCKET_ERROR);
  assert_int_equal(WSAGetLastError(), WSAETIMEDOUT);
  closesocket(c);
  closesocket(s);
}

static void test_getaddrinfo_winsock_numbers(void **state) {
  ADDRINFOA hints, *res = NULL;
  int rc;
  (void)state;
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST;
  assert_int_equal(getaddrinfo("127.0.0.1", "80", &hints, &res), 0);
  assert_non_null(res);
  assert_int_equal(res->ai_family, AF_INET);
  freeaddrinfo(res);
  rc = getaddrinfo("not an address", NULL, &hints, &res);
  assert_int_equal(rc, EAI_NONAME);
  assert_int_equal(rc, WSAHOST_NOT_FOUND);
  assert_int_equal(WSAGetLastError(), WSAHOST_NOT_FOUND);
  assert_true(strlen(gai_strerror(rc)) > 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_startup_cleanup_balanced),
      cmocka_unit_test(test_set_get_last_error),
      cmocka_unit_test(test_socket_closesocket),
      cmocka_unit_test(test_refused_connect),
      cmocka_unit_test(test_ioctlsocket_fionbio_fionread),
      cmocka_unit_test(test_nonblocking_connect_would_block),
      cmocka_unit_test(test_failed_connect_in_exceptfds),
      cmocka_unit_test(test_wsapoll),
      cmocka_unit_test(test_wsapoll_peer_shutdown_is_pollhup),
      cmocka_unit_test(test_fd_set_macros),
      cmocka_unit_test(test_select_more_than_64_ignores_nfds),
      cmocka_unit_test(test_sd_both_then_send),
      cmocka_unit_test(test_dword_timeouts),
      cmocka_unit_test(test_getaddrinfo_winsock_numbers),
  };
  return H_RUN("compat_winsock", tests);
}
