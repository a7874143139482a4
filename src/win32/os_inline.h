/* SPDX-License-Identifier: MIT */
/*
 * src/win32/os_inline.h - the hot-path part of the Windows backend's OS
 * contract (src/os.h), inline so that a plain bsdsock_send() is the
 * descriptor lookup, its checks and the plain send() (not WSASend: one
 * buffer needs no WSABUF array).
 */
#ifndef BSDSOCK_OS_INLINE_H
#define BSDSOCK_OS_INLINE_H

/* The SOCKET behind fd: two atomic loads in the lock-free table
 * (fdtable.c), INVALID_SOCKET for a closed or never-opened number. */
bsdsock__sock_t bsdsock__fd_get(int fd);
#define BSDSOCK__SOCK_OK(s) ((s) != INVALID_SOCKET)

/* Pollers (poller.c) take numbers from the same table (fdtable.c): a
 * poller's number holds no SOCKET, so socket calls on it say EBADF.
 * bsdsock__fd_alloc_poller returns the number (p is not freed on failure);
 * bsdsock__fd_poller the poller behind a number, NULL if none (release it
 * with bsdsock__fd_release). bsdsock__fd_gen changes each time a number
 * is handed out, so that a poller can tell a socket closed and a new one
 * on the same number apart. */
int bsdsock__fd_alloc_poller(void *p);
void *bsdsock__fd_poller(int fd);
unsigned bsdsock__fd_gen(int fd);

/* Winsock lengths are int: longer buffers are sent or filled in part, which
 * a stream caller must handle anyway (no datagram is that long). */
#define BSDSOCK__WSALEN(len) ((len) > (size_t)INT_MAX ? INT_MAX : (int)(len))

/* The calls below with BSDSOCK__NOWAIT in nflags (src/os.h): Winsock has
 * no MSG_DONTWAIT, so they are overlapped calls, out of line (msg.c). sa
 * and ss may be NULL; the results are the calls' own. A plain call passes
 * nflags 0, so the test costs it nothing. */
bsdsock_ssize_t bsdsock__os_send_nowait(SOCKET s, const void *buf, size_t len,
                                        int nflags, const struct sockaddr *sa,
                                        int salen);
bsdsock_ssize_t bsdsock__os_recv_nowait(SOCKET s, void *buf, size_t len,
                                        int nflags,
                                        struct sockaddr_storage *ss,
                                        int *sslen);

static inline bsdsock_ssize_t bsdsock__os_send(SOCKET s, const void *buf,
                                               size_t len, int nflags) {
  if (nflags & BSDSOCK__NOWAIT)
    return bsdsock__os_send_nowait(s, buf, len, nflags, NULL, 0);
  return BSDSOCK__OS(send, SOCKET_ERROR,
                     send(s, (const char *)buf, BSDSOCK__WSALEN(len), nflags));
}

static inline bsdsock_ssize_t bsdsock__os_sendto(SOCKET s, const void *buf,
                                                 size_t len, int nflags,
                                                 const struct sockaddr *sa,
                                                 int salen) {
  if (nflags & BSDSOCK__NOWAIT)
    return bsdsock__os_send_nowait(s, buf, len, nflags, sa, salen);
  return BSDSOCK__OS(sendto, SOCKET_ERROR,
                     sendto(s, (const char *)buf, BSDSOCK__WSALEN(len), nflags,
                            sa, salen));
}

static inline bsdsock_ssize_t bsdsock__os_recv(SOCKET s, void *buf, size_t len,
                                               int nflags) {
  if (nflags & BSDSOCK__NOWAIT)
    return bsdsock__os_recv_nowait(s, buf, len, nflags, NULL, NULL);
  return BSDSOCK__OS(recv, SOCKET_ERROR,
                     recv(s, (char *)buf, BSDSOCK__WSALEN(len), nflags));
}

static inline bsdsock_ssize_t bsdsock__os_recvfrom(SOCKET s, void *buf,
                                                   size_t len, int nflags,
                                                   struct sockaddr_storage *ss,
                                                   int *sslen) {
  if (nflags & BSDSOCK__NOWAIT)
    return bsdsock__os_recv_nowait(s, buf, len, nflags, ss, sslen);
  return BSDSOCK__OS(recvfrom, SOCKET_ERROR,
                     recvfrom(s, (char *)buf, BSDSOCK__WSALEN(len), nflags,
                              (struct sockaddr *)ss, sslen));
}

#endif /* BSDSOCK_OS_INLINE_H */
