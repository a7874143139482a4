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
 *
 * A message with ancillary data (msg->info, on an IPv4 or IPv6 datagram
 * socket) goes by WSARecvMsg/WSASendMsg instead, whose control data is
 * Winsock's own (WSACMSGHDR, IN_PKTINFO; quirks Q61-Q63); see "ancillary
 * data" below. Every other message is made exactly as before.
 */
#include "../internal.h"
#include "../msgctl.h"

#include <stdatomic.h>
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

/* The message calls, from their extension pointers (see below). */
typedef INT(WSAAPI *sendmsg_fn)(SOCKET, LPWSAMSG, DWORD, LPDWORD,
                                LPWSAOVERLAPPED,
                                LPWSAOVERLAPPED_COMPLETION_ROUTINE);
static int msg_call(SOCKET s, int send, WSAMSG *wm, DWORD *bytes,
                    WSAOVERLAPPED *ov);

/* One overlapped WSASendTo (send: to may be NULL) or WSARecvFrom (from may
 * be NULL) that does not wait, or with wm, one WSASendMsg / WSARecvMsg of
 * that message (whose dwFlags are then the flags). 0 with *bytes and
 * *wflags (in: the call's flags, out: the completion's), or SOCKET_ERROR
 * with the Winsock error pending. */
static int nowait(SOCKET s, int send, WSABUF *v, DWORD n, DWORD *wflags,
                  const struct sockaddr *to, int tolen, struct sockaddr *from,
                  int *fromlen, DWORD *bytes, WSAMSG *wm) {
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
  if (wm != NULL)
    rc = msg_call(s, send, wm, NULL, &ov);
  else
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
  if (nowait(s, 1, &b, 1, &wflags, sa, salen, NULL, NULL, &sent, NULL) != 0)
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
             &got, NULL) != 0)
    return SOCKET_ERROR;
  return (bsdsock_ssize_t)got;
}

/* ---- ancillary data ---------------------------------------------------------
 * WSARecvMsg is not exported by ws2_32: it is asked for through
 * WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) on a socket (quirk Q61);
 * WSASendMsg is both, and is taken the same way so that both come from
 * the socket's provider. The pointers are looked up on first use and kept
 * for the process: two threads that race there store the same value, so
 * an atomic pointer is all the safety it needs. The plain path never
 * looks them up. */
static _Atomic(LPFN_WSARECVMSG) recvmsg_ptr;
static _Atomic(sendmsg_fn) sendmsg_ptr;

/* Looks the pointer up into *cache if it is not there yet: 0, or
 * SOCKET_ERROR with the Winsock error pending. Every use crosses the
 * fault seam, so that a test can fail it whether or not it is cached. */
static int ext_lookup(SOCKET s, int send) {
  GUID rid = WSAID_WSARECVMSG, sid = WSAID_WSASENDMSG;
  void *fn = NULL;
  DWORD got = 0;
  if (send ? atomic_load(&sendmsg_ptr) != NULL
           : atomic_load(&recvmsg_ptr) != NULL)
    return 0;
  if (WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, send ? &sid : &rid,
               sizeof(GUID), &fn, sizeof(fn), &got, NULL, NULL) != 0)
    return SOCKET_ERROR;
  if (fn == NULL) {
    WSASetLastError(WSAEOPNOTSUPP);
    return SOCKET_ERROR;
  }
  if (send)
    atomic_store(&sendmsg_ptr, (sendmsg_fn)fn);
  else
    atomic_store(&recvmsg_ptr, (LPFN_WSARECVMSG)fn);
  return 0;
}

/* WSASendMsg / WSARecvMsg of wm (ext_lookup() has succeeded), overlapped
 * with ov, else blocking with *bytes. */
static int msg_call(SOCKET s, int send, WSAMSG *wm, DWORD *bytes,
                    WSAOVERLAPPED *ov) {
  if (send) {
    sendmsg_fn fn = atomic_load(&sendmsg_ptr);
    return BSDSOCK__OS(sendmsg, SOCKET_ERROR,
                       fn(s, wm, wm->dwFlags, bytes, ov, NULL));
  } else {
    LPFN_WSARECVMSG fn = atomic_load(&recvmsg_ptr);
    return BSDSOCK__OS(recvmsg, SOCKET_ERROR, fn(s, wm, bytes, ov, NULL));
  }
}

/* One message's control data (CTL_ROOM, src/msgctl.h), aligned for
 * WSACMSGHDR. */
union ctlbuf {
  char buf[CTL_ROOM];
  WSACMSGHDR align;
};

/* Appends one control message of len bytes to wm's (zeroed) buffer. */
static void ctl_put(WSAMSG *wm, int level, int type, const void *data,
                    size_t len) {
  WSACMSGHDR *c = (WSACMSGHDR *)(wm->Control.buf + wm->Control.len);
  c->cmsg_level = level;
  c->cmsg_type = type;
  c->cmsg_len = WSA_CMSG_LEN(len);
  memcpy(WSA_CMSG_DATA(c), data, len);
  wm->Control.len += (ULONG)WSA_CMSG_SPACE(len);
}

