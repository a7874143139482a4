/* SPDX-License-Identifier: MIT */
/*
 * src/win32/msg.c - scatter/gather on Winsock (src/os.h; the checks and
 * the batch loop are in src/msg.c).
 *
 * One message is one WSASendTo/WSARecvFrom over a WSABUF array. They work
 * on stream and datagram sockets alike, unlike WSASendMsg/WSARecvMsg
 * (datagram and raw sockets only, and WSARecvMsg must be looked up through
 * WSAIoctl). A truncated datagram fails with WSAEMSGSIZE after filling the
 * buffers (quirk Q50); that becomes BSDSOCK_MSG_TRUNC, as on BSD.
 *
 * Winsock has no batched datagram call (Registered I/O aside, which needs
 * registered buffers and its own queues), so the batched calls are the
 * shared layer's loop over these two.
 *
 * Winsock has no MSG_DONTWAIT either (quirk Q8): a call that must not wait
 * (BSDSOCK__NOWAIT, src/os.h) is an overlapped call here, see nowait().
 */
#include "../internal.h"

#include <stdlib.h>

/* WSABUF ({ULONG len; char *buf}) is not bsdsock_iovec_t's layout: this
 * many are converted on the stack, more in one allocation. */
#define IOV_STACK 64

struct wsabufs {
  WSABUF *v;
  DWORD n;
  WSABUF stack[IOV_STACK];
};

/* Converts msg's buffers. iovlen 0 becomes one empty buffer, which Winsock
 * takes as an empty datagram (it may reject a NULL array). */
static int bufs_make(struct wsabufs *b, const bsdsock_msghdr_t *msg) {
  size_t i, n = msg->iovlen;
  b->v = b->stack;
  if (n == 0) {
    b->stack[0].buf = NULL;
    b->stack[0].len = 0;
    b->n = 1;
    return 0;
  }
  if (n > IOV_STACK) {
    b->v = bsdsock__malloc(n * sizeof(WSABUF));
    if (b->v == NULL) return bsdsock__fail(BSDSOCK_ENOMEM);
  }
  for (i = 0; i < n; i++) {
    /* ULONG lengths: a longer buffer is used in part, as a stream caller
     * handles anyway (no datagram is that long). */
    size_t len = msg->iov[i].len;
    b->v[i].len = len > ULONG_MAX ? ULONG_MAX : (ULONG)len;
    b->v[i].buf = msg->iov[i].base;
  }
  b->n = (DWORD)n;
  return 0;
}

/* Frees the buffers, keeping the thread's last Winsock error. */
static void bufs_free(struct wsabufs *b) {
  if (b->v != b->stack) {
    int e = WSAGetLastError();
    free(b->v);
    WSASetLastError(e);
  }
}

/* ---- calls that must not wait ----------------------------------------------
 * Switching the socket to non-blocking around the call (FIONBIO on, the
 * call, off) would be seen by every other thread using the socket: a
 * blocking receive there would fail with WSAEWOULDBLOCK, and a
 * bsdsock_set_nonblocking() made meanwhile would be undone. A zero-timeout
 * readiness check before a blocking call would not do either: another
 * thread can take the data in between, and the call then waits.
 *
 * bsdsock's sockets are overlapped (WSA_FLAG_OVERLAPPED, socket.c; an
 * accepted socket inherits it), so the call is made overlapped, with an
 * event of its own; the socket's mode does not matter to an overlapped
 * call. If it completes at once (a datagram or bytes were queued, or there
 * was room to send), that is the result. If it is pending, it is
 * cancelled (CancelIoEx on its own OVERLAPPED, which no other thread's
 * call shares) and waited for, since the OVERLAPPED, the buffers and the
 * address are in use until it ends: cancelled, it took nothing and the
 * answer is WSAEWOULDBLOCK (EAGAIN); completed meanwhile, its data is the
 * result, so nothing is lost. A cancelled send that had already sent part
 * reports that part, as a non-blocking BSD send may.
 *
 * AFD may complete every pending receive of a socket when one is
 * cancelled (dotnet/corefx#34212): another thread's blocking receive then
 * fails with WSA_OPERATION_ABORTED, which bsdsock issues again like an
 * interrupted call (socket.c, bsdsock__os_recv_error). Wine cancels the
 * one call.
 *
 * The cost is an event per call (created and closed: two system calls),
 * and for a call that finds nothing, the cancel and the wait. */

