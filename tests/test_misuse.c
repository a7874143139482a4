/* SPDX-License-Identifier: MIT */
/*
 * test_misuse.c - the differential misuse suite.
 *
 * bsdsock promises "same call, same result on every backend, misuse
 * included". This suite calls every public socket function the ways real
 * code misuses it - a table of calls x argument kinds x socket states -
 * and prints one line per case to a file:
 *
 *     <call> <target> <arguments> -> <outcome>
 *
 * where <target> is fd=-1 / fd=INT_MIN / fd=99999 / fd=closed or
 * state=<socket state>, and <outcome> is "ok", "n=<bytes>", "fd" (a new
 * descriptor), a value, or the error's name. Nothing that differs between
 * operating systems for reasons that are not bsdsock's (descriptor numbers,
 * ports, native codes, default buffer sizes) is printed, so CI runs the
 * suite on every backend and compares the files line for line
 * (scripts/misuse-compare.py); every differing line is a broken promise.
 *
 * The file is BSDSOCK_MISUSE_OUT if set, else misuse-<backend>.txt in the
 * working directory; its last line, and stdout, give the case count. With
 * BSDSOCK_MISUSE_NATIVE set, each failing case is also printed to stdout
 * with its native code (errno / WSA number), to trace a difference.
 *
 * Besides printing, the suite asserts what must hold on every backend, so
 * it can fail by itself:
 *  - no call crashes, and no result is BSDSOCK_EUNKNOWN or a code without
 *    a name;
 *  - a failed call leaves a valid socket usable (same SO_TYPE, still
 *    non-blocking, still connected where it was);
 *  - no descriptor leaks (the lowest free number is the same before and
 *    after each test);
 *  - the descriptor is checked first: every call on -1, INT_MIN, 99999 or
 *    a closed descriptor fails with BSDSOCK_EBADF whatever its other
 *    arguments, and bsdsock_native_handle() of such a number is
 *    BSDSOCK_OS_SOCK_INVALID (see invariant_ebadf_first below).
 * Violations are collected, printed and fail the test at its end, after
 * every case of the test has been printed, so the output file is always
 * complete. Other specific error codes are deliberately not asserted:
 * which code each misuse gives is what the comparison is for.
 *
 * No call can block: every socket of a state is non-blocking (with 100 ms
 * I/O timeouts as a second guard), the only connections made are to
 * loopback listeners this file created (port 0 on 127.0.0.1 / ::1), and no
 * connect is ever refused.
 */
#include "harness.h"

#include <limits.h>
#include <stdlib.h>

#define BADFLAG 0x40000000     /* a MSG_* bit no platform has */
#define BADLEVEL 0x7777        /* an option level no platform has */
#define BADNAME 0x7777         /* an option name no level has */
#define WAIT_MS 2000           /* bound for building a state */
#define SENTINEL_FAMILY 0xA5A5 /* an address the call did not touch */

/* ---- output -------------------------------------------------------------- */

static FILE *out;
static int ncases;
static int show_native; /* BSDSOCK_MISUSE_NATIVE set: see emit_case() */
static char desc[512];
static size_t desc_len;

