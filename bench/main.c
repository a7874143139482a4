/* SPDX-License-Identifier: MIT */
/*
 * bench/main.c - bsdsock-bench: raw syscalls vs bsdsock vs libuv, side by
 * side, on this machine.
 *
 * Method (see bench/README.md): each scenario runs every arm once as a
 * warm-up (not counted), then --reps repetitions of --duration-ms each,
 * the arms interleaved (repetition k starts with arm k mod n), so slow
 * drifts of the machine hit every arm alike. The figure reported is the
 * median over repetitions; p50/p99 are of the per-repetition values, or,
 * for round-trip times, of every round trip of every repetition.
 */
#include "bench.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- scenarios ------------------------------------------------------------ */

enum kind { K_PINGPONG, K_STREAM, K_UDP, K_BATCH, K_CHURN, K_SENDRECV, K_READY };

struct scenario {
  const char *name, *anchor, *what;
  enum kind kind;
  size_t size;     /* bytes per message / write / datagram */
  int batch;       /* datagrams per batched call */
  size_t nsock;    /* watched sockets */
};

static const struct scenario scenarios[] = {
    {"tcp_pingpong_1B", "S1", "TCP ping-pong, 1 B, one connection",
     K_PINGPONG, 1, 0, 0},
    {"tcp_pingpong_64B", "S1", "TCP ping-pong, 64 B, one connection",
     K_PINGPONG, 64, 0, 0},
    {"tcp_stream_8KiB", "S4", "TCP stream, 8 KiB writes", K_STREAM, 8192, 0,
     0},
    {"tcp_stream_64KiB", "S4", "TCP stream, 64 KiB writes", K_STREAM, 65536,
     0, 0},
    {"udp_oneway_64B", "S8", "UDP 64 B datagrams one way, one per call",
     K_UDP, 64, 0, 0},
    {"udp_batch_1", "S9", "UDP 64 B, batches of 1", K_BATCH, 64, 1, 0},
    {"udp_batch_8", "S9", "UDP 64 B, batches of 8", K_BATCH, 64, 8, 0},
    {"udp_batch_32", "S9", "UDP 64 B, batches of 32", K_BATCH, 64, 32, 0},
    {"udp_batch_64", "S9", "UDP 64 B, batches of 64", K_BATCH, 64, 64, 0},
    {"tcp_churn", "S6", "TCP connect + close, one at a time", K_CHURN, 0, 0,
     0},
    {"sendrecv_cost", "S11", "64 B send + recv on a connected pair",
     K_SENDRECV, 64, 0, 0},
    {"ready_100", "S10", "poll/select over 100 sockets, 1 ready", K_READY, 0,
     0, 100},
    {"ready_1000", "S10", "poll/select over 1,000 sockets, 1 ready", K_READY,
     0, 0, 1000},
    {"ready_10000", "S10", "poll/select over 10,000 sockets, 1 ready",
     K_READY, 0, 0, 10000},
};
#define NSCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

#define MAX_ARMS 5
static const struct bench_arm *const arms_std[] = {
    &bench_arm_raw, &bench_arm_bsdsock, &bench_arm_libuv, NULL};
/* raw = one send() per datagram; raw-mmsg = the batched call alone. */
static const struct bench_arm *const arms_batch[] = {
    &bench_arm_raw, &bench_arm_raw_mmsg, &bench_arm_bsdsock, &bench_arm_libuv,
    NULL};
static const struct bench_arm *const arms_ready[] = {
    &bench_arm_raw_poll, &bench_arm_raw_select, &bench_arm_bsdsock_poll,
    &bench_arm_bsdsock_select, &bench_arm_libuv, NULL};

static const struct bench_arm *const *arms_of(enum kind k) {
  return k == K_BATCH ? arms_batch : k == K_READY ? arms_ready : arms_std;
}

static bench_fn arm_fn(const struct bench_arm *a, enum kind k) {
  switch (k) {
    case K_PINGPONG: return a->pingpong;
    case K_STREAM: return a->stream;
    case K_UDP: case K_BATCH: return a->udp;
    case K_CHURN: return a->churn;
    case K_SENDRECV: return a->sendrecv;
    case K_READY: return a->ready;
  }
  return NULL;
}

