/* SPDX-License-Identifier: MIT */
/*
 * bench/arm_remote.c - the bsdsock-remote arm of remote_sendrecv (quirks
 * S13): the bsdsock arm's ping-pong with the client's socket living in a
 * bsdsockd on this machine, every send and recv a forwarded call
 * (<bsdsock/remote.h>). The echo peer is the same local raw thread as in
 * every ping-pong; only where the client's socket lives differs.
 *
 * The harness starts the server once per scenario (bench_remote_start):
 * loopback, port 0 (it writes the port it got to a file), a token made of
 * random bytes (in a file only this run knows the name of), its output to
 * the null device so that stdout stays the table. Each run opens its own
 * session and closes it, which frees the server's sockets.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsdsock/remote.h>

#define IO_TIMEOUT_S 10    /* the server's blocked call fails, no hang */

static struct {
  su_process_t *proc;
  char endpoint[64];
  char token[65];
} server;

/* The path CMake gives (bench/CMakeLists.txt), or --bsdsockd's. */
#ifndef BENCH_BSDSOCKD
# define BENCH_BSDSOCKD ""
#endif
static const char *server_path = BENCH_BSDSOCKD;

void bench_remote_set_path(const char *path) {
  server_path = path;
}

static int make_token(struct bench_run *r) {
  unsigned char raw[32];
  size_t i;
  if (bench_random(raw, sizeof(raw)) != 0) {
    bench_fail(r, "no random bytes for bsdsockd's token");
    return -1;
  }
  for (i = 0; i < sizeof(raw); i++)
    snprintf(server.token + 2 * i, 3, "%02x", raw[i]);
  return 0;
}

int bench_remote_start(struct bench_run *r) {
  static const char *const extra[] = {"--listen", "127.0.0.1:0", NULL};
  char why[600];
  unsigned port;
  if (server_path[0] == '\0') {
    bench_skip(r, "bench built without bsdsockd (BSDSOCK_BUILD_PROGRAMS "
                  "off); --bsdsockd PATH names one");
    return -1;
  }
  if (!bench_file_exists(server_path)) {
    bench_skip(r, "no bsdsockd at %s (--bsdsockd PATH names another)",
               server_path);
    return -1;
  }
  if (make_token(r) != 0) return -1;
  server.proc = su_bsdsockd_start(server_path, server.token, extra, 1, &port,
                                  why, sizeof(why));
  if (server.proc == NULL) {
    bench_fail(r, "%s", why);
    return -1;
  }
  snprintf(server.endpoint, sizeof(server.endpoint), "127.0.0.1:%u", port);
  return 0;
}

void bench_remote_stop(void) {
  su_process_kill(server.proc);
  server.proc = NULL;
  server.endpoint[0] = '\0';
}

/* A server socket connected to 127.0.0.1:port, with the bsdsock arm's
 * options (TCP_NODELAY, 10 s timeouts), or -1 after recording why. */