static void d_add(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void d_add(const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(desc + desc_len, sizeof(desc) - desc_len, fmt, ap);
  va_end(ap);
  if (n > 0) desc_len += (size_t)n;
  if (desc_len >= sizeof(desc)) desc_len = sizeof(desc) - 1;
}

/* Writes a case's line. With BSDSOCK_MISUSE_NATIVE set, stdout also gets
 * it with the native code behind a failure (errno / WSA number), for
 * finding out where a difference comes from; the file never does. */
static void emit_case(const char *outcome, int failed) {
  fprintf(out, "%s -> %s\n", desc, outcome);
  if (show_native && failed)
    printf("[  CASE    ] %s -> %s [native %d]\n", desc, outcome,
           bsdsock_last_native_error());
  ncases++;
}

static void emit(const char *outcome) {
  emit_case(outcome, 0);
}

/* ---- invariants ---------------------------------------------------------- */

static int violations;       /* backend-neutral invariants */
static int ebadf_violations; /* the descriptor-first invariant */

static void violation(const char *outcome, const char *what) {
  printf("[ VIOLATE  ] %s -> %s: %s\n", desc, outcome, what);
  violations++;
}

/* ---- socket states and bad descriptors ----------------------------------- */

enum {
  T_NEG1,
  T_INTMIN,
  T_BIG,
  T_CLOSED,
  T_TCP_FRESH,
  T_TCP_BOUND,
  T_TCP_LISTEN,
  T_TCP_PENDING,
  T_TCP_CONN,
  T_TCP_READABLE,
  T_TCP_SHUTWR,
  T_UDP_UNBOUND,
  T_UDP_BOUND,
  T_UDP_READABLE,
  T_UDP_CONN,
  T_TCP6_FRESH,
  T_UDP6_FRESH,
  T_COUNT
};

static const struct target {
  const char *name;
  int bad;    /* not an open socket: -1, INT_MIN, 99999, closed */
  int family; /* of the socket (bad descriptors: the addresses used) */
  int type;
  int conn;    /* connected: getpeername() works */
  int sockopt; /* also used for the option table */
} targets[T_COUNT] = {
    {"fd=-1", 1, BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0, 1},
    {"fd=INT_MIN", 1, BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0, 1},
    {"fd=99999", 1, BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0, 1},
    {"fd=closed", 1, BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0, 1},
    {"state=tcp-fresh", 0, BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0, 1},
    {"state=tcp-bound", 0, BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0, 1},
    {"state=tcp-listening", 0, BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0, 1},
    {"state=tcp-listening-pending", 0, BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0,
     0},
    {"state=tcp-connected", 0, BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 1, 1},
    {"state=tcp-connected-readable", 0, BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 1,
     0},
    {"state=tcp-shut-wr", 0, BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 1, 1},
    {"state=udp-unbound", 0, BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0, 1},
    {"state=udp-bound", 0, BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0, 1},
    {"state=udp-bound-readable", 0, BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0, 0},
    {"state=udp-connected", 0, BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 1, 1},
    {"state=tcp6-fresh", 0, BSDSOCK_AF_INET6, BSDSOCK_SOCK_STREAM, 0, 1},
    {"state=udp6-fresh", 0, BSDSOCK_AF_INET6, BSDSOCK_SOCK_DGRAM, 0, 1},
};

/* One case's sockets: the target and whatever it needs to exist. */
typedef struct fx {
  int kind;
  int fd;     /* what the call gets */
  int open;   /* fd is an open socket this fixture must close */
  int aux[4]; /* other sockets of the case, closed at its end */
  int naux;
  bsdsock_addr_t peer; /* a live endpoint of the target's family and type */
  int have_peer;
} fx_t;

static int nb_socket(int family, int type) {
  int fd = bsdsock_socket(family, type | BSDSOCK_SOCK_NONBLOCK, 0);
  H_OK(fd);
  h_io_timeout(fd, 100);
  return fd;
}

static void wait_ready(int fd, short events) {
  bsdsock_pollfd_t p;
  p.fd = fd;
  p.events = events;
  p.revents = 0;
  H_ASSERT_ERR(bsdsock_poll(&p, 1, WAIT_MS), 1);
}

static void bind_loopback(int fd, int family) {
  bsdsock_addr_t a;
  h_loopback(&a, family);
  H_OK(bsdsock_bind(fd, &a));
}

static void add_aux(fx_t *f, int fd) {
  assert_true(f->naux < (int)(sizeof(f->aux) / sizeof(f->aux[0])));
  f->aux[f->naux++] = fd;
}

/* A connected TCP pair over loopback: returns the client (non-blocking,
 * the target); the server side goes to the fixture. */
static int tcp_connected(fx_t *f, int family) {
  bsdsock_addr_t a;
  int l = h_listener(family, &a), c, s;
  c = bsdsock_socket(family, BSDSOCK_SOCK_STREAM, 0);
  H_OK(c);
  H_OK(bsdsock_connect(c, &a)); /* a live loopback listener: at once */
  s = bsdsock_accept(l, NULL);
  H_OK(s);
  H_OK(bsdsock_close(l));
  H_OK(bsdsock_set_nonblocking(c, 1));
  h_io_timeout(c, 100);
  h_io_timeout(s, 100);
  add_aux(f, s);
  return c;
}

/* 0 when the case is skipped (an IPv6 state without IPv6 loopback): its
 * placeholder line is printed then. */
static int fx_open(fx_t *f, int kind, int want_peer) {
  const struct target *t = &targets[kind];
  bsdsock_addr_t a;
  int fd, other;
  memset(f, 0, sizeof(*f));
  f->kind = kind;
  f->fd = -1;
  if (t->family == BSDSOCK_AF_INET6 && !h_have_ipv6()) {
    emit("skipped (no IPv6 loopback)");
    return 0;
  }
  /* Helpers first, the target last: on POSIX a closed descriptor is the
   * lowest free number, which any socket opened after it would take. */
  if (want_peer) {
    if (t->type == BSDSOCK_SOCK_STREAM) {
      add_aux(f, h_listener(t->family, &f->peer));
    } else {
      fd = h_udp_bound(t->family, &f->peer);
      add_aux(f, fd);
    }
    f->have_peer = 1;
  }
  switch (kind) {
    case T_NEG1:
      f->fd = -1;
      return 1;
    case T_INTMIN:
      f->fd = INT_MIN;
      return 1;
    case T_BIG:
      f->fd = 99999;
      return 1;
    case T_CLOSED:
      fd = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
      H_OK(fd);
      H_OK(bsdsock_close(fd));
      f->fd = fd;
      return 1;
    case T_TCP_FRESH:
    case T_TCP6_FRESH:
    case T_UDP_UNBOUND:
    case T_UDP6_FRESH:
      f->fd = nb_socket(t->family, t->type);
      break;
    case T_TCP_BOUND:
    case T_TCP_LISTEN:
    case T_UDP_BOUND:
      f->fd = nb_socket(t->family, t->type);
      bind_loopback(f->fd, t->family);
      if (kind == T_TCP_LISTEN) H_OK(bsdsock_listen(f->fd, 16));
      break;
    case T_TCP_PENDING:
      f->fd = nb_socket(t->family, t->type);
      bind_loopback(f->fd, t->family);
      H_OK(bsdsock_listen(f->fd, 16));
      H_OK(bsdsock_getsockname(f->fd, &a));
      other = bsdsock_socket(t->family, BSDSOCK_SOCK_STREAM, 0);
      H_OK(other);
      H_OK(bsdsock_connect(other, &a));
      add_aux(f, other);
      wait_ready(f->fd, BSDSOCK_POLLIN);
      break;
    case T_TCP_CONN:
    case T_TCP_READABLE:
    case T_TCP_SHUTWR:
      f->fd = tcp_connected(f, t->family);
      if (kind == T_TCP_READABLE) {
        H_ASSERT_ERR(bsdsock_send(f->aux[f->naux - 1], "hello", 5, 0), 5);
        wait_ready(f->fd, BSDSOCK_POLLIN);
      }
      if (kind == T_TCP_SHUTWR) H_OK(bsdsock_shutdown(f->fd, BSDSOCK_SHUT_WR));
      break;
    case T_UDP_READABLE:
      f->fd = nb_socket(t->family, t->type);
      bind_loopback(f->fd, t->family);
      H_OK(bsdsock_getsockname(f->fd, &a));
      other = bsdsock_socket(t->family, BSDSOCK_SOCK_DGRAM, 0);
      H_OK(other);
      add_aux(f, other);
      H_ASSERT_ERR(bsdsock_sendto(other, "hello", 5, 0, &a), 5);
      wait_ready(f->fd, BSDSOCK_POLLIN);
      break;
    case T_UDP_CONN:
      f->fd = nb_socket(t->family, t->type);
      bind_loopback(f->fd, t->family);
      other = h_udp_bound(t->family, &a);
      add_aux(f, other);
      H_OK(bsdsock_connect(f->fd, &a));
      break;
    default:
      fail_msg("unknown target %d", kind);
  }
  f->open = 1;
  return 1;
}

static void fx_close(fx_t *f) {
  int i;
  if (f->open) H_OK(bsdsock_close(f->fd));
  f->open = 0;
  for (i = f->naux - 1; i >= 0; i--) H_OK(bsdsock_close(f->aux[i]));
  f->naux = 0;
}

/* Starts a case's description: "<call> <target>". */
static void d_begin(const char *call, int kind) {
  desc_len = 0;
  desc[0] = '\0';
  d_add("%s %s", call, targets[kind].name);
}

/* ---- the invariants of the rewrite --------------------------------------- */

/* Descriptor first: a call on a number that is not an open socket fails
 * with BSDSOCK_EBADF, whatever else is wrong with its arguments, as both
 * kernels check the descriptor before anything else. */
static void invariant_ebadf_first(const fx_t *f, long long r,
                                  const char *outcome) {
  if (!targets[f->kind].bad || r == BSDSOCK_EBADF) return;
  printf("[ EBADF1ST ] %s -> %s: expected EBADF (descriptor first)\n", desc,
         outcome);
  ebadf_violations++;
}

/* ... and it has no OS handle. */
static void invariant_native_invalid(const fx_t *f, bsdsock_os_sock_t h) {
  if (!targets[f->kind].bad || h == BSDSOCK_OS_SOCK_INVALID) return;
  printf("[ EBADF1ST ] %s: native handle of a bad descriptor is valid\n", desc);
  ebadf_violations++;
}

/* ---- outcomes ------------------------------------------------------------ */

enum {
  RK_STATUS, /* 0 = "ok" */
  RK_COUNT,  /* byte/message count: "n=5" */
  RK_FD,     /* a new descriptor: "fd" */
  RK_VALUE   /* a value: printed as is */
};

/* A failed call must leave a valid socket as it was. */
static void check_usable(const fx_t *f, const char *outcome) {
  const struct target *t = &targets[f->kind];
  bsdsock_addr_t a;
  size_t len = sizeof(int);
  int type = -1, rc;
  rc = bsdsock_getsockopt(f->fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_TYPE, &type,
                          &len);
  if (rc != 0 || type != t->type)
    violation(outcome, "socket unusable after the failed call (SO_TYPE)");
  if (bsdsock_get_nonblocking(f->fd) != 1)
    violation(outcome, "socket lost its non-blocking mode");
  if (t->conn && bsdsock_getpeername(f->fd, &a) != 0)
    violation(outcome, "socket no longer connected after the failed call");
}

/* Prints the case's outcome (with extra, if any, after it) and checks the
 * invariants. */
static void outcome(fx_t *f, long long r, int kind, const char *extra) {
  char buf[256];
  if (r < 0) {
    const char *name = bsdsock_err_name((int)r);
    snprintf(buf, sizeof(buf), "%s%s", name, extra ? extra : "");
    emit_case(buf, 1);
    if (strcmp(name, "EUNKNOWN") == 0)
      violation(buf, "an error without a portable name");
    if (f->open) check_usable(f, buf);
  } else {
    switch (kind) {
      case RK_STATUS:
        if (r == 0)
          snprintf(buf, sizeof(buf), "ok%s", extra ? extra : "");
        else
          snprintf(buf, sizeof(buf), "ret=%d%s", (int)r, extra ? extra : "");
        break;
      case RK_COUNT:
        snprintf(buf, sizeof(buf), "n=%d%s", (int)r, extra ? extra : "");
        break;
      case RK_FD:
        snprintf(buf, sizeof(buf), "fd%s", extra ? extra : "");
        break;
      default:
        snprintf(buf, sizeof(buf), "%d%s", (int)r, extra ? extra : "");
        break;
    }
    emit(buf);
  }
  invariant_ebadf_first(f, r, buf);
}

/* A platform-neutral rendering of an address a call filled in. */
static void fmt_addr(char *buf, size_t size, const bsdsock_addr_t *a) {
  char text[BSDSOCK_ADDRSTRLEN];
  if (a->family == SENTINEL_FAMILY) {
    snprintf(buf, size, "untouched");
  } else if (a->family == BSDSOCK_AF_UNSPEC) {
    snprintf(buf, size, "UNSPEC");
  } else if ((a->family == BSDSOCK_AF_INET || a->family == BSDSOCK_AF_INET6) &&
             bsdsock_addr_to_text(a, text, sizeof(text)) >= 0) {
    snprintf(buf, size, "%s%s%s:%s", a->family == BSDSOCK_AF_INET6 ? "[" : "",
             text, a->family == BSDSOCK_AF_INET6 ? "]" : "",
             a->port != 0 ? "P" : "0");
  } else {
    snprintf(buf, size, "family%u", (unsigned)a->family);
  }
}

static void untouched(bsdsock_addr_t *a) {
  memset(a, 0xA5, sizeof(*a));
}

/* Receive-side output flags. */
static const char *msgflags_name(int flags) {
  switch (flags) {
    case 0:
      return "0";
    case BSDSOCK_MSG_TRUNC:
      return "TRUNC";
    case BSDSOCK_MSG_CTRUNC:
      return "CTRUNC";
    case BSDSOCK_MSG_TRUNC | BSDSOCK_MSG_CTRUNC:
      return "TRUNC|CTRUNC";
    case 0x7777:
      return "untouched";
    default:
      return "other";
  }
}

/* ---- addresses ----------------------------------------------------------- */

enum {
  A_NULL,
  A_PEER,  /* a live endpoint of the target's family and type */
  A_LOOP0, /* the target family's loopback, port 0 */
  A_FAM77, /* family 77 */
  A_OTHER, /* loopback of the other IP family */
  A_UNSPEC /* AF_UNSPEC */
};

static const char *const addr_names[] = {
    "NULL", "peer", "loopback:0", "family77", "other-family", "AF_UNSPEC"};

static int other_family(int family) {
  return family == BSDSOCK_AF_INET ? BSDSOCK_AF_INET6 : BSDSOCK_AF_INET;
}

/* The address of kind k for the case (NULL for A_NULL). */
static const bsdsock_addr_t *make_addr(int k, const fx_t *f,
                                       bsdsock_addr_t *a) {
  const struct target *t = &targets[f->kind];
  memset(a, 0, sizeof(*a));
  switch (k) {
    case A_NULL:
      return NULL;
    case A_PEER:
      assert_true(f->have_peer);
      *a = f->peer;
      break;
    case A_LOOP0:
      h_loopback(a, t->family);
      break;
    case A_FAM77:
      a->family = 77;
      a->port = f->have_peer ? f->peer.port : 0;
      a->u.ip4[0] = 127;
      a->u.ip4[3] = 1;
      break;
    case A_OTHER:
      h_loopback(a, other_family(t->family));
      a->port = f->have_peer ? f->peer.port : 0;
      break;
    case A_UNSPEC:
      a->family = BSDSOCK_AF_UNSPEC;
      a->port = f->have_peer ? f->peer.port : 0;
      break;
    default:
      fail_msg("address kind %d", k);
  }
  return a;
}

/* ---- per-test bookkeeping ------------------------------------------------ */

static int lowest_free(void) {
  int fd = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  H_OK(fd);
  H_OK(bsdsock_close(fd));
  return fd;
}

static int test_begin(void) {
  (void)h_have_ipv6(); /* cached now, so its probe socket never counts */
  if (!h_have_ipv6())
    printf(
        "[  NOTE    ] IPv6 rows print placeholders: no IPv6 loopback "
        "(::1) on this host\n");
  violations = 0;
  ebadf_violations = 0;
  return lowest_free();
}

static void test_end(int probe) {
  int now = lowest_free();
  fflush(out);
  fflush(stdout);
  if (now != probe)
    fail_msg("descriptor leak: lowest free descriptor %d before, %d after",
             probe, now);
  if (violations)
    fail_msg("%d violation(s) of the backend-neutral invariants (see above)",
             violations);
  if (ebadf_violations)
    fail_msg(
        "%d call(s) on a bad descriptor did not fail with EBADF first "
        "(see [ EBADF1ST ] above)",
        ebadf_violations);
}

/* ---- data calls ---------------------------------------------------------- */

static char sbuf[64] = "hello, world";
static char rbuf[64];

struct data_row {
  int null_buf;
  size_t len;
  int flags;
  const char *fname;
  int addr; /* sendto: A_*; recvfrom: 1 = from buffer, 0 = NULL */
};

static const struct data_row send_rows[] = {
    {0, 5, 0, "0", 0},
    {0, 5, BSDSOCK_MSG_DONTWAIT, "DONTWAIT", 0},
    {0, 0, 0, "0", 0},
    {1, 5, 0, "0", 0},
    {1, 0, 0, "0", 0},
    {0, 5, BADFLAG, "0x40000000", 0},
    {0, 5, BSDSOCK_MSG_TRUNC, "TRUNC", 0},
    {0, 5, BSDSOCK_MSG_CTRUNC, "CTRUNC", 0},
    {0, 5, BSDSOCK_MSG_OOB, "OOB", 0},
    {0, 5, BSDSOCK_MSG_PEEK, "PEEK", 0},
    {0, 5, BSDSOCK_MSG_WAITALL, "WAITALL", 0},
    {0, 5, BSDSOCK_MSG_NOSIGNAL, "NOSIGNAL", 0},
};

static const struct data_row recv_rows[] = {
    {0, 8, 0, "0", 0},
    {0, 8, BSDSOCK_MSG_DONTWAIT, "DONTWAIT", 0},
    {0, 0, 0, "0", 0},
    {1, 8, 0, "0", 0},
    {1, 0, 0, "0", 0},
    {0, 2, 0, "0", 0},
    {0, 8, BADFLAG, "0x40000000", 0},
    {0, 8, BSDSOCK_MSG_TRUNC, "TRUNC", 0},
    {0, 8, BSDSOCK_MSG_CTRUNC, "CTRUNC", 0},
    {0, 8, BSDSOCK_MSG_PEEK, "PEEK", 0},
    {0, 8, BSDSOCK_MSG_OOB, "OOB", 0},
    {0, 8, BSDSOCK_MSG_WAITALL, "WAITALL", 0},
};

static const struct data_row sendto_rows[] = {
    {0, 5, 0, "0", A_NULL},
    {0, 5, 0, "0", A_PEER},
    {0, 5, 0, "0", A_LOOP0},
    {0, 5, 0, "0", A_FAM77},
    {0, 5, 0, "0", A_OTHER},
    {0, 5, 0, "0", A_UNSPEC},
    {1, 5, 0, "0", A_PEER},
    {1, 0, 0, "0", A_PEER},
    {0, 0, 0, "0", A_PEER},
    {0, 5, BSDSOCK_MSG_DONTWAIT, "DONTWAIT", A_PEER},
    {0, 5, BADFLAG, "0x40000000", A_PEER},
    {0, 5, BSDSOCK_MSG_TRUNC, "TRUNC", A_PEER},
    {0, 5, BSDSOCK_MSG_OOB, "OOB", A_PEER},
};

static const struct data_row recvfrom_rows[] = {
    {0, 8, 0, "0", 1},
    {0, 8, 0, "0", 0},
    {0, 8, BSDSOCK_MSG_DONTWAIT, "DONTWAIT", 1},
    {1, 8, 0, "0", 1},
    {1, 0, 0, "0", 1},
    {0, 0, 0, "0", 1},
    {0, 2, 0, "0", 1},
    {0, 8, BADFLAG, "0x40000000", 1},
    {0, 8, BSDSOCK_MSG_TRUNC, "TRUNC", 1},
    {0, 8, BSDSOCK_MSG_PEEK, "PEEK", 1},
    {0, 8, BSDSOCK_MSG_OOB, "OOB", 1},
};

#define NROWS(a) (sizeof(a) / sizeof((a)[0]))

static void run_send(int kind, const struct data_row *r) {
  fx_t f;
  long long n;
  d_begin("send", kind);
  d_add(" buf=%s len=%d flags=%s", r->null_buf ? "NULL" : "ok", (int)r->len,
        r->fname);
  if (!fx_open(&f, kind, 0)) return;
  n = bsdsock_send(f.fd, r->null_buf ? NULL : sbuf, r->len, r->flags);
  outcome(&f, n, RK_COUNT, NULL);
  fx_close(&f);
}

static void run_recv(int kind, const struct data_row *r) {
  fx_t f;
  long long n;
  d_begin("recv", kind);
  d_add(" buf=%s len=%d flags=%s", r->null_buf ? "NULL" : "ok", (int)r->len,
        r->fname);
  if (!fx_open(&f, kind, 0)) return;
  n = bsdsock_recv(f.fd, r->null_buf ? NULL : rbuf, r->len, r->flags);
  outcome(&f, n, RK_COUNT, NULL);
  fx_close(&f);
}

static void run_sendto(int kind, const struct data_row *r) {
  bsdsock_addr_t a;
  const bsdsock_addr_t *ap;
  fx_t f;
  long long n;
  d_begin("sendto", kind);
  d_add(" buf=%s len=%d flags=%s addr=%s", r->null_buf ? "NULL" : "ok",
        (int)r->len, r->fname, addr_names[r->addr]);
  if (!fx_open(&f, kind, 1)) return;
  ap = make_addr(r->addr, &f, &a);
  n = bsdsock_sendto(f.fd, r->null_buf ? NULL : sbuf, r->len, r->flags, ap);
  outcome(&f, n, RK_COUNT, NULL);
  fx_close(&f);
}

static void run_recvfrom(int kind, const struct data_row *r) {
  bsdsock_addr_t from;
  char extra[200], text[160];
  fx_t f;
  long long n;
  d_begin("recvfrom", kind);
  d_add(" buf=%s len=%d flags=%s from=%s", r->null_buf ? "NULL" : "ok",
        (int)r->len, r->fname, r->addr ? "ok" : "NULL");
  if (!fx_open(&f, kind, 0)) return;
  untouched(&from);
  n = bsdsock_recvfrom(f.fd, r->null_buf ? NULL : rbuf, r->len, r->flags,
                       r->addr ? &from : NULL);
  extra[0] = '\0';
  if (n >= 0 && r->addr) {
    fmt_addr(text, sizeof(text), &from);
    snprintf(extra, sizeof(extra), " from=%s", text);
  }
  outcome(&f, n, RK_COUNT, extra);
  fx_close(&f);
}

static void test_data_calls(void **state) {
  int probe = test_begin(), k;
  size_t i;
  (void)state;
  for (k = 0; k < T_COUNT; k++)
    for (i = 0; i < NROWS(send_rows); i++) run_send(k, &send_rows[i]);
  for (k = 0; k < T_COUNT; k++)
    for (i = 0; i < NROWS(recv_rows); i++) run_recv(k, &recv_rows[i]);
  for (k = 0; k < T_COUNT; k++)
    for (i = 0; i < NROWS(sendto_rows); i++) run_sendto(k, &sendto_rows[i]);
  for (k = 0; k < T_COUNT; k++)
    for (i = 0; i < NROWS(recvfrom_rows); i++)
      run_recvfrom(k, &recvfrom_rows[i]);
  test_end(probe);
}

/* ---- scatter/gather and batches ------------------------------------------ */

static bsdsock_iovec_t big_iov[BSDSOCK_IOV_MAX + 1];

enum {
  M_NULL,        /* msg = NULL */
  M_OK,          /* 1 buffer of 5 (receive: 8) */
  M_IOV2,        /* 3 + 2 bytes (receive: 3 + 5) */
  M_IOVLEN0,     /* no buffers */
  M_IOV_NULL1,   /* iov = NULL, iovlen = 1 */
  M_IOV_NULL0,   /* iov = NULL, iovlen = 0 */
  M_BASE_NULL,   /* one buffer {NULL, 5} (receive: {NULL, 8}) */
  M_BASE_NULL0,  /* one buffer {NULL, 0} */
  M_IOVLEN_MAX1, /* BSDSOCK_IOV_MAX + 1 buffers */
  M_SHORT        /* one buffer of 2 */
};

/* How each kind reads in a description, sending and receiving. */
static const char *const msg_names[2][10] = {
    {"NULL", "iov=1x5", "iov=3+2", "iovlen=0", "iov=NULL/1", "iov=NULL/0",
     "iov=[NULL,5]", "iov=[NULL,0]", "iovlen=1025", "iov=1x2"},
    {"NULL", "iov=1x8", "iov=3+5", "iovlen=0", "iov=NULL/1", "iov=NULL/0",
     "iov=[NULL,8]", "iov=[NULL,0]", "iovlen=1025", "iov=1x2"}};

struct msg_row {
  int msg;
  int name; /* send: A_*; receive: 1 = name buffer, 0 = NULL */
  int flags;
  const char *fname;
};

static const struct msg_row sendmsg_rows[] = {
    {M_NULL, A_NULL, 0, "0"},
    {M_OK, A_NULL, 0, "0"},
    {M_OK, A_PEER, 0, "0"},
    {M_IOV2, A_PEER, 0, "0"},
    {M_IOVLEN0, A_PEER, 0, "0"},
    {M_IOV_NULL1, A_PEER, 0, "0"},
    {M_IOV_NULL0, A_PEER, 0, "0"},
    {M_BASE_NULL, A_PEER, 0, "0"},
    {M_BASE_NULL0, A_PEER, 0, "0"},
    {M_IOVLEN_MAX1, A_PEER, 0, "0"},
    {M_OK, A_LOOP0, 0, "0"},
    {M_OK, A_FAM77, 0, "0"},
    {M_OK, A_OTHER, 0, "0"},
    {M_OK, A_UNSPEC, 0, "0"},
    {M_OK, A_PEER, BSDSOCK_MSG_DONTWAIT, "DONTWAIT"},
    {M_OK, A_PEER, BADFLAG, "0x40000000"},
    {M_OK, A_PEER, BSDSOCK_MSG_TRUNC, "TRUNC"},
    {M_OK, A_PEER, BSDSOCK_MSG_CTRUNC, "CTRUNC"},
};

static const struct msg_row recvmsg_rows[] = {
    {M_NULL, 0, 0, "0"},
    {M_OK, 1, 0, "0"},
    {M_OK, 0, 0, "0"},
    {M_IOV2, 1, 0, "0"},
    {M_IOVLEN0, 1, 0, "0"},
    {M_IOV_NULL1, 1, 0, "0"},
    {M_IOV_NULL0, 1, 0, "0"},
    {M_BASE_NULL, 1, 0, "0"},
    {M_BASE_NULL0, 1, 0, "0"},
    {M_IOVLEN_MAX1, 1, 0, "0"},
    {M_SHORT, 1, 0, "0"},
    {M_OK, 1, BSDSOCK_MSG_DONTWAIT, "DONTWAIT"},
    {M_OK, 1, BADFLAG, "0x40000000"},
    {M_OK, 1, BSDSOCK_MSG_TRUNC, "TRUNC"},
    {M_OK, 1, BSDSOCK_MSG_CTRUNC, "CTRUNC"},
    {M_OK, 1, BSDSOCK_MSG_PEEK, "PEEK"},
    {M_OK, 1, BSDSOCK_MSG_OOB, "OOB"},
};

/* Fills a message of kind m over buffer base (send or receive sizes). */
static bsdsock_msghdr_t *make_msg(int m, int receive, bsdsock_msghdr_t *msg,
                                  bsdsock_iovec_t iov[2], char *base) {
  memset(msg, 0, sizeof(*msg));
  msg->flags = 0x7777; /* output only: a receive must overwrite it */
  iov[0].base = base;
  iov[0].len = receive ? 8 : 5;
  iov[1].base = base + 3;
  iov[1].len = receive ? 5 : 2;
  msg->iov = iov;
  msg->iovlen = 1;
  switch (m) {
    case M_NULL:
      return NULL;
    case M_OK:
      break;
    case M_IOV2:
      iov[0].len = 3;
      msg->iovlen = 2;
      break;
    case M_IOVLEN0:
      msg->iovlen = 0;
      break;
    case M_IOV_NULL1:
      msg->iov = NULL;
      break;
    case M_IOV_NULL0:
      msg->iov = NULL;
      msg->iovlen = 0;
      break;
    case M_BASE_NULL:
      iov[0].base = NULL;
      break;
    case M_BASE_NULL0:
      iov[0].base = NULL;
      iov[0].len = 0;
      break;
    case M_IOVLEN_MAX1:
      msg->iov = big_iov;
      msg->iovlen = BSDSOCK_IOV_MAX + 1;
      break;
    case M_SHORT:
      iov[0].len = 2;
      break;
    default:
      fail_msg("message kind %d", m);
  }
  return msg;
}

static void run_sendmsg(int kind, const struct msg_row *r) {
  bsdsock_msghdr_t msg, *mp;
  bsdsock_iovec_t iov[2];
  bsdsock_addr_t a;
  fx_t f;
  long long n;
  d_begin("sendmsg", kind);
  if (r->msg == M_NULL)
    d_add(" msg=NULL flags=%s", r->fname);
  else
    d_add(" msg=[name=%s %s] flags=%s", addr_names[r->name],
          msg_names[0][r->msg], r->fname);
  if (!fx_open(&f, kind, 1)) return;
  mp = make_msg(r->msg, 0, &msg, iov, sbuf);
  if (mp != NULL) msg.name = make_addr(r->name, &f, &a) != NULL ? &a : NULL;
  n = bsdsock_sendmsg(f.fd, mp, r->flags);
  outcome(&f, n, RK_COUNT, NULL);
  fx_close(&f);
}

static void run_recvmsg(int kind, const struct msg_row *r) {
  bsdsock_msghdr_t msg, *mp;
  bsdsock_iovec_t iov[2];
  bsdsock_addr_t name;
  char extra[200], text[160];
  fx_t f;
  long long n;
  d_begin("recvmsg", kind);
  if (r->msg == M_NULL)
    d_add(" msg=NULL flags=%s", r->fname);
  else
    d_add(" msg=[name=%s %s] flags=%s", r->name ? "ok" : "NULL",
          msg_names[1][r->msg], r->fname);
  if (!fx_open(&f, kind, 0)) return;
  mp = make_msg(r->msg, 1, &msg, iov, rbuf);
  untouched(&name);
  if (mp != NULL) msg.name = r->name ? &name : NULL;
  n = bsdsock_recvmsg(f.fd, mp, r->flags);
  extra[0] = '\0';
  if (n >= 0 && mp != NULL) {
    fmt_addr(text, sizeof(text), &name);
    snprintf(extra, sizeof(extra), " flags=%s%s%s", msgflags_name(msg.flags),
             r->name ? " name=" : "", r->name ? text : "");
  }
  outcome(&f, n, RK_COUNT, extra);
  fx_close(&f);
}

enum {
  MM_NULL,     /* msgs = NULL */
  MM_OK,       /* each: name=peer (receive: a name buffer), 1 buffer */
  MM_BAD2,     /* the second message has a buffer {NULL, 5} */
  MM_NAME77_2, /* send: the second message's name has family 77 */
  MM_NONAME,   /* send: no names */
  MM_SHORT     /* receive: 2-byte buffers */
};

static const char *const mm_names[] = {
    "NULL",          "ok", "2nd-iov=[NULL,5]", "2nd-name=family77", "no-names",
    "2-byte-buffers"};

struct mm_row {
  int msgs;
  int n;
  int flags;
  const char *fname;
  int deferred; /* pass a deferred pointer */
};

static const struct mm_row sendmmsg_rows[] = {
    {MM_NULL, 1, 0, "0", 1},
    {MM_NULL, 0, 0, "0", 1},
    {MM_OK, 0, 0, "0", 1},
    {MM_OK, 1, 0, "0", 1},
    {MM_OK, 2, 0, "0", 1},
    {MM_OK, 2, 0, "0", 0},
    {MM_BAD2, 2, 0, "0", 1},
    {MM_NAME77_2, 2, 0, "0", 1},
    {MM_NONAME, 2, 0, "0", 1},
    {MM_OK, 1, BSDSOCK_MSG_DONTWAIT, "DONTWAIT", 1},
    {MM_OK, 1, BADFLAG, "0x40000000", 1},
    {MM_OK, 1, BSDSOCK_MSG_TRUNC, "TRUNC", 1},
};

static const struct mm_row recvmmsg_rows[] = {
    {MM_NULL, 1, 0, "0", 1},
    {MM_NULL, 0, 0, "0", 1},
    {MM_OK, 0, 0, "0", 1},
    {MM_OK, 1, 0, "0", 1},
    {MM_OK, 2, 0, "0", 1},
    {MM_OK, 2, 0, "0", 0},
    {MM_BAD2, 2, 0, "0", 1},
    {MM_SHORT, 1, 0, "0", 1},
    {MM_OK, 1, BSDSOCK_MSG_DONTWAIT, "DONTWAIT", 1},
    {MM_OK, 1, BADFLAG, "0x40000000", 1},
    {MM_OK, 1, BSDSOCK_MSG_TRUNC, "TRUNC", 1},
    {MM_OK, 1, BSDSOCK_MSG_PEEK, "PEEK", 1},
};

static void deferred_text(char *buf, size_t size, int used, int deferred) {
  if (!used)
    buf[0] = '\0';
  else if (deferred == -7777)
    snprintf(buf, size, " deferred=unset");
  else if (deferred == 0)
    snprintf(buf, size, " deferred=0");
  else
    snprintf(buf, size, " deferred=%s", bsdsock_err_name(deferred));
}

static void run_sendmmsg(int kind, const struct mm_row *r) {
  bsdsock_mmsghdr_t msgs[2];
  bsdsock_iovec_t iov[2];
  bsdsock_addr_t a, bad;
  char extra[128], dtext[48];
  int deferred = -7777, i, rc;
  fx_t f;
  d_begin("sendmmsg", kind);
  d_add(" msgs=%s n=%d flags=%s deferred=%s", mm_names[r->msgs], r->n, r->fname,
        r->deferred ? "ok" : "NULL");
  if (!fx_open(&f, kind, 1)) return;
  memset(msgs, 0, sizeof(msgs));
  make_addr(A_PEER, &f, &a);
  make_addr(A_FAM77, &f, &bad);
  for (i = 0; i < 2; i++) {
    iov[i].base = sbuf;
    iov[i].len = 5;
    msgs[i].hdr.iov = &iov[i];
    msgs[i].hdr.iovlen = 1;
    msgs[i].hdr.name = r->msgs == MM_NONAME ? NULL : &a;
    msgs[i].len = 7777;
  }
  if (r->msgs == MM_BAD2) iov[1].base = NULL;
  if (r->msgs == MM_NAME77_2) msgs[1].hdr.name = &bad;
  rc = bsdsock_sendmmsg(f.fd, r->msgs == MM_NULL ? NULL : msgs, (size_t)r->n,
                        r->flags, r->deferred ? &deferred : NULL);
  deferred_text(dtext, sizeof(dtext), r->deferred, deferred);
  if (rc > 0)
    snprintf(extra, sizeof(extra), "%s lens=%d,%d", dtext, (int)msgs[0].len,
             (int)msgs[1].len);
  else
    snprintf(extra, sizeof(extra), "%s", dtext);
  outcome(&f, rc, RK_COUNT, extra);
  fx_close(&f);
}

static void run_recvmmsg(int kind, const struct mm_row *r) {
  bsdsock_mmsghdr_t msgs[2];
  bsdsock_iovec_t iov[2];
  bsdsock_addr_t names[2];
  char bufs[2][16], extra[256], dtext[48], text[160];
  int deferred = -7777, i, rc;
  fx_t f;
  d_begin("recvmmsg", kind);
  d_add(" msgs=%s n=%d flags=%s deferred=%s", mm_names[r->msgs], r->n, r->fname,
        r->deferred ? "ok" : "NULL");
  if (!fx_open(&f, kind, 0)) return;
  memset(msgs, 0, sizeof(msgs));
  for (i = 0; i < 2; i++) {
    iov[i].base = bufs[i];
    iov[i].len = r->msgs == MM_SHORT ? 2 : 8;
    untouched(&names[i]);
    msgs[i].hdr.iov = &iov[i];
    msgs[i].hdr.iovlen = 1;
    msgs[i].hdr.name = &names[i];
    msgs[i].hdr.flags = 0x7777;
    msgs[i].len = 7777;
  }
  if (r->msgs == MM_BAD2) iov[1].base = NULL;
  rc = bsdsock_recvmmsg(f.fd, r->msgs == MM_NULL ? NULL : msgs, (size_t)r->n,
                        r->flags, r->deferred ? &deferred : NULL);
  deferred_text(dtext, sizeof(dtext), r->deferred, deferred);
  if (rc > 0) {
    fmt_addr(text, sizeof(text), &names[0]);
    snprintf(extra, sizeof(extra), "%s len=%d flags=%s name=%s", dtext,
             (int)msgs[0].len, msgflags_name(msgs[0].hdr.flags), text);
  } else {
    snprintf(extra, sizeof(extra), "%s", dtext);
  }
  outcome(&f, rc, RK_COUNT, extra);
  fx_close(&f);
}

static void test_msg_calls(void **state) {
  int probe = test_begin(), k;
  size_t i;
  (void)state;
  for (i = 0; i < NROWS(big_iov); i++) {
    big_iov[i].base = sbuf;
    big_iov[i].len = 1;
  }
  for (k = 0; k < T_COUNT; k++)
    for (i = 0; i < NROWS(sendmsg_rows); i++) run_sendmsg(k, &sendmsg_rows[i]);
  for (k = 0; k < T_COUNT; k++)
    for (i = 0; i < NROWS(recvmsg_rows); i++) run_recvmsg(k, &recvmsg_rows[i]);
  for (k = 0; k < T_COUNT; k++)
    for (i = 0; i < NROWS(sendmmsg_rows); i++)
      run_sendmmsg(k, &sendmmsg_rows[i]);
  for (k = 0; k < T_COUNT; k++)
    for (i = 0; i < NROWS(recvmmsg_rows); i++)
      run_recvmmsg(k, &recvmmsg_rows[i]);
  test_end(probe);
}

/* ---- ancillary data (bsdsock_msginfo_t) ---------------------------------- */

/* The loopback interface's index (the entry with 127.0.0.1), 0 if none. */
static unsigned loopback_index(void) {
  static unsigned index;
  bsdsock_interface_t *list = NULL;
  size_t n = 0, i;
  if (index != 0) return index;
  H_OK(bsdsock_interfaces(&list, &n));
  for (i = 0; i < n && index == 0; i++)
    if (list[i].addr.family == BSDSOCK_AF_INET && list[i].addr.u.ip4[0] == 127)
      index = list[i].index;
  bsdsock_free_interfaces(list);
  return index;
}

enum { I_EMPTY, I_SRC, I_SRC_OTHER, I_SRC_FAM77, I_IFINDEX, I_TOS, I_TOS256,
       I_TOSNEG, I_BITS, I_N };

static const char *const info_names[I_N] = {
    "valid=0",   "src=loopback", "src=other-family", "src=family77",
    "ifindex=loopback", "tos=0x28", "tos=256", "tos=-1", "valid=0x100"};

static void make_info(int ik, const fx_t *f, bsdsock_msginfo_t *info) {
  const struct target *t = &targets[f->kind];
  memset(info, 0, sizeof(*info));
  switch (ik) {
    case I_EMPTY:
      break;
    case I_SRC:
      info->valid = BSDSOCK_MSGINFO_DST;
      h_loopback(&info->dst, t->family);
      break;
    case I_SRC_OTHER:
      info->valid = BSDSOCK_MSGINFO_DST;
      h_loopback(&info->dst, other_family(t->family));
      break;
    case I_SRC_FAM77:
      info->valid = BSDSOCK_MSGINFO_DST;
      h_loopback(&info->dst, BSDSOCK_AF_INET);
      info->dst.family = 77;
      break;
    case I_IFINDEX:
      info->valid = BSDSOCK_MSGINFO_IFINDEX;
      info->ifindex = loopback_index();
      break;
    case I_TOS:
    case I_TOS256:
    case I_TOSNEG:
      info->valid = BSDSOCK_MSGINFO_TOS;
      info->tos = ik == I_TOS ? 0x28 : ik == I_TOS256 ? 256 : -1;
      break;
    default:
      info->valid = 0x100;
      break;
  }
}

/* sendmsg with ancillary data: to the peer (NULL on a connected socket). */
static void run_sendmsg_info(int kind, int ik) {
  bsdsock_msghdr_t msg;
  bsdsock_iovec_t iov;
  bsdsock_msginfo_t info;
  bsdsock_addr_t a;
  fx_t f;
  long long n;
  d_begin("sendmsg", kind);
  d_add(" msg=[name=%s info=%s]", targets[kind].conn ? "NULL" : "peer",
        info_names[ik]);
  if (!fx_open(&f, kind, 1)) return;
  memset(&msg, 0, sizeof(msg));
  iov.base = sbuf;
  iov.len = 5;
  msg.iov = &iov;
  msg.iovlen = 1;
  if (!targets[kind].conn && make_addr(A_PEER, &f, &a) != NULL) msg.name = &a;
  make_info(ik, &f, &info);
  msg.info = &info;
  n = bsdsock_sendmsg(f.fd, &msg, 0);
  outcome(&f, n, RK_COUNT, NULL);
  fx_close(&f);
}

/* recvmsg with ancillary data and no option on: nothing to report. */
static void run_recvmsg_info(int kind) {
  bsdsock_msghdr_t msg;
  bsdsock_iovec_t iov;
  bsdsock_msginfo_t info;
  char extra[64];
  fx_t f;
  long long n;
  d_begin("recvmsg", kind);
  d_add(" msg=[name=NULL info=ok]");
  if (!fx_open(&f, kind, 0)) return;
  memset(&msg, 0, sizeof(msg));
  memset(&info, 0x5a, sizeof(info));
  iov.base = rbuf;
  iov.len = 8;
  msg.iov = &iov;
  msg.iovlen = 1;
  msg.info = &info;
  n = bsdsock_recvmsg(f.fd, &msg, 0);
  extra[0] = '\0';
  if (n >= 0)
    snprintf(extra, sizeof(extra), " flags=%s valid=%#x",
             msgflags_name(msg.flags), info.valid);
  outcome(&f, n, RK_COUNT, extra);
  fx_close(&f);
}

static void test_msginfo_calls(void **state) {
  int probe = test_begin(), k, ik;
  (void)state;
  (void)loopback_index(); /* the list made once, outside the cases */
  for (k = 0; k < T_COUNT; k++)
    for (ik = 0; ik < I_N; ik++) run_sendmsg_info(k, ik);
  for (k = 0; k < T_COUNT; k++) run_recvmsg_info(k);
  test_end(probe);
}

/* ---- calls without a descriptor: pairs, interfaces, the host name ------- */

/* Prints a case whose success has no portable value (names and lengths
 * differ by OS): "ok" plus extra, or the error. */
static void misc_outcome(long long r, const char *extra) {
  fx_t none;
  memset(&none, 0, sizeof(none));
  none.kind = T_TCP_FRESH;
  outcome(&none, r < 0 ? r : 0, RK_STATUS, extra);
}

static const struct {
  int family, type, protocol, null_sv;
  const char *text;
} pair_rows[] = {
    {BSDSOCK_AF_UNSPEC, BSDSOCK_SOCK_STREAM, 0, 0, "family=UNSPEC type=STREAM"},
    {BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0, 0, "family=INET type=STREAM"},
    {BSDSOCK_AF_INET6, BSDSOCK_SOCK_STREAM, 0, 0, "family=INET6 type=STREAM"},
    {BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM | BSDSOCK_SOCK_NONBLOCK, 0, 0,
     "family=INET type=STREAM|NONBLOCK"},
    {BSDSOCK_AF_UNSPEC, BSDSOCK_SOCK_STREAM | BSDSOCK_SOCK_NONBLOCK, 0, 0,
     "family=UNSPEC type=STREAM|NONBLOCK"},
    {BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0, 0, "family=INET type=DGRAM"},
    {BSDSOCK_AF_INET6, BSDSOCK_SOCK_DGRAM, 0, 0, "family=INET6 type=DGRAM"},
    {77, BSDSOCK_SOCK_STREAM, 0, 0, "family=77 type=STREAM"},
    {BSDSOCK_AF_INET, 99, 0, 0, "family=INET type=99"},
    {BSDSOCK_AF_UNSPEC, 99, 0, 0, "family=UNSPEC type=99"},
    {BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, BSDSOCK_IPPROTO_TCP, 0,
     "family=INET type=STREAM protocol=TCP"},
    {BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 200, 0,
     "family=INET type=STREAM protocol=200"},
    {BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0, 1,
     "family=INET type=STREAM sv=NULL"},
    {77, 99, 200, 1, "family=77 type=99 protocol=200 sv=NULL"},
    {BSDSOCK_AF_INET, 99, 200, 1, "family=INET type=99 protocol=200 sv=NULL"},
};

static void run_socketpair(size_t i) {
  int sv[2] = {-7777, -7777}, rc;
  char extra[64];
  desc_len = 0;
  d_add("socketpair %s", pair_rows[i].text);
  if (pair_rows[i].family == BSDSOCK_AF_INET6 && !h_have_ipv6()) {
    emit("skipped (no IPv6 loopback)");
    return;
  }
  rc = bsdsock_socketpair(pair_rows[i].family, pair_rows[i].type,
                          pair_rows[i].protocol,
                          pair_rows[i].null_sv ? NULL : sv);
  extra[0] = '\0';
  if (rc == 0) {
    snprintf(extra, sizeof(extra), " nonblocking=%d,%d",
             bsdsock_get_nonblocking(sv[0]), bsdsock_get_nonblocking(sv[1]));
    H_OK(bsdsock_close(sv[0]));
    H_OK(bsdsock_close(sv[1]));
  } else if (sv[0] != -7777 || sv[1] != -7777) {
    violation(desc, "a failed socketpair wrote sv");
  }
  misc_outcome(rc, extra);
}

static void run_interfaces(int null_list, int null_count) {
  bsdsock_interface_t *list = (bsdsock_interface_t *)&list;
  size_t n = 7777, i;
  char extra[64];
  int rc, lo = 0;
  desc_len = 0;
  d_add("interfaces list=%s count=%s", null_list ? "NULL" : "ok",
        null_count ? "NULL" : "ok");
  rc = bsdsock_interfaces(null_list ? NULL : &list, null_count ? NULL : &n);
  extra[0] = '\0';
  if (rc == 0) {
    for (i = 0; i < n; i++)
      if (list[i].addr.family == BSDSOCK_AF_INET &&
          list[i].addr.u.ip4[0] == 127 && list[i].index >= 1 &&
          (list[i].flags & BSDSOCK_IFF_LOOPBACK))
        lo = 1;
    bsdsock_free_interfaces(list);
    snprintf(extra, sizeof(extra), " loopback=%s", lo ? "listed" : "missing");
  } else if (!null_list && !null_count) {
    snprintf(extra, sizeof(extra), " list=%s count=%zu",
             list == NULL ? "NULL" : "set", n);
  }
  misc_outcome(rc, extra);
}

static void test_misc_calls(void **state) {
  static const char *const names[] = {NULL, "", "bsdsock-no-such-if",
                                      "loopback"};
  char lo_name[BSDSOCK_IF_NAMESIZE], buf[BSDSOCK_IF_NAMESIZE];
  unsigned lo = loopback_index(), idx;
  int probe = test_begin(), rc;
  size_t i;
  (void)state;
  for (i = 0; i < NROWS(pair_rows); i++) run_socketpair(i);
  run_interfaces(0, 0);
  run_interfaces(1, 0);
  run_interfaces(0, 1);
  run_interfaces(1, 1);
  assert_true(lo >= 1);
  H_OK(bsdsock_if_indextoname(lo, lo_name, sizeof(lo_name)));
  for (i = 0; i < NROWS(names); i++) {
    desc_len = 0;
    d_add("if_nametoindex name=%s", names[i] ? names[i] : "NULL");
    idx = bsdsock_if_nametoindex(i == 3 ? lo_name : names[i]);
    emit(idx == 0 ? "0" : idx == lo ? "the loopback's index" : "another");
  }
  {
    static const struct {
      int which; /* 0: the loopback, 1: 0, 2: a big index */
      int null_buf;
      size_t size; /* (size_t)-1: exactly the name and its NUL */
      const char *text;
    } rows[] = {
        {0, 0, sizeof(buf), "index=loopback size=ok"},
        {0, 0, (size_t)-1, "index=loopback size=exact"},
        {0, 0, (size_t)-2, "index=loopback size=exact-1"},
        {0, 0, 0, "index=loopback size=0"},
        {0, 1, sizeof(buf), "index=loopback buf=NULL"},
        {1, 0, sizeof(buf), "index=0"},
        {2, 0, sizeof(buf), "index=0x7ffffff0"},
        {1, 1, 0, "index=0 buf=NULL size=0"},
    };
    for (i = 0; i < NROWS(rows); i++) {
      unsigned index = rows[i].which == 0 ? lo : rows[i].which == 1 ? 0u
                                                                   : 0x7ffffff0u;
      size_t size = rows[i].size;
      char extra[64];
      if (size == (size_t)-1) size = strlen(lo_name) + 1;
      if (size == (size_t)-2) size = strlen(lo_name);
      memset(buf, 'x', sizeof(buf));
      desc_len = 0;
      d_add("if_indextoname %s", rows[i].text);
      rc = bsdsock_if_indextoname(index, rows[i].null_buf ? NULL : buf, size);
      snprintf(extra, sizeof(extra), " %s",
               rc >= 0 ? (strcmp(buf, lo_name) == 0 ? "name=the loopback's"
                                                    : "name=another")
                       : (buf[0] == 'x' ? "buf=untouched" : "buf=written"));
      misc_outcome(rc, extra);
    }
  }
  {
    char host[BSDSOCK_HOST_NAME_MAX];
    static const struct {
      int null_buf;
      size_t size; /* (size_t)-1: exact, -2: one short */
      const char *text;
    } rows[] = {
        {0, sizeof(host), "size=ok"},   {0, (size_t)-1, "size=exact"},
        {0, (size_t)-2, "size=exact-1"}, {0, 0, "size=0"},
        {0, 1, "size=1"},               {1, sizeof(host), "buf=NULL"},
        {1, 0, "buf=NULL size=0"},
    };
    size_t hlen;
    H_OK(bsdsock_gethostname(host, sizeof(host)));
    hlen = strlen(host);
    for (i = 0; i < NROWS(rows); i++) {
      char got[BSDSOCK_HOST_NAME_MAX], extra[64];
      size_t size = rows[i].size;
      if (size == (size_t)-1) size = hlen + 1;
      if (size == (size_t)-2) size = hlen;
      memset(got, 'x', sizeof(got));
      desc_len = 0;
      d_add("gethostname %s", rows[i].text);
      rc = bsdsock_gethostname(rows[i].null_buf ? NULL : got, size);
      snprintf(extra, sizeof(extra), " %s",
               rc >= 0 ? ((size_t)rc == hlen && strcmp(got, host) == 0
                              ? "name=the host's"
                              : "name=another")
                       : (got[0] == 'x' ? "buf=untouched" : "buf=written"));
      misc_outcome(rc, extra);
    }
  }
  /* The interface watch's argument checks: a real watch is not needed
   * (Wine cannot make one, quirk Q66), what is refused is the same. */
  {
    static const int open_flags[] = {1, -1, 0x10000};
    static const char *const fd_kinds[] = {"-1", "closed", "tcp-socket",
                                           "poller"};
    bsdsock_ifevent_t ev[2];
    int tcp = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
    int poller = bsdsock_poller_create(), closed;
    size_t k;
    H_OK(tcp);
    H_OK(poller);
    closed = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0);
    H_OK(closed);
    H_OK(bsdsock_close(closed));
    for (i = 0; i < NROWS(open_flags); i++) {
      desc_len = 0;
      d_add("ifwatch_open flags=%#x", (unsigned)open_flags[i]);
      misc_outcome(bsdsock_ifwatch_open(open_flags[i]), NULL);
    }
    for (i = 0; i < NROWS(fd_kinds); i++)
      for (k = 0; k < 3; k++) {
        int fd = i == 0 ? -1 : i == 1 ? closed : i == 2 ? tcp : poller;
        desc_len = 0;
        d_add("ifwatch_read fd=%s %s", fd_kinds[i],
              k == 0 ? "ev n=2" : k == 1 ? "ev=NULL n=2" : "ev n=0");
        misc_outcome(bsdsock_ifwatch_read(fd, k == 1 ? NULL : ev,
                                          k == 2 ? 0 : 2),
                     NULL);
      }
    H_OK(bsdsock_poller_close(poller));
    H_OK(bsdsock_close(tcp));
  }
  test_end(probe);
}

