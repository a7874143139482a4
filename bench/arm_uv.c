/* SPDX-License-Identifier: MIT */
/*
 * bench/arm_uv.c - the libuv arm: every scenario's client side written as
 * a libuv program would be (callbacks on one loop, uv_write for TCP,
 * uv_udp_try_send for UDP, uv_poll for readiness), after libuv's own
 * benchmarks (test/benchmark-ping-pongs.c, -pump.c, -pound.c).
 *
 * Every run has its own loop and a guard timer: a run that is not over
 * GUARD_MS after its end is abandoned (all handles closed) and reported
 * as failed, so a loop that never wakes cannot hang the harness.
 */
/* uv.h uses POSIX types (pthread_rwlock_t, ...) that strict C11 hides. */
#define _GNU_SOURCE 1
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#define GUARD_MS 10000
#define SR_SIZE 64  /* bytes per send of the per-call scenario */

/* ---- a loop per run ------------------------------------------------------ */

struct uvrun {
  uv_loop_t loop;
  uv_timer_t guard;
  struct bench_run *r;
};

static void close_any(uv_handle_t *h, void *arg) {
  (void)arg;
  if (!uv_is_closing(h)) uv_close(h, NULL);
}

static void guard_fired(uv_timer_t *t) {
  struct uvrun *u = t->data;
  bench_fail(u->r, "libuv run did not finish %d ms after its end",
             GUARD_MS);
  uv_walk(&u->loop, close_any, NULL);
}

static int loop_open(struct uvrun *u, struct bench_run *r, uint64_t dur_ns) {
  int rc = uv_loop_init(&u->loop);
  u->r = r;
  if (rc != 0) {
    bench_fail(r, "uv_loop_init: %s", uv_strerror(rc));
    return -1;
  }
  uv_timer_init(&u->loop, &u->guard);
  u->guard.data = u;
  uv_timer_start(&u->guard, guard_fired, dur_ns / 1000000u + GUARD_MS, 0);
  uv_unref((uv_handle_t *)&u->guard);  /* does not keep the loop alive */
  return 0;
}

/* Closes every handle still open and tears the loop down. */
static void loop_abort(struct uvrun *u) {
  uv_walk(&u->loop, close_any, NULL);
  uv_run(&u->loop, UV_RUN_DEFAULT);
  uv_loop_close(&u->loop);
}

/* Runs the loop until the run's handles are closed, then tears it down. */
static void loop_finish(struct uvrun *u) {
  uv_run(&u->loop, UV_RUN_DEFAULT);
  loop_abort(u);
}

static void uv_failed(struct bench_run *r, const char *what, int rc) {
  if (r->status == BENCH_OK) bench_fail(r, "%s: %s", what, uv_strerror(rc));
}

static void close_stream(uv_stream_t *s) {
  if (!uv_is_closing((uv_handle_t *)s)) uv_close((uv_handle_t *)s, NULL);
}

/* ---- ping-pong -------------------------------------------------------------- */

struct pp {
  struct uvrun u;
  uv_tcp_t tcp;
  uv_connect_t creq;
  uv_write_t wreq[2];   /* alternate: the last one's callback may be due */
  int wi;
  size_t size, got;
  uint64_t start, t0, end, dur;
  double n;
  char out[65536], in[65536];
};

static void pp_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b) {
  struct pp *s = h->data;
  (void)hint;
  *b = uv_buf_init(s->in, sizeof(s->in));
}

static void pp_written(uv_write_t *req, int status) {
  struct pp *s = req->data;
  if (status < 0 && status != UV_ECANCELED) {
    uv_failed(s->u.r, "write", status);
    close_stream((uv_stream_t *)&s->tcp);
  }
}

static void pp_send(struct pp *s) {
  uv_buf_t b = uv_buf_init(s->out, (unsigned)s->size);
  uv_write_t *w = &s->wreq[s->wi ^= 1];
  int rc;
  w->data = s;
  rc = uv_write(w, (uv_stream_t *)&s->tcp, &b, 1, pp_written);
  if (rc != 0) {
    uv_failed(s->u.r, "uv_write", rc);
    close_stream((uv_stream_t *)&s->tcp);
  }
}

static void pp_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *b) {
  struct pp *s = st->data;
  uint64_t t1;
  (void)b;
  if (nread < 0) {
    uv_failed(s->u.r, "read", (int)nread);
    close_stream(st);
    return;
  }
  s->got += (size_t)nread;
  if (s->got < s->size) return;
  s->got = 0;
  t1 = bench_now_ns();
  bench_lat_add(s->u.r->lat, t1 - s->t0);
  s->t0 = t1;
  s->n++;
  if (t1 >= s->end) {
    close_stream(st);
    return;
  }
  pp_send(s);
}

