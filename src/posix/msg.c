/* SPDX-License-Identifier: MIT */
/*
 * src/posix/msg.c - scatter/gather and batched datagram calls on POSIX
 * (src/os.h; the checks and the batch loop are in src/msg.c).
 *
 * sendmsg/recvmsg take the caller's bsdsock_iovec_t array as it is (it has
 * struct iovec's layout, checked below at compile time), so one message
 * costs its address conversion and the system call. Batches use Linux's
 * sendmmsg/recvmmsg (BSDSOCK_HAVE_MMSG) in chunks of up to CHUNK messages
 * converted on the stack; runs of equal datagrams to one destination go
 * out as one segmented send where the kernel offers UDP_SEGMENT
 * (BSDSOCK_HAVE_UDP_GSO, see gso_try).
 */
#include "../internal.h"
#include "../msgctl.h"

#include <stddef.h>

/* Every POSIX ABI bsdsock supports defines struct iovec as {void *iov_base;
 * size_t iov_len;}; a platform that does not fails here rather than at run
 * time. */
_Static_assert(sizeof(struct iovec) == sizeof(bsdsock_iovec_t) &&
                   offsetof(struct iovec, iov_base) ==
                       offsetof(bsdsock_iovec_t, base) &&
                   offsetof(struct iovec, iov_len) ==
                       offsetof(bsdsock_iovec_t, len),
               "bsdsock_iovec_t must have the layout of struct iovec");

/* Messages per sendmmsg/recvmmsg call: one stack frame of native headers
 * (64 x (64 + 128) bytes), and the batch sizes worth batching; larger
 * batches take several calls. */
#define CHUNK 64

/* ---- ancillary data (bsdsock_msginfo_t) ------------------------------------
 * Only for a message whose info is not NULL, on an IPv4 or IPv6 datagram
 * socket (src/os.h): any other message is built and sent exactly as
 * before, so the plain path pays one pointer test. The control messages
 * and their room (CTL_ROOM) are src/msgctl.h's. */
union ctlbuf {
  char buf[CTL_ROOM];
  struct cmsghdr align;
};

_Static_assert(CMSG_SPACE(sizeof(struct in6_pktinfo)) +
                       CMSG_SPACE(sizeof(int)) <=
                   CTL_ROOM,
               "CTL_ROOM must hold what bsdsock sends");

/* The descriptor's BSDSOCK__FD_CTL_* bit: 0 unless it is an IP datagram
 * socket whose kind the shared layer has learnt (src/os.h). */
static unsigned ctl_kind(int fd) {
  return bsdsock__fd_flags(fd) & (BSDSOCK__FD_CTL_IP4 | BSDSOCK__FD_CTL_IP6);
}

/* Appends one control message of len bytes to mh (its buffer zeroed and
 * large enough: CTL_ROOM). */
static void ctl_put(struct msghdr *mh, int level, int type, const void *data,
                    size_t len) {
  struct cmsghdr *c =
      (struct cmsghdr *)((char *)mh->msg_control + mh->msg_controllen);
  c->cmsg_level = level;
  c->cmsg_type = type;
  c->cmsg_len = CMSG_LEN(len);
  memcpy(CMSG_DATA(c), data, len);
  mh->msg_controllen += CMSG_SPACE(len);
}

/* The control data of a send with info, on a socket of kind (its
 * BSDSOCK__FD_CTL_* bit). Linux takes the source in ipi_spec_dst
 * (ipi_addr is ignored on send), and IP_TOS as an int. */
