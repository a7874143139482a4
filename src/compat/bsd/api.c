/* SPDX-License-Identifier: MIT */
/*
 * src/compat/bsd/api.c - the BSD socket API on Windows, behind the drop-in
 * headers (include/bsdsock/compat-src/bsd/, bsdsock/compat_bsd.h).
 *
 * A client of bsdsock's public API (docs/compat.md). Legacy BSD code
 * passes Winsock's own constants, sockaddrs and option values (it was
 * compiled against <winsock2.h> through the drop-in headers), so each call
 * converts them to bsdsock's portable values, calls bsdsock, and reports
 * failure the BSD way: -1 and errno set to the C runtime's E* value for
 * the portable code (quirks Q12, Q13: Winsock leaves errno alone, and its
 * WSA numbers match no E* macro). Descriptors are bsdsock's, which share
 * the C runtime's numbering (src/win32/fdtable.c), so close, read, write,
 * fcntl and ioctl tell a socket from a file by looking the number up.
 *
 * It reaches Winsock itself only where bsdsock has no call: FIONREAD,
 * options bsdsock does not know, and the resolver (getaddrinfo and
 * friends return native structs), each on the SOCKET bsdsock_native_handle()
 * gives or after bsdsock's lazy start-up. The opposite direction, the
 * Winsock API on POSIX, is src/compat/winsock/api.c.
 */
#include "../compat.h"
#include "bsdsock/compat_bsd.h"
#include "../route.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- errno ------------------------------------------------------------- */

static int fail(int portable) {
  return bsdsock__compat_fail(portable);
}

/* The result of a bsdsock call that returns 0 / a count or an error. */
static int ret(int rc) {
  return rc < 0 ? fail(rc) : rc;
}

char *bsdsock_compat_strerror(int errnum) {
  /* The C runtime's own table stops at 42 ("Unknown error" for the socket
   * values from 100), so bsdsock's messages serve those; the copy keeps
   * the result writable, as strerror()'s is. */
  static _Thread_local char buf[80];
  int portable = errnum >= 100 ? bsdsock__os_crt_portable(errnum) : 0;
  if (portable == 0) return strerror(errnum);
  snprintf(buf, sizeof(buf), "%s", bsdsock_strerror(portable));
  return buf;
}

void bsdsock_compat_perror(const char *prefix) {
  const char *msg = bsdsock_compat_strerror(errno);
  if (prefix != NULL && *prefix != '\0')
    fprintf(stderr, "%s: %s\n", prefix, msg);
  else
    fprintf(stderr, "%s\n", msg);
}

/* ---- descriptors: socket or C runtime file ------------------------------- */

/* Legacy code takes socket numbers for file descriptors, so every call
 * here that hands out or looks up a number first switches bsdsock's CRT
 * numbering on (once: then it is one atomic load). Until then bsdsock
 * holds no C runtime descriptor per socket, which a program that never
 * mixes the two does not need (src/win32/fdtable.c, quirk Q68). */
static void crt_numbers(void) {
  (void)bsdsock_crt_numbering();
}

/* A number in bsdsock's table is a socket and nothing else: the table
 * holds a placeholder C runtime descriptor for it (src/win32/fdtable.c),
 * so no file can have the number while the socket lives. That is what
 * lets close() and read() take both, where the runtime's own close() on a
 * SOCKET value hits an unrelated file (quirk Q40). */
static int is_socket(int fd) {
  crt_numbers();
  return bsdsock_native_handle(fd) != BSDSOCK_OS_SOCK_INVALID ||
         bsdsock__route_is_remote(fd);
}

/* A poller (the drop-in epoll's descriptor) holds a number of the same
 * table, with a placeholder of its own; close() closes it too. */
static int is_poller(int fd) {
  crt_numbers();
  return fd >= 0 && (bsdsock__fd_flags(fd) & BSDSOCK__FD_POLLER) != 0;
}

/* The error for a socket call on fd that bsdsock says is no socket: BSD
 * says ENOTSOCK for an open file and EBADF for nothing at all. */
static int not_socket(int fd, int rc) {
  if (rc == BSDSOCK_EBADF && fd >= 0 && _get_osfhandle(fd) != -1)
    return fail(BSDSOCK_ENOTSOCK);
  return fail(rc);
}

/* Calls of the socket API on fd end here: the bsdsock result passed on,
 * or -1 with errno. */
static int sock_ret(int fd, int rc) {
  return rc < 0 ? not_socket(fd, rc) : rc;
}

int bsdsock_compat_close(int fd) {
  if (is_socket(fd) || is_poller(fd)) return ret(bsdsock__route_close(fd));
  return _close(fd);
}

