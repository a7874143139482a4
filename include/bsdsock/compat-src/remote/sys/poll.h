/* SPDX-License-Identifier: MIT */
/*
 * <sys/poll.h> for transparent mode (docs/compat.md): the system's header, then
 * the calls it declares renamed onto bsdsock's, which run in a bsdsockd
 * for a remote socket when BSDSOCK_REMOTE is set and are the system's own
 * otherwise (bsdsock/compat_remote.h). Each header declares only names
 * its system header declares, with its types, so it is safe wherever a
 * system header includes it.
 */
#include_next <sys/poll.h>
#ifndef BSDSOCK_REMOTE_SYS_POLL_H
#define BSDSOCK_REMOTE_SYS_POLL_H
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
#endif /* BSDSOCK_REMOTE_SYS_POLL_H */