/* The control data of a send (quirk Q62): Winsock's IN_PKTINFO is
 * {address, index}, and on send the address is the source. */
static void ctl_send(WSAMSG *wm, union ctlbuf *ctl,
                     const bsdsock_msginfo_t *info, unsigned kind) {
  UINT ifindex = bsdsock__msginfo_ifindex(info);
  INT tos = info->tos;
  memset(ctl, 0, sizeof(*ctl));
  wm->Control.buf = ctl->buf;
  wm->Control.len = 0;
  if (info->valid & (BSDSOCK_MSGINFO_DST | BSDSOCK_MSGINFO_IFINDEX)) {
    if (kind == BSDSOCK__FD_CTL_IP4) {
      IN_PKTINFO pi;
      memset(&pi, 0, sizeof(pi));
      if (info->valid & BSDSOCK_MSGINFO_DST)
        memcpy(&pi.ipi_addr, info->dst.u.ip4, 4);
      pi.ipi_ifindex = ifindex;
      ctl_put(wm, IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
    } else {
      IN6_PKTINFO pi;
      memset(&pi, 0, sizeof(pi));
      if (info->valid & BSDSOCK_MSGINFO_DST)
        memcpy(&pi.ipi6_addr, info->dst.u.ip6, 16);
      pi.ipi6_ifindex = ifindex;
      ctl_put(wm, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi));
    }
  }
  if (info->valid & BSDSOCK_MSGINFO_TOS) {
    if (kind == BSDSOCK__FD_CTL_IP4)
      ctl_put(wm, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
    else
      ctl_put(wm, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos));
  }
  if (wm->Control.len == 0) wm->Control.buf = NULL;
}

/* Fills info from a received message's control data (valid was zeroed).
 * The TOS may come as one byte or as an INT. */
static void ctl_parse(bsdsock_msginfo_t *info, WSAMSG *wm) {
  WSACMSGHDR *c;
  for (c = WSA_CMSG_FIRSTHDR(wm); c != NULL; c = WSA_CMSG_NXTHDR(wm, c)) {
    const unsigned char *d = WSA_CMSG_DATA(c);
    size_t len;
    enum ctl_what k;
    if (c->cmsg_len < WSA_CMSG_LEN(0)) break;
    len = c->cmsg_len - WSA_CMSG_LEN(0);
    k = ctl_find(c->cmsg_level, c->cmsg_type);
    if (k == CTL_PKT4 && len >= sizeof(IN_PKTINFO)) {
      IN_PKTINFO pi;
      memcpy(&pi, d, sizeof(pi));
      bsdsock__msginfo_dst(info, BSDSOCK_AF_INET, &pi.ipi_addr,
                           pi.ipi_ifindex);
    } else if (k == CTL_PKT6 && len >= sizeof(IN6_PKTINFO)) {
      IN6_PKTINFO pi;
      memcpy(&pi, d, sizeof(pi));
      bsdsock__msginfo_dst(info, BSDSOCK_AF_INET6, &pi.ipi6_addr,
                           pi.ipi6_ifindex);
    } else if (k == CTL_TOS && len >= 1) {
      INT v = d[0];
      if (len >= sizeof(INT)) memcpy(&v, d, sizeof(INT));
      info->tos = v & 0xff;
      info->valid |= BSDSOCK_MSGINFO_TOS;
    }
  }
}

/* The descriptor's BSDSOCK__FD_CTL_* bit: 0 unless it is an IP datagram
 * socket whose kind the shared layer has learnt (src/os.h). */
static unsigned ctl_kind(int fd) {
  return bsdsock__fd_flags(fd) & (BSDSOCK__FD_CTL_IP4 | BSDSOCK__FD_CTL_IP6);
}

/* sendmsg with info that asks for something: WSASendMsg. */
static bsdsock_ssize_t sendmsg_ctl(int fd, SOCKET s, const bsdsock_msghdr_t *msg,
                                   int nflags, unsigned kind) {
  struct sockaddr_storage ss;
  struct wsabufs b;
  union ctlbuf ctl;
  WSAMSG wm;
  DWORD sent = 0, wflags = (DWORD)(nflags & ~BSDSOCK__NOWAIT);
  int sslen = 0, rc;
  memset(&wm, 0, sizeof(wm));
  if (msg->name != NULL) {
    rc = bsdsock__addr_to_sockaddr(msg->name, &ss, &sslen);
    if (rc != 0) return bsdsock__fail(rc);
    wm.name = (struct sockaddr *)&ss;
    wm.namelen = sslen;
  }
  if (BSDSOCK__OS(extfn, SOCKET_ERROR, ext_lookup(s, 1)) != 0)
    return bsdsock__os_send_error(fd);
  rc = bufs_make(&b, msg);
  if (rc != 0) return rc;
  wm.lpBuffers = b.v;
  wm.dwBufferCount = b.n;
  wm.dwFlags = wflags;
  ctl_send(&wm, &ctl, msg->info, kind);
  if (nflags & BSDSOCK__NOWAIT)
    rc = nowait(s, 1, NULL, 0, &wflags, NULL, 0, NULL, NULL, &sent, &wm);
  else
    rc = msg_call(s, 1, &wm, &sent, NULL);
  bufs_free(&b);
  if (BSDSOCK__UNLIKELY(rc == SOCKET_ERROR)) return bsdsock__os_send_error(fd);
  return (bsdsock_ssize_t)sent;
}

