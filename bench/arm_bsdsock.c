/* SPDX-License-Identifier: MIT */
/*
 * bench/arm_bsdsock.c - the bsdsock arm: every scenario's client side
 * written against <bsdsock/bsdsock.h>, call for call the same program as
 * the raw arm. Also builds the readiness scenario's socket set.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IO_TIMEOUT_S 10  /* a blocked call fails instead of hanging */
#define SR_SIZE 64       /* bytes per send of the per-call scenario */

static void io_timeout(int fd) {
  bsdsock_timeval_t tv = {IO_TIMEOUT_S, 0};
  bsdsock_setsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_RCVTIMEO, &tv,
                     sizeof(tv));
  bsdsock_setsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_SNDTIMEO, &tv,
                     sizeof(tv));
}

static void nodelay(int fd) {
  int one = 1;
  bsdsock_setsockopt(fd, BSDSOCK_IPPROTO_TCP, BSDSOCK_TCP_NODELAY, &one,
                     sizeof(one));
}

/* A socket connected to 127.0.0.1:port (TCP with TCP_NODELAY, or UDP), or
 * -1 after recording why in r. */
static int connect_to(int type, uint16_t port, struct bench_run *r) {
  bsdsock_addr_t a;
  int fd = bsdsock_socket(BSDSOCK_AF_INET, type, 0), rc;
  if (fd < 0) {
    bench_fail(r, "socket: %s", bsdsock_strerror(fd));
    return -1;
  }
  bsdsock_addr_loopback(&a, BSDSOCK_AF_INET, port);
  rc = bsdsock_connect(fd, &a);
  if (rc != 0) {
    bench_fail(r, "connect: %s", bsdsock_strerror(rc));
    bsdsock_close(fd);
    return -1;
  }
  if (type == BSDSOCK_SOCK_STREAM) nodelay(fd);
  io_timeout(fd);
  return fd;
}

