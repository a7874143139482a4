/* SPDX-License-Identifier: MIT */
/*
 * A BSD socket program that knows nothing of bsdsock, built outside the
 * tree against an installed package with exactly the commands
 * docs/compat.md gives (scripts/consumer-check.sh): the drop-in headers
 * on Windows, the system's own on Linux. It echoes one message over
 * loopback TCP and wakes itself through a self-pipe, waiting on both in
 * one poll(), and prints "consumer ok legacy".
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
  struct pollfd p[2];
  char buf[8] = {0};
  int l, c, s, wake[2];
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
  if (pipe(wake) != 0) return die("pipe");
  if (write(c, "hello", 5) != 5 || write(wake[1], "!", 1) != 1)
    return die("write");
  p[0].fd = s;
  p[0].events = POLLIN;
  p[1].fd = wake[0];
  p[1].events = POLLIN;
  p[0].revents = p[1].revents = 0;
  if (poll(p, 2, 5000) < 1 || !(p[1].revents & POLLIN)) return die("poll");
  if (read(wake[0], buf, sizeof(buf)) != 1) return die("read pipe");
  if (!(p[0].revents & POLLIN) && poll(p, 1, 5000) != 1) return die("poll");
  if (read(s, buf, sizeof(buf)) != 5 || memcmp(buf, "hello", 5) != 0)
    return die("read");
  close(wake[0]);
  close(wake[1]);
  close(s);
  close(c);
  close(l);
  printf("consumer ok legacy\n");
  return 0;
}