/* ---- metrics -------------------------------------------------------------- */

struct metric {
  const char *name, *unit;
  int higher_better;
  double (*value)(const struct bench_run *r);  /* NULL: from latencies */
};

static double per_sec(const struct bench_run *r) { return r->ops / r->secs; }
static double per_sec2(const struct bench_run *r) { return r->ops2 / r->secs; }
static double gbytes(const struct bench_run *r) {
  return r->ops / r->secs / 1e9;
}
static double ns_per_op(const struct bench_run *r) {
  return r->secs * 1e9 / r->ops;
}
static double us_per_op(const struct bench_run *r) {
  return r->secs * 1e6 / r->ops;
}

#define MAX_METRICS 2
static const struct metric m_pingpong[] = {
    {"round_trips", "1/s", 1, per_sec}, {"rtt", "us", 0, NULL}};
static const struct metric m_stream[] = {{"throughput", "GB/s", 1, gbytes}};
static const struct metric m_udp[] = {{"sent", "dgram/s", 1, per_sec},
                                      {"received", "dgram/s", 1, per_sec2}};
static const struct metric m_churn[] = {{"connections", "1/s", 1, per_sec}};
static const struct metric m_sendrecv[] = {
    {"send_recv", "ns/op", 0, ns_per_op}};
static const struct metric m_ready[] = {{"call", "us/call", 0, us_per_op}};

static const struct metric *metrics_of(enum kind k, size_t *n) {
#define RET(m) do { *n = sizeof(m) / sizeof(m[0]); return m; } while (0)
  switch (k) {
    case K_PINGPONG: RET(m_pingpong);
    case K_STREAM: RET(m_stream);
    case K_UDP: case K_BATCH: RET(m_udp);
    case K_CHURN: RET(m_churn);
    case K_SENDRECV: RET(m_sendrecv);
    case K_READY: RET(m_ready);
  }
#undef RET
  *n = 0;
  return NULL;
}

/* ---- table rows: which arm fills which column ---------------------------- */

struct rowdef {
  const char *variant;           /* "" or "poll"/"select" */
  const char *raw, *bsd, *uv;    /* arm names, NULL for none */
  const char *extra;             /* one more arm, shown in the notes */
};

static const struct rowdef rows_std[] = {{"", "raw", "bsdsock", "libuv", NULL}};
static const struct rowdef rows_batch[] = {
    {"", "raw", "bsdsock", "libuv", "raw-mmsg"}};
static const struct rowdef rows_ready[] = {
    {"poll", "raw-poll", "bsdsock-poll", "libuv", NULL},
    {"select", "raw-select", "bsdsock-select", NULL, NULL}};

static const struct rowdef *rows_of(enum kind k, size_t *n) {
  if (k == K_READY) {
    *n = 2;
    return rows_ready;
  }
  *n = 1;
  return k == K_BATCH ? rows_batch : rows_std;
}

/* ---- run-time helpers --------------------------------------------------------- */

static void vset(struct bench_run *r, enum bench_status st, const char *fmt,
                 va_list ap) BENCH_PRINTF(3, 0);

static void vset(struct bench_run *r, enum bench_status st, const char *fmt,
                 va_list ap) {
  if (r->status != BENCH_OK) return;  /* keep the first reason */
  r->status = st;
  vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
}

void bench_skip(struct bench_run *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vset(r, BENCH_SKIP, fmt, ap);
  va_end(ap);
}

void bench_fail(struct bench_run *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vset(r, BENCH_FAIL, fmt, ap);
  va_end(ap);
}

