/* SPDX-License-Identifier: MIT */
/*
 * <sys/select.h> for transparent mode (docs/compat.md): the system's header, then
 * the calls it declares renamed onto bsdsock's, which run in a bsdsockd
 * for a remote socket when BSDSOCK_REMOTE is set and are the system's own
 * otherwise (bsdsock/compat_remote.h). Each header declares only names
 * its system header declares, with its types, so it is safe wherever a
 * system header includes it.
 */
#include_next <sys/select.h>
#ifndef BSDSOCK_REMOTE_SYS_SELECT_H
#define BSDSOCK_REMOTE_SYS_SELECT_H
#include <bsdsock/platform.h>
#ifdef __cplusplus
extern "C" {
#endif
BSDSOCK_EXTERN int bsdsock_compat_remote_select(int nfds, fd_set *readfds,
                                                fd_set *writefds,
                                                fd_set *exceptfds,
                                                struct timeval *timeout);
#ifdef __cplusplus
}
#endif
#ifndef BSDSOCK_COMPAT_REMOTE_NO_RENAME
#define select bsdsock_compat_remote_select
#endif
#endif /* BSDSOCK_REMOTE_SYS_SELECT_H */
