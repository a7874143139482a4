/* SPDX-License-Identifier: MIT */
/*
 * src/msg.c - scatter/gather and batched datagram calls, written once.
 *
 * Everything a message can get wrong is checked here, before the backend
 * touches the socket, so that bad input changes nothing on either platform
 * (a kernel would otherwise discard a datagram it cannot copy out, or send
 * part of a batch before reaching the bad message). Batches go to the
 * OS's batch calls where it has them (BSDSOCK_HAVE_MMSG: Linux's sendmmsg
 * and recvmmsg, with UDP segmentation), else to the loop below, which is
 * what those calls do in the kernel, one system call per message.
 */
#include "internal.h"

bsdsock_ssize_t bsdsock__msg_check(const bsdsock_msghdr_t *msg) {
  size_t i, total = 0;
  if (msg == NULL) return BSDSOCK_EINVAL;
  /* Linux says EMSGSIZE for more than UIO_MAXIOV (1024) buffers; the
   * portable limit is the same number on every platform. */
  if (msg->iovlen > BSDSOCK_IOV_MAX) return BSDSOCK_EMSGSIZE;
  if (msg->iov == NULL && msg->iovlen != 0) return BSDSOCK_EINVAL;
  for (i = 0; i < msg->iovlen; i++) {
    size_t len = msg->iov[i].len;
    if (msg->iov[i].base == NULL && len != 0) return BSDSOCK_EINVAL;
    /* The result is a signed byte count (Linux: EINVAL above SSIZE_MAX). */
    if (len > (size_t)PTRDIFF_MAX - total) return BSDSOCK_EINVAL;
    total += len;
  }
  return (bsdsock_ssize_t)total;
}

int bsdsock__msg_ctl_kind(int fd, bsdsock__sock_t s) {
  struct bsdsock__sockstate st;
  unsigned f = bsdsock__fd_flags(fd);
  if (!(f & BSDSOCK__FD_CTL_KNOWN)) {
    if (bsdsock__os_sockstate(s, &st) != 0) return BSDSOCK_EBADF;
    f = 0;
    if (st.type == BSDSOCK_SOCK_DGRAM && st.family == BSDSOCK_AF_INET)
      f = BSDSOCK__FD_CTL_IP4;
    if (st.type == BSDSOCK_SOCK_DGRAM && st.family == BSDSOCK_AF_INET6)
      f = BSDSOCK__FD_CTL_IP6;
    bsdsock__fd_set_flags(fd, BSDSOCK__FD_CTL_KNOWN | f, 0);
  }
  return (int)(f & (BSDSOCK__FD_CTL_IP4 | BSDSOCK__FD_CTL_IP6));
}

void bsdsock__msginfo_dst(bsdsock_msginfo_t *info, int family,
                          const void *addr, unsigned ifindex) {
  memset(&info->dst, 0, sizeof(info->dst));
  info->dst.family = (uint16_t)family;
  if (family == BSDSOCK_AF_INET) {
    memcpy(info->dst.u.ip4, addr, 4);
  } else {
    memcpy(info->dst.u.ip6, addr, 16);
    /* fe80::/10: the address means something on that interface only. */
    if (info->dst.u.ip6[0] == 0xfe && (info->dst.u.ip6[1] & 0xc0) == 0x80)
      info->dst.scope_id = ifindex;
  }
  info->ifindex = ifindex;
  info->valid |= BSDSOCK_MSGINFO_DST | BSDSOCK_MSGINFO_IFINDEX;
}

unsigned bsdsock__msginfo_ifindex(const bsdsock_msginfo_t *info) {
  if (info->valid & BSDSOCK_MSGINFO_IFINDEX) return info->ifindex;
  if ((info->valid & BSDSOCK_MSGINFO_DST) &&
      info->dst.family == BSDSOCK_AF_INET6)
    return info->dst.scope_id;
  return 0;
}

/* The values of a send's ancillary data (bsdsock/msg.h), in the argument
 * order: bits and tos (EINVAL), then dst's family on its own
 * (EAFNOSUPPORT). 0 or the error, unrecorded. */
