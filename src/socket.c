/* SPDX-License-Identifier: MIT */
/*
 * src/socket.c - the socket lifecycle calls, written once for every
 * backend: argument checks in the documented order (docs/design.md,
 * "Argument order"), then one OS call (src/os.h), then failure
 * normalisation (src/misuse.c).
 */
#include "internal.h"

int bsdsock_init(void) {
  return bsdsock__os_startup();
}

void bsdsock_cleanup(void) {
  bsdsock__os_cleanup();
}

int bsdsock_crt_numbering(void) {
  return bsdsock__fd_crt_numbering();
}

const char *bsdsock_backend(void) {
  return BSDSOCK__BACKEND;
}

int bsdsock_socket(int family, int type, int protocol) {
  int naf, ntype, nproto, rc, nonblock = (type & BSDSOCK_SOCK_NONBLOCK) != 0;
  bsdsock__sock_t s;
  rc = bsdsock__socket_args(family, type, protocol, &naf, &ntype, &nproto);
  if (rc != 0) return rc;
  rc = bsdsock__os_startup();
  if (rc != 0) return rc;
  rc = bsdsock__os_socket(naf, ntype, nproto, nonblock, &s);
  if (rc != 0) return rc;
  return bsdsock__fd_alloc(s, nonblock ? BSDSOCK__FD_NONBLOCK : 0);
}

int bsdsock_bind(int fd, const bsdsock_addr_t *addr) {
  struct sockaddr_storage ss;
  bsdsock__socklen_t len;
  bsdsock__sock_t s;
  int rc;
  if ((rc = bsdsock__addr_args(fd, addr, &s, &ss, &len)) != 0) return rc;
  rc = bsdsock__os_bind(s, (const struct sockaddr *)&ss, len);
  if (rc == 0) return 0;
  return bsdsock__misuse(BSDSOCK__CALL_BIND, fd, s, rc, addr, 0);
}

/* listen() on a stream socket that is not bound yet: BSD and Linux bind it
 * to its family's wildcard address and a free port first; Winsock fails
 * with WSAEINVAL. bsdsock binds, as BSD does. 1 if it bound s. */
static int autobind(bsdsock__sock_t s) {
  struct bsdsock__sockstate st;
  struct sockaddr_storage ss;
  bsdsock__socklen_t len;
  bsdsock_addr_t any;
  if (bsdsock__os_sockstate(s, &st) != 0 || (st.bits & BSDSOCK__ST_BOUND) ||
      st.type != BSDSOCK_SOCK_STREAM ||
      bsdsock_addr_any(&any, st.family, 0) != 0 ||
      bsdsock__addr_to_sockaddr(&any, &ss, &len) != 0)
    return 0;
  return bsdsock__os_bind(s, (const struct sockaddr *)&ss, len) == 0;
}

int bsdsock_listen(int fd, int backlog) {
  bsdsock__sock_t s;
  int rc;
  BSDSOCK__SOCKET(s, fd);
  if (backlog <= 0 || backlog > SOMAXCONN) backlog = SOMAXCONN;
  rc = bsdsock__os_listen(s, backlog);
  if (rc != 0 && autobind(s)) rc = bsdsock__os_listen(s, backlog);
  if (rc == 0) return 0;
  return bsdsock__misuse(BSDSOCK__CALL_LISTEN, fd, s, rc, NULL, 0);
}

int bsdsock_accept(int fd, bsdsock_addr_t *peer) {
  struct sockaddr_storage ss;
  bsdsock__socklen_t len;
  bsdsock__sock_t s, c;
  int rc, nfd;
  BSDSOCK__SOCKET(s, fd);
  do {
    len = (bsdsock__socklen_t)sizeof(ss);
    rc = bsdsock__os_accept(fd, s, &ss, &len, &c);
  } while (rc == BSDSOCK_EINTR);
  if (rc != 0) return bsdsock__misuse(BSDSOCK__CALL_ACCEPT, fd, s, rc, NULL, 0);
  nfd = bsdsock__fd_alloc(c, BSDSOCK__FD_EVERCONN);
  if (nfd >= 0 && peer != NULL &&
      bsdsock__addr_from_sockaddr(peer, (const struct sockaddr *)&ss,
                                  (size_t)len) != 0)
    memset(peer, 0, sizeof(*peer));
  return nfd;
}