static void bsd_pingpong(const struct bench_params *p, struct bench_run *r) {
  char buf[65536];
  uint64_t start, t0, t1, end;
  double n = 0;
  int fd = connect_to(BSDSOCK_SOCK_STREAM, p->port, r);
  if (fd < 0) return;
  memset(buf, 'p', p->size);
  start = t0 = bench_now_ns();
  end = start + p->dur_ns;
  do {
    size_t got = 0;
    bsdsock_ssize_t k = bsdsock_send(fd, buf, p->size, 0);
    if (k != (bsdsock_ssize_t)p->size) {
      bench_fail(r, "send: %s", bsdsock_strerror((int)k));
      break;
    }
    while (got < p->size) {
      k = bsdsock_recv(fd, buf + got, p->size - got, 0);
      if (k <= 0) {
        bench_fail(r, "recv: %s", k ? bsdsock_strerror((int)k) : "EOF");
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
  bsdsock_close(fd);
}

static void bsd_stream(const struct bench_params *p, struct bench_run *r) {
  static char buf[1 << 16];
  uint64_t start, end;
  double bytes = 0;
  unsigned i = 0;
  char c;
  int fd = connect_to(BSDSOCK_SOCK_STREAM, p->port, r);
  if (fd < 0) return;
  memset(buf, 's', p->size);
  start = bench_now_ns();
  end = start + p->dur_ns;
  for (;;) {
    bsdsock_ssize_t k = bsdsock_send(fd, buf, p->size, 0);
    if (k < 0) {
      bench_fail(r, "send: %s", bsdsock_strerror((int)k));
      break;
    }
    bytes += (double)k;
    if ((++i & 7) == 0 && bench_now_ns() >= end) break;
  }
  r->ops = bytes;
  /* Half-close and wait for the sink's EOF: everything has been read. */
  bsdsock_shutdown(fd, BSDSOCK_SHUT_WR);
  if (bsdsock_recv(fd, &c, 1, 0) != 0) bench_fail(r, "no EOF from the sink");
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  bsdsock_close(fd);
}

/* Counts a datagram send's outcome; loopback UDP may refuse for a moment
 * under load (ENOBUFS, EAGAIN), which is not counted and not an error. */
static int udp_sent(bsdsock_ssize_t k, struct bench_run *r) {
  if (k >= 0) return 1;
  if (k != BSDSOCK_ENOBUFS && k != BSDSOCK_EAGAIN &&
      k != BSDSOCK_ECONNREFUSED && k != BSDSOCK_ECONNRESET)
    bench_fail(r, "send: %s", bsdsock_strerror((int)k));
  return 0;
}

/* batch 0: one bsdsock_send per datagram; otherwise bsdsock_sendmmsg with
 * p->batch datagrams per call. */
static void bsd_udp(const struct bench_params *p, struct bench_run *r) {
  enum { MAXB = 1024 };
  static bsdsock_mmsghdr_t vec[MAXB];
  char buf[2048];
  bsdsock_iovec_t iov;
  uint64_t start, end;
  double sent = 0;
  unsigned i = 0;
  int j, fd = connect_to(BSDSOCK_SOCK_DGRAM, p->port, r);
  if (fd < 0) return;
  memset(buf, 'u', p->size);
  iov.base = buf;
  iov.len = p->size;
  for (j = 0; j < p->batch && j < MAXB; j++) {
    memset(&vec[j], 0, sizeof(vec[j]));
    vec[j].hdr.iov = &iov;
    vec[j].hdr.iovlen = 1;
  }
  start = bench_now_ns();
  end = start + p->dur_ns;
  while (r->status == BENCH_OK) {
    if (p->batch <= 0) {
      sent += udp_sent(bsdsock_send(fd, buf, p->size, 0), r);
      if ((++i & 63) != 0) continue;
    } else {
      int deferred, k = bsdsock_sendmmsg(fd, vec, (size_t)p->batch, 0,
                                         &deferred);
      if (k > 0) sent += k;
      else udp_sent(k, r);
      if (deferred != 0) udp_sent(deferred, r);
    }
    if (bench_now_ns() >= end) break;
  }
  r->ops = sent;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  bsdsock_close(fd);
}

static void bsd_churn(const struct bench_params *p, struct bench_run *r) {
  bsdsock_addr_t a;
  uint64_t start = bench_now_ns(), end = start + p->dur_ns, now;
  double n = 0;
  bsdsock_addr_loopback(&a, BSDSOCK_AF_INET, p->port);
  do {
    int fd = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
    int rc = fd < 0 ? fd : bsdsock_connect(fd, &a);
    if (rc != 0) {
      bench_fail(r, "socket/connect: %s", bsdsock_strerror(rc));
      if (fd >= 0) bsdsock_close(fd);
      break;
    }
    bsdsock_close(fd);
    n++;
    now = bench_now_ns();
  } while (now < end);
  r->ops = n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
}

/* A connected TCP pair, both ends in this thread. 0 or -1 (r says why). */
static int tcp_pair(int *a, int *b, struct bench_run *r) {
  bsdsock_addr_t addr;
  int l = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  bsdsock_addr_loopback(&addr, BSDSOCK_AF_INET, 0);
  if (l < 0 || bsdsock_bind(l, &addr) != 0 || bsdsock_listen(l, 1) != 0 ||
      bsdsock_getsockname(l, &addr) != 0) {
    bench_fail(r, "listener: %s", bsdsock_strerror(l));
    if (l >= 0) bsdsock_close(l);
    return -1;
  }
  *a = connect_to(BSDSOCK_SOCK_STREAM, bsdsock_addr_port(&addr), r);
  *b = *a < 0 ? -1 : bsdsock_accept(l, NULL);
  bsdsock_close(l);
  if (*b < 0) {
    if (*a >= 0) bsdsock_close(*a);
    bench_fail(r, "accept: %s", bsdsock_strerror(*b));
    return -1;
  }
  nodelay(*b);
  io_timeout(*b);
  return 0;
}

/* n pairs of send(a) + recv(b); the function callgrind measures. */
BENCH_NOINLINE long bench_cg_bsdsock(int a, int b, long n) {
  char buf[SR_SIZE];
  long i;
  memset(buf, 'c', sizeof(buf));
  for (i = 0; i < n; i++) {
    if (bsdsock_send(a, buf, SR_SIZE, 0) != SR_SIZE) break;
    if (bsdsock_recv(b, buf, SR_SIZE, 0) != SR_SIZE) break;
  }
  return i;
}

static void bsd_sendrecv(const struct bench_params *p, struct bench_run *r) {
  uint64_t start, end;
  double n = 0;
  int a, b;
  if (tcp_pair(&a, &b, r) != 0) return;
  start = bench_now_ns();
  end = start + p->dur_ns;
  do {
    long k = bench_cg_bsdsock(a, b, 256);
    n += (double)k;
    if (k != 256) {
      bench_fail(r, "send/recv failed");
      break;
    }
  } while (bench_now_ns() < end);
  r->ops = n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  bsdsock_close(a);
  bsdsock_close(b);
}

static void bsd_callgrind(long n, struct bench_run *r) {
  int a, b;
  if (tcp_pair(&a, &b, r) != 0) return;
  r->ops = (double)bench_cg_bsdsock(a, b, n);
  bsdsock_close(a);
  bsdsock_close(b);
}

const struct bench_arm bench_arm_bsdsock = {
    "bsdsock", bsd_pingpong, bsd_stream, bsd_udp, bsd_churn, bsd_sendrecv,
    NULL, bench_bsd_poller, bsd_callgrind};

/* ---- the readiness scenario's sockets ------------------------------------ */

static int udp_socket(bsdsock_addr_t *bound) {
  int fd = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0);
  if (fd < 0) return fd;
  bsdsock_addr_loopback(bound, BSDSOCK_AF_INET, 0);
  if (bsdsock_bind(fd, bound) != 0 || bsdsock_getsockname(fd, bound) != 0) {
    bsdsock_close(fd);
    return BSDSOCK_EADDRNOTAVAIL;
  }
  return fd;
}

/* One datagram to the active socket, left queued: MSG_PEEK waits for it
 * without taking it, so the socket stays readable for the whole run. */
static int make_active(int fd, const bsdsock_addr_t *addr) {
  bsdsock_addr_t a;
  char c;
  int tx = udp_socket(&a), rc;
  if (tx < 0) return tx;
  io_timeout(fd);
  rc = (int)bsdsock_sendto(tx, "!", 1, 0, addr);
  if (rc == 1) rc = (int)bsdsock_recv(fd, &c, 1, BSDSOCK_MSG_PEEK);
  bsdsock_close(tx);
  return rc == 1 ? 0 : rc < 0 ? rc : BSDSOCK_EIO;
}

int bench_ready_setup(struct bench_ready_set *set, size_t n,
                      struct bench_run *r) {
  bsdsock_addr_t a, active_addr;
  size_t i;
  int rc;
  memset(set, 0, sizeof(*set));
  set->fds = malloc(n * sizeof(*set->fds));
  set->os = malloc(n * sizeof(*set->os));
  set->maxfd = -1;
  if (set->fds == NULL || set->os == NULL) {
    bench_fail(r, "out of memory");
    bench_ready_teardown(set);
    return -1;
  }
  set->active = n / 2;
  for (i = 0; i < n; i++) {
    int fd = udp_socket(&a);
    if (fd < 0) {
      bench_skip(r, "cannot open socket %u of %u: %s", (unsigned)i,
                 (unsigned)n, bsdsock_strerror(fd));
      bench_ready_teardown(set);
      return -1;
    }
    set->fds[set->n] = fd;
    set->os[set->n++] = bsdsock_native_handle(fd);
    if (fd > set->maxfd) set->maxfd = fd;
    if (i == set->active) active_addr = a;
  }
  rc = make_active(set->fds[set->active], &active_addr);
  if (rc != 0) {
    bench_fail(r, "no datagram on the active socket: %s",
               bsdsock_strerror(rc));
    bench_ready_teardown(set);
    return -1;
  }
  return 0;
}

void bench_ready_teardown(struct bench_ready_set *set) {
  size_t i;
  for (i = 0; set->fds != NULL && i < set->n; i++) bsdsock_close(set->fds[i]);
  free(set->fds);
  free(set->os);
  memset(set, 0, sizeof(*set));
}
