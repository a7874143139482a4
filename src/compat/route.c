/* SPDX-License-Identifier: MIT */
/*
 * src/compat/route.c - transparent mode: each drop-in socket call runs
 * locally (bsdsock_*) or in a bsdsockd (bsdsock_remote_*), see route.h and
 * docs/wire.md "Transparent mode".
 *
 * One session per process, opened by the first socket call that needs it
 * (under the session lock, so two threads cannot open two). A session is
 * for one thread at a time (bsdsock/remote.h), so every remote call holds
 * the session lock: a blocking remote recv holds up other threads' remote
 * calls, never their local ones, which look at the table only.
 * A session that cannot be opened fails the call with its error and says
 * why on stderr, once; there is no fallback to local sockets, which would
 * put the program's traffic where its user did not ask.
 */
#include "route.h"

#include "bsdsock/poll.h"
#include "bsdsock/remote.h"
#include "bsdsock/compat_bsd.h"
#include "../internal.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LOCK_TABLE = 0, LOCK_SESSION = 1 };
enum { MODE_UNKNOWN = 0, MODE_LOCAL, MODE_REMOTE };

static atomic_int mode;          /* MODE_*, set under LOCK_TABLE */
static int *table;               /* placeholder -> server descriptor + 1 */
static size_t table_len;
/* Entries in the table. While it is 0 (no remote socket, the usual case
 * and the only one without BSDSOCK_REMOTE) a lookup takes no lock: the
 * drop-in layers' send and recv stay lock-free, as bsdsock's are. */
static atomic_int live;
static bsdsock_remote_t *sess;   /* under LOCK_SESSION */
static int open_error;           /* the open's error, once it failed */

/* ---- the table ------------------------------------------------------------ */

int bsdsock__route_mode(void) {
  int m = atomic_load(&mode);
  if (m != MODE_UNKNOWN) return m == MODE_REMOTE;
  bsdsock__compat_lock(LOCK_TABLE);
  m = atomic_load(&mode);
  if (m == MODE_UNKNOWN) {
    const char *v = getenv("BSDSOCK_REMOTE");
    m = (v != NULL && *v != '\0') ? MODE_REMOTE : MODE_LOCAL;
    atomic_store(&mode, m);
  }
  bsdsock__compat_unlock(LOCK_TABLE);
  return m == MODE_REMOTE;
}

/* The server's descriptor behind placeholder fd, or -1. */
static int lookup(int fd) {
  int rfd = -1;
  if (fd < 0 || atomic_load_explicit(&live, memory_order_acquire) == 0)
    return -1;
  bsdsock__compat_lock(LOCK_TABLE);
  if ((size_t)fd < table_len && table[fd] > 0) rfd = table[fd] - 1;
  bsdsock__compat_unlock(LOCK_TABLE);
  return rfd;
}

int bsdsock__route_is_remote(int fd) {
  return lookup(fd) >= 0;
}

static int table_put(int fd, int rfd) {
  int rc = 0;
  bsdsock__compat_lock(LOCK_TABLE);
  if ((size_t)fd >= table_len) {
    size_t n = table_len ? table_len : 64;
    int *t;
    while (n <= (size_t)fd) n *= 2;
    t = realloc(table, n * sizeof(*t));
    if (t == NULL) {
      rc = BSDSOCK_ENOMEM;
    } else {
      memset(t + table_len, 0, (n - table_len) * sizeof(*t));
      table = t;
      table_len = n;
    }
  }
  if (rc == 0) {
    table[fd] = rfd + 1;
    atomic_fetch_add(&live, 1);
  }
  bsdsock__compat_unlock(LOCK_TABLE);
  return rc;
}

/* Removes fd from the table: its server descriptor, or -1. */
static int table_take(int fd) {
  int rfd = -1;
  if (fd < 0 || atomic_load_explicit(&live, memory_order_acquire) == 0)
    return -1;
  bsdsock__compat_lock(LOCK_TABLE);
  if ((size_t)fd < table_len && table[fd] > 0) {
    rfd = table[fd] - 1;
    table[fd] = 0;
    atomic_fetch_sub(&live, 1);
  }
  bsdsock__compat_unlock(LOCK_TABLE);
  return rfd;
}

/* ---- the session -------------------------------------------------------------- */

/* The token: BSDSOCK_TOKEN, else the first line of BSDSOCK_TOKEN_FILE.
 * 0, or a portable error with *why set. */
