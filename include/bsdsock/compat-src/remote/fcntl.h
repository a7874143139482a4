/* SPDX-License-Identifier: MIT */
/*
 * <fcntl.h> for transparent mode (docs/compat.md): the system's header, then
 * the calls it declares renamed onto bsdsock's, which run in a bsdsockd
 * for a remote socket when BSDSOCK_REMOTE is set and are the system's own
 * otherwise (bsdsock/compat_remote.h). Each header declares only names
 * its system header declares, with its types, so it is safe wherever a
 * system header includes it.
 */
#include_next <fcntl.h>
#ifndef BSDSOCK_REMOTE_FCNTL_H
#define BSDSOCK_REMOTE_FCNTL_H
#include <bsdsock/platform.h>
#ifdef __cplusplus
extern "C" {
#endif
/* fcntl(): F_GETFL/F_SETFL read and set a remote socket's O_NONBLOCK. */
BSDSOCK_EXTERN int bsdsock_compat_remote_fcntl(int fd, int cmd, ...);
#ifdef __cplusplus
}
#endif
#ifndef BSDSOCK_COMPAT_REMOTE_NO_RENAME
#define fcntl bsdsock_compat_remote_fcntl
#endif
#endif /* BSDSOCK_REMOTE_FCNTL_H */
