/* SPDX-License-Identifier: MIT */
/*
 * bench/main.c - bsdsock-bench: raw syscalls vs bsdsock vs libuv, side by
 * side, on this machine.
 *
 * Method (see bench/README.md): each scenario runs every arm once as a
 * warm-up (not counted), then --reps repetitions of --duration-ms each,
 * the arms interleaved (repetition k starts with arm k mod n), so slow
 * drifts of the machine hit every arm alike. Every figure of a record is
 * a statistic of its per-repetition values: the median, the spread
 * (max - min) / median, percentiles; a round-trip time's per-repetition
 * value is that repetition's p50 or p99.
 *
 * stdout gets only the table (table.c); the progress goes to stderr.
 */
#include "bench.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- scenarios ------------------------------------------------------------ */

/* K_REMOTE is a ping-pong (the same peer, metrics and records) whose
 * arms add the client's socket in a bsdsockd (bsdsock-remote). */
enum kind {
  K_PINGPONG, K_STREAM, K_UDP, K_BATCH, K_CHURN, K_SENDRECV, K_READY,
  K_POLLER, K_REMOTE
};

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
    {"poller_100", "S10", "epoll-style poller over 100 sockets, 1 ready",
     K_POLLER, 0, 0, 100},
    {"poller_1000", "S10", "epoll-style poller over 1,000 sockets, 1 ready",
     K_POLLER, 0, 0, 1000},
    {"poller_10000", "S10", "epoll-style poller over 10,000 sockets, 1 ready",
     K_POLLER, 0, 0, 10000},
    {"remote_sendrecv", "S13",
     "TCP ping-pong, 64 B, the client's socket in a local bsdsockd",
     K_REMOTE, 64, 0, 0},
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
/* raw-epoll on Linux, raw-wsapoll on Windows (raw_<os>.c). */
static const struct bench_arm *const arms_poller[] = {
    &bench_arm_raw_epoll, &bench_arm_bsdsock, &bench_arm_libuv, NULL};
/* The local ping-pong (raw, bsdsock) and the forwarded one. */
static const struct bench_arm *const arms_remote[] = {
    &bench_arm_raw, &bench_arm_bsdsock, &bench_arm_bsdsock_remote, NULL};

static const struct bench_arm *const *arms_of(enum kind k) {
  switch (k) {
    case K_BATCH: return arms_batch;
    case K_READY: return arms_ready;
    case K_POLLER: return arms_poller;
    case K_REMOTE: return arms_remote;
    default: return arms_std;
  }
}

static bench_fn arm_fn(const struct bench_arm *a, enum kind k) {
  switch (k) {
    case K_PINGPONG: case K_REMOTE: return a->pingpong;
    case K_STREAM: return a->stream;
    case K_UDP: case K_BATCH: return a->udp;
    case K_CHURN: return a->churn;
    case K_SENDRECV: return a->sendrecv;
    case K_READY: return a->ready;
    case K_POLLER: return a->poller;
  }
  return NULL;
}

/* ---- metrics -------------------------------------------------------------- */

/* Where a metric appears: a row of the table, a row only when it differs
 * from the metric above it (datagrams received, equal to those sent
 * unless some were lost), or only in the JSON (and in notes). */
enum show { ROW, ROW_IF_DIFFERENT, JSON_ONLY };

