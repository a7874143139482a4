/* SPDX-License-Identifier: MIT */
/*
 * <unistd.h> for transparent mode (docs/compat.md): the system's header, then
 * the calls it declares renamed onto bsdsock's, which run in a bsdsockd
 * for a remote socket when BSDSOCK_REMOTE is set and are the system's own
 * otherwise (bsdsock/compat_remote.h). Each header declares only names
 * its system header declares, with its types, so it is safe wherever a
 * system header includes it.
 */
#include_next <unistd.h>
#ifndef BSDSOCK_REMOTE_UNISTD_H
#define BSDSOCK_REMOTE_UNISTD_H
#include <bsdsock/platform.h>
#ifdef __cplusplus
extern "C" {
#endif
BSDSOCK_EXTERN int bsdsock_compat_remote_close(int fd);
BSDSOCK_EXTERN ssize_t bsdsock_compat_remote_read(int fd, void *buf,
                                                  size_t len);
BSDSOCK_EXTERN ssize_t bsdsock_compat_remote_write(int fd, const void *buf,
                                                   size_t len);
/* dup(), dup2(): a remote socket cannot be duplicated (EOPNOTSUPP), where
 * the system would copy its placeholder, the null device. */
BSDSOCK_EXTERN int bsdsock_compat_remote_dup(int fd);
BSDSOCK_EXTERN int bsdsock_compat_remote_dup2(int fd, int fd2);
#ifdef __cplusplus
}
#endif
#ifndef BSDSOCK_COMPAT_REMOTE_NO_RENAME
#define close bsdsock_compat_remote_close
#define read bsdsock_compat_remote_read
#define write bsdsock_compat_remote_write
#define dup bsdsock_compat_remote_dup
#define dup2 bsdsock_compat_remote_dup2
#endif
#endif /* BSDSOCK_REMOTE_UNISTD_H */