/* The C runtime's read/write take an unsigned int count. */
#define CRT_LEN(len) \
  ((len) > (size_t)INT_MAX ? (unsigned)INT_MAX : (unsigned)(len))

bsdsock_ssize_t bsdsock_compat_read(int fd, void *buf, size_t len) {
  if (is_socket(fd)) {
    bsdsock_ssize_t n = bsdsock__route_recv(fd, buf, len, 0);
    return n < 0 ? fail((int)n) : n;
  }
  return _read(fd, buf, CRT_LEN(len));
}

bsdsock_ssize_t bsdsock_compat_write(int fd, const void *buf, size_t len) {
  if (is_socket(fd)) {
    bsdsock_ssize_t n = bsdsock__route_send(fd, buf, len, 0);
    return n < 0 ? fail((int)n) : n;
  }
  return _write(fd, buf, CRT_LEN(len));
}

/* A socket number cannot be duplicated: the C runtime would copy the
 * placeholder file behind it (src/win32/fdtable.c), not the socket. */
int bsdsock_compat_dup(int fd) {
  if (is_socket(fd)) return fail(BSDSOCK_EOPNOTSUPP);
  return _dup(fd);
}

int bsdsock_compat_dup2(int fd, int fd2) {
  if (is_socket(fd) || is_socket(fd2)) return fail(BSDSOCK_EOPNOTSUPP);
  /* The C runtime's _dup2 returns 0; POSIX returns the new number. */
  return _dup2(fd, fd2) == 0 ? fd2 : -1;
}

static int fcntl_socket(int fd, int cmd, int arg) {
  int nb;
  switch (cmd) {
    case BSDSOCK_COMPAT_F_GETFD:
      return BSDSOCK_COMPAT_FD_CLOEXEC;  /* never inherited (quirk Q42) */
    case BSDSOCK_COMPAT_F_SETFD:
      /* A socket cannot follow its number into a child process. */
      return (arg & BSDSOCK_COMPAT_FD_CLOEXEC) ? 0 : fail(BSDSOCK_EINVAL);
    case BSDSOCK_COMPAT_F_GETFL:
      /* Winsock cannot report the mode (quirk Q41); bsdsock tracks it. */
      nb = bsdsock__route_get_nonblocking(fd);
      if (nb < 0) return fail(nb);
      return _O_RDWR | (nb ? BSDSOCK_COMPAT_O_NONBLOCK : 0);
    case BSDSOCK_COMPAT_F_SETFL:
      return ret(bsdsock__route_set_nonblocking(
          fd, (arg & BSDSOCK_COMPAT_O_NONBLOCK) != 0));
    default:
      return fail(BSDSOCK_EINVAL);
  }
}

static int fcntl_file(int fd, int cmd, int arg) {
  HANDLE h = (HANDLE)_get_osfhandle(fd);
  DWORD info;
  if (h == INVALID_HANDLE_VALUE) return fail(BSDSOCK_EBADF);
  switch (cmd) {
    case BSDSOCK_COMPAT_F_GETFD:
      if (!GetHandleInformation(h, &info)) return fail(BSDSOCK_EBADF);
      return (info & HANDLE_FLAG_INHERIT) ? 0 : BSDSOCK_COMPAT_FD_CLOEXEC;
    case BSDSOCK_COMPAT_F_SETFD:
      if (!SetHandleInformation(h, HANDLE_FLAG_INHERIT,
                                (arg & BSDSOCK_COMPAT_FD_CLOEXEC)
                                    ? 0 : HANDLE_FLAG_INHERIT))
        return fail(BSDSOCK_EBADF);
      return 0;
    case BSDSOCK_COMPAT_F_GETFL:
      return 0;  /* the C runtime does not expose a file's open flags */
    case BSDSOCK_COMPAT_F_SETFL:
      /* O_NONBLOCK has no effect on a disk file (as on Linux); pipes and
       * consoles cannot be made non-blocking through a CRT descriptor, and
       * saying so beats a read that blocks after all. */
      if ((arg & BSDSOCK_COMPAT_O_NONBLOCK) && GetFileType(h) != FILE_TYPE_DISK)
        return fail(BSDSOCK_EINVAL);
      return 0;
    default:
      return fail(BSDSOCK_EINVAL);
  }
}

int bsdsock_compat_fcntl(int fd, int cmd, ...) {
  va_list ap;
  int arg = 0;
  if (cmd == BSDSOCK_COMPAT_F_SETFD || cmd == BSDSOCK_COMPAT_F_SETFL) {
    va_start(ap, cmd);
    arg = va_arg(ap, int);
    va_end(ap);
  }
  if (is_socket(fd)) return fcntl_socket(fd, cmd, arg);
  if (fd < 0) return fail(BSDSOCK_EBADF);
  return fcntl_file(fd, cmd, arg);
}

