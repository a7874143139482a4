/* SPDX-License-Identifier: MIT */
/*
 * test_ifwatch.c - interface change notification (bsdsock_ifwatch_open,
 * _read): bad arguments fail as documented, a watch opens and closes
 * without leaking, and - in a network namespace of the test's own, on
 * Linux - a watch is readable through poll, select and the poller only
 * once something changed, and reports the loopback interface going up
 * and down and an address added to it and removed, with lo's index; a
 * flood of changes left unread ends in one resync. On Windows the watch's
 * own queue is fed by hand (as iphlpapi's callbacks would), which runs
 * under Wine too. Where the platform cannot deliver notifications (Wine:
 * docs/quirks.md Q66) the open fails with BSDSOCK_EOPNOTSUPP, and the
 * tests that need a real watch skip with the reason.
 */
#include "harness.h"

#include "internal.h" /* bsdsock__ifwatch_inject: the Windows queue */

#define EV_MAX 64
#define WAIT_MS 5000

/* A watch, or a skip (with the reason) where the platform has none. */
static int open_watch(void) {
  int w = bsdsock_ifwatch_open(0);
  if (w == BSDSOCK_EOPNOTSUPP)
    H_SKIP("no interface change notification on the %s backend here "
           "(BSDSOCK_EOPNOTSUPP: Wine registers and never calls back, "
           "docs/quirks.md Q66; POSIX without netlink, Q65)",
           bsdsock_backend());
  H_OK(w);
  return w;
}

/* The lowest free descriptor number (a leak moves it). */
static int lowest_free(void) {
  int fd = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0);
  H_OK(fd);
  H_OK(bsdsock_close(fd));
  return fd;
}

static void test_bad_args(void **state) {
  bsdsock_ifevent_t ev[2];
  int s, p;
  (void)state;
  H_ASSERT_ERR(bsdsock_ifwatch_open(1), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_ifwatch_open(-1), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_ifwatch_read(-1, ev, 2), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_ifwatch_read(-1, NULL, 0), BSDSOCK_EBADF);
  /* A number no descriptor has (just closed). */
  s = lowest_free();
  H_ASSERT_ERR(bsdsock_ifwatch_read(s, ev, 2), BSDSOCK_EBADF);
  /* Open descriptors that are not watches: a socket, a poller. */
  s = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0);
  H_OK(s);
  H_ASSERT_ERR(bsdsock_ifwatch_read(s, ev, 2), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_ifwatch_read(s, NULL, 0), BSDSOCK_EINVAL);
  p = bsdsock_poller_create();
  H_OK(p);
  H_ASSERT_ERR(bsdsock_ifwatch_read(p, ev, 2), BSDSOCK_EINVAL);
  H_OK(bsdsock_close(p));
  H_OK(bsdsock_close(s));
}

/* Where a watch opens, its own bad arguments; where none does, exactly
 * BSDSOCK_EOPNOTSUPP (open_watch). */
static void test_bad_args_watch(void **state) {
  bsdsock_ifevent_t ev[2];
  int w;
  (void)state;
  w = open_watch();
  H_ASSERT_ERR(bsdsock_ifwatch_read(w, NULL, 2), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_ifwatch_read(w, ev, 0), BSDSOCK_EINVAL);
  H_OK(bsdsock_close(w));
  H_ASSERT_ERR(bsdsock_ifwatch_read(w, ev, 2), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_close(w), BSDSOCK_EBADF);
}

/* A watch; where the platform has none, one on Wine's stub registrations
 * (bsdsock__ifwatch_accept_stubs, below), so that the close path runs
 * there too. */
static int open_any_watch(int *stubs) {
  int w = bsdsock_ifwatch_open(0);
  if (w == BSDSOCK_EOPNOTSUPP) {
    bsdsock__ifwatch_accept_stubs = 1;
    w = bsdsock_ifwatch_open(0);
    bsdsock__ifwatch_accept_stubs = 0;
    if (w == BSDSOCK_EOPNOTSUPP)
      H_SKIP("no interface change notification on the %s backend here",
             bsdsock_backend());
    *stubs = 1;
  }
  H_OK(w);
  return w;
}

