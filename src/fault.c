/* SPDX-License-Identifier: MIT */
/*
 * src/fault.c - the fault-injection seam's state (see fault.h).
 *
 * One row per seam: what to inject and when, and counters. Tests arm and
 * read it from their own thread while library calls run in others (the
 * stress tests), so every field is atomic; the armed flag lets a crossing
 * that nothing is armed for cost one relaxed load.
 */
#include "internal.h"

#include <stdatomic.h>

static const char *const names[BSDSOCK__SYS_COUNT] = {
#define BSDSOCK__SYS_NAME(id) #id,
    BSDSOCK__SYSCALLS(BSDSOCK__SYS_NAME)
#undef BSDSOCK__SYS_NAME
};

const char *bsdsock__fault_name(int id) {
  return id >= 0 && id < BSDSOCK__SYS_COUNT ? names[id] : NULL;
}

#if defined(BSDSOCK_FAULT_INJECTION) && BSDSOCK_FAULT_INJECTION

struct seam {
  atomic_int native;     /* the code to inject */
  atomic_long skip;      /* calls to let through first */
  atomic_long left;      /* failures still to inject; < 0: unlimited */
  atomic_ulong calls;    /* crossings */
  atomic_ulong hits;     /* injected failures */
};

static struct seam seams[BSDSOCK__SYS_COUNT];
static atomic_int armed;  /* how many seams may still inject */
static _Thread_local int last_code;

int bsdsock__fault_hit(enum bsdsock__syscall id) {
  struct seam *sm = &seams[id];
  long left;
  atomic_fetch_add_explicit(&sm->calls, 1, memory_order_relaxed);
  if (atomic_load_explicit(&armed, memory_order_relaxed) == 0) return 0;
  left = atomic_load(&sm->left);
  if (left == 0) return 0;
  if (atomic_load(&sm->skip) > 0 && atomic_fetch_sub(&sm->skip, 1) > 0)
    return 0;
  if (left > 0 && atomic_fetch_sub(&sm->left, 1) <= 0) {
    atomic_store(&sm->left, 0);  /* another thread took the last one */
    return 0;
  }
  atomic_fetch_add_explicit(&sm->hits, 1, memory_order_relaxed);
  last_code = atomic_load(&sm->native);
  bsdsock__os_set_error(last_code);
  return 1;
}

int bsdsock__fault_code(void) {
  return last_code;
}

int bsdsock__fault_set(int id, int native, int after, int count) {
  struct seam *sm;
  if (id < 0 || id >= BSDSOCK__SYS_COUNT) return BSDSOCK_EINVAL;
  sm = &seams[id];
  atomic_store(&sm->left, 0);
  atomic_store(&sm->native, native);
  atomic_store(&sm->skip, after > 0 ? after : 0);
  atomic_store(&sm->left, count);
  if (count != 0) atomic_fetch_add(&armed, 1);
  return 0;
}

void bsdsock__fault_reset(void) {
  int i;
  for (i = 0; i < BSDSOCK__SYS_COUNT; i++) {
    atomic_store(&seams[i].left, 0);
    atomic_store(&seams[i].skip, 0);
    atomic_store(&seams[i].calls, 0);
    atomic_store(&seams[i].hits, 0);
  }
  atomic_store(&armed, 0);
}

unsigned long bsdsock__fault_calls(int id) {
  if (id < 0 || id >= BSDSOCK__SYS_COUNT) return 0;
  return atomic_load(&seams[id].calls);
}

unsigned long bsdsock__fault_hits(int id) {
  if (id < 0 || id >= BSDSOCK__SYS_COUNT) return 0;
  return atomic_load(&seams[id].hits);
}

#else /* no seam in this build */

int bsdsock__fault_set(int id, int native, int after, int count) {
  (void)id;
  (void)native;
  (void)after;
  (void)count;
  return BSDSOCK_ENOSYS;
}

void bsdsock__fault_reset(void) {
}

unsigned long bsdsock__fault_calls(int id) {
  (void)id;
  return 0;
}

unsigned long bsdsock__fault_hits(int id) {
  (void)id;
  return 0;
}

#endif