int bsdsock_compat_ioctl(int fd, unsigned long request, ...) {
  va_list ap;
  int *arg;
  u_long avail;
  va_start(ap, request);
  arg = va_arg(ap, int *);
  va_end(ap);
  if (!is_socket(fd))
    return fail(fd >= 0 && _get_osfhandle(fd) != -1 ? BSDSOCK_ENOTTY
                                                   : BSDSOCK_EBADF);
  if (arg == NULL) return fail(BSDSOCK_EFAULT);
  /* BSD code passes an int *, Winsock wants a u_long * (quirk Q5). */
  if (request == (unsigned long)FIONBIO)
    return ret(bsdsock__route_set_nonblocking(fd, *arg != 0));
  if (request == (unsigned long)FIONREAD) {
    /* No bsdsock call says how much is queued: Winsock's own ioctl,
     * which a remote socket does not have. */
    if (bsdsock__route_is_remote(fd)) return fail(BSDSOCK_EOPNOTSUPP);
    if (ioctlsocket((SOCKET)bsdsock_native_handle(fd), FIONREAD, &avail) != 0)
      return fail(bsdsock_translate_error(WSAGetLastError()));
    *arg = avail > (u_long)INT_MAX ? INT_MAX : (int)avail;
    return 0;
  }
  return fail(BSDSOCK_ENOTTY);
}

/* ---- sockets ------------------------------------------------------------- */

/* Native MSG_* flags to portable ones (MSG_DONTWAIT is the drop-in
 * header's own bit: Winsock has none, quirk Q8). */
static int msg_flags(int native, int *portable) {
  int dontwait = native & BSDSOCK_COMPAT_MSG_DONTWAIT;
  native &= ~BSDSOCK_COMPAT_MSG_DONTWAIT;
  *portable = 0;
  if (native != 0 &&
      bsdsock_const_from_native(BSDSOCK_CONST_MSG, native, portable) != 0)
    return BSDSOCK_EINVAL;
  if (dontwait) *portable |= BSDSOCK_MSG_DONTWAIT;
  return 0;
}

int bsdsock_compat_socket(int af, int type, int protocol) {
  int flags = type & (BSDSOCK_SOCK_NONBLOCK | BSDSOCK_SOCK_CLOEXEC);
  int paf, ptype, pproto, rc;
  crt_numbers();
  if (bsdsock_const_from_native(BSDSOCK_CONST_AF, af, &paf) != 0)
    return fail(BSDSOCK_EAFNOSUPPORT);
  if ((rc = bsdsock__compat_kind_in(type & ~flags, protocol, &ptype,
                                    &pproto)) != 0)
    return fail(rc);
  return ret(bsdsock__route_socket(paf, ptype | flags, pproto));
}

/* socketpair(): Winsock has none (gnulib has none either); bsdsock's
 * makes one (quirk Q54): for AF_UNIX the best the platform has (an
 * AF_UNIX pair where Windows has AF_UNIX, else loopback TCP), for AF_INET
 * and AF_INET6 loopback TCP; the two ends check that they are each
 * other's, so no other local process can slip in between. Stream sockets
 * only (EOPNOTSUPP for others, which would have to be built). */
int bsdsock_compat_socketpair(int af, int type, int protocol, int sv[2]) {
  int flags = type & (BSDSOCK_SOCK_NONBLOCK | BSDSOCK_SOCK_CLOEXEC);
  int paf, ptype, pproto, rc;
  crt_numbers();
  if (sv == NULL) return fail(BSDSOCK_EFAULT);
  if (af == AF_UNIX || af == AF_UNSPEC)
    paf = BSDSOCK_AF_UNSPEC;
  else if (bsdsock_const_from_native(BSDSOCK_CONST_AF, af, &paf) != 0 ||
           paf == BSDSOCK_AF_UNSPEC)
    return fail(BSDSOCK_EAFNOSUPPORT);
  if ((rc = bsdsock__compat_kind_in(type & ~flags, protocol, &ptype,
                                    &pproto)) != 0)
    return fail(rc);
  rc = bsdsock_socketpair(paf, ptype | (flags & BSDSOCK_SOCK_NONBLOCK), pproto,
                          sv);
  return rc < 0 ? fail(rc) : 0;
}

