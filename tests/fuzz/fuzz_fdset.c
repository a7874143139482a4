/* SPDX-License-Identifier: MIT */
/*
 * fuzz_fdset.c - libFuzzer target for bsdsock_fdset_t (fuzz target Z5 of
 * docs/quirks.md; include/bsdsock/poll.h, src/fdset.c).
 *
 * The input is a sequence of operations on two sets: set, clear, isset,
 * count, zero, copy (either way, or onto itself), free and init, on
 * descriptors chosen around the places a bitmask goes wrong: word edges
 * (63/64), the inline storage's end (1,023/1,024), BSDSOCK_FD_MAX, INT_MAX
 * and negative numbers. Some operations run with the allocator failing
 * (the fault-injection seam, src/fault.h). Oracles, after every step:
 *  - every result is the documented one: 0, BSDSOCK_EBADF for fd < 0,
 *    BSDSOCK_EINVAL for fd >= BSDSOCK_FD_MAX or a NULL set, BSDSOCK_ENOMEM
 *    only when an allocation failed, with the set unchanged on error;
 *  - membership equals a reference model's for every descriptor the
 *    sequence touched, and the count equals the reference's, so nothing
 *    was added or dropped anywhere else (fault F4);
 *  - no out-of-bounds access (each set lives in an exact-size heap block
 *    under ASan) and no leak once both sets are freed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bsdsock/bsdsock.h>

#include "fault.h"

#include "fuzz_input.h"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NSETS 2
#define MAX_TOUCHED 1024  /* > 256 steps x 3 descriptors */

/* The reference: the descriptors the sequence touched (in range), and for
 * each set which of them are members, and how many members it has. */
static int touched[MAX_TOUCHED];
static size_t ntouched;
struct model {
  uint8_t member[MAX_TOUCHED];
  int count;
};
static struct model models[NSETS];

/* The index of fd among the touched descriptors, added if new; -1 for a
 * descriptor no set can hold. */
static int touch(int fd) {
  size_t i;
  if (fd < 0 || fd >= BSDSOCK_FD_MAX) return -1;
  for (i = 0; i < ntouched; i++)
    if (touched[i] == fd) return (int)i;
  if (ntouched == MAX_TOUCHED) abort();
  models[0].member[ntouched] = models[1].member[ntouched] = 0;
  touched[ntouched] = fd;
  return (int)ntouched++;
}

static int model_has(const struct model *m, int fd) {
  size_t i;
  for (i = 0; i < ntouched; i++)
    if (touched[i] == fd) return m->member[i];
  return 0;
}

static void model_put(struct model *m, int fd, int on) {
  int i = touch(fd);
  if (m->member[i] == on) return;
  m->member[i] = (uint8_t)on;
  m->count += on ? 1 : -1;
}

/* A descriptor from the input: often one the sequence used before (so
 * that a set is followed by a clear or a test of the same number), else
 * one near the interesting places. */
static int pick_fd(struct input *in) {
  uint8_t kind = (uint8_t)take(in, 1);
  int k = (int)(take(in, 1) % 8);
  switch (kind % 13) {
    case 0: return (int)(take(in, 1) % 128);
    case 1: return 64 + k - 4;
    case 2: return 1024 + k - 4;
    case 3: return (int)(take(in, 2) % 4096);
    case 4: return BSDSOCK_FD_MAX + k - 4;
    case 5: return INT32_MAX - k;
    case 6: return -1 - k;
    case 7: return INT32_MIN + k;
    case 8: return (int)(take(in, 3) % BSDSOCK_FD_MAX);
    case 9: return (int)take(in, 4);
    default:
      if (ntouched == 0) return k;
      return touched[(size_t)take(in, 2) % ntouched];
  }
}

/* The set agrees with its model on every touched descriptor and in
 * count; with the count, nothing untouched can be a member either. */
static void check(const bsdsock_fdset_t *set, const struct model *m) {
  size_t i;
  if (bsdsock_fdset_count(set) != m->count) abort();
  for (i = 0; i < ntouched; i++)
    if (bsdsock_fdset_isset(set, touched[i]) != m->member[i]) abort();
}

