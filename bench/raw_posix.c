/* SPDX-License-Identifier: MIT */
/*
 * bench/raw_posix.c - the raw arm (plain BSD socket calls), the peer
 * threads and the platform services, for POSIX (Linux).
 *
 * The raw arm is what a careful program would write against the OS
 * directly: send/recv with MSG_NOSIGNAL, TCP_NODELAY, poll/select over a
 * prepared set. The peers use the same calls; they are the fixed
 * counterpart every arm talks to.
 */
#define _GNU_SOURCE 1
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#define IO_TIMEOUT_S 10  /* a blocked call fails instead of hanging */
#define IDLE_MS 30       /* a told-to-stop peer leaves after this long idle */

/* ---- platform services --------------------------------------------------- */

int bench_platform_init(void) {
  struct rlimit rl;
  /* libuv writes with write(2), which raises SIGPIPE on a dead peer; the
   * raw and bsdsock arms never do. Ignored so a failure is an error. */
  signal(SIGPIPE, SIG_IGN);
  /* The readiness scenario watches 10,000 sockets. */
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  return 0;
}

int bench_random(void *buf, size_t n) {
  FILE *f = fopen("/dev/urandom", "rb");
  size_t got = f != NULL ? fread(buf, 1, n, f) : 0;
  if (f != NULL) fclose(f);
  return got == n ? 0 : -1;
}

int bench_file_exists(const char *path) {
  return access(path, X_OK) == 0;
}

const char *bench_platform(void) {
  static char buf[64];
  struct utsname u;
  size_t i;
  if (buf[0] == '\0' && uname(&u) == 0) {
    snprintf(buf, sizeof(buf), "%.30s-%.30s", u.sysname, u.machine);
    for (i = 0; buf[i]; i++)
      if (buf[i] >= 'A' && buf[i] <= 'Z') buf[i] = (char)(buf[i] + 32);
  }
  return buf[0] ? buf : "posix";
}

/* "model name : X" from /proc/cpuinfo, or "". */
static void cpu_model(char *out, size_t len) {
  char line[256];
  FILE *f = fopen("/proc/cpuinfo", "r");
  out[0] = '\0';
  if (f == NULL) return;
  while (fgets(line, sizeof(line), f)) {
    char *colon = strchr(line, ':');
    if (strncmp(line, "model name", 10) == 0 && colon != NULL) {
      snprintf(out, len, "%s", colon + 2);
      out[strcspn(out, "\n")] = '\0';
      break;
    }
  }
  fclose(f);
}

const char *bench_host(void) {
  static char buf[256];
  char cpu[128];
  struct utsname u;
  if (buf[0] == '\0') {
    cpu_model(cpu, sizeof(cpu));
    if (uname(&u) != 0) strcpy(u.release, "?");
    snprintf(buf, sizeof(buf), "%.100s, %ld CPUs, kernel %.60s",
             cpu[0] ? cpu : "?",
             sysconf(_SC_NPROCESSORS_ONLN), u.release);
  }
  return buf;
}

int bench_stderr_is_terminal(void) {
  return isatty(STDERR_FILENO);
}

int bench_pin_self(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof(set), &set) == 0 ? 0
                                                                        : -1;
}

/* ---- raw socket helpers -------------------------------------------------- */