int bsdsock_compat_bind(int fd, const struct sockaddr *addr, int addrlen) {
  bsdsock_addr_t a;
  int rc = bsdsock__compat_addr_in(&a, addr, addrlen);
  return rc != 0 ? fail(rc) : sock_ret(fd, bsdsock__route_bind(fd, &a));
}

int bsdsock_compat_connect(int fd, const struct sockaddr *addr, int addrlen) {
  bsdsock_addr_t a;
  int rc = bsdsock__compat_addr_in(&a, addr, addrlen);
  return rc != 0 ? fail(rc) : sock_ret(fd, bsdsock__route_connect(fd, &a));
}

int bsdsock_compat_listen(int fd, int backlog) {
  return sock_ret(fd, bsdsock__route_listen(fd, backlog));
}

int bsdsock_compat_accept(int fd, struct sockaddr *addr, int *addrlen) {
  bsdsock_addr_t peer;
  int c;
  crt_numbers();
  if (!bsdsock__compat_addr_out_ok(addr, addrlen))
    return fail(BSDSOCK_EFAULT);
  c = bsdsock__route_accept(fd, addr ? &peer : NULL);
  if (c < 0) return not_socket(fd, c);
  bsdsock__compat_addr_out(&peer, addr, addrlen);
  return c;
}

int bsdsock_compat_shutdown(int fd, int how) {
  int phow;
  if (bsdsock_const_from_native(BSDSOCK_CONST_SHUT, how, &phow) != 0)
    return fail(BSDSOCK_EINVAL);
  return sock_ret(fd, bsdsock__route_shutdown(fd, phow));
}

static int addr_name(int fd, struct sockaddr *addr, int *addrlen,
                     int (*get)(int, bsdsock_addr_t *)) {
  bsdsock_addr_t a;
  int rc;
  if (addr == NULL || !bsdsock__compat_addr_out_ok(addr, addrlen))
    return fail(BSDSOCK_EFAULT);
  rc = get(fd, &a);
  if (rc < 0) return not_socket(fd, rc);
  bsdsock__compat_addr_out(&a, addr, addrlen);
  return 0;
}

int bsdsock_compat_getsockname(int fd, struct sockaddr *addr, int *addrlen) {
  return addr_name(fd, addr, addrlen, bsdsock__route_getsockname);
}

int bsdsock_compat_getpeername(int fd, struct sockaddr *addr, int *addrlen) {
  return addr_name(fd, addr, addrlen, bsdsock__route_getpeername);
}

/* ---- data ---------------------------------------------------------------- */

static bsdsock_ssize_t data_ret(int fd, bsdsock_ssize_t n) {
  return n < 0 ? not_socket(fd, (int)n) : n;
}

bsdsock_ssize_t bsdsock_compat_send(int fd, const void *buf, size_t len,
                                    int flags) {
  int pflags;
  if (msg_flags(flags, &pflags) != 0) return fail(BSDSOCK_EINVAL);
  return data_ret(fd, bsdsock__route_send(fd, buf, len, pflags));
}

bsdsock_ssize_t bsdsock_compat_recv(int fd, void *buf, size_t len,
                                    int flags) {
  int pflags;
  if (msg_flags(flags, &pflags) != 0) return fail(BSDSOCK_EINVAL);
  return data_ret(fd, bsdsock__route_recv(fd, buf, len, pflags));
}

bsdsock_ssize_t bsdsock_compat_sendto(int fd, const void *buf, size_t len,
                                      int flags, const struct sockaddr *addr,
                                      int addrlen) {
  bsdsock_addr_t a;
  int pflags, rc;
  if (msg_flags(flags, &pflags) != 0) return fail(BSDSOCK_EINVAL);
  if (addr == NULL) return data_ret(fd, bsdsock__route_send(fd, buf, len, pflags));
  rc = bsdsock__compat_addr_in(&a, addr, addrlen);
  if (rc != 0) return fail(rc);
  return data_ret(fd, bsdsock__route_sendto(fd, buf, len, pflags, &a));
}

bsdsock_ssize_t bsdsock_compat_recvfrom(int fd, void *buf, size_t len,
                                        int flags, struct sockaddr *addr,
                                        int *addrlen) {
  bsdsock_addr_t a;
  bsdsock_ssize_t n;
  int pflags;
  if (msg_flags(flags, &pflags) != 0) return fail(BSDSOCK_EINVAL);
  if (!bsdsock__compat_addr_out_ok(addr, addrlen))
    return fail(BSDSOCK_EFAULT);
  memset(&a, 0, sizeof(a));
  n = bsdsock__route_recvfrom(fd, buf, len, pflags, addr ? &a : NULL);
  if (n < 0) return not_socket(fd, (int)n);
  bsdsock__compat_addr_out(&a, addr, addrlen);
  return n;
}

