/* SPDX-License-Identifier: MIT */
/*
 * src/posix/socket.c - the POSIX backend's socket calls (src/os.h): one
 * system call each, through the fault seam, with the feature fallbacks
 * for systems that lack accept4, SOCK_CLOEXEC or MSG_NOSIGNAL (macOS, and
 * the linux-portable preset, which builds this file without them).
 */
#include "../internal.h"

#include <stdio.h>

#ifdef BSDSOCK_HAVE_SIGPIPE_GUARD
# include <pthread.h>
#endif

int bsdsock__os_startup(void) {
  return 0;  /* nothing to start */
}

void bsdsock__os_cleanup(void) {
}

/* ---- creation ------------------------------------------------------------ */

/* FD_CLOEXEC after the fact, where socket()/accept() cannot set it
 * atomically: a fork() in another thread between the two calls can still
 * leak the descriptor to a child (the reason SOCK_CLOEXEC exists). */
static int set_cloexec(int fd) {
#ifdef BSDSOCK_HAVE_SOCK_FLAGS
  (void)fd;
  return 0;
#else
  int fl = BSDSOCK__OS(cloexec, -1, fcntl(fd, F_GETFD));
  if (fl == -1 || BSDSOCK__OS(cloexec, -1,
                              fcntl(fd, F_SETFD, fl | FD_CLOEXEC)) == -1)
    return bsdsock__fail_os();
  return 0;
#endif
}

static int set_fionbio(int fd, int on) {
  int v = on ? 1 : 0;
  if (BSDSOCK__OS(nonblock, -1, ioctl(fd, FIONBIO, &v)) != 0)
    return bsdsock__fail_os();
  return 0;
}

/* Settings every bsdsock socket gets, whichever call created it. */
static int socket_defaults(int fd, int family) {
  int one = 1;
  (void)one;
#ifdef BSDSOCK_HAVE_SO_NOSIGPIPE
  if (BSDSOCK__OS(sockdefault, -1,
                  setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one,
                             sizeof(one))) != 0)
    return bsdsock__fail_os();
#endif
  /* One documented V6ONLY default everywhere (quirk Q45): on, as Windows
   * and OpenBSD have it, so a "::" listener never answers IPv4 by surprise
   * on Linux; set it to 0 for a dual-stack socket. */
  if (family == AF_INET6 &&
      BSDSOCK__OS(sockdefault, -1,
                  setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
                             sizeof(one))) != 0)
    return bsdsock__fail_os();
  return 0;
}

int bsdsock__os_socket(int naf, int ntype, int nproto, int nonblock,
                       bsdsock__sock_t *out) {
  int fd, rc;
#ifdef BSDSOCK_HAVE_SOCK_FLAGS
  ntype |= SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0);
#endif
  fd = BSDSOCK__OS(socket, -1, socket(naf, ntype, nproto));
  if (fd < 0) return bsdsock__fail_os();
  rc = set_cloexec(fd);
#ifndef BSDSOCK_HAVE_SOCK_FLAGS
  if (rc == 0 && nonblock) rc = set_fionbio(fd, 1);
#endif
  if (rc == 0) rc = socket_defaults(fd, naf);
  if (rc != 0) {
    close(fd);
    return rc;
  }
  *out = fd;
  return 0;
}

int bsdsock__os_bind(int s, const struct sockaddr *sa, socklen_t len) {
  if (BSDSOCK__OS(bind, -1, bind(s, sa, len)) != 0) return bsdsock__fail_os();
  return 0;
}

int bsdsock__os_listen(int s, int backlog) {
  if (BSDSOCK__OS(listen, -1, listen(s, backlog)) != 0)
    return bsdsock__fail_os();
  return 0;
}