static int remote_connect(bsdsock_remote_t *s, uint16_t port,
                          struct bench_run *r) {
  bsdsock_addr_t a;
  bsdsock_timeval_t tv = {IO_TIMEOUT_S, 0};
  int one = 1, rc;
  int fd = bsdsock_remote_socket(s, BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  if (fd < 0) {
    bench_fail(r, "remote socket: %s", bsdsock_strerror(fd));
    return -1;
  }
  bsdsock_addr_loopback(&a, BSDSOCK_AF_INET, port);
  rc = bsdsock_remote_connect(s, fd, &a);
  if (rc != 0) {
    bench_fail(r, "remote connect: %s", bsdsock_strerror(rc));
    return -1;
  }
  bsdsock_remote_setsockopt(s, fd, BSDSOCK_IPPROTO_TCP, BSDSOCK_TCP_NODELAY,
                            &one, sizeof(one));
  bsdsock_remote_setsockopt(s, fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_RCVTIMEO,
                            &tv, sizeof(tv));
  bsdsock_remote_setsockopt(s, fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_SNDTIMEO,
                            &tv, sizeof(tv));
  return fd;
}

/* bsd_pingpong (arm_bsdsock.c) with bsdsock_remote_send/recv: one message
 * in flight, each round trip timed from the send to the last byte of the
 * echo. */
static void remote_pingpong(const struct bench_params *p, struct bench_run *r) {
  char buf[65536];
  uint64_t start, t0, t1, end;
  double n = 0;
  int err = 0, fd;
  bsdsock_remote_t *s;
  if (server.endpoint[0] == '\0') {
    bench_fail(r, "bsdsockd is not running");
    return;
  }
  s = bsdsock_remote_open(server.endpoint, server.token, &err);
  if (s == NULL) {
    bench_fail(r, "session with bsdsockd at %s: %s", server.endpoint,
               bsdsock_strerror(err));
    return;
  }
  fd = remote_connect(s, p->port, r);
  if (fd < 0) {
    bsdsock_remote_close(s);
    return;
  }
  memset(buf, 'p', p->size);
  start = t0 = bench_now_ns();
  end = start + p->dur_ns;
  do {
    size_t got = 0;
    bsdsock_ssize_t k = bsdsock_remote_send(s, fd, buf, p->size, 0);
    if (k != (bsdsock_ssize_t)p->size) {
      bench_fail(r, "remote send: %s", bsdsock_strerror((int)k));
      break;
    }
    while (got < p->size) {
      k = bsdsock_remote_recv(s, fd, buf + got, p->size - got, 0);
      if (k <= 0) {
        bench_fail(r, "remote recv: %s", k ? bsdsock_strerror((int)k) : "EOF");
        goto out;
      }
      got += (size_t)k;
    }
    t1 = bench_now_ns();
    bench_lat_add(r->lat, t1 - t0);
    t0 = t1;
    n++;
  } while (t1 < end);
out:
  r->ops = n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  bsdsock_remote_close_fd(s, fd);
  bsdsock_remote_close(s);  /* the peer sees EOF: the server closed it */
}

/* A connected TCP pair, both ends in the server. 0 or -1 (r says why). */
static int remote_pair(bsdsock_remote_t *s, int *a, int *b,
                       struct bench_run *r) {
  bsdsock_addr_t addr;
  int rc, l = bsdsock_remote_socket(s, BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  bsdsock_addr_loopback(&addr, BSDSOCK_AF_INET, 0);
  rc = l < 0 ? l : bsdsock_remote_bind(s, l, &addr);
  if (rc == 0) rc = bsdsock_remote_listen(s, l, 1);
  if (rc == 0) rc = bsdsock_remote_getsockname(s, l, &addr);
  if (rc != 0) {
    bench_fail(r, "remote listener: %s", bsdsock_strerror(rc));
    return -1;
  }
  *a = remote_connect(s, bsdsock_addr_port(&addr), r);
  *b = *a < 0 ? -1 : bsdsock_remote_accept(s, l, NULL);
  bsdsock_remote_close_fd(s, l);
  if (*b < 0) {
    if (*a >= 0) bench_fail(r, "remote accept: %s", bsdsock_strerror(*b));
    return -1;
  }
  return 0;
}

/* n pairs of forwarded send(a) + recv(b): bench_cg_bsdsock's loop through
 * the server, what callgrind measures on the client's side (valgrind
 * does not follow the server, a child process). */
BENCH_NOINLINE long bench_cg_bsdsock_remote(void *session, int a, int b,
                                            long n) {
  bsdsock_remote_t *s = session;
  char buf[64];
  long i;
  memset(buf, 'c', sizeof(buf));
  for (i = 0; i < n; i++) {
    if (bsdsock_remote_send(s, a, buf, sizeof(buf), 0) != sizeof(buf)) break;
    if (bsdsock_remote_recv(s, b, buf, sizeof(buf), 0) != sizeof(buf)) break;
  }
  return i;
}

static void remote_callgrind(long n, struct bench_run *r) {
  bsdsock_remote_t *s;
  int a, b, err = 0;
  if (bench_remote_start(r) != 0) return;
  s = bsdsock_remote_open(server.endpoint, server.token, &err);
  if (s == NULL) {
    bench_fail(r, "session with bsdsockd: %s", bsdsock_strerror(err));
  } else {
    if (remote_pair(s, &a, &b, r) == 0)
      r->ops = (double)bench_cg_bsdsock_remote(s, a, b, n);
    bsdsock_remote_close(s);
  }
  bench_remote_stop();
}

const struct bench_arm bench_arm_bsdsock_remote = {
    "bsdsock-remote", remote_pingpong, NULL, NULL, NULL, NULL, NULL, NULL,
    remote_callgrind};