/* ---- lifecycle calls ----------------------------------------------------- */

static const int bind_addrs[] = {A_NULL,  A_LOOP0, A_PEER,
                                 A_FAM77, A_OTHER, A_UNSPEC};
static const int connect_addrs[] = {A_NULL, A_PEER, A_FAM77, A_OTHER, A_UNSPEC};
static const struct {
  int value;
  const char *name;
} backlogs[] = {{16, "16"}, {0, "0"}, {-1, "-1"}, {INT_MAX, "INT_MAX"}},
  hows[] = {{BSDSOCK_SHUT_RD, "RD"},
            {BSDSOCK_SHUT_WR, "WR"},
            {BSDSOCK_SHUT_RDWR, "RDWR"},
            {3, "3"},
            {-1, "-1"}},
  nb_modes[] = {{1, "1"}, {0, "0"}, {2, "2"}, {-1, "-1"}};

static void run_bind(int kind, int ak) {
  bsdsock_addr_t a;
  fx_t f;
  int rc;
  d_begin("bind", kind);
  /* "peer" here is an address in use (a live endpoint's). */
  d_add(" addr=%s", ak == A_PEER ? "in-use" : addr_names[ak]);
  if (!fx_open(&f, kind, 1)) return;
  rc = bsdsock_bind(f.fd, make_addr(ak, &f, &a));
  outcome(&f, rc, RK_STATUS, NULL);
  fx_close(&f);
}

