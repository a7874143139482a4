/* SPDX-License-Identifier: MIT */
/*
 * bench/arm_uv_none.c - the libuv arm when libuv was not found at
 * configure time: every run is reported as skipped, with that reason.
 */
#include "bench.h"

#include <stddef.h>

#define NO_LIBUV "libuv was not found when bsdsock-bench was configured"

static void none(const struct bench_params *p, struct bench_run *r) {
  (void)p;
  bench_skip(r, NO_LIBUV);
}

static void none_callgrind(long n, struct bench_run *r) {
  (void)n;
  bench_skip(r, NO_LIBUV);
}

/* Never called: the callgrind loop has nothing to measure here. */
long bench_cg_libuv(void *pair, long n) {
  (void)pair;
  (void)n;
  return 0;
}

const char *bench_uv_version(void) {
  return NULL;
}

const struct bench_arm bench_arm_libuv = {
    "libuv", none, none, none, none, none, none, none, none_callgrind};