void bench_lat_add(struct bench_lat *l, uint64_t ns) {
  if (l != NULL && l->n < l->cap) l->v[l->n++] = (double)ns / 1000.0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of v[0..n-1] (sorted in place). */
static double percentile(double *v, size_t n, double pct) {
  size_t rank;
  if (n == 0) return NAN;
  qsort(v, n, sizeof(*v), cmp_double);
  rank = (size_t)ceil(pct / 100.0 * (double)n);
  return v[rank == 0 ? 0 : rank - 1];
}

/* ---- options ---------------------------------------------------------------- */

int bench_peer_cpu = -1;

struct opts {
  long dur_ms, warm_ms, reps;
  int pin;
  const char *filter[32];
  int nfilter;
  const char *json, *svg, *cg_arm;
  long cg_pairs;
  int list;
};

static void usage(FILE *f) {
  fprintf(f,
      "usage: bsdsock-bench [options]\n"
      "  --duration-ms N   length of one repetition (default 500)\n"
      "  --reps N          repetitions per arm, median reported (default 5)\n"
      "  --warmup-ms N     warm-up run per arm, not counted (default 100)\n"
      "  --smoke           quick pass: 40 ms x 3 reps, 10 ms warm-up\n"
      "  --scenario S      run scenarios whose name contains S (repeatable,\n"
      "                    or comma-separated)\n"
      "  --pin             run the client on CPU 0 and the peer on CPU 1\n"
      "  --list            list the scenarios and exit\n"
      "  --json FILE       write every figure as a JSON array of records\n"
      "  --svg FILE        write a bar chart of the bsdsock ratios\n"
      "  --callgrind-sendrecv N  do N send+recv pairs per arm and exit (run\n"
      "                    it under valgrind --tool=callgrind; see\n"
      "                    bench/callgrind.py); --arm NAME limits the arms\n");
}

static long num_arg(const char *flag, const char *v, long min, long max) {
  char *end;
  long n = v ? strtol(v, &end, 10) : 0;
  if (v == NULL || *end != '\0' || n < min || n > max) {
    fprintf(stderr, "bsdsock-bench: %s needs a number in %ld..%ld\n", flag,
            min, max);
    exit(2);
  }
  return n;
}

static void add_filters(struct opts *o, char *list) {
  char *tok = strtok(list, ",");
  while (tok != NULL && o->nfilter < 32) {
    o->filter[o->nfilter++] = tok;
    tok = strtok(NULL, ",");
  }
}

static void parse(int argc, char **argv, struct opts *o) {
  int i;
  o->dur_ms = 500;
  o->warm_ms = 100;
  o->reps = 5;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--duration-ms") == 0) {
      o->dur_ms = num_arg(a, v, 1, 3600000), i++;
    } else if (strcmp(a, "--reps") == 0) {
      o->reps = num_arg(a, v, 1, BENCH_MAX_REPS), i++;
    } else if (strcmp(a, "--warmup-ms") == 0) {
      o->warm_ms = num_arg(a, v, 0, 3600000), i++;
    } else if (strcmp(a, "--smoke") == 0) {
      o->dur_ms = 40, o->reps = 3, o->warm_ms = 10;
    } else if (strcmp(a, "--scenario") == 0 && v) {
      add_filters(o, argv[++i]);
    } else if (strcmp(a, "--json") == 0 && v) {
      o->json = argv[++i];
    } else if (strcmp(a, "--svg") == 0 && v) {
      o->svg = argv[++i];
    } else if (strcmp(a, "--callgrind-sendrecv") == 0) {
      o->cg_pairs = num_arg(a, v, 1, 1000000000), i++;
    } else if (strcmp(a, "--arm") == 0 && v) {
      o->cg_arm = argv[++i];
    } else if (strcmp(a, "--pin") == 0) {
      o->pin = 1;
    } else if (strcmp(a, "--list") == 0) {
      o->list = 1;
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      exit(0);
    } else {
      fprintf(stderr, "bsdsock-bench: unknown or incomplete option %s\n", a);
      usage(stderr);
      exit(2);
    }
  }
}

static int selected(const struct opts *o, const struct scenario *s) {
  int i;
  if (o->nfilter == 0) return 1;
  for (i = 0; i < o->nfilter; i++)
    if (strstr(s->name, o->filter[i]) != NULL) return 1;
  return 0;
}

/* ---- results ------------------------------------------------------------------ */

static struct bench_record *records;
static size_t nrecords, caprecords;
static struct bench_ratio_row ratio_rows[64];
static size_t nratio_rows;
static int any_failed;

