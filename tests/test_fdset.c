/* SPDX-License-Identifier: MIT */
/*
 * test_fdset.c - bsdsock_fdset_t: BSD bitmask semantics at any size, an
 * error (never undefined behaviour or a silent drop) for a descriptor it
 * cannot hold (quirk Q25, fault F4), and a model-based test against a
 * plain byte-per-descriptor reference over random operation sequences.
 */
#include "harness.h"
#include "internal.h"

#include <stdlib.h>

/* Descriptors where a bitmask or a counted array goes wrong: word and
 * FD_SETSIZE edges (64 for Winsock, 1024 for glibc), the top of the range,
 * and just past it. */
static const int edges[] = {0,    1,    63,   64,   65,   127,  128,  1023,
                            1024, 1025, 4095, 4096, 9999, 65535,
                            BSDSOCK_FD_MAX - 65, BSDSOCK_FD_MAX - 64,
                            BSDSOCK_FD_MAX - 1};

static void test_empty_forms(void **state) {
  bsdsock_fdset_t a = BSDSOCK_FDSET_INIT, b, c;
  size_t i;
  (void)state;
  memset(&b, 0, sizeof(b));
  memset(&c, 0xa5, sizeof(c));  /* garbage: init makes it valid */
  bsdsock_fdset_init(&c);
  for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
    assert_int_equal(bsdsock_fdset_isset(&a, edges[i]), 0);
    assert_int_equal(bsdsock_fdset_isset(&b, edges[i]), 0);
    assert_int_equal(bsdsock_fdset_isset(&c, edges[i]), 0);
  }
  assert_int_equal(bsdsock_fdset_count(&a), 0);
  assert_int_equal(bsdsock_fdset_count(&c), 0);
  bsdsock_fdset_free(&a);  /* nothing to free: still fine */
  bsdsock_fdset_free(&c);
}

/* Every edge descriptor can be added, found, and removed; neighbours are
 * not disturbed (no aliasing of fd N+1024 with fd N, eventmachine#501). */
static void test_edges(void **state) {
  bsdsock_fdset_t s = BSDSOCK_FDSET_INIT;
  size_t i, j;
  (void)state;
  for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
    H_ASSERT_ERR(bsdsock_fdset_set(&s, edges[i]), 0);
    assert_int_equal(bsdsock_fdset_isset(&s, edges[i]), 1);
    assert_int_equal(bsdsock_fdset_count(&s), (int)i + 1);
    for (j = i + 1; j < sizeof(edges) / sizeof(edges[0]); j++)
      assert_int_equal(bsdsock_fdset_isset(&s, edges[j]), 0);
  }
  assert_int_equal(bsdsock_fdset_isset(&s, 1024 + 1023), 0);
  assert_int_equal(bsdsock_fdset_isset(&s, 9999 - 1024), 0);
  H_ASSERT_ERR(bsdsock_fdset_set(&s, 1023), 0);  /* twice: still one */
  assert_int_equal(bsdsock_fdset_count(&s),
                   (int)(sizeof(edges) / sizeof(edges[0])));
  for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
    H_ASSERT_ERR(bsdsock_fdset_clear(&s, edges[i]), 0);
    assert_int_equal(bsdsock_fdset_isset(&s, edges[i]), 0);
  }
  assert_int_equal(bsdsock_fdset_count(&s), 0);
  bsdsock_fdset_free(&s);
}

/* The first 1,024 descriptors need no allocation; more grow the set. */
static void test_storage(void **state) {
  bsdsock_fdset_t s = BSDSOCK_FDSET_INIT;
  (void)state;
  H_OK(bsdsock_fdset_set(&s, 0));
  H_OK(bsdsock_fdset_set(&s, 1023));
  assert_null(s.words);
  assert_int_equal(s.nwords, 0);
  H_OK(bsdsock_fdset_set(&s, 1024));
  assert_non_null(s.words);
  assert_true(s.nwords * 64 > 1024);
  /* The inline members moved along. */
  assert_int_equal(bsdsock_fdset_isset(&s, 0), 1);
  assert_int_equal(bsdsock_fdset_isset(&s, 1023), 1);
  H_OK(bsdsock_fdset_set(&s, BSDSOCK_FD_MAX - 1));
  assert_int_equal(s.nwords * 64, BSDSOCK_FD_MAX);
  bsdsock_fdset_zero(&s);  /* keeps the storage */
  assert_non_null(s.words);
  assert_int_equal(bsdsock_fdset_count(&s), 0);
  bsdsock_fdset_free(&s);
  assert_null(s.words);
  assert_int_equal(s.nwords, 0);
  /* Valid and reusable after free. */
  H_OK(bsdsock_fdset_set(&s, 5000));
  assert_int_equal(bsdsock_fdset_isset(&s, 5000), 1);
  bsdsock_fdset_free(&s);
}