static void test_open_close_no_leak(void **state) {
  bsdsock_ifevent_t e;
  int fd0, crt0, i, w, stubs = 0;
  long os0;
  (void)state;
  /* Once first: the library's lazily made state is not a leak. */
  H_OK(bsdsock_close(open_any_watch(&stubs)));
  if (stubs) printf("  on stub registrations (docs/quirks.md Q66)\n");
  fd0 = lowest_free();
  crt0 = h_lowest_crt_fd();
  os0 = h_os_handles_open();
  memset(&e, 0, sizeof(e));
  e.kind = BSDSOCK_IFEV_LINK_CHANGED;
  e.index = 1;
  e.addr.family = BSDSOCK_AF_UNSPEC;
  for (i = 0; i < 50; i++) {
    w = open_any_watch(&stubs);
    assert_int_equal(w, fd0); /* the lowest free number */
    /* Closed with events pending (where they can be queued by hand). */
    if (i % 2) bsdsock__ifwatch_inject(w, &e);
    H_OK(bsdsock_close(w));
  }
  assert_int_equal(lowest_free(), fd0);
  assert_int_equal(h_lowest_crt_fd(), crt0);
  assert_int_equal(h_os_handles_open(), os0);
}

/* ---- the change test, in a private network namespace ----------------------
 * A thread of its own moves into a new network namespace (Linux: only
 * the calling thread moves), where nobody else changes anything: a watch
 * opened there sees exactly the changes the test makes. */

struct ns_run {
  char why[256]; /* set: skip with this reason */
  char msg[256]; /* set: the failure */
};

#define NS_CHECK(run, cond, ...)                                             \
  do {                                                                       \
    if (!(cond)) {                                                           \
      snprintf((run)->msg, sizeof((run)->msg), __VA_ARGS__);                 \
      goto out;                                                              \
    }                                                                        \
  } while (0)

/* The readiness of w through poll with timeout_ms: 1, 0, or an error. */
static int readable(int w, int timeout_ms) {
  bsdsock_pollfd_t p;
  int rc;
  p.fd = w;
  p.events = BSDSOCK_POLLIN;
  p.revents = 0;
  rc = bsdsock_poll(&p, 1, timeout_ms);
  if (rc < 0) return rc;
  return rc == 1 && p.revents == BSDSOCK_POLLIN;
}

/* Every event read in the namespace, in order. */
#define LOG_MAX 1024
struct evlog {
  bsdsock_ifevent_t ev[LOG_MAX];
  size_t n;
};

static int matches(const bsdsock_ifevent_t *e, int kind, unsigned index,
                   int family, const uint8_t *ip, unsigned prefixlen) {
  if (e->kind != kind || e->index != index) return 0;
  if (family == 0) return 1;
  return e->addr.family == family && e->prefixlen == prefixlen &&
         memcmp(family == BSDSOCK_AF_INET ? e->addr.u.ip4 : e->addr.u.ip6,
                ip, family == BSDSOCK_AF_INET ? 4u : 16u) == 0;
}

/* The first logged event from log->ev[from] on that matches (family 0:
 * a link event), reading more while none does, for WAIT_MS at most;
 * NULL if none came. */
static const bsdsock_ifevent_t *wait_event(int w, struct evlog *log,
                                           size_t from, int kind,
                                           unsigned index, int family,
                                           const uint8_t *ip,
                                           unsigned prefixlen) {
  uint64_t end = su_now_ms() + WAIT_MS;
  size_t i = from;
  int n;
  for (;;) {
    for (; i < log->n; i++)
      if (matches(&log->ev[i], kind, index, family, ip, prefixlen))
        return &log->ev[i];
    if (su_now_ms() >= end || log->n == LOG_MAX) return NULL;
    if (readable(w, WAIT_MS) != 1) return NULL;
    n = bsdsock_ifwatch_read(w, log->ev + log->n, LOG_MAX - log->n);
    if (n > 0) log->n += (size_t)n;
    else if (n != BSDSOCK_EAGAIN) return NULL;
  }
}