static void run_connect(int kind, int ak) {
  bsdsock_addr_t a;
  fx_t f;
  int rc;
  d_begin("connect", kind);
  d_add(" addr=%s", addr_names[ak]);
  if (!fx_open(&f, kind, 1)) return;
  rc = bsdsock_connect(f.fd, make_addr(ak, &f, &a));
  outcome(&f, rc, RK_STATUS, NULL);
  fx_close(&f);
}

static void run_listen(int kind, int backlog, const char *name) {
  fx_t f;
  int rc;
  d_begin("listen", kind);
  d_add(" backlog=%s", name);
  if (!fx_open(&f, kind, 0)) return;
  rc = bsdsock_listen(f.fd, backlog);
  outcome(&f, rc, RK_STATUS, NULL);
  fx_close(&f);
}

static void run_accept(int kind, int with_peer) {
  bsdsock_addr_t a;
  char extra[200], text[160];
  fx_t f;
  int rc;
  d_begin("accept", kind);
  d_add(" peer=%s", with_peer ? "ok" : "NULL");
  if (!fx_open(&f, kind, 0)) return;
  untouched(&a);
  rc = bsdsock_accept(f.fd, with_peer ? &a : NULL);
  extra[0] = '\0';
  if (rc >= 0) {
    if (with_peer) {
      fmt_addr(text, sizeof(text), &a);
      snprintf(extra, sizeof(extra), " peer=%s", text);
    }
    H_OK(bsdsock_close(rc));
  }
  outcome(&f, rc, RK_FD, extra);
  fx_close(&f);
}

