/* SPDX-License-Identifier: MIT */
/*
 * src/socketpair.c - bsdsock_socketpair, written once: the OS's own
 * socketpair() where it has one for the family (AF_UNIX on POSIX), else a
 * pair built through a transient listener (AF_UNIX on Windows, loopback
 * TCP everywhere; quirk Q54).
 *
 * A listener can be reached by any local process between listen() and
 * accept(), so the built pair checks that the connection it accepted is
 * its own: the accepted socket's peer must be the connecting socket's
 * local name and its local name the connecting socket's peer, else the
 * stranger is closed and the next connection accepted, a bounded number
 * of times (CPython fixed the same race, cpython#122133). An AF_UNIX
 * connecting socket is bound to a path of its own so that it has a name
 * to check.
 */
#include "internal.h"

void (*bsdsock__pair_hook)(const bsdsock_addr_t *listener);

/* Connections a built pair accepts before giving up: its own is queued
 * once its connect() completed, behind at most the listener's backlog of
 * strangers. */
#define PAIR_BACKLOG 4
#define PAIR_TRIES (PAIR_BACKLOG + 4)
#define PAIR_WAIT_MS 10000

/* Whether two socket names are the same endpoint. */
static int same_name(const bsdsock_addr_t *a, const bsdsock_addr_t *b) {
  if (a->family != b->family) return 0;
  switch (a->family) {
    case BSDSOCK_AF_INET:
      return a->port == b->port && memcmp(a->u.ip4, b->u.ip4, 4) == 0;
    case BSDSOCK_AF_INET6:
      return a->port == b->port && memcmp(a->u.ip6, b->u.ip6, 16) == 0;
    case BSDSOCK_AF_UNIX:
      return a->u.path[0] != '\0' &&
             strncmp(a->u.path, b->u.path, sizeof(a->u.path)) == 0;
    default:
      return 0;
  }
}

/* Waits until fd is ready for events, PAIR_WAIT_MS at most. */
static int wait_for(int fd, short events) {
  bsdsock_pollfd_t p;
  int rc;
  p.fd = fd;
  p.events = events;
  p.revents = 0;
  rc = bsdsock_poll(&p, 1, PAIR_WAIT_MS);
  if (rc == 0) return bsdsock__fail(BSDSOCK_ETIMEDOUT);
  return rc < 0 ? rc : 0;
}

/* A place for the listener (and, for AF_UNIX, the connecting socket):
 * loopback port 0, or a fresh temporary path. */
static int place(int family, const char *tag, bsdsock_addr_t *addr) {
  char path[sizeof(addr->u.path)];
  int rc;
  if (family != BSDSOCK_AF_UNIX) return bsdsock_addr_loopback(addr, family, 0);
  if ((rc = bsdsock__os_temp_path(path, sizeof(path), tag)) != 0) return rc;
  return bsdsock_addr_unix(addr, path);
}

/* The pair through a listener: sv[0] the connecting socket, sv[1] the
 * accepted one. */
static int pair_built(int family, int nonblock, int sv[2]) {
  bsdsock_addr_t laddr, caddr, lname, cname, peer, sname;
  int l, c = -1, s = -1, rc, tries, one = 1;
  caddr.family = BSDSOCK_AF_UNSPEC;
  laddr.family = BSDSOCK_AF_UNSPEC;
  l = bsdsock_socket(family, BSDSOCK_SOCK_STREAM, 0);
  if (l < 0) return l;
  /* Windows: no other socket may bind the port too and take the
   * connection (SO_EXCLUSIVEADDRUSE underneath, README "Address reuse"). */
  if (family != BSDSOCK_AF_UNIX &&
      (rc = bsdsock_setsockopt(l, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_REUSEADDR,
                               &one, sizeof(one))) != 0)
    goto out;
  if ((rc = place(family, "l", &laddr)) != 0 ||
      (rc = bsdsock_bind(l, &laddr)) != 0 ||
      (rc = bsdsock_listen(l, PAIR_BACKLOG)) != 0 ||
      (rc = bsdsock_getsockname(l, &lname)) != 0)
    goto out;
  if (bsdsock__pair_hook != NULL) bsdsock__pair_hook(&lname);

  /* Non-blocking, so that neither a full backlog nor a listener taken
   * over makes the connect wait longer than PAIR_WAIT_MS. */
  c = bsdsock_socket(family, BSDSOCK_SOCK_STREAM | BSDSOCK_SOCK_NONBLOCK, 0);
  if (c < 0) {
    rc = c;
    goto out;
  }
  if (family == BSDSOCK_AF_UNIX &&
      ((rc = place(family, "c", &caddr)) != 0 ||
       (rc = bsdsock_bind(c, &caddr)) != 0))
    goto out;
  rc = bsdsock_connect(c, &lname);
  if (rc == BSDSOCK_EINPROGRESS || rc == BSDSOCK_EAGAIN) {
    size_t len = sizeof(int);
    int err = 0;
    if ((rc = wait_for(c, BSDSOCK_POLLOUT)) != 0 ||
        (rc = bsdsock_getsockopt(c, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_ERROR,
                                 &err, &len)) != 0)
      goto out;
    rc = err != 0 ? bsdsock__fail(err) : 0;
  }
  if (rc != 0 || (rc = bsdsock_getsockname(c, &cname)) != 0) goto out;

  /* Accept until the connection is the pair's own. */
  for (tries = 0; tries < PAIR_TRIES; tries++) {
    if ((rc = wait_for(l, BSDSOCK_POLLIN)) != 0) goto out;
    s = bsdsock_accept(l, NULL);
    if (s < 0) {
      rc = s;
      goto out;
    }
    if ((rc = bsdsock_getpeername(s, &peer)) != 0 ||
        (rc = bsdsock_getsockname(s, &sname)) != 0)
      goto out;
    if (same_name(&peer, &cname) && same_name(&sname, &lname)) break;
    bsdsock_close(s); /* a stranger */
    s = -1;
  }
  if (s < 0) {
    rc = bsdsock__fail(BSDSOCK_ECONNABORTED);
    goto out;
  }
  if (!nonblock && (rc = bsdsock_set_nonblocking(c, 0)) != 0) goto out;
  if (nonblock && (rc = bsdsock_set_nonblocking(s, 1)) != 0) goto out;
  sv[0] = c;
  sv[1] = s;
  c = s = -1;
  rc = 0;
out:
  if (s >= 0) bsdsock_close(s);
  if (c >= 0) bsdsock_close(c);
  bsdsock_close(l);
  if (laddr.family == BSDSOCK_AF_UNIX) bsdsock__os_remove_path(laddr.u.path);
  if (caddr.family == BSDSOCK_AF_UNIX) bsdsock__os_remove_path(caddr.u.path);
  return rc;
}

