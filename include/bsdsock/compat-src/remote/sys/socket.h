/* SPDX-License-Identifier: MIT */
/*
 * <sys/socket.h> for transparent mode (docs/compat.md): the system's header, then
 * the calls it declares renamed onto bsdsock's, which run in a bsdsockd
 * for a remote socket when BSDSOCK_REMOTE is set and are the system's own
 * otherwise (bsdsock/compat_remote.h). Each header declares only names
 * its system header declares, with its types, so it is safe wherever a
 * system header includes it.
 */
#include_next <sys/socket.h>
#ifndef BSDSOCK_REMOTE_SYS_SOCKET_H
#define BSDSOCK_REMOTE_SYS_SOCKET_H
#include <bsdsock/platform.h>
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
BSDSOCK_EXTERN int bsdsock_compat_remote_accept4(int fd, struct sockaddr *addr,
                                                 socklen_t *len, int flags);
BSDSOCK_EXTERN int bsdsock_compat_remote_shutdown(int fd, int how);
BSDSOCK_EXTERN int bsdsock_compat_remote_getsockname(int fd,
                                                     struct sockaddr *addr,
                                                     socklen_t *len);
BSDSOCK_EXTERN int bsdsock_compat_remote_getpeername(int fd,
                                                     struct sockaddr *addr,
                                                     socklen_t *len);
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
/* Closes the session and its sockets and forgets the environment, so the
 * next socket call reads BSDSOCK_REMOTE again (for tests, and for a
 * program that changes its environment). */
BSDSOCK_EXTERN void bsdsock_compat_remote_reset(void);
#ifdef __cplusplus
}
#endif
#ifndef BSDSOCK_COMPAT_REMOTE_NO_RENAME
#define socket bsdsock_compat_remote_socket
#define bind bsdsock_compat_remote_bind
#define connect bsdsock_compat_remote_connect
#define listen bsdsock_compat_remote_listen
#define accept bsdsock_compat_remote_accept
#define accept4 bsdsock_compat_remote_accept4
#define shutdown bsdsock_compat_remote_shutdown
#define getsockname bsdsock_compat_remote_getsockname
#define getpeername bsdsock_compat_remote_getpeername
#define send bsdsock_compat_remote_send
#define recv bsdsock_compat_remote_recv
#define sendto bsdsock_compat_remote_sendto
#define recvfrom bsdsock_compat_remote_recvfrom
#define setsockopt bsdsock_compat_remote_setsockopt
#define getsockopt bsdsock_compat_remote_getsockopt
#endif
#endif /* BSDSOCK_REMOTE_SYS_SOCKET_H */
