/* SPDX-License-Identifier: MIT */
/*
 * bsdsock/compat_remote.h - runtime support for the drop-in headers of
 * transparent mode on POSIX (include/bsdsock/compat-src/remote/): an
 * unchanged BSD socket program whose sockets live in a bsdsockd when
 * BSDSOCK_REMOTE=host:port is set (docs/wire.md "Transparent mode",
 * docs/compat.md).
 *
 * Programs do not call these by name: the drop-in <sys/socket.h>,
 * <unistd.h>, <netdb.h>, <poll.h>, <sys/select.h> and <fcntl.h> include
 * the system's header and #define the classic names onto them. Each takes
 * and returns what its namesake does, with the system's constants and
 * sockaddrs, and fails with -1 and errno (the resolver calls: an EAI_*
 * code). Without BSDSOCK_REMOTE every call is the system's own. With it,
 * socket() and the resolver run in the server; a remote socket's number
 * is a local placeholder descriptor (the null device), so it never
 * collides with a file; every call on such a number runs in the server,
 * every call on another number locally.
 */
#ifndef BSDSOCK_COMPAT_REMOTE_H
#define BSDSOCK_COMPAT_REMOTE_H

#include "bsdsock/bsdsock.h"

#include <netdb.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

BSDSOCK_EXTERN int bsdsock_compat_remote_socket(int af, int type, int proto);
BSDSOCK_EXTERN int bsdsock_compat_remote_bind(int fd,
                                              const struct sockaddr *addr,
                                              socklen_t len);
BSDSOCK_EXTERN int bsdsock_compat_remote_connect(int fd,
                                                 const struct sockaddr *addr,
                                                 socklen_t len);
BSDSOCK_EXTERN int bsdsock_compat_remote_listen(int fd, int backlog);
BSDSOCK_EXTERN int bsdsock_compat_remote_accept(int fd, struct sockaddr *addr,
                                                socklen_t *len);
BSDSOCK_EXTERN int bsdsock_compat_remote_shutdown(int fd, int how);
BSDSOCK_EXTERN int bsdsock_compat_remote_close(int fd);
BSDSOCK_EXTERN int bsdsock_compat_remote_getsockname(int fd,
                                                     struct sockaddr *addr,
                                                     socklen_t *len);
BSDSOCK_EXTERN int bsdsock_compat_remote_getpeername(int fd,
                                                     struct sockaddr *addr,
                                                     socklen_t *len);
BSDSOCK_EXTERN ssize_t bsdsock_compat_remote_read(int fd, void *buf,
                                                  size_t len);
BSDSOCK_EXTERN ssize_t bsdsock_compat_remote_write(int fd, const void *buf,
                                                   size_t len);
BSDSOCK_EXTERN ssize_t bsdsock_compat_remote_send(int fd, const void *buf,
                                                  size_t len, int flags);
BSDSOCK_EXTERN ssize_t bsdsock_compat_remote_recv(int fd, void *buf,
                                                  size_t len, int flags);
BSDSOCK_EXTERN ssize_t bsdsock_compat_remote_sendto(
    int fd, const void *buf, size_t len, int flags,
    const struct sockaddr *addr, socklen_t addrlen);
BSDSOCK_EXTERN ssize_t bsdsock_compat_remote_recvfrom(int fd, void *buf,
                                                      size_t len, int flags,
                                                      struct sockaddr *addr,
                                                      socklen_t *addrlen);
BSDSOCK_EXTERN int bsdsock_compat_remote_setsockopt(int fd, int level,
                                                    int name,
                                                    const void *value,
                                                    socklen_t len);
BSDSOCK_EXTERN int bsdsock_compat_remote_getsockopt(int fd, int level,
                                                    int name, void *value,
                                                    socklen_t *len);
BSDSOCK_EXTERN int bsdsock_compat_remote_accept4(int fd, struct sockaddr *addr,
                                                 socklen_t *len, int flags);
BSDSOCK_EXTERN int bsdsock_compat_remote_fcntl(int fd, int cmd, ...);
/* ioctl(): FIONBIO sets a remote socket's mode; other requests on a
 * remote socket are EOPNOTSUPP. */
BSDSOCK_EXTERN int bsdsock_compat_remote_ioctl(int fd, unsigned long request,
                                               ...);
/* dup(), dup2(): a remote socket cannot be duplicated (EOPNOTSUPP), where
 * the system's call would copy its placeholder, the null device. */
BSDSOCK_EXTERN int bsdsock_compat_remote_dup(int fd);
BSDSOCK_EXTERN int bsdsock_compat_remote_dup2(int fd, int fd2);
BSDSOCK_EXTERN int bsdsock_compat_remote_poll(struct pollfd *fds, nfds_t nfds,
                                              int timeout_ms);
BSDSOCK_EXTERN int bsdsock_compat_remote_select(int nfds, fd_set *readfds,
                                                fd_set *writefds,
                                                fd_set *exceptfds,
                                                struct timeval *timeout);
BSDSOCK_EXTERN int bsdsock_compat_remote_getaddrinfo(
    const char *node, const char *service, const struct addrinfo *hints,
    struct addrinfo **res);
BSDSOCK_EXTERN void bsdsock_compat_remote_freeaddrinfo(struct addrinfo *ai);
BSDSOCK_EXTERN int bsdsock_compat_remote_getnameinfo(
    const struct sockaddr *addr, socklen_t addrlen, char *host,
    socklen_t hostlen, char *serv, socklen_t servlen, int flags);
BSDSOCK_EXTERN struct hostent *bsdsock_compat_remote_gethostbyname(
    const char *name);

/* Closes the session and its sockets and forgets the environment, so the
 * next socket call reads BSDSOCK_REMOTE again (for tests, and for a
 * program that changes its environment). */
BSDSOCK_EXTERN void bsdsock_compat_remote_reset(void);

#ifdef __cplusplus
}
#endif

#endif /* BSDSOCK_COMPAT_REMOTE_H */