static void loopback(struct sockaddr_in *sa, uint16_t port) {
  memset(sa, 0, sizeof(*sa));
  sa->sin_family = AF_INET;
  sa->sin_port = htons(port);
  sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

static void io_timeout(int fd) {
  struct timeval tv = {IO_TIMEOUT_S, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static void nodelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* A socket bound to 127.0.0.1:0; *port gets the port. -1 on failure. */
static int bound_socket(int type, uint16_t *port) {
  struct sockaddr_in sa;
  socklen_t len = sizeof(sa);
  int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  loopback(&sa, 0);
  if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
      getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
    close(fd);
    return -1;
  }
  *port = ntohs(sa.sin_port);
  return fd;
}

/* A connected client socket (TCP with TCP_NODELAY, or UDP). -1 on
 * failure. */
static int connect_to(int type, uint16_t port) {
  struct sockaddr_in sa;
  int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  loopback(&sa, port);
  if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
    close(fd);
    return -1;
  }
  if (type == SOCK_STREAM) nodelay(fd);
  io_timeout(fd);
  return fd;
}

/* Waits up to ms for fd to become readable: 1, 0 (timeout) or -1. */
static int wait_readable(int fd, int ms) {
  struct pollfd p;
  int rc;
  p.fd = fd;
  p.events = POLLIN;
  do
    rc = poll(&p, 1, ms);
  while (rc < 0 && errno == EINTR);
  return rc;
}

/* ---- peers ----------------------------------------------------------------- */

struct bench_peer {
  enum bench_peer_kind kind;
  int fd;                  /* listener or UDP socket */
  atomic_int stop;
  uint64_t count;
  su_thread_t *thread;
};

/* Accepts one connection, watching for a stop request. -1 if told to stop
 * first. */
static int peer_accept(struct bench_peer *p) {
  while (!atomic_load(&p->stop)) {
    if (wait_readable(p->fd, IDLE_MS) > 0) {
      int c = accept4(p->fd, NULL, NULL, SOCK_CLOEXEC);
      if (c >= 0) {
        nodelay(c);
        io_timeout(c);
        return c;
      }
    }
  }
  return -1;
}

/* Echoes everything back until EOF: the ping-pong counterpart. */
static void peer_echo(struct bench_peer *p) {
  char buf[65536];
  int c = peer_accept(p);
  ssize_t n, off, w;
  if (c < 0) return;
  while ((n = recv(c, buf, sizeof(buf), 0)) > 0) {
    for (off = 0; off < n; off += w) {
      w = send(c, buf + off, (size_t)(n - off), MSG_NOSIGNAL);
      if (w <= 0) goto done;
    }
    p->count += (uint64_t)n;
  }
done:
  close(c);
}

/* Reads and discards until EOF, then closes: the stream counterpart. */
static void peer_sink(struct bench_peer *p) {
  static char buf[1 << 18];  /* one sink at a time */
  int c = peer_accept(p);
  ssize_t n;
  if (c < 0) return;
  while ((n = recv(c, buf, sizeof(buf), 0)) > 0) p->count += (uint64_t)n;
  close(c);
}

/* Counts datagrams (drained 64 per recvmmsg) until stopped and idle. */
static void peer_udp_sink(struct bench_peer *p) {
  enum { BATCH = 64, SIZE = 2048 };
  static char bufs[BATCH][SIZE];
  struct mmsghdr vec[BATCH];
  struct iovec iov[BATCH];
  int i, k;
  for (i = 0; i < BATCH; i++) {
    iov[i].iov_base = bufs[i];
    iov[i].iov_len = SIZE;
    memset(&vec[i], 0, sizeof(vec[i]));
    vec[i].msg_hdr.msg_iov = &iov[i];
    vec[i].msg_hdr.msg_iovlen = 1;
  }
  for (;;) {
    int ready = wait_readable(p->fd, IDLE_MS);
    if (ready == 0 && atomic_load(&p->stop)) break;
    if (ready <= 0) continue;
    while ((k = recvmmsg(p->fd, vec, BATCH, MSG_DONTWAIT, NULL)) > 0)
      p->count += (uint64_t)k;
  }
}

/* Accepts and closes until stopped and idle: the churn counterpart. */
static void peer_accept_close(struct bench_peer *p) {
  for (;;) {
    int ready = wait_readable(p->fd, IDLE_MS), c;
    if (ready == 0 && atomic_load(&p->stop)) break;
    if (ready <= 0) continue;
    while ((c = accept4(p->fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
      close(c);
      p->count++;
    }
  }
}

static void peer_main(void *arg) {
  struct bench_peer *p = arg;
  if (bench_peer_cpu >= 0) bench_pin_self(bench_peer_cpu);
  switch (p->kind) {
    case BENCH_PEER_ECHO: peer_echo(p); break;
    case BENCH_PEER_SINK: peer_sink(p); break;
    case BENCH_PEER_UDP_SINK: peer_udp_sink(p); break;
    case BENCH_PEER_ACCEPT: peer_accept_close(p); break;
  }
}

struct bench_peer *bench_peer_start(enum bench_peer_kind kind, uint16_t *port,
                                    struct bench_run *r) {
  struct bench_peer *p = calloc(1, sizeof(*p));
  int udp = kind == BENCH_PEER_UDP_SINK, big = 4 << 20;
  if (p == NULL) {
    bench_fail(r, "peer: out of memory");
    return NULL;
  }
  p->kind = kind;
  atomic_init(&p->stop, 0);
  p->fd = bound_socket(udp ? SOCK_DGRAM : SOCK_STREAM, port);
  if (p->fd < 0 || (!udp && listen(p->fd, 4096) != 0)) {
    bench_fail(r, "peer: socket/bind/listen: %s", strerror(errno));
    goto fail;
  }
  if (udp) /* as much as the system allows: fewer drops to count */
    setsockopt(p->fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
  if (kind == BENCH_PEER_ACCEPT) /* it drains the backlog until EAGAIN */
    fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) | O_NONBLOCK);
  p->thread = su_thread_start(peer_main, p);
  if (p->thread == NULL) {
    bench_fail(r, "peer: cannot start a thread");
    goto fail;
  }
  return p;
fail:
  if (p->fd >= 0) close(p->fd);
  free(p);
  return NULL;
}

uint64_t bench_peer_finish(struct bench_peer *p) {
  uint64_t count;
  atomic_store(&p->stop, 1);
  su_thread_join(p->thread);
  close(p->fd);
  count = p->count;
  free(p);
  return count;
}

/* ---- the raw arm ----------------------------------------------------------- */

static void raw_pingpong(const struct bench_params *p, struct bench_run *r) {
  char buf[65536];
  uint64_t start, t0, t1, end;
  double n = 0;
  int fd = connect_to(SOCK_STREAM, p->port);
  if (fd < 0) {
    bench_fail(r, "connect: %s", strerror(errno));
    return;
  }
  memset(buf, 'p', p->size);
  start = t0 = bench_now_ns();
  end = start + p->dur_ns;
  do {
    size_t got = 0;
    if (send(fd, buf, p->size, MSG_NOSIGNAL) != (ssize_t)p->size) {
      bench_fail(r, "send: %s", strerror(errno));
      break;
    }
    while (got < p->size) {
      ssize_t k = recv(fd, buf + got, p->size - got, 0);
      if (k <= 0) {
        bench_fail(r, "recv: %s", k ? strerror(errno) : "EOF");
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
  close(fd);
}

/* After the timed writes: half-close, wait for the peer's EOF (it has read
 * everything), and stop the clock there. */
static void finish_stream(int fd, uint64_t start, struct bench_run *r) {
  char c;
  shutdown(fd, SHUT_WR);
  if (recv(fd, &c, 1, 0) != 0) bench_fail(r, "no EOF from the sink");
  r->secs = (double)(bench_now_ns() - start) / 1e9;
}

static void raw_stream(const struct bench_params *p, struct bench_run *r) {
  static char buf[1 << 16];
  uint64_t start, end;
  double bytes = 0;
  unsigned i = 0;
  int fd = connect_to(SOCK_STREAM, p->port);
  if (fd < 0) {
    bench_fail(r, "connect: %s", strerror(errno));
    return;
  }
  memset(buf, 's', p->size);
  start = bench_now_ns();
  end = start + p->dur_ns;
  for (;;) {
    ssize_t k = send(fd, buf, p->size, MSG_NOSIGNAL);
    if (k < 0) {
      bench_fail(r, "send: %s", strerror(errno));
      break;
    }
    bytes += (double)k;
    if ((++i & 7) == 0 && bench_now_ns() >= end) break;
  }
  r->ops = bytes;
  finish_stream(fd, start, r);
  close(fd);
}

/* Counts a datagram send's outcome; loopback UDP may refuse for a moment
 * (ENOBUFS, EAGAIN) under load, which is not counted and not an error. */
static int udp_sent(ssize_t k, struct bench_run *r) {
  if (k >= 0) return 1;
  if (errno != ENOBUFS && errno != EAGAIN && errno != ECONNREFUSED)
    bench_fail(r, "send: %s", strerror(errno));
  return 0;
}

/* One send() per datagram, whatever the batch size: the per-call loop the
 * batched calls are measured against. */
static void raw_udp(const struct bench_params *p, struct bench_run *r) {
  char buf[2048];
  uint64_t start, end;
  double sent = 0;
  unsigned i = 0;
  int fd = connect_to(SOCK_DGRAM, p->port);
  if (fd < 0) {
    bench_fail(r, "connect: %s", strerror(errno));
    return;
  }
  memset(buf, 'u', p->size);
  start = bench_now_ns();
  end = start + p->dur_ns;
  while (r->status == BENCH_OK) {
    sent += udp_sent(send(fd, buf, p->size, MSG_NOSIGNAL), r);
    if ((++i & 63) == 0 && bench_now_ns() >= end) break;
  }
  r->ops = sent;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  close(fd);
}

static void raw_churn(const struct bench_params *p, struct bench_run *r) {
  struct sockaddr_in sa;
  uint64_t start = bench_now_ns(), end = start + p->dur_ns, now;
  double n = 0;
  loopback(&sa, p->port);
  do {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
      bench_fail(r, "socket/connect: %s", strerror(errno));
      if (fd >= 0) close(fd);
      break;
    }
    close(fd);
    n++;
    now = bench_now_ns();
  } while (now < end);
  r->ops = n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
}

/* A connected TCP pair, both ends in this thread. 0 or -1. */
static int tcp_pair(int *a, int *b) {
  uint16_t port;
  int l = bound_socket(SOCK_STREAM, &port);
  if (l < 0 || listen(l, 1) != 0) return -1;
  *a = connect_to(SOCK_STREAM, port);
  *b = *a < 0 ? -1 : accept4(l, NULL, NULL, SOCK_CLOEXEC);
  close(l);
  if (*b < 0) return -1;
  nodelay(*b);
  io_timeout(*b);
  return 0;
}

#define SR_SIZE 64  /* bytes per send of the per-call scenario */

/* n pairs of send(a) + recv(b); the function callgrind measures. */
BENCH_NOINLINE long bench_cg_raw(int a, int b, long n) {
  char buf[SR_SIZE];
  long i;
  memset(buf, 'c', sizeof(buf));
  for (i = 0; i < n; i++) {
    if (send(a, buf, SR_SIZE, MSG_NOSIGNAL) != SR_SIZE) break;
    if (recv(b, buf, SR_SIZE, 0) != SR_SIZE) break;
  }
  return i;
}

static void raw_sendrecv(const struct bench_params *p, struct bench_run *r) {
  uint64_t start, end;
  double n = 0;
  int a, b;
  if (tcp_pair(&a, &b) != 0) {
    bench_fail(r, "tcp pair: %s", strerror(errno));
    return;
  }
  start = bench_now_ns();
  end = start + p->dur_ns;
  do {
    long k = bench_cg_raw(a, b, 256);
    n += (double)k;
    if (k != 256) {
      bench_fail(r, "send/recv: %s", strerror(errno));
      break;
    }
  } while (bench_now_ns() < end);
  r->ops = n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  close(a);
  close(b);
}

static void raw_callgrind(long n, struct bench_run *r) {
  int a, b;
  if (tcp_pair(&a, &b) != 0) {
    bench_fail(r, "tcp pair: %s", strerror(errno));
    return;
  }
  r->ops = (double)bench_cg_raw(a, b, n);
  close(a);
  close(b);
}

const struct bench_arm bench_arm_raw = {
    "raw", raw_pingpong, raw_stream, raw_udp, raw_churn, raw_sendrecv, NULL,
    NULL, raw_callgrind};

/* ---- raw sendmmsg: the batched call without bsdsock ------------------------ */

static void raw_mmsg_udp(const struct bench_params *p, struct bench_run *r) {
  enum { MAXB = 1024 };
  static struct mmsghdr vec[MAXB];
  char buf[2048];
  struct iovec iov;
  uint64_t start, end;
  double sent = 0;
  int i, fd = connect_to(SOCK_DGRAM, p->port);
  if (fd < 0) {
    bench_fail(r, "connect: %s", strerror(errno));
    return;
  }
  memset(buf, 'u', p->size);
  iov.iov_base = buf;
  iov.iov_len = p->size;
  for (i = 0; i < p->batch && i < MAXB; i++) {
    memset(&vec[i], 0, sizeof(vec[i]));
    vec[i].msg_hdr.msg_iov = &iov;
    vec[i].msg_hdr.msg_iovlen = 1;
  }
  start = bench_now_ns();
  end = start + p->dur_ns;
  do {
    int k = sendmmsg(fd, vec, (unsigned)p->batch, MSG_NOSIGNAL);
    if (k > 0) sent += k;
    else udp_sent(k, r);
  } while (r->status == BENCH_OK && bench_now_ns() < end);
  r->ops = sent;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  close(fd);
}

const struct bench_arm bench_arm_raw_mmsg = {
    "raw-mmsg", NULL, NULL, raw_mmsg_udp, NULL, NULL, NULL, NULL, NULL};

/* ---- raw poll() and select() over the readiness set ------------------------ */

/* One readiness call must report exactly the one active socket. */
static int check_one(int got, struct bench_run *r) {
  if (got == 1) return 1;
  bench_fail(r, "readiness call returned %d, expected 1", got);
  return 0;
}

static void raw_poll(const struct bench_params *p, struct bench_run *r) {
  const struct bench_ready_set *s = p->set;
  struct pollfd *fds = calloc(s->n, sizeof(*fds));
  uint64_t start, end;
  double n = 0;
  size_t i;
  if (fds == NULL) {
    bench_fail(r, "out of memory");
    return;
  }
  for (i = 0; i < s->n; i++) {
    fds[i].fd = s->os[i];
    fds[i].events = POLLIN;
  }
  start = bench_now_ns();
  end = start + p->dur_ns;
  do {
    if (!check_one(poll(fds, (nfds_t)s->n, 0), r)) break;
    n++;
  } while (bench_now_ns() < end);
  r->ops = n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  free(fds);
}

/* select() rewrites its sets, so each call starts from a copy of a set
 * built once, the cheapest way to use it. */
static void raw_select(const struct bench_params *p, struct bench_run *r) {
  const struct bench_ready_set *s = p->set;
  fd_set model, work;
  uint64_t start, end;
  double n = 0;
  size_t i;
  int maxfd = -1;
  for (i = 0; i < s->n; i++)
    if (s->os[i] > maxfd) maxfd = s->os[i];
  if (maxfd >= FD_SETSIZE) {
    bench_skip(r, "fd_set holds descriptors below FD_SETSIZE (%d); the "
               "highest here is %d", FD_SETSIZE, maxfd);
    return;
  }
  FD_ZERO(&model);
  for (i = 0; i < s->n; i++) FD_SET(s->os[i], &model);
  start = bench_now_ns();
  end = start + p->dur_ns;
  do {
    struct timeval tv = {0, 0};
    work = model;
    if (!check_one(select(maxfd + 1, &work, NULL, NULL, &tv), r)) break;
    n++;
  } while (bench_now_ns() < end);
  r->ops = n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
}

const struct bench_arm bench_arm_raw_poll = {
    "raw-poll", NULL, NULL, NULL, NULL, NULL, raw_poll, NULL, NULL};
const struct bench_arm bench_arm_raw_select = {
    "raw-select", NULL, NULL, NULL, NULL, NULL, raw_select, NULL, NULL};

/* ---- raw epoll over the set (the poller scenario) --------------------------- */

#if defined(__linux__)
# include <sys/epoll.h>

/* A thin epoll_wait loop: the set added once, its index as the event's
 * data, each call expected to return the one active socket. */
static void raw_epoll(const struct bench_params *p, struct bench_run *r) {
  const struct bench_ready_set *s = p->set;
  struct epoll_event ev[64];
  uint64_t start, end;
  double n = 0;
  size_t i;
  int ep = epoll_create1(EPOLL_CLOEXEC), got;
  if (ep < 0) {
    bench_fail(r, "epoll_create1: %s", strerror(errno));
    return;
  }
  for (i = 0; i < s->n; i++) {
    struct epoll_event e;
    memset(&e, 0, sizeof(e));
    e.events = EPOLLIN;
    e.data.u64 = i;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, s->os[i], &e) != 0) {
      bench_fail(r, "epoll_ctl(ADD) of socket %u: %s", (unsigned)i,
                 strerror(errno));
      close(ep);
      return;
    }
  }
  start = bench_now_ns();
  end = start + p->dur_ns;
  do {
    got = epoll_wait(ep, ev, 64, 0);
    if (!check_one(got, r)) break;
    if (ev[0].data.u64 != s->active) {
      bench_fail(r, "epoll_wait reported socket %u, not %u",
                 (unsigned)ev[0].data.u64, (unsigned)s->active);
      break;
    }
    n++;
  } while (bench_now_ns() < end);
  r->ops = n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  close(ep);
}
#else
static void raw_epoll(const struct bench_params *p, struct bench_run *r) {
  (void)p;
  bench_skip(r, "no epoll on this system");
}
#endif

const struct bench_arm bench_arm_raw_epoll = {
    "raw-epoll", NULL, NULL, NULL, NULL, NULL, NULL, raw_epoll, NULL};