/* What set/clear must return for fd on a non-NULL set. */
static int expected(int fd) {
  if (fd < 0) return BSDSOCK_EBADF;
  if (fd >= BSDSOCK_FD_MAX) return BSDSOCK_EINVAL;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct input in = {data, size};
  bsdsock_fdset_t *sets[NSETS];
  int i, steps = 0;
  for (i = 0; i < NSETS; i++) {
    sets[i] = malloc(sizeof(*sets[i]));
    if (sets[i] == NULL) abort();
    bsdsock_fdset_init(sets[i]);
    models[i].count = 0;
  }
  ntouched = 0;
  while (in.left > 0 && steps++ < 256) {
    uint8_t op = (uint8_t)take(&in, 1);
    int a = op >> 7, b = !a, fd, rc, want, failing = 0;
    bsdsock_fdset_t *s = sets[a];
    struct model *m = &models[a];
    /* Bit 6: this operation runs with every allocation failing. */
    if (op & 0x40) {
      bsdsock__fault_set(BSDSOCK__SYS_alloc, ENOMEM, 0, -1);
      failing = 1;
    }
    switch (op & 0x0f) {
      case 0:
      case 1:
      case 2: /* set */
        fd = pick_fd(&in);
        touch(fd);
        rc = bsdsock_fdset_set(s, fd);
        want = expected(fd);
        if (rc == BSDSOCK_ENOMEM && want == 0 && failing) break;
        if (rc != want) abort();
        if (rc == 0) model_put(m, fd, 1);
        break;
      case 3:
      case 4: /* clear */
        fd = pick_fd(&in);
        touch(fd);
        if (bsdsock_fdset_clear(s, fd) != expected(fd)) abort();
        if (expected(fd) == 0) model_put(m, fd, 0);
        break;
      case 5: /* isset, also on the NULL set */
        fd = pick_fd(&in);
        touch(fd);
        if (bsdsock_fdset_isset(s, fd) != model_has(m, fd)) abort();
        if (bsdsock_fdset_isset(NULL, fd) != 0) abort();
        break;
      case 6: /* set and clear on the NULL set */
        fd = pick_fd(&in);
        rc = bsdsock_fdset_set(NULL, fd);
        if (rc != BSDSOCK_EINVAL && !(fd < 0 && rc == BSDSOCK_EBADF)) abort();
        rc = bsdsock_fdset_clear(NULL, fd);
        if (rc != BSDSOCK_EINVAL && !(fd < 0 && rc == BSDSOCK_EBADF)) abort();
        break;
      case 7: /* zero keeps storage, empties the set */
        bsdsock_fdset_zero(s);
        bsdsock_fdset_zero(NULL);
        memset(m->member, 0, sizeof(m->member));
        m->count = 0;
        break;
      case 8:
      case 9: /* copy the other set into this one */
        rc = bsdsock_fdset_copy(s, sets[b]);
        if (rc == BSDSOCK_ENOMEM && failing) break;
        if (rc != 0) abort();
        memcpy(m->member, models[b].member, ntouched);
        m->count = models[b].count;
        break;
      case 10: /* copy onto itself, and the NULL cases */
        if (bsdsock_fdset_copy(s, s) != 0) abort();
        if (bsdsock_fdset_copy(NULL, s) != BSDSOCK_EINVAL) abort();
        if (bsdsock_fdset_copy(s, NULL) != BSDSOCK_EINVAL) abort();
        break;
      case 11: /* free: empty and valid again */
        bsdsock_fdset_free(s);
        bsdsock_fdset_free(NULL);
        memset(m->member, 0, sizeof(m->member));
        m->count = 0;
        break;
      case 12: /* count */
        if (bsdsock_fdset_count(s) != m->count) abort();
        if (bsdsock_fdset_count(NULL) != 0) abort();
        break;
      default: /* set a run of neighbours: word and storage edges */
        fd = pick_fd(&in);
        for (i = 0; i < 3 && fd <= INT32_MAX - i; i++) {
          int n = fd + i;
          touch(n);
          rc = bsdsock_fdset_set(s, n);
          if (rc == BSDSOCK_ENOMEM && expected(n) == 0 && failing) continue;
          if (rc != expected(n)) abort();
          if (rc == 0) model_put(m, n, 1);
        }
        break;
    }
    if (failing) bsdsock__fault_reset();
    check(sets[0], &models[0]);
    check(sets[1], &models[1]);
  }
  for (i = 0; i < NSETS; i++) {
    bsdsock_fdset_free(sets[i]);
    if (bsdsock_fdset_count(sets[i]) != 0) abort();
    free(sets[i]);
  }
  return 0;
}