int bsdsock__os_accept(int fd, int s, struct sockaddr_storage *ss,
                       socklen_t *len, int *out) {
  int c, rc;
  (void)fd;
#ifdef BSDSOCK_HAVE_ACCEPT4
  c = BSDSOCK__OS(accept, -1,
                  accept4(s, (struct sockaddr *)ss, len, SOCK_CLOEXEC));
#else
  c = BSDSOCK__OS(accept, -1, accept(s, (struct sockaddr *)ss, len));
#endif
  if (c < 0) return bsdsock__fail_os();
  rc = set_cloexec(c);
  /* BSD's accept() gives the new socket the listener's O_NONBLOCK;
   * bsdsock's contract (and Linux's) is a blocking socket. */
#ifndef BSDSOCK_HAVE_ACCEPT4
  if (rc == 0) rc = set_fionbio(c, 0);
#endif
  if (rc == 0) rc = socket_defaults(c, AF_UNSPEC);
  if (rc != 0) {
    close(c);
    return rc;
  }
  *out = c;
  return 0;
}

int bsdsock__os_connect(int fd, int s, const struct sockaddr *sa,
                        socklen_t len) {
  (void)fd;
  if (BSDSOCK__OS(connect, -1, connect(s, sa, len)) != 0)
    return bsdsock__fail_os();
  return 0;
}

int bsdsock__os_shutdown(int s, int nhow) {
  if (BSDSOCK__OS(shutdown, -1, shutdown(s, nhow)) != 0)
    return bsdsock__fail_os();
  return 0;
}

int bsdsock__os_close(int fd) {
  /* Only sockets: a file's number is not a bsdsock descriptor, as on
   * Windows, where the same call finds it absent from the table. */
  if (bsdsock__os_check(fd) != 0) return bsdsock__fail(BSDSOCK_EBADF);
  bsdsock__fd_release(fd);
  /* Linux frees the descriptor even when close() reports EINTR, so it is
   * never retried (retrying could close a number another thread got). */
  if (BSDSOCK__OS(close, -1, close(fd)) != 0 && errno != EINTR)
    return bsdsock__fail_os();
  return 0;
}

int bsdsock__os_name(int s, int peer, struct sockaddr_storage *ss,
                     socklen_t *len) {
  int rc = peer ? BSDSOCK__OS(getpeername, -1,
                              getpeername(s, (struct sockaddr *)ss, len))
                : BSDSOCK__OS(getsockname, -1,
                              getsockname(s, (struct sockaddr *)ss, len));
  return rc != 0 ? bsdsock__fail_os() : 0;
}

int bsdsock__os_set_nonblocking(int fd, int s, int on) {
  (void)fd;
  return set_fionbio(s, on);
}

int bsdsock__os_get_nonblocking(int fd, int s) {
  int fl = BSDSOCK__OS(nonblock, -1, fcntl(s, F_GETFL));
  (void)fd;
  if (fl == -1) return bsdsock__fail_os();
  return (fl & O_NONBLOCK) ? 1 : 0;
}

/* ---- state, for the failure paths ---------------------------------------- */

int bsdsock__os_check(int s) {
  int type, e = errno;
  socklen_t len = sizeof(type);
  int rc = getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len) == 0
               ? 0
               : BSDSOCK_EBADF;
  errno = e;
  return rc;
}

int bsdsock__os_listening(int s) {
  int v = 0, e = errno;
  socklen_t len = sizeof(v);
  int rc = getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == 0 && v;
  errno = e;
  return rc;
}

int bsdsock__os_sockstate(int s, struct bsdsock__sockstate *st) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof(int);
  int v = 0, e = errno;
  memset(st, 0, sizeof(*st));
  if (getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len) != 0) {
    errno = e;
    return BSDSOCK_EBADF;
  }
  bsdsock__const_from_native(BSDSOCK_CONST_SOCKTYPE, v, &st->type);
  len = sizeof(ss);
  memset(&ss, 0, sizeof(ss));
  if (getsockname(s, (struct sockaddr *)&ss, &len) == 0) {
    bsdsock_addr_t a;
    bsdsock__const_from_native(BSDSOCK_CONST_AF, ss.ss_family, &st->family);
    if (bsdsock__addr_from_sockaddr(&a, (struct sockaddr *)&ss, len) == 0 &&
        (bsdsock_addr_port(&a) != 0 ||
         (a.family == BSDSOCK_AF_UNIX && a.u.path[0] != '\0')))
      st->bits |= BSDSOCK__ST_BOUND;
  }
  if (bsdsock__os_listening(s)) st->bits |= BSDSOCK__ST_LISTENING;
  len = sizeof(ss);
  if (getpeername(s, (struct sockaddr *)&ss, &len) == 0)
    st->bits |= BSDSOCK__ST_CONNECTED;
  errno = e;
  return 0;
}