static void ctl_send(struct msghdr *mh, union ctlbuf *ctl,
                     const bsdsock_msginfo_t *info, unsigned kind) {
  unsigned ifindex = bsdsock__msginfo_ifindex(info);
  int tos = info->tos;
  memset(ctl, 0, sizeof(*ctl));
  mh->msg_control = ctl->buf;
  mh->msg_controllen = 0;
  if (info->valid & (BSDSOCK_MSGINFO_DST | BSDSOCK_MSGINFO_IFINDEX)) {
    if (kind == BSDSOCK__FD_CTL_IP4) {
      struct in_pktinfo pi;
      memset(&pi, 0, sizeof(pi));
      if (info->valid & BSDSOCK_MSGINFO_DST)
        memcpy(&pi.ipi_spec_dst, info->dst.u.ip4, 4);
      pi.ipi_ifindex = (int)ifindex;
      ctl_put(mh, IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
    } else {
      struct in6_pktinfo pi;
      memset(&pi, 0, sizeof(pi));
      if (info->valid & BSDSOCK_MSGINFO_DST)
        memcpy(&pi.ipi6_addr, info->dst.u.ip6, 16);
      pi.ipi6_ifindex = ifindex;
      ctl_put(mh, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi));
    }
  }
  if (info->valid & BSDSOCK_MSGINFO_TOS) {
    if (kind == BSDSOCK__FD_CTL_IP4)
      ctl_put(mh, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
    else
      ctl_put(mh, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos));
  }
  if (mh->msg_controllen == 0) mh->msg_control = NULL;
}

/* Where a receive with info gets its control data. */
static void ctl_recv_buf(struct msghdr *mh, union ctlbuf *ctl) {
  mh->msg_control = ctl->buf;
  mh->msg_controllen = sizeof(ctl->buf);
}

/* Fills info from a received message's control data (none: valid 0). */
static BSDSOCK__NOINLINE void ctl_parse(bsdsock_msginfo_t *info,
                                        struct msghdr *mh) {
  struct cmsghdr *c;
  info->valid = 0;
  if (mh->msg_control == NULL) return;
  for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
    const unsigned char *d = CMSG_DATA(c);
    size_t len = c->cmsg_len - CMSG_LEN(0);
    enum ctl_what k = ctl_find(c->cmsg_level, c->cmsg_type);
    if (k == CTL_PKT4 && len >= sizeof(struct in_pktinfo)) {
      struct in_pktinfo pi;
      memcpy(&pi, d, sizeof(pi));
      bsdsock__msginfo_dst(info, BSDSOCK_AF_INET, &pi.ipi_addr,
                           (unsigned)pi.ipi_ifindex);
    } else if (k == CTL_PKT6 && len >= sizeof(struct in6_pktinfo)) {
      struct in6_pktinfo pi;
      memcpy(&pi, d, sizeof(pi));
      bsdsock__msginfo_dst(info, BSDSOCK_AF_INET6, &pi.ipi6_addr,
                           pi.ipi6_ifindex);
    } else if (k == CTL_TOS && len >= 1) {
      int v = d[0];
      if (len >= sizeof(int)) memcpy(&v, d, sizeof(int));
      info->tos = v & 0xff;
      info->valid |= BSDSOCK_MSGINFO_TOS;
    }
  }
}

/* Fills a native msghdr for msg. With convert_name (send side) the
 * destination is converted into *ss; the receive side only points at *ss
 * for the kernel to fill. */
static int native_hdr(struct msghdr *mh, const bsdsock_msghdr_t *msg,
                      struct sockaddr_storage *ss, int convert_name) {
  memset(mh, 0, sizeof(*mh));
  if (msg->name != NULL) {
    socklen_t len = sizeof(*ss);
    if (convert_name) {
      int rc = bsdsock__addr_to_sockaddr(msg->name, ss, &len);
      if (rc != 0) return rc;
    }
    mh->msg_name = ss;
    mh->msg_namelen = len;
  }
  mh->msg_iov = (struct iovec *)msg->iov;
  mh->msg_iovlen = msg->iovlen;
  return 0;
}

/* The outcome of a receive: output flags and the sender's address. */
static void recv_done(bsdsock_msghdr_t *msg, const struct msghdr *mh) {
  msg->flags = ((mh->msg_flags & MSG_TRUNC) ? BSDSOCK_MSG_TRUNC : 0) |
               ((mh->msg_flags & MSG_CTRUNC) ? BSDSOCK_MSG_CTRUNC : 0);
  /* A stream socket has no sender address (msg_namelen 0): zeroed. */
  if (msg->name != NULL &&
      bsdsock__addr_from_sockaddr(msg->name, mh->msg_name,
                                  mh->msg_namelen) != 0)
    memset(msg->name, 0, sizeof(*msg->name));
}