static const char *kind_name(int kind) {
  static const char *const names[] = {"?",           "link-added",
                                      "link-removed", "link-changed",
                                      "addr-added",   "addr-removed",
                                      "resync"};
  return kind >= 1 && kind <= 6 ? names[kind] : names[0];
}

static void print_log(const struct evlog *log) {
  char text[BSDSOCK_INET6_ADDRSTRLEN];
  size_t i;
  for (i = 0; i < log->n; i++) {
    const bsdsock_ifevent_t *e = &log->ev[i];
    printf("  event %2u: %-12s index %u flags 0x%x", (unsigned)i,
           kind_name(e->kind), e->index, e->flags);
    if (e->addr.family != BSDSOCK_AF_UNSPEC &&
        bsdsock_inet_ntop(e->addr.family, e->addr.u.ip6, text,
                          sizeof(text)) >= 0)
      printf(" %s/%u", text, e->prefixlen);
    printf("\n");
  }
}

static void ns_thread(void *arg) {
  struct ns_run *run = arg;
  static const uint8_t extra[4] = {127, 9, 8, 7}, lo4[4] = {127, 0, 0, 1};
  static const uint8_t lo6[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                  0, 0, 0, 0, 0, 0, 0, 1};
  static struct evlog log; /* one namespace test at a time */
  const bsdsock_ifevent_t *e;
  bsdsock_ifevent_t ev[EV_MAX];
  bsdsock_poller_event_t pe[2];
  bsdsock_fdset_t rd;
  bsdsock_timeval_t zero = {0, 0}, wait = {WAIT_MS / 1000, 0};
  unsigned lo;
  size_t mark;
  int w = -1, p = -1, rc, n;
  log.n = 0;
  bsdsock_fdset_init(&rd);
  if (su_netns_private(run->why, sizeof(run->why)) != 0) goto out;
  lo = bsdsock_if_nametoindex("lo");
  NS_CHECK(run, lo >= 1, "no loopback interface in the new namespace");
  w = bsdsock_ifwatch_open(0);
  if (w == BSDSOCK_EOPNOTSUPP) {
    snprintf(run->why, sizeof(run->why), "bsdsock_ifwatch_open: %s",
             bsdsock_err_name(w));
    goto out;
  }
  NS_CHECK(run, w >= 0, "bsdsock_ifwatch_open: %s", bsdsock_err_name(w));
  p = bsdsock_poller_create();
  NS_CHECK(run, p >= 0, "bsdsock_poller_create: %s", bsdsock_err_name(p));
  rc = bsdsock_poller_add(p, w, BSDSOCK_POLLIN, 7);
  NS_CHECK(run, rc == 0, "bsdsock_poller_add: %s", bsdsock_err_name(rc));

  /* Nothing changed yet: nothing to read, nothing ready. */
  NS_CHECK(run, readable(w, 0) == 0, "the watch is ready before a change");
  rc = bsdsock_ifwatch_read(w, ev, EV_MAX);
  NS_CHECK(run, rc == BSDSOCK_EAGAIN, "read before a change: %s",
           bsdsock_err_name(rc));
  rc = bsdsock_poller_wait(p, pe, 2, 0);
  NS_CHECK(run, rc == 0, "poller: %d ready before a change", rc);
  bsdsock_fdset_set(&rd, w);
  rc = bsdsock_select(w + 1, &rd, NULL, NULL, &zero);
  NS_CHECK(run, rc == 0, "select: %d ready before a change", rc);

  /* lo up: readable through poll, select and the poller; a link change
   * with lo's flags, and the kernel's 127.0.0.1/8 on it. */
  if (su_if_up(lo, 1, run->why, sizeof(run->why)) != 0) goto out;
  NS_CHECK(run, readable(w, WAIT_MS) == 1, "not readable after lo went up");
  bsdsock_fdset_set(&rd, w);
  rc = bsdsock_select(w + 1, &rd, NULL, NULL, &wait);
  NS_CHECK(run, rc == 1 && bsdsock_fdset_isset(&rd, w) == 1,
           "select: %d ready after lo went up", rc);
  rc = bsdsock_poller_wait(p, pe, 2, WAIT_MS);
  NS_CHECK(run, rc == 1 && pe[0].data == 7 &&
                    (pe[0].events & BSDSOCK_POLLIN) != 0,
           "poller: %d ready after lo went up", rc);
  e = wait_event(w, &log, 0, BSDSOCK_IFEV_LINK_CHANGED, lo, 0, NULL, 0);
  NS_CHECK(run, e != NULL, "no link-changed event for lo (index %u)", lo);
  NS_CHECK(run,
           (e->flags & (BSDSOCK_IFF_UP | BSDSOCK_IFF_LOOPBACK)) ==
               (BSDSOCK_IFF_UP | BSDSOCK_IFF_LOOPBACK),
           "lo's link event has flags 0x%x", e->flags);
  e = wait_event(w, &log, 0, BSDSOCK_IFEV_ADDR_ADDED, lo, BSDSOCK_AF_INET,
                 lo4, 8);
  NS_CHECK(run, e != NULL, "no address-added event for 127.0.0.1/8 on lo");
  /* ::1, where the namespace has IPv6 (not asserted: it may be off). */
  if (wait_event(w, &log, 0, BSDSOCK_IFEV_ADDR_ADDED, lo, BSDSOCK_AF_INET6,
                 lo6, 128) == NULL)
    printf("  no ::1 on lo in the namespace (IPv6 off?): not checked\n");

  /* An address added to lo, then removed: both, with lo's index. */
  mark = log.n;
  if (su_if_addr_ip4(lo, extra, 32, 1, run->why, sizeof(run->why)) != 0)
    goto out;
  NS_CHECK(run,
           wait_event(w, &log, mark, BSDSOCK_IFEV_ADDR_ADDED, lo,
                      BSDSOCK_AF_INET, extra, 32) != NULL,
           "no address-added event for 127.9.8.7/32 on lo (index %u)", lo);
  mark = log.n;
  if (su_if_addr_ip4(lo, extra, 32, 0, run->why, sizeof(run->why)) != 0)
    goto out;
  NS_CHECK(run,
           wait_event(w, &log, mark, BSDSOCK_IFEV_ADDR_REMOVED, lo,
                      BSDSOCK_AF_INET, extra, 32) != NULL,
           "no address-removed event for 127.9.8.7/32 on lo (index %u)", lo);

  /* lo down: a link change without BSDSOCK_IFF_UP. */
  mark = log.n;
  if (su_if_up(lo, 0, run->why, sizeof(run->why)) != 0) goto out;
  e = wait_event(w, &log, mark, BSDSOCK_IFEV_LINK_CHANGED, lo, 0, NULL, 0);
  NS_CHECK(run, e != NULL && !(e->flags & BSDSOCK_IFF_UP),
           "no link-changed event with lo down");

  /* Everything read: not ready any more. Small reads take one event at
   * a time; the last read says EAGAIN. */
  for (n = 0; n < 1000; n++) {
    rc = bsdsock_ifwatch_read(w, ev, 1);
    if (rc != 1) break;
  }
  NS_CHECK(run, rc == BSDSOCK_EAGAIN, "draining: %s", bsdsock_err_name(rc));
  NS_CHECK(run, readable(w, 0) == 0, "still ready once drained");
  print_log(&log);

  /* More changes than the kernel's queue for the watch holds, unread: the
   * kernel drops some, and the reads say so with one resync (quirk Q65). */
  if (su_if_up(lo, 1, run->why, sizeof(run->why)) != 0) goto out;
  {
    unsigned i, added = 0, resyncs = 0, seen = 0;
    int last = 0;
    uint8_t ip[4] = {127, 20, 0, 0};
    for (i = 0; i < 2000; i++) {
      ip[2] = (uint8_t)(i >> 8);
      ip[3] = (uint8_t)(i + 1);
      if (su_if_addr_ip4(lo, ip, 32, 1, run->why, sizeof(run->why)) != 0)
        goto out;
      added++;
    }
    for (n = 0; n < 10000; n++) {
      int k;
      rc = bsdsock_ifwatch_read(w, ev, EV_MAX);
      if (rc < 0) break;
      for (k = 0; k < rc; k++) {
        NS_CHECK(run,
                 !(k > 0 && ev[k].kind == BSDSOCK_IFEV_RESYNC &&
                   ev[k - 1].kind == BSDSOCK_IFEV_RESYNC),
                 "two resyncs in a row");
        if (ev[k].kind == BSDSOCK_IFEV_RESYNC)
          resyncs++;
        else
          seen++;
        last = ev[k].kind;
      }
    }
    NS_CHECK(run, rc == BSDSOCK_EAGAIN, "reading the flood: %s",
             bsdsock_err_name(rc));
    /* After the events kept from before the loss. */
    NS_CHECK(run, last == BSDSOCK_IFEV_RESYNC,
             "the flood's last event is %s, not the resync",
             kind_name(last));
    NS_CHECK(run, resyncs >= 1,
             "%u addresses added unread, %u events read, no resync", added,
             seen);
    printf("  %u addresses added unread: %u events read, %u resync(s)\n",
           added, seen, resyncs);
  }
out:
  if (p >= 0) bsdsock_close(p);
  if (w >= 0) bsdsock_close(w);
  bsdsock_fdset_free(&rd);
}

