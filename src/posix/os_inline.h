/* SPDX-License-Identifier: MIT */
/*
 * src/posix/os_inline.h - the hot-path part of the POSIX backend's OS
 * contract (src/os.h), inline so that a plain bsdsock_send() is its checks
 * and the system call.
 *
 * SIGPIPE is suppressed per call with MSG_NOSIGNAL (Linux, the BSDs), per
 * socket with SO_NOSIGPIPE (macOS; set in socket.c), or, where a system has
 * neither, by blocking the signal in the calling thread around the send
 * (socket.c); never by touching the process's signal disposition (quirk
 * Q16, fault F11).
 */
#ifndef BSDSOCK_OS_INLINE_H
#define BSDSOCK_OS_INLINE_H

/* A bsdsock descriptor is the kernel's own (fdtable.c): nothing to look
 * up, any number >= 0 may be one, and a closed number is found out by the
 * system call itself. */
static inline bsdsock__sock_t bsdsock__fd_get(int fd) {
  return fd;
}
#define BSDSOCK__SOCK_OK(s) ((s) >= 0)

#ifdef BSDSOCK_HAVE_MSG_NOSIGNAL
# define BSDSOCK__NOSIGNAL MSG_NOSIGNAL
#else
# define BSDSOCK__NOSIGNAL 0
#endif

#ifdef BSDSOCK_HAVE_SIGPIPE_GUARD
/* SIGPIPE blocked in this thread for one send; a SIGPIPE that send raised
 * is taken off the pending set before the mask is restored (socket.c). */
struct bsdsock__sigpipe {
  sigset_t old;
  int pending;   /* SIGPIPE was already pending: not ours to discard */
};
int bsdsock__sigpipe_block(struct bsdsock__sigpipe *g);
void bsdsock__sigpipe_unblock(const struct bsdsock__sigpipe *g);
/* var = call, with SIGPIPE blocked around it; var = -1 (errno set) if the
 * signal could not be blocked. */
# define BSDSOCK__GUARDED(var, call)                                         \
  do {                                                                       \
    struct bsdsock__sigpipe g_;                                              \
    if (bsdsock__sigpipe_block(&g_) != 0) {                                  \
      var = -1;                                                              \
    } else {                                                                 \
      var = call;                                                            \
      bsdsock__sigpipe_unblock(&g_);                                         \
    }                                                                        \
  } while (0)
#else
# define BSDSOCK__GUARDED(var, call) var = call
#endif

static inline bsdsock_ssize_t bsdsock__os_send(int s, const void *buf,
                                               size_t len, int nflags) {
  ssize_t n;
  BSDSOCK__GUARDED(n, BSDSOCK__OS(send, -1,
                                   send(s, buf, len,
                                        nflags | BSDSOCK__NOSIGNAL)));
  return n;
}

static inline bsdsock_ssize_t bsdsock__os_sendto(int s, const void *buf,
                                                 size_t len, int nflags,
                                                 const struct sockaddr *sa,
                                                 socklen_t salen) {
  ssize_t n;
  BSDSOCK__GUARDED(n, BSDSOCK__OS(sendto, -1,
                                   sendto(s, buf, len,
                                          nflags | BSDSOCK__NOSIGNAL, sa,
                                          salen)));
  return n;
}

static inline bsdsock_ssize_t bsdsock__os_recv(int s, void *buf, size_t len,
                                               int nflags) {
  return BSDSOCK__OS(recv, -1, recv(s, buf, len, nflags));
}

static inline bsdsock_ssize_t bsdsock__os_recvfrom(int s, void *buf,
                                                   size_t len, int nflags,
                                                   struct sockaddr_storage *ss,
                                                   socklen_t *sslen) {
  return BSDSOCK__OS(recvfrom, -1,
                     recvfrom(s, buf, len, nflags, (struct sockaddr *)ss,
                              sslen));
}

#endif /* BSDSOCK_OS_INLINE_H */