static bsdsock_ssize_t send_native(int s, const struct msghdr *mh,
                                   int nflags) {
  ssize_t n;
  BSDSOCK__GUARDED(n, BSDSOCK__OS(sendmsg, -1,
                                   sendmsg(s, mh, nflags | BSDSOCK__NOSIGNAL)));
  return n;
}

/* A message with ancillary data: sendmsg() with its control data
 * (sendto() when there is none to send). */
bsdsock_ssize_t bsdsock__os_sendmsg_info(int fd, int s,
                                         const bsdsock_msghdr_t *msg,
                                         int nflags) {
  struct sockaddr_storage ss;
  struct msghdr mh;
  union ctlbuf ctl;
  bsdsock_ssize_t n;
  unsigned kind = ctl_kind(fd);
  int rc = native_hdr(&mh, msg, &ss, 1);
  if (rc != 0) return bsdsock__fail(rc);
  if (kind != 0) ctl_send(&mh, &ctl, msg->info, kind);
  if (msg->iovlen == 1 && mh.msg_control == NULL)
    n = bsdsock__os_sendto(s, msg->iov[0].base, msg->iov[0].len, nflags,
                           mh.msg_name, mh.msg_namelen);
  else
    n = send_native(s, &mh, nflags);
  return n >= 0 ? n : bsdsock__os_send_error(fd);
}

/* One message. With one buffer it goes by sendto(), the kernel's plainest
 * send path (sendmsg also copies and checks a header and an iovec array:
 * about 5% of a 64-byte datagram's cost on loopback), so a single-buffer
 * sendmsg or a batch of one costs what send() does. */
bsdsock_ssize_t bsdsock__os_sendmsg(int fd, int s, const bsdsock_msghdr_t *msg,
                                    int nflags) {
  struct sockaddr_storage ss;
  struct msghdr mh;
  bsdsock_ssize_t n;
  int rc = native_hdr(&mh, msg, &ss, 1);
  if (rc != 0) return bsdsock__fail(rc);
  if (msg->iovlen == 1)
    n = bsdsock__os_sendto(s, msg->iov[0].base, msg->iov[0].len, nflags,
                           mh.msg_name, mh.msg_namelen);
  else
    n = send_native(s, &mh, nflags);
  return n >= 0 ? n : bsdsock__os_send_error(fd);
}

/* A receive with ancillary data: recvmsg() with room for control data on
 * an IP datagram socket, which fills msg->info. */
bsdsock_ssize_t bsdsock__os_recvmsg_info(int fd, int s, bsdsock_msghdr_t *msg,
                                         int nflags, bsdsock_ssize_t total) {
  struct sockaddr_storage ss;
  struct msghdr mh;
  union ctlbuf ctl;
  ssize_t n;
  (void)total;
  native_hdr(&mh, msg, &ss, 0);
  if (ctl_kind(fd) != 0) ctl_recv_buf(&mh, &ctl);
  n = BSDSOCK__OS(recvmsg, -1, recvmsg(s, &mh, nflags));
  if (n < 0) return bsdsock__os_recv_error(fd, 0);
  recv_done(msg, &mh);
  ctl_parse(msg->info, &mh);
  return n;
}

bsdsock_ssize_t bsdsock__os_recvmsg(int fd, int s, bsdsock_msghdr_t *msg,
                                    int nflags, bsdsock_ssize_t total) {
  struct sockaddr_storage ss;
  struct msghdr mh;
  ssize_t n;
  (void)total;
  native_hdr(&mh, msg, &ss, 0);
  n = BSDSOCK__OS(recvmsg, -1, recvmsg(s, &mh, nflags));
  if (n < 0) return bsdsock__os_recv_error(fd, 0);
  recv_done(msg, &mh);
  return n;
}

#ifdef BSDSOCK_HAVE_MMSG

#ifdef BSDSOCK_HAVE_UDP_GSO