static struct bench_record *new_record(void) {
  if (nrecords == caprecords) {
    size_t cap = caprecords ? caprecords * 2 : 64;
    struct bench_record *r = realloc(records, cap * sizeof(*r));
    if (r == NULL) {
      fprintf(stderr, "bsdsock-bench: out of memory\n");
      exit(1);
    }
    records = r;
    caprecords = cap;
  }
  memset(&records[nrecords], 0, sizeof(records[0]));
  return &records[nrecords++];
}

static const struct bench_record *find(const char *scenario, const char *arm,
                                       const char *metric) {
  size_t i;
  if (arm == NULL) return NULL;
  for (i = 0; i < nrecords; i++)
    if (strcmp(records[i].scenario, scenario) == 0 &&
        strcmp(records[i].arm, arm) == 0 &&
        strcmp(records[i].metric, metric) == 0)
      return &records[i];
  return NULL;
}

/* ---- running a scenario --------------------------------------------------------- */

/* Everything one arm collects over the repetitions of a scenario. */
struct armstate {
  const struct bench_arm *arm;
  double runs[MAX_METRICS][BENCH_MAX_REPS];
  int nruns;
  struct bench_lat pooled;     /* every round trip (ping-pong) */
  enum bench_status status;
  char reason[240];
};

static enum bench_peer_kind peer_of(enum kind k, int *needed) {
  *needed = 1;
  switch (k) {
    case K_PINGPONG: return BENCH_PEER_ECHO;
    case K_STREAM: return BENCH_PEER_SINK;
    case K_UDP: case K_BATCH: return BENCH_PEER_UDP_SINK;
    case K_CHURN: return BENCH_PEER_ACCEPT;
    case K_SENDRECV: case K_READY: break;
  }
  *needed = 0;
  return BENCH_PEER_ECHO;
}

/* One run of one arm: its peer, the arm's client side, the peer's count. */
static void run_once(const struct scenario *sc, const struct bench_arm *arm,
                     const struct bench_ready_set *set, uint64_t dur_ns,
                     struct bench_lat *lat, struct bench_run *r) {
  struct bench_params p;
  struct bench_peer *peer = NULL;
  bench_fn fn = arm_fn(arm, sc->kind);
  uint64_t count;
  int needs_peer;
  enum bench_peer_kind pk = peer_of(sc->kind, &needs_peer);
  memset(r, 0, sizeof(*r));
  memset(&p, 0, sizeof(p));
  r->lat = lat;
  if (fn == NULL) {
    bench_skip(r, "the %s arm has no such scenario", arm->name);
    return;
  }
  if (needs_peer && (peer = bench_peer_start(pk, &p.port, r)) == NULL) return;
  p.size = sc->size;
  p.batch = sc->batch;
  p.dur_ns = dur_ns;
  p.set = set;
  fn(&p, r);
  if (peer == NULL) return;
  count = bench_peer_finish(peer);
  if (pk == BENCH_PEER_UDP_SINK) r->ops2 = (double)count;
  if (pk == BENCH_PEER_SINK && r->status == BENCH_OK &&
      (double)count != r->ops)
    bench_fail(r, "the sink read %.0f bytes of %.0f sent", (double)count,
               r->ops);
  if (r->status == BENCH_OK && (r->ops <= 0 || r->secs <= 0))
    bench_fail(r, "no operation completed");
}

/* Keeps a finished run's figures (or the reason it did not finish). */
static void collect(const struct scenario *sc, struct armstate *st,
                    struct bench_run *r) {
  size_t nm, m, i;
  const struct metric *ms = metrics_of(sc->kind, &nm);
  if (r->status != BENCH_OK) {
    st->status = r->status;
    snprintf(st->reason, sizeof(st->reason), "%s", r->reason);
    return;
  }
  for (m = 0; m < nm; m++) {
    if (ms[m].value != NULL) {
      st->runs[m][st->nruns] = ms[m].value(r);
      continue;
    }
    /* rtt: this repetition's median round trip, and every round trip
     * into the pool for the overall percentiles. */
    for (i = 0; i < r->lat->n && st->pooled.n < st->pooled.cap; i++)
      st->pooled.v[st->pooled.n++] = r->lat->v[i];
    st->runs[m][st->nruns] = percentile(r->lat->v, r->lat->n, 50);
  }
  st->nruns++;
}