/* One overlapped WSASendTo (send: to may be NULL) or WSARecvFrom (from may
 * be NULL) that does not wait. 0 with *bytes and *wflags (in: the call's
 * flags, out: the completion's), or SOCKET_ERROR with the Winsock error
 * pending. */
static int nowait(SOCKET s, int send, WSABUF *v, DWORD n, DWORD *wflags,
                  const struct sockaddr *to, int tolen, struct sockaddr *from,
                  int *fromlen, DWORD *bytes) {
  WSAOVERLAPPED ov;
  HANDLE ev;
  int rc, e = 0;
  *bytes = 0;
  ev = BSDSOCK__OS(nowait, NULL, CreateEventW(NULL, TRUE, FALSE, NULL));
  if (ev == NULL) return SOCKET_ERROR;
  memset(&ov, 0, sizeof(ov));
  /* The low bit keeps the completion off an I/O completion port the
   * caller may have tied the socket to (bsdsock_native_handle): this
   * OVERLAPPED is on bsdsock's stack. */
  ov.hEvent = (HANDLE)((uintptr_t)ev | 1);
  rc = send ? BSDSOCK__OS(sendmsg, SOCKET_ERROR,
                          WSASendTo(s, v, n, NULL, *wflags, to, tolen, &ov,
                                    NULL))
            : BSDSOCK__OS(recvmsg, SOCKET_ERROR,
                          WSARecvFrom(s, v, n, NULL, wflags, from, fromlen,
                                      &ov, NULL));
  if (rc == SOCKET_ERROR) e = WSAGetLastError();
  if (rc == 0 || e == WSA_IO_PENDING) {
    /* ERROR_NOT_FOUND: it completed before the cancel, which is fine. */
    if (e == WSA_IO_PENDING) CancelIoEx((HANDLE)s, &ov);
    rc = WSAGetOverlappedResult(s, &ov, bytes, TRUE, wflags) ? 0
                                                              : SOCKET_ERROR;
    e = rc == 0 ? 0 : WSAGetLastError();
    /* Cancelled: nothing came at once, or part of a send went. A
     * listening socket has nothing to send or receive and never will: not
     * connected, as the call fails at once elsewhere (Wine queues it). */
    if (e == WSA_OPERATION_ABORTED) {
      if (*bytes > 0)
        rc = 0;
      else
        e = bsdsock__os_listening(s) ? WSAENOTCONN : WSAEWOULDBLOCK;
    }
  }
  CloseHandle(ev);
  if (rc != 0) WSASetLastError(e);
  return rc;
}

bsdsock_ssize_t bsdsock__os_send_nowait(SOCKET s, const void *buf, size_t len,
                                        int nflags, const struct sockaddr *sa,
                                        int salen) {
  WSABUF b;
  DWORD sent, wflags = (DWORD)(nflags & ~BSDSOCK__NOWAIT);
  /* WSABUF has no const; WSASendTo only reads it. */
  b.buf = (char *)(uintptr_t)buf;
  b.len = (ULONG)BSDSOCK__WSALEN(len);
  if (nowait(s, 1, &b, 1, &wflags, sa, salen, NULL, NULL, &sent) != 0)
    return SOCKET_ERROR;
  return (bsdsock_ssize_t)sent;
}

