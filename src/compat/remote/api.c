/* SPDX-License-Identifier: MIT */
/*
 * src/compat/remote/api.c - transparent mode for BSD programs on POSIX:
 * the functions the drop-in headers of include/bsdsock/compat-src/remote/
 * rename the socket calls to (bsdsock/compat_remote.h).
 *
 * Without BSDSOCK_REMOTE each is the system's call, untouched, so a
 * program built with these headers behaves as plain Linux. With it,
 * socket() and the resolver go to the server and every later call on a
 * remote socket's placeholder number too, through the shared dispatch of
 * src/compat/route.h; the system's constants, sockaddrs and option values
 * are converted to bsdsock's portable ones on the way (the numbers the
 * wire carries), and a failure's portable code comes back as the errno of
 * this system (ECONNREFUSED is 61 on the wire and 111 here).
 */
/* The drop-in headers' declarations (CMake puts their directory on this
 * file's include path), without their renaming: the calls below are the
 * system's own. */
#define BSDSOCK_COMPAT_REMOTE_NO_RENAME 1

#include "../compat.h"
#include "../route.h"
#include "bsdsock/compat_remote.h"
#include "bsdsock/poll.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

static int fail(int portable) {
  return bsdsock__compat_fail(portable);
}

static int ret(int rc) {
  return rc < 0 ? fail(rc) : rc;
}

static ssize_t sret(bsdsock_ssize_t n) {
  return n < 0 ? (ssize_t)fail((int)n) : (ssize_t)n;
}

/* ---- sockets ----------------------------------------------------------- */

int bsdsock_compat_remote_socket(int af, int type, int proto) {
  int flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC), paf, ptype, pproto, rc;
  if (!bsdsock__route_mode()) return socket(af, type, proto);
  if (bsdsock_const_from_native(BSDSOCK_CONST_AF, af, &paf) != 0)
    return fail(BSDSOCK_EAFNOSUPPORT);
  if ((rc = bsdsock__compat_kind_in(type & ~flags, proto, &ptype, &pproto)) !=
      0)
    return fail(rc);
  if (flags & SOCK_NONBLOCK) ptype |= BSDSOCK_SOCK_NONBLOCK;
  return ret(bsdsock__route_socket(paf, ptype, pproto));
}

int bsdsock_compat_remote_bind(int fd, const struct sockaddr *addr,
                               socklen_t len) {
  bsdsock_addr_t a;
  int rc;
  if (!bsdsock__route_is_remote(fd)) return bind(fd, addr, len);
  rc = bsdsock__compat_addr_in(&a, addr, (int)len);
  return rc != 0 ? fail(rc) : ret(bsdsock__route_bind(fd, &a));
}

int bsdsock_compat_remote_connect(int fd, const struct sockaddr *addr,
                                  socklen_t len) {
  bsdsock_addr_t a;
  int rc;
  if (!bsdsock__route_is_remote(fd)) return connect(fd, addr, len);
  rc = bsdsock__compat_addr_in(&a, addr, (int)len);
  return rc != 0 ? fail(rc) : ret(bsdsock__route_connect(fd, &a));
}

int bsdsock_compat_remote_listen(int fd, int backlog) {
  if (!bsdsock__route_is_remote(fd)) return listen(fd, backlog);
  return ret(bsdsock__route_listen(fd, backlog));
}

/* The (addr, *len) result pair of accept/getsockname/recvfrom. */
static int addr_out(const bsdsock_addr_t *a, struct sockaddr *sa,
                    socklen_t *len) {
  int n;
  if (sa == NULL) return 0;
  n = *len > (socklen_t)INT_MAX ? INT_MAX : (int)*len;
  bsdsock__compat_addr_out(a, sa, &n);
  *len = (socklen_t)n;
  return 0;
}

int bsdsock_compat_remote_accept(int fd, struct sockaddr *addr,
                                 socklen_t *len) {
  bsdsock_addr_t peer;
  int c;
  if (!bsdsock__route_is_remote(fd)) return accept(fd, addr, len);
  if (addr != NULL && len == NULL) return fail(BSDSOCK_EFAULT);
  c = bsdsock__route_accept(fd, addr ? &peer : NULL);
  if (c < 0) return fail(c);
  addr_out(&peer, addr, len);
  return c;
}