struct metric {
  const char *name, *unit;
  int higher_better;
  double (*value)(const struct bench_run *r);  /* NULL: a round-trip time */
  double pct;          /* the percentile of a run's round trips it takes */
  enum show show;
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
static double loss_pct(const struct bench_run *r) {
  return (r->ops - r->ops2) / r->ops * 100.0;
}

#define MAX_METRICS 3
/* round_trips is 1 / mean round-trip time: the rtt_p50 row again in
 * another unit, so the table leaves it to the JSON. */
static const struct metric m_pingpong[] = {
    {"round_trips", "1/s", 1, per_sec, 0, JSON_ONLY},
    {"rtt_p50", "us", 0, NULL, 50, ROW},
    {"rtt_p99", "us", 0, NULL, 99, ROW}};
static const struct metric m_stream[] = {
    {"throughput", "GB/s", 1, gbytes, 0, ROW}};
/* The loss goes in a note: a ratio of two losses means nothing. */
static const struct metric m_udp[] = {
    {"sent", "dgram/s", 1, per_sec, 0, ROW},
    {"received", "dgram/s", 1, per_sec2, 0, ROW_IF_DIFFERENT},
    {"loss", "%", 0, loss_pct, 0, JSON_ONLY}};
static const struct metric m_churn[] = {
    {"connections", "1/s", 1, per_sec, 0, ROW}};
static const struct metric m_sendrecv[] = {
    {"send_recv", "ns/op", 0, ns_per_op, 0, ROW}};
static const struct metric m_ready[] = {
    {"call", "us/call", 0, us_per_op, 0, ROW}};

static const struct metric *metrics_of(enum kind k, size_t *n) {
#define RET(m) do { *n = sizeof(m) / sizeof(m[0]); return m; } while (0)
  switch (k) {
    case K_PINGPONG: case K_REMOTE: RET(m_pingpong);
    case K_STREAM: RET(m_stream);
    case K_UDP: case K_BATCH: RET(m_udp);
    case K_CHURN: RET(m_churn);
    case K_SENDRECV: RET(m_sendrecv);
    case K_READY: case K_POLLER: RET(m_ready);
  }
#undef RET
  *n = 0;
  return NULL;
}

/* ---- table rows: which arm fills which column ---------------------------- */

struct rowdef {
  const char *variant;           /* "" or "poll"/"select" */
  const char *raw, *bsd, *uv;    /* arm names, NULL for none */
  const char *extra, *extra_what;  /* one more arm, shown in a note */
};

static const struct rowdef rows_std[] = {
    {"", "raw", "bsdsock", "libuv", NULL, NULL}};
static const struct rowdef rows_batch[] = {
    {"", "raw", "bsdsock", "libuv", "raw-mmsg",
     "the OS's batched call"}};
/* bsdsock against bsdsock-remote is remote/local for times (the ratios
 * are other/bsdsock there): how many times a forwarded round trip costs a
 * local one. */
static const struct rowdef rows_remote[] = {
    {"", "raw", "bsdsock", NULL, "bsdsock-remote",
     "the client's socket in a bsdsockd here; ratio = remote/local"}};
static const struct rowdef rows_ready[] = {
    {"poll", "raw-poll", "bsdsock-poll", "libuv", NULL, NULL},
    {"select", "raw-select", "bsdsock-select", NULL, NULL, NULL}};

/* The poller's row is named after its raw arm: "poller_100 epoll" on
 * Linux, "poller_100 wsapoll" on Windows (raw-wsapoll). */
static struct rowdef rows_poller[1];

static const struct rowdef *rows_of(enum kind k, size_t *n) {
  if (k == K_POLLER) {
    const char *raw = bench_arm_raw_epoll.name;
    rows_poller[0].variant = strncmp(raw, "raw-", 4) == 0 ? raw + 4 : raw;
    rows_poller[0].raw = raw;
    rows_poller[0].bsd = "bsdsock";
    rows_poller[0].uv = "libuv";
    *n = 1;
    return rows_poller;
  }
  if (k == K_READY) {
    *n = 2;
    return rows_ready;
  }
  *n = 1;
  if (k == K_REMOTE) return rows_remote;
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

/* The median as a reader computes it from the JSON's runs (Python's
 * statistics.median): the middle value, or the mean of the middle two for
 * an even count. v[0..n-1] is sorted in place. */
static double median(double *v, size_t n) {
  if (n == 0) return NAN;
  qsort(v, n, sizeof(*v), cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* (max - min) / median of v[0..n-1] in %: how far apart the repetitions
 * were, relative to the figure printed. */
static double spread_pct(double *v, size_t n) {
  double mid = median(v, n);  /* sorts v */
  if (n == 0 || mid == 0) return NAN;
  return (v[n - 1] - v[0]) / fabs(mid) * 100.0;
}

/* ---- options ---------------------------------------------------------------- */

int bench_peer_cpu = -1;

struct opts {
  long dur_ms, warm_ms, reps;  /* -1 until given */
  int smoke, pin;
  const char *filter[32];
  int nfilter;
  const char *json, *svg, *cg_arm, *bsdsockd;
  long cg_pairs;
  int list;
};

static void usage(FILE *f) {
  fprintf(f,
      "usage: bsdsock-bench [options]\n"
      "  --duration-ms N   length of one repetition (default 500)\n"
      "  --reps N          repetitions per arm, median reported (default 5)\n"
      "  --warmup-ms N     warm-up run per arm, not counted (default 100)\n"
      "  --smoke           quick pass: 40 ms x 3 reps, 10 ms warm-up (the\n"
      "                    three options above still win)\n"
      "  --scenario S      run scenarios whose name contains S (repeatable,\n"
      "                    or comma-separated)\n"
      "  --pin             run the client on CPU 0 and the peer on CPU 1\n"
      "  --list            list the scenarios and exit\n"
      "  --json FILE       write every figure as a JSON array of records\n"
      "  --svg FILE        write a bar chart of the bsdsock ratios\n"
      "  --bsdsockd PATH   the server remote_sendrecv starts (default: the\n"
      "                    one built with the bench)\n"
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

/* The mode the header names: "full" (the defaults), "smoke" (--smoke's),
 * "custom" when a length or count was given. */
static const char *mode_of(const struct opts *o) {
  if (o->dur_ms >= 0 || o->warm_ms >= 0 || o->reps >= 0) return "custom";
  return o->smoke ? "smoke" : "full";
}

/* The defaults of the mode, for what was not given, in whatever order the
 * options came. */
static void fill_defaults(struct opts *o) {
  if (o->dur_ms < 0) o->dur_ms = o->smoke ? 40 : 500;
  if (o->warm_ms < 0) o->warm_ms = o->smoke ? 10 : 100;
  if (o->reps < 0) o->reps = o->smoke ? 3 : 5;
}

static void parse(int argc, char **argv, struct opts *o) {
  int i;
  o->dur_ms = o->warm_ms = o->reps = -1;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--duration-ms") == 0) {
      o->dur_ms = num_arg(a, v, 1, 3600000), i++;
    } else if (strcmp(a, "--reps") == 0) {
      o->reps = num_arg(a, v, 1, BENCH_MAX_REPS), i++;
    } else if (strcmp(a, "--warmup-ms") == 0) {
      o->warm_ms = num_arg(a, v, 0, 3600000), i++;
    } else if (strcmp(a, "--smoke") == 0) {
      o->smoke = 1;
    } else if (strcmp(a, "--scenario") == 0 && v) {
      add_filters(o, argv[++i]);
    } else if (strcmp(a, "--json") == 0 && v) {
      o->json = argv[++i];
    } else if (strcmp(a, "--svg") == 0 && v) {
      o->svg = argv[++i];
    } else if (strcmp(a, "--bsdsockd") == 0 && v) {
      o->bsdsockd = argv[++i];
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
static struct bench_chart_row chart_rows[64];
static size_t nchart_rows;
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

/* The record of scenario x arm x metric, or NULL. The pointer lasts until
 * the next new_record() (which may move the array). */
static struct bench_record *find(const char *scenario, const char *arm,
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

/* ---- ratios ---------------------------------------------------------------------- */

/* bsdsock's figure against another's, > 1 in bsdsock's favour. */
static double oriented(const struct bench_record *bsd, double b, double other) {
  if (!(b > 0) || !(other > 0)) return NAN;
  return bsd->higher_better ? b / other : other / b;
}

/* Both ratios of bsdsock against one other arm. The ratio of the medians
 * divides the medians as printed, so that it agrees with the row; the
 * paired ratio pairs repetition k of both arms, which ran back to back. */
static struct bench_ratio compare(const struct bench_record *bsd,
                                  const struct bench_record *other) {
  struct bench_ratio q = {other->arm, NAN, NAN, NAN, NAN};
  double v[BENCH_MAX_REPS];
  int i, n = bsd->nruns;
  if (bsd->skipped || other->skipped) return q;
  q.of_medians = oriented(bsd, bench_shown(bsd->median),
                          bench_shown(other->median));
  if (n == 0 || other->nruns != n) return q;
  for (i = 0; i < n; i++) v[i] = oriented(bsd, bsd->runs[i], other->runs[i]);
  q.paired = median(v, (size_t)n);  /* sorts v */
  q.paired_min = v[0];
  q.paired_max = v[n - 1];
  return q;
}

const struct bench_ratio *bench_ratio_vs(const struct bench_record *bsd,
                                         const char *vs) {
  int i;
  for (i = 0; i < bsd->nvs; i++)
    if (strcmp(bsd->vs[i].vs, vs) == 0) return &bsd->vs[i];
  return NULL;
}

/* Gives each bsdsock record of a table metric its comparisons with the
 * other arms of its row (and the row's extra arm). */
static void add_ratios(const struct scenario *sc) {
  size_t nm, nr, k, m, i;
  const struct metric *ms = metrics_of(sc->kind, &nm);
  const struct rowdef *rows = rows_of(sc->kind, &nr);
  for (k = 0; k < nr; k++) {
    const char *others[] = {rows[k].raw, rows[k].uv, rows[k].extra};
    for (m = 0; m < nm; m++) {
      struct bench_record *bsd = find(sc->name, rows[k].bsd, ms[m].name);
      if (bsd == NULL || ms[m].show == JSON_ONLY) continue;
      for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        const struct bench_record *o = find(sc->name, others[i], ms[m].name);
        if (o != NULL && bsd->nvs < BENCH_MAX_VS)
          bsd->vs[bsd->nvs++] = compare(bsd, o);
      }
    }
  }
}

/* ---- progress on stderr -------------------------------------------------------- */

/* stdout carries the table alone (scripts/bench.sh > table.txt), so the
 * progress goes to stderr: on a terminal one line, rewritten in place and
 * wiped before table rows are printed; elsewhere (a log) one line per
 * scenario. */
static struct {
  int tty;
  size_t done, count;           /* scenarios finished, selected */
  double plan, plan_done;       /* seconds the lengths asked for add up to */
  double elapsed_done;          /* seconds when the last one finished */
  uint64_t start;
  int width;                    /* of the line on the terminal */
} progress;

static double planned_s(const struct scenario *sc, const struct opts *o) {
  const struct bench_arm *const *arms = arms_of(sc->kind);
  size_t n = 0;
  while (arms[n] != NULL) n++;
  return (double)n * (double)(o->warm_ms + o->reps * o->dur_ms) / 1000.0;
}

static double elapsed_s(void) {
  return (double)(bench_now_ns() - progress.start) / 1e9;
}

static const char *fmt_mmss(char *buf, size_t len, double s) {
  long t = s > 0 ? (long)(s + 0.5) : 0;
  snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
  return buf;
}

static void progress_init(const struct opts *o) {
  size_t i;
  progress.tty = bench_stderr_is_terminal();
  progress.start = bench_now_ns();
  for (i = 0; i < NSCENARIOS; i++) {
    if (!selected(o, &scenarios[i])) continue;
    progress.count++;
    progress.plan += planned_s(&scenarios[i], o);
  }
}

static void progress_wipe(void) {
  if (!progress.tty || progress.width <= 0) return;
  fprintf(stderr, "\r%*s\r", progress.width, "");
  fflush(stderr);
  progress.width = 0;
}

/* What runs now (rep < 0: the warm-ups) and about how long is left: the
 * planned seconds still to come, scaled by how far the finished scenarios
 * overran theirs (peers, set-up, the arms' own pace). Kept short, so that
 * the terminal does not wrap it (a wrapped line cannot be rewritten). */
static void progress_show(const struct scenario *sc, int rep,
                          const struct opts *o) {
  double now = elapsed_s(), scale = 1, left;
  char what[32], el[32], lf[32];
  if (!progress.tty && rep >= 0) return;  /* a log: one line per scenario */
  if (progress.plan_done > 0) scale = progress.elapsed_done / progress.plan_done;
  left = (progress.plan - progress.plan_done) * scale -
         (now - progress.elapsed_done);
  if (rep < 0) snprintf(what, sizeof(what), "warm-up");
  else snprintf(what, sizeof(what), "rep %d/%ld", rep + 1, o->reps);
  fmt_mmss(el, sizeof(el), now);
  fmt_mmss(lf, sizeof(lf), left);
  if (!progress.tty) {
    fprintf(stderr, "bsdsock-bench: [%lu/%lu] %s; %s elapsed, about %s left\n",
            (unsigned long)progress.done + 1, (unsigned long)progress.count,
            sc->name, el, lf);
    return;
  }
  progress_wipe();
  progress.width = fprintf(stderr, "[%lu/%lu] %s %s, %s elapsed, ~%s left",
                           (unsigned long)progress.done + 1,
                           (unsigned long)progress.count, sc->name, what, el,
                           lf);
  fflush(stderr);
}

static void progress_done(const struct scenario *sc, const struct opts *o) {
  progress.done++;
  progress.plan_done += planned_s(sc, o);
  progress.elapsed_done = elapsed_s();
}

static void progress_finish(void) {
  char el[32];
  progress_wipe();
  fprintf(stderr, "bsdsock-bench: %lu scenarios in %s\n",
          (unsigned long)progress.done, fmt_mmss(el, sizeof(el), elapsed_s()));
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
    case K_PINGPONG: case K_REMOTE: return BENCH_PEER_ECHO;
    case K_STREAM: return BENCH_PEER_SINK;
    case K_UDP: case K_BATCH: return BENCH_PEER_UDP_SINK;
    case K_CHURN: return BENCH_PEER_ACCEPT;
    case K_SENDRECV: case K_READY: case K_POLLER: break;
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

static void pool_latencies(struct bench_lat *pool, const struct bench_lat *l) {
  size_t i;
  for (i = 0; i < l->n && pool->n < pool->cap; i++) pool->v[pool->n++] = l->v[i];
}

/* Keeps a finished run's figures (or the reason it did not finish). */
static void collect(const struct scenario *sc, struct armstate *st,
                    struct bench_run *r) {
  size_t nm, m;
  const struct metric *ms = metrics_of(sc->kind, &nm);
  int pooled = 0;
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
    /* A round-trip time: this repetition's percentile, and (once) every
     * round trip into the pool for the percentiles over all of them. */
    if (!pooled) pool_latencies(&st->pooled, r->lat);
    pooled = 1;
    st->runs[m][st->nruns] = percentile(r->lat->v, r->lat->n, ms[m].pct);
  }
  st->nruns++;
}

/* Every figure of one record, from the arm's runs of metric m. */
static void fill_figures(struct bench_record *rec, const struct armstate *st,
                         size_t m, const struct metric *mt) {
  double tmp[BENCH_MAX_REPS];
  size_t n = (size_t)st->nruns, i;
  rec->nruns = st->nruns;
  for (i = 0; i < n; i++) rec->runs[i] = tmp[i] = st->runs[m][i];
  rec->median = median(tmp, n);
  rec->spread = spread_pct(tmp, n);
  rec->p50 = percentile(tmp, n, 50);
  rec->p99 = percentile(tmp, n, 99);
  rec->pooled = mt->value != NULL
                    ? NAN
                    : percentile(st->pooled.v, st->pooled.n, mt->pct);
}

static void make_records(const struct scenario *sc, struct armstate *st) {
  size_t nm, m;
  const struct metric *ms = metrics_of(sc->kind, &nm);
  for (m = 0; m < nm; m++) {
    struct bench_record *rec = new_record();
    rec->scenario = sc->name;
    rec->anchor = sc->anchor;
    rec->arm = st->arm->name;
    rec->metric = ms[m].name;
    rec->unit = ms[m].unit;
    rec->higher_better = ms[m].higher_better;
    if (st->status == BENCH_OK) {
      fill_figures(rec, st, m, &ms[m]);
      continue;
    }
    rec->skipped = 1;
    snprintf(rec->reason, sizeof(rec->reason), "%s%s",
             st->status == BENCH_FAIL ? "FAILED: " : "", st->reason);
    rec->median = rec->spread = rec->p50 = rec->p99 = rec->pooled = NAN;
  }
}

static int has_latencies(enum kind k) {
  size_t nm, m;
  const struct metric *ms = metrics_of(k, &nm);
  for (m = 0; m < nm; m++)
    if (ms[m].value == NULL) return 1;
  return 0;
}

static void run_scenario(const struct scenario *sc, const struct opts *o) {
  const struct bench_arm *const *arms = arms_of(sc->kind);
  struct armstate st[MAX_ARMS];
  struct bench_ready_set set;
  struct bench_lat lat = {NULL, 0, 0};
  struct bench_run r;
  int narms = 0, rep, j, have_set = 0, have_server = 0;

  memset(st, 0, sizeof(st));
  while (arms[narms] != NULL) {
    st[narms].arm = arms[narms];
    narms++;
  }
  if (has_latencies(sc->kind)) {
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
  progress_show(sc, -1, o);
  if ((sc->kind == K_READY || sc->kind == K_POLLER) && o->smoke &&
      sc->nsock >= 10000 && strcmp(bsdsock_backend(), "win32") == 0) {
    /* Under Wine each of 10,000 sockets, and each of libuv's uv_poll
     * handles on them, is a wineserver request to set up and tear down:
     * about a minute a scenario, and on a loaded machine past libuv's
     * guard. A smoke pass checks the harness, not the figures; the test
     * suite opens 10,000 sockets on Windows (test_readiness_scale,
     * test_poller). */
    bench_skip(&r, "smoke pass on Windows: the 10,000-socket sets are "
                   "measured in the full pass only");
    for (j = 0; j < narms; j++) collect(sc, &st[j], &r);
  } else if (sc->kind == K_READY || sc->kind == K_POLLER) {
    have_set = bench_ready_setup(&set, sc->nsock, &r) == 0;
    for (j = 0; !have_set && j < narms; j++) collect(sc, &st[j], &r);
  } else if (sc->kind == K_REMOTE) {
    /* Without a server the remote arm has nothing to measure; the local
     * arms still run. */
    have_server = bench_remote_start(&r) == 0;
    for (j = 0; !have_server && j < narms; j++)
      if (st[j].arm == &bench_arm_bsdsock_remote) collect(sc, &st[j], &r);
  }

  /* Warm-up, then the repetitions, arms interleaved. */
  for (j = 0; j < narms; j++) {
    if (st[j].status != BENCH_OK) continue;
    lat.n = 0;
    run_once(sc, st[j].arm, &set, (uint64_t)o->warm_ms * 1000000u, &lat, &r);
    if (r.status != BENCH_OK) collect(sc, &st[j], &r);
  }
  for (rep = 0; rep < o->reps; rep++) {
    progress_show(sc, rep, o);
    for (j = 0; j < narms; j++) {
      struct armstate *a = &st[(j + rep) % narms];
      if (a->status != BENCH_OK) continue;
      lat.n = 0;
      run_once(sc, a->arm, &set, (uint64_t)o->dur_ms * 1000000u, &lat, &r);
      collect(sc, a, &r);
    }
  }
  if (have_set) bench_ready_teardown(&set);
  if (have_server) bench_remote_stop();
  for (j = 0; j < narms; j++) {
    if (st[j].status == BENCH_FAIL) any_failed = 1;
    make_records(sc, &st[j]);
    free(st[j].pooled.v);
  }
  add_ratios(sc);
  free(lat.v);
}

/* ---- the table's rows and notes, the chart's rows ------------------------------ */

static struct bench_ratio ratio_or_none(const struct bench_record *bsd,
                                        const struct bench_record *other) {
  const struct bench_ratio *q =
      bsd && other ? bench_ratio_vs(bsd, other->arm) : NULL;
  struct bench_ratio none = {NULL, NAN, NAN, NAN, NAN};
  return q ? *q : none;
}

static void add_chart_row(const struct bench_row *row) {
  struct bench_chart_row *c;
  if (nchart_rows == sizeof(chart_rows) / sizeof(chart_rows[0])) return;
  c = &chart_rows[nchart_rows++];
  snprintf(c->label, sizeof(c->label), "%s %s", row->label, row->metric);
  c->vs_raw = ratio_or_none(row->bsd, row->raw);
  c->vs_uv = ratio_or_none(row->bsd, row->uv);
  c->vs_extra = ratio_or_none(row->bsd, row->extra);
}

/* Whether metric `cur` differs, as printed, from metric `prev` in any arm
 * of the row. */
static int differs(const struct scenario *sc, const struct rowdef *rd,
                   const char *prev, const char *cur) {
  const char *arms[] = {rd->raw, rd->bsd, rd->uv, rd->extra};
  size_t i;
  for (i = 0; i < sizeof(arms) / sizeof(arms[0]); i++) {
    const struct bench_record *a = find(sc->name, arms[i], prev),
                              *b = find(sc->name, arms[i], cur);
    if (a != NULL && b != NULL && !a->skipped && !b->skipped &&
        bench_shown(a->median) != bench_shown(b->median))
      return 1;
  }
  return 0;
}

static void print_rows(const struct scenario *sc) {
  size_t nm, m, nr, k;
  const struct metric *ms = metrics_of(sc->kind, &nm);
  const struct rowdef *rows = rows_of(sc->kind, &nr);
  for (k = 0; k < nr; k++) {
    const struct rowdef *rd = &rows[k];
    for (m = 0; m < nm; m++) {
      struct bench_row row;
      if (ms[m].show == JSON_ONLY) continue;
      if (ms[m].show == ROW_IF_DIFFERENT && m > 0 &&
          !differs(sc, rd, ms[m - 1].name, ms[m].name))
        continue;
      snprintf(row.label, sizeof(row.label), "%s%s%s", sc->name,
               rd->variant[0] ? " " : "", rd->variant);
      row.metric = ms[m].name;
      row.unit = ms[m].unit;
      row.raw = find(sc->name, rd->raw, ms[m].name);
      row.bsd = find(sc->name, rd->bsd, ms[m].name);
      row.uv = find(sc->name, rd->uv, ms[m].name);
      row.extra = find(sc->name, rd->extra, ms[m].name);
      bench_table_row(&row);
      add_chart_row(&row);
    }
  }
}

/* The fourth arm of a row (raw-mmsg), against bsdsock. */
static void note_extra(const struct scenario *sc, const struct rowdef *rd,
                       const struct metric *mt) {
  const struct bench_record *ex = find(sc->name, rd->extra, mt->name),
                            *bsd = find(sc->name, rd->bsd, mt->name);
  const struct bench_ratio *q;
  char cell[64], a[32], b[32];
  if (ex == NULL || ex->skipped || bsd == NULL) return;  /* see its reason */
  q = bench_ratio_vs(bsd, rd->extra);
  bench_table_note("%s (%s): %s %s %s, bsdsock vs %s: ratio %s, paired %s",
                   rd->extra, rd->extra_what, mt->name,
                   bench_fmt_cell(cell, sizeof(cell), ex), mt->unit, rd->extra,
                   bench_fmt_ratio(a, sizeof(a), q ? q->of_medians : NAN),
                   bench_fmt_ratio(b, sizeof(b), q ? q->paired : NAN));
}

/* Appends to buf (size bytes, a string), cutting what does not fit. */
static void append(char *buf, size_t size, const char *fmt, ...)
    BENCH_PRINTF(3, 4);

static void append(char *buf, size_t size, const char *fmt, ...) {
  size_t len = strlen(buf);
  va_list ap;
  if (len + 1 >= size) return;
  va_start(ap, fmt);
  vsnprintf(buf + len, size - len, fmt, ap);
  va_end(ap);
}

/* The datagrams sent but not received, per arm; "no loss" only when no
 * repetition of any arm lost one. */
static void note_loss(const struct scenario *sc) {
  const struct bench_arm *const *arms = arms_of(sc->kind);
  char text[256] = "";
  size_t k;
  int i, lost = 0;
  for (k = 0; arms[k] != NULL; k++) {
    const struct bench_record *r = find(sc->name, arms[k]->name, "loss");
    double worst = 0;
    char mid[32], most[32];
    if (r == NULL || r->skipped) continue;
    for (i = 0; i < r->nruns; i++)
      if (fabs(r->runs[i]) > fabs(worst)) worst = r->runs[i];
    lost |= worst != 0;
    snprintf(mid, sizeof(mid), "%.2g%%", r->median);
    snprintf(most, sizeof(most), "%.2g%%", worst);
    append(text, sizeof(text), "%s%s %s", text[0] ? ", " : "", r->arm, mid);
    /* A median of 0 can hide one rep that lost datagrams. */
    if (strcmp(mid, most) != 0)
      append(text, sizeof(text), " (worst rep %s)", most);
  }
  if (text[0] == '\0') return;  /* no arm ran */
  if (!lost)
    bench_table_note("no loss: every datagram sent was received (every rep, "
                     "every arm)");
  else
    bench_table_note("loss, %% of datagrams sent, median of the reps: %s",
                     text);
}

/* The arms of the scenario skipped for exactly `reason`, in a list. */
static void arms_skipped_for(const struct scenario *sc, const char *metric,
                             const char *reason, char *list, size_t len) {
  const struct bench_arm *const *arms = arms_of(sc->kind);
  size_t k;
  list[0] = '\0';
  for (k = 0; arms[k] != NULL; k++) {
    const struct bench_record *r = find(sc->name, arms[k]->name, metric);
    if (r != NULL && r->skipped && strcmp(r->reason, reason) == 0)
      append(list, len, "%s%s", list[0] ? ", " : "", arms[k]->name);
  }
}

/* Whether an arm before arms[k] was skipped for the same reason (its line
 * lists arms[k] too). */
static int reason_given_before(const struct scenario *sc, const char *metric,
                               size_t k, const char *reason) {
  const struct bench_arm *const *arms = arms_of(sc->kind);
  size_t j;
  for (j = 0; j < k; j++) {
    const struct bench_record *r = find(sc->name, arms[j]->name, metric);
    if (r != NULL && r->skipped && strcmp(r->reason, reason) == 0) return 1;
  }
  return 0;
}

/* The reasons behind "skipped": one line per reason with the arms that
 * share it, and a reason given before (Winsock has no sendmmsg, for every
 * batch size) only referred to. */
static void note_skipped(const struct scenario *sc, const char *metric) {
  static struct { char reason[240], list[160]; const char *where; } told[16];
  static size_t ntold;
  const struct bench_arm *const *arms = arms_of(sc->kind);
  size_t k, t;
  for (k = 0; arms[k] != NULL; k++) {
    const struct bench_record *r = find(sc->name, arms[k]->name, metric);
    char list[160];
    if (r == NULL || !r->skipped) continue;
    if (reason_given_before(sc, metric, k, r->reason)) continue;
    arms_skipped_for(sc, metric, r->reason, list, sizeof(list));
    for (t = 0; t < ntold; t++)
      if (strcmp(told[t].reason, r->reason) == 0 &&
          strcmp(told[t].list, list) == 0)
        break;
    if (t < ntold) {
      bench_table_note("%s: skipped, as in %s", list, told[t].where);
      continue;
    }
    bench_table_note("%s: %s", list, r->reason);
    if (ntold < sizeof(told) / sizeof(told[0])) {
      snprintf(told[ntold].reason, sizeof(told[0].reason), "%s", r->reason);
      snprintf(told[ntold].list, sizeof(told[0].list), "%s", list);
      told[ntold++].where = sc->name;
    }
  }
}

static void print_notes(const struct scenario *sc) {
  static int batch_told;
  size_t nm, nr, k;
  const struct metric *ms = metrics_of(sc->kind, &nm);
  const struct rowdef *rows = rows_of(sc->kind, &nr);
  if (sc->kind == K_BATCH && !batch_told) {
    bench_table_note("raw and libuv send one datagram per call in every "
                     "udp_batch_* scenario, as in");
    bench_table_note("udp_oneway_64B: the batch size applies to bsdsock "
                     "and raw-mmsg only");
    batch_told = 1;
  }
  /* The fourth arm, for each metric with a row of its own (sent for the
   * batches, rtt_p50 and rtt_p99 for remote_sendrecv). */
  for (k = 0; k < nr; k++) {
    size_t m;
    for (m = 0; rows[k].extra != NULL && m < nm; m++)
      if (ms[m].show == ROW) note_extra(sc, &rows[k], &ms[m]);
  }
  if (sc->kind == K_UDP || sc->kind == K_BATCH) note_loss(sc);
  note_skipped(sc, ms[0].name);
}

static void print_scenario(const struct scenario *sc) {
  print_rows(sc);
  print_notes(sc);
  fflush(stdout);
}

/* ---- callgrind mode --------------------------------------------------------------- */

static int callgrind_mode(const struct opts *o) {
  static const struct bench_arm *const arms[] = {
      &bench_arm_raw, &bench_arm_bsdsock, &bench_arm_libuv,
      &bench_arm_bsdsock_remote};
  size_t i;
  int status = 0;
  for (i = 0; i < sizeof(arms) / sizeof(arms[0]); i++) {
    struct bench_run r;
    char fn[64], *c;
    if (o->cg_arm && strcmp(o->cg_arm, arms[i]->name) != 0) continue;
    snprintf(fn, sizeof(fn), "bench_cg_%s", arms[i]->name);
    for (c = fn; *c; c++)
      if (*c == '-') *c = '_';
    memset(&r, 0, sizeof(r));
    arms[i]->callgrind(o->cg_pairs, &r);
    if (r.status == BENCH_OK && r.ops != (double)o->cg_pairs)
      bench_fail(&r, "only %.0f pairs completed", r.ops);
    printf("%-8s %ld send+recv pairs in %s: %s%s\n", arms[i]->name,
           o->cg_pairs, fn,
           r.status == BENCH_OK ? "done" : "not done: ", r.reason);
    if (r.status == BENCH_FAIL) status = 1;
  }
  return status;
}

/* ---- main ------------------------------------------------------------------------- */

/* What bench/CMakeLists.txt says about the build, for the header. */
#ifndef BENCH_BUILD_TYPE
# define BENCH_BUILD_TYPE ""
#endif
#ifndef BENCH_COMPILER
# define BENCH_COMPILER "unknown compiler"
#endif
#ifndef BENCH_FAULT_SEAM
# define BENCH_FAULT_SEAM 0
#endif

static const char *build_text(void) {
  static char buf[160];
  const char *type = BENCH_BUILD_TYPE;
  /* The seam adds a call per system call: a test build's figures are not
   * the library's. */
  snprintf(buf, sizeof(buf), "%s build, %s, fault-injection seam %s",
           type[0] ? type : "no build type", BENCH_COMPILER,
           BENCH_FAULT_SEAM ? "on (a test build)" : "off");
  return buf;
}

static void describe_setup(struct bench_setup *s, const struct opts *o,
                           const char *mode) {
  const char *uv = bench_uv_version();
  memset(s, 0, sizeof(*s));
  s->mode = mode;
  s->reps = o->reps;
  s->dur_ms = o->dur_ms;
  s->warm_ms = o->warm_ms;
  s->pinned = o->pin;
  s->build = build_text();
  s->uv = uv ? uv : "not built";
}

int main(int argc, char **argv) {
  struct opts o;
  struct bench_setup setup;
  const char *mode;
  size_t i;
  memset(&o, 0, sizeof(o));
  parse(argc, argv, &o);
  mode = mode_of(&o);
  fill_defaults(&o);
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
  if (o.bsdsockd != NULL) bench_remote_set_path(o.bsdsockd);
  if (o.cg_pairs > 0) return callgrind_mode(&o);
  describe_setup(&setup, &o, mode);
  bench_table_header(&setup);
  progress_init(&o);
  for (i = 0; i < NSCENARIOS; i++) {
    if (!selected(&o, &scenarios[i])) continue;
    run_scenario(&scenarios[i], &o);
    progress_done(&scenarios[i], &o);
    progress_wipe();
    print_scenario(&scenarios[i]);
  }
  progress_finish();
  if (o.json && bench_write_json(o.json, &setup, records, nrecords) != 0)
    return 1;
  if (o.svg && bench_write_svg(o.svg, &setup, chart_rows, nchart_rows) != 0)
    return 1;
  free(records);
  return any_failed ? 1 : 0;
}
