/* SPDX-License-Identifier: MIT */
/**
 * @file
 * bsdsock/poller.h - an epoll-shaped poller: register descriptors once,
 * then wait for the ready ones, at a cost that grows with the number of
 * ready descriptors rather than the number watched.
 *
 * The contract (docs/readiness.md, "The poller", has the table per
 * platform):
 *  - A poller is a small-int descriptor from the same namespace as
 *    sockets (on Windows from bsdsock's descriptor table, so numbers never
 *    collide). bsdsock_poller_close() and bsdsock_close() both close it;
 *    every socket call on a poller number fails with BSDSOCK_EBADF, and
 *    bsdsock_poll() reports it BSDSOCK_POLLNVAL (bsdsock_select():
 *    BSDSOCK_EBADF) on every backend: it cannot be polled (docs/quirks.md
 *    Q69).
 *  - Events are the poll contract's bits (bsdsock/poll.h): BSDSOCK_POLLIN,
 *    BSDSOCK_POLLOUT, BSDSOCK_POLLPRI, plus BSDSOCK_POLLRDHUP (a peer's
 *    half-close, reported only when asked). BSDSOCK_POLLERR and
 *    BSDSOCK_POLLHUP are always reported and may be given (they are
 *    ignored). A failed non-blocking connect is OUT|ERR|HUP (plus IN and
 *    RDHUP if asked); a peer's half-close is IN (plus RDHUP if asked),
 *    not HUP; a reset is ERR|HUP (plus IN, OUT, RDHUP if asked).
 *  - Level-triggered by default: a descriptor is reported by every wait
 *    while it is ready. BSDSOCK_POLLER_ONESHOT: reported once, then
 *    disabled until bsdsock_poller_modify(). BSDSOCK_POLLER_ET (edge
 *    triggered) where the backend can honour it (epoll, kqueue);
 *    elsewhere BSDSOCK_EOPNOTSUPP.
 *  - A descriptor closed while registered leaves the poller, as with
 *    epoll: nothing is reported for it, and its number, once reused, can be
 *    added again.
 *  - Argument errors, in this order, the same on every backend: a negative
 *    or closed poller or descriptor is BSDSOCK_EBADF; a descriptor number
 *    that is open but not a poller, given as the poller, is
 *    BSDSOCK_EINVAL; a poller given as the watched descriptor is
 *    BSDSOCK_EINVAL; unknown event bits are BSDSOCK_EINVAL; adding a
 *    descriptor already there is BSDSOCK_EEXIST; modifying or deleting one
 *    that is not is BSDSOCK_ENOENT.
 *  - One thread may wait while others add, modify or delete. Closing a
 *    poller while another thread waits on it is the caller's race, as
 *    closing any descriptor in use is.
 *  - A signal (POSIX) during the wait is retried with the time left:
 *    BSDSOCK_EINTR is never returned.
 *
 * How: epoll on Linux; the AFD poll ioctl completed on an I/O completion
 * port on Windows (the technique of wepoll, libuv's uv_poll and mio).
 * kqueue on the BSDs and macOS, written but untested (docs/readiness.md:
 * it reports no POLLPRI, and errors only while IN, RDHUP or OUT is
 * asked). Other POSIX systems have none: bsdsock_poller_create() fails
 * there with BSDSOCK_EOPNOTSUPP.
 */
#ifndef BSDSOCK_POLLER_H
#define BSDSOCK_POLLER_H

#include "bsdsock/platform.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A peer's half-close (FIN), reported only when asked (an input bit; the
 * poll bits are in constants.h). */
#define BSDSOCK_POLLRDHUP 0x2000

/** Report a descriptor once, then disable it until bsdsock_poller_modify(). */
#define BSDSOCK_POLLER_ONESHOT 0x40000000u
/** Edge-triggered: report a change of readiness once (epoll only). */
#define BSDSOCK_POLLER_ET 0x20000000u

/** One ready descriptor, as bsdsock_poller_wait() reports it. */
typedef struct bsdsock_poller_event {
  uint64_t data;      /**< the value given when the descriptor was added or last modified */
  uint32_t events;    /**< BSDSOCK_POLL* bits: what is ready */
  uint32_t reserved;  /**< 0 */
} bsdsock_poller_event_t;

/** Creates a poller.
 * @return its descriptor (>= 0), or BSDSOCK_EMFILE, BSDSOCK_ENOMEM,
 * BSDSOCK_EOPNOTSUPP (no poller on this system) or another negative
 * error. */
BSDSOCK_EXTERN int bsdsock_poller_create(void);

/** Closes a poller.
 * Forgets every registration (the descriptors stay open);
 * bsdsock_close() does the same.
 * @return 0, BSDSOCK_EBADF (not open) or BSDSOCK_EINVAL (an open
 * descriptor that is not a poller). */
BSDSOCK_EXTERN int bsdsock_poller_close(int poller);

/** Starts watching a descriptor.
 * Watches fd for events (BSDSOCK_POLLIN, _OUT, _PRI, _RDHUP, optionally |
 * BSDSOCK_POLLER_ONESHOT or _ET), reporting data with it. On POSIX fd may
 * be any descriptor epoll takes (a pipe; a regular file is
 * BSDSOCK_EPERM); on Windows only sockets have numbers.
 * @return 0, BSDSOCK_EBADF, BSDSOCK_EINVAL (in the order of the file's
 * description), BSDSOCK_EEXIST (already watched), BSDSOCK_EOPNOTSUPP
 * (BSDSOCK_POLLER_ET where the backend cannot honour it), BSDSOCK_ENOMEM,
 * or another negative error. */
BSDSOCK_EXTERN int bsdsock_poller_add(int poller, int fd, uint32_t events,
                                      uint64_t data);

/** Changes what a watched descriptor is watched for.
 * Replaces the events and data of a watched fd (and re-arms a ONESHOT
 * one).
 * @return 0, or the errors of bsdsock_poller_add() with BSDSOCK_ENOENT
 * (not watched) in place of BSDSOCK_EEXIST. */
BSDSOCK_EXTERN int bsdsock_poller_modify(int poller, int fd, uint32_t events,
                                         uint64_t data);

/** Stops watching a descriptor.
 * @return 0, BSDSOCK_EBADF, BSDSOCK_EINVAL, or BSDSOCK_ENOENT (not
 * watched). */
BSDSOCK_EXTERN int bsdsock_poller_delete(int poller, int fd);

/** Waits for watched descriptors to be ready.
 * Waits until a watched descriptor is ready or timeout_ms passes (< 0:
 * wait forever; 0: do not wait) and stores up to maxevents ready ones in
 * events.
 * @return how many (0 on timeout), BSDSOCK_EBADF or BSDSOCK_EINVAL (the
 * poller, as above; then events NULL or maxevents <= 0), or another
 * negative error. */
BSDSOCK_EXTERN int bsdsock_poller_wait(int poller,
                                       bsdsock_poller_event_t *events,
                                       int maxevents, int timeout_ms);

#ifdef __cplusplus
}
#endif

#endif /* BSDSOCK_POLLER_H */