/* ---- options ------------------------------------------------------------- */

/* An option bsdsock does not know goes to Winsock as it is (legacy code
 * may use any Windows option; bsdsock has no call for those), on the
 * SOCKET behind the descriptor. */
static int native_setsockopt(int fd, int level, int name, const void *value,
                             int len) {
  SOCKET s = (SOCKET)bsdsock_native_handle(fd);
  /* A remote socket takes only options with a portable number. */
  if (bsdsock__route_is_remote(fd)) return fail(BSDSOCK_ENOPROTOOPT);
  if (s == INVALID_SOCKET) return not_socket(fd, BSDSOCK_EBADF);
  if (setsockopt(s, level, name, (const char *)value, len) != 0)
    return fail(bsdsock_translate_error(WSAGetLastError()));
  return 0;
}

static int native_getsockopt(int fd, int level, int name, void *value,
                             int *len) {
  SOCKET s = (SOCKET)bsdsock_native_handle(fd);
  if (bsdsock__route_is_remote(fd)) return fail(BSDSOCK_ENOPROTOOPT);
  if (s == INVALID_SOCKET) return not_socket(fd, BSDSOCK_EBADF);
  if (getsockopt(s, level, name, (char *)value, len) != 0)
    return fail(bsdsock_translate_error(WSAGetLastError()));
  return 0;
}

/* SO_REUSEPORT (the drop-in <sys/socket.h> defines it): Windows cannot
 * share a port among sockets the way Linux balances it, and SO_REUSEADDR
 * in Winsock lets any socket steal the port, so the option is refused as
 * Linux before 3.9 refused it; portable code then carries on with one
 * socket. A number that is no socket fails as for any option. */
static int reuseport(int fd) {
  if (!is_socket(fd)) return not_socket(fd, BSDSOCK_EBADF);
  return fail(BSDSOCK_ENOPROTOOPT);
}

/* Options bsdsock knows go through bsdsock in BSD's value shapes (a
 * struct timeval for SO_RCVTIMEO/SO_SNDTIMEO; a DWORD of milliseconds, as
 * code written for Windows passes, works too: quirk Q47), converted by
 * compat.h; a value too short for its shape is EINVAL, as on Linux. */
int bsdsock_compat_setsockopt(int fd, int level, int name, const void *value,
                              int len) {
  const struct bsdsock__optdesc *d;
  union bsdsock__compat_opt v;
  int plevel, pname;
  if (level == SOL_SOCKET && name == BSDSOCK_COMPAT_SO_REUSEPORT)
    return reuseport(fd);
  if (bsdsock_sockopt_from_native(level, name, &plevel, &pname) != 0 ||
      (d = bsdsock__opt_find(plevel, pname)) == NULL)
    return native_setsockopt(fd, level, name, value, len);
  if (value == NULL || len <= 0) return fail(BSDSOCK_EFAULT);
  if (bsdsock__compat_opt_in(d, value, len, &v) != 0)
    return fail(BSDSOCK_EINVAL);
  return sock_ret(fd, bsdsock__route_setsockopt(fd, plevel, pname, &v,
                                         bsdsock__opt_size(d->type)));
}

int bsdsock_compat_getsockopt(int fd, int level, int name, void *value,
                              int *len) {
  const struct bsdsock__optdesc *d;
  union bsdsock__compat_opt v;
  size_t n = sizeof(v);
  int plevel, pname, rc;
  if (level == SOL_SOCKET && name == BSDSOCK_COMPAT_SO_REUSEPORT)
    return reuseport(fd);
  if (bsdsock_sockopt_from_native(level, name, &plevel, &pname) != 0 ||
      (d = bsdsock__opt_find(plevel, pname)) == NULL)
    return native_getsockopt(fd, level, name, value, len);
  if (value == NULL || len == NULL || *len < 0) return fail(BSDSOCK_EFAULT);
  /* No value is empty: checked before SO_ERROR is read (and cleared). */
  if (*len == 0) return fail(BSDSOCK_EINVAL);
  rc = bsdsock__route_getsockopt(fd, plevel, pname, &v, &n);
  if (rc < 0) return not_socket(fd, rc);
  /* SO_ERROR: a portable code inside bsdsock, an errno value here. */
  if (d->type == BSDSOCK__OPT_ERROR && v.i != 0)
    v.i = bsdsock__os_crt_errno(v.i);
  if (bsdsock__compat_opt_out(d, &v, value, len, 0) != 0)
    return fail(BSDSOCK_EINVAL);
  return 0;
}

/* ---- names and text forms ------------------------------------------------ */

