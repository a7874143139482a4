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

bsdsock_ssize_t bsdsock__os_sendmsg(int fd, SOCKET s,
                                    const bsdsock_msghdr_t *msg, int nflags) {
  struct sockaddr_storage ss;
  struct wsabufs b;
  DWORD sent = 0;
  int sslen = 0, rc;
  if (msg->name != NULL) {
    rc = bsdsock__addr_to_sockaddr(msg->name, &ss, &sslen);
    if (rc != 0) return bsdsock__fail(rc);
  }
  rc = bufs_make(&b, msg);
  if (rc != 0) return rc;
  rc = BSDSOCK__OS(sendmsg, SOCKET_ERROR,
                   WSASendTo(s, b.v, b.n, &sent, (DWORD)nflags,
                             msg->name ? (struct sockaddr *)&ss : NULL, sslen,
                             NULL, NULL));
  bufs_free(&b);
  if (BSDSOCK__UNLIKELY(rc == SOCKET_ERROR)) return bsdsock__os_send_error(fd);
  return (bsdsock_ssize_t)sent;
}

/* total: the buffers' size, which is what a truncated datagram filled. */
bsdsock_ssize_t bsdsock__os_recvmsg(int fd, SOCKET s, bsdsock_msghdr_t *msg,
                                    int nflags, bsdsock_ssize_t total) {
  struct sockaddr_storage ss;
  struct wsabufs b;
  DWORD got = 0, wflags = (DWORD)nflags;
  int sslen = sizeof(ss), rc, e = 0, out = 0;
  bsdsock_ssize_t n;
  rc = bufs_make(&b, msg);
  if (rc != 0) return rc;
  /* A connected stream socket leaves the address alone: AF_UNSPEC then
   * reads back as "no address". */
  ss.ss_family = AF_UNSPEC;
  rc = BSDSOCK__OS(recvmsg, SOCKET_ERROR,
                   WSARecvFrom(s, b.v, b.n, &got, &wflags,
                               msg->name ? (struct sockaddr *)&ss : NULL,
                               msg->name ? &sslen : NULL, NULL, NULL));
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