static int info_values(const bsdsock_msginfo_t *info) {
  if (info == NULL) return 0;
  if (info->valid & ~BSDSOCK_MSGINFO_ALL) return BSDSOCK_EINVAL;
  if ((info->valid & BSDSOCK_MSGINFO_TOS) && (info->tos < 0 || info->tos > 255))
    return BSDSOCK_EINVAL;
  if ((info->valid & BSDSOCK_MSGINFO_DST) &&
      info->dst.family != BSDSOCK_AF_INET &&
      info->dst.family != BSDSOCK_AF_INET6)
    return BSDSOCK_EAFNOSUPPORT;
  return 0;
}

/* The socket's side of a send's ancillary data: only IPv4 and IPv6
 * datagram sockets carry it (Winsock's WSASendMsg takes no other; Linux
 * would ignore it on a stream), and a source address of the other family
 * is refused by bsdsock rather than by each OS in its own way. */
static int info_fits(int fd, bsdsock__sock_t s, const bsdsock_msginfo_t *info) {
  int kind;
  if (info == NULL || info->valid == 0) return 0;
  kind = bsdsock__msg_ctl_kind(fd, s);
  if (kind < 0) return kind;
  if (kind == 0) return BSDSOCK_EOPNOTSUPP;
  if ((info->valid & BSDSOCK_MSGINFO_DST) &&
      info->dst.family != (kind == BSDSOCK__FD_CTL_IP4 ? BSDSOCK_AF_INET
                                                       : BSDSOCK_AF_INET6))
    return BSDSOCK_EAFNOSUPPORT;
  return 0;
}

/* Checks every message of a batch: 1 if any message has ancillary data
 * (then, on send, checked too, after every message's shape; a receive
 * only fills it), else 0, or the first error. */
static int mmsg_check(int fd, bsdsock__sock_t s, const bsdsock_mmsghdr_t *msgs,
                      size_t n, int send) {
  uintptr_t any = 0;
  size_t i;
  int rc;
  if (msgs == NULL && n != 0) return BSDSOCK_EINVAL;
  for (i = 0; i < n; i++) {
    bsdsock_ssize_t r = bsdsock__msg_check(&msgs[i].hdr);
    if (r < 0) return (int)r;
    any |= (uintptr_t)msgs[i].hdr.info;
  }
  if (BSDSOCK__LIKELY(any == 0)) return 0;
  /* A receive learns the socket's kind before the backend needs it. */
  if (!send) {
    rc = bsdsock__msg_ctl_kind(fd, s);
    return rc < 0 ? rc : 1;
  }
  for (i = 0; i < n; i++)
    if ((rc = info_values(msgs[i].hdr.info)) != 0) return rc;
  for (i = 0; i < n; i++)
    if ((rc = info_fits(fd, s, msgs[i].hdr.info)) != 0) return rc;
  return 1;
}

/* The result of a batch that stopped after `done` messages because of err
 * (0: it did not stop early): err itself if nothing went through, else the
 * count, with err stored in *deferred (may be NULL) so it is never lost. */
static int batch_result(size_t done, int err, int *deferred) {
  if (err != 0 && done == 0) return err;
  if (deferred != NULL) *deferred = err;
  return (int)done;
}

/* The rest of bsdsock_sendmsg for a message with ancillary data, out of
 * the plain call's way (which then costs one test more than before info
 * existed): the info's checks around the destination's, then
 * bsdsock__os_sendmsg_info. */
static BSDSOCK__NOINLINE bsdsock_ssize_t sendmsg_info(
    int fd, bsdsock__sock_t s, const bsdsock_msghdr_t *msg, int flags,
    int nflags) {
  bsdsock_ssize_t n;
  int rc = info_values(msg->info);
  if (rc == 0 && msg->name != NULL) {
    struct sockaddr_storage ss;
    bsdsock__socklen_t len;
    rc = bsdsock__addr_to_sockaddr(msg->name, &ss, &len);
  }
  if (rc == 0) rc = info_fits(fd, s, msg->info);
  if (rc != 0) return bsdsock__arg_fail(s, rc);
  if (flags & BSDSOCK_MSG_DONTWAIT) nflags |= BSDSOCK__NOWAIT;
  do
    n = bsdsock__os_sendmsg_info(fd, s, msg, nflags);
  while (n == BSDSOCK_EINTR);
  if (n < 0)
    return bsdsock__misuse(BSDSOCK__CALL_SEND, fd, s, (int)n, msg->name,
                           flags);
  return n;
}

