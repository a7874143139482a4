/* SPDX-License-Identifier: MIT */
/*
 * bench/bench.h - the parts of bsdsock-bench and how they fit.
 *
 *   main.c        command line, scenarios, repetitions, statistics,
 *                 progress on stderr
 *   table.c       the table on stdout: its header, rows and notes, and
 *                 the rounding of the figures it prints
 *   report.c      --json and --svg output
 *   arm_*.c       one "arm" per API: the client side of every scenario
 *                 written with that API (bsdsock, libuv)
 *   raw_<os>.c    the raw arm (plain syscalls / plain Winsock), the peer
 *                 threads, and the bench's own platform services (set-up,
 *                 host description, CPU pinning); CMake picks raw_posix.c
 *                 or raw_win32.c, so no source here tests the platform
 *   ready_*.c     the bsdsock arms of the readiness scenario (they need the
 *                 readiness API, bsdsock/poll.h) and of the poller
 *                 scenario (bsdsock/poller.h)
 *
 * Only the client side differs between arms: the peer is always a second
 * thread of this process using raw syscalls, so every arm talks to the
 * same, equally fast, counterpart.
 *
 * The clock and the threads are the ones the tests use too
 * (tests/support/sysutil.h, library bsdsock_sysutil).
 */
#ifndef BSDSOCK_BENCH_H
#define BSDSOCK_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include <bsdsock/bsdsock.h>

#include "sysutil.h"

#if defined(__GNUC__)
# define BENCH_NOINLINE __attribute__((noinline))
# define BENCH_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
# define BENCH_NOINLINE
# define BENCH_PRINTF(f, a)
#endif

/* ---- one timed run ----------------------------------------------------- */

/* Per-operation latencies in microseconds (ping-pong round trips). */
struct bench_lat {
  double *v;
  size_t n, cap;
};

/* Appends one latency; silently drops it when the buffer is full. */
void bench_lat_add(struct bench_lat *l, uint64_t ns);

enum bench_status { BENCH_OK, BENCH_SKIP, BENCH_FAIL };

/* What one run of one arm produced. */
struct bench_run {
  double ops;              /* round trips, bytes, datagrams sent, ... */
  double ops2;             /* datagrams received (UDP scenarios) */
  double secs;             /* elapsed time the counts refer to */
  struct bench_lat *lat;   /* where ping-pong appends its round trips */
  enum bench_status status;
  char reason[240];        /* why, for BENCH_SKIP / BENCH_FAIL */
};

/* Mark a run skipped (the arm cannot do this here) or failed. */
void bench_skip(struct bench_run *r, const char *fmt, ...) BENCH_PRINTF(2, 3);
void bench_fail(struct bench_run *r, const char *fmt, ...) BENCH_PRINTF(2, 3);

/* The readiness and poller scenarios' sockets: n UDP sockets on loopback, made with
 * bsdsock (fds) and also seen as OS handles (os), of which one (active)
 * has a datagram queued for the whole run. */
struct bench_ready_set {
  int *fds;
  bsdsock_os_sock_t *os;
  size_t n, active;
  int maxfd;               /* highest of fds */
};

/* What a run is asked to do. */
struct bench_params {
  uint16_t port;           /* the peer, on 127.0.0.1 (host order) */
  size_t size;             /* message, write or datagram size */
  int batch;               /* datagrams per batched call (udp_batch_*) */
  uint64_t dur_ns;         /* how long to keep going */
  const struct bench_ready_set *set;  /* the readiness scenario */
};

typedef void (*bench_fn)(const struct bench_params *p, struct bench_run *r);

/* One arm: the client side of each kind of scenario. NULL where the arm
 * does not take part (the scenario lists its arms; see main.c). */
struct bench_arm {
  const char *name;
  bench_fn pingpong;       /* one message in flight, round trips timed */
  bench_fn stream;         /* writes of p->size for p->dur_ns, then EOF */
  bench_fn udp;            /* datagrams of p->size, p->batch per call */
  bench_fn churn;          /* connect + close, over and over */
  bench_fn sendrecv;       /* send + recv on a connected pair, same thread */
  bench_fn ready;          /* one poll/select over p->set, timeout 0 */
  bench_fn poller;         /* one epoll-style wait over p->set, timeout 0 */
  /* --callgrind-sendrecv: n send+recv pairs in a function named
   * bench_cg_<arm> ('-' read as '_'), for valgrind to count its
   * instructions. */
  void (*callgrind)(long n, struct bench_run *r);
};