static void test_change_in_private_netns(void **state) {
  struct ns_run run;
  su_thread_t *t;
  (void)state;
  memset(&run, 0, sizeof(run));
  t = su_thread_start(ns_thread, &run);
  assert_non_null(t);
  su_thread_join(t);
  if (run.msg[0] != '\0') fail_msg("%s", run.msg);
  if (run.why[0] != '\0')
    H_SKIP("no private network namespace to change: %s", run.why);
}

/* ---- the Windows queue, fed by hand ----------------------------------------
 * On Windows the events come from callbacks into a queue of bsdsock's own,
 * and the descriptor is made readable by a byte over a socket pair. Under
 * Wine no callback ever comes (Q66), so the test accepts Wine's stub
 * registrations and queues events itself, as a callback would: the queue,
 * its bound, the resync, the readiness and the close are the real code.
 * On Linux the queue is the kernel's (tested in the namespace above). */

static int open_fed_watch(void) {
  int w;
  bsdsock__ifwatch_accept_stubs = 1;
  w = bsdsock_ifwatch_open(0);
  bsdsock__ifwatch_accept_stubs = 0;
  if (w == BSDSOCK_EOPNOTSUPP)
    H_SKIP("no interface change notification on the %s backend here",
           bsdsock_backend());
  H_OK(w);
  return w;
}