/* UDP segmentation offload (Linux 4.18, UDP_SEGMENT; what QUIC stacks such
 * as quinn-udp and msquic use to send batches). A run of datagrams to one
 * destination, all of one size but a shorter last, goes down the stack as
 * one send that the kernel cuts into exactly those datagrams (in the NIC,
 * in the stack, or on receive for loopback): one trip through UDP/IP
 * instead of one per datagram, 2-4x the datagrams/s of sendmmsg on
 * loopback. A segmented send is all or nothing, so when it fails nothing
 * went out and the run takes the ordinary path, which reports exactly
 * what each message does. */
#define GSO_MAX_SEGS 64      /* UDP_MAX_SEGMENTS before Linux 6.x raised it */
#define GSO_MAX_BYTES 65507  /* one UDP datagram's payload over IPv4 */
#define GSO_MAX_IOV 128      /* buffers of a run, gathered on the stack */

static int same_dest(const bsdsock_addr_t *a, const bsdsock_addr_t *b) {
  return a == b || (a != NULL && b != NULL && memcmp(a, b, sizeof(*a)) == 0);
}

static size_t msg_bytes(const bsdsock_msghdr_t *h) {
  size_t i, total = 0;
  for (i = 0; i < h->iovlen; i++) total += h->iov[i].len;
  return total;
}

/* How many of msgs[0..m-1], from the first, one segmented send can carry
 * (fewer than 2: not worth it); *seg gets the datagram size. */
static size_t gso_run(const bsdsock_mmsghdr_t *msgs, size_t m, size_t *seg) {
  size_t k, len, total, niov = msgs[0].hdr.iovlen;
  *seg = total = msg_bytes(&msgs[0].hdr);
  if (m < 2 || *seg == 0 || niov > GSO_MAX_IOV) return 0;
  for (k = 1; k < m && k < GSO_MAX_SEGS; k++) {
    const bsdsock_msghdr_t *h = &msgs[k].hdr;
    len = msg_bytes(h);
    if (!same_dest(h->name, msgs[0].hdr.name) || len == 0 || len > *seg ||
        total + len > GSO_MAX_BYTES || niov + h->iovlen > GSO_MAX_IOV)
      break;
    total += len;
    niov += h->iovlen;
    if (len < *seg) return k + 1;  /* only the last may be shorter */
  }
  return k;
}

/* 1 if s is a UDP socket on a kernel that segments: reading UDP_SEGMENT
 * works only there (other protocols, and kernels before 4.18, refuse). */
static int gso_usable(int s) {
  int v = 0;
  socklen_t len = sizeof(v);
  return BSDSOCK__OS(gsoprobe, -1,
                     getsockopt(s, SOL_UDP, UDP_SEGMENT, &v, &len)) == 0;
}

/* Sends msgs[0..k-1] as one segmented send of seg-byte datagrams: how
 * many went out (their lens set), -1 when nothing did. */
static int gso_send(int s, bsdsock_mmsghdr_t *msgs, size_t k, size_t seg,
                    int nflags) {
  struct iovec iov[GSO_MAX_IOV];
  union {
    char buf[CMSG_SPACE(sizeof(uint16_t))];
    struct cmsghdr align;
  } ctl;
  struct sockaddr_storage ss;
  struct msghdr mh;
  struct cmsghdr *c;
  uint16_t size = (uint16_t)seg;
  size_t i, j, n = 0;
  ssize_t sent;
  if (native_hdr(&mh, &msgs[0].hdr, &ss, 1) != 0) return -1;
  for (i = 0; i < k; i++)
    for (j = 0; j < msgs[i].hdr.iovlen; j++)
      iov[n++] = *(const struct iovec *)&msgs[i].hdr.iov[j];
  mh.msg_iov = iov;
  mh.msg_iovlen = n;
  memset(&ctl, 0, sizeof(ctl));
  mh.msg_control = ctl.buf;
  mh.msg_controllen = sizeof(ctl.buf);
  c = CMSG_FIRSTHDR(&mh);
  c->cmsg_level = SOL_UDP;
  c->cmsg_type = UDP_SEGMENT;
  c->cmsg_len = CMSG_LEN(sizeof(size));
  memcpy(CMSG_DATA(c), &size, sizeof(size));
  sent = send_native(s, &mh, nflags);
  /* All or nothing for a datagram socket; a short count would be a stream
   * socket that had the number before (fdtable.c), whose bytes went out in
   * order: the run is over either way, and the ordinary path goes on. */
  if (sent < 0) return -1;
  for (i = 0; i < k && sent > 0; i++) {
    size_t len = msg_bytes(&msgs[i].hdr);
    msgs[i].len = (size_t)sent < len ? (size_t)sent : len;
    sent -= (ssize_t)msgs[i].len;
  }
  return (int)i;
}

