/* SPDX-License-Identifier: MIT */
/**
 * @file
 * bsdsock/msg.h - scatter/gather and batched datagram I/O.
 *
 * sendmsg/recvmsg move one message between a socket and several buffers;
 * sendmmsg/recvmmsg move several datagrams in one call. Same contract on
 * every platform:
 *
 *  - Linux uses sendmsg/recvmsg and the native sendmmsg/recvmmsg (one
 *    system call per batch of up to 64 messages); a run of equal-sized
 *    datagrams to one destination (a shorter last one allowed) is sent as
 *    one UDP-segmented send (UDP_SEGMENT, Linux 4.18+), which the receiver
 *    sees as the same separate datagrams. Other POSIX systems loop over
 *    sendmsg/recvmsg. Windows uses WSASendTo/WSARecvFrom with WSABUF arrays
 *    and loops for the batched calls (Winsock has no batched datagram call
 *    outside Registered I/O, which needs its own buffers and queues; RIO is
 *    a possible future backend for these two functions).
 *  - bsdsock_iovec_t has the layout of POSIX struct iovec, so the POSIX
 *    backend hands the caller's array to the kernel as is. Windows' WSABUF
 *    differs ({ULONG len; char *buf}): up to 64 buffers are converted on the
 *    stack, more (up to BSDSOCK_IOV_MAX) in one temporary allocation, which
 *    can fail with BSDSOCK_ENOMEM.
 *  - A truncated datagram is reported by BSDSOCK_MSG_TRUNC in msg->flags on
 *    every platform (Winsock's WSAEMSGSIZE failure becomes that flag and the
 *    filled buffers count as received).
 *  - Bad input is rejected before anything is sent or received, and changes
 *    nothing: a NULL msg, or a NULL iov with iovlen > 0, or a NULL base with
 *    len > 0, is BSDSOCK_EINVAL; iovlen above BSDSOCK_IOV_MAX is
 *    BSDSOCK_EMSGSIZE (what Linux says for more than its UIO_MAXIOV); total
 *    lengths above PTRDIFF_MAX are BSDSOCK_EINVAL.
 *  - iovlen 0 is allowed: sendmsg sends an empty datagram (0 bytes on a
 *    stream), recvmsg takes one datagram and reports BSDSOCK_MSG_TRUNC if it
 *    had any bytes.
 *  - Ancillary data (msg->info, a bsdsock_msginfo_t) in one portable form,
 *    with no CMSG macros and no OS layout: the destination address,
 *    arrival interface and TOS / traffic class of a received datagram, and
 *    the source address, interface and TOS of a sent one. NULL (what a
 *    zeroed bsdsock_msghdr_t has) means none: the call is then made
 *    exactly as without the field, for one pointer test (and, in a batch,
 *    one load per message) more. Linux and the BSDs use the control
 *    messages of recvmsg/sendmsg (IP_PKTINFO, IPV6_PKTINFO, IP_TOS,
 *    IPV6_TCLASS); Windows uses WSARecvMsg/WSASendMsg, looked up once per
 *    process through WSAIoctl, and only for messages that carry info
 *    (docs/quirks.md Q61-Q63; bad info: F30, a cut control buffer: F31).
 */
#ifndef BSDSOCK_MSG_H
#define BSDSOCK_MSG_H

#include "bsdsock/platform.h"
#include "bsdsock/constants.h"
/* bsdsock_addr_t (bsdsock.h includes this header after defining it). */
#include "bsdsock/bsdsock.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most buffers one message may have (POSIX IOV_MAX on Linux). */
#define BSDSOCK_IOV_MAX 1024

/** One buffer of a scatter/gather list (the layout of POSIX struct iovec). */
typedef struct bsdsock_iovec {
  void *base;             /**< the buffer */
  size_t len;             /**< its length in bytes */
} bsdsock_iovec_t;