/* The OS's own pair, where it makes one: 0, BSDSOCK_EOPNOTSUPP where it
 * does not, or another error. */
static int pair_native(int naf, int ntype, int nproto, int nonblock,
                       int sv[2]) {
  bsdsock__sock_t s[2];
  unsigned flags = BSDSOCK__FD_EVERCONN | (nonblock ? BSDSOCK__FD_NONBLOCK : 0);
  int rc = bsdsock__os_socketpair(naf, ntype, nproto, nonblock, s), a, b;
  if (rc != 0) return rc;
  a = bsdsock__fd_alloc(s[0], flags);
  if (a < 0) {
    bsdsock__os_close_sock(s[1]);
    return a;
  }
  b = bsdsock__fd_alloc(s[1], flags);
  if (b < 0) {
    bsdsock_close(a);
    return b;
  }
  sv[0] = a;
  sv[1] = b;
  return 0;
}

/* No AF_UNIX sockets here (Wine, Windows before 10 1803). */
static int no_family(int rc) {
  return rc == BSDSOCK_EAFNOSUPPORT || rc == BSDSOCK_EPROTONOSUPPORT ||
         rc == BSDSOCK_ESOCKTNOSUPPORT || rc == BSDSOCK_EPFNOSUPPORT;
}

static int pair_of(int family, int type, int nonblock, int sv[2]) {
  int naf, ntype, nproto, rc;
  if (family == BSDSOCK_AF_UNIX) {
    if ((rc = bsdsock__socket_args(family, type, 0, &naf, &ntype, &nproto)))
      return rc;
    rc = pair_native(naf, ntype, nproto, nonblock, sv);
    if (rc != BSDSOCK_EOPNOTSUPP) return rc;
  }
  /* Built pairs are stream pairs. */
  if (type != BSDSOCK_SOCK_STREAM) return bsdsock__fail(BSDSOCK_EOPNOTSUPP);
  rc = pair_built(family, nonblock, sv);
  if (family == BSDSOCK_AF_UNIX && no_family(rc))
    rc = bsdsock__fail(BSDSOCK_EAFNOSUPPORT);
  return rc;
}

int bsdsock_socketpair(int family, int type, int protocol, int sv[2]) {
  int nonblock = (type & BSDSOCK_SOCK_NONBLOCK) != 0, naf, ntype, nproto, rc;
  type &= ~(BSDSOCK_SOCK_NONBLOCK | BSDSOCK_SOCK_CLOEXEC);
  /* The constants, in socket()'s order, then the pointer. */
  if (family != BSDSOCK_AF_UNSPEC && family != BSDSOCK_AF_UNIX &&
      family != BSDSOCK_AF_INET && family != BSDSOCK_AF_INET6)
    return bsdsock__fail(BSDSOCK_EAFNOSUPPORT);
  if ((rc = bsdsock__socket_args(BSDSOCK_AF_INET, type, protocol, &naf,
                                 &ntype, &nproto)) != 0)
    return rc;
  if (protocol != 0) return bsdsock__fail(BSDSOCK_EPROTONOSUPPORT);
  if (sv == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  if ((rc = bsdsock__os_startup()) != 0) return rc;
  if (family != BSDSOCK_AF_UNSPEC) return pair_of(family, type, nonblock, sv);
  /* The best the platform has: AF_UNIX, else loopback TCP (also when an
   * AF_UNIX pair built through a listener could not check its peer). */
  rc = pair_of(BSDSOCK_AF_UNIX, type, nonblock, sv);
  if (rc == BSDSOCK_EAFNOSUPPORT || rc == BSDSOCK_ECONNABORTED)
    rc = pair_of(BSDSOCK_AF_INET, type, nonblock, sv);
  return rc;
}