int bsdsock_compat_remote_accept4(int fd, struct sockaddr *addr,
                                  socklen_t *len, int flags) {
  int c, rc;
  if (!bsdsock__route_is_remote(fd)) return accept4(fd, addr, len, flags);
  if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) return fail(BSDSOCK_EINVAL);
  c = bsdsock_compat_remote_accept(fd, addr, len);
  if (c >= 0 && (flags & SOCK_NONBLOCK) &&
      (rc = bsdsock__route_set_nonblocking(c, 1)) != 0) {
    bsdsock__route_close(c);
    return fail(rc);
  }
  return c;  /* the placeholder is close-on-exec already */
}

int bsdsock_compat_remote_shutdown(int fd, int how) {
  int phow;
  if (!bsdsock__route_is_remote(fd)) return shutdown(fd, how);
  if (bsdsock_const_from_native(BSDSOCK_CONST_SHUT, how, &phow) != 0)
    return fail(BSDSOCK_EINVAL);
  return ret(bsdsock__route_shutdown(fd, phow));
}

int bsdsock_compat_remote_close(int fd) {
  if (!bsdsock__route_is_remote(fd)) return close(fd);
  return ret(bsdsock__route_close(fd));
}

static int name_of(int fd, struct sockaddr *addr, socklen_t *len, int peer) {
  bsdsock_addr_t a;
  int rc;
  if (addr == NULL || len == NULL) return fail(BSDSOCK_EFAULT);
  rc = peer ? bsdsock__route_getpeername(fd, &a)
            : bsdsock__route_getsockname(fd, &a);
  if (rc < 0) return fail(rc);
  return addr_out(&a, addr, len);
}

int bsdsock_compat_remote_getsockname(int fd, struct sockaddr *addr,
                                      socklen_t *len) {
  if (!bsdsock__route_is_remote(fd)) return getsockname(fd, addr, len);
  return name_of(fd, addr, len, 0);
}

int bsdsock_compat_remote_getpeername(int fd, struct sockaddr *addr,
                                      socklen_t *len) {
  if (!bsdsock__route_is_remote(fd)) return getpeername(fd, addr, len);
  return name_of(fd, addr, len, 1);
}

/* ---- data ---------------------------------------------------------------- */

/* This system's MSG_* bits as bsdsock's (MSG_NOSIGNAL included: nothing
 * here raises SIGPIPE anyway). */
static int msg_flags(int native, int *portable) {
  *portable = 0;
  if (native != 0 &&
      bsdsock_const_from_native(BSDSOCK_CONST_MSG, native, portable) != 0)
    return BSDSOCK_EINVAL;
  return 0;
}

ssize_t bsdsock_compat_remote_read(int fd, void *buf, size_t len) {
  if (!bsdsock__route_is_remote(fd)) return read(fd, buf, len);
  return sret(bsdsock__route_recv(fd, buf, len, 0));
}

ssize_t bsdsock_compat_remote_write(int fd, const void *buf, size_t len) {
  if (!bsdsock__route_is_remote(fd)) return write(fd, buf, len);
  return sret(bsdsock__route_send(fd, buf, len, 0));
}

ssize_t bsdsock_compat_remote_send(int fd, const void *buf, size_t len,
                                   int flags) {
  int pf;
  if (!bsdsock__route_is_remote(fd)) return send(fd, buf, len, flags);
  if (msg_flags(flags, &pf) != 0) return fail(BSDSOCK_EINVAL);
  return sret(bsdsock__route_send(fd, buf, len, pf));
}

ssize_t bsdsock_compat_remote_recv(int fd, void *buf, size_t len,
                                   int flags) {
  int pf;
  if (!bsdsock__route_is_remote(fd)) return recv(fd, buf, len, flags);
  if (msg_flags(flags, &pf) != 0) return fail(BSDSOCK_EINVAL);
  return sret(bsdsock__route_recv(fd, buf, len, pf));
}