static void run_shutdown(int kind, int how, const char *name) {
  fx_t f;
  int rc;
  d_begin("shutdown", kind);
  d_add(" how=%s", name);
  if (!fx_open(&f, kind, 0)) return;
  rc = bsdsock_shutdown(f.fd, how);
  outcome(&f, rc, RK_STATUS, NULL);
  fx_close(&f);
}

static void run_close(int kind) {
  fx_t f;
  int rc;
  d_begin("close", kind);
  if (!fx_open(&f, kind, 0)) return;
  rc = bsdsock_close(f.fd);
  if (rc == 0) f.open = 0;
  outcome(&f, rc, RK_STATUS, NULL);
  fx_close(&f);
}

static void run_name(int kind, int peer, int with_addr) {
  bsdsock_addr_t a;
  char extra[200], text[160];
  fx_t f;
  int rc;
  d_begin(peer ? "getpeername" : "getsockname", kind);
  d_add(" addr=%s", with_addr ? "ok" : "NULL");
  if (!fx_open(&f, kind, 0)) return;
  untouched(&a);
  rc = peer ? bsdsock_getpeername(f.fd, with_addr ? &a : NULL)
            : bsdsock_getsockname(f.fd, with_addr ? &a : NULL);
  extra[0] = '\0';
  if (rc == 0 && with_addr) {
    fmt_addr(text, sizeof(text), &a);
    snprintf(extra, sizeof(extra), " addr=%s", text);
  }
  outcome(&f, rc, RK_STATUS, extra);
  fx_close(&f);
}

static void run_set_nonblocking(int kind, int on, const char *name) {
  fx_t f;
  int rc;
  d_begin("set_nonblocking", kind);
  d_add(" on=%s", name);
  if (!fx_open(&f, kind, 0)) return;
  rc = bsdsock_set_nonblocking(f.fd, on);
  /* Switching it back keeps check_usable's expectation. */
  if (rc == 0 && f.open) H_OK(bsdsock_set_nonblocking(f.fd, 1));
  outcome(&f, rc, RK_STATUS, NULL);
  fx_close(&f);
}

static void run_get_nonblocking(int kind) {
  fx_t f;
  int rc;
  d_begin("get_nonblocking", kind);
  if (!fx_open(&f, kind, 0)) return;
  rc = bsdsock_get_nonblocking(f.fd);
  outcome(&f, rc, RK_VALUE, NULL);
  fx_close(&f);
}

static void run_native_handle(int kind) {
  bsdsock_os_sock_t h;
  fx_t f;
  d_begin("native_handle", kind);
  if (!fx_open(&f, kind, 0)) return;
  h = bsdsock_native_handle(f.fd);
  emit(h == BSDSOCK_OS_SOCK_INVALID ? "invalid" : "valid");
  invariant_native_invalid(&f, h);
  if (!targets[kind].bad && h == BSDSOCK_OS_SOCK_INVALID)
    violation("invalid", "an open socket has no native handle");
  fx_close(&f);
}

