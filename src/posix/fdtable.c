/* SPDX-License-Identifier: MIT */
/*
 * src/posix/fdtable.c - descriptors on POSIX.
 *
 * The kernel already hands out the lowest free number and shares one
 * namespace between sockets and files, so a bsdsock descriptor is the
 * kernel descriptor: there is no socket to look up (os_inline.h). What the
 * shared layer learns about a socket (that it once connected, whether it
 * takes UDP segmentation) is kept here, per number, in a table of state
 * bits: chunks allocated on first use and never freed or moved, so that
 * readers need no lock. A number's bits are reset when bsdsock creates or
 * closes a socket there; one created or closed behind bsdsock's back keeps
 * stale bits, which only ever cost an optimisation or the precision of a
 * misuse error, never data. Windows keeps its mode bits in its own table
 * (src/win32/fdtable.c); here the kernel answers those questions.
 */
#include "../internal.h"

#include <stdatomic.h>

#define CHUNK_BITS 12
#define CHUNK_SIZE (1 << CHUNK_BITS)
#define MAX_CHUNKS 256                        /* 1,048,576 descriptors */

static _Atomic(unsigned short) *_Atomic chunks[MAX_CHUNKS];

static _Atomic(unsigned short) *slot(int fd, int make) {
  _Atomic(unsigned short) *chunk, *fresh;
  int i;
  if (fd < 0 || fd >= MAX_CHUNKS * CHUNK_SIZE) return NULL;
  chunk = atomic_load_explicit(&chunks[fd >> CHUNK_BITS], memory_order_acquire);
  if (chunk == NULL && make) {
    fresh = malloc(CHUNK_SIZE * sizeof(*fresh));
    if (fresh == NULL) return NULL;
    for (i = 0; i < CHUNK_SIZE; i++) atomic_init(&fresh[i], 0);
    /* Two threads may race to make the chunk: one wins, the other frees. */
    if (atomic_compare_exchange_strong(&chunks[fd >> CHUNK_BITS], &chunk,
                                       fresh))
      chunk = fresh;
    else
      free(fresh);
  }
  return chunk ? &chunk[fd & (CHUNK_SIZE - 1)] : NULL;
}

/* How many pollers are open: while none is, poll.c need not look for
 * poller numbers among its descriptors. */
static _Atomic(int) pollers_open;

int bsdsock__fd_pollers_seen(void) {
  return atomic_load_explicit(&pollers_open, memory_order_relaxed) != 0;
}

int bsdsock__fd_alloc(bsdsock__sock_t s, unsigned flags) {
  _Atomic(unsigned short) *sl = BSDSOCK__OS(fdtable, NULL, slot(s, 1));
  if ((flags & BSDSOCK__FD_POLLER) && sl != NULL)
    atomic_fetch_add_explicit(&pollers_open, 1, memory_order_relaxed);
  /* Numbers beyond the table work, with nothing remembered about them. */
  if (sl == NULL && s < MAX_CHUNKS * CHUNK_SIZE) {
    close(s);
    return bsdsock__fail(BSDSOCK_ENOMEM);
  }
  /* The mode is the kernel's (O_NONBLOCK); only the learnt bits live here. */
  if (sl != NULL)
    atomic_store(sl, (unsigned short)(flags & ~BSDSOCK__FD_NONBLOCK));
  return s;
}

bsdsock__sock_t bsdsock__fd_release(int fd) {
  _Atomic(unsigned short) *sl = slot(fd, 0);
  if (sl != NULL &&
      (atomic_exchange(sl, (unsigned short)0) & BSDSOCK__FD_POLLER))
    atomic_fetch_sub_explicit(&pollers_open, 1, memory_order_relaxed);
  return bsdsock__fd_get(fd);
}

unsigned bsdsock__fd_flags(int fd) {
  _Atomic(unsigned short) *sl = slot(fd, 0);
  return sl ? atomic_load_explicit(sl, memory_order_relaxed) : 0;
}

void bsdsock__fd_set_flags(int fd, unsigned set, unsigned clear) {
  _Atomic(unsigned short) *sl = slot(fd, set != 0);
  if (sl == NULL) return;
  if (clear) atomic_fetch_and(sl, (unsigned short)~clear);
  if (set) atomic_fetch_or(sl, (unsigned short)set);
}

int bsdsock__fd_limit(void) {
  return INT_MAX;
}

void bsdsock__fd_keepalive(int fd, unsigned *idle, unsigned *intvl) {
  (void)fd;
  *idle = *intvl = 0;
}

void bsdsock__fd_set_keepalive(int fd, unsigned idle, unsigned intvl) {
  (void)fd;
  (void)idle;
  (void)intvl;
}

int bsdsock__fd_error_seen(int fd) {
  (void)fd;
  return 0;
}

void bsdsock__fd_set_error_seen(int fd, int err) {
  (void)fd;
  (void)err;
}

/* A POSIX socket's number is its kernel descriptor: files and sockets
 * share one numbering already. */
int bsdsock__fd_crt_numbering(void) {
  return 0;
}
