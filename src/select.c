/* SPDX-License-Identifier: MIT */
/*
 * src/select.c - select() and poll(): argument checks, timeouts, the EINTR
 * retry, and select() built on the backend's poll-shaped wait.
 *
 * Both calls reduce to one backend primitive, bsdsock__poll_os(), over an
 * array of bsdsock_pollfd_t: select() turns its three bitmasks into that
 * array (each descriptor once, O(nfds/64 + n)), waits, and turns the
 * result back with Linux's rules (fs/select.c: POLLIN_SET, POLLOUT_SET),
 * plus POLLERR in the except set, which is where Winsock reports a failed
 * connect (quirk Q20) and where code written for Winsock looks for it.
 */
#include "internal.h"

#include <stdlib.h>

/* select() entries kept on the stack (64 x 8 bytes); more are allocated. */
#define STACK_ENTRIES 64

/* Timeouts longer than this (about 73,000 years) are the same as "no
 * limit in practice"; keeping below it lets deadlines never overflow. */
#define MAX_TIMEOUT_US (INT64_MAX / 4)

/* Which poll bits put a descriptor in each select() result set. */
#define READ_BITS                                                            \
  (BSDSOCK_POLLIN | BSDSOCK_POLLRDNORM | BSDSOCK_POLLRDBAND |                \
   BSDSOCK_POLLHUP | BSDSOCK_POLLERR)
#define WRITE_BITS (BSDSOCK_POLLOUT | BSDSOCK_POLLWRBAND | BSDSOCK_POLLERR)
#define EXCEPT_BITS (BSDSOCK_POLLPRI | BSDSOCK_POLLERR)

/* ---- the EINTR policy ----------------------------------------------------- */

int bsdsock__wait_retry(bsdsock__wait_fn wait, void *ctx, int64_t timeout_us) {
  int64_t deadline = -1, now;
  int rc;
  if (timeout_us > MAX_TIMEOUT_US) timeout_us = MAX_TIMEOUT_US;
  if (timeout_us >= 0) deadline = bsdsock__now_us() + timeout_us;
  for (;;) {
    rc = wait(ctx, timeout_us);
    /* A signal (EINTR, PEP 475 style) or a wait cut short by the backend's
     * own timeout ceiling: wait again for the time that is left. */
    if (rc != BSDSOCK_EINTR && rc != 0) return rc;
    if (deadline < 0) continue;
    now = bsdsock__now_us();
    if (rc == 0 && now >= deadline) return 0;
    timeout_us = deadline > now ? deadline - now : 0;
  }
}

/* ---- set <-> array ------------------------------------------------------- */

/* Word i of a set, 0 beyond its storage or for NULL. */
static uint64_t word(const bsdsock_fdset_t *set, size_t i) {
  if (set == NULL) return 0;
  if (set->words != NULL) return i < set->nwords ? set->words[i] : 0;
  return i < sizeof(set->inline_words) / 8 ? set->inline_words[i] : 0;
}

/* Writable word i of a set that is known to have it. */
static uint64_t *word_at(bsdsock_fdset_t *set, size_t i) {
  return set->words != NULL ? &set->words[i] : &set->inline_words[i];
}

static int lowest_bit(uint64_t x) {
#if defined(__GNUC__)
  return __builtin_ctzll(x);
#else
  int b = 0;
  while (!(x & 1)) {
    x >>= 1;
    b++;
  }
  return b;
#endif
}

/* The union of the three sets' word i, limited to descriptors < nfds. */
static uint64_t union_word(int nfds, size_t i, const bsdsock_fdset_t *r,
                           const bsdsock_fdset_t *w,
                           const bsdsock_fdset_t *e) {
  uint64_t u = word(r, i) | word(w, i) | word(e, i);
  size_t rest = (size_t)nfds - i * 64;
  return rest >= 64 ? u : u & (((uint64_t)1 << rest) - 1);
}

static size_t count_entries(int nfds, const bsdsock_fdset_t *r,
                            const bsdsock_fdset_t *w,
                            const bsdsock_fdset_t *e) {
  size_t i, n = 0, words = ((size_t)nfds + 63) / 64;
  uint64_t u;
  for (i = 0; i < words; i++)
    for (u = union_word(nfds, i, r, w, e); u != 0; u &= u - 1) n++;
  return n;
}