/* The resolver stays Winsock's own: legacy code reads the native struct
 * addrinfo and hostent, which bsdsock_getaddrinfo does not return, and
 * bsdsock has no gethostname. Winsock's resolver needs WSAStartup, which
 * legacy BSD code never calls: bsdsock's lazy start-up stands in (quirk
 * Q43). */
int bsdsock_compat_getaddrinfo(const char *node, const char *service,
                               const struct addrinfo *hints,
                               struct addrinfo **res) {
  /* Transparent mode: the server's resolver (docs/wire.md). */
  if (bsdsock__route_mode())
    return bsdsock__compat_remote_gai(node, service, hints, res);
  if (bsdsock_init() != 0) return WSANOTINITIALISED;
  return getaddrinfo(node, service, hints, res);
}

void bsdsock_compat_freeaddrinfo(struct addrinfo *ai) {
  if (ai == NULL) return;
  if (bsdsock__route_mode())
    bsdsock__compat_remote_freeai(ai);
  else
    freeaddrinfo(ai);
}

int bsdsock_compat_getnameinfo(const struct sockaddr *addr, int addrlen,
                               char *host, size_t hostlen, char *serv,
                               size_t servlen, int flags) {
  if (bsdsock__route_mode()) {
    bsdsock_addr_t a;
    int pflags = 0, rc;
    if (bsdsock__compat_addr_in(&a, addr, addrlen) != 0) return EAI_FAMILY;
    if (flags != 0 &&
        bsdsock_const_from_native(BSDSOCK_CONST_NI, flags, &pflags) != 0)
      return EAI_BADFLAGS;
    rc = bsdsock__route_getnameinfo(&a, host, hostlen, serv, servlen, pflags);
    return rc != 0 ? bsdsock__compat_gai_ret(rc) : 0;
  }
  if (bsdsock_init() != 0) return WSANOTINITIALISED;
  if (hostlen > MAXDWORD || servlen > MAXDWORD) return EAI_FAIL;
  return getnameinfo(addr, addrlen, host, (DWORD)hostlen, serv,
                     (DWORD)servlen, flags);
}

const char *bsdsock_compat_gai_strerror(int err) {
  /* Winsock's gai_strerror is FormatMessage into a static buffer; bsdsock
   * has a message for every WSA number getaddrinfo returns. */
  return bsdsock_strerror(bsdsock_translate_error(err));
}

struct hostent *bsdsock_compat_gethostbyname(const char *name) {
  if (bsdsock__route_mode()) return bsdsock__compat_remote_hostent(name);
  if (bsdsock_init() != 0) return NULL;
  return gethostbyname(name);
}

int bsdsock_compat_gethostname(char *name, size_t len) {
  int rc = bsdsock_init();
  if (rc != 0) return fail(rc);
  if (name == NULL || len > INT_MAX) return fail(BSDSOCK_EFAULT);
  if (gethostname(name, (int)len) != 0)
    return fail(bsdsock_translate_error(WSAGetLastError()));
  return 0;
}

/* ---- interfaces ------------------------------------------------------------ */

unsigned bsdsock_compat_if_nametoindex(const char *name) {
  unsigned index = bsdsock_if_nametoindex(name);
  if (index == 0) fail(BSDSOCK_ENODEV);
  return index;
}

char *bsdsock_compat_if_indextoname(unsigned index, char *buf) {
  int rc;
  if (buf == NULL) {
    fail(BSDSOCK_EFAULT);
    return NULL;
  }
  rc = bsdsock_if_indextoname(index, buf, BSDSOCK_IF_NAMESIZE);
  if (rc < 0) {
    fail(rc);
    return NULL;
  }
  return buf;
}

/* bsdsock's interface flags and Winsock's (the drop-in <net/if.h>). */
#define IFF_MAP(X)                                                           \
  X(BSDSOCK_IFF_UP, IFF_UP)                                                  \
  X(BSDSOCK_IFF_LOOPBACK, IFF_LOOPBACK)                                      \
  X(BSDSOCK_IFF_POINTOPOINT, IFF_POINTTOPOINT)                               \
  X(BSDSOCK_IFF_RUNNING, BSDSOCK_COMPAT_IFF_RUNNING)                         \
  X(BSDSOCK_IFF_MULTICAST, IFF_MULTICAST)

static unsigned iff_native(unsigned portable) {
  static const struct {
    unsigned portable, native;
  } map[] = {
#define IFF_ROW(p, n) {p, n},
      IFF_MAP(IFF_ROW)
#undef IFF_ROW
  };
  unsigned native = 0;
  size_t i;
  for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
    if (portable & map[i].portable) native |= map[i].native;
  return native;
}