/** bsdsock_msginfo_t.valid: dst is set (receive: BSDSOCK_IP_PKTINFO /
 * BSDSOCK_IPV6_RECVPKTINFO is on; send: send from that address). */
#define BSDSOCK_MSGINFO_DST     0x1u
/** bsdsock_msginfo_t.valid: ifindex is set (receive: the same options;
 * send: send through that interface). */
#define BSDSOCK_MSGINFO_IFINDEX 0x2u
/** bsdsock_msginfo_t.valid: tos is set (receive: BSDSOCK_IP_RECVTOS /
 * BSDSOCK_IPV6_RECVTCLASS is on; send: this datagram's TOS / class). */
#define BSDSOCK_MSGINFO_TOS     0x4u
/** Every bit bsdsock_msginfo_t.valid may have; others are BSDSOCK_EINVAL
 * on send. */
#define BSDSOCK_MSGINFO_ALL     0x7u

/** Ancillary data of one datagram, portable (bsdsock_msghdr_t.info).
 *
 * Receive (recvmsg, and each message of recvmmsg): valid is set to the
 * bits of the fields filled, 0 if none: a socket gets a field only when
 * it enabled the matching option (BSDSOCK_IP_PKTINFO or
 * BSDSOCK_IPV6_RECVPKTINFO: dst and ifindex; BSDSOCK_IP_RECVTOS or
 * BSDSOCK_IPV6_RECVTCLASS: tos), and only on IPv4 and IPv6 datagram
 * sockets (any other socket gets valid 0). dst is the datagram's
 * destination address as the IP header had it (a multicast or broadcast
 * address too), with port 0: the control data has no port, the socket's
 * own is bsdsock_getsockname()'s; an IPv6 link-local dst has scope_id =
 * ifindex. When the OS had more control data than fits bsdsock's buffer,
 * msg->flags gets BSDSOCK_MSG_CTRUNC and the fields that came whole are
 * still filled.
 *
 * Send (sendmsg, and each message of sendmmsg), on IPv4 and IPv6 datagram
 * sockets only (others: BSDSOCK_EOPNOTSUPP when valid != 0): with
 * BSDSOCK_MSGINFO_DST the datagram leaves from address dst (of the
 * socket's family, else BSDSOCK_EAFNOSUPPORT; dst.port is ignored: the
 * socket's port is used), with BSDSOCK_MSGINFO_IFINDEX through interface
 * ifindex, with BSDSOCK_MSGINFO_TOS with TOS byte / traffic class tos
 * (0..255, else BSDSOCK_EINVAL) instead of the socket's. valid 0 sends as
 * without info. Bad info is refused before anything is sent. */
typedef struct bsdsock_msginfo {
  unsigned valid;       /**< BSDSOCK_MSGINFO_* bits: the fields that hold */
  bsdsock_addr_t dst;   /**< receive: destination; send: source address */
  unsigned ifindex;     /**< interface index (bsdsock_if_nametoindex()) */
  int tos;              /**< IPv4 TOS byte or IPv6 traffic class, 0..255 */
} bsdsock_msginfo_t;

/** One message. Zero it before filling it in (memset, or `= {0}`): a
 * field added later (as info was) then means "not used". */
typedef struct bsdsock_msghdr {
  /** A bsdsock_addr_t. Send: the destination, or NULL on a connected
   * socket. Receive: gets the sender (may be NULL); on a stream socket,
   * where there is no sender address, it is zeroed (family AF_UNSPEC). */
  struct bsdsock_addr *name;
  bsdsock_iovec_t *iov;   /**< iovlen buffers, filled/sent in order */
  size_t iovlen;          /**< 0 to BSDSOCK_IOV_MAX */
  /** Receive output: BSDSOCK_MSG_TRUNC if the datagram was longer than the
   * buffers (its tail is discarded), BSDSOCK_MSG_CTRUNC if ancillary data
   * was cut (see bsdsock_msginfo_t), else 0. Ignored on send. */
  int flags;
  /** Ancillary data, or NULL for none (see bsdsock_msginfo_t). Receive:
   * filled; send: read. */
  bsdsock_msginfo_t *info;
} bsdsock_msghdr_t;