/* Sends a segmentable run at the head of msgs if there is one and fd can
 * take it: how many went (0: none, use the ordinary path). Whether the
 * socket segments is learnt once and kept with the descriptor (fdtable.c);
 * a segmented send the socket refuses also says no, for its lifetime. */
static size_t gso_try(int fd, int s, bsdsock_mmsghdr_t *msgs, size_t m,
                      int nflags) {
  unsigned st = bsdsock__fd_flags(fd);
  size_t seg, k;
  int sent;
  if ((st & BSDSOCK__FD_GSO_KNOWN) && !(st & BSDSOCK__FD_GSO_OK)) return 0;
  k = gso_run(msgs, m, &seg);
  if (k < 2) return 0;
  if (!(st & BSDSOCK__FD_GSO_KNOWN)) {
    st = gso_usable(s) ? BSDSOCK__FD_GSO_OK : 0;
    bsdsock__fd_set_flags(fd, BSDSOCK__FD_GSO_KNOWN | st, 0);
    if (!st) return 0;
  }
  sent = gso_send(s, msgs, k, seg, nflags);
  if (sent > 0) return (size_t)sent;
  /* Refused as such (EIO: the device cannot checksum segments), not just
   * a full buffer: the socket does not segment after all. */
  if (errno == EIO || errno == EINVAL || errno == EOPNOTSUPP)
    bsdsock__fd_set_flags(fd, 0, BSDSOCK__FD_GSO_OK);
  return 0;
}

#else

static size_t gso_try(int fd, int s, bsdsock_mmsghdr_t *msgs, size_t m,
                      int nflags) {
  (void)fd;
  (void)s;
  (void)msgs;
  (void)m;
  (void)nflags;
  return 0;
}

#endif /* BSDSOCK_HAVE_UDP_GSO */

/* Fills up to m native headers for msgs; stops early at a destination that
 * cannot be converted, whose error goes to *err. Consecutive messages to
 * the same bsdsock_addr_t share one conversion. Returns how many are
 * ready. */
static size_t send_chunk(struct mmsghdr *vec, struct sockaddr_storage *names,
                         const bsdsock_mmsghdr_t *msgs, size_t m, int *err) {
  size_t i;
  for (i = 0; i < m; i++) {
    const bsdsock_msghdr_t *h = &msgs[i].hdr;
    if (i > 0 && h->name != NULL && h->name == msgs[i - 1].hdr.name) {
      native_hdr(&vec[i].msg_hdr, h, &names[i], 0);
      vec[i].msg_hdr.msg_name = vec[i - 1].msg_hdr.msg_name;
      vec[i].msg_hdr.msg_namelen = vec[i - 1].msg_hdr.msg_namelen;
    } else {
      int rc = native_hdr(&vec[i].msg_hdr, h, &names[i], 1);
      if (rc != 0) {
        *err = rc;
        break;
      }
    }
    vec[i].msg_len = 0;
  }
  return i;
}

/* What the _info helpers below return for a run of messages without
 * ancillary data, which their caller then sends or receives the plain
 * way (one call site, so that the plain way stays inlined there). */
#define RUN_PLAIN INT_MIN

/* The head of a batch where some messages have ancillary data, in runs:
 * a run without is RUN_PLAIN, *pn set to its length; a run with goes as
 * one sendmmsg() with each message's control data, from a frame of its
 * own, so that plain batches carry no control buffers. */