/* One getifaddrs() entry and what it points at, all in one block. */
struct ifa_node {
  struct bsdsock_compat_ifaddrs ifa;
  struct sockaddr_storage addr, netmask;
  char name[BSDSOCK_IF_NAMESIZE];
};

/* The netmask of a prefix of bits bits, in family's address. */
static void prefix_mask(bsdsock_addr_t *mask, int family, unsigned bits) {
  size_t i, bytes = family == BSDSOCK_AF_INET ? 4 : 16;
  uint8_t *p = family == BSDSOCK_AF_INET ? mask->u.ip4 : mask->u.ip6;
  memset(mask, 0, sizeof(*mask));
  mask->family = (uint16_t)family;
  for (i = 0; i < bytes; i++) {
    unsigned take = bits >= 8 ? 8 : bits;
    p[i] = (uint8_t)(0xff00u >> take);
    bits -= take;
  }
}

int bsdsock_compat_getifaddrs(struct bsdsock_compat_ifaddrs **ifap) {
  bsdsock_interface_t *list = NULL;
  struct ifa_node *nodes;
  size_t n = 0, i;
  int rc;
  if (ifap == NULL) return fail(BSDSOCK_EFAULT);
  *ifap = NULL;
  rc = bsdsock_interfaces(&list, &n);
  if (rc < 0) return fail(rc);
  if (n == 0) return 0;
  nodes = calloc(n, sizeof(*nodes));
  if (nodes == NULL) {
    bsdsock_free_interfaces(list);
    return fail(BSDSOCK_ENOMEM);
  }
  for (i = 0; i < n; i++) {
    const bsdsock_interface_t *e = &list[i];
    struct ifa_node *d = &nodes[i];
    bsdsock_addr_t mask;
    size_t len = sizeof(d->addr);
    memcpy(d->name, e->name, sizeof(d->name));
    d->name[sizeof(d->name) - 1] = '\0';
    d->ifa.ifa_next = i + 1 < n ? &nodes[i + 1].ifa : NULL;
    d->ifa.ifa_name = d->name;
    d->ifa.ifa_flags = iff_native(e->flags);
    if (bsdsock_addr_to_native(&e->addr, &d->addr, &len) == 0)
      d->ifa.ifa_addr = (struct sockaddr *)&d->addr;
    prefix_mask(&mask, e->addr.family, e->prefixlen);
    len = sizeof(d->netmask);
    if (bsdsock_addr_to_native(&mask, &d->netmask, &len) == 0)
      d->ifa.ifa_netmask = (struct sockaddr *)&d->netmask;
  }
  bsdsock_free_interfaces(list);
  *ifap = &nodes[0].ifa;
  return 0;
}

/* The list is one block starting with its first entry. */
void bsdsock_compat_freeifaddrs(struct bsdsock_compat_ifaddrs *ifa) {
  free(ifa);
}

int bsdsock_compat_inet_pton(int af, const char *src, void *dst) {
  int paf, rc;
  if (bsdsock_const_from_native(BSDSOCK_CONST_AF, af, &paf) != 0 ||
      (paf != BSDSOCK_AF_INET && paf != BSDSOCK_AF_INET6))
    return fail(BSDSOCK_EAFNOSUPPORT);
  rc = bsdsock_inet_pton(paf, src, dst);
  if (rc == BSDSOCK_EINVAL) return 0;  /* not an address: POSIX says 0 */
  return rc < 0 ? fail(rc) : 1;
}

const char *bsdsock_compat_inet_ntop(int af, const void *src, char *dst,
                                     int size) {
  int paf, rc;
  if (bsdsock_const_from_native(BSDSOCK_CONST_AF, af, &paf) != 0 ||
      (paf != BSDSOCK_AF_INET && paf != BSDSOCK_AF_INET6)) {
    fail(BSDSOCK_EAFNOSUPPORT);
    return NULL;
  }
  if (size < 0) {
    fail(BSDSOCK_ENOSPC);
    return NULL;
  }
  rc = bsdsock_inet_ntop(paf, src, dst, (size_t)size);
  if (rc < 0) {
    fail(rc);
    return NULL;
  }
  return dst;
}

/* ---- signals ------------------------------------------------------------- */

/* Only the disposition is kept: nothing in bsdsock raises SIGPIPE (quirk
 * Q16), so ignoring it, as BSD programs do, has nothing to do. signal()
 * is not thread-safe on POSIX either. */
static bsdsock_compat_sighandler_t sigpipe_handler = SIG_DFL;