bsdsock_ssize_t bsdsock__os_recv_nowait(SOCKET s, void *buf, size_t len,
                                        int nflags,
                                        struct sockaddr_storage *ss,
                                        int *sslen) {
  WSABUF b;
  DWORD got, wflags = (DWORD)(nflags & ~BSDSOCK__NOWAIT);
  b.buf = buf;
  b.len = (ULONG)BSDSOCK__WSALEN(len);
  if (nowait(s, 0, &b, 1, &wflags, NULL, 0, (struct sockaddr *)ss, sslen,
             &got) != 0)
    return SOCKET_ERROR;
  return (bsdsock_ssize_t)got;
}

/* ---- one message ---------------------------------------------------------- */

bsdsock_ssize_t bsdsock__os_sendmsg(int fd, SOCKET s,
                                    const bsdsock_msghdr_t *msg, int nflags) {
  struct sockaddr_storage ss;
  struct sockaddr *to = NULL;
  struct wsabufs b;
  DWORD sent = 0, wflags = (DWORD)(nflags & ~BSDSOCK__NOWAIT);
  int sslen = 0, rc;
  if (msg->name != NULL) {
    rc = bsdsock__addr_to_sockaddr(msg->name, &ss, &sslen);
    if (rc != 0) return bsdsock__fail(rc);
    to = (struct sockaddr *)&ss;
  }
  rc = bufs_make(&b, msg);
  if (rc != 0) return rc;
  if (nflags & BSDSOCK__NOWAIT)
    rc = nowait(s, 1, b.v, b.n, &wflags, to, sslen, NULL, NULL, &sent);
  else
    rc = BSDSOCK__OS(sendmsg, SOCKET_ERROR,
                     WSASendTo(s, b.v, b.n, &sent, wflags, to, sslen, NULL,
                               NULL));
  bufs_free(&b);
  if (BSDSOCK__UNLIKELY(rc == SOCKET_ERROR)) return bsdsock__os_send_error(fd);
  return (bsdsock_ssize_t)sent;
}

/* total: the buffers' size, which is what a truncated datagram filled. */
bsdsock_ssize_t bsdsock__os_recvmsg(int fd, SOCKET s, bsdsock_msghdr_t *msg,
                                    int nflags, bsdsock_ssize_t total) {
  struct sockaddr_storage ss;
  struct wsabufs b;
  struct sockaddr *from = msg->name ? (struct sockaddr *)&ss : NULL;
  DWORD got = 0, wflags = (DWORD)(nflags & ~BSDSOCK__NOWAIT);
  int sslen = sizeof(ss), rc, e = 0, out = 0;
  bsdsock_ssize_t n;
  rc = bufs_make(&b, msg);
  if (rc != 0) return rc;
  /* A connected stream socket leaves the address alone: AF_UNSPEC then
   * reads back as "no address". */
  ss.ss_family = AF_UNSPEC;
  if (nflags & BSDSOCK__NOWAIT)
    rc = nowait(s, 0, b.v, b.n, &wflags, NULL, 0, from,
                from ? &sslen : NULL, &got);
  else
    rc = BSDSOCK__OS(recvmsg, SOCKET_ERROR,
                     WSARecvFrom(s, b.v, b.n, &got, &wflags, from,
                                 from ? &sslen : NULL, NULL, NULL));
  if (BSDSOCK__UNLIKELY(rc == SOCKET_ERROR)) e = WSAGetLastError();
  bufs_free(&b);
  if (BSDSOCK__UNLIKELY(rc == SOCKET_ERROR)) {
    n = bsdsock__os_recv_error(fd, (size_t)total);
    if (n < 0) return n;
    if (e == WSAEMSGSIZE) out = BSDSOCK_MSG_TRUNC;
  } else {
    n = (bsdsock_ssize_t)got;
    if (wflags & MSG_PARTIAL) out = BSDSOCK_MSG_TRUNC;
  }
  msg->flags = out;
  if (msg->name != NULL &&
      bsdsock__addr_from_sockaddr(msg->name, (struct sockaddr *)&ss,
                                  (size_t)sslen) != 0)
    memset(msg->name, 0, sizeof(*msg->name));
  return n;
}