/* Bad input: a specific error and the set unchanged. */
static void test_bad_input(void **state) {
  bsdsock_fdset_t s = BSDSOCK_FDSET_INIT, before;
  (void)state;
  H_OK(bsdsock_fdset_set(&s, 7));
  before = s;
  H_ASSERT_ERR(bsdsock_fdset_set(&s, -1), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_fdset_set(&s, -2147483647 - 1), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_fdset_set(&s, BSDSOCK_FD_MAX), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_fdset_set(&s, 2147483647), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_fdset_clear(&s, -1), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_fdset_clear(&s, BSDSOCK_FD_MAX), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_fdset_set(NULL, 3), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_fdset_clear(NULL, 3), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_fdset_copy(NULL, &s), BSDSOCK_EINVAL);
  H_ASSERT_ERR(bsdsock_fdset_copy(&s, NULL), BSDSOCK_EINVAL);
  assert_memory_equal(&s, &before, sizeof(s));
  assert_int_equal(bsdsock_fdset_isset(&s, -1), 0);
  assert_int_equal(bsdsock_fdset_isset(&s, BSDSOCK_FD_MAX), 0);
  assert_int_equal(bsdsock_fdset_isset(NULL, 7), 0);
  assert_int_equal(bsdsock_fdset_count(NULL), 0);
  /* Clearing what is absent, even beyond the storage, is fine. */
  H_ASSERT_ERR(bsdsock_fdset_clear(&s, 8), 0);
  H_ASSERT_ERR(bsdsock_fdset_clear(&s, 999999), 0);
  assert_null(s.words);  /* and allocates nothing */
  assert_int_equal(bsdsock_fdset_isset(&s, 7), 1);
  bsdsock_fdset_zero(NULL);
  bsdsock_fdset_free(NULL);
  bsdsock_fdset_init(NULL);
}

static void test_copy(void **state) {
  bsdsock_fdset_t small = BSDSOCK_FDSET_INIT, big = BSDSOCK_FDSET_INIT,
                  dst = BSDSOCK_FDSET_INIT;
  (void)state;
  H_OK(bsdsock_fdset_set(&small, 3));
  H_OK(bsdsock_fdset_set(&big, 3));
  H_OK(bsdsock_fdset_set(&big, 70000));
  /* small -> empty inline */
  H_OK(bsdsock_fdset_copy(&dst, &small));
  assert_int_equal(bsdsock_fdset_isset(&dst, 3), 1);
  assert_int_equal(bsdsock_fdset_count(&dst), 1);
  /* big -> inline: dst grows */
  H_OK(bsdsock_fdset_copy(&dst, &big));
  assert_int_equal(bsdsock_fdset_isset(&dst, 70000), 1);
  assert_int_equal(bsdsock_fdset_count(&dst), 2);
  /* small -> grown: the old high members are gone */
  H_OK(bsdsock_fdset_set(&dst, 1048000));
  H_OK(bsdsock_fdset_copy(&dst, &small));
  assert_int_equal(bsdsock_fdset_isset(&dst, 70000), 0);
  assert_int_equal(bsdsock_fdset_isset(&dst, 1048000), 0);
  assert_int_equal(bsdsock_fdset_count(&dst), 1);
  /* to itself: nothing changes */
  H_OK(bsdsock_fdset_copy(&big, &big));
  assert_int_equal(bsdsock_fdset_count(&big), 2);
  /* the source is untouched, and the copies are independent */
  H_OK(bsdsock_fdset_copy(&dst, &big));
  H_OK(bsdsock_fdset_clear(&dst, 70000));
  assert_int_equal(bsdsock_fdset_isset(&big, 70000), 1);
  bsdsock_fdset_free(&small);
  bsdsock_fdset_free(&big);
  bsdsock_fdset_free(&dst);
}

/* ---- model-based test ----------------------------------------------------- */

