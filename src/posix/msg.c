/*
 * src/posix/msg.c - scatter/gather and batched datagram calls on POSIX.
 *
 * sendmsg/recvmsg take the caller's bsdsock_iovec_t array as it is (it has
 * struct iovec's layout, checked below at compile time), so one message
 * costs its address conversion and the system call. Batches use Linux's
 * sendmmsg/recvmmsg (BSDSOCK_HAVE_MMSG) in chunks of up to CHUNK messages
 * converted on the stack, and a loop of single calls elsewhere.
 */
#include "../internal.h"

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

/* SIGPIPE is suppressed per call, as in socket.c (quirk Q16). */
#define NOSIGNAL MSG_NOSIGNAL

/* Messages per sendmmsg/recvmmsg call: one stack frame of native headers
 * (64 x (64 + 128) bytes), and the batch sizes worth batching; larger
 * batches take several calls. */
#define CHUNK 64

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

static bsdsock_ssize_t send_native(int fd, const struct msghdr *mh,
                                   int nflags) {
  ssize_t n;
  do
    n = sendmsg(fd, mh, nflags);
  while (BSDSOCK__UNLIKELY(n < 0) && errno == EINTR);
  if (BSDSOCK__UNLIKELY(n < 0)) return bsdsock__send_error(fd);
  return n;
}

static bsdsock_ssize_t recv_native(int fd, struct msghdr *mh, int nflags) {
  ssize_t n;
  do
    n = recvmsg(fd, mh, nflags);
  while (BSDSOCK__UNLIKELY(n < 0) && errno == EINTR);
  if (BSDSOCK__UNLIKELY(n < 0)) return bsdsock__recv_error(fd, 0);
  return n;
}

bsdsock_ssize_t bsdsock_sendmsg(int fd, const bsdsock_msghdr_t *msg,
                                int flags) {
  struct sockaddr_storage ss;
  struct msghdr mh;
  bsdsock_ssize_t rc;
  int nflags;
  BSDSOCK__DATA_FLAGS(flags, nflags);
  rc = bsdsock__msg_check(msg);
  if (rc < 0) return rc;
  rc = native_hdr(&mh, msg, &ss, 1);
  if (rc != 0) return rc;
  return send_native(fd, &mh, nflags | NOSIGNAL);
}

bsdsock_ssize_t bsdsock_recvmsg(int fd, bsdsock_msghdr_t *msg, int flags) {
  struct sockaddr_storage ss;
  struct msghdr mh;
  bsdsock_ssize_t n;
  int nflags;
  BSDSOCK__DATA_FLAGS(flags, nflags);
  n = bsdsock__msg_check(msg);
  if (n < 0) return n;
  native_hdr(&mh, msg, &ss, 0);
  n = recv_native(fd, &mh, nflags);
  if (n >= 0) recv_done(msg, &mh);
  return n;
}

/* The shared prologue of the batched calls: *deferred, flags, shape. */
#define MMSG_PROLOGUE(fd, msgs, n, flags, nflags, deferred)                  \
  do {                                                                       \
    int rc_;                                                                 \
    if ((deferred) != NULL) *(deferred) = 0;                                 \
    BSDSOCK__DATA_FLAGS(flags, nflags);                                      \
    if ((n) > (size_t)INT_MAX) (n) = (size_t)INT_MAX;                        \
    rc_ = bsdsock__mmsg_check(msgs, n);                                      \
    if (rc_ != 0) return rc_;                                                \
  } while (0)

/* A batch that stopped at message `done` because of err: the count, or the
 * error itself if nothing went through. */
static int batch_result(size_t done, int err, int *deferred) {
  if (err != 0 && done == 0) return err;
  if (deferred != NULL) *deferred = err;
  return (int)done;
}

#ifdef BSDSOCK_HAVE_MMSG

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

int bsdsock_sendmmsg(int fd, bsdsock_mmsghdr_t *msgs, size_t n, int flags,
                     int *deferred) {
  struct mmsghdr vec[CHUNK];
  struct sockaddr_storage names[CHUNK];
  size_t done = 0, ready, j;
  int nflags, err = 0, k;
  MMSG_PROLOGUE(fd, msgs, n, flags, nflags, deferred);
  nflags |= NOSIGNAL;
  if (n == 0)  /* nothing to send, but a bad descriptor is still EBADF */
    return sendmmsg(fd, vec, 0, nflags) < 0 ? bsdsock__fail_os() : 0;
  while (done < n && err == 0) {
    ready = send_chunk(vec, names, msgs + done, n - done < CHUNK ? n - done
                                                                 : CHUNK,
                       &err);
    if (ready == 0) break;
    do
      k = sendmmsg(fd, vec, (unsigned)ready, nflags);
    while (BSDSOCK__UNLIKELY(k < 0) && errno == EINTR);
    if (k < 0) {
      err = bsdsock__send_error(fd);
      break;
    }
    for (j = 0; j < (size_t)k; j++) msgs[done + j].len = vec[j].msg_len;
    done += (size_t)k;
    if ((size_t)k < ready) {
      /* Linux's sendmmsg returns the count and drops the error of message
       * k (net/socket.c: "We only return an error if no datagrams were
       * able to be sent"). Sending that message alone gives the error
       * back; if the condition has passed, it goes out and the batch goes
       * on. */
      bsdsock_ssize_t r = send_native(fd, &vec[k].msg_hdr, nflags);
      if (r < 0) {
        err = (int)r;
        break;
      }
      msgs[done++].len = (size_t)r;
      err = 0;  /* a conversion error further on is met again next round */
    }
  }
  return batch_result(done, err, deferred);
}

