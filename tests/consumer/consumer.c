/* SPDX-License-Identifier: MIT */
/*
 * A program outside bsdsock's tree that uses only the installed package:
 * it checks that the installed headers and library are the same version,
 * resolves the loopback address, echoes one message over TCP through
 * bsdsock and prints "consumer ok <backend> <version>".
 */
#include <bsdsock/bsdsock.h>
#include <stdio.h>
#include <string.h>

static int check(int rc, const char *what) {
  if (rc < 0) {
    fprintf(stderr, "consumer: %s: %s\n", what, bsdsock_strerror(rc));
    return 1;
  }
  return 0;
}

int main(void) {
  bsdsock_addr_t addr;
  char buf[16] = {0};
  int l, c, s;
  /* bsdsock/version.h is generated at build time and installed apart from
   * the other headers: it must be there and agree with the library. */
  if (strcmp(bsdsock_version(), BSDSOCK_VERSION_STRING) != 0) {
    fprintf(stderr, "consumer: library %s, headers %s\n", bsdsock_version(),
            BSDSOCK_VERSION_STRING);
    return 1;
  }
  if (check(bsdsock_addr_loopback(&addr, BSDSOCK_AF_INET, 0), "loopback"))
    return 1;
  l = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  if (check(l, "socket") || check(bsdsock_bind(l, &addr), "bind") ||
      check(bsdsock_listen(l, 1), "listen") ||
      check(bsdsock_getsockname(l, &addr), "getsockname"))
    return 1;
  c = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  if (check(c, "socket") || check(bsdsock_connect(c, &addr), "connect"))
    return 1;
  s = bsdsock_accept(l, NULL);
  if (check(s, "accept") || check((int)bsdsock_send(c, "ping", 4, 0), "send") ||
      check((int)bsdsock_recv(s, buf, sizeof(buf) - 1, 0), "recv"))
    return 1;
  if (strcmp(buf, "ping") != 0) {
    fprintf(stderr, "consumer: echoed %s\n", buf);
    return 1;
  }
  bsdsock_close(s);
  bsdsock_close(c);
  bsdsock_close(l);
  printf("consumer ok %s %s\n", bsdsock_backend(), bsdsock_version());
  return 0;
}
