/* SPDX-License-Identifier: MIT */
/**
 * @file
 * bsdsock/poll.h - readiness: a descriptor set of any size, select() and
 * poll(), with one documented contract on every platform.
 *
 * The contract (docs/readiness.md has the table next to what the raw APIs
 * do):
 *  - Sets have BSD bitmask semantics (membership by descriptor number) on
 *    every platform and no FD_SETSIZE ceiling: descriptors 0 ..
 *    BSDSOCK_FD_MAX-1 fit; a larger one is an error, never undefined
 *    behaviour or a silent drop (quirk Q25, faults F4/F19).
 *  - select: nfds is honoured (descriptors >= nfds are not looked at);
 *    nfds < 0 is BSDSOCK_EINVAL (F2); no descriptor at all is a sleep for the
 *    timeout (Q28, F5); the timeout is never written back (Q29); a closed or
 *    invalid descriptor in a set is BSDSOCK_EBADF with the sets unchanged
 *    (Q30, F3). The read set reports data, end of stream, a pending
 *    connection or an error; the write set reports room to send, a completed
 *    or failed connect, or an error; the except set reports urgent (OOB)
 *    data or a pending socket error, a failed non-blocking connect included
 *    (Winsock's only signal for it, Q20) - but only for descriptors the
 *    caller put there.
 *  - poll: every input bit is accepted and output-only bits in events are
 *    ignored (Q34, F26); negative descriptors are skipped with revents 0
 *    (Q36); nfds 0 sleeps (Q35, F27); a closed or invalid descriptor reads
 *    BSDSOCK_POLLNVAL and counts as ready. Results are Linux's: a failed
 *    non-blocking connect is POLLOUT|POLLERR|POLLHUP (plus POLLIN if asked),
 *    with SO_ERROR holding the error, on every Windows build (F6); a peer's
 *    half-close is POLLIN, not POLLHUP (Q37); a reset is POLLERR|POLLHUP
 *    (plus POLLIN/POLLOUT if asked); a listener with a pending connection is
 *    POLLIN (Q38).
 *  - A signal (POSIX) or an APC (Windows) during the wait is retried with
 *    the time left: BSDSOCK_EINTR is never returned. Neither call reads or
 *    clears SO_ERROR.
 *
 * How: on POSIX both calls are one poll(2) (select is built on poll, so
 * descriptors above 1023 work). On Windows both are Winsock select() over
 * heap-sized sets (no 64-socket limit; connecting sockets also watched in
 * exceptfds, where Winsock reports a failed connect on every build, unlike
 * WSAPoll before build 19041), followed, only when something is ready, by
 * one zero-timeout WSAPoll over the ready sockets to tell a reset from an
 * orderly shutdown.
 */
#ifndef BSDSOCK_POLL_H
#define BSDSOCK_POLL_H

#include "bsdsock/platform.h"

