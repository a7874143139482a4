/*
 * src/msg.c - argument checks shared by both backends' scatter/gather and
 * batched datagram calls (src/<backend>/msg.c).
 *
 * Everything a message can get wrong is checked here, before the backend
 * touches the socket, so that bad input changes nothing on either platform
 * (a kernel would otherwise discard a datagram it cannot copy out, or
 * send part of a batch before reaching the bad message).
 */
#include "internal.h"

bsdsock_ssize_t bsdsock__msg_check(const bsdsock_msghdr_t *msg) {
  size_t i, total = 0;
  if (msg == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  /* Linux says EMSGSIZE for more than UIO_MAXIOV (1024) buffers; the
   * portable limit is the same number on every platform. */
  if (msg->iovlen > BSDSOCK_IOV_MAX) return bsdsock__fail(BSDSOCK_EMSGSIZE);
  if (msg->iov == NULL && msg->iovlen != 0)
    return bsdsock__fail(BSDSOCK_EINVAL);
  for (i = 0; i < msg->iovlen; i++) {
    size_t len = msg->iov[i].len;
    if (msg->iov[i].base == NULL && len != 0)
      return bsdsock__fail(BSDSOCK_EINVAL);
    /* The result is a signed byte count (Linux: EINVAL above SSIZE_MAX). */
    if (len > (size_t)PTRDIFF_MAX - total)
      return bsdsock__fail(BSDSOCK_EINVAL);
    total += len;
  }
  return (bsdsock_ssize_t)total;
}

int bsdsock__mmsg_check(const bsdsock_mmsghdr_t *msgs, size_t n) {
  size_t i;
  if (msgs == NULL && n != 0) return bsdsock__fail(BSDSOCK_EINVAL);
  for (i = 0; i < n; i++) {
    bsdsock_ssize_t rc = bsdsock__msg_check(&msgs[i].hdr);
    if (rc < 0) return (int)rc;
  }
  return 0;
}

int bsdsock__batch_result(size_t done, int err, int *deferred) {
  if (err != 0 && done == 0) return err;
  if (deferred != NULL) *deferred = err;
  return (int)done;
}