/* splitmix64: fixed seeds give the same sequences on every C runtime. */
static uint64_t rng_next(uint64_t *st) {
  uint64_t z = (*st += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

#define MODEL_SETS 3
#define MODEL_OPS 20000

struct model {
  bsdsock_fdset_t set[MODEL_SETS];
  unsigned char *ref[MODEL_SETS];   /* BSDSOCK_FD_MAX bytes each */
  int count[MODEL_SETS];
  int touched[MODEL_OPS];           /* every descriptor ever added */
  size_t ntouched;
};

/* A descriptor to operate on: mostly interesting ones, some random, some
 * out of range (which must be rejected). */
static int pick_fd(uint64_t *st) {
  static const int special[] = {0,    63,   64,   1023, 1024, 9999,
                                BSDSOCK_FD_MAX - 1, BSDSOCK_FD_MAX, -1};
  uint64_t r = rng_next(st);
  switch (r % 4) {
    case 0: return special[(r >> 8) % (sizeof(special) / sizeof(special[0]))];
    case 1: return (int)((r >> 8) % 2048);
    case 2: return (int)((r >> 8) % 12000);
    default: return (int)((r >> 8) % ((uint64_t)BSDSOCK_FD_MAX + 16)) - 8;
  }
}

static int in_range(int fd) {
  return fd >= 0 && fd < BSDSOCK_FD_MAX;
}

static void touch(struct model *m, int fd) {
  if (in_range(fd) && m->ntouched < sizeof(m->touched) / sizeof(m->touched[0]))
    m->touched[m->ntouched++] = fd;
}

static int expected_err(int fd) {
  if (fd < 0) return BSDSOCK_EBADF;
  return fd >= BSDSOCK_FD_MAX ? BSDSOCK_EINVAL : 0;
}

static void check_model(const struct model *m) {
  size_t i, k;
  for (k = 0; k < MODEL_SETS; k++) {
    assert_int_equal(bsdsock_fdset_count(&m->set[k]), m->count[k]);
    for (i = 0; i < m->ntouched; i++)
      assert_int_equal(bsdsock_fdset_isset(&m->set[k], m->touched[i]),
                       m->ref[k][m->touched[i]]);
  }
}

static void model_step(struct model *m, uint64_t *st) {
  uint64_t r = rng_next(st);
  size_t i, k = (size_t)(r % MODEL_SETS), src = (size_t)((r >> 4) % MODEL_SETS);
  int fd = pick_fd(st), op = (int)((r >> 8) % 100);
  if (op < 45) {                                   /* set */
    assert_int_equal(bsdsock_fdset_set(&m->set[k], fd), expected_err(fd));
    if (in_range(fd) && !m->ref[k][fd]) m->ref[k][fd] = 1, m->count[k]++;
    touch(m, fd);
  } else if (op < 80) {                            /* clear */
    assert_int_equal(bsdsock_fdset_clear(&m->set[k], fd), expected_err(fd));
    if (in_range(fd) && m->ref[k][fd]) m->ref[k][fd] = 0, m->count[k]--;
  } else if (op < 92) {                            /* isset */
    assert_int_equal(bsdsock_fdset_isset(&m->set[k], fd),
                     in_range(fd) ? m->ref[k][fd] : 0);
  } else if (op < 96) {                            /* copy */
    assert_int_equal(bsdsock_fdset_copy(&m->set[k], &m->set[src]), 0);
    /* Only descriptors ever added can differ from 0. */
    for (i = 0; i < m->ntouched; i++)
      m->ref[k][m->touched[i]] = m->ref[src][m->touched[i]];
    m->count[k] = m->count[src];
  } else if (op < 98) {                            /* zero */
    bsdsock_fdset_zero(&m->set[k]);
    for (i = 0; i < m->ntouched; i++) m->ref[k][m->touched[i]] = 0;
    m->count[k] = 0;
  } else {                                         /* free */
    bsdsock_fdset_free(&m->set[k]);
    for (i = 0; i < m->ntouched; i++) m->ref[k][m->touched[i]] = 0;
    m->count[k] = 0;
  }
}

static void run_model(uint64_t seed) {
  static struct model m;  /* large: not on the stack */
  uint64_t st = seed;
  size_t k;
  int i;
  memset(&m, 0, sizeof(m));
  for (k = 0; k < MODEL_SETS; k++) {
    m.ref[k] = calloc(BSDSOCK_FD_MAX, 1);
    assert_non_null(m.ref[k]);
  }
  for (i = 0; i < MODEL_OPS; i++) {
    model_step(&m, &st);
    if (i % 500 == 499) check_model(&m);
  }
  check_model(&m);
  for (k = 0; k < MODEL_SETS; k++) {
    bsdsock_fdset_free(&m.set[k]);
    free(m.ref[k]);
  }
}

static void test_model(void **state) {
  static const uint64_t seeds[] = {1, 42, 0xdeadbeef, 20240601};
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) run_model(seeds[i]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_empty_forms), cmocka_unit_test(test_edges),
      cmocka_unit_test(test_storage),     cmocka_unit_test(test_bad_input),
      cmocka_unit_test(test_copy),        cmocka_unit_test(test_model),
  };
  return H_RUN("fdset", tests);
}