static BSDSOCK__NOINLINE int sendmmsg_info(int fd, int s,
                                           bsdsock_mmsghdr_t *msgs, size_t *pn,
                                           int nflags) {
  struct mmsghdr vec[CHUNK];
  struct sockaddr_storage names[CHUNK];
  union ctlbuf ctls[CHUNK];
  unsigned kind = ctl_kind(fd);
  size_t i, n = *pn, m = n < CHUNK ? n : CHUNK;
  int err = 0, k;
  if (msgs[0].hdr.info == NULL) {
    for (i = 1; i < n && msgs[i].hdr.info == NULL; i++) continue;
    *pn = i;
    return RUN_PLAIN;
  }
  if (n == 1 || msgs[1].hdr.info == NULL) {
    bsdsock_ssize_t r = bsdsock__os_sendmsg_info(fd, s, &msgs[0].hdr, nflags);
    if (r < 0) return (int)r;
    msgs[0].len = (size_t)r;
    return 1;
  }
  for (i = 0; i < m && msgs[i].hdr.info != NULL; i++) {
    const bsdsock_msghdr_t *h = &msgs[i].hdr;
    int rc = native_hdr(&vec[i].msg_hdr, h, &names[i], 1);
    if (rc != 0) {
      err = rc;
      break;
    }
    if (kind != 0) ctl_send(&vec[i].msg_hdr, &ctls[i], h->info, kind);
    vec[i].msg_len = 0;
  }
  if (i == 0) return bsdsock__fail(err);
  BSDSOCK__GUARDED(k, BSDSOCK__OS(sendmmsg, -1,
                                   sendmmsg(s, vec, (unsigned)i,
                                            nflags | BSDSOCK__NOSIGNAL)));
  if (k < 0) return bsdsock__os_send_error(fd);
  for (i = 0; i < (size_t)k; i++) msgs[i].len = vec[i].msg_len;
  return k;
}

int bsdsock__os_sendmmsg(int fd, int s, bsdsock_mmsghdr_t *msgs, size_t n,
                         int nflags, int info) {
  struct mmsghdr vec[CHUNK];
  struct sockaddr_storage names[CHUNK];
  size_t ready, j;
  int err = 0, k;
  if (BSDSOCK__UNLIKELY(info) &&
      (k = sendmmsg_info(fd, s, msgs, &n, nflags)) != RUN_PLAIN)
    return k;
  ready = gso_try(fd, s, msgs, n, nflags);
  if (ready > 0) return (int)ready;
  /* A batch of one costs what send() does. */
  if (n == 1) {
    bsdsock_ssize_t r = bsdsock__os_sendmsg(fd, s, &msgs[0].hdr, nflags);
    if (r < 0) return (int)r;
    msgs[0].len = (size_t)r;
    return 1;
  }
  ready = send_chunk(vec, names, msgs, n < CHUNK ? n : CHUNK, &err);
  if (ready == 0) return bsdsock__fail(err);
  /* Linux's sendmmsg returns the count of a partial batch and drops the
   * error of the message that stopped it (net/socket.c: "We only return an
   * error if no datagrams were able to be sent"): the shared loop calls
   * again from that message, which then fails first and tells its error. */
  BSDSOCK__GUARDED(k, BSDSOCK__OS(sendmmsg, -1,
                                   sendmmsg(s, vec, (unsigned)ready,
                                            nflags | BSDSOCK__NOSIGNAL)));
  if (k < 0) return bsdsock__os_send_error(fd);
  for (j = 0; j < (size_t)k; j++) msgs[j].len = vec[j].msg_len;
  return k;
}

/* Receives into m messages without ancillary data, through vec and names
 * (recvmmsg(), flags as given): what recvmmsg() returned, their lens,
 * flags and senders set. */
static int recv_plain(int s, struct mmsghdr *vec,
                      struct sockaddr_storage *names, bsdsock_mmsghdr_t *msgs,
                      size_t m, int flags) {
  size_t i;
  int k;
  for (i = 0; i < m; i++) {
    native_hdr(&vec[i].msg_hdr, &msgs[i].hdr, &names[i], 0);
    vec[i].msg_len = 0;
  }
  k = BSDSOCK__OS(recvmmsg, -1, recvmmsg(s, vec, (unsigned)m, flags, NULL));
  for (i = 0; k > 0 && i < (size_t)k; i++) {
    msgs[i].len = vec[i].msg_len;
    recv_done(&msgs[i].hdr, &vec[i].msg_hdr);
  }
  return k;
}