ssize_t bsdsock_compat_remote_sendto(int fd, const void *buf, size_t len,
                                     int flags, const struct sockaddr *addr,
                                     socklen_t addrlen) {
  bsdsock_addr_t a;
  int pf, rc;
  if (!bsdsock__route_is_remote(fd))
    return sendto(fd, buf, len, flags, addr, addrlen);
  if (msg_flags(flags, &pf) != 0) return fail(BSDSOCK_EINVAL);
  if (addr == NULL) return sret(bsdsock__route_send(fd, buf, len, pf));
  rc = bsdsock__compat_addr_in(&a, addr, (int)addrlen);
  if (rc != 0) return fail(rc);
  return sret(bsdsock__route_sendto(fd, buf, len, pf, &a));
}

ssize_t bsdsock_compat_remote_recvfrom(int fd, void *buf, size_t len,
                                       int flags, struct sockaddr *addr,
                                       socklen_t *addrlen) {
  bsdsock_addr_t a;
  bsdsock_ssize_t n;
  int pf;
  if (!bsdsock__route_is_remote(fd))
    return recvfrom(fd, buf, len, flags, addr, addrlen);
  if (msg_flags(flags, &pf) != 0) return fail(BSDSOCK_EINVAL);
  if (addr != NULL && addrlen == NULL) return fail(BSDSOCK_EFAULT);
  memset(&a, 0, sizeof(a));
  n = bsdsock__route_recvfrom(fd, buf, len, pf, addr ? &a : NULL);
  if (n < 0) return fail((int)n);
  addr_out(&a, addr, addrlen);
  return (ssize_t)n;
}

/* ---- options ------------------------------------------------------------- */

/* An option bsdsock does not know has no portable number, so it cannot
 * travel: ENOPROTOOPT, as for an option the system lacks. */
int bsdsock_compat_remote_setsockopt(int fd, int level, int name,
                                     const void *value, socklen_t len) {
  const struct bsdsock__optdesc *d;
  union bsdsock__compat_opt v;
  int plevel, pname;
  if (!bsdsock__route_is_remote(fd))
    return setsockopt(fd, level, name, value, len);
  if (bsdsock_sockopt_from_native(level, name, &plevel, &pname) != 0 ||
      (d = bsdsock__opt_find(plevel, pname)) == NULL)
    return fail(BSDSOCK_ENOPROTOOPT);
  if (value == NULL) return fail(BSDSOCK_EFAULT);
  if (len > (socklen_t)INT_MAX ||
      bsdsock__compat_opt_in(d, value, (int)len, &v) != 0)
    return fail(BSDSOCK_EINVAL);
  return ret(bsdsock__route_setsockopt(fd, plevel, pname, &v,
                                       bsdsock__opt_size(d->type)));
}

int bsdsock_compat_remote_getsockopt(int fd, int level, int name, void *value,
                                     socklen_t *len) {
  const struct bsdsock__optdesc *d;
  union bsdsock__compat_opt v;
  size_t n = sizeof(v);
  int plevel, pname, rc, ilen;
  if (!bsdsock__route_is_remote(fd))
    return getsockopt(fd, level, name, value, len);
  if (bsdsock_sockopt_from_native(level, name, &plevel, &pname) != 0 ||
      (d = bsdsock__opt_find(plevel, pname)) == NULL)
    return fail(BSDSOCK_ENOPROTOOPT);
  if (value == NULL || len == NULL) return fail(BSDSOCK_EFAULT);
  if (*len == 0 || *len > (socklen_t)INT_MAX) return fail(BSDSOCK_EINVAL);
  rc = bsdsock__route_getsockopt(fd, plevel, pname, &v, &n);
  if (rc < 0) return fail(rc);
  /* SO_ERROR: a portable code on the wire, this system's errno here. */
  if (d->type == BSDSOCK__OPT_ERROR && v.i != 0)
    v.i = bsdsock__os_crt_errno(v.i);
  ilen = (int)*len;
  if (bsdsock__compat_opt_out(d, &v, value, &ilen, 0) != 0)
    return fail(BSDSOCK_EINVAL);
  *len = (socklen_t)ilen;
  return 0;
}

/* fcntl: a remote socket's mode is the server's (O_NONBLOCK); its
 * descriptor flags (FD_CLOEXEC) are the placeholder's. */