static void pp_connected(uv_connect_t *req, int status) {
  struct pp *s = req->data;
  int rc;
  if (status < 0) {
    uv_failed(s->u.r, "connect", status);
    close_stream((uv_stream_t *)&s->tcp);
    return;
  }
  uv_tcp_nodelay(&s->tcp, 1);
  rc = uv_read_start((uv_stream_t *)&s->tcp, pp_alloc, pp_read);
  if (rc != 0) {
    uv_failed(s->u.r, "uv_read_start", rc);
    close_stream((uv_stream_t *)&s->tcp);
    return;
  }
  s->start = s->t0 = bench_now_ns();
  s->end = s->start + s->dur;
  pp_send(s);
}

/* Connects a TCP handle to 127.0.0.1:port; 0 or a libuv error. */
static int tcp_connect(uv_loop_t *loop, uv_tcp_t *tcp, uv_connect_t *req,
                       uint16_t port, uv_connect_cb cb) {
  struct sockaddr_in sa;
  int rc = uv_ip4_addr("127.0.0.1", port, &sa);
  if (rc == 0) rc = uv_tcp_init(loop, tcp);
  if (rc == 0) rc = uv_tcp_connect(req, tcp, (const struct sockaddr *)&sa, cb);
  return rc;
}

static void uv_pingpong(const struct bench_params *p, struct bench_run *r) {
  struct pp *s = calloc(1, sizeof(*s));
  int rc;
  if (s == NULL || loop_open(&s->u, r, p->dur_ns) != 0) {
    if (s == NULL) bench_fail(r, "out of memory");
    free(s);
    return;
  }
  s->size = p->size;
  memset(s->out, 'p', sizeof(s->out));
  s->dur = p->dur_ns;
  s->tcp.data = s->creq.data = s;
  rc = tcp_connect(&s->u.loop, &s->tcp, &s->creq, p->port, pp_connected);
  if (rc != 0) uv_failed(r, "connect", rc);
  loop_finish(&s->u);
  r->ops = s->n;
  r->secs = s->start ? (double)(bench_now_ns() - s->start) / 1e9 : 0;
  free(s);
}

/* ---- stream ------------------------------------------------------------------ */

struct wr {
  uv_write_t req;
  struct wr *next;
};

struct st {
  struct uvrun u;
  uv_tcp_t tcp;
  uv_connect_t creq;
  uv_shutdown_t sreq;
  struct wr *free_list;
  uv_buf_t buf;
  uint64_t start, end, dur;
  double bytes;
  int outstanding, stopping, finishing;
  char in[64];
};

static struct wr *wr_get(struct st *s) {
  struct wr *w = s->free_list;
  if (w != NULL) s->free_list = w->next;
  else w = malloc(sizeof(*w));
  if (w != NULL) w->req.data = s;
  return w;
}

static void st_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b) {
  struct st *s = h->data;
  (void)hint;
  *b = uv_buf_init(s->in, sizeof(s->in));
}

/* The sink's EOF: everything written has been read. */
static void st_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *b) {
  struct st *s = st->data;
  (void)b;
  if (nread == UV_EOF) {
    s->u.r->secs = (double)(bench_now_ns() - s->start) / 1e9;
  } else if (nread >= 0) {
    return;
  } else {
    uv_failed(s->u.r, "read", (int)nread);
  }
  close_stream(st);
}

static void st_shut(uv_shutdown_t *req, int status) {
  struct st *s = req->data;
  if (status < 0) {
    uv_failed(s->u.r, "shutdown", status);
    close_stream((uv_stream_t *)&s->tcp);
  }
}

static void st_finish(struct st *s) {
  int rc;
  if (s->finishing) return;
  s->finishing = 1;
  s->sreq.data = s;
  rc = uv_shutdown(&s->sreq, (uv_stream_t *)&s->tcp, st_shut);
  if (rc == 0) rc = uv_read_start((uv_stream_t *)&s->tcp, st_alloc, st_read);
  if (rc != 0) {
    uv_failed(s->u.r, "shutdown", rc);
    close_stream((uv_stream_t *)&s->tcp);
  }
}

static void st_written(uv_write_t *req, int status);

/* Writes until the kernel stops taking data at once (libuv's pump
 * benchmark does the same: write while the write queue is empty). */
