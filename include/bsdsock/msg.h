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
 */
#ifndef BSDSOCK_MSG_H
#define BSDSOCK_MSG_H

#include "bsdsock/platform.h"
#include "bsdsock/constants.h"

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

/** One message. */
typedef struct bsdsock_msghdr {
  /** A bsdsock_addr_t. Send: the destination, or NULL on a connected
   * socket. Receive: gets the sender (may be NULL); on a stream socket,
   * where there is no sender address, it is zeroed (family AF_UNSPEC). */
  struct bsdsock_addr *name;
  bsdsock_iovec_t *iov;   /**< iovlen buffers, filled/sent in order */
  size_t iovlen;          /**< 0 to BSDSOCK_IOV_MAX */
  /** Receive output: BSDSOCK_MSG_TRUNC if the datagram was longer than the
   * buffers (its tail is discarded), else 0. Ignored on send. */
  int flags;
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