/* The measured loops of --callgrind-sendrecv (n send+recv pairs; they
 * return how many completed). Not static and never inlined, so that
 * callgrind reports each one's inclusive instruction count. */
long bench_cg_raw(bsdsock_os_sock_t a, bsdsock_os_sock_t b, long n);
long bench_cg_bsdsock(int a, int b, long n);
long bench_cg_libuv(void *pair, long n);
/* n forwarded send+recv pairs on a pair in the bench's bsdsockd (a
 * bsdsock_remote_t session): what a forwarded call costs the client. */
long bench_cg_bsdsock_remote(void *session, int a, int b, long n);

extern const struct bench_arm bench_arm_raw;         /* raw_<os>.c */
extern const struct bench_arm bench_arm_raw_mmsg;    /* raw_<os>.c */
extern const struct bench_arm bench_arm_raw_poll;    /* raw_<os>.c */
extern const struct bench_arm bench_arm_raw_select;  /* raw_<os>.c */
extern const struct bench_arm bench_arm_raw_epoll;   /* raw_<os>.c */
extern const struct bench_arm bench_arm_bsdsock;     /* arm_bsdsock.c */
extern const struct bench_arm bench_arm_bsdsock_poll;    /* ready_*.c */
extern const struct bench_arm bench_arm_bsdsock_select;  /* ready_*.c */
extern const struct bench_arm bench_arm_libuv;       /* arm_uv*.c */
extern const struct bench_arm bench_arm_bsdsock_remote;  /* arm_remote.c */

/* ---- the bsdsockd of remote_sendrecv (arm_remote.c) --------------------- */

/* Starts bsdsockd on 127.0.0.1 port 0 with a random token, for the
 * bsdsock-remote arm. 0, or -1 with the reason in r (skipped: there is no
 * bsdsockd to start; failed: it did not come up). */
int bench_remote_start(struct bench_run *r);
/* Ends it and removes its files; harmless when it is not running. */
void bench_remote_stop(void);
/* The server's program instead of the one CMake built (--bsdsockd). */
void bench_remote_set_path(const char *path);

/* The bsdsock arm of the poller scenario (ready_*.c): bsdsock_poller_wait. */
void bench_bsd_poller(const struct bench_params *p, struct bench_run *r);

/* "1.44.2", or NULL when the harness was built without libuv (arm_uv*.c). */
const char *bench_uv_version(void);

/* ---- the readiness scenario's socket set (arm_bsdsock.c) --------------- */

/* Creates n sockets with one readable. 0, or -1 with the reason in r. */
int bench_ready_setup(struct bench_ready_set *set, size_t n,
                      struct bench_run *r);
void bench_ready_teardown(struct bench_ready_set *set);

/* ---- peers: a second thread, raw syscalls (raw_<os>.c) ------------------ */

enum bench_peer_kind {
  BENCH_PEER_ECHO,       /* TCP: accepts one connection, echoes until EOF */
  BENCH_PEER_SINK,       /* TCP: accepts one, reads until EOF, closes */
  BENCH_PEER_UDP_SINK,   /* UDP: counts datagrams until told to stop */
  BENCH_PEER_ACCEPT      /* TCP: accepts and closes until told to stop */
};

struct bench_peer;

/* Starts a peer on 127.0.0.1 port 0; *port gets the port. NULL on failure,
 * with the reason in r. */
struct bench_peer *bench_peer_start(enum bench_peer_kind kind, uint16_t *port,
                                    struct bench_run *r);

/* Tells the peer to stop once it is idle, waits for it, frees it and
 * returns its count (bytes read, datagrams received, connections
 * accepted). */
uint64_t bench_peer_finish(struct bench_peer *p);

/* ---- platform services (raw_<os>.c) ------------------------------------- */

/* Starts the raw socket layer, raises the descriptor limit. 0 or -1. */
int bench_platform_init(void);
const char *bench_platform(void);      /* "linux-x86_64", "windows-x86_64" */
const char *bench_host(void);          /* CPU, OS build, VM/Wine if known */

/* Whether stderr is a terminal: the progress line then rewrites itself
 * in place instead of adding a line per scenario. */
int bench_stderr_is_terminal(void);

/* n random bytes from the OS (the token of the bench's bsdsockd). 0, or
 * -1 if the OS gave none. */
int bench_random(void *buf, size_t n);

/* Whether path names an existing file (on Windows a path starting with
 * '/' is a Unix path seen through Wine's Z: drive, as su_process_start
 * reads it). */