static void make_records(const struct scenario *sc, struct armstate *st) {
  size_t nm, m;
  const struct metric *ms = metrics_of(sc->kind, &nm);
  double tmp[BENCH_MAX_REPS];
  for (m = 0; m < nm; m++) {
    struct bench_record *rec = new_record();
    int i;
    rec->scenario = sc->name;
    rec->anchor = sc->anchor;
    rec->arm = st->arm->name;
    rec->metric = ms[m].name;
    rec->unit = ms[m].unit;
    rec->higher_better = ms[m].higher_better;
    if (st->status != BENCH_OK) {
      rec->skipped = 1;
      snprintf(rec->reason, sizeof(rec->reason), "%s%s",
               st->status == BENCH_FAIL ? "FAILED: " : "", st->reason);
      rec->median = rec->p50 = rec->p99 = NAN;
      continue;
    }
    rec->nruns = st->nruns;
    for (i = 0; i < st->nruns; i++) rec->runs[i] = tmp[i] = st->runs[m][i];
    rec->median = percentile(tmp, (size_t)st->nruns, 50);
    if (ms[m].value != NULL) {
      rec->p50 = rec->median;
      rec->p99 = percentile(tmp, (size_t)st->nruns, 99);
    } else {
      rec->p50 = percentile(st->pooled.v, st->pooled.n, 50);
      rec->p99 = percentile(st->pooled.v, st->pooled.n, 99);
    }
  }
}

static void run_scenario(const struct scenario *sc, const struct opts *o) {
  const struct bench_arm *const *arms = arms_of(sc->kind);
  struct armstate st[MAX_ARMS];
  struct bench_ready_set set;
  struct bench_lat lat = {NULL, 0, 0};
  struct bench_run r;
  int narms = 0, rep, j, have_set = 0;
  size_t nm;
  int has_lat = metrics_of(sc->kind, &nm)[nm - 1].value == NULL;

  memset(st, 0, sizeof(st));
  while (arms[narms] != NULL) {
    st[narms].arm = arms[narms];
    narms++;
  }
  if (has_lat) {
    lat.cap = 1u << 20;
    lat.v = malloc(lat.cap * sizeof(double));
    for (j = 0; j < narms; j++) {
      st[j].pooled.cap = 1u << 21;
      st[j].pooled.v = malloc(st[j].pooled.cap * sizeof(double));
      if (st[j].pooled.v == NULL) st[j].pooled.cap = 0;
    }
    if (lat.v == NULL) lat.cap = 0;
  }
  memset(&r, 0, sizeof(r));
  if (sc->kind == K_READY) {
    have_set = bench_ready_setup(&set, sc->nsock, &r) == 0;
    for (j = 0; !have_set && j < narms; j++) collect(sc, &st[j], &r);
  }

  /* Warm-up, then the repetitions, arms interleaved. */
  for (j = 0; j < narms; j++) {
    if (st[j].status != BENCH_OK) continue;
    lat.n = 0;
    run_once(sc, st[j].arm, &set, (uint64_t)o->warm_ms * 1000000u, &lat, &r);
    if (r.status != BENCH_OK) collect(sc, &st[j], &r);
  }
  for (rep = 0; rep < o->reps; rep++) {
    for (j = 0; j < narms; j++) {
      struct armstate *a = &st[(j + rep) % narms];
      if (a->status != BENCH_OK) continue;
      lat.n = 0;
      run_once(sc, a->arm, &set, (uint64_t)o->dur_ms * 1000000u, &lat, &r);
      collect(sc, a, &r);
    }
  }
  if (have_set) bench_ready_teardown(&set);
  for (j = 0; j < narms; j++) {
    if (st[j].status == BENCH_FAIL) any_failed = 1;
    make_records(sc, &st[j]);
    free(st[j].pooled.v);
  }
  free(lat.v);
}

/* ---- the table -------------------------------------------------------------------- */