/** Sends one message from several buffers.
 * sendmsg(): sends the buffers of msg as one message (one datagram on a
 * datagram socket) to msg->name or the connected peer. flags as
 * bsdsock_send().
 * @return the bytes sent (a stream socket may take fewer), or a negative
 * error as bsdsock_send() plus the bad-input errors of msg.h's contract
 * (BSDSOCK_EMSGSIZE also for a datagram too long for the protocol). */
BSDSOCK_EXTERN bsdsock_ssize_t bsdsock_sendmsg(int fd,
                                               const bsdsock_msghdr_t *msg,
                                               int flags);

/** Receives one message into several buffers.
 * recvmsg(): receives one message into the buffers of msg, filling them in
 * order; sets msg->flags and *msg->name. flags as bsdsock_recv().
 * @return the bytes stored (0 at end of stream or for an empty datagram),
 * or a negative error as bsdsock_recv(). */
BSDSOCK_EXTERN bsdsock_ssize_t bsdsock_recvmsg(int fd, bsdsock_msghdr_t *msg,
                                               int flags);

/** One message of a batch, and its outcome. */
typedef struct bsdsock_mmsghdr {
  bsdsock_msghdr_t hdr;   /**< the message */
  size_t len;             /**< output: bytes sent / received for this message */
} bsdsock_mmsghdr_t;

/** Sends a batch of datagrams.
 * sendmmsg(): sends msgs[0..n-1] in order, each as one datagram, and sets
 * msgs[i].len for each one sent.
 * @return how many were sent, or a negative error if the first could not
 * be (nothing was sent then).
 *
 * Partial batches never lose the error: if a later message fails, the
 * call returns the count before it and stores that message's error in
 * *deferred (which may be NULL). *deferred is always written: 0 unless a
 * message after the first failed. Linux's sendmmsg drops that error, so
 * bsdsock sends the failed message once more on its own to learn it (if
 * that succeeds, the batch simply goes on). A destination address that
 * cannot be converted fails its message the same way.
 *
 * n == 0 sends nothing and returns 0 (BSDSOCK_EBADF for a descriptor that
 * is not an open socket); n above INT_MAX is treated as INT_MAX. A
 * malformed batch (msgs NULL with n > 0, or any message with bad input as
 * msg.h's contract says) is rejected whole before anything is sent. */
BSDSOCK_EXTERN int bsdsock_sendmmsg(int fd, bsdsock_mmsghdr_t *msgs, size_t n,
                                    int flags, int *deferred);

/** Receives a batch of datagrams.
 * recvmmsg(): receives up to n datagrams into msgs[0..n-1], setting
 * msgs[i].len, msgs[i].hdr.flags and the sender addresses of those
 * received (the others are untouched). Waits as bsdsock_recv() would for
 * the first datagram only (Linux's MSG_WAITFORONE), then takes what is
 * already queued without waiting.
 * @return how many were received (>= 1), or a negative error if the first
 * receive failed.
 *
 * Running out of queued datagrams ends the batch without an error
 * (*deferred = 0). Another failure after the first datagram ends it too and
 * is stored in *deferred (may be NULL), so it is never lost: on Linux, which
 * keeps such an error pending on the socket, a short batch costs one
 * getsockopt(SO_ERROR) to collect it. n, malformed batches and n == 0 as
 * for bsdsock_sendmmsg(). */
BSDSOCK_EXTERN int bsdsock_recvmmsg(int fd, bsdsock_mmsghdr_t *msgs, size_t n,
                                    int flags, int *deferred);

#ifdef __cplusplus
}
#endif

#endif /* BSDSOCK_MSG_H */
