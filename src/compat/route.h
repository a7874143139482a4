/* SPDX-License-Identifier: MIT */
/*
 * src/compat/route.h - transparent mode: where a drop-in socket call runs.
 *
 * With BSDSOCK_REMOTE=host:port in the environment, the drop-in layers'
 * socket calls run in a bsdsockd (docs/wire.md "Transparent mode") through
 * one bsdsock_remote session that the first socket call opens. Each call
 * here has the signature of its bsdsock_* namesake and runs either that
 * (local) or bsdsock_remote_* (remote); the drop-in layers (BSD on Windows,
 * Winsock on POSIX, BSD on Linux with remote sockets) call these instead
 * of bsdsock_* and keep converting their native values as before.
 *
 * A remote socket is known in the program by a local placeholder
 * descriptor (a C runtime descriptor of the null device) held while the
 * socket lives, so its number never collides with a file, a pipe or a
 * local socket; the table here maps placeholder -> the server's
 * descriptor. Calls on any other number, and every call without
 * BSDSOCK_REMOTE, run locally.
 */
#ifndef BSDSOCK_COMPAT_ROUTE_H
#define BSDSOCK_COMPAT_ROUTE_H

#include "bsdsock/bsdsock.h"

/* 1 when BSDSOCK_REMOTE is set (read once, until bsdsock__route_reset),
 * else 0. */
int bsdsock__route_mode(void);

/* 1 if fd is the placeholder of a remote socket, else 0. */
int bsdsock__route_is_remote(int fd);

/* Closes the session and every placeholder, and forgets the environment
 * (the next socket call reads it again). */
void bsdsock__route_reset(void);

int bsdsock__route_socket(int family, int type, int protocol);
int bsdsock__route_bind(int fd, const bsdsock_addr_t *addr);
int bsdsock__route_listen(int fd, int backlog);
int bsdsock__route_accept(int fd, bsdsock_addr_t *peer);
int bsdsock__route_connect(int fd, const bsdsock_addr_t *addr);
int bsdsock__route_shutdown(int fd, int how);
int bsdsock__route_close(int fd);
int bsdsock__route_getsockname(int fd, bsdsock_addr_t *addr);
int bsdsock__route_getpeername(int fd, bsdsock_addr_t *addr);
int bsdsock__route_set_nonblocking(int fd, int on);
int bsdsock__route_get_nonblocking(int fd);
bsdsock_ssize_t bsdsock__route_send(int fd, const void *buf, size_t len,
                                    int flags);
bsdsock_ssize_t bsdsock__route_recv(int fd, void *buf, size_t len, int flags);
bsdsock_ssize_t bsdsock__route_sendto(int fd, const void *buf, size_t len,
                                      int flags, const bsdsock_addr_t *addr);
bsdsock_ssize_t bsdsock__route_recvfrom(int fd, void *buf, size_t len,
                                        int flags, bsdsock_addr_t *from);
int bsdsock__route_setsockopt(int fd, int level, int name, const void *value,
                              size_t len);
int bsdsock__route_getsockopt(int fd, int level, int name, void *value,
                              size_t *len);
/* The resolver: the server's in remote mode (the list is still freed with
 * bsdsock_freeaddrinfo), the local one otherwise. */
int bsdsock__route_getaddrinfo(const char *node, const char *service,
                               const bsdsock_addrinfo_t *hints,
                               bsdsock_addrinfo_t **res);
int bsdsock__route_getnameinfo(const bsdsock_addr_t *addr, char *host,
                               size_t hostlen, char *serv, size_t servlen,
                               int flags);

/* The local poll a drop-in layer uses for descriptors that are not remote
 * (bsdsock_poll, or one that also asks pipes and the console). */
typedef int (*bsdsock__route_localpoll_fn)(bsdsock_pollfd_t *fds,
                                           size_t nfds, int timeout_ms);

/* poll() over local and remote descriptors. Only local ones: local_poll.
 * Only remote ones: one remote poll. Both: local_poll without waiting,
 * then the remote poll for up to 10 ms, until one is ready or the timeout
 * passes (docs/wire.md "Transparent mode"). */
int bsdsock__route_poll(bsdsock_pollfd_t *fds, size_t nfds, int timeout_ms,
                        bsdsock__route_localpoll_fn local_poll);

/* ---- the native resolver in remote mode (route_ai.c) ---------------------- */

struct addrinfo;
/* getaddrinfo() with native hints and a native list, from the server:
 * 0 or this platform's EAI_* code (a socket error: errno set, and
 * EAI_SYSTEM where the platform has it, else EAI_FAIL). */
int bsdsock__compat_remote_gai(const char *node, const char *service,
                               const struct addrinfo *hints,
                               struct addrinfo **res);
/* Frees a list of bsdsock__compat_remote_gai. */
void bsdsock__compat_remote_freeai(struct addrinfo *ai);
/* A portable resolver or socket error as this platform's EAI_* code. */
int bsdsock__compat_gai_ret(int rc);
struct hostent;
/* gethostbyname() with the server's resolver (route_ai.c). */
struct hostent *bsdsock__compat_remote_hostent(const char *name);

/* ---- per platform (src/compat/bsd/nonsock_{posix,win32}.c) ---------------- */

/* A new C runtime descriptor of the null device, close-on-exec: a remote
 * socket's number. -1 with errno set on failure. */
int bsdsock__compat_placeholder_open(void);
/* Closes a placeholder. */
void bsdsock__compat_placeholder_close(int fd);
/* Sets what the platform's h_errno reads (HOST_NOT_FOUND ...). */
void bsdsock__compat_set_herror(int h);
/* The two locks of route.c: 0 guards the table, 1 the session's calls. */
void bsdsock__compat_lock(int which);
void bsdsock__compat_unlock(int which);

#endif /* BSDSOCK_COMPAT_ROUTE_H */