/* Whether a connect() outcome means the attempt reached the network (as
 * opposed to an argument or state error): from then on the socket counts
 * as having had a connection (misuse.c). */
static int reached_network(int rc) {
  switch (rc) {
    case 0:
    case BSDSOCK_EINPROGRESS:
    case BSDSOCK_EALREADY:
    case BSDSOCK_EINTR:
    case BSDSOCK_ECONNREFUSED:
    case BSDSOCK_ETIMEDOUT:
    case BSDSOCK_ENETUNREACH:
    case BSDSOCK_EHOSTUNREACH:
    case BSDSOCK_ECONNRESET:
    case BSDSOCK_ECONNABORTED:
      return 1;
    default:
      return 0;
  }
}

/* A connect() that a signal interrupted goes on in the background: POSIX
 * says so, and issuing it again would say EALREADY. The EINTR policy
 * (bsdsock.h) waits for it and reports its outcome, as PEP 475 does. */
static int connect_finish(int fd) {
  bsdsock_pollfd_t p;
  size_t len = sizeof(int);
  int err = 0, rc;
  p.fd = fd;
  p.events = BSDSOCK_POLLOUT;
  p.revents = 0;
  rc = bsdsock__poll_os(&p, 1, -1);
  if (rc < 0) return rc;
  rc = bsdsock_getsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_ERROR, &err, &len);
  if (rc != 0) return rc;
  return err != 0 ? bsdsock__fail(err) : 0;
}

int bsdsock_connect(int fd, const bsdsock_addr_t *addr) {
  struct sockaddr_storage ss;
  bsdsock__socklen_t len;
  bsdsock__sock_t s;
  int rc;
  if ((rc = bsdsock__addr_args(fd, addr, &s, &ss, &len)) != 0) return rc;
  rc = bsdsock__os_connect(fd, s, (const struct sockaddr *)&ss, len);
  if (reached_network(rc)) bsdsock__fd_set_flags(fd, BSDSOCK__FD_EVERCONN, 0);
  if (rc == BSDSOCK_EINTR) rc = connect_finish(fd);
  if (rc == 0) return 0;
  return bsdsock__misuse(BSDSOCK__CALL_CONNECT, fd, s, rc, addr, 0);
}

int bsdsock_shutdown(int fd, int how) {
  bsdsock__sock_t s;
  int nhow, rc;
  BSDSOCK__SOCKET(s, fd);
  if (bsdsock__const_to_native(BSDSOCK_CONST_SHUT, how, &nhow) != 0)
    return bsdsock__arg_fail(s, BSDSOCK_EINVAL);
  /* A listening socket has no connection to shut down: Winsock says
   * WSAENOTCONN, as POSIX's wording does, while Linux succeeds and (for
   * SHUT_RD) stops the listener, a side effect no other system has. */
  if (bsdsock__os_listening(s) == 1) return bsdsock__fail(BSDSOCK_ENOTCONN);
  rc = bsdsock__os_shutdown(s, nhow);
  if (rc == 0) return 0;
  return bsdsock__misuse(BSDSOCK__CALL_SHUTDOWN, fd, s, rc, NULL, 0);
}

int bsdsock_close(int fd) {
  unsigned kind = fd >= 0 ? bsdsock__fd_flags(fd) : 0;
  /* A poller's number closes the poller (bsdsock/poller.h), an interface
   * watch's the watch: its notifications cancelled, its state freed
   * (bsdsock_ifwatch_open). */
  if (kind & BSDSOCK__FD_POLLER) return bsdsock__os_poller_close(fd);
  if (kind & BSDSOCK__FD_IFWATCH) return bsdsock__os_ifwatch_close(fd);
  if (!BSDSOCK__SOCK_OK(bsdsock__fd_get(fd)))
    return bsdsock__fail(BSDSOCK_EBADF);
  return bsdsock__os_close(fd);
}