/* ---- data: failures and fallbacks ---------------------------------------- */

/* errno needs no fix-up on POSIX. */
int bsdsock__os_send_error(int fd) {
  (void)fd;
  return bsdsock__fail_os();
}

bsdsock_ssize_t bsdsock__os_recv_error(int fd, size_t len) {
  (void)fd;
  (void)len;
  return bsdsock__fail_os();
}

#ifdef BSDSOCK_HAVE_SIGPIPE_GUARD

/* No MSG_NOSIGNAL and no SO_NOSIGPIPE: SIGPIPE is blocked in this thread
 * for the send, and one the send raised is taken before the old mask comes
 * back, so it is never delivered (the technique curl's sigpipe.h and
 * OpenSSL's BIO use on such systems). A SIGPIPE that was pending before is
 * someone else's and stays. */
int bsdsock__sigpipe_block(struct bsdsock__sigpipe *g) {
  sigset_t set, pending;
  int rc;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  sigpending(&pending);
  g->pending = sigismember(&pending, SIGPIPE) == 1;
  /* pthread_sigmask returns its error: the seam gives the armed code. */
  rc = BSDSOCK__OS_RC(sigmask, pthread_sigmask(SIG_BLOCK, &set, &g->old));
  if (rc != 0) {
    errno = rc;
    return -1;
  }
  return 0;
}

void bsdsock__sigpipe_unblock(const struct bsdsock__sigpipe *g) {
  sigset_t set, pending;
  int e = errno, sig;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  if (!g->pending && sigpending(&pending) == 0 &&
      sigismember(&pending, SIGPIPE) == 1)
    sigwait(&set, &sig);  /* pending, so it returns at once */
  pthread_sigmask(SIG_SETMASK, &g->old, NULL);
  errno = e;
}

#endif

/* ---- pairs --------------------------------------------------------------- */

int bsdsock__os_socketpair(int naf, int ntype, int nproto, int nonblock,
                           int out[2]) {
  int sv[2], rc = 0, i;
#ifdef BSDSOCK_HAVE_SOCK_FLAGS
  ntype |= SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0);
#endif
  if (BSDSOCK__OS(socketpair, -1, socketpair(naf, ntype, nproto, sv)) != 0)
    return bsdsock__fail_os();
  for (i = 0; i < 2 && rc == 0; i++) {
    rc = set_cloexec(sv[i]);
#ifndef BSDSOCK_HAVE_SOCK_FLAGS
    if (rc == 0 && nonblock) rc = set_fionbio(sv[i], 1);
#endif
    if (rc == 0) rc = socket_defaults(sv[i], naf);
  }
  if (rc != 0) {
    close(sv[0]);
    close(sv[1]);
    return rc;
  }
  out[0] = sv[0];
  out[1] = sv[1];
  return 0;
}

int bsdsock__os_temp_path(char *buf, size_t size, const char *tag) {
  static unsigned counter;
  const char *dir = BSDSOCK__OS(tmpdir, NULL, getenv("TMPDIR"));
  struct timeval now;
  int n;
  if (dir == NULL || dir[0] == '\0') dir = "/tmp";
  gettimeofday(&now, NULL);
  n = snprintf(buf, size, "%s/bsdsock-%ld-%u-%06ld-%s", dir, (long)getpid(),
               __atomic_add_fetch(&counter, 1u, __ATOMIC_RELAXED),
               (long)now.tv_usec, tag);
  if (n < 0 || (size_t)n >= size) return bsdsock__fail(BSDSOCK_ENAMETOOLONG);
  /* A stale file of that name would make bind() fail; none is the usual
   * case, so a failure here is not an error. */
  (void)BSDSOCK__OS(unlink, -1, unlink(buf));
  return 0;
}

/* Nothing to report if it fails: the pair is made (or not) already, and
 * the name is one no other call uses again. */
void bsdsock__os_remove_path(const char *path) {
  (void)BSDSOCK__OS(unlink, -1, unlink(path));
}

void bsdsock__os_close_sock(int s) {
  close(s);
}
