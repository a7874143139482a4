/* SPDX-License-Identifier: MIT */
/*
 * src/data.c - send/recv/sendto/recvfrom, written once: the hot path.
 *
 * Each call has two paths. The plain one (flags 0, a buffer, an open
 * descriptor) is the descriptor lookup and the system call, inline from
 * the backend's os_inline.h: no allocation, no lock, no translation unless
 * the call fails (docs/design.md, "Hot path"). Everything else takes the
 * full path, which checks the arguments in the documented order, asks the
 * backend for a call that must not wait (BSDSOCK__NOWAIT, src/os.h: the
 * OS's MSG_DONTWAIT, emulated on Winsock), applies the EINTR policy
 * (retry) and normalises failures (misuse.c). A failure on the plain path
 * joins the full path, so both give the same answers.
 */
#include "internal.h"

#if defined(__GNUC__)
# define COLD __attribute__((cold, noinline))
#else
# define COLD
#endif

/* ---- send side ----------------------------------------------------------- */

static COLD bsdsock_ssize_t send_full(int fd, const void *buf, size_t len,
                                      int flags, const bsdsock_addr_t *addr) {
  struct sockaddr_storage ss;
  bsdsock__socklen_t sslen = 0;
  bsdsock__sock_t s;
  bsdsock_ssize_t n;
  int nflags, rc;
  if ((rc = bsdsock__data_args(fd, flags, &s, &nflags)) != 0) return rc;
  if (buf == NULL && len != 0) return bsdsock__arg_fail(s, BSDSOCK_EFAULT);
  if (addr != NULL && (rc = bsdsock__addr_to_sockaddr(addr, &ss, &sslen)) != 0)
    return bsdsock__arg_fail(s, rc);
  if (flags & BSDSOCK_MSG_DONTWAIT) nflags |= BSDSOCK__NOWAIT;
  do {
    n = addr != NULL ? bsdsock__os_sendto(s, buf, len, nflags,
                                          (const struct sockaddr *)&ss, sslen)
                     : bsdsock__os_send(s, buf, len, nflags);
    rc = n < 0 ? bsdsock__os_send_error(fd) : 0;
  } while (rc == BSDSOCK_EINTR);
  if (n < 0)
    return bsdsock__misuse(BSDSOCK__CALL_SEND, fd, s, rc, addr, flags);
  return n;
}

/* The plain path failed: EINTR is retried (by the full path, which then
 * gives the same result as a call that took it from the start). */
static COLD bsdsock_ssize_t send_failed(int fd, bsdsock__sock_t s,
                                        const void *buf, size_t len,
                                        const bsdsock_addr_t *addr) {
  int rc = bsdsock__os_send_error(fd);
  if (rc == BSDSOCK_EINTR) return send_full(fd, buf, len, 0, addr);
  return bsdsock__misuse(BSDSOCK__CALL_SEND, fd, s, rc, addr, 0);
}

/* A NULL buffer needs no check on the plain send path: the kernel refuses
 * it (EFAULT) without side effects, and the failure path then gives the
 * documented answer. */
bsdsock_ssize_t bsdsock_send(int fd, const void *buf, size_t len, int flags) {
  bsdsock__sock_t s = bsdsock__fd_get(fd);
  if (BSDSOCK__LIKELY(flags == 0 && BSDSOCK__SOCK_OK(s))) {
    bsdsock_ssize_t n = bsdsock__os_send(s, buf, len, 0);
    if (BSDSOCK__LIKELY(n >= 0)) return n;
    return send_failed(fd, s, buf, len, NULL);
  }
  return send_full(fd, buf, len, flags, NULL);
}

bsdsock_ssize_t bsdsock_sendto(int fd, const void *buf, size_t len, int flags,
                               const bsdsock_addr_t *addr) {
  struct sockaddr_storage ss;
  bsdsock__socklen_t sslen;
  bsdsock__sock_t s;
  if (addr == NULL) return bsdsock_send(fd, buf, len, flags);
  s = bsdsock__fd_get(fd);
  if (BSDSOCK__LIKELY(flags == 0 && BSDSOCK__SOCK_OK(s) &&
                      bsdsock__addr_to_sockaddr(addr, &ss, &sslen) == 0)) {
    bsdsock_ssize_t n = bsdsock__os_sendto(
        s, buf, len, 0, (const struct sockaddr *)&ss, sslen);
    if (BSDSOCK__LIKELY(n >= 0)) return n;
    return send_failed(fd, s, buf, len, addr);
  }
  return send_full(fd, buf, len, flags, addr);
}

