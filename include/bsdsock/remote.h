/* SPDX-License-Identifier: MIT */
/**
 * @file remote.h
 * @brief Runs bsdsock calls on another machine, through its bsdsockd
 * (docs/wire.md): open a session, then the calls of bsdsock.h with the
 * session first.
 *
 * Every bsdsock_remote_<call> has the signature and the meaning of
 * bsdsock_<call>; descriptors, results, errors and addresses are the
 * server's, in bsdsock's portable numbers, so a descriptor is meaningful
 * only to calls of the session that returned it. A session is for one
 * thread at a time. When the connection to the server breaks, the call
 * and every later one of the session return BSDSOCK_ECONNRESET.
 * Calls the protocol does not carry (sendmsg and its kin, socketpair,
 * select, the interface calls) have no remote form.
 */
#ifndef BSDSOCK_REMOTE_H
#define BSDSOCK_REMOTE_H

#include "bsdsock/bsdsock.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A session with a bsdsockd server. */
typedef struct bsdsock_remote bsdsock_remote_t;

/** Connects to bsdsockd at "host:port" ("[v6]:port"; a name is resolved
 * locally) and presents the token.
 * @return the session, or NULL with *err set (err may be NULL): the
 * resolver's or connect's error, BSDSOCK_EACCES for a refused token,
 * BSDSOCK_ECONNRESET if the server closed the connection (it has as many
 * sessions as it takes), BSDSOCK_EPROTO for a peer that does not speak
 * the protocol,
 * BSDSOCK_EINVAL for a malformed address or a NULL argument,
 * BSDSOCK_ENOMEM. */
BSDSOCK_EXTERN bsdsock_remote_t *bsdsock_remote_open(const char *hostport,
                                                     const char *token,
                                                     int *err);

/** Ends a session: the server closes every socket the session holds.
 * NULL is ignored. */
BSDSOCK_EXTERN void bsdsock_remote_close(bsdsock_remote_t *r);

/** The server's backend, as its bsdsock_backend() says ("posix", "win32").
 * @return a string owned by the session, valid until it is closed. */
BSDSOCK_EXTERN const char *bsdsock_remote_backend(const bsdsock_remote_t *r);

/** bsdsock_socket() on the server.
 * @return the server's descriptor, or a negative error (BSDSOCK_EMFILE at
 * the session's socket limit). */
BSDSOCK_EXTERN int bsdsock_remote_socket(bsdsock_remote_t *r, int family,
                                         int type, int protocol);
/** bsdsock_bind() on the server. @return 0, or a negative error. */
BSDSOCK_EXTERN int bsdsock_remote_bind(bsdsock_remote_t *r, int fd,
                                       const bsdsock_addr_t *addr);
/** bsdsock_listen() on the server. @return 0, or a negative error. */
BSDSOCK_EXTERN int bsdsock_remote_listen(bsdsock_remote_t *r, int fd,
                                         int backlog);
/** bsdsock_accept() on the server (blocking unless the listener is
 * non-blocking). @return the new descriptor, or a negative error. */
BSDSOCK_EXTERN int bsdsock_remote_accept(bsdsock_remote_t *r, int fd,
                                         bsdsock_addr_t *peer);
/** bsdsock_connect() on the server. @return 0, or a negative error
 * (BSDSOCK_EINPROGRESS for a non-blocking socket). */
BSDSOCK_EXTERN int bsdsock_remote_connect(bsdsock_remote_t *r, int fd,
                                          const bsdsock_addr_t *addr);
/** bsdsock_shutdown() on the server. @return 0, or a negative error. */
BSDSOCK_EXTERN int bsdsock_remote_shutdown(bsdsock_remote_t *r, int fd,
                                           int how);
/** bsdsock_close() on the server (a poller too). @return 0, or a
 * negative error. */
BSDSOCK_EXTERN int bsdsock_remote_close_fd(bsdsock_remote_t *r, int fd);
/** bsdsock_getsockname() on the server. @return 0, or a negative error. */
BSDSOCK_EXTERN int bsdsock_remote_getsockname(bsdsock_remote_t *r, int fd,
                                              bsdsock_addr_t *addr);
/** bsdsock_getpeername() on the server. @return 0, or a negative error. */
BSDSOCK_EXTERN int bsdsock_remote_getpeername(bsdsock_remote_t *r, int fd,
                                              bsdsock_addr_t *addr);
/** bsdsock_set_nonblocking() on the server. @return 0, or a negative
 * error. */
BSDSOCK_EXTERN int bsdsock_remote_set_nonblocking(bsdsock_remote_t *r, int fd,
                                                  int on);
/** bsdsock_get_nonblocking() on the server. @return 1 or 0, or a
 * negative error. */
BSDSOCK_EXTERN int bsdsock_remote_get_nonblocking(bsdsock_remote_t *r, int fd);

