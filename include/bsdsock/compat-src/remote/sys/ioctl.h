/* SPDX-License-Identifier: MIT */
/*
 * <sys/ioctl.h> for transparent mode (docs/compat.md): the system's header, then
 * the calls it declares renamed onto bsdsock's, which run in a bsdsockd
 * for a remote socket when BSDSOCK_REMOTE is set and are the system's own
 * otherwise (bsdsock/compat_remote.h). Each header declares only names
 * its system header declares, with its types, so it is safe wherever a
 * system header includes it.
 */
#include_next <sys/ioctl.h>
#ifndef BSDSOCK_REMOTE_SYS_IOCTL_H
#define BSDSOCK_REMOTE_SYS_IOCTL_H
#include <bsdsock/platform.h>
#ifdef __cplusplus
extern "C" {
#endif
/* ioctl(): FIONBIO sets a remote socket's mode; other requests on a
 * remote socket are EOPNOTSUPP. */
BSDSOCK_EXTERN int bsdsock_compat_remote_ioctl(int fd, unsigned long request,
                                               ...);
#ifdef __cplusplus
}
#endif
#ifndef BSDSOCK_COMPAT_REMOTE_NO_RENAME
#define ioctl bsdsock_compat_remote_ioctl
#endif
#endif /* BSDSOCK_REMOTE_SYS_IOCTL_H */