static int read_token(char *buf, size_t size, const char **why) {
  const char *t = getenv("BSDSOCK_TOKEN"), *path;
  FILE *f;
  size_t n;
  if (t != NULL && *t != '\0') {
    if (strlen(t) >= size) {
      *why = "BSDSOCK_TOKEN is too long";
      return BSDSOCK_EINVAL;
    }
    memcpy(buf, t, strlen(t) + 1);
    return 0;
  }
  path = getenv("BSDSOCK_TOKEN_FILE");
  if (path == NULL || *path == '\0') {
    *why = "neither BSDSOCK_TOKEN nor BSDSOCK_TOKEN_FILE is set";
    return BSDSOCK_EACCES;
  }
  f = fopen(path, "r");
  if (f == NULL) {
    *why = "cannot read BSDSOCK_TOKEN_FILE";
    return BSDSOCK_EACCES;
  }
  if (fgets(buf, (int)size, f) == NULL) buf[0] = '\0';
  fclose(f);
  n = strcspn(buf, "\r\n");
  buf[n] = '\0';
  if (n == 0) {
    *why = "BSDSOCK_TOKEN_FILE is empty";
    return BSDSOCK_EACCES;
  }
  return 0;
}

/* Takes the session lock with the session open: 0, or the open's error
 * (lock not held). */
static int session_enter(void) {
  char token[1024];
  const char *why = NULL, *where = getenv("BSDSOCK_REMOTE");
  int err = 0;
  bsdsock__compat_lock(LOCK_SESSION);
  if (sess != NULL) return 0;
  if (open_error != 0) {
    err = open_error;
    bsdsock__compat_unlock(LOCK_SESSION);
    return err;
  }
  err = read_token(token, sizeof(token), &why);
  if (err == 0 && where == NULL) err = BSDSOCK_EINVAL;
  if (err == 0) {
    sess = bsdsock_remote_open(where, token, &err);
    if (sess == NULL && err == BSDSOCK_EACCES)
      why = "the server refused the token";
  }
  memset(token, 0, sizeof(token));
  if (sess != NULL) return 0;
  if (err == 0) err = BSDSOCK_EIO;
  open_error = err;
  /* One line, once: the program's own message follows with errno. */
  fprintf(stderr, "bsdsock: BSDSOCK_REMOTE=%s: no session: %s (%s)\n",
          where ? where : "", why ? why : bsdsock_strerror(err),
          bsdsock_err_name(err));
  bsdsock__compat_unlock(LOCK_SESSION);
  return err;
}

static void session_leave(void) {
  bsdsock__compat_unlock(LOCK_SESSION);
}

void bsdsock__route_reset(void) {
  size_t i;
  bsdsock__compat_lock(LOCK_SESSION);
  bsdsock__compat_lock(LOCK_TABLE);
  for (i = 0; i < table_len; i++)
    if (table[i] > 0) {
      table[i] = 0;
      bsdsock__compat_placeholder_close((int)i);
    }
  atomic_store(&live, 0);
  atomic_store(&mode, MODE_UNKNOWN);
  bsdsock__compat_unlock(LOCK_TABLE);
  bsdsock_remote_close(sess);  /* the server closes the session's sockets */
  sess = NULL;
  open_error = 0;
  bsdsock__compat_unlock(LOCK_SESSION);
}

/* The drop-in layers' public name for it (bsdsock/compat_remote.h,
 * bsdsock/compat_bsd.h). */
void bsdsock_compat_remote_reset(void) {
  bsdsock__route_reset();
}

/* ---- calls ------------------------------------------------------------------------ */

/* A new server descriptor rfd (or an error) as a placeholder number. */
static int adopt(int rfd) {
  int fd, rc;
  if (rfd < 0) return rfd;
  fd = bsdsock__compat_placeholder_open();
  if (fd < 0) {
    /* Out of descriptors, in practice: the null device is always there.
     * The server's socket must not outlive the failed call. */
    bsdsock_remote_close_fd(sess, rfd);
    return BSDSOCK_EMFILE;
  }
  rc = table_put(fd, rfd);
  if (rc != 0) {
    bsdsock_remote_close_fd(sess, rfd);
    bsdsock__compat_placeholder_close(fd);
    return rc;
  }
  return fd;
}

int bsdsock__route_socket(int family, int type, int protocol) {
  int rc;
  if (!bsdsock__route_mode()) return bsdsock_socket(family, type, protocol);
  rc = session_enter();
  if (rc != 0) return rc;
  rc = adopt(bsdsock_remote_socket(sess, family, type, protocol));
  session_leave();
  return rc;
}