/* Four significant figures without an exponent. */
static const char *fmt_num(char *buf, size_t len, const struct bench_record *r,
                           double v) {
  if (r == NULL) snprintf(buf, len, "-");
  else if (r->skipped) snprintf(buf, len, "skipped");
  else if (v >= 1000) snprintf(buf, len, "%.0f", v);
  else if (v >= 100) snprintf(buf, len, "%.1f", v);
  else if (v >= 10) snprintf(buf, len, "%.2f", v);
  else snprintf(buf, len, "%.3f", v);
  return buf;
}

/* bsdsock against another arm, oriented so that > 1 is bsdsock's favour:
 * the median of the per-repetition ratios (repetition k of both arms ran
 * back to back, so a machine that is slower for a while cancels out), or
 * for the pooled p99 of round trips, the ratio of the two. */
static double ratio(const struct bench_record *bsd,
                    const struct bench_record *other, int pooled99) {
  double v[BENCH_MAX_REPS];
  int i;
  if (bsd == NULL || other == NULL || bsd->skipped || other->skipped)
    return NAN;
  if (pooled99 || bsd->nruns != other->nruns || bsd->nruns == 0)
    return bsd->higher_better ? bsd->p99 / other->p99
                              : other->p99 / bsd->p99;
  for (i = 0; i < bsd->nruns; i++)
    v[i] = bsd->higher_better ? bsd->runs[i] / other->runs[i]
                              : other->runs[i] / bsd->runs[i];
  return percentile(v, (size_t)bsd->nruns, 50);
}

static const char *fmt_ratio(char *buf, size_t len, double v) {
  if (isnan(v)) snprintf(buf, len, "-");
  else snprintf(buf, len, v < 0.01 ? "%.2g" : "%.3f", v);
  return buf;
}

static void print_header(const struct opts *o) {
  const char *uv = bench_uv_version();
  printf("bsdsock-bench on %s (%s)\n", bench_platform(), bench_host());
  printf("bsdsock %s (%s backend), libuv %s; %ld reps x %ld ms after a "
         "%ld ms warm-up per arm, arms interleaved, medians\n",
         bsdsock_version(), bsdsock_backend(), uv ? uv : "not built",
         o->reps, o->dur_ms, o->warm_ms);
  if (o->pin) printf("client thread on CPU 0, peer thread on CPU 1\n");
  printf("ratios are bsdsock vs raw and vs libuv, > 1 means bsdsock is "
         "better (rates: bsdsock/other; times: other/bsdsock),\n"
         "each the median of the per-repetition ratios\n\n");
  printf("%-18s %-12s %-8s %11s %11s %11s %8s %8s  %s\n", "scenario",
         "metric", "unit", "raw", "bsdsock", "libuv", "bsd/raw", "bsd/uv",
         "notes");
  fflush(stdout);
}

static void print_cells(const char *label, const char *metric,
                        const char *unit, const struct rowdef *rd,
                        const struct bench_record *raw,
                        const struct bench_record *bsd,
                        const struct bench_record *uv,
                        const struct bench_record *extra, int p99) {
  char a[32], b[32], c[32], d[32], e[32], f[64] = "";
  double vr = ratio(bsd, raw, p99), vu = ratio(bsd, uv, p99);
#define V(rec) ((rec) ? (p99 ? (rec)->p99 : (rec)->median) : 0)
  if (extra != NULL)
    snprintf(f, sizeof(f), "%s %s, bsd/%s %s", rd->extra,
             fmt_num(e, sizeof(e), extra, V(extra)), rd->extra,
             fmt_ratio(d, sizeof(d), ratio(bsd, extra, p99)));
  printf("%-18s %-12s %-8s %11s %11s %11s %8s %8s  %s\n", label, metric, unit,
         fmt_num(a, sizeof(a), raw, V(raw)), fmt_num(b, sizeof(b), bsd, V(bsd)),
         fmt_num(c, sizeof(c), uv, V(uv)), fmt_ratio(d, sizeof(d), vr),
         fmt_ratio(e, sizeof(e), vu), f);
#undef V
  if (nratio_rows < sizeof(ratio_rows) / sizeof(ratio_rows[0])) {
    struct bench_ratio_row *rr = &ratio_rows[nratio_rows++];
    snprintf(rr->label, sizeof(rr->label), "%s %s", label, metric);
    rr->vs_raw = vr;
    rr->vs_uv = vu;
  }
}