int bench_file_exists(const char *path);

/* Binds the calling thread to one CPU (--pin). 0, or -1 if it cannot. */
int bench_pin_self(int cpu);

/* The CPU peer threads bind themselves to, -1 for none (main.c sets it). */
extern int bench_peer_cpu;

/* Nanoseconds on sysutil's monotonic clock, which every arm times itself
 * with; the arms' name for it. */
static inline uint64_t bench_now_ns(void) {
  return su_now_ns();
}

/* ---- results (main.c) ------------------------------------------------------ */

#define BENCH_MAX_REPS 64
#define BENCH_MAX_VS 3     /* arms one bsdsock record is compared with */

/* bsdsock against one other arm, oriented so that > 1 is bsdsock's favour:
 * bsdsock/other for rates, other/bsdsock for times. */
struct bench_ratio {
  const char *vs;                 /* the other arm; NULL: no comparison */
  double of_medians;              /* of the two medians as the table prints
                                   * them, so a reader's division agrees */
  double paired;                  /* median of the per-repetition ratios */
  double paired_min, paired_max;  /* their range (the chart's whiskers) */
};

/* One JSON record: a scenario x arm x metric. Every figure but `pooled`
 * is a statistic of `runs`, one value per repetition. */
struct bench_record {
  const char *scenario, *anchor, *arm, *metric, *unit;
  int higher_better;
  double runs[BENCH_MAX_REPS];
  int nruns;
  double median;                /* the middle run (mean of the middle two) */
  double spread;                /* (max - min) / median of runs, in % */
  double p50, p99;              /* nearest-rank percentiles of runs */
  double pooled;                /* rtt_p50/_p99: that percentile over every
                                 * round trip of every run; else NaN */
  struct bench_ratio vs[BENCH_MAX_VS];  /* bsdsock arms only */
  int nvs;
  int skipped;
  char reason[240];
};

/* The bsdsock record's comparison with arm `vs`, or NULL. */
const struct bench_ratio *bench_ratio_vs(const struct bench_record *bsd,
                                         const char *vs);

/* What the run was: the top of the table and of the chart, and fields of
 * every JSON record. */
struct bench_setup {
  const char *mode;             /* "full", "smoke" or "custom" */
  long reps, dur_ms, warm_ms;
  int pinned;                   /* --pin */
  const char *build;            /* build type, compiler, seam (main.c) */
  const char *uv;               /* libuv's version, or "not built" */
};

/* ---- the table (table.c) -------------------------------------------------- */

/* v as the table prints it (four significant figures, whole numbers from
 * 1000 up), read back: the ratios are computed from these. */
double bench_shown(double v);

/* One row: a scenario (or one variant of it) x one metric. NULL where the
 * column has no arm; `bsd` carries the ratios. */
struct bench_row {
  char label[48];                          /* scenario [variant] */
  const char *metric, *unit;
  const struct bench_record *raw, *bsd, *uv;
  const struct bench_record *extra;        /* the note's fourth arm, or NULL */
};

void bench_table_header(const struct bench_setup *s);
void bench_table_row(const struct bench_row *row);
/* An indented line under a scenario's rows (a skip reason, loss, ...). */
void bench_table_note(const char *fmt, ...) BENCH_PRINTF(1, 2);
/* "1234 (3%)": a record's median and spread, for notes. */
const char *bench_fmt_cell(char *buf, size_t len,
                           const struct bench_record *r);
/* A ratio as the table prints it: "1.005", "0.0091", "-" for none. */
const char *bench_fmt_ratio(char *buf, size_t len, double v);

/* The run's description, one "name: text" line each (table and chart). */
size_t bench_describe(const struct bench_setup *s, char lines[][160],
                      size_t max);

/* ---- JSON and chart (report.c) -------------------------------------------- */

int bench_write_json(const char *path, const struct bench_setup *s,
                     const struct bench_record *rec, size_t n);

/* One bar group of the chart: a table row's two comparisons (vs NULL when
 * the row has none), and its comparison with the row's fourth arm, drawn
 * in libuv's place on a row without libuv (bsdsock-remote). */
struct bench_chart_row {
  char label[96];
  struct bench_ratio vs_raw, vs_uv, vs_extra;
};

int bench_write_svg(const char *path, const struct bench_setup *s,
                    const struct bench_chart_row *rows, size_t n);

#endif /* BSDSOCK_BENCH_H */