/* Fills m native headers for receiving into msgs. */
static void recv_chunk(struct mmsghdr *vec, struct sockaddr_storage *names,
                       const bsdsock_mmsghdr_t *msgs, size_t m) {
  size_t i;
  for (i = 0; i < m; i++) {
    native_hdr(&vec[i].msg_hdr, &msgs[i].hdr, &names[i], 0);
    vec[i].msg_len = 0;
  }
}

/* After a short batch, the error (if any) that ended it. Linux keeps an
 * error met after the first datagram in the socket's pending error
 * (net/socket.c do_recvmmsg: "we record the error to return on the next
 * call"); running out of datagrams (EAGAIN) is not recorded. Reading
 * SO_ERROR takes it, so it is reported now and only once. */
static int pending_error(int fd) {
  int e = 0;
  socklen_t len = sizeof(e);
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0) return 0;
  return e != 0 ? bsdsock__fail_native(e) : 0;
}

int bsdsock_recvmmsg(int fd, bsdsock_mmsghdr_t *msgs, size_t n, int flags,
                     int *deferred) {
  struct mmsghdr vec[CHUNK];
  struct sockaddr_storage names[CHUNK];
  size_t done = 0, m, j;
  int nflags, err = 0, k, wait = MSG_WAITFORONE;
  MMSG_PROLOGUE(fd, msgs, n, flags, nflags, deferred);
  if (n == 0)
    return recvmmsg(fd, vec, 0, nflags, NULL) < 0 ? bsdsock__fail_os() : 0;
  while (done < n) {
    m = n - done < CHUNK ? n - done : CHUNK;
    recv_chunk(vec, names, msgs + done, m);
    /* Wait (as the socket would) for the first datagram only; Linux's
     * recvmmsg without MSG_WAITFORONE blocks until all m have come. */
    do
      k = recvmmsg(fd, vec, (unsigned)m, nflags | wait, NULL);
    while (BSDSOCK__UNLIKELY(k < 0) && errno == EINTR);
    if (k < 0) {
      if (done == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
        err = bsdsock__recv_error(fd, 0);
      break;
    }
    for (j = 0; j < (size_t)k; j++) {
      msgs[done + j].len = vec[j].msg_len;
      recv_done(&msgs[done + j].hdr, &vec[j].msg_hdr);
    }
    done += (size_t)k;
    if ((size_t)k < m) {
      err = pending_error(fd);
      break;
    }
    wait = MSG_DONTWAIT;  /* later chunks take only what is queued */
  }
  return batch_result(done, err, deferred);
}

#else /* !BSDSOCK_HAVE_MMSG: a loop of single calls */

int bsdsock_sendmmsg(int fd, bsdsock_mmsghdr_t *msgs, size_t n, int flags,
                     int *deferred) {
  struct sockaddr_storage ss;
  struct msghdr mh;
  bsdsock_ssize_t r = 0;
  size_t done;
  int nflags;
  MMSG_PROLOGUE(fd, msgs, n, flags, nflags, deferred);
  if (n == 0)  /* a bad descriptor is still EBADF */
    return fcntl(fd, F_GETFD) < 0 ? bsdsock__fail_os() : 0;
  for (done = 0; done < n; done++) {
    r = native_hdr(&mh, &msgs[done].hdr, &ss, 1);
    if (r == 0) r = send_native(fd, &mh, nflags | NOSIGNAL);
    if (r < 0) break;
    msgs[done].len = (size_t)r;
  }
  return batch_result(done, r < 0 ? (int)r : 0, deferred);
}

int bsdsock_recvmmsg(int fd, bsdsock_mmsghdr_t *msgs, size_t n, int flags,
                     int *deferred) {
  struct sockaddr_storage ss;
  struct msghdr mh;
  bsdsock_ssize_t r = 0;
  size_t done;
  int nflags;
  MMSG_PROLOGUE(fd, msgs, n, flags, nflags, deferred);
  if (n == 0) return fcntl(fd, F_GETFD) < 0 ? bsdsock__fail_os() : 0;
  for (done = 0; done < n; done++) {
    native_hdr(&mh, &msgs[done].hdr, &ss, 0);
    /* Wait for the first datagram only (see bsdsock/msg.h). */
    r = recv_native(fd, &mh, done == 0 ? nflags : nflags | MSG_DONTWAIT);
    if (r < 0) {
      if (done > 0 && r == BSDSOCK_EAGAIN) r = 0;
      break;
    }
    msgs[done].len = (size_t)r;
    recv_done(&msgs[done].hdr, &mh);
  }
  return batch_result(done, r < 0 ? (int)r : 0, deferred);
}

#endif /* BSDSOCK_HAVE_MMSG */