static void addr_event(bsdsock_ifevent_t *e, unsigned i) {
  memset(e, 0, sizeof(*e));
  e->kind = BSDSOCK_IFEV_ADDR_ADDED;
  e->index = 1;
  e->prefixlen = 32;
  e->addr.family = BSDSOCK_AF_INET;
  e->addr.u.ip4[0] = 127;
  e->addr.u.ip4[1] = 77;
  e->addr.u.ip4[2] = (uint8_t)(i >> 8);
  e->addr.u.ip4[3] = (uint8_t)i;
}

static void test_queue_fed(void **state) {
  bsdsock_ifevent_t e, ev[EV_MAX];
  bsdsock_poller_event_t pe[2];
  int w = open_fed_watch(), rc, p;
  (void)state;
  addr_event(&e, 1);
  rc = bsdsock__ifwatch_inject(w, &e);
  if (rc == BSDSOCK_ENOSYS) {
    H_OK(bsdsock_close(w));
    H_SKIP("the %s backend's queue is the kernel's (tested in a private "
           "network namespace)",
           bsdsock_backend());
  }
  H_OK(rc);
  assert_int_equal(readable(w, WAIT_MS), 1);
  H_ASSERT_ERR(bsdsock_ifwatch_read(w, ev, EV_MAX), 1);
  assert_memory_equal(&ev[0], &e, sizeof(e));
  /* Read empty: no longer ready. */
  assert_int_equal(readable(w, 0), 0);
  H_ASSERT_ERR(bsdsock_ifwatch_read(w, ev, EV_MAX), BSDSOCK_EAGAIN);

  /* Through the poller too. */
  p = bsdsock_poller_create();
  H_OK(p);
  H_OK(bsdsock_poller_add(p, w, BSDSOCK_POLLIN, 9));
  H_ASSERT_ERR(bsdsock_poller_wait(p, pe, 2, 0), 0);
  addr_event(&e, 2);
  H_OK(bsdsock__ifwatch_inject(w, &e));
  H_ASSERT_ERR(bsdsock_poller_wait(p, pe, 2, WAIT_MS), 1);
  assert_true(pe[0].data == 9);
  /* One at a time: still ready until the last is taken. */
  addr_event(&e, 3);
  H_OK(bsdsock__ifwatch_inject(w, &e));
  H_ASSERT_ERR(bsdsock_ifwatch_read(w, ev, 1), 1);
  assert_int_equal(ev[0].addr.u.ip4[3], 2);
  assert_int_equal(readable(w, 0), 1);
  H_ASSERT_ERR(bsdsock_ifwatch_read(w, ev, 1), 1);
  assert_int_equal(ev[0].addr.u.ip4[3], 3);
  assert_int_equal(readable(w, 0), 0);
  H_OK(bsdsock_close(p));
  H_OK(bsdsock_close(w));
}