bsdsock_ssize_t bsdsock_sendmsg(int fd, const bsdsock_msghdr_t *msg,
                                int flags) {
  bsdsock__sock_t s;
  bsdsock_ssize_t n;
  int nflags, rc;
  if ((rc = bsdsock__data_args(fd, flags, &s, &nflags)) != 0) return rc;
  n = bsdsock__msg_check(msg);
  if (n < 0) return bsdsock__arg_fail(s, (int)n);
  if (BSDSOCK__UNLIKELY(msg->info != NULL))
    return sendmsg_info(fd, s, msg, flags, nflags);
  if (msg->name != NULL) {
    struct sockaddr_storage ss;
    bsdsock__socklen_t len;
    rc = bsdsock__addr_to_sockaddr(msg->name, &ss, &len);
    if (rc != 0) return bsdsock__arg_fail(s, rc);
  }
  if (flags & BSDSOCK_MSG_DONTWAIT) nflags |= BSDSOCK__NOWAIT;
  do
    n = bsdsock__os_sendmsg(fd, s, msg, nflags);
  while (n == BSDSOCK_EINTR);
  if (n < 0)
    return bsdsock__misuse(BSDSOCK__CALL_SEND, fd, s, (int)n, msg->name,
                           flags);
  return n;
}

/* The rest of bsdsock_recvmsg for a message with ancillary data: the
 * socket's kind learnt, then bsdsock__os_recvmsg_info. */
static BSDSOCK__NOINLINE bsdsock_ssize_t recvmsg_info(
    int fd, bsdsock__sock_t s, bsdsock_msghdr_t *msg, int flags, int nflags,
    bsdsock_ssize_t total) {
  bsdsock_ssize_t n;
  int rc = bsdsock__msg_ctl_kind(fd, s);
  if (rc < 0) return bsdsock__arg_fail(s, rc);
  if (flags & BSDSOCK_MSG_DONTWAIT) nflags |= BSDSOCK__NOWAIT;
  do
    n = bsdsock__os_recvmsg_info(fd, s, msg, nflags, total);
  while (n == BSDSOCK_EINTR);
  if (n < 0)
    return bsdsock__misuse(BSDSOCK__CALL_RECV, fd, s, (int)n, NULL, flags);
  return n;
}

bsdsock_ssize_t bsdsock_recvmsg(int fd, bsdsock_msghdr_t *msg, int flags) {
  bsdsock__sock_t s;
  bsdsock_ssize_t n, total;
  int nflags, rc;
  if ((rc = bsdsock__data_args(fd, flags, &s, &nflags)) != 0) return rc;
  total = bsdsock__msg_check(msg);
  if (total < 0) return bsdsock__arg_fail(s, (int)total);
  if (BSDSOCK__UNLIKELY(msg->info != NULL))
    return recvmsg_info(fd, s, msg, flags, nflags, total);
  if (flags & BSDSOCK_MSG_DONTWAIT) nflags |= BSDSOCK__NOWAIT;
  do
    n = bsdsock__os_recvmsg(fd, s, msg, nflags, total);
  while (n == BSDSOCK_EINTR);
  if (n < 0)
    return bsdsock__misuse(BSDSOCK__CALL_RECV, fd, s, (int)n, NULL, flags);
  return n;
}

/* The shared prologue of the batched calls: *deferred, the descriptor,
 * flags (BSDSOCK_MSG_DONTWAIT: every message without waiting), the batch's
 * shape (all before anything is sent or received), and n == 0, which does
 * nothing but still checks the descriptor. Returns 1 to go on (2 when a
 * message has ancillary data), or 0 with the call's result in *rc. */
static int batch_start(int fd, bsdsock__sock_t *s,
                       const bsdsock_mmsghdr_t *msgs, size_t *n, int flags,
                       int *nflags, int *deferred, int *rc, int send) {
  int info;
  if (deferred != NULL) *deferred = 0;
  if ((*rc = bsdsock__data_args(fd, flags, s, nflags)) != 0) return 0;
  if (*n > (size_t)INT_MAX) *n = (size_t)INT_MAX;
  info = mmsg_check(fd, *s, msgs, *n, send);
  if (info < 0) {
    *rc = bsdsock__arg_fail(*s, info);
    return 0;
  }
  if (*n == 0) {
    *rc = bsdsock__os_check(*s) != 0 ? bsdsock__fail(BSDSOCK_EBADF) : 0;
    return 0;
  }
  if (flags & BSDSOCK_MSG_DONTWAIT) *nflags |= BSDSOCK__NOWAIT;
  return 1 + info;
}