#ifdef __cplusplus
extern "C" {
#endif

/* select()'s timeout type, bsdsock_timeval_t (defined in bsdsock.h). */
struct bsdsock_timeval;

/** @name Descriptor sets
 * @{ */

/** A descriptor set with BSD bitmask semantics (membership by number), any
 * size: zero-initialised (BSDSOCK_FDSET_INIT or memset 0) is a valid empty
 * set. Sets that grew past descriptor 1023 hold heap storage: release it
 * with bsdsock_fdset_free(). */
typedef struct bsdsock_fdset {
  uint64_t *words;        /**< heap storage when the set outgrows inline_words, else NULL */
  size_t nwords;          /**< capacity in 64-bit words of the storage in use (0 = inline) */
  uint64_t inline_words[16];  /**< descriptors 0..1023 without allocation */
} bsdsock_fdset_t;

/** An empty set, for initialisers. */
#define BSDSOCK_FDSET_INIT {NULL, 0, {0}}

/** Descriptors 0 to BSDSOCK_FD_MAX-1 fit in a set. */
#define BSDSOCK_FD_MAX 1048576

/** Makes *set an empty set without freeing anything (for fresh memory). */
BSDSOCK_EXTERN void bsdsock_fdset_init(bsdsock_fdset_t *set);

/** Frees heap storage; the set becomes empty and valid. NULL is ignored. */
BSDSOCK_EXTERN void bsdsock_fdset_free(bsdsock_fdset_t *set);

/** Removes every descriptor (keeps the storage). NULL is ignored. */
BSDSOCK_EXTERN void bsdsock_fdset_zero(bsdsock_fdset_t *set);

/** Adds fd to a set.
 * @return 0, BSDSOCK_EBADF (fd < 0), BSDSOCK_EINVAL (fd >= BSDSOCK_FD_MAX
 * or set NULL) or BSDSOCK_ENOMEM; the set is unchanged on error. */
BSDSOCK_EXTERN int bsdsock_fdset_set(bsdsock_fdset_t *set, int fd);

/** Removes fd from a set.
 * @return 0, or an error as bsdsock_fdset_set(). Clearing an absent fd is
 * 0. */
BSDSOCK_EXTERN int bsdsock_fdset_clear(bsdsock_fdset_t *set, int fd);

/** Whether fd is in a set.
 * @return 1 if fd is in the set, else 0 (also for NULL or an out-of-range
 * fd). */
BSDSOCK_EXTERN int bsdsock_fdset_isset(const bsdsock_fdset_t *set, int fd);

/** Makes *dst hold the members of *src.
 * @return 0, BSDSOCK_EINVAL (NULL) or BSDSOCK_ENOMEM (dst unchanged). */
BSDSOCK_EXTERN int bsdsock_fdset_copy(bsdsock_fdset_t *dst,
                                      const bsdsock_fdset_t *src);

/** Counts the descriptors in a set.
 * @return the number of descriptors in the set (0 for NULL). */
BSDSOCK_EXTERN int bsdsock_fdset_count(const bsdsock_fdset_t *set);

/** @} */

/** @name Waiting
 * @{ */

/** Waits until descriptors of three sets are ready.
 * select(): waits until a descriptor below nfds in readfds, writefds or
 * exceptfds (each may be NULL) is ready, or timeout passes (NULL: wait
 * forever; never written back). On return each non-NULL set holds exactly
 * its ready descriptors.
 * @return the number of bits set over the three sets, 0 on timeout, or
 * BSDSOCK_EINVAL (nfds < 0, timeout negative or usec outside 0..999999),
 * BSDSOCK_EBADF (a closed or invalid descriptor; sets unchanged),
 * BSDSOCK_ENOMEM, or another negative error. */
BSDSOCK_EXTERN int bsdsock_select(int nfds, bsdsock_fdset_t *readfds,
                                  bsdsock_fdset_t *writefds,
                                  bsdsock_fdset_t *exceptfds,
                                  const struct bsdsock_timeval *timeout);

/** One poll() entry: events and revents are BSDSOCK_POLL* bits. */
typedef struct bsdsock_pollfd {
  int fd;               /**< the descriptor; negative: skipped */
  short events;         /**< what to wait for */
  short revents;        /**< output: what happened */
} bsdsock_pollfd_t;

/** Waits until descriptors of an array are ready.
 * poll(): waits until an entry is ready or timeout_ms passes (< 0: wait
 * forever) and fills every revents. Entries with a negative fd are
 * skipped (revents 0), however many there are (Linux's own poll refuses
 * more entries than the open-file limit).
 * @return the number of entries with revents != 0, 0 on timeout, or
 * BSDSOCK_EINVAL (fds NULL with nfds > 0, nfds > BSDSOCK_FD_MAX),
 * BSDSOCK_ENOMEM, or another negative error. */
BSDSOCK_EXTERN int bsdsock_poll(bsdsock_pollfd_t *fds, size_t nfds,
                                int timeout_ms);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* BSDSOCK_POLL_H */