/* More events than the queue holds: the first ones, then one resync. */
static void test_queue_overflow(void **state) {
  bsdsock_ifevent_t e, ev[EV_MAX];
  unsigned i, got = 0, resyncs = 0, last = 0;
  int w = open_fed_watch(), rc = 0;
  (void)state;
  for (i = 0; i < 1000; i++) {
    addr_event(&e, i);
    rc = bsdsock__ifwatch_inject(w, &e);
    if (rc != 0) break;
  }
  if (rc == BSDSOCK_ENOSYS) {
    H_OK(bsdsock_close(w));
    H_SKIP("the %s backend's queue is the kernel's (its overflow is tested "
           "in a private network namespace)",
           bsdsock_backend());
  }
  H_OK(rc);
  for (i = 0; i < 100; i++) {
    int k;
    rc = bsdsock_ifwatch_read(w, ev, EV_MAX);
    if (rc == BSDSOCK_EAGAIN) break;
    H_OK(rc);
    for (k = 0; k < rc; k++) {
      if (ev[k].kind == BSDSOCK_IFEV_RESYNC) {
        resyncs++;
        continue;
      }
      assert_int_equal(resyncs, 0); /* the resync comes last */
      /* In order, none skipped before the loss. */
      assert_int_equal(ev[k].addr.u.ip4[2] << 8 | ev[k].addr.u.ip4[3], got);
      got++;
      last = got;
    }
  }
  assert_int_equal(rc, BSDSOCK_EAGAIN);
  assert_int_equal(resyncs, 1);
  assert_true(last >= 1 && last < 1000);
  printf("  %u events queued, then one resync for the %u lost\n", got,
         1000 - got);
  assert_int_equal(readable(w, 0), 0);
  H_OK(bsdsock_close(w));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bad_args),
      cmocka_unit_test(test_bad_args_watch),
      cmocka_unit_test(test_open_close_no_leak),
      cmocka_unit_test(test_change_in_private_netns),
      cmocka_unit_test(test_queue_fed),
      cmocka_unit_test(test_queue_overflow),
  };
  return H_RUN("ifwatch", tests);
}
