/* SPDX-License-Identifier: MIT */
/*
 * bench/ready_bsdsock_none.c - the bsdsock arms of the readiness scenario
 * when the library has no readiness API yet (include/bsdsock/poll.h did
 * not exist at configure time): reported as skipped, with that reason.
 * CMake picks this file or ready_bsdsock.c.
 */
#include "bench.h"

#include <stddef.h>

static void none(const struct bench_params *p, struct bench_run *r) {
  (void)p;
  bench_skip(r, "this bsdsock has no readiness API (bsdsock/poll.h was "
                "missing when bsdsock-bench was configured)");
}

const struct bench_arm bench_arm_bsdsock_poll = {
    "bsdsock-poll", NULL, NULL, NULL, NULL, NULL, none, NULL, NULL};
const struct bench_arm bench_arm_bsdsock_select = {
    "bsdsock-select", NULL, NULL, NULL, NULL, NULL, none, NULL, NULL};

void bench_bsd_poller(const struct bench_params *p, struct bench_run *r) {
  (void)p;
  bench_skip(r, "this bsdsock has no poller (bsdsock/poller.h was missing "
                "when bsdsock-bench was configured)");
}