/* getsockname() of a socket not bound yet: BSD reports its family's
 * unspecified address with port 0, Winsock fails with WSAEINVAL (MS
 * getsockname docs); bsdsock gives the BSD answer. 1 if it did. */
static int unbound_name(bsdsock__sock_t s, bsdsock_addr_t *addr) {
  struct bsdsock__sockstate st;
  if (bsdsock__os_sockstate(s, &st) != 0 || (st.bits & BSDSOCK__ST_BOUND))
    return 0;
  if (st.family == BSDSOCK_AF_UNIX) {
    memset(addr, 0, sizeof(*addr));
    addr->family = BSDSOCK_AF_UNIX;
    return 1;
  }
  return bsdsock_addr_any(addr, st.family, 0) == 0;
}

static int name_of(int fd, bsdsock_addr_t *addr, int peer) {
  struct sockaddr_storage ss;
  bsdsock__socklen_t len = (bsdsock__socklen_t)sizeof(ss);
  bsdsock__sock_t s;
  int rc;
  BSDSOCK__SOCKET(s, fd);
  if (addr == NULL) return bsdsock__arg_fail(s, BSDSOCK_EINVAL);
  memset(&ss, 0, sizeof(ss));
  rc = bsdsock__os_name(s, peer, &ss, &len);
  if (rc == 0) {
    rc = bsdsock__addr_from_sockaddr(addr, (const struct sockaddr *)&ss,
                                     (size_t)len);
    return rc == 0 ? 0 : bsdsock__fail(rc);
  }
  if (!peer && unbound_name(s, addr)) return 0;
  return bsdsock__misuse(peer ? BSDSOCK__CALL_GETPEERNAME
                              : BSDSOCK__CALL_GETSOCKNAME,
                         fd, s, rc, NULL, 0);
}

int bsdsock_getsockname(int fd, bsdsock_addr_t *addr) {
  return name_of(fd, addr, 0);
}

int bsdsock_getpeername(int fd, bsdsock_addr_t *addr) {
  return name_of(fd, addr, 1);
}

/* The mode calls check the descriptor before acting: FIONBIO and F_GETFL
 * work on any POSIX file, and set_nonblocking(0, 1) would make the
 * terminal non-blocking for every other user of it. A number that is not
 * a socket is EBADF, as on Windows, where it is not in the table, and as
 * bsdsock_close says. */
int bsdsock_set_nonblocking(int fd, int on) {
  bsdsock__sock_t s;
  int rc;
  BSDSOCK__SOCKET(s, fd);
  if (bsdsock__os_check(s) != 0) return bsdsock__fail(BSDSOCK_EBADF);
  rc = bsdsock__os_set_nonblocking(fd, s, on != 0);
  if (rc == 0) return 0;
  return bsdsock__misuse(BSDSOCK__CALL_OTHER, fd, s, rc, NULL, 0);
}

int bsdsock_get_nonblocking(int fd) {
  bsdsock__sock_t s;
  int rc;
  BSDSOCK__SOCKET(s, fd);
  if (bsdsock__os_check(s) != 0) return bsdsock__fail(BSDSOCK_EBADF);
  rc = bsdsock__os_get_nonblocking(fd, s);
  if (rc >= 0) return rc;
  return bsdsock__misuse(BSDSOCK__CALL_OTHER, fd, s, rc, NULL, 0);
}

bsdsock_os_sock_t bsdsock_native_handle(int fd) {
  bsdsock__sock_t s = bsdsock__fd_get(fd);
  if (!BSDSOCK__SOCK_OK(s) || bsdsock__os_check(s) != 0)
    return BSDSOCK_OS_SOCK_INVALID;
  return (bsdsock_os_sock_t)s;
}
