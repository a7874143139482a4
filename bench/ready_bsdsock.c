/* SPDX-License-Identifier: MIT */
/*
 * bench/ready_bsdsock.c - the bsdsock arms of the readiness scenario:
 * bsdsock_poll and bsdsock_select over the set, timeout 0, each call
 * expected to find the one ready socket. Used the way the raw arms use
 * poll()/select(): the pollfd array and a model fd set are built once,
 * and select starts each call from a copy of the model.
 *
 * Also the bsdsock arm of the poller scenario: bsdsock_poller_wait over a
 * poller holding the set, timeout 0, the socket identified by its data.
 */
#include "bench.h"

#include <bsdsock/poll.h>
#include <bsdsock/poller.h>
#include <stdlib.h>

/* One readiness call must report exactly the one active socket. */
static int check_one(int got, struct bench_run *r) {
  if (got == 1) return 1;
  bench_fail(r, "readiness call returned %d (%s), expected 1", got,
             got < 0 ? bsdsock_strerror(got) : "count");
  return 0;
}

static void bsd_poll(const struct bench_params *p, struct bench_run *r) {
  const struct bench_ready_set *s = p->set;
  bsdsock_pollfd_t *fds = calloc(s->n, sizeof(*fds));
  uint64_t start, end;
  double n = 0;
  size_t i;
  if (fds == NULL) {
    bench_fail(r, "out of memory");
    return;
  }
  for (i = 0; i < s->n; i++) {
    fds[i].fd = s->fds[i];
    fds[i].events = BSDSOCK_POLLIN;
  }
  start = bench_now_ns();
  end = start + p->dur_ns;
  do {
    if (!check_one(bsdsock_poll(fds, s->n, 0), r)) break;
    n++;
  } while (bench_now_ns() < end);
  r->ops = n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  free(fds);
}

static void bsd_select(const struct bench_params *p, struct bench_run *r) {
  const struct bench_ready_set *s = p->set;
  bsdsock_fdset_t model = BSDSOCK_FDSET_INIT, work = BSDSOCK_FDSET_INIT;
  bsdsock_timeval_t zero = {0, 0};
  uint64_t start, end;
  double n = 0;
  size_t i;
  int rc = 0;
  for (i = 0; i < s->n && rc == 0; i++) rc = bsdsock_fdset_set(&model, s->fds[i]);
  if (rc != 0) {
    bench_fail(r, "bsdsock_fdset_set: %s", bsdsock_strerror(rc));
    bsdsock_fdset_free(&model);
    return;
  }
  start = bench_now_ns();
  end = start + p->dur_ns;
  do {
    rc = bsdsock_fdset_copy(&work, &model);
    if (rc != 0) {
      bench_fail(r, "bsdsock_fdset_copy: %s", bsdsock_strerror(rc));
      break;
    }
    if (!check_one(bsdsock_select(s->maxfd + 1, &work, NULL, NULL, &zero), r))
      break;
    n++;
  } while (bench_now_ns() < end);
  r->ops = n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  bsdsock_fdset_free(&model);
  bsdsock_fdset_free(&work);
}

const struct bench_arm bench_arm_bsdsock_poll = {
    "bsdsock-poll", NULL, NULL, NULL, NULL, NULL, bsd_poll, NULL, NULL};
const struct bench_arm bench_arm_bsdsock_select = {
    "bsdsock-select", NULL, NULL, NULL, NULL, NULL, bsd_select, NULL, NULL};

/* The set added once, its index as the data; each wait must return the one
 * active socket, identified by that data. */
void bench_bsd_poller(const struct bench_params *p, struct bench_run *r) {
  const struct bench_ready_set *s = p->set;
  bsdsock_poller_event_t ev[64];
  uint64_t start, end;
  double n = 0;
  size_t i;
  int pl = bsdsock_poller_create(), rc = 0;
  if (pl < 0) {
    if (pl == BSDSOCK_EOPNOTSUPP)
      bench_skip(r, "bsdsock_poller_create: %s", bsdsock_strerror(pl));
    else
      bench_fail(r, "bsdsock_poller_create: %s", bsdsock_strerror(pl));
    return;
  }
  for (i = 0; i < s->n && rc == 0; i++)
    rc = bsdsock_poller_add(pl, s->fds[i], BSDSOCK_POLLIN, (uint64_t)i);
  if (rc != 0) {
    bench_fail(r, "bsdsock_poller_add of socket %u: %s", (unsigned)(i - 1),
               bsdsock_strerror(rc));
    bsdsock_poller_close(pl);
    return;
  }
  start = bench_now_ns();
  end = start + p->dur_ns;
  do {
    if (!check_one(bsdsock_poller_wait(pl, ev, 64, 0), r)) break;
    if (ev[0].data != s->active) {
      bench_fail(r, "bsdsock_poller_wait reported socket %u, not %u",
                 (unsigned)ev[0].data, (unsigned)s->active);
      break;
    }
    n++;
  } while (bench_now_ns() < end);
  r->ops = n;
  r->secs = (double)(bench_now_ns() - start) / 1e9;
  bsdsock_poller_close(pl);
}