bsdsock_compat_sighandler_t bsdsock_compat_signal(
    int sig, bsdsock_compat_sighandler_t handler) {
  bsdsock_compat_sighandler_t old;
  if (sig != BSDSOCK_COMPAT_SIGPIPE) return signal(sig, handler);
  if (handler == SIG_ERR) {
    fail(BSDSOCK_EINVAL);
    return SIG_ERR;
  }
  old = sigpipe_handler;
  sigpipe_handler = handler;
  return old;
}

/* ---- epoll --------------------------------------------------------------- */

/* Linux's numbers (<sys/epoll.h>); IN, PRI, OUT, ERR, HUP and RDHUP are
 * bsdsock's too (bsdsock/poll.h, bsdsock/poller.h). */
enum {
  EP_IN = 0x001, EP_PRI = 0x002, EP_OUT = 0x004, EP_ERR = 0x008,
  EP_HUP = 0x010, EP_RDNORM = 0x040, EP_RDBAND = 0x080, EP_WRNORM = 0x100,
  EP_WRBAND = 0x200, EP_MSG = 0x400, EP_RDHUP = 0x2000
};
#define EP_EXCLUSIVE (1u << 28)
#define EP_WAKEUP (1u << 29)
#define EP_ONESHOT (1u << 30)
#define EP_ET (1u << 31)
enum { EP_CTL_ADD = 1, EP_CTL_DEL = 2, EP_CTL_MOD = 3 };

/* The events a program asks for, as the poller's bits. */
static uint32_t epoll_to_poller(uint32_t ev) {
  return ((ev & (EP_IN | EP_RDNORM)) ? BSDSOCK_POLLIN : 0u) |
         ((ev & (EP_OUT | EP_WRNORM)) ? BSDSOCK_POLLOUT : 0u) |
         ((ev & EP_PRI) ? BSDSOCK_POLLPRI : 0u) |
         ((ev & EP_RDHUP) ? BSDSOCK_POLLRDHUP : 0u) |
         ((ev & EP_ONESHOT) ? BSDSOCK_POLLER_ONESHOT : 0u) |
         ((ev & EP_ET) ? BSDSOCK_POLLER_ET : 0u);
}

static uint32_t poller_to_epoll(uint32_t ev) {
  return ((ev & BSDSOCK_POLLIN) ? EP_IN : 0u) |
         ((ev & BSDSOCK_POLLOUT) ? EP_OUT : 0u) |
         ((ev & BSDSOCK_POLLPRI) ? EP_PRI : 0u) |
         ((ev & BSDSOCK_POLLERR) ? EP_ERR : 0u) |
         ((ev & BSDSOCK_POLLHUP) ? EP_HUP : 0u) |
         ((ev & BSDSOCK_POLLRDHUP) ? EP_RDHUP : 0u);
}

int bsdsock_compat_epoll_create(int size) {
  crt_numbers();
  if (size <= 0) return fail(BSDSOCK_EINVAL);
  return ret(bsdsock_poller_create());
}

int bsdsock_compat_epoll_create1(int flags) {
  crt_numbers();
  if (flags & ~BSDSOCK_COMPAT_EPOLL_CLOEXEC) return fail(BSDSOCK_EINVAL);
  return ret(bsdsock_poller_create());  /* never inherited anyway */
}

int bsdsock_compat_epoll_ctl(int epfd, int op, int fd,
                             struct bsdsock_compat_epoll_event *event) {
  uint32_t ev;
  if (op == EP_CTL_DEL) return ret(bsdsock_poller_delete(epfd, fd));
  if (op != EP_CTL_ADD && op != EP_CTL_MOD) return fail(BSDSOCK_EINVAL);
  if (event == NULL) return fail(BSDSOCK_EFAULT);
  ev = epoll_to_poller(event->events);
  return ret(op == EP_CTL_ADD
                 ? bsdsock_poller_add(epfd, fd, ev, event->data.u64)
                 : bsdsock_poller_modify(epfd, fd, ev, event->data.u64));
}

int bsdsock_compat_epoll_wait(int epfd,
                              struct bsdsock_compat_epoll_event *events,
                              int maxevents, int timeout) {
  bsdsock_poller_event_t buf[64];
  int n, i;
  if (events == NULL && maxevents > 0) return fail(BSDSOCK_EFAULT);
  n = bsdsock_poller_wait(epfd, buf,
                          maxevents > 64 ? 64 : maxevents, timeout);
  if (n < 0) return fail(n);
  for (i = 0; i < n; i++) {
    events[i].events = poller_to_epoll(buf[i].events);
    events[i].data.u64 = buf[i].data;
  }
  return n;
}
