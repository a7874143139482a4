/*
 * src/posix/socket.c - socket lifecycle and data calls on POSIX.
 *
 * The hot path (send/recv/sendto/recvfrom) is the plainest syscall with
 * MSG_NOSIGNAL or-ed in; translation runs only on failure. EINTR is retried
 * here, as the header's policy says.
 */
#include "../internal.h"

/* SIGPIPE is suppressed per call with MSG_NOSIGNAL (Linux) or per socket
 * with SO_NOSIGPIPE (BSD, macOS), never by touching the process's signal
 * disposition (quirk Q16, fault F11; curl's SEND_4TH_ARG, libuv#1254). */
#define NOSIGNAL MSG_NOSIGNAL

int bsdsock__startup(void) {
  return 0;
}

int bsdsock_init(void) {
  return 0;
}

void bsdsock_cleanup(void) {
}

const char *bsdsock_backend(void) {
  return "posix";
}

/* Settings every bsdsock socket gets, whichever call created it. */
static int socket_defaults(int fd, int family) {
  int one = 1;
#ifdef BSDSOCK_HAVE_SO_NOSIGPIPE
  if (setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one)) != 0)
    return bsdsock__fail_os();
#endif
  /* One documented V6ONLY default everywhere (quirk Q45): on, as Windows
   * and OpenBSD have it, so a "::" listener never answers IPv4 by surprise
   * on Linux; set it to 0 for a dual-stack socket. */
  if (family == AF_INET6 &&
      setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) != 0)
    return bsdsock__fail_os();
  (void)one;
  return 0;
}

int bsdsock_socket(int family, int type, int protocol) {
  int naf, ntype, nproto, fd, rc;
  rc = bsdsock__socket_args(family, type, protocol, &naf, &ntype, &nproto);
  if (rc != 0) return rc;
  ntype |= SOCK_CLOEXEC;
  if (type & BSDSOCK_SOCK_NONBLOCK) ntype |= SOCK_NONBLOCK;
  fd = socket(naf, ntype, nproto);
  if (fd < 0) return bsdsock__fail_os();
  rc = socket_defaults(fd, naf);
  if (rc != 0) {
    close(fd);
    return rc;
  }
  return fd;
}

/* rc is the portable code of a failed bind/connect/sendto to addr. An
 * address of another family than the socket's fails with whatever the
 * kernel checks first (Linux: EAFNOSUPPORT for an IPv6 address on an IPv4
 * socket, EINVAL the other way round, ENETUNREACH for sendto() from an
 * IPv6-only socket to an IPv4 address; Wine: WSAEOPNOTSUPP); bsdsock says
 * EAFNOSUPPORT everywhere. Runs on failure only, after errno was recorded
 * (getsockname() of an unbound socket still tells the family). */
static int addr_error(int rc, int fd, const bsdsock_addr_t *addr) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  int naf;
  if (addr == NULL || (rc != BSDSOCK_EINVAL && rc != BSDSOCK_EOPNOTSUPP &&
                       rc != BSDSOCK_EFAULT && rc != BSDSOCK_ENETUNREACH))
    return rc;
  if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0 ||
      bsdsock_const_to_native(BSDSOCK_CONST_AF, addr->family, &naf) != 0)
    return rc;
  return naf != ss.ss_family ? BSDSOCK_EAFNOSUPPORT : rc;
}

int bsdsock_bind(int fd, const bsdsock_addr_t *addr) {
  struct sockaddr_storage ss;
  socklen_t len;
  int rc;
  if (addr == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  rc = bsdsock__addr_to_sockaddr(addr, &ss, &len);
  /* The conversion records nothing: an unusable address is an argument
   * error with no native code behind it. */
  if (rc != 0) return bsdsock__fail(rc);
  if (bind(fd, (struct sockaddr *)&ss, len) != 0)
    return addr_error(bsdsock__fail_os(), fd, addr);
  return 0;
}

int bsdsock_listen(int fd, int backlog) {
  if (backlog <= 0 || backlog > SOMAXCONN) backlog = SOMAXCONN;
  if (listen(fd, backlog) != 0) return bsdsock__fail_os();
  return 0;
}

int bsdsock_accept(int fd, bsdsock_addr_t *peer) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  int s;
  do
    s = accept4(fd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC);
  while (s < 0 && errno == EINTR);
  if (s < 0) return bsdsock__fail_os();
  if (peer != NULL && bsdsock__addr_from_sockaddr(peer, (struct sockaddr *)&ss,
                                                  len) != 0)
    memset(peer, 0, sizeof(*peer));
  return s;
}

/* Waits until a connect that a signal interrupted has finished, and
 * returns its outcome: POSIX says the connection goes on asynchronously
 * and re-issuing connect() would give EALREADY (PEP 475 does the same). */
static int connect_finish(int fd) {
  struct pollfd p;
  int err = 0, rc;
  socklen_t len = sizeof(err);
  p.fd = fd;
  p.events = POLLOUT;
  do
    rc = poll(&p, 1, -1);
  while (rc < 0 && errno == EINTR);
  if (rc < 0) return bsdsock__fail_os();
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
    return bsdsock__fail_os();
  return err ? bsdsock__fail_native(err) : 0;
}