/* socket() takes no descriptor: garbage families, types and protocols. */
static const struct {
  int family, type, protocol;
  const char *text;
} socket_rows[] = {
    {BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0,
     "family=INET type=STREAM protocol=0"},
    {BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, BSDSOCK_IPPROTO_UDP,
     "family=INET type=DGRAM protocol=UDP"},
    {BSDSOCK_AF_INET,
     BSDSOCK_SOCK_STREAM | BSDSOCK_SOCK_NONBLOCK | BSDSOCK_SOCK_CLOEXEC,
     BSDSOCK_IPPROTO_TCP,
     "family=INET type=STREAM|NONBLOCK|CLOEXEC protocol=TCP"},
    {77, BSDSOCK_SOCK_STREAM, 0, "family=77 type=STREAM protocol=0"},
    {-1, BSDSOCK_SOCK_STREAM, 0, "family=-1 type=STREAM protocol=0"},
    {BSDSOCK_AF_UNSPEC, BSDSOCK_SOCK_STREAM, 0,
     "family=UNSPEC type=STREAM protocol=0"},
    {10, BSDSOCK_SOCK_STREAM, 0, "family=10 type=STREAM protocol=0"},
    {23, BSDSOCK_SOCK_STREAM, 0, "family=23 type=STREAM protocol=0"},
    {BSDSOCK_AF_INET, 0, 0, "family=INET type=0 protocol=0"},
    {BSDSOCK_AF_INET, 99, 0, "family=INET type=99 protocol=0"},
    {BSDSOCK_AF_INET, BSDSOCK_SOCK_SEQPACKET, 0,
     "family=INET type=SEQPACKET protocol=0"},
    {BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM | BADFLAG, 0,
     "family=INET type=STREAM|0x40000000 protocol=0"},
    {BSDSOCK_AF_INET, -1, 0, "family=INET type=-1 protocol=0"},
    {BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 200,
     "family=INET type=STREAM protocol=200"},
    {BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, -1,
     "family=INET type=STREAM protocol=-1"},
    {BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, BSDSOCK_IPPROTO_UDP,
     "family=INET type=STREAM protocol=UDP"},
    {BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, BSDSOCK_IPPROTO_TCP,
     "family=INET type=DGRAM protocol=TCP"},
    {BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, BSDSOCK_IPPROTO_ICMP,
     "family=INET type=STREAM protocol=ICMP"},
    {BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, BSDSOCK_IPPROTO_IPV6,
     "family=INET type=STREAM protocol=IPV6"},
    {BSDSOCK_AF_INET6, BSDSOCK_SOCK_DGRAM, BSDSOCK_IPPROTO_TCP,
     "family=INET6 type=DGRAM protocol=TCP"},
    {77, 99, 200, "family=77 type=99 protocol=200"},
    {BSDSOCK_AF_INET, 99, 200, "family=INET type=99 protocol=200"},
};

static void test_lifecycle_calls(void **state) {
  int probe = test_begin(), k;
  size_t i;
  fx_t none;
  (void)state;
  memset(&none, 0, sizeof(none));
  none.kind = T_TCP_FRESH;
  for (i = 0; i < NROWS(socket_rows); i++) {
    int fd;
    desc_len = 0;
    d_add("socket %s", socket_rows[i].text);
    fd = bsdsock_socket(socket_rows[i].family, socket_rows[i].type,
                        socket_rows[i].protocol);
    if (fd >= 0) H_OK(bsdsock_close(fd));
    outcome(&none, fd, RK_FD, NULL);
  }
  for (k = 0; k < T_COUNT; k++)
    for (i = 0; i < NROWS(bind_addrs); i++) run_bind(k, bind_addrs[i]);
  for (k = 0; k < T_COUNT; k++)
    for (i = 0; i < NROWS(backlogs); i++)
      run_listen(k, backlogs[i].value, backlogs[i].name);
  for (k = 0; k < T_COUNT; k++) {
    run_accept(k, 1);
    run_accept(k, 0);
  }
  for (k = 0; k < T_COUNT; k++)
    for (i = 0; i < NROWS(connect_addrs); i++) run_connect(k, connect_addrs[i]);
  for (k = 0; k < T_COUNT; k++)
    for (i = 0; i < NROWS(hows); i++)
      run_shutdown(k, hows[i].value, hows[i].name);
  for (k = 0; k < T_COUNT; k++) run_close(k);
  for (k = 0; k < T_COUNT; k++) {
    run_name(k, 0, 1);
    run_name(k, 0, 0);
  }
  for (k = 0; k < T_COUNT; k++) {
    run_name(k, 1, 1);
    run_name(k, 1, 0);
  }
  for (k = 0; k < T_COUNT; k++)
    for (i = 0; i < NROWS(nb_modes); i++)
      run_set_nonblocking(k, nb_modes[i].value, nb_modes[i].name);
  for (k = 0; k < T_COUNT; k++) run_get_nonblocking(k);
  for (k = 0; k < T_COUNT; k++) run_native_handle(k);
  test_end(probe);
}

/* ---- socket options ------------------------------------------------------ */

union optval {
  int i;
  bsdsock_timeval_t tv;
  bsdsock_linger_t lg;
  bsdsock_ip_mreq_t mr;
  char raw[64];
};

struct opt {
  const char *name;
  int level, optname;
  size_t size;
  int print;   /* the value read is the same everywhere: print it */
  int has_bad; /* a value of the right size that is out of range */
};

static const struct opt opts[] = {
    {"SOL_SOCKET/SO_REUSEADDR", BSDSOCK_SOL_SOCKET, BSDSOCK_SO_REUSEADDR,
     sizeof(int), 1, 0},
    {"SOL_SOCKET/SO_KEEPALIVE", BSDSOCK_SOL_SOCKET, BSDSOCK_SO_KEEPALIVE,
     sizeof(int), 1, 0},
    {"SOL_SOCKET/SO_RCVTIMEO", BSDSOCK_SOL_SOCKET, BSDSOCK_SO_RCVTIMEO,
     sizeof(bsdsock_timeval_t), 0, 1},
    {"SOL_SOCKET/SO_LINGER", BSDSOCK_SOL_SOCKET, BSDSOCK_SO_LINGER,
     sizeof(bsdsock_linger_t), 1, 1},
    {"SOL_SOCKET/SO_ERROR", BSDSOCK_SOL_SOCKET, BSDSOCK_SO_ERROR, sizeof(int),
     1, 0},
    {"SOL_SOCKET/SO_TYPE", BSDSOCK_SOL_SOCKET, BSDSOCK_SO_TYPE, sizeof(int), 1,
     0},
    {"SOL_SOCKET/SO_SNDBUF", BSDSOCK_SOL_SOCKET, BSDSOCK_SO_SNDBUF, sizeof(int),
     0, 1},
    {"IPPROTO_TCP/TCP_NODELAY", BSDSOCK_IPPROTO_TCP, BSDSOCK_TCP_NODELAY,
     sizeof(int), 1, 0},
    {"IPPROTO_IP/IP_TTL", BSDSOCK_IPPROTO_IP, BSDSOCK_IP_TTL, sizeof(int), 0,
     1},
    {"IPPROTO_IP/IP_ADD_MEMBERSHIP", BSDSOCK_IPPROTO_IP,
     BSDSOCK_IP_ADD_MEMBERSHIP, sizeof(bsdsock_ip_mreq_t), 0, 1},
    {"IPPROTO_IPV6/IPV6_V6ONLY", BSDSOCK_IPPROTO_IPV6, BSDSOCK_IPV6_V6ONLY,
     sizeof(int), 1, 0},
    {"level=0x7777/1", BADLEVEL, 1, sizeof(int), 0, 0},
    {"SOL_SOCKET/name=0x7777", BSDSOCK_SOL_SOCKET, BADNAME, sizeof(int), 0, 0},
};

/* A value to set: good, or (bad) out of range but of the right size. */
static void opt_value(const struct opt *o, int bad, union optval *v) {
  memset(v, 0, sizeof(*v));
  v->i = 1;
  if (o->level == BSDSOCK_SOL_SOCKET && o->optname == BSDSOCK_SO_RCVTIMEO) {
    v->tv.sec = 0;
    v->tv.usec = bad ? 1000000 : 200000;
  } else if (o->level == BSDSOCK_SOL_SOCKET &&
             o->optname == BSDSOCK_SO_LINGER) {
    v->lg.onoff = 1;
    v->lg.seconds = bad ? -1 : 0; /* 0: closing never waits */
  } else if (o->level == BSDSOCK_SOL_SOCKET &&
             o->optname == BSDSOCK_SO_SNDBUF) {
    v->i = bad ? -1 : 32768;
  } else if (o->level == BSDSOCK_IPPROTO_IP && o->optname == BSDSOCK_IP_TTL) {
    v->i = bad ? 256 : 32;
  } else if (o->level == BSDSOCK_IPPROTO_IP &&
             o->optname == BSDSOCK_IP_ADD_MEMBERSHIP) {
    /* Group 239.255.77.77 on the loopback interface only; bad: 127.0.0.1
     * is no multicast group. */
    static const uint8_t group[4] = {239, 255, 77, 77}, lo[4] = {127, 0, 0, 1};
    memcpy(v->mr.multiaddr, bad ? lo : group, 4);
    memcpy(v->mr.ifaddr, lo, 4);
  }
}

static void opt_value_text(char *buf, size_t size, const struct opt *o,
                           const union optval *v, size_t len) {
  if (!o->print)
    buf[0] = '\0';
  else if (o->optname == BSDSOCK_SO_LINGER && o->level == BSDSOCK_SOL_SOCKET)
    snprintf(buf, size, " val=%d,%d", v->lg.onoff, v->lg.seconds);
  else if (o->optname == BSDSOCK_SO_ERROR && o->level == BSDSOCK_SOL_SOCKET)
    snprintf(buf, size, " val=%s", v->i == 0 ? "0" : bsdsock_err_name(v->i));
  else if (len >= sizeof(int))
    snprintf(buf, size, " val=%d", v->i);
  else
    buf[0] = '\0';
}

enum { SET_GOOD, SET_BAD, SET_NULL, SET_SHORT, SET_LONG, SET_ZERO, SET_N };
enum { GET_GOOD, GET_NULL, GET_LEN_NULL, GET_SHORT, GET_LONG, GET_ZERO, GET_N };

static void run_setsockopt(int kind, const struct opt *o, int variant) {
  union optval v;
  size_t len = o->size;
  const void *vp = &v;
  const char *what;
  fx_t f;
  int rc;
  d_begin("setsockopt", kind);
  switch (variant) {
    case SET_NULL:
      vp = NULL;
      break;
    case SET_SHORT:
      len = o->size - 1;
      break;
    case SET_LONG:
      len = o->size + 4;
      break;
    case SET_ZERO:
      len = 0;
      break;
    default:
      break;
  }
  what = variant == SET_BAD ? "bad" : "good";
  d_add(" opt=%s value=%s len=%d", o->name, vp == NULL ? "NULL" : what,
        (int)len);
  if (!fx_open(&f, kind, 0)) return;
  opt_value(o, variant == SET_BAD, &v);
  rc = bsdsock_setsockopt(f.fd, o->level, o->optname, vp, len);
  outcome(&f, rc, RK_STATUS, NULL);
  fx_close(&f);
}

static void run_getsockopt(int kind, const struct opt *o, int variant) {
  union optval v;
  size_t len = o->size, *lp = &len;
  void *vp = &v;
  char extra[96], vtext[48];
  fx_t f;
  int rc;
  d_begin("getsockopt", kind);
  switch (variant) {
    case GET_NULL:
      vp = NULL;
      break;
    case GET_LEN_NULL:
      lp = NULL;
      break;
    case GET_SHORT:
      len = o->size - 1;
      break;
    case GET_LONG:
      len = o->size + 4;
      break;
    case GET_ZERO:
      len = 0;
      break;
    default:
      break;
  }
  if (lp == NULL)
    d_add(" opt=%s value=ok len=NULL", o->name);
  else
    d_add(" opt=%s value=%s len=%d", o->name, vp == NULL ? "NULL" : "ok",
          (int)len);
  if (!fx_open(&f, kind, 0)) return;
  memset(&v, 0x5A, sizeof(v));
  rc = bsdsock_getsockopt(f.fd, o->level, o->optname, vp, lp);
  extra[0] = '\0';
  if (rc == 0) {
    opt_value_text(vtext, sizeof(vtext), o, &v, len);
    snprintf(extra, sizeof(extra), " len=%d%s", (int)len, vtext);
  }
  outcome(&f, rc, RK_STATUS, extra);
  fx_close(&f);
}

static void test_sockopt_calls(void **state) {
  int probe = test_begin(), k, v;
  size_t i;
  (void)state;
  for (k = 0; k < T_COUNT; k++) {
    if (!targets[k].sockopt) continue;
    for (i = 0; i < NROWS(opts); i++)
      for (v = 0; v < SET_N; v++)
        if (v != SET_BAD || opts[i].has_bad) run_setsockopt(k, &opts[i], v);
  }
  for (k = 0; k < T_COUNT; k++) {
    if (!targets[k].sockopt) continue;
    for (i = 0; i < NROWS(opts); i++)
      for (v = 0; v < GET_N; v++) run_getsockopt(k, &opts[i], v);
  }
  test_end(probe);
}

