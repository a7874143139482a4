/* SPDX-License-Identifier: MIT */
/*
 * tests/test_compat_winsock_resolver.c - the Winsock drop-in's mapping of
 * the resolver's h_errno to WSAGetLastError(), for every code.
 *
 * The Linux-only half of the resolver checks: test_compat_winsock checks
 * a real refused name (WSAHOST_NOT_FOUND) against Winsock and the
 * emulation alike; the other codes (a server failure, a name without an
 * address) need a DNS server to answer, which tests must not ask. So this
 * program defines gethostbyname() and gethostbyaddr() itself: the drop-in
 * runtime, linked statically into it, calls these instead of the C
 * library's, and they fail with the h_errno the name asks for. There is
 * no Windows twin: on Windows the program would test Winsock's resolver,
 * not bsdsock.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* The C library's names, not the drop-in's macros, from here on: its
 * h_errno is glibc's thread variable (the drop-in's h_errno, like
 * Winsock's, is WSAGetLastError()), with netdb.h's numbers. */
#undef gethostbyname
#undef gethostbyaddr
#define C_H_ERRNO (*__h_errno_location())
enum { C_HOST_NOT_FOUND = 1, C_NO_DATA = 4 };

struct hostent *gethostbyname(const char *name);
struct hostent *gethostbyaddr(const void *addr, socklen_t len, int type);

static struct hostent found;

/* "fail-N": fails with h_errno N (errno set as glibc's NSS leaves it);
 * anything else is found. */
struct hostent *gethostbyname(const char *name) {
  if (strncmp(name, "fail-", 5) == 0) {
    errno = ENOENT;
    C_H_ERRNO = atoi(name + 5);
    return NULL;
  }
  errno = ENOENT;
  return &found;
}

struct hostent *gethostbyaddr(const void *addr, socklen_t len, int type) {
  (void)addr;
  (void)len;
  (void)type;
  C_H_ERRNO = C_NO_DATA;
  return NULL;
}

static void test_every_h_errno(void **state) {
  static const struct {
    const char *name;
    int wsa;
  } rows[] = {
      {"fail-1", WSAHOST_NOT_FOUND}, /* HOST_NOT_FOUND */
      {"fail-2", WSATRY_AGAIN},      /* TRY_AGAIN */
      {"fail-3", WSANO_RECOVERY},    /* NO_RECOVERY */
      {"fail-4", WSANO_DATA},        /* NO_DATA */
      {"fail--1", WSANO_RECOVERY},   /* NETDB_INTERNAL, errno ENOENT */
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
    WSASetLastError(WSAECONNREFUSED); /* a stale code */
    assert_null(bsdsock_compat_ws_gethostbyname(rows[i].name));
    assert_int_equal(WSAGetLastError(), rows[i].wsa);
    assert_int_equal(GetLastError(), (DWORD)rows[i].wsa);
  }
}

static void test_gethostbyaddr_no_data(void **state) {
  char addr[4] = {192, 0, 2, 1};
  (void)state;
  WSASetLastError(WSAECONNREFUSED);
  assert_null(bsdsock_compat_ws_gethostbyaddr(addr, 4, AF_INET));
  assert_int_equal(WSAGetLastError(), WSANO_DATA);
}

/* A success leaves the last error as it was, whatever the C library did
 * to errno on the way. */
static void test_success_keeps_last_error(void **state) {
  (void)state;
  WSASetLastError(WSAEWOULDBLOCK);
  assert_ptr_equal(bsdsock_compat_ws_gethostbyname("found"), &found);
  assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
  WSASetLastError(WSANOTINITIALISED);
  assert_ptr_equal(bsdsock_compat_ws_gethostbyname("found"), &found);
  assert_int_equal(WSAGetLastError(), WSANOTINITIALISED);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_h_errno),
      cmocka_unit_test(test_gethostbyaddr_no_data),
      cmocka_unit_test(test_success_keeps_last_error),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
