/*
 * src/win32/msg.c - scatter/gather and batched datagram calls on Winsock.
 *
 * One message is one WSASendTo/WSARecvFrom over a WSABUF array. They work
 * on stream and datagram sockets alike, unlike WSASendMsg/WSARecvMsg
 * (datagram and raw sockets only, and WSARecvMsg must be looked up through
 * WSAIoctl). A truncated datagram fails with WSAEMSGSIZE after filling the
 * buffers (quirk Q50); that becomes BSDSOCK_MSG_TRUNC, as on BSD.
 *
 * Winsock has no batched datagram call (Registered I/O aside, which needs
 * registered buffers and its own queues), so the batched calls loop; the
 * loop is what sendmmsg/recvmmsg do in the kernel, at one system call per
 * message.
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
    b->v = malloc(n * sizeof(WSABUF));
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

static bsdsock_ssize_t send_one(int fd, SOCKET s, const bsdsock_msghdr_t *msg,
                                int nflags) {
  struct sockaddr_storage ss;
  struct wsabufs b;
  DWORD sent = 0;
  int sslen = 0, rc;
  if (msg->name != NULL) {
    rc = bsdsock__addr_to_sockaddr(msg->name, &ss, &sslen);
    if (rc != 0) return rc;
  }
  rc = bufs_make(&b, msg);
  if (rc != 0) return rc;
  rc = WSASendTo(s, b.v, b.n, &sent, (DWORD)nflags,
                 msg->name ? (struct sockaddr *)&ss : NULL, sslen, NULL, NULL);
  bufs_free(&b);
  if (BSDSOCK__UNLIKELY(rc == SOCKET_ERROR)) return bsdsock__send_error(fd);
  return (bsdsock_ssize_t)sent;
}

/* total: the buffers' size, which is what a truncated datagram filled. */
static bsdsock_ssize_t recv_one(int fd, SOCKET s, bsdsock_msghdr_t *msg,
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
  rc = WSARecvFrom(s, b.v, b.n, &got, &wflags,
                   msg->name ? (struct sockaddr *)&ss : NULL,
                   msg->name ? &sslen : NULL, NULL, NULL);
  if (BSDSOCK__UNLIKELY(rc == SOCKET_ERROR)) e = WSAGetLastError();
  bufs_free(&b);
  if (BSDSOCK__UNLIKELY(rc == SOCKET_ERROR)) {
    n = bsdsock__recv_error(fd, (size_t)(total > INT_MAX ? INT_MAX : total));
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

bsdsock_ssize_t bsdsock_sendmsg(int fd, const bsdsock_msghdr_t *msg,
                                int flags) {
  bsdsock_ssize_t n;
  int nflags, token;
  SOCKET s;
  BSDSOCK__GET_SOCKET(s, fd);
  BSDSOCK__DATA_FLAGS(flags, nflags);
  n = bsdsock__msg_check(msg);
  if (n < 0) return n;
  token = bsdsock__dontwait_begin(fd, s, flags);
  if (token < 0) return token;
  n = send_one(fd, s, msg, nflags);
  bsdsock__dontwait_end(s, token);
  return n;
}

bsdsock_ssize_t bsdsock_recvmsg(int fd, bsdsock_msghdr_t *msg, int flags) {
  bsdsock_ssize_t n, total;
  int nflags, token;
  SOCKET s;
  BSDSOCK__GET_SOCKET(s, fd);
  BSDSOCK__DATA_FLAGS(flags, nflags);
  total = bsdsock__msg_check(msg);
  if (total < 0) return total;
  token = bsdsock__dontwait_begin(fd, s, flags);
  if (token < 0) return token;
  n = recv_one(fd, s, msg, nflags, total);
  bsdsock__dontwait_end(s, token);
  return n;
}

/* The shared prologue of the batched calls: *deferred, descriptor, flags,
 * shape. */
#define MMSG_PROLOGUE(s, fd, msgs, n, flags, nflags, deferred)               \
  do {                                                                       \
    int rc_;                                                                 \
    if ((deferred) != NULL) *(deferred) = 0;                                 \
    BSDSOCK__GET_SOCKET(s, fd);                                              \
    BSDSOCK__DATA_FLAGS(flags, nflags);                                      \
    if ((n) > (size_t)INT_MAX) (n) = (size_t)INT_MAX;                        \
    rc_ = bsdsock__mmsg_check(msgs, n);                                      \
    if (rc_ != 0) return rc_;                                                \
  } while (0)

int bsdsock_sendmmsg(int fd, bsdsock_mmsghdr_t *msgs, size_t n, int flags,
                     int *deferred) {
  bsdsock_ssize_t r = 0;
  size_t done;
  int nflags, token;
  SOCKET s;
  MMSG_PROLOGUE(s, fd, msgs, n, flags, nflags, deferred);
  token = bsdsock__dontwait_begin(fd, s, flags);
  if (token < 0) return token;
  for (done = 0; done < n; done++) {
    r = send_one(fd, s, &msgs[done].hdr, nflags);
    if (r < 0) break;
    msgs[done].len = (size_t)r;
  }
  bsdsock__dontwait_end(s, token);
  return bsdsock__batch_result(done, r < 0 ? (int)r : 0, deferred);
}

int bsdsock_recvmmsg(int fd, bsdsock_mmsghdr_t *msgs, size_t n, int flags,
                     int *deferred) {
  bsdsock_ssize_t r = 0;
  size_t done;
  int nflags, token = 0;
  SOCKET s;
  MMSG_PROLOGUE(s, fd, msgs, n, flags, nflags, deferred);
  if (flags & BSDSOCK_MSG_DONTWAIT) {
    token = bsdsock__dontwait_begin(fd, s, flags);
    if (token < 0) return token;
  }
  for (done = 0; done < n; done++) {
    /* The first receive waits as the socket would; the rest take only
     * what is queued (Linux's MSG_WAITFORONE), so a blocking socket is
     * switched to non-blocking once, after the first datagram (as the
     * emulated MSG_DONTWAIT does, this shows to other threads using the
     * socket at that moment). */
    if (done == 1 && !(flags & BSDSOCK_MSG_DONTWAIT)) {
      token = bsdsock__dontwait_begin(fd, s, BSDSOCK_MSG_DONTWAIT);
      if (token < 0) {
        r = token;
        token = 0;
        break;
      }
    }
    r = recv_one(fd, s, &msgs[done].hdr, nflags,
                 bsdsock__msg_check(&msgs[done].hdr));
    if (r < 0) {
      if (done > 0 && r == BSDSOCK_EAGAIN) r = 0;  /* ran out: no error */
      break;
    }
    msgs[done].len = (size_t)r;
  }
  bsdsock__dontwait_end(s, token);
  return bsdsock__batch_result(done, r < 0 ? (int)r : 0, deferred);
}