/* ROUTE(fd, local, remote): runs the local call for a number that is no
 * placeholder, else the remote one with `rfd` the server's descriptor,
 * holding the session. */
#define ROUTE(type, fd, local, remote)                                        \
  do {                                                                        \
    int rfd = lookup(fd), err_;                                               \
    type rc_;                                                                 \
    if (rfd < 0) return local;                                                \
    if ((err_ = session_enter()) != 0) return err_;                           \
    rc_ = remote;                                                             \
    session_leave();                                                          \
    return rc_;                                                               \
  } while (0)

int bsdsock__route_bind(int fd, const bsdsock_addr_t *addr) {
  ROUTE(int, fd, bsdsock_bind(fd, addr), bsdsock_remote_bind(sess, rfd, addr));
}

int bsdsock__route_listen(int fd, int backlog) {
  ROUTE(int, fd, bsdsock_listen(fd, backlog),
        bsdsock_remote_listen(sess, rfd, backlog));
}

int bsdsock__route_accept(int fd, bsdsock_addr_t *peer) {
  ROUTE(int, fd, bsdsock_accept(fd, peer),
        adopt(bsdsock_remote_accept(sess, rfd, peer)));
}

int bsdsock__route_connect(int fd, const bsdsock_addr_t *addr) {
  ROUTE(int, fd, bsdsock_connect(fd, addr),
        bsdsock_remote_connect(sess, rfd, addr));
}

int bsdsock__route_shutdown(int fd, int how) {
  ROUTE(int, fd, bsdsock_shutdown(fd, how),
        bsdsock_remote_shutdown(sess, rfd, how));
}

int bsdsock__route_close(int fd) {
  int rfd = table_take(fd), rc;
  if (rfd < 0) return bsdsock_close(fd);
  /* The number stays taken until the server has closed its socket. */
  rc = session_enter();
  if (rc == 0) {
    rc = bsdsock_remote_close_fd(sess, rfd);
    session_leave();
  }
  bsdsock__compat_placeholder_close(fd);
  return rc;
}

int bsdsock__route_getsockname(int fd, bsdsock_addr_t *addr) {
  ROUTE(int, fd, bsdsock_getsockname(fd, addr),
        bsdsock_remote_getsockname(sess, rfd, addr));
}

int bsdsock__route_getpeername(int fd, bsdsock_addr_t *addr) {
  ROUTE(int, fd, bsdsock_getpeername(fd, addr),
        bsdsock_remote_getpeername(sess, rfd, addr));
}

int bsdsock__route_set_nonblocking(int fd, int on) {
  ROUTE(int, fd, bsdsock_set_nonblocking(fd, on),
        bsdsock_remote_set_nonblocking(sess, rfd, on));
}

int bsdsock__route_get_nonblocking(int fd) {
  ROUTE(int, fd, bsdsock_get_nonblocking(fd),
        bsdsock_remote_get_nonblocking(sess, rfd));
}

bsdsock_ssize_t bsdsock__route_send(int fd, const void *buf, size_t len,
                                    int flags) {
  ROUTE(bsdsock_ssize_t, fd, bsdsock_send(fd, buf, len, flags),
        bsdsock_remote_send(sess, rfd, buf, len, flags));
}

bsdsock_ssize_t bsdsock__route_recv(int fd, void *buf, size_t len,
                                    int flags) {
  ROUTE(bsdsock_ssize_t, fd, bsdsock_recv(fd, buf, len, flags),
        bsdsock_remote_recv(sess, rfd, buf, len, flags));
}

bsdsock_ssize_t bsdsock__route_sendto(int fd, const void *buf, size_t len,
                                      int flags, const bsdsock_addr_t *addr) {
  ROUTE(bsdsock_ssize_t, fd, bsdsock_sendto(fd, buf, len, flags, addr),
        bsdsock_remote_sendto(sess, rfd, buf, len, flags, addr));
}

bsdsock_ssize_t bsdsock__route_recvfrom(int fd, void *buf, size_t len,
                                        int flags, bsdsock_addr_t *from) {
  ROUTE(bsdsock_ssize_t, fd, bsdsock_recvfrom(fd, buf, len, flags, from),
        bsdsock_remote_recvfrom(sess, rfd, buf, len, flags, from));
}

int bsdsock__route_setsockopt(int fd, int level, int name, const void *value,
                              size_t len) {
  ROUTE(int, fd, bsdsock_setsockopt(fd, level, name, value, len),
        bsdsock_remote_setsockopt(sess, rfd, level, name, value, len));
}

