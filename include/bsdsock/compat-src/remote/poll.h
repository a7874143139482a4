/* SPDX-License-Identifier: MIT */
/*
 * <poll.h> for transparent mode (docs/compat.md): the system's header, then
 * poll() renamed onto bsdsock's, which runs in a bsdsockd for a remote
 * socket when BSDSOCK_REMOTE is set and is the system's own otherwise
 * (bsdsock/compat_remote.h). The whole header is guarded, include_next
 * too: glibc's <poll.h> is only an include of <sys/poll.h>, whose drop-in
 * includes this one, and musl's <sys/poll.h> is only an include of
 * <poll.h>; a second entry while the first is still inside the system's
 * header must add nothing, or the two would include each other for ever.
 */
#ifndef BSDSOCK_REMOTE_POLL_H
#define BSDSOCK_REMOTE_POLL_H
#include_next <poll.h>
#include <bsdsock/platform.h>
#ifdef __cplusplus
extern "C" {
#endif
BSDSOCK_EXTERN int bsdsock_compat_remote_poll(struct pollfd *fds, nfds_t nfds,
                                              int timeout_ms);
#ifdef __cplusplus
}
#endif
#ifndef BSDSOCK_COMPAT_REMOTE_NO_RENAME
#define poll bsdsock_compat_remote_poll
#endif
#endif /* BSDSOCK_REMOTE_POLL_H */