/* ---- several bad arguments at once: the precedence order ----------------- */

enum {
  P_SEND,          /* send buf=NULL len=5 flags=0x40000000 */
  P_SEND_TRUNC,    /* send buf=NULL len=5 flags=TRUNC */
  P_RECV,          /* recv buf=NULL len=8 flags=0x40000000 */
  P_SENDTO,        /* sendto buf=NULL flags=0x40000000 addr=family77 */
  P_SENDTO_NOFL,   /* sendto buf=NULL flags=0 addr=family77 */
  P_SENDTO_OTHER,  /* sendto flags=0x40000000 addr=other-family */
  P_RECVFROM,      /* recvfrom buf=NULL flags=0x40000000 from=NULL */
  P_SENDMSG,       /* sendmsg msg=NULL flags=0x40000000 */
  P_SENDMSG_NAME,  /* sendmsg name=family77 iov=NULL/1 */
  P_RECVMSG,       /* recvmsg iov=NULL iovlen=1025 flags=0x40000000 */
  P_SENDMMSG,      /* sendmmsg msgs=NULL n=1 flags=0x40000000 */
  P_RECVMMSG,      /* recvmmsg msgs=NULL n=1 flags=0x40000000 */
  P_SETOPT_LEVEL,  /* setsockopt level=0x7777 value=NULL len=0 */
  P_SETOPT_RO,     /* setsockopt SO_TYPE value=NULL len=0 */
  P_SETOPT_LINGER, /* setsockopt SO_LINGER value=bad len=3 */
  P_GETOPT_LEVEL,  /* getsockopt level=0x7777 value=NULL len=NULL */
  P_GETOPT_WO,     /* getsockopt IP_ADD_MEMBERSHIP len=3 */
  P_GETOPT_TYPE,   /* getsockopt SO_TYPE value=NULL len=NULL */
  P_N
};

static void run_precedence(int kind, int p) {
  bsdsock_msghdr_t msg;
  bsdsock_addr_t a;
  union optval v;
  size_t len = 0;
  fx_t f;
  long long r = 0;
  int rk = RK_COUNT, deferred = -7777, with_deferred = 0;
  char dtext[48];
  switch (p) {
    case P_SEND:
      d_begin("send", kind);
      d_add(" buf=NULL len=5 flags=0x40000000");
      break;
    case P_SEND_TRUNC:
      d_begin("send", kind);
      d_add(" buf=NULL len=5 flags=TRUNC");
      break;
    case P_RECV:
      d_begin("recv", kind);
      d_add(" buf=NULL len=8 flags=0x40000000");
      break;
    case P_SENDTO:
      d_begin("sendto", kind);
      d_add(" buf=NULL len=5 flags=0x40000000 addr=family77");
      break;
    case P_SENDTO_NOFL:
      d_begin("sendto", kind);
      d_add(" buf=NULL len=5 flags=0 addr=family77");
      break;
    case P_SENDTO_OTHER:
      d_begin("sendto", kind);
      d_add(" buf=ok len=5 flags=0x40000000 addr=other-family");
      break;
    case P_RECVFROM:
      d_begin("recvfrom", kind);
      d_add(" buf=NULL len=8 flags=0x40000000 from=NULL");
      break;
    case P_SENDMSG:
      d_begin("sendmsg", kind);
      d_add(" msg=NULL flags=0x40000000");
      break;
    case P_SENDMSG_NAME:
      d_begin("sendmsg", kind);
      d_add(" msg=[name=family77 iov=NULL/1] flags=0");
      break;
    case P_RECVMSG:
      d_begin("recvmsg", kind);
      d_add(" msg=[name=NULL iov=NULL/1025] flags=0x40000000");
      break;
    case P_SENDMMSG:
      d_begin("sendmmsg", kind);
      d_add(" msgs=NULL n=1 flags=0x40000000 deferred=ok");
      break;
    case P_RECVMMSG:
      d_begin("recvmmsg", kind);
      d_add(" msgs=NULL n=1 flags=0x40000000 deferred=ok");
      break;
    case P_SETOPT_LEVEL:
      d_begin("setsockopt", kind);
      d_add(" opt=level=0x7777/name=0x7777 value=NULL len=0");
      break;
    case P_SETOPT_RO:
      d_begin("setsockopt", kind);
      d_add(" opt=SOL_SOCKET/SO_TYPE value=NULL len=0");
      break;
    case P_SETOPT_LINGER:
      d_begin("setsockopt", kind);
      d_add(" opt=SOL_SOCKET/SO_LINGER value=bad len=3");
      break;
    case P_GETOPT_LEVEL:
      d_begin("getsockopt", kind);
      d_add(" opt=level=0x7777/1 value=NULL len=NULL");
      break;
    case P_GETOPT_WO:
      d_begin("getsockopt", kind);
      d_add(" opt=IPPROTO_IP/IP_ADD_MEMBERSHIP value=ok len=3");
      break;
    case P_GETOPT_TYPE:
      d_begin("getsockopt", kind);
      d_add(" opt=SOL_SOCKET/SO_TYPE value=NULL len=NULL");
      break;
    default:
      fail_msg("precedence row %d", p);
  }
  d_add(" [precedence]");
  if (!fx_open(&f, kind, 1)) return;
  memset(&msg, 0, sizeof(msg));
  memset(&v, 0, sizeof(v));
  switch (p) {
    case P_SEND:
      r = bsdsock_send(f.fd, NULL, 5, BADFLAG);
      break;
    case P_SEND_TRUNC:
      r = bsdsock_send(f.fd, NULL, 5, BSDSOCK_MSG_TRUNC);
      break;
    case P_RECV:
      r = bsdsock_recv(f.fd, NULL, 8, BADFLAG);
      break;
    case P_SENDTO:
      r = bsdsock_sendto(f.fd, NULL, 5, BADFLAG, make_addr(A_FAM77, &f, &a));
      break;
    case P_SENDTO_NOFL:
      r = bsdsock_sendto(f.fd, NULL, 5, 0, make_addr(A_FAM77, &f, &a));
      break;
    case P_SENDTO_OTHER:
      r = bsdsock_sendto(f.fd, sbuf, 5, BADFLAG, make_addr(A_OTHER, &f, &a));
      break;
    case P_RECVFROM:
      r = bsdsock_recvfrom(f.fd, NULL, 8, BADFLAG, NULL);
      break;
    case P_SENDMSG:
      r = bsdsock_sendmsg(f.fd, NULL, BADFLAG);
      break;
    case P_SENDMSG_NAME:
      msg.name = make_addr(A_FAM77, &f, &a) != NULL ? &a : NULL;
      msg.iov = NULL;
      msg.iovlen = 1;
      r = bsdsock_sendmsg(f.fd, &msg, 0);
      break;
    case P_RECVMSG:
      msg.iov = NULL;
      msg.iovlen = BSDSOCK_IOV_MAX + 1;
      r = bsdsock_recvmsg(f.fd, &msg, BADFLAG);
      break;
    case P_SENDMMSG:
      r = bsdsock_sendmmsg(f.fd, NULL, 1, BADFLAG, &deferred);
      with_deferred = 1;
      break;
    case P_RECVMMSG:
      r = bsdsock_recvmmsg(f.fd, NULL, 1, BADFLAG, &deferred);
      with_deferred = 1;
      break;
    case P_SETOPT_LEVEL:
      r = bsdsock_setsockopt(f.fd, BADLEVEL, BADNAME, NULL, 0);
      rk = RK_STATUS;
      break;
    case P_SETOPT_RO:
      r = bsdsock_setsockopt(f.fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_TYPE, NULL,
                             0);
      rk = RK_STATUS;
      break;
    case P_SETOPT_LINGER:
      v.lg.onoff = 1;
      v.lg.seconds = -1;
      r = bsdsock_setsockopt(f.fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_LINGER, &v,
                             3);
      rk = RK_STATUS;
      break;
    case P_GETOPT_LEVEL:
      r = bsdsock_getsockopt(f.fd, BADLEVEL, 1, NULL, NULL);
      rk = RK_STATUS;
      break;
    case P_GETOPT_WO:
      len = 3;
      r = bsdsock_getsockopt(f.fd, BSDSOCK_IPPROTO_IP,
                             BSDSOCK_IP_ADD_MEMBERSHIP, &v, &len);
      rk = RK_STATUS;
      break;
    case P_GETOPT_TYPE:
      r = bsdsock_getsockopt(f.fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_TYPE, NULL,
                             NULL);
      rk = RK_STATUS;
      break;
    default:
      break;
  }
  deferred_text(dtext, sizeof(dtext), with_deferred, deferred);
  outcome(&f, r, rk, dtext);
  fx_close(&f);
}

static void test_precedence(void **state) {
  int probe = test_begin(), k, p;
  (void)state;
  for (p = 0; p < P_N; p++)
    for (k = 0; k < T_COUNT; k++) run_precedence(k, p);
  test_end(probe);
}

/* ---- the poller ----------------------------------------------------------
 * bsdsock_poller_* on bad pollers (-1, INT_MIN, 99999, a closed poller, a
 * socket's number), with bad descriptors (the same, the poller itself,
 * another poller), event masks the poller refuses, NULL arrays and bad
 * counts, and the sequences with specific errors (double add, modify or
 * delete of an absent descriptor, a closed poller); socket calls on a
 * poller's number. BSDSOCK_POLLER_ET is left out: it is a documented
 * difference (EOPNOTSUPP where the backend cannot honour it, poller.h). */

enum { PK_NEG1, PK_INTMIN, PK_BIG, PK_CLOSED, PK_SOCKET, PK_OPEN, PK_COUNT };

static const char *const pk_names[PK_COUNT] = {
    "poller=-1", "poller=INT_MIN", "poller=99999",
    "poller=closed", "poller=socket", "poller=open"};

enum {
  DK_NEG1, DK_INTMIN, DK_BIG, DK_CLOSED, DK_TCP, DK_UDP, DK_LISTEN,
  DK_SELF, DK_POLLER2, DK_COUNT
};

static const char *const dk_names[DK_COUNT] = {
    "fd=-1",         "fd=INT_MIN",        "fd=99999",
    "fd=closed",     "fd=tcp-fresh",      "fd=udp-bound",
    "fd=tcp-listening", "fd=the-poller",  "fd=another-poller"};

static const struct {
  uint32_t events;
  const char *name;
} pmasks[] = {
    {0, "0"},
    {BSDSOCK_POLLIN, "IN"},
    {BSDSOCK_POLLOUT, "OUT"},
    {BSDSOCK_POLLIN | BSDSOCK_POLLOUT | BSDSOCK_POLLPRI | BSDSOCK_POLLRDHUP,
     "IN|OUT|PRI|RDHUP"},
    {BSDSOCK_POLLIN | BSDSOCK_POLLER_ONESHOT, "IN|ONESHOT"},
    {BSDSOCK_POLLERR | BSDSOCK_POLLHUP, "ERR|HUP"},
    {BSDSOCK_POLLNVAL, "NVAL"},
    {0x10000000u, "0x10000000"},
    {0x80000000u | BSDSOCK_POLLIN, "IN|0x80000000"},
};

/* One poller case's descriptors: what the call gets, and what to close. */
struct pfx {
  int poller, fd;
  int close[4];
  int nclose;
};

static int pfx_keep(struct pfx *x, int fd) {
  H_OK(fd);
  x->close[x->nclose++] = fd;
  return fd;
}

static void pfx_open(struct pfx *x, int pk, int dk) {
  int p;
  memset(x, 0, sizeof(*x));
  /* Closed numbers last: on POSIX a closed number is the lowest free one,
   * which anything opened after it would take. */
  switch (pk) {
    case PK_INTMIN: x->poller = INT_MIN; break;
    case PK_BIG: x->poller = 99999; break;
    default: x->poller = -1; break;
  }
  p = pfx_keep(x, bsdsock_poller_create());
  switch (dk) {
    case DK_NEG1: x->fd = -1; break;
    case DK_INTMIN: x->fd = INT_MIN; break;
    case DK_BIG: x->fd = 99999; break;
    case DK_CLOSED: break; /* below */
    case DK_TCP:
      x->fd = pfx_keep(x, nb_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM));
      break;
    case DK_UDP:
    case DK_LISTEN:
      x->fd = pfx_keep(x, nb_socket(BSDSOCK_AF_INET, dk == DK_UDP
                                                         ? BSDSOCK_SOCK_DGRAM
                                                         : BSDSOCK_SOCK_STREAM));
      bind_loopback(x->fd, BSDSOCK_AF_INET);
      if (dk == DK_LISTEN) H_OK(bsdsock_listen(x->fd, 4));
      break;
    case DK_SELF: x->fd = p; break;
    case DK_POLLER2: x->fd = pfx_keep(x, bsdsock_poller_create()); break;
  }
  switch (pk) {
    case PK_CLOSED:
      x->poller = bsdsock_poller_create();
      H_OK(x->poller);
      H_OK(bsdsock_poller_close(x->poller));
      break;
    case PK_SOCKET:
      x->poller = pfx_keep(x, nb_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM));
      break;
    case PK_OPEN:
      x->poller = p;
      break;
  }
  if (dk == DK_CLOSED) {
    x->fd = nb_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM);
    H_OK(bsdsock_close(x->fd));
  }
}