int bsdsock_compat_remote_fcntl(int fd, int cmd, ...) {
  va_list ap;
  long arg;
  int nb;
  va_start(ap, cmd);
  arg = va_arg(ap, long);  /* read whether or not cmd takes one */
  va_end(ap);
  if (!bsdsock__route_is_remote(fd)) return fcntl(fd, cmd, arg);
  switch (cmd) {
    case F_GETFL:
      nb = bsdsock__route_get_nonblocking(fd);
      if (nb < 0) return fail(nb);
      return O_RDWR | (nb ? O_NONBLOCK : 0);
    case F_SETFL:
      return ret(bsdsock__route_set_nonblocking(fd, (arg & O_NONBLOCK) != 0));
    case F_GETFD:
    case F_SETFD:
      return fcntl(fd, cmd, arg);
    default:
      return fail(BSDSOCK_EINVAL);
  }
}

int bsdsock_compat_remote_ioctl(int fd, unsigned long request, ...) {
  va_list ap;
  void *arg;
  va_start(ap, request);
  arg = va_arg(ap, void *);
  va_end(ap);
  if (!bsdsock__route_is_remote(fd)) return ioctl(fd, request, arg);
  if (request == (unsigned long)FIONBIO) {
    int on;
    if (arg == NULL) return fail(BSDSOCK_EFAULT);
    memcpy(&on, arg, sizeof(on));
    return ret(bsdsock__route_set_nonblocking(fd, on != 0));
  }
  return fail(BSDSOCK_EOPNOTSUPP);  /* FIONREAD ... have no remote form */
}

int bsdsock_compat_remote_dup(int fd) {
  if (bsdsock__route_is_remote(fd)) return fail(BSDSOCK_EOPNOTSUPP);
  return dup(fd);
}

int bsdsock_compat_remote_dup2(int fd, int fd2) {
  if (bsdsock__route_is_remote(fd) || bsdsock__route_is_remote(fd2))
    return fail(BSDSOCK_EOPNOTSUPP);
  return dup2(fd, fd2);
}

/* ---- readiness ------------------------------------------------------------- */

static int any_remote(const struct pollfd *fds, nfds_t n) {
  nfds_t i;
  for (i = 0; i < n; i++)
    if (bsdsock__route_is_remote(fds[i].fd)) return 1;
  return 0;
}

static int local_poll(bsdsock_pollfd_t *fds, size_t n, int timeout_ms) {
  return bsdsock_poll(fds, n, timeout_ms);
}

/* poll() over this system's struct pollfd: the same layout as
 * bsdsock_pollfd_t, the bits converted both ways. */
int bsdsock_compat_remote_poll(struct pollfd *fds, nfds_t nfds,
                               int timeout_ms) {
  bsdsock_pollfd_t *p;
  nfds_t i;
  int rc, ev;
  if (fds == NULL || !any_remote(fds, nfds)) return poll(fds, nfds, timeout_ms);
  p = malloc(nfds * sizeof(*p));
  if (p == NULL) return fail(BSDSOCK_ENOMEM);
  for (i = 0; i < nfds; i++) {
    p[i].fd = fds[i].fd;
    p[i].revents = 0;
    if (bsdsock_const_from_native(BSDSOCK_CONST_POLL, fds[i].events, &ev) != 0)
      ev = fds[i].events & (POLLIN | POLLPRI | POLLOUT);
    p[i].events = (short)ev;
  }
  rc = bsdsock__route_poll(p, nfds, timeout_ms, local_poll);
  for (i = 0; rc >= 0 && i < nfds; i++) {
    if (bsdsock_const_to_native(BSDSOCK_CONST_POLL, p[i].revents, &ev) != 0)
      ev = p[i].revents;
    fds[i].revents = (short)ev;
  }
  free(p);
  return ret(rc);
}

/* select() with a remote socket in a set: as poll() over the members
 * (readable: POLLIN, POLLHUP or POLLERR; writable: POLLOUT or POLLERR;
 * exceptional: POLLPRI), the timeout rounded up to whole milliseconds. */