int bsdsock__route_getsockopt(int fd, int level, int name, void *value,
                              size_t *len) {
  ROUTE(int, fd, bsdsock_getsockopt(fd, level, name, value, len),
        bsdsock_remote_getsockopt(sess, rfd, level, name, value, len));
}

int bsdsock__route_getaddrinfo(const char *node, const char *service,
                               const bsdsock_addrinfo_t *hints,
                               bsdsock_addrinfo_t **res) {
  int rc;
  if (!bsdsock__route_mode())
    return bsdsock_getaddrinfo(node, service, hints, res);
  if ((rc = session_enter()) != 0) return rc;
  rc = bsdsock_remote_getaddrinfo(sess, node, service, hints, res);
  session_leave();
  return rc;
}

int bsdsock__route_getnameinfo(const bsdsock_addr_t *addr, char *host,
                               size_t hostlen, char *serv, size_t servlen,
                               int flags) {
  int rc;
  if (!bsdsock__route_mode())
    return bsdsock_getnameinfo(addr, host, hostlen, serv, servlen, flags);
  if ((rc = session_enter()) != 0) return rc;
  rc = bsdsock_remote_getnameinfo(sess, addr, host, hostlen, serv, servlen,
                                  flags);
  session_leave();
  return rc;
}

/* ---- poll --------------------------------------------------------------------------- */

/* The remote entries of a mixed poll wait this long per round, between
 * looks at the local ones that do not wait. */
#define MIXED_SLICE_MS 10

static int remote_poll(bsdsock_pollfd_t *fds, size_t n, int timeout_ms) {
  int rc = session_enter();
  if (rc != 0) return rc;
  rc = bsdsock_remote_poll(sess, fds, n, timeout_ms);
  session_leave();
  return rc;
}

int bsdsock__route_poll(bsdsock_pollfd_t *fds, size_t nfds, int timeout_ms,
                        bsdsock__route_localpoll_fn local_poll) {
  bsdsock_pollfd_t *rem, *loc;
  size_t *rem_at, *loc_at, nrem = 0, nloc = 0, i;
  int64_t deadline;
  int rc = 0;
  if (fds == NULL || nfds == 0) return local_poll(fds, nfds, timeout_ms);
  for (i = 0; i < nfds; i++)
    if (lookup(fds[i].fd) >= 0) nrem++;
  if (nrem == 0) return local_poll(fds, nfds, timeout_ms);
  rem = malloc(nfds * 2 * (sizeof(*rem) + sizeof(*rem_at)));
  if (rem == NULL) return BSDSOCK_ENOMEM;
  loc = rem + nfds;
  rem_at = (size_t *)(void *)(loc + nfds);
  loc_at = rem_at + nfds;
  nrem = 0;
  for (i = 0; i < nfds; i++) {
    int rfd = lookup(fds[i].fd);
    fds[i].revents = 0;
    if (rfd >= 0) {
      rem[nrem] = fds[i];
      rem[nrem].fd = rfd;
      rem_at[nrem++] = i;
    } else if (fds[i].fd >= 0) {
      loc[nloc] = fds[i];
      loc_at[nloc++] = i;
    }
  }
  deadline = timeout_ms < 0 ? -1 : bsdsock__now_us() + timeout_ms * 1000LL;
  for (;;) {
    int nl = 0, nr, slice = 0;
    int64_t left = 0;
    if (nloc > 0) {
      nl = local_poll(loc, nloc, 0);
      if (nl < 0) { rc = nl; break; }
    }
    if (deadline >= 0) {
      left = deadline - bsdsock__now_us();
      if (left < 0) left = 0;
    }
    if (nl == 0)
      slice = nloc == 0 ? timeout_ms
              : deadline < 0 || left > MIXED_SLICE_MS * 1000LL
                  ? MIXED_SLICE_MS : (int)(left / 1000);
    nr = remote_poll(rem, nrem, slice);
    if (nr < 0) { rc = nr; break; }
    if (nl + nr > 0 || nloc == 0 || (deadline >= 0 && left == 0)) {
      for (i = 0; i < nrem; i++) fds[rem_at[i]].revents = rem[i].revents;
      for (i = 0; i < nloc; i++) fds[loc_at[i]].revents = loc[i].revents;
      rc = nl + nr;
      break;
    }
  }
  free(rem);
  return rc;
}