static void pfx_close(struct pfx *x) {
  while (x->nclose > 0) H_OK(bsdsock_close(x->close[--x->nclose]));
}

/* The fixture outcome() wants: a bad number (the EBADF-first invariant
 * applies) or an open one it must not check as a socket. */
static fx_t *pnone(int bad) {
  static fx_t f;
  memset(&f, 0, sizeof(f));
  f.kind = bad ? T_NEG1 : T_TCP_FRESH;
  return &f;
}

static int pk_bad(int pk) {
  return pk == PK_NEG1 || pk == PK_INTMIN || pk == PK_BIG || pk == PK_CLOSED;
}

static void run_poller_ctl(int op, int pk, int dk, size_t m) {
  static const char *const ops[] = {"poller_add", "poller_modify",
                                    "poller_delete"};
  struct pfx x;
  long long r;
  pfx_open(&x, pk, dk);
  desc_len = 0;
  d_add("%s %s %s", ops[op], pk_names[pk], dk_names[dk]);
  if (op == 0) {
    d_add(" events=%s", pmasks[m].name);
    r = bsdsock_poller_add(x.poller, x.fd, pmasks[m].events, 7);
  } else if (op == 1) {
    d_add(" events=%s", pmasks[m].name);
    r = bsdsock_poller_modify(x.poller, x.fd, pmasks[m].events, 7);
  } else {
    r = bsdsock_poller_delete(x.poller, x.fd);
  }
  outcome(pnone(pk_bad(pk)), r, RK_STATUS, NULL);
  pfx_close(&x);
}

static void run_poller_wait(int pk, int null_events, int max, int timeout) {
  bsdsock_poller_event_t ev[4];
  struct pfx x;
  long long r;
  pfx_open(&x, pk, DK_UDP);
  desc_len = 0;
  d_add("poller_wait %s events=%s max=%d timeout=%d", pk_names[pk],
        null_events ? "NULL" : "array", max, timeout);
  r = bsdsock_poller_wait(x.poller, null_events ? NULL : ev, max, timeout);
  outcome(pnone(pk_bad(pk)), r, RK_COUNT, NULL);
  pfx_close(&x);
}

static void run_poller_close(int pk) {
  struct pfx x;
  long long r;
  pfx_open(&x, pk, DK_NEG1);
  desc_len = 0;
  d_add("poller_close %s", pk_names[pk]);
  r = bsdsock_poller_close(x.poller);
  if (r == 0 && pk == PK_OPEN) {
    x.close[0] = x.close[--x.nclose]; /* closed now */
    outcome(pnone(0), r, RK_STATUS, NULL);
    d_add(" (again)");
    r = bsdsock_poller_close(x.poller);
    outcome(pnone(0), r, RK_STATUS, NULL);
  } else {
    outcome(pnone(pk_bad(pk)), r, RK_STATUS, NULL);
  }
  pfx_close(&x);
}

/* The sequences: each starts with an open poller and a UDP socket. */
enum {
  PS_ADD_TWICE, PS_MODIFY_ABSENT, PS_DELETE_ABSENT, PS_DELETE_TWICE,
  PS_MODIFY_AFTER_DELETE, PS_ADD_AFTER_DELETE, PS_CTL_CLOSED_SOCKET,
  PS_CTL_CLOSED_POLLER, PS_WAIT_CLOSED_POLLER, PS_COUNT
};

static void run_poller_seq(int seq) {
  static const char *const names[PS_COUNT] = {
      "add twice",          "modify absent",        "delete absent",
      "delete twice",       "modify after delete",  "add after delete",
      "modify/delete a closed socket that was added",
      "add to a closed poller", "wait on a closed poller"};
  bsdsock_poller_event_t ev[4];
  int p = bsdsock_poller_create(), s;
  long long r1 = 0, r2 = 0;
  char buf[128];
  H_OK(p);
  s = nb_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM);
  bind_loopback(s, BSDSOCK_AF_INET);
  desc_len = 0;
  d_add("poller_seq %s", names[seq]);
  switch (seq) {
    case PS_ADD_TWICE:
      r1 = bsdsock_poller_add(p, s, BSDSOCK_POLLIN, 1);
      r2 = bsdsock_poller_add(p, s, BSDSOCK_POLLOUT, 2);
      break;
    case PS_MODIFY_ABSENT:
      r2 = bsdsock_poller_modify(p, s, BSDSOCK_POLLIN, 1);
      break;
    case PS_DELETE_ABSENT:
      r2 = bsdsock_poller_delete(p, s);
      break;
    case PS_DELETE_TWICE:
      r1 = bsdsock_poller_add(p, s, BSDSOCK_POLLIN, 1);
      if (r1 == 0) r1 = bsdsock_poller_delete(p, s);
      r2 = bsdsock_poller_delete(p, s);
      break;
    case PS_MODIFY_AFTER_DELETE:
      r1 = bsdsock_poller_add(p, s, BSDSOCK_POLLIN, 1);
      if (r1 == 0) r1 = bsdsock_poller_delete(p, s);
      r2 = bsdsock_poller_modify(p, s, BSDSOCK_POLLOUT, 1);
      break;
    case PS_ADD_AFTER_DELETE:
      r1 = bsdsock_poller_add(p, s, BSDSOCK_POLLIN, 1);
      if (r1 == 0) r1 = bsdsock_poller_delete(p, s);
      r2 = bsdsock_poller_add(p, s, BSDSOCK_POLLOUT, 2);
      break;
    case PS_CTL_CLOSED_SOCKET:
      r1 = bsdsock_poller_add(p, s, BSDSOCK_POLLIN, 1);
      H_OK(bsdsock_close(s));
      r2 = bsdsock_poller_modify(p, s, BSDSOCK_POLLOUT, 1);
      snprintf(buf, sizeof(buf), " delete=%s",
               bsdsock_err_name(bsdsock_poller_delete(p, s)));
      s = -1;
      break;
    case PS_CTL_CLOSED_POLLER:
      H_OK(bsdsock_poller_close(p));
      r2 = bsdsock_poller_add(p, s, BSDSOCK_POLLIN, 1);
      p = -1;
      break;
    case PS_WAIT_CLOSED_POLLER:
      H_OK(bsdsock_poller_close(p));
      r2 = bsdsock_poller_wait(p, ev, 4, 0);
      p = -1;
      break;
  }
  d_add(" first=%s", r1 == 0 ? "ok" : bsdsock_err_name((int)r1));
  if (seq == PS_CTL_CLOSED_SOCKET) d_add("%s", buf);
  outcome(pnone(0), r2, RK_STATUS, NULL);
  if (s >= 0) H_OK(bsdsock_close(s));
  if (p >= 0) H_OK(bsdsock_poller_close(p));
}

/* Socket calls on a poller's number: it is no socket. */
static void run_socket_on_poller(int call) {
  static const char *const calls[] = {
      "bind", "listen", "accept", "connect", "shutdown", "getsockname",
      "getsockopt", "set_nonblocking", "get_nonblocking", "send", "recv",
      "native_handle", "poll", "select", "close"};
  bsdsock_addr_t a;
  char buf[8];
  size_t len = sizeof(int);
  int v = 0, p = bsdsock_poller_create();
  long long r = 0;
  H_OK(p);
  h_loopback(&a, BSDSOCK_AF_INET);
  desc_len = 0;
  d_add("%s fd=a-poller", calls[call]);
  switch (call) {
    case 0: r = bsdsock_bind(p, &a); break;
    case 1: r = bsdsock_listen(p, 4); break;
    case 2: r = bsdsock_accept(p, NULL); break;
    case 3: r = bsdsock_connect(p, &a); break;
    case 4: r = bsdsock_shutdown(p, BSDSOCK_SHUT_RDWR); break;
    case 5: r = bsdsock_getsockname(p, &a); break;
    case 6:
      r = bsdsock_getsockopt(p, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_TYPE, &v, &len);
      break;
    case 7: r = bsdsock_set_nonblocking(p, 1); break;
    case 8: r = bsdsock_get_nonblocking(p); break;
    case 9: r = bsdsock_send(p, "x", 1, 0); break;
    case 10: r = bsdsock_recv(p, buf, sizeof(buf), 0); break;
    case 11:
      r = bsdsock_native_handle(p) == BSDSOCK_OS_SOCK_INVALID ? 0 : 1;
      break;
    case 12: {
      bsdsock_pollfd_t pf;
      pf.fd = p;
      pf.events = BSDSOCK_POLLIN | BSDSOCK_POLLOUT;
      pf.revents = 0;
      r = bsdsock_poll(&pf, 1, 0);
      d_add(" revents=%s", pf.revents == BSDSOCK_POLLNVAL ? "NVAL"
                           : pf.revents == 0            ? "0"
                                                        : "other");
      break;
    }
    case 13: {
      bsdsock_fdset_t rs;
      bsdsock_timeval_t tv = {0, 0};
      bsdsock_fdset_init(&rs);
      H_OK(bsdsock_fdset_set(&rs, p));
      r = bsdsock_select(p + 1, &rs, NULL, NULL, &tv);
      bsdsock_fdset_free(&rs);
      break;
    }
    case 14:
      r = bsdsock_close(p);
      if (r == 0) p = -1;
      break;
  }
  if (call == 11)
    emit(r == 0 ? "invalid" : "valid");
  else
    outcome(pnone(0), r,
            call == 2 ? RK_FD : call >= 12 && call <= 13 ? RK_COUNT : RK_STATUS,
            NULL);
  if (p >= 0) H_OK(bsdsock_poller_close(p));
}

static void test_poller_calls(void **state) {
  int probe = test_begin(), pk, dk, op, i;
  size_t m;
  (void)state;
  for (op = 0; op < 3; op++)
    for (pk = 0; pk < PK_COUNT; pk++)
      for (dk = 0; dk < DK_COUNT; dk++)
        for (m = 0; m < (op == 2 ? 1 : NROWS(pmasks)); m++)
          run_poller_ctl(op, pk, dk, m);
  for (pk = 0; pk < PK_COUNT; pk++) {
    run_poller_wait(pk, 0, 4, 0);
    run_poller_wait(pk, 1, 4, 0);
    run_poller_wait(pk, 0, 0, 0);
    run_poller_wait(pk, 0, -1, 0);
    run_poller_wait(pk, 1, 0, 0);
    run_poller_wait(pk, 0, 0, -1);
    run_poller_wait(pk, 0, 4, 1);
  }
  for (pk = 0; pk < PK_COUNT; pk++) run_poller_close(pk);
  for (i = 0; i < PS_COUNT; i++) run_poller_seq(i);
  for (i = 0; i < 15; i++) run_socket_on_poller(i);
  test_end(probe);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lifecycle_calls),
      cmocka_unit_test(test_data_calls),
      cmocka_unit_test(test_msg_calls),
      cmocka_unit_test(test_msginfo_calls),
      cmocka_unit_test(test_misc_calls),
      cmocka_unit_test(test_sockopt_calls),
      cmocka_unit_test(test_precedence),
      cmocka_unit_test(test_poller_calls),
  };
  char path[512];
  const char *env = getenv("BSDSOCK_MISUSE_OUT");
  int rc;
  show_native = getenv("BSDSOCK_MISUSE_NATIVE") != NULL;
  if (env != NULL && env[0] != '\0')
    snprintf(path, sizeof(path), "%s", env);
  else
    snprintf(path, sizeof(path), "misuse-%s.txt", bsdsock_backend());
  /* Binary mode: the same "\n" line ends on every platform. */
  out = fopen(path, "wb");
  if (out == NULL) {
    printf("misuse: cannot write %s\n", path);
    return 1;
  }
  rc = H_RUN("misuse", tests);
  fprintf(out, "misuse: %d cases\n", ncases);
  fclose(out);
  printf("misuse: %d cases (written to %s)\n", ncases, path);
  return rc;
}