int bsdsock_compat_remote_select(int nfds, fd_set *r, fd_set *w, fd_set *e,
                                 struct timeval *timeout) {
  bsdsock_pollfd_t p[FD_SETSIZE];
  size_t n = 0, i;
  int fd, rc, remote = 0, ms = -1, count = 0;
  if (nfds < 0 || nfds > FD_SETSIZE) return select(nfds, r, w, e, timeout);
  for (fd = 0; fd < nfds; fd++) {
    short ev = (short)(((r && FD_ISSET(fd, r)) ? BSDSOCK_POLLIN : 0) |
                       ((w && FD_ISSET(fd, w)) ? BSDSOCK_POLLOUT : 0) |
                       ((e && FD_ISSET(fd, e)) ? BSDSOCK_POLLPRI : 0));
    if (ev == 0) continue;
    remote |= bsdsock__route_is_remote(fd);
    p[n].fd = fd;
    p[n].events = ev;
    p[n++].revents = 0;
  }
  if (!remote) return select(nfds, r, w, e, timeout);
  if (timeout != NULL) {
    long long t = (long long)timeout->tv_sec * 1000 +
                  (timeout->tv_usec + 999) / 1000;
    ms = t > INT_MAX ? INT_MAX : t < 0 ? 0 : (int)t;
  }
  rc = bsdsock__route_poll(p, n, ms, local_poll);
  if (rc < 0) return fail(rc);
  for (i = 0; i < n; i++)
    if (p[i].revents & BSDSOCK_POLLNVAL) return fail(BSDSOCK_EBADF);
  if (r) FD_ZERO(r);
  if (w) FD_ZERO(w);
  if (e) FD_ZERO(e);
  for (i = 0; i < n; i++) {
    short re = p[i].revents, ev = p[i].events;
    if ((ev & BSDSOCK_POLLIN) &&
        (re & (BSDSOCK_POLLIN | BSDSOCK_POLLHUP | BSDSOCK_POLLERR))) {
      FD_SET(p[i].fd, r);
      count++;
    }
    if ((ev & BSDSOCK_POLLOUT) && (re & (BSDSOCK_POLLOUT | BSDSOCK_POLLERR))) {
      FD_SET(p[i].fd, w);
      count++;
    }
    if ((ev & BSDSOCK_POLLPRI) && (re & BSDSOCK_POLLPRI)) {
      FD_SET(p[i].fd, e);
      count++;
    }
  }
  return count;
}

/* ---- the resolver ------------------------------------------------------------ */

int bsdsock_compat_remote_getaddrinfo(const char *node, const char *service,
                                      const struct addrinfo *hints,
                                      struct addrinfo **res) {
  if (!bsdsock__route_mode()) return getaddrinfo(node, service, hints, res);
  return bsdsock__compat_remote_gai(node, service, hints, res);
}

/* A list from the server in remote mode, the system's otherwise (the mode
 * does not change while lists are out; bsdsock_compat_remote_reset is for
 * a program with none). */
void bsdsock_compat_remote_freeaddrinfo(struct addrinfo *ai) {
  if (ai == NULL) return;
  if (bsdsock__route_mode())
    bsdsock__compat_remote_freeai(ai);
  else
    freeaddrinfo(ai);
}

int bsdsock_compat_remote_getnameinfo(const struct sockaddr *addr,
                                      socklen_t addrlen, char *host,
                                      socklen_t hostlen, char *serv,
                                      socklen_t servlen, int flags) {
  bsdsock_addr_t a;
  int pflags = 0, rc;
  if (!bsdsock__route_mode())
    return getnameinfo(addr, addrlen, host, hostlen, serv, servlen, flags);
  if (bsdsock__compat_addr_in(&a, addr, (int)addrlen) != 0) return EAI_FAMILY;
  if (flags != 0 &&
      bsdsock_const_from_native(BSDSOCK_CONST_NI, flags, &pflags) != 0)
    return EAI_BADFLAGS;
  rc = bsdsock__route_getnameinfo(&a, host, hostlen, serv, servlen, pflags);
  return rc != 0 ? bsdsock__compat_gai_ret(rc) : 0;
}

struct hostent *bsdsock_compat_remote_gethostbyname(const char *name) {
  if (!bsdsock__route_mode()) return gethostbyname(name);
  return bsdsock__compat_remote_hostent(name);
}