static void st_write_some(struct st *s) {
  unsigned i = 0;
  while (!s->stopping && s->tcp.write_queue_size == 0) {
    struct wr *w = wr_get(s);
    int rc = w ? uv_write(&w->req, (uv_stream_t *)&s->tcp, &s->buf, 1,
                          st_written)
               : UV_ENOMEM;
    if (rc != 0) {
      uv_failed(s->u.r, "uv_write", rc);
      close_stream((uv_stream_t *)&s->tcp);
      return;
    }
    s->outstanding++;
    if ((++i & 7) == 0 && bench_now_ns() >= s->end) s->stopping = 1;
  }
  if (s->stopping && s->outstanding == 0) st_finish(s);
}

static void st_written(uv_write_t *req, int status) {
  struct st *s = req->data;
  struct wr *w = (struct wr *)req;
  w->next = s->free_list;
  s->free_list = w;
  s->outstanding--;
  if (status < 0) {
    if (status != UV_ECANCELED) uv_failed(s->u.r, "write", status);
    close_stream((uv_stream_t *)&s->tcp);
    return;
  }
  s->bytes += (double)s->buf.len;
  if (!s->stopping && bench_now_ns() >= s->end) s->stopping = 1;
  if (!s->stopping) st_write_some(s);
  else if (s->outstanding == 0) st_finish(s);
}

static void st_connected(uv_connect_t *req, int status) {
  struct st *s = req->data;
  if (status < 0) {
    uv_failed(s->u.r, "connect", status);
    close_stream((uv_stream_t *)&s->tcp);
    return;
  }
  uv_tcp_nodelay(&s->tcp, 1);
  s->start = bench_now_ns();
  s->end = s->start + s->dur;
  st_write_some(s);
}

static void uv_stream(const struct bench_params *p, struct bench_run *r) {
  static char data[1 << 16];
  struct st *s = calloc(1, sizeof(*s));
  int rc;
  if (s == NULL || loop_open(&s->u, r, p->dur_ns) != 0) {
    if (s == NULL) bench_fail(r, "out of memory");
    free(s);
    return;
  }
  memset(data, 's', p->size);
  s->buf = uv_buf_init(data, (unsigned)p->size);
  s->dur = p->dur_ns;
  s->tcp.data = s->creq.data = s;
  rc = tcp_connect(&s->u.loop, &s->tcp, &s->creq, p->port, st_connected);
  if (rc != 0) uv_failed(r, "connect", rc);
  loop_finish(&s->u);
  r->ops = s->bytes;
  while (s->free_list != NULL) {
    struct wr *w = s->free_list;
    s->free_list = w->next;
    free(w);
  }
  free(s);
}

/* ---- UDP: uv_udp_try_send, one datagram per call ----------------------------- */

static void uv_udp(const struct bench_params *p, struct bench_run *r) {
  struct uvrun u;
  struct sockaddr_in sa;
  uv_udp_t udp;
  char data[2048];
  uv_buf_t b;
  uint64_t start, end;
  double sent = 0;
  unsigned i = 0;
  int rc;
  if (loop_open(&u, r, p->dur_ns) != 0) return;
  memset(data, 'u', p->size);
  b = uv_buf_init(data, (unsigned)p->size);
  rc = uv_ip4_addr("127.0.0.1", p->port, &sa);
  if (rc == 0) rc = uv_udp_init(&u.loop, &udp);
  if (rc == 0) rc = uv_udp_connect(&udp, (const struct sockaddr *)&sa);
  if (rc != 0) {
    uv_failed(r, "udp connect", rc);
    loop_abort(&u);
    return;
  }
  start = bench_now_ns();
  end = start + p->dur_ns;
  while (r->status == BENCH_OK) {
    rc = uv_udp_try_send(&udp, &b, 1, NULL);
    if (rc >= 0) sent++;
    else if (rc != UV_EAGAIN && rc != UV_ENOBUFS && rc != UV_ECONNREFUSED)
      uv_failed(r, "uv_udp_try_send", rc);
    if ((++i & 63) == 0 && bench_now_ns() >= end) break;
  }
  r->ops = sent;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  uv_close((uv_handle_t *)&udp, NULL);
  loop_finish(&u);
}

/* ---- connect/close churn -------------------------------------------------------- */

struct ch {
  struct uvrun u;
  uv_tcp_t tcp;
  uv_connect_t req;
  uint16_t port;
  uint64_t end;
  double n;
};

static void ch_connected(uv_connect_t *req, int status);

