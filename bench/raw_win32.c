/* SPDX-License-Identifier: MIT */
/*
 * bench/raw_win32.c - the raw arm (plain Winsock calls), the peer threads
 * and the platform services, for Windows. The mirror of raw_posix.c.
 *
 * The raw arm is what a careful Winsock program would write: send/recv on
 * a SOCKET, TCP_NODELAY, WSAPoll/select over a prepared set. The peers use
 * the same calls; they are the fixed counterpart every arm talks to.
 */
/* Winsock's fd_set holds 64 sockets unless told otherwise before
 * winsock2.h (it is an array, not a bitmap): enough for the readiness
 * scenario's 10,000. */
#define FD_SETSIZE 16384
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <ntsecapi.h>  /* RtlGenRandom */

#include "bench.h"

#include <io.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IO_TIMEOUT_MS 10000  /* a blocked call fails instead of hanging */
#define IDLE_MS 30           /* a told-to-stop peer leaves after this idle */

/* ---- platform services --------------------------------------------------- */

int bench_platform_init(void) {
  WSADATA d;
  return WSAStartup(MAKEWORD(2, 2), &d) == 0 ? 0 : -1;
}

int bench_random(void *buf, size_t n) {
  /* RtlGenRandom, advapi32's SystemFunction036: the CRT's rand_s uses it. */
  return RtlGenRandom(buf, (ULONG)n) ? 0 : -1;
}

int bench_file_exists(const char *path) {
  char p[MAX_PATH];
  snprintf(p, sizeof(p), "%s%s", path[0] == '/' ? "Z:" : "", path);
  return GetFileAttributesA(p) != INVALID_FILE_ATTRIBUTES;
}

const char *bench_platform(void) {
  return sizeof(void *) == 8 ? "windows-x86_64" : "windows-x86";
}

/* The Windows version from ntdll (GetVersionEx lies to unmanifested
 * programs), and Wine's version when it is Wine. */
static void os_version(char *out, size_t len) {
  typedef LONG(WINAPI * rtl_get_version_fn)(OSVERSIONINFOW *);
  typedef const char *(CDECL * wine_version_fn)(void);
  HMODULE ntdll = GetModuleHandleA("ntdll.dll");
  OSVERSIONINFOW v;
  rtl_get_version_fn rtl = NULL;
  wine_version_fn wine = NULL;
  memset(&v, 0, sizeof(v));
  v.dwOSVersionInfoSize = sizeof(v);
  if (ntdll != NULL) {
    FARPROC f = GetProcAddress(ntdll, "RtlGetVersion");
    FARPROC w = GetProcAddress(ntdll, "wine_get_version");
    memcpy(&rtl, &f, sizeof(rtl));
    memcpy(&wine, &w, sizeof(wine));
  }
  if (rtl == NULL || rtl(&v) != 0) v.dwBuildNumber = 0;
  snprintf(out, len, "Windows %lu.%lu build %lu%s%s",
           (unsigned long)v.dwMajorVersion, (unsigned long)v.dwMinorVersion,
           (unsigned long)v.dwBuildNumber, wine ? ", under Wine " : "",
           wine ? wine() : "");
}

const char *bench_host(void) {
  static char buf[256];
  char cpu[128] = "?", os[96];
  DWORD len = sizeof(cpu);
  SYSTEM_INFO si;
  if (buf[0] == '\0') {
    RegGetValueA(HKEY_LOCAL_MACHINE,
                 "HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0",
                 "ProcessorNameString", RRF_RT_REG_SZ, NULL, cpu, &len);
    GetSystemInfo(&si);
    os_version(os, sizeof(os));
    snprintf(buf, sizeof(buf), "%.100s, %lu CPUs, %.96s", cpu,
             (unsigned long)si.dwNumberOfProcessors, os);
  }
  return buf;
}

int bench_stderr_is_terminal(void) {
  return _isatty(_fileno(stderr));
}

int bench_pin_self(int cpu) {
  return SetThreadAffinityMask(GetCurrentThread(), (DWORD_PTR)1 << cpu) ? 0
                                                                         : -1;
}

/* ---- raw socket helpers -------------------------------------------------- */