static void fill_entries(int nfds, const bsdsock_fdset_t *r,
                         const bsdsock_fdset_t *w, const bsdsock_fdset_t *e,
                         bsdsock_pollfd_t *fds) {
  size_t i, k = 0, words = ((size_t)nfds + 63) / 64;
  uint64_t u, bit;
  for (i = 0; i < words; i++) {
    for (u = union_word(nfds, i, r, w, e); u != 0; u &= u - 1) {
      bit = u & (~u + 1);
      fds[k].fd = (int)(i * 64) + lowest_bit(u);
      fds[k].events = (short)(((word(r, i) & bit) ? BSDSOCK_POLLIN : 0) |
                              ((word(w, i) & bit) ? BSDSOCK_POLLOUT : 0) |
                              ((word(e, i) & bit) ? BSDSOCK_POLLPRI : 0));
      fds[k].revents = 0;
      k++;
    }
  }
}

/* Puts the ready descriptors back into the sets: 0 and nothing written if
 * one was closed or invalid (BSDSOCK_EBADF, quirk Q30), else the number of
 * bits set. Every set is zeroed first, so the sets may alias. */
static int store_results(const bsdsock_pollfd_t *fds, size_t n,
                         bsdsock_fdset_t *r, bsdsock_fdset_t *w,
                         bsdsock_fdset_t *e) {
  struct {
    bsdsock_fdset_t *set;
    short asked, ready;
  } out[3];
  size_t i, j;
  int count = 0;
  out[0].set = r, out[0].asked = BSDSOCK_POLLIN, out[0].ready = READ_BITS;
  out[1].set = w, out[1].asked = BSDSOCK_POLLOUT, out[1].ready = WRITE_BITS;
  out[2].set = e, out[2].asked = BSDSOCK_POLLPRI, out[2].ready = EXCEPT_BITS;
  for (i = 0; i < n; i++)
    if (fds[i].revents & BSDSOCK_POLLNVAL) return BSDSOCK_EBADF;
  for (j = 0; j < 3; j++) bsdsock_fdset_zero(out[j].set);
  for (i = 0; i < n; i++) {
    for (j = 0; j < 3; j++) {
      /* The descriptor came from this set, so its word exists. */
      if ((fds[i].events & out[j].asked) && (fds[i].revents & out[j].ready)) {
        *word_at(out[j].set, (size_t)fds[i].fd / 64) |=
            (uint64_t)1 << (fds[i].fd % 64);
        count++;
      }
    }
  }
  return count;
}

/* ---- the calls ----------------------------------------------------------- */

/* select()'s timeout in microseconds (-1: none), or BSDSOCK_EINVAL for a
 * negative one or usec out of range (as Linux: poll_select_set_timeout). */
static int timeval_us(const bsdsock_timeval_t *tv, int64_t *us) {
  if (tv == NULL) {
    *us = -1;
    return 0;
  }
  if (tv->sec < 0 || tv->usec < 0 || tv->usec > 999999) return BSDSOCK_EINVAL;
  *us = tv->sec >= MAX_TIMEOUT_US / 1000000 ? MAX_TIMEOUT_US
                                            : tv->sec * 1000000 + tv->usec;
  return 0;
}

int bsdsock_select(int nfds, bsdsock_fdset_t *readfds,
                   bsdsock_fdset_t *writefds, bsdsock_fdset_t *exceptfds,
                   const bsdsock_timeval_t *timeout) {
  bsdsock_pollfd_t stack[STACK_ENTRIES], *fds = stack;
  int64_t us;
  size_t n;
  int rc;
  /* Winsock ignores nfds (quirk Q27); bsdsock honours it (fault F2). */
  if (nfds < 0 || timeval_us(timeout, &us) != 0)
    return bsdsock__fail(BSDSOCK_EINVAL);
  if (nfds > BSDSOCK_FD_MAX) nfds = BSDSOCK_FD_MAX;  /* as Linux clamps */
  n = count_entries(nfds, readfds, writefds, exceptfds);
  if (n > STACK_ENTRIES) {
    fds = bsdsock__malloc(n * sizeof(*fds));
    if (fds == NULL) return bsdsock__fail(BSDSOCK_ENOMEM);
  }
  fill_entries(nfds, readfds, writefds, exceptfds, fds);
  rc = bsdsock__poll_os(fds, n, us);
  if (rc >= 0) {
    rc = store_results(fds, n, readfds, writefds, exceptfds);
    if (rc < 0) rc = bsdsock__fail(rc);
  }
  if (fds != stack) free(fds);
  return rc;
}

int bsdsock_poll(bsdsock_pollfd_t *fds, size_t nfds, int timeout_ms) {
  if ((fds == NULL && nfds > 0) || nfds > (size_t)BSDSOCK_FD_MAX)
    return bsdsock__fail(BSDSOCK_EINVAL);
  return bsdsock__poll_os(fds, nfds,
                          timeout_ms < 0 ? -1 : (int64_t)timeout_ms * 1000);
}