int bsdsock_connect(int fd, const bsdsock_addr_t *addr) {
  struct sockaddr_storage ss;
  socklen_t len;
  int rc;
  if (addr == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  rc = bsdsock__addr_to_sockaddr(addr, &ss, &len);
  if (rc != 0) return bsdsock__fail(rc);
  if (connect(fd, (struct sockaddr *)&ss, len) == 0) return 0;
  if (errno == EINTR) return connect_finish(fd);
  return addr_error(bsdsock__fail_os(), fd, addr);
}

int bsdsock_shutdown(int fd, int how) {
  int nhow;
  if (bsdsock_const_to_native(BSDSOCK_CONST_SHUT, how, &nhow) != 0)
    return bsdsock__fail(BSDSOCK_EINVAL);
  if (shutdown(fd, nhow) != 0) return bsdsock__fail_os();
  return 0;
}

int bsdsock_close(int fd) {
  int type;
  socklen_t len = sizeof(type);
  /* Only sockets: a file's number is not a bsdsock descriptor, as on
   * Windows, where the same call finds it absent from the table. */
  if (fd < 0 || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0)
    return bsdsock__fail(BSDSOCK_EBADF);
  /* Linux frees the descriptor even when close() reports EINTR, so it is
   * never retried (retrying could close a number another thread got). */
  if (close(fd) != 0 && errno != EINTR) return bsdsock__fail_os();
  return 0;
}

/* getsockname/getpeername share everything but the call. */
static int name_of(int fd, bsdsock_addr_t *addr,
                   int (*get)(int, struct sockaddr *, socklen_t *)) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  if (addr == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  memset(&ss, 0, sizeof(ss));
  if (get(fd, (struct sockaddr *)&ss, &len) != 0) return bsdsock__fail_os();
  return bsdsock__addr_from_sockaddr(addr, (struct sockaddr *)&ss, len);
}

int bsdsock_getsockname(int fd, bsdsock_addr_t *addr) {
  return name_of(fd, addr, getsockname);
}

int bsdsock_getpeername(int fd, bsdsock_addr_t *addr) {
  return name_of(fd, addr, getpeername);
}

int bsdsock_set_nonblocking(int fd, int on) {
  int v = on ? 1 : 0;
  if (ioctl(fd, FIONBIO, &v) != 0) return bsdsock__fail_os();
  return 0;
}

int bsdsock_get_nonblocking(int fd) {
  int fl = fcntl(fd, F_GETFL);
  if (fl == -1) return bsdsock__fail_os();
  return (fl & O_NONBLOCK) ? 1 : 0;
}

bsdsock_os_sock_t bsdsock_native_handle(int fd) {
  if (fd < 0 || fcntl(fd, F_GETFD) == -1) return BSDSOCK_OS_SOCK_INVALID;
  return fd;
}

/* ---- data: the hot path ------------------------------------------------ */

bsdsock_ssize_t bsdsock_send(int fd, const void *buf, size_t len, int flags) {
  ssize_t n;
  int nflags;
  BSDSOCK__DATA_FLAGS(flags, nflags);
  do
    n = send(fd, buf, len, nflags | NOSIGNAL);
  while (BSDSOCK__UNLIKELY(n < 0) && errno == EINTR);
  if (BSDSOCK__UNLIKELY(n < 0)) return bsdsock__fail_os();
  return n;
}

bsdsock_ssize_t bsdsock_recv(int fd, void *buf, size_t len, int flags) {
  ssize_t n;
  int nflags;
  BSDSOCK__DATA_FLAGS(flags, nflags);
  do
    n = recv(fd, buf, len, nflags);
  while (BSDSOCK__UNLIKELY(n < 0) && errno == EINTR);
  if (BSDSOCK__UNLIKELY(n < 0)) return bsdsock__fail_os();
  return n;
}

bsdsock_ssize_t bsdsock_sendto(int fd, const void *buf, size_t len, int flags,
                               const bsdsock_addr_t *addr) {
  struct sockaddr_storage ss;
  socklen_t sslen = 0;
  ssize_t n;
  int nflags, rc;
  BSDSOCK__DATA_FLAGS(flags, nflags);
  if (addr != NULL) {
    rc = bsdsock__addr_to_sockaddr(addr, &ss, &sslen);
    if (rc != 0) return bsdsock__fail(rc);
  }
  do
    n = sendto(fd, buf, len, nflags | NOSIGNAL,
               addr ? (struct sockaddr *)&ss : NULL, sslen);
  while (BSDSOCK__UNLIKELY(n < 0) && errno == EINTR);
  if (BSDSOCK__UNLIKELY(n < 0))
    return addr_error(bsdsock__fail_os(), fd, addr);
  return n;
}

bsdsock_ssize_t bsdsock_recvfrom(int fd, void *buf, size_t len, int flags,
                                 bsdsock_addr_t *from) {
  struct sockaddr_storage ss;
  socklen_t sslen = sizeof(ss);
  ssize_t n;
  int nflags;
  BSDSOCK__DATA_FLAGS(flags, nflags);
  do
    n = recvfrom(fd, buf, len, nflags, from ? (struct sockaddr *)&ss : NULL,
                 from ? &sslen : NULL);
  while (BSDSOCK__UNLIKELY(n < 0) && errno == EINTR);
  if (BSDSOCK__UNLIKELY(n < 0)) return bsdsock__fail_os();
  if (from != NULL &&
      bsdsock__addr_from_sockaddr(from, (struct sockaddr *)&ss, sslen) != 0)
    memset(from, 0, sizeof(*from));
  return n;
}

/* ---- helpers for msg.c (see internal.h) ---------------------------------- */

/* errno needs no fix-up on POSIX, and MSG_DONTWAIT is a kernel flag. */
int bsdsock__send_error(int fd) {
  (void)fd;
  return bsdsock__fail_os();
}

bsdsock_ssize_t bsdsock__recv_error(int fd, size_t len) {
  (void)fd;
  (void)len;
  return bsdsock__fail_os();
}

int bsdsock__dontwait_begin(int fd, bsdsock__sock_t s, int flags) {
  (void)fd;
  (void)s;
  (void)flags;
  return 0;
}

void bsdsock__dontwait_end(bsdsock__sock_t s, int token) {
  (void)s;
  (void)token;
}