static void print_scenario(const struct scenario *sc) {
  size_t nm, m, nr, k;
  const struct metric *ms = metrics_of(sc->kind, &nm);
  const struct rowdef *rows = rows_of(sc->kind, &nr);
  const struct bench_arm *const *arms = arms_of(sc->kind);
  for (k = 0; k < nr; k++) {
    const struct rowdef *rd = &rows[k];
    char label[64];
    snprintf(label, sizeof(label), "%s%s%s", sc->name, rd->variant[0] ? " " : "",
             rd->variant);
    for (m = 0; m < nm; m++) {
      const char *mn = ms[m].name;
      const struct bench_record *raw = find(sc->name, rd->raw, mn),
                                *bsd = find(sc->name, rd->bsd, mn),
                                *uv = find(sc->name, rd->uv, mn),
                                *ex = find(sc->name, rd->extra, mn);
      print_cells(label, ms[m].value ? mn : "rtt_p50", ms[m].unit, rd, raw,
                  bsd, uv, ex, 0);
      if (ms[m].value == NULL)
        print_cells(label, "rtt_p99", ms[m].unit, rd, raw, bsd, uv, ex, 1);
    }
  }
  /* The reasons behind "skipped", once per arm. */
  for (k = 0; arms[k] != NULL; k++) {
    const struct bench_record *r = find(sc->name, arms[k]->name, ms[0].name);
    if (r != NULL && r->skipped)
      printf("    %s: %s\n", arms[k]->name, r->reason);
  }
  fflush(stdout);
}

/* ---- callgrind mode --------------------------------------------------------------- */

static int callgrind_mode(const struct opts *o) {
  static const struct bench_arm *const arms[] = {
      &bench_arm_raw, &bench_arm_bsdsock, &bench_arm_libuv};
  size_t i;
  int status = 0;
  for (i = 0; i < sizeof(arms) / sizeof(arms[0]); i++) {
    struct bench_run r;
    if (o->cg_arm && strcmp(o->cg_arm, arms[i]->name) != 0) continue;
    memset(&r, 0, sizeof(r));
    arms[i]->callgrind(o->cg_pairs, &r);
    if (r.status == BENCH_OK && r.ops != (double)o->cg_pairs)
      bench_fail(&r, "only %.0f pairs completed", r.ops);
    printf("%-8s %ld send+recv pairs in bench_cg_%s: %s%s\n", arms[i]->name,
           o->cg_pairs, arms[i]->name,
           r.status == BENCH_OK ? "done" : "not done: ", r.reason);
    if (r.status == BENCH_FAIL) status = 1;
  }
  return status;
}

int main(int argc, char **argv) {
  struct opts o;
  size_t i;
  memset(&o, 0, sizeof(o));
  parse(argc, argv, &o);
  if (o.list) {
    for (i = 0; i < NSCENARIOS; i++)
      printf("%-18s %-4s %s\n", scenarios[i].name, scenarios[i].anchor,
             scenarios[i].what);
    return 0;
  }
  if (bench_platform_init() != 0 || bsdsock_init() != 0) {
    fprintf(stderr, "bsdsock-bench: cannot start the socket layer\n");
    return 1;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (o.pin) {
    if (bench_pin_self(0) != 0) fprintf(stderr, "bsdsock-bench: --pin failed\n");
    bench_peer_cpu = 1;
  }
  if (o.cg_pairs > 0) return callgrind_mode(&o);
  print_header(&o);
  for (i = 0; i < NSCENARIOS; i++) {
    if (!selected(&o, &scenarios[i])) continue;
    run_scenario(&scenarios[i], &o);
    print_scenario(&scenarios[i]);
  }
  if (o.json && bench_write_json(o.json, records, nrecords) != 0) return 1;
  if (o.svg && bench_write_svg(o.svg, ratio_rows, nratio_rows) != 0) return 1;
  free(records);
  return any_failed ? 1 : 0;
}