static void ch_next(struct ch *s) {
  int rc;
  s->tcp.data = s->req.data = s;
  rc = tcp_connect(&s->u.loop, &s->tcp, &s->req, s->port, ch_connected);
  if (rc != 0) uv_failed(s->u.r, "connect", rc);
}

static void ch_closed(uv_handle_t *h) {
  struct ch *s = h->data;
  if (s->u.r->status == BENCH_OK && bench_now_ns() < s->end) ch_next(s);
}

static void ch_connected(uv_connect_t *req, int status) {
  struct ch *s = req->data;
  if (status < 0) uv_failed(s->u.r, "connect", status);
  else s->n++;
  uv_close((uv_handle_t *)&s->tcp, ch_closed);
}

static void uv_churn(const struct bench_params *p, struct bench_run *r) {
  struct ch *s = calloc(1, sizeof(*s));
  uint64_t start;
  if (s == NULL || loop_open(&s->u, r, p->dur_ns) != 0) {
    if (s == NULL) bench_fail(r, "out of memory");
    free(s);
    return;
  }
  s->port = p->port;
  start = bench_now_ns();
  s->end = start + p->dur_ns;
  ch_next(s);
  loop_finish(&s->u);
  r->ops = s->n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  free(s);
}

/* ---- send + recv on a connected pair ------------------------------------------- */

struct sr {
  struct uvrun u;
  uv_tcp_t server, a, b;
  uv_connect_t creq;
  int connected, accepted;
  size_t got;
  char in[4096];
};

static void sr_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b) {
  struct sr *s = h->data;
  (void)hint;
  *b = uv_buf_init(s->in, sizeof(s->in));
}

static void sr_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *b) {
  struct sr *s = st->data;
  (void)b;
  if (nread < 0) {
    uv_failed(s->u.r, "read", (int)nread);
    close_stream(st);
    return;
  }
  s->got += (size_t)nread;
}

static void sr_connection(uv_stream_t *server, int status) {
  struct sr *s = server->data;
  if (status == 0) status = uv_tcp_init(&s->u.loop, &s->b);
  if (status == 0) status = uv_accept(server, (uv_stream_t *)&s->b);
  if (status != 0) uv_failed(s->u.r, "accept", status);
  s->accepted = status == 0 ? 1 : -1;
}

static void sr_connected(uv_connect_t *req, int status) {
  struct sr *s = req->data;
  if (status != 0) uv_failed(s->u.r, "connect", status);
  s->connected = status == 0 ? 1 : -1;
}

/* A connected pair a -> b on one loop, b reading into s->got. 0 or -1. */
static int sr_open(struct sr *s, struct bench_run *r, uint64_t dur_ns) {
  struct sockaddr_storage ss;
  int len = sizeof(ss), rc, rounds = 0;
  struct sockaddr_in sa;
  const unsigned char *port;
  if (loop_open(&s->u, r, dur_ns) != 0) return -1;
  s->server.data = s->a.data = s->b.data = s->creq.data = s;
  rc = uv_ip4_addr("127.0.0.1", 0, &sa);
  if (rc == 0) rc = uv_tcp_init(&s->u.loop, &s->server);
  if (rc == 0) rc = uv_tcp_bind(&s->server, (const struct sockaddr *)&sa, 0);
  if (rc == 0) rc = uv_listen((uv_stream_t *)&s->server, 1, sr_connection);
  if (rc == 0)
    rc = uv_tcp_getsockname(&s->server, (struct sockaddr *)&ss, &len);
  port = (const unsigned char *)&((struct sockaddr_in *)&ss)->sin_port;
  if (rc == 0)
    rc = tcp_connect(&s->u.loop, &s->a, &s->creq,
                     (uint16_t)(port[0] << 8 | port[1]), sr_connected);
  if (rc != 0) uv_failed(r, "listen/connect", rc);
  while (rc == 0 && (s->connected == 0 || s->accepted == 0) &&
         ++rounds < 10000)
    uv_run(&s->u.loop, UV_RUN_ONCE);
  if (s->connected != 1 || s->accepted != 1) {
    if (r->status == BENCH_OK) bench_fail(r, "pair not connected");
    loop_abort(&s->u);
    return -1;
  }
  s->b.data = s;
  uv_close((uv_handle_t *)&s->server, NULL);
  uv_tcp_nodelay(&s->a, 1);
  uv_tcp_nodelay(&s->b, 1);
  rc = uv_read_start((uv_stream_t *)&s->b, sr_alloc, sr_read);
  if (rc != 0) {
    uv_failed(r, "uv_read_start", rc);
    loop_abort(&s->u);
    return -1;
  }
  return 0;
}

