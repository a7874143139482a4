/* SPDX-License-Identifier: MIT */
/*
 * src/fdset.c - bsdsock_fdset_t, a descriptor set of any size.
 *
 * A bitmask indexed by descriptor number, as BSD's fd_set, on every
 * platform: Winsock's fd_set is an array of handles with a count capacity
 * (64 by default) that silently drops the 65th socket, and glibc's is a
 * fixed 1,024-bit mask that writes out of bounds above it (quirk Q25,
 * fault F4, CVE-2011-0719). Here the first 1,024 descriptors live inline
 * (no allocation for the common case) and the mask grows on the heap, in
 * powers of two, up to BSDSOCK_FD_MAX; anything else is an error.
 */
#include "internal.h"

#include <stdlib.h>

#define INLINE_WORDS (sizeof(((bsdsock_fdset_t *)0)->inline_words) / 8)
#define MAX_WORDS ((size_t)BSDSOCK_FD_MAX / 64)

/* The storage in use and its capacity in words (read-only and writable
 * views of the same thing). */
static const uint64_t *cwords(const bsdsock_fdset_t *set, size_t *nwords) {
  *nwords = set->words != NULL ? set->nwords : INLINE_WORDS;
  return set->words != NULL ? set->words : set->inline_words;
}

static uint64_t *mwords(bsdsock_fdset_t *set, size_t *nwords) {
  *nwords = set->words != NULL ? set->nwords : INLINE_WORDS;
  return set->words != NULL ? set->words : set->inline_words;
}

/* Grows set so that word index `need` exists. 0 or BSDSOCK_ENOMEM. */
static int grow(bsdsock_fdset_t *set, size_t need) {
  size_t have, cap = INLINE_WORDS;
  const uint64_t *old = cwords(set, &have);
  uint64_t *w;
  if (need < have) return 0;
  while (cap <= need) cap *= 2;
  if (cap > MAX_WORDS) cap = MAX_WORDS;
  w = bsdsock__calloc(cap, sizeof(*w));
  if (w == NULL) return BSDSOCK_ENOMEM;
  memcpy(w, old, have * sizeof(*w));
  if (set->words != NULL) free(set->words);
  set->words = w;
  set->nwords = cap;
  return 0;
}

/* The argument checks shared by set and clear. */
static int check(const bsdsock_fdset_t *set, int fd) {
  if (set == NULL || fd >= BSDSOCK_FD_MAX) return BSDSOCK_EINVAL;
  if (fd < 0) return BSDSOCK_EBADF;
  return 0;
}

void bsdsock_fdset_init(bsdsock_fdset_t *set) {
  if (set == NULL) return;
  memset(set, 0, sizeof(*set));
}

void bsdsock_fdset_free(bsdsock_fdset_t *set) {
  if (set == NULL) return;
  free(set->words);
  memset(set, 0, sizeof(*set));
}

void bsdsock_fdset_zero(bsdsock_fdset_t *set) {
  size_t n;
  uint64_t *w;
  if (set == NULL) return;
  w = mwords(set, &n);
  memset(w, 0, n * sizeof(*w));
}

int bsdsock_fdset_set(bsdsock_fdset_t *set, int fd) {
  size_t n;
  int rc = check(set, fd);
  if (rc == 0) rc = grow(set, (size_t)fd / 64);
  if (rc != 0) return bsdsock__fail(rc);
  mwords(set, &n)[fd / 64] |= (uint64_t)1 << (fd % 64);
  return 0;
}

int bsdsock_fdset_clear(bsdsock_fdset_t *set, int fd) {
  size_t n;
  uint64_t *w;
  int rc = check(set, fd);
  if (rc != 0) return bsdsock__fail(rc);
  w = mwords(set, &n);
  if ((size_t)fd / 64 < n) w[fd / 64] &= ~((uint64_t)1 << (fd % 64));
  return 0;
}

int bsdsock_fdset_isset(const bsdsock_fdset_t *set, int fd) {
  size_t n;
  const uint64_t *w;
  if (set == NULL || fd < 0 || fd >= BSDSOCK_FD_MAX) return 0;
  w = cwords(set, &n);
  return (size_t)fd / 64 < n && ((w[fd / 64] >> (fd % 64)) & 1);
}

/* Words of src up to its highest non-zero one. */
static size_t used_words(const bsdsock_fdset_t *src) {
  size_t n;
  const uint64_t *w = cwords(src, &n);
  while (n > 0 && w[n - 1] == 0) n--;
  return n;
}

int bsdsock_fdset_copy(bsdsock_fdset_t *dst, const bsdsock_fdset_t *src) {
  size_t used, n, srcn;
  uint64_t *w;
  if (dst == NULL || src == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  if (dst == src) return 0;
  used = used_words(src);
  /* Grow first: on ENOMEM dst is untouched. */
  if (used > 0 && grow(dst, used - 1) != 0)
    return bsdsock__fail(BSDSOCK_ENOMEM);
  w = mwords(dst, &n);
  memcpy(w, cwords(src, &srcn), used * sizeof(*w));
  memset(w + used, 0, (n - used) * sizeof(*w));
  return 0;
}

static int popcount64(uint64_t x) {
  int c = 0;
  for (; x != 0; x &= x - 1) c++;
  return c;
}

int bsdsock_fdset_count(const bsdsock_fdset_t *set) {
  size_t n, i;
  const uint64_t *w;
  int c = 0;
  if (set == NULL) return 0;
  w = cwords(set, &n);
  for (i = 0; i < n; i++) c += popcount64(w[i]);
  return c;
}