/** bsdsock_send() on the server; at most BSDSOCK_WIRE_MAX_DATA bytes
 * (less if the server's frames are smaller) go in one call.
 * @return the bytes sent, or a negative error. */
BSDSOCK_EXTERN bsdsock_ssize_t bsdsock_remote_send(bsdsock_remote_t *r, int fd,
                                                   const void *buf, size_t len,
                                                   int flags);
/** bsdsock_recv() on the server; at most BSDSOCK_WIRE_MAX_DATA bytes in
 * one call. @return the bytes received, or a negative error. */
BSDSOCK_EXTERN bsdsock_ssize_t bsdsock_remote_recv(bsdsock_remote_t *r, int fd,
                                                   void *buf, size_t len,
                                                   int flags);
/** bsdsock_sendto() on the server. @return the bytes sent, or a negative
 * error. */
BSDSOCK_EXTERN bsdsock_ssize_t bsdsock_remote_sendto(
    bsdsock_remote_t *r, int fd, const void *buf, size_t len, int flags,
    const bsdsock_addr_t *addr);
/** bsdsock_recvfrom() on the server. @return the bytes received, or a
 * negative error. */
BSDSOCK_EXTERN bsdsock_ssize_t bsdsock_remote_recvfrom(bsdsock_remote_t *r,
                                                       int fd, void *buf,
                                                       size_t len, int flags,
                                                       bsdsock_addr_t *from);

/** bsdsock_setsockopt() on the server; the value travels in its typed
 * form (docs/wire.md). @return 0, or a negative error. */
BSDSOCK_EXTERN int bsdsock_remote_setsockopt(bsdsock_remote_t *r, int fd,
                                             int level, int name,
                                             const void *value, size_t len);
/** bsdsock_getsockopt() on the server. @return 0, or a negative error. */
BSDSOCK_EXTERN int bsdsock_remote_getsockopt(bsdsock_remote_t *r, int fd,
                                             int level, int name, void *value,
                                             size_t *len);

/** bsdsock_getaddrinfo() with the server's resolver (at most 32 entries);
 * free the list with bsdsock_freeaddrinfo().
 * @return 0, or a negative resolver or socket error. */
BSDSOCK_EXTERN int bsdsock_remote_getaddrinfo(bsdsock_remote_t *r,
                                              const char *node,
                                              const char *service,
                                              const bsdsock_addrinfo_t *hints,
                                              bsdsock_addrinfo_t **res);
/** bsdsock_getnameinfo() with the server's resolver. @return 0, or a
 * negative resolver or socket error. */
BSDSOCK_EXTERN int bsdsock_remote_getnameinfo(bsdsock_remote_t *r,
                                              const bsdsock_addr_t *addr,
                                              char *host, size_t hostlen,
                                              char *serv, size_t servlen,
                                              int flags);

/** bsdsock_poll() on the server (at most 128 entries; more: EINVAL).
 * @return the number of ready entries, or a negative error. */
BSDSOCK_EXTERN int bsdsock_remote_poll(bsdsock_remote_t *r,
                                       bsdsock_pollfd_t *fds, size_t nfds,
                                       int timeout_ms);

/** bsdsock_poller_create() on the server. @return the poller, or a
 * negative error. */
BSDSOCK_EXTERN int bsdsock_remote_poller_create(bsdsock_remote_t *r);
/** bsdsock_poller_close() on the server. @return 0, or a negative error. */
BSDSOCK_EXTERN int bsdsock_remote_poller_close(bsdsock_remote_t *r,
                                               int poller);
/** bsdsock_poller_add() on the server. @return 0, or a negative error. */
BSDSOCK_EXTERN int bsdsock_remote_poller_add(bsdsock_remote_t *r, int poller,
                                             int fd, uint32_t events,
                                             uint64_t data);
/** bsdsock_poller_modify() on the server. @return 0, or a negative
 * error. */
BSDSOCK_EXTERN int bsdsock_remote_poller_modify(bsdsock_remote_t *r,
                                                int poller, int fd,
                                                uint32_t events,
                                                uint64_t data);
/** bsdsock_poller_delete() on the server. @return 0, or a negative
 * error. */
BSDSOCK_EXTERN int bsdsock_remote_poller_delete(bsdsock_remote_t *r,
                                                int poller, int fd);
/** bsdsock_poller_wait() on the server (at most 128 events a call).
 * @return the number of events, or a negative error. */
BSDSOCK_EXTERN int bsdsock_remote_poller_wait(bsdsock_remote_t *r, int poller,
                                              bsdsock_poller_event_t *events,
                                              int maxevents, int timeout_ms);

#ifdef __cplusplus
}
#endif

#endif /* BSDSOCK_REMOTE_H */