/* n pairs of uv_try_write(a) + loop turns until b's read callback has the
 * bytes; the function callgrind measures. */
BENCH_NOINLINE long bench_cg_libuv(void *pair, long n) {
  struct sr *s = pair;
  char data[SR_SIZE];
  uv_buf_t b = uv_buf_init(data, SR_SIZE);
  long i;
  int turns;
  memset(data, 'c', sizeof(data));
  for (i = 0; i < n; i++) {
    if (uv_try_write((uv_stream_t *)&s->a, &b, 1) != SR_SIZE) break;
    s->got = 0;
    for (turns = 0; s->got < SR_SIZE && turns < 1000; turns++)
      uv_run(&s->u.loop, UV_RUN_ONCE);
    if (s->got != SR_SIZE) break;
  }
  return i;
}

static void sr_close(struct sr *s) {
  close_stream((uv_stream_t *)&s->a);
  close_stream((uv_stream_t *)&s->b);
  loop_finish(&s->u);
}

static void uv_sendrecv(const struct bench_params *p, struct bench_run *r) {
  struct sr *s = calloc(1, sizeof(*s));
  uint64_t start, end;
  double n = 0;
  if (s == NULL || sr_open(s, r, p->dur_ns) != 0) {
    if (s == NULL) bench_fail(r, "out of memory");
    free(s);
    return;
  }
  start = bench_now_ns();
  end = start + p->dur_ns;
  do {
    long k = bench_cg_libuv(s, 256);
    n += (double)k;
    if (k != 256) {
      if (r->status == BENCH_OK) bench_fail(r, "try_write/read failed");
      break;
    }
  } while (bench_now_ns() < end);
  r->ops = n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  sr_close(s);
  free(s);
}

static void uv_callgrind(long n, struct bench_run *r) {
  struct sr *s = calloc(1, sizeof(*s));
  if (s == NULL || sr_open(s, r, 60000000000u) != 0) {
    free(s);
    return;
  }
  r->ops = (double)bench_cg_libuv(s, n);
  sr_close(s);
  free(s);
}

/* ---- readiness: uv_poll over the set ----------------------------------------- */

/* Both the readiness scenario and the poller scenario: libuv has one way
 * to watch sockets, a uv_poll handle each (epoll on Linux, AFD polls on
 * Windows), and one uv_run(UV_RUN_NOWAIT) is its one wait; the callback
 * it runs is the ready socket's, so the socket is identified. */

struct rd {
  struct uvrun u;
  uv_poll_t *h;
  size_t n;
  long events;
};

static void rd_event(uv_poll_t *h, int status, int events) {
  struct rd *s = h->data;
  (void)events;
  if (status < 0) uv_failed(s->u.r, "poll", status);
  s->events++;
}

static void uv_ready(const struct bench_params *p, struct bench_run *r) {
  const struct bench_ready_set *set = p->set;
  struct rd s;
  uint64_t start, end;
  double n = 0;
  size_t i;
  int rc = 0;
  memset(&s, 0, sizeof(s));
  if (loop_open(&s.u, r, p->dur_ns) != 0) return;
  s.h = calloc(set->n, sizeof(*s.h));
  for (i = 0; s.h != NULL && i < set->n && rc == 0; i++) {
    rc = uv_poll_init_socket(&s.u.loop, &s.h[i], (uv_os_sock_t)set->os[i]);
    s.h[i].data = &s;
    if (rc == 0) rc = uv_poll_start(&s.h[i], UV_READABLE, rd_event);
  }
  if (s.h == NULL || rc != 0) {
    if (s.h == NULL) bench_fail(r, "out of memory");
    else uv_failed(r, "uv_poll_init_socket/start", rc);
    loop_abort(&s.u);
    free(s.h);
    return;
  }
  start = bench_now_ns();
  end = start + p->dur_ns;
  do {
    long before = s.events;
    uv_run(&s.u.loop, UV_RUN_NOWAIT);
    if (s.events - before != 1 && r->status == BENCH_OK)
      bench_fail(r, "one loop turn reported %ld ready sockets, expected 1",
                 s.events - before);
    n++;
  } while (r->status == BENCH_OK && bench_now_ns() < end);
  r->ops = n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  loop_abort(&s.u);  /* the poll handles would keep the loop alive */
  free(s.h);
}

const char *bench_uv_version(void) {
  return uv_version_string();
}

const struct bench_arm bench_arm_libuv = {
    "libuv", uv_pingpong, uv_stream, uv_udp, uv_churn, uv_sendrecv, uv_ready,
    uv_ready, uv_callgrind};