#ifndef BSDSOCK_HAVE_MMSG

/* No batch call in the OS: one message at a time. A destination that
 * cannot be converted fails its own message, as sendmmsg would. */
static int batch_send(int fd, bsdsock__sock_t s, bsdsock_mmsghdr_t *msgs,
                      size_t n, int nflags, int info) {
  size_t done;
  for (done = 0; done < n; done++) {
    const bsdsock_msghdr_t *h = &msgs[done].hdr;
    bsdsock_ssize_t r = info && h->info != NULL
                            ? bsdsock__os_sendmsg_info(fd, s, h, nflags)
                            : bsdsock__os_sendmsg(fd, s, h, nflags);
    if (r < 0) return done > 0 ? (int)done : (int)r;
    msgs[done].len = (size_t)r;
  }
  return (int)done;
}

/* Waits for the first datagram only (Linux's MSG_WAITFORONE); the rest are
 * taken while they are queued, by calls that must not wait, as with
 * BSDSOCK_MSG_DONTWAIT (src/os.h): the socket's mode is never switched, so
 * another thread's blocking receive on it still waits. */
static int batch_recv(int fd, bsdsock__sock_t s, bsdsock_mmsghdr_t *msgs,
                      size_t n, int nflags, int *deferred, int info) {
  bsdsock_ssize_t r = 0;
  size_t done;
  *deferred = 0;
  for (done = 0; done < n; done++) {
    bsdsock_msghdr_t *h = &msgs[done].hdr;
    int f = done ? nflags | BSDSOCK__NOWAIT : nflags;
    r = info && h->info != NULL
            ? bsdsock__os_recvmsg_info(fd, s, h, f, bsdsock__msg_check(h))
            : bsdsock__os_recvmsg(fd, s, h, f, bsdsock__msg_check(h));
    if (r < 0) break;
    msgs[done].len = (size_t)r;
  }
  if (done == 0) return (int)r;
  /* Running out of queued datagrams is not an error, and an interrupted
   * wait after the first leaves the caller with data to process. */
  if (r < 0 && r != BSDSOCK_EAGAIN && r != BSDSOCK_EINTR) *deferred = (int)r;
  return (int)done;
}

#else

static int batch_send(int fd, bsdsock__sock_t s, bsdsock_mmsghdr_t *msgs,
                      size_t n, int nflags, int info) {
  return bsdsock__os_sendmmsg(fd, s, msgs, n, nflags, info);
}

static int batch_recv(int fd, bsdsock__sock_t s, bsdsock_mmsghdr_t *msgs,
                      size_t n, int nflags, int *deferred, int info) {
  return bsdsock__os_recvmmsg(fd, s, msgs, n, nflags, deferred, info);
}

#endif

int bsdsock_sendmmsg(int fd, bsdsock_mmsghdr_t *msgs, size_t n, int flags,
                     int *deferred) {
  bsdsock__sock_t s;
  size_t done = 0;
  int nflags, rc, err = 0;
  int go = batch_start(fd, &s, msgs, &n, flags, &nflags, deferred, &rc, 1);
  if (!go) return rc;
  while (done < n) {
    int k = batch_send(fd, s, msgs + done, n - done, nflags, go > 1);
    if (k == BSDSOCK_EINTR) continue;
    if (k < 0) {
      err = bsdsock__misuse(BSDSOCK__CALL_SEND, fd, s, k, msgs[done].hdr.name,
                            flags);
      break;
    }
    done += (size_t)k;
  }
  return batch_result(done, err, deferred);
}

int bsdsock_recvmmsg(int fd, bsdsock_mmsghdr_t *msgs, size_t n, int flags,
                     int *deferred) {
  bsdsock__sock_t s;
  int nflags, rc, k, later = 0;
  int go = batch_start(fd, &s, msgs, &n, flags, &nflags, deferred, &rc, 0);
  if (!go) return rc;
  do
    k = batch_recv(fd, s, msgs, n, nflags, &later, go > 1);
  while (k == BSDSOCK_EINTR);
  if (k < 0) return bsdsock__misuse(BSDSOCK__CALL_RECV, fd, s, k, NULL, flags);
  if (later != 0)
    later = bsdsock__misuse(BSDSOCK__CALL_RECV, fd, s, later, NULL, flags);
  return batch_result((size_t)k, later, deferred);
}