/* recvmsg with info on an IP datagram socket: WSARecvMsg. */
static bsdsock_ssize_t recvmsg_ctl(int fd, SOCKET s, bsdsock_msghdr_t *msg,
                                   int nflags, bsdsock_ssize_t total) {
  struct sockaddr_storage ss;
  struct wsabufs b;
  union ctlbuf ctl;
  WSAMSG wm;
  DWORD got = 0, wflags = (DWORD)(nflags & ~BSDSOCK__NOWAIT);
  int rc, e = 0, out = 0;
  bsdsock_ssize_t n;
  if (BSDSOCK__OS(extfn, SOCKET_ERROR, ext_lookup(s, 0)) != 0)
    return bsdsock__os_recv_error(fd, 0);
  rc = bufs_make(&b, msg);
  if (rc != 0) return rc;
  memset(&wm, 0, sizeof(wm));
  memset(&ss, 0, sizeof(ss));
  ss.ss_family = AF_UNSPEC;
  wm.name = (struct sockaddr *)&ss;
  wm.namelen = sizeof(ss);
  wm.lpBuffers = b.v;
  wm.dwBufferCount = b.n;
  wm.Control.buf = ctl.buf;
  wm.Control.len = sizeof(ctl.buf);
  wm.dwFlags = wflags;
  if (nflags & BSDSOCK__NOWAIT)
    rc = nowait(s, 0, NULL, 0, &wflags, NULL, 0, NULL, NULL, &got, &wm);
  else
    rc = msg_call(s, 0, &wm, &got, NULL);
  if (BSDSOCK__UNLIKELY(rc == SOCKET_ERROR)) e = WSAGetLastError();
  bufs_free(&b);
  if (BSDSOCK__UNLIKELY(rc == SOCKET_ERROR)) {
    n = bsdsock__os_recv_error(fd, (size_t)total);
    if (n < 0) return n;
    if (e == WSAEMSGSIZE) out = BSDSOCK_MSG_TRUNC;
  } else {
    n = (bsdsock_ssize_t)got;
  }
  /* The flags come back in the message, or (an overlapped call, nowait())
   * in the completion's; the call's own never have these bits. */
  wflags |= wm.dwFlags;
  if (wflags & MSG_TRUNC) out |= BSDSOCK_MSG_TRUNC;
  if (wflags & MSG_CTRUNC) out |= BSDSOCK_MSG_CTRUNC;
  msg->flags = out;
  ctl_parse(msg->info, &wm);
  if (msg->name != NULL &&
      bsdsock__addr_from_sockaddr(msg->name, (struct sockaddr *)&ss,
                                  (size_t)wm.namelen) != 0)
    memset(msg->name, 0, sizeof(*msg->name));
  return n;
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
    rc = nowait(s, 1, b.v, b.n, &wflags, to, sslen, NULL, NULL, &sent, NULL);
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
                from ? &sslen : NULL, &got, NULL);
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

/* A message with ancillary data: WSASendMsg when the info asks for
 * something on an IP datagram socket, else as without it. */
bsdsock_ssize_t bsdsock__os_sendmsg_info(int fd, SOCKET s,
                                         const bsdsock_msghdr_t *msg,
                                         int nflags) {
  unsigned kind = ctl_kind(fd);
  if (msg->info->valid != 0 && kind != 0)
    return sendmsg_ctl(fd, s, msg, nflags, kind);
  return bsdsock__os_sendmsg(fd, s, msg, nflags);
}

/* A receive with ancillary data: WSARecvMsg on an IP datagram socket,
 * else as without it (nothing to report). */
bsdsock_ssize_t bsdsock__os_recvmsg_info(int fd, SOCKET s,
                                         bsdsock_msghdr_t *msg, int nflags,
                                         bsdsock_ssize_t total) {
  msg->info->valid = 0;
  if (ctl_kind(fd) != 0) return recvmsg_ctl(fd, s, msg, nflags, total);
  return bsdsock__os_recvmsg(fd, s, msg, nflags, total);
}