static const char *wsa_text(void) {
  static char buf[32];
  snprintf(buf, sizeof(buf), "WSA error %d", WSAGetLastError());
  return buf;
}

static void loopback(struct sockaddr_in *sa, uint16_t port) {
  memset(sa, 0, sizeof(*sa));
  sa->sin_family = AF_INET;
  sa->sin_port = htons(port);
  sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

static void io_timeout(SOCKET s) {
  DWORD ms = IO_TIMEOUT_MS;
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof(ms));
  setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, (const char *)&ms, sizeof(ms));
}

static void nodelay(SOCKET s) {
  BOOL one = TRUE;
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof(one));
}

static void set_nonblocking(SOCKET s) {
  u_long one = 1;
  ioctlsocket(s, FIONBIO, &one);
}

/* A socket bound to 127.0.0.1:0; *port gets the port. */
static SOCKET bound_socket(int type, uint16_t *port) {
  struct sockaddr_in sa;
  int len = sizeof(sa);
  SOCKET s = socket(AF_INET, type, 0);
  if (s == INVALID_SOCKET) return s;
  loopback(&sa, 0);
  if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
      getsockname(s, (struct sockaddr *)&sa, &len) != 0) {
    closesocket(s);
    return INVALID_SOCKET;
  }
  *port = ntohs(sa.sin_port);
  return s;
}

/* A connected client socket (TCP with TCP_NODELAY, or UDP). */
static SOCKET connect_to(int type, uint16_t port) {
  struct sockaddr_in sa;
  SOCKET s = socket(AF_INET, type, 0);
  if (s == INVALID_SOCKET) return s;
  loopback(&sa, port);
  if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
    closesocket(s);
    return INVALID_SOCKET;
  }
  if (type == SOCK_STREAM) nodelay(s);
  io_timeout(s);
  return s;
}

/* Waits up to ms for s to become readable: 1, 0 (timeout) or -1. */
static int wait_readable(SOCKET s, int ms) {
  WSAPOLLFD p;
  p.fd = s;
  p.events = POLLRDNORM;
  p.revents = 0;
  return WSAPoll(&p, 1, ms);
}

/* ---- peers ----------------------------------------------------------------- */

struct bench_peer {
  enum bench_peer_kind kind;
  SOCKET s;                /* listener or UDP socket */
  atomic_int stop;
  uint64_t count;
  su_thread_t *thread;
};

/* Accepts one connection, watching for a stop request. */
static SOCKET peer_accept(struct bench_peer *p) {
  while (!atomic_load(&p->stop)) {
    if (wait_readable(p->s, IDLE_MS) > 0) {
      SOCKET c = accept(p->s, NULL, NULL);
      if (c != INVALID_SOCKET) {
        nodelay(c);
        io_timeout(c);
        return c;
      }
    }
  }
  return INVALID_SOCKET;
}

/* Echoes everything back until EOF: the ping-pong counterpart. */
static void peer_echo(struct bench_peer *p) {
  static char buf[65536];  /* one echo peer at a time */
  SOCKET c = peer_accept(p);
  int n, off, w;
  if (c == INVALID_SOCKET) return;
  while ((n = recv(c, buf, sizeof(buf), 0)) > 0) {
    for (off = 0; off < n; off += w) {
      w = send(c, buf + off, n - off, 0);
      if (w <= 0) goto done;
    }
    p->count += (uint64_t)n;
  }
done:
  closesocket(c);
}

/* Reads and discards until EOF, then closes: the stream counterpart. */
static void peer_sink(struct bench_peer *p) {
  static char buf[1 << 18];
  SOCKET c = peer_accept(p);
  int n;
  if (c == INVALID_SOCKET) return;
  while ((n = recv(c, buf, sizeof(buf), 0)) > 0) p->count += (uint64_t)n;
  closesocket(c);
}

/* Counts datagrams until stopped and idle (Winsock has no recvmmsg: one
 * recv per datagram, on a non-blocking socket after WSAPoll). */
static void peer_udp_sink(struct bench_peer *p) {
  static char buf[2048];
  set_nonblocking(p->s);
  for (;;) {
    int ready = wait_readable(p->s, IDLE_MS);
    if (ready == 0 && atomic_load(&p->stop)) break;
    if (ready <= 0) continue;
    while (recv(p->s, buf, sizeof(buf), 0) >= 0) p->count++;
  }
}

