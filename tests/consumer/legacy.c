/* SPDX-License-Identifier: MIT */
/*
 * A BSD socket program that knows nothing of bsdsock, built outside the
 * tree against an installed package with exactly the commands
 * docs/compat.md gives (scripts/consumer-check.sh): the drop-in headers
 * on Windows, the system's own on Linux. It echoes one message over
 * loopback TCP, waiting with poll(), and prints "consumer ok legacy".
 */
#define _DEFAULT_SOURCE 1
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <unistd.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int die(const char *what) {
  fprintf(stderr, "legacy: %s: %s\n", what, strerror(errno));
  return 1;
}

int main(void) {
  struct sockaddr_in a;
  socklen_t len = sizeof(a);
  struct pollfd p;
  char buf[8] = {0};
  int l, c, s;
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if ((l = socket(AF_INET, SOCK_STREAM, 0)) < 0) return die("socket");
  if (bind(l, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(l, 1) != 0 ||
      getsockname(l, (struct sockaddr *)&a, &len) != 0)
    return die("listen");
  if ((c = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
      connect(c, (struct sockaddr *)&a, sizeof(a)) != 0)
    return die("connect");
  if ((s = accept(l, NULL, NULL)) < 0) return die("accept");
  if (write(c, "hello", 5) != 5) return die("write");
  p.fd = s;
  p.events = POLLIN;
  p.revents = 0;
  if (poll(&p, 1, 5000) != 1 || !(p.revents & POLLIN)) return die("poll");
  if (read(s, buf, sizeof(buf)) != 5 || memcmp(buf, "hello", 5) != 0)
    return die("read");
  close(s);
  close(c);
  close(l);
  printf("consumer ok legacy\n");
  return 0;
}