/* A batch where some messages have ancillary data: the run from the first
 * message, of up to *m (set to the run's length). A run without is
 * RUN_PLAIN; a run with is received here, in a frame of its own, with
 * room for each message's control data, which fills their info. */
static BSDSOCK__NOINLINE int recv_run_info(int fd, int s,
                                           bsdsock_mmsghdr_t *msgs, size_t *m,
                                           int flags) {
  struct mmsghdr vec[CHUNK];
  struct sockaddr_storage names[CHUNK];
  union ctlbuf ctls[CHUNK];
  unsigned kind = ctl_kind(fd);
  size_t i;
  int k;
  if (msgs[0].hdr.info == NULL) {
    for (i = 1; i < *m && msgs[i].hdr.info == NULL; i++) continue;
    *m = i;
    return RUN_PLAIN;
  }
  for (i = 0; i < *m && msgs[i].hdr.info != NULL; i++) {
    native_hdr(&vec[i].msg_hdr, &msgs[i].hdr, &names[i], 0);
    if (kind != 0) ctl_recv_buf(&vec[i].msg_hdr, &ctls[i]);
    vec[i].msg_len = 0;
  }
  *m = i;
  k = BSDSOCK__OS(recvmmsg, -1, recvmmsg(s, vec, (unsigned)i, flags, NULL));
  for (i = 0; k > 0 && i < (size_t)k; i++) {
    msgs[i].len = vec[i].msg_len;
    recv_done(&msgs[i].hdr, &vec[i].msg_hdr);
    ctl_parse(msgs[i].hdr.info, &vec[i].msg_hdr);
  }
  return k;
}

/* After a short batch, the error (if any) that ended it. Linux keeps an
 * error met after the first datagram in the socket's pending error
 * (net/socket.c do_recvmmsg: "we record the error to return on the next
 * call"); running out of datagrams (EAGAIN) is not recorded. Reading
 * SO_ERROR takes it, so it is reported now and only once. */
static int pending_error(int s) {
  int e = 0;
  socklen_t len = sizeof(e);
  if (BSDSOCK__OS(getsockopt, -1,
                  getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &len)) != 0)
    return 0;
  return e != 0 ? bsdsock__fail_native(e) : 0;
}

int bsdsock__os_recvmmsg(int fd, int s, bsdsock_mmsghdr_t *msgs, size_t n,
                         int nflags, int *deferred, int info) {
  struct mmsghdr vec[CHUNK];
  struct sockaddr_storage names[CHUNK];
  size_t done = 0, m;
  int k, wait = MSG_WAITFORONE;
  *deferred = 0;
  while (done < n) {
    m = n - done < CHUNK ? n - done : CHUNK;
    /* Wait (as the socket would) for the first datagram only; Linux's
     * recvmmsg without MSG_WAITFORONE blocks until all m have come. */
    if (!BSDSOCK__UNLIKELY(info) ||
        (k = recv_run_info(fd, s, msgs + done, &m, nflags | wait)) == RUN_PLAIN)
      k = recv_plain(s, vec, names, msgs + done, m, nflags | wait);
    if (k < 0) {
      int rc = bsdsock__os_recv_error(fd, 0);
      if (done == 0) return rc;
      /* Later chunks take what is queued: running dry, or a signal, is no
       * error once there are datagrams to return. */
      if (rc != BSDSOCK_EAGAIN && rc != BSDSOCK_EINTR) *deferred = rc;
      break;
    }
    done += (size_t)k;
    if ((size_t)k < m) {
      *deferred = pending_error(s);
      break;
    }
    wait = MSG_DONTWAIT;  /* later chunks take only what is queued */
  }
  return (int)done;
}

#endif /* BSDSOCK_HAVE_MMSG */