/* Accepts and closes until stopped and idle: the churn counterpart. */
static void peer_accept_close(struct bench_peer *p) {
  SOCKET c;
  set_nonblocking(p->s);
  for (;;) {
    int ready = wait_readable(p->s, IDLE_MS);
    if (ready == 0 && atomic_load(&p->stop)) break;
    if (ready <= 0) continue;
    while ((c = accept(p->s, NULL, NULL)) != INVALID_SOCKET) {
      closesocket(c);
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
  p->s = bound_socket(udp ? SOCK_DGRAM : SOCK_STREAM, port);
  if (p->s == INVALID_SOCKET || (!udp && listen(p->s, SOMAXCONN) != 0)) {
    bench_fail(r, "peer: socket/bind/listen: %s", wsa_text());
    goto fail;
  }
  if (udp)
    setsockopt(p->s, SOL_SOCKET, SO_RCVBUF, (const char *)&big, sizeof(big));
  p->thread = su_thread_start(peer_main, p);
  if (p->thread == NULL) {
    bench_fail(r, "peer: cannot start a thread");
    goto fail;
  }
  return p;
fail:
  if (p->s != INVALID_SOCKET) closesocket(p->s);
  free(p);
  return NULL;
}

uint64_t bench_peer_finish(struct bench_peer *p) {
  uint64_t count;
  atomic_store(&p->stop, 1);
  su_thread_join(p->thread);
  closesocket(p->s);
  count = p->count;
  free(p);
  return count;
}

/* ---- the raw arm ----------------------------------------------------------- */

static void raw_pingpong(const struct bench_params *p, struct bench_run *r) {
  static char buf[65536];
  uint64_t start, t0, t1, end;
  double n = 0;
  int size = (int)p->size;
  SOCKET s = connect_to(SOCK_STREAM, p->port);
  if (s == INVALID_SOCKET) {
    bench_fail(r, "connect: %s", wsa_text());
    return;
  }
  memset(buf, 'p', p->size);
  start = t0 = bench_now_ns();
  end = start + p->dur_ns;
  do {
    int got = 0;
    if (send(s, buf, size, 0) != size) {
      bench_fail(r, "send: %s", wsa_text());
      break;
    }
    while (got < size) {
      int k = recv(s, buf + got, size - got, 0);
      if (k <= 0) {
        bench_fail(r, "recv: %s", k ? wsa_text() : "EOF");
        goto out;
      }
      got += k;
    }
    t1 = bench_now_ns();
    bench_lat_add(r->lat, t1 - t0);
    t0 = t1;
    n++;
  } while (t1 < end);
out:
  r->ops = n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  closesocket(s);
}

static void raw_stream(const struct bench_params *p, struct bench_run *r) {
  static char buf[1 << 16];
  uint64_t start, end;
  double bytes = 0;
  unsigned i = 0;
  char c;
  SOCKET s = connect_to(SOCK_STREAM, p->port);
  if (s == INVALID_SOCKET) {
    bench_fail(r, "connect: %s", wsa_text());
    return;
  }
  memset(buf, 's', p->size);
  start = bench_now_ns();
  end = start + p->dur_ns;
  for (;;) {
    int k = send(s, buf, (int)p->size, 0);
    if (k < 0) {
      bench_fail(r, "send: %s", wsa_text());
      break;
    }
    bytes += k;
    if ((++i & 7) == 0 && bench_now_ns() >= end) break;
  }
  r->ops = bytes;
  /* Half-close and wait for the sink's EOF: everything has been read. */
  shutdown(s, SD_SEND);
  if (recv(s, &c, 1, 0) != 0) bench_fail(r, "no EOF from the sink");
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  closesocket(s);
}

/* Counts a datagram send's outcome; a full buffer for a moment is not
 * counted and not an error. */
static int udp_sent(int k, struct bench_run *r) {
  int e;
  if (k >= 0) return 1;
  e = WSAGetLastError();
  if (e != WSAENOBUFS && e != WSAEWOULDBLOCK && e != WSAECONNRESET)
    bench_fail(r, "send: WSA error %d", e);
  return 0;
}

/* One send() per datagram, whatever the batch size. */
static void raw_udp(const struct bench_params *p, struct bench_run *r) {
  char buf[2048];
  uint64_t start, end;
  double sent = 0;
  unsigned i = 0;
  SOCKET s = connect_to(SOCK_DGRAM, p->port);
  if (s == INVALID_SOCKET) {
    bench_fail(r, "connect: %s", wsa_text());
    return;
  }
  memset(buf, 'u', p->size);
  start = bench_now_ns();
  end = start + p->dur_ns;
  while (r->status == BENCH_OK) {
    sent += udp_sent(send(s, buf, (int)p->size, 0), r);
    if ((++i & 63) == 0 && bench_now_ns() >= end) break;
  }
  r->ops = sent;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  closesocket(s);
}

static void raw_churn(const struct bench_params *p, struct bench_run *r) {
  struct sockaddr_in sa;
  uint64_t start = bench_now_ns(), end = start + p->dur_ns, now;
  double n = 0;
  loopback(&sa, p->port);
  do {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    if (s == INVALID_SOCKET ||
        connect(s, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
      bench_fail(r, "socket/connect: %s", wsa_text());
      if (s != INVALID_SOCKET) closesocket(s);
      break;
    }
    closesocket(s);
    n++;
    now = bench_now_ns();
  } while (now < end);
  r->ops = n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
}

/* A connected TCP pair, both ends in this thread. 0 or -1. */
static int tcp_pair(SOCKET *a, SOCKET *b) {
  uint16_t port;
  SOCKET l = bound_socket(SOCK_STREAM, &port);
  if (l == INVALID_SOCKET || listen(l, 1) != 0) return -1;
  *a = connect_to(SOCK_STREAM, port);
  *b = *a == INVALID_SOCKET ? INVALID_SOCKET : accept(l, NULL, NULL);
  closesocket(l);
  if (*b == INVALID_SOCKET) return -1;
  nodelay(*b);
  io_timeout(*b);
  return 0;
}

#define SR_SIZE 64  /* bytes per send of the per-call scenario */

/* n pairs of send(a) + recv(b); the function callgrind measures. */
BENCH_NOINLINE long bench_cg_raw(bsdsock_os_sock_t a, bsdsock_os_sock_t b,
                                 long n) {
  char buf[SR_SIZE];
  long i;
  memset(buf, 'c', sizeof(buf));
  for (i = 0; i < n; i++) {
    if (send((SOCKET)a, buf, SR_SIZE, 0) != SR_SIZE) break;
    if (recv((SOCKET)b, buf, SR_SIZE, 0) != SR_SIZE) break;
  }
  return i;
}

static void raw_sendrecv(const struct bench_params *p, struct bench_run *r) {
  uint64_t start, end;
  double n = 0;
  SOCKET a, b;
  if (tcp_pair(&a, &b) != 0) {
    bench_fail(r, "tcp pair: %s", wsa_text());
    return;
  }
  start = bench_now_ns();
  end = start + p->dur_ns;
  do {
    long k = bench_cg_raw(a, b, 256);
    n += (double)k;
    if (k != 256) {
      bench_fail(r, "send/recv: %s", wsa_text());
      break;
    }
  } while (bench_now_ns() < end);
  r->ops = n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  closesocket(a);
  closesocket(b);
}

static void raw_callgrind(long n, struct bench_run *r) {
  SOCKET a, b;
  if (tcp_pair(&a, &b) != 0) {
    bench_fail(r, "tcp pair: %s", wsa_text());
    return;
  }
  r->ops = (double)bench_cg_raw(a, b, n);
  closesocket(a);
  closesocket(b);
}

const struct bench_arm bench_arm_raw = {
    "raw", raw_pingpong, raw_stream, raw_udp, raw_churn, raw_sendrecv, NULL,
    NULL, raw_callgrind};

/* ---- raw batched datagrams: none on Winsock --------------------------------- */

static void raw_mmsg_udp(const struct bench_params *p, struct bench_run *r) {
  (void)p;
  bench_skip(r, "Winsock has no sendmmsg (only Registered I/O batches, "
                "with its own registered buffers and queues)");
}

const struct bench_arm bench_arm_raw_mmsg = {
    "raw-mmsg", NULL, NULL, raw_mmsg_udp, NULL, NULL, NULL, NULL, NULL};

/* ---- raw WSAPoll() and select() over the readiness set ---------------------- */

static int check_one(int got, struct bench_run *r) {
  if (got == 1) return 1;
  bench_fail(r, "readiness call returned %d (WSA error %d), expected 1", got,
             got < 0 ? WSAGetLastError() : 0);
  return 0;
}

/* WSAPoll over the whole set (an array built once), each call non-blocking.
 * With find, each call is followed by the scan for the entry that is ready
 * and a check that it is the active one (the poller scenario); without,
 * the call alone (the ready_* scenarios). The flag is one predictable
 * branch next to a system call of tens of microseconds. */
static void wsapoll_loop(const struct bench_params *p, struct bench_run *r,
                         int find) {
  const struct bench_ready_set *s = p->set;
  WSAPOLLFD *fds = calloc(s->n, sizeof(*fds));
  uint64_t start, end;
  double n = 0;
  size_t i;
  if (fds == NULL) {
    bench_fail(r, "out of memory");
    return;
  }
  for (i = 0; i < s->n; i++) {
    fds[i].fd = (SOCKET)s->os[i];
    fds[i].events = POLLRDNORM;
  }
  start = bench_now_ns();
  end = start + p->dur_ns;
  do {
    if (!check_one(WSAPoll(fds, (ULONG)s->n, 0), r)) break;
    if (find) {
      for (i = 0; i < s->n && fds[i].revents == 0; i++) continue;
      if (i != s->active) {
        bench_fail(r, "WSAPoll reported socket %u, not %u", (unsigned)i,
                   (unsigned)s->active);
        break;
      }
    }
    n++;
  } while (bench_now_ns() < end);
  r->ops = n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  free(fds);
}

static void raw_poll(const struct bench_params *p, struct bench_run *r) {
  wsapoll_loop(p, r, 0);
}

/* select() rewrites its set, so each call starts from a copy of the used
 * part of a set built once. */
static void raw_select(const struct bench_params *p, struct bench_run *r) {
  static fd_set model, work;
  const struct bench_ready_set *s = p->set;
  struct timeval zero = {0, 0};  /* MinGW declares it non-const */
  uint64_t start, end;
  double n = 0;
  size_t i;
  if (s->n > FD_SETSIZE) {
    bench_skip(r, "this build's fd_set holds %d sockets", FD_SETSIZE);
    return;
  }
  /* Filled directly: FD_SET scans for duplicates, O(n^2) to build. */
  model.fd_count = 0;
  for (i = 0; i < s->n; i++)
    model.fd_array[model.fd_count++] = (SOCKET)s->os[i];
  start = bench_now_ns();
  end = start + p->dur_ns;
  do {
    work.fd_count = model.fd_count;
    memcpy(work.fd_array, model.fd_array, model.fd_count * sizeof(SOCKET));
    if (!check_one(select(0, &work, NULL, NULL, &zero), r)) break;
    n++;
  } while (bench_now_ns() < end);
  r->ops = n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
}

const struct bench_arm bench_arm_raw_poll = {
    "raw-poll", NULL, NULL, NULL, NULL, NULL, raw_poll, NULL, NULL};
const struct bench_arm bench_arm_raw_select = {
    "raw-select", NULL, NULL, NULL, NULL, NULL, raw_select, NULL, NULL};

/* ---- raw WSAPoll over the set (the poller scenario) ------------------------- */

/* Winsock has no epoll: the raw arm of the poller scenario is WSAPoll over
 * the whole set (an array built once), then the scan for the entry that
 * is ready, which is what a Winsock program without AFD does. It is
 * named raw-wsapoll, so that no table calls it epoll. */
static void raw_wsapoll(const struct bench_params *p, struct bench_run *r) {
  wsapoll_loop(p, r, 1);
}

const struct bench_arm bench_arm_raw_epoll = {
    "raw-wsapoll", NULL, NULL, NULL, NULL, NULL, NULL, raw_wsapoll, NULL};