/* ---- receive side -------------------------------------------------------- */

/* The sender's address of a receive that stored *ss: a connected stream
 * socket reports none (length 0, or the AF_UNSPEC bsdsock put there),
 * which reads as zeroed. */
static void store_from(bsdsock_addr_t *from, const struct sockaddr_storage *ss,
                       bsdsock__socklen_t len) {
  if (bsdsock__addr_from_sockaddr(from, (const struct sockaddr *)ss,
                                  (size_t)len) != 0)
    memset(from, 0, sizeof(*from));
}

static COLD bsdsock_ssize_t recv_full(int fd, void *buf, size_t len, int flags,
                                      bsdsock_addr_t *from) {
  struct sockaddr_storage ss;
  bsdsock__socklen_t sslen;
  bsdsock__sock_t s;
  bsdsock_ssize_t n;
  int nflags, rc;
  if ((rc = bsdsock__data_args(fd, flags, &s, &nflags)) != 0) return rc;
  /* Checked here, not left to the kernel: Linux fails with EFAULT only
   * after it has taken the datagram off the queue. */
  if (buf == NULL && len != 0) return bsdsock__arg_fail(s, BSDSOCK_EFAULT);
  if (flags & BSDSOCK_MSG_DONTWAIT) nflags |= BSDSOCK__NOWAIT;
  do {
    sslen = (bsdsock__socklen_t)sizeof(ss);
    ss.ss_family = AF_UNSPEC;
    n = from != NULL ? bsdsock__os_recvfrom(s, buf, len, nflags, &ss, &sslen)
                     : bsdsock__os_recv(s, buf, len, nflags);
    if (n < 0) n = bsdsock__os_recv_error(fd, len);
  } while (n == BSDSOCK_EINTR);
  if (n < 0)
    return bsdsock__misuse(BSDSOCK__CALL_RECV, fd, s, (int)n, NULL, flags);
  if (from != NULL) store_from(from, &ss, sslen);
  return n;
}

/* The plain path failed: a result the backend reports as data (a
 * truncated datagram on Winsock) stands, EINTR is retried. */
static COLD bsdsock_ssize_t recv_failed(int fd, bsdsock__sock_t s, void *buf,
                                        size_t len, bsdsock_addr_t *from,
                                        const struct sockaddr_storage *ss,
                                        bsdsock__socklen_t sslen) {
  bsdsock_ssize_t n = bsdsock__os_recv_error(fd, len);
  if (n == BSDSOCK_EINTR) return recv_full(fd, buf, len, 0, from);
  if (n < 0)
    return bsdsock__misuse(BSDSOCK__CALL_RECV, fd, s, (int)n, NULL, 0);
  if (from != NULL) store_from(from, ss, sslen);
  return n;
}

bsdsock_ssize_t bsdsock_recv(int fd, void *buf, size_t len, int flags) {
  bsdsock__sock_t s = bsdsock__fd_get(fd);
  if (BSDSOCK__LIKELY(flags == 0 && buf != NULL &&
                      BSDSOCK__SOCK_OK(s))) {
    bsdsock_ssize_t n = bsdsock__os_recv(s, buf, len, 0);
    if (BSDSOCK__LIKELY(n >= 0)) return n;
    return recv_failed(fd, s, buf, len, NULL, NULL, 0);
  }
  return recv_full(fd, buf, len, flags, NULL);
}

bsdsock_ssize_t bsdsock_recvfrom(int fd, void *buf, size_t len, int flags,
                                 bsdsock_addr_t *from) {
  struct sockaddr_storage ss;
  bsdsock__socklen_t sslen = (bsdsock__socklen_t)sizeof(ss);
  bsdsock__sock_t s;
  bsdsock_ssize_t n;
  if (from == NULL) return bsdsock_recv(fd, buf, len, flags);
  s = bsdsock__fd_get(fd);
  if (BSDSOCK__LIKELY(flags == 0 && buf != NULL &&
                      BSDSOCK__SOCK_OK(s))) {
    ss.ss_family = AF_UNSPEC;
    n = bsdsock__os_recvfrom(s, buf, len, 0, &ss, &sslen);
    if (BSDSOCK__UNLIKELY(n < 0))
      return recv_failed(fd, s, buf, len, from, &ss, sslen);
    store_from(from, &ss, sslen);
    return n;
  }
  return recv_full(fd, buf, len, flags, from);
}
