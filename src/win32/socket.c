/* SPDX-License-Identifier: MIT */
/*
 * src/win32/socket.c - the Windows backend's socket calls (src/os.h): one
 * Winsock call each, through the fault seam, and the fix-ups that only the
 * Winsock side can make (lazy start-up, the mode bookkeeping Winsock cannot
 * report, its spellings of BSD errors).
 */
#include "../internal.h"

#include <stdio.h>

#include <stdlib.h>

/* ---- start-up ------------------------------------------------------------ */

/* WSAStartup is reference-counted per process; bsdsock takes exactly one
 * reference, lazily, and gives it back once, so it never unbalances another
 * library's count (quirk Q43). A failed start-up is not remembered: the
 * next call tries again (a fault may pass). */
static SRWLOCK startup_lock = SRWLOCK_INIT;
static volatile LONG started;   /* 1 while bsdsock holds its reference */
static volatile LONG exit_hook; /* atexit(bsdsock_cleanup) registered */

int bsdsock__os_startup(void) {
  WSADATA data;
  int rc = 0;
  if (InterlockedCompareExchange(&started, 0, 0) == 1) return 0;
  AcquireSRWLockExclusive(&startup_lock);
  if (started == 0) {
    rc = BSDSOCK__OS(startup, bsdsock__os_error(),
                     WSAStartup(MAKEWORD(2, 2), &data));
    if (rc == 0) {
      InterlockedExchange(&started, 1);
      if (InterlockedExchange(&exit_hook, 1) == 0) atexit(bsdsock_cleanup);
    }
  }
  ReleaseSRWLockExclusive(&startup_lock);
  return rc != 0 ? bsdsock__fail_native(rc) : 0;
}

void bsdsock__os_cleanup(void) {
  AcquireSRWLockExclusive(&startup_lock);
  if (InterlockedExchange(&started, 0) == 1) WSACleanup();
  ReleaseSRWLockExclusive(&startup_lock);
}

/* ---- creation ------------------------------------------------------------ */

static int set_fionbio(SOCKET s, int on) {
  u_long v = on ? 1 : 0;
  if (BSDSOCK__OS(nonblock, SOCKET_ERROR, ioctlsocket(s, FIONBIO, &v)) != 0)
    return bsdsock__fail_os();
  return 0;
}

int bsdsock__os_socket(int naf, int ntype, int nproto, int nonblock,
                       bsdsock__sock_t *out) {
  int rc, one = 1;
  SOCKET s;
  /* Never inheritable (quirk Q42): handle inheritance is the Windows
   * equivalent of a missing SOCK_CLOEXEC. */
  s = BSDSOCK__OS(socket, INVALID_SOCKET,
                  WSASocketW(naf, ntype, nproto, NULL, 0,
                             WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT));
  if (s == INVALID_SOCKET) return bsdsock__fail_os();
  /* V6ONLY is 1 by default on Windows already; set it anyway so that the
   * documented default does not depend on a registry setting. */
  rc = 0;
  if (naf == AF_INET6 &&
      BSDSOCK__OS(sockdefault, SOCKET_ERROR,
                  setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&one,
                             sizeof(one))) != 0)
    rc = bsdsock__fail_os();
  if (rc == 0 && nonblock) rc = set_fionbio(s, 1);
  if (rc != 0) {
    closesocket(s);
    return rc;
  }
  *out = s;
  return 0;
}

int bsdsock__os_bind(SOCKET s, const struct sockaddr *sa, int len) {
  if (BSDSOCK__OS(bind, SOCKET_ERROR, bind(s, sa, len)) != 0)
    return bsdsock__fail_os();
  return 0;
}

int bsdsock__os_listen(SOCKET s, int backlog) {
  if (BSDSOCK__OS(listen, SOCKET_ERROR, listen(s, backlog)) != 0)
    return bsdsock__fail_os();
  return 0;
}

int bsdsock__os_accept(int fd, SOCKET s, struct sockaddr_storage *ss,
                       int *len, SOCKET *out) {
  SOCKET c = BSDSOCK__OS(accept, INVALID_SOCKET,
                         accept(s, (struct sockaddr *)ss, len));
  int rc = 0;
  if (c == INVALID_SOCKET) return bsdsock__fail_os();
  /* An accepted socket inherits the listener's properties, its FIONBIO
   * mode and handle inheritance included; BSD's accept() gives a blocking,
   * (with accept4) non-inheritable socket, and so does bsdsock. */
  if (!BSDSOCK__OS(cloexec, FALSE,
                   SetHandleInformation((HANDLE)c, HANDLE_FLAG_INHERIT, 0)))
    rc = bsdsock__fail_native((int)GetLastError());
  if (rc == 0 && (bsdsock__fd_flags(fd) & BSDSOCK__FD_NONBLOCK))
    rc = set_fionbio(c, 0);
  if (rc != 0) {
    closesocket(c);
    return rc;
  }
  *out = c;
  return 0;
}

int bsdsock__os_connect(int fd, SOCKET s, const struct sockaddr *sa, int len) {
  int e;
  bsdsock__fd_set_error_seen(fd, 0);
  /* A new attempt revives a socket whose last connect failed (the state
   * poll.c reports as hung up, as Linux does). */
  bsdsock__fd_set_flags(fd, 0, BSDSOCK__FD_CONNFAILED);
  if (BSDSOCK__OS(connect, SOCKET_ERROR, connect(s, sa, len)) == 0) return 0;
  e = WSAGetLastError();
  switch (e) {
    /* A non-blocking connect in progress is WSAEWOULDBLOCK on Winsock and
     * EINPROGRESS on BSD (quirk Q18); bsdsock says EINPROGRESS. */
    case WSAEWOULDBLOCK:
      bsdsock__fd_set_flags(fd, BSDSOCK__FD_CONNECTING, 0);
      bsdsock__fail_native(e);
      return BSDSOCK_EINPROGRESS;
    /* A second connect while one is pending: WSAEALREADY or WSAEINVAL on
     * Winsock (quirk Q19; libevent and NSPR treat WSAEINVAL the same). */
    case WSAEINVAL:
      bsdsock__fail_native(e);
      return (bsdsock__fd_flags(fd) & BSDSOCK__FD_CONNECTING)
                 ? BSDSOCK_EALREADY
                 : BSDSOCK_EINVAL;
    default:
      /* connect() itself reported the failure, so SO_ERROR must not
       * report it again (BSD: read and clear). Windows reads 0 here
       * already; Wine keeps the error (quirk Q22). */
      bsdsock__fd_set_error_seen(fd, e);
      return bsdsock__fail_native(e);
  }
}

int bsdsock__os_shutdown(SOCKET s, int nhow) {
  if (BSDSOCK__OS(shutdown, SOCKET_ERROR, shutdown(s, nhow)) != 0)
    return bsdsock__fail_os();
  return 0;
}

int bsdsock__os_close(int fd) {
  SOCKET s = bsdsock__fd_release(fd);
  u_long off = 0;
  int e;
  if (s == INVALID_SOCKET) return bsdsock__fail(BSDSOCK_EBADF);
  if (BSDSOCK__OS(close, SOCKET_ERROR, closesocket(s)) == 0) return 0;
  /* A non-blocking socket with a linger time cannot close at once and
   * stays open (WSAEWOULDBLOCK, MS closesocket docs); its number is gone
   * already, so it is closed the blocking way, as BSD's close() does. */
  e = WSAGetLastError();
  if (e == WSAEWOULDBLOCK && ioctlsocket(s, FIONBIO, &off) == 0 &&
      closesocket(s) == 0)
    return 0;
  return bsdsock__fail_native(e);
}

int bsdsock__os_name(SOCKET s, int peer, struct sockaddr_storage *ss,
                     int *len) {
  int rc = peer ? BSDSOCK__OS(getpeername, SOCKET_ERROR,
                              getpeername(s, (struct sockaddr *)ss, len))
                : BSDSOCK__OS(getsockname, SOCKET_ERROR,
                              getsockname(s, (struct sockaddr *)ss, len));
  return rc != 0 ? bsdsock__fail_os() : 0;
}

int bsdsock__os_set_nonblocking(int fd, SOCKET s, int on) {
  int rc = set_fionbio(s, on);
  if (rc != 0) return rc;
  /* Winsock cannot report the mode (quirk Q41), so bsdsock remembers it. */
  bsdsock__fd_set_flags(fd, on ? BSDSOCK__FD_NONBLOCK : 0,
                        on ? 0 : BSDSOCK__FD_NONBLOCK);
  return 0;
}

int bsdsock__os_get_nonblocking(int fd, SOCKET s) {
  (void)s;
  return (bsdsock__fd_flags(fd) & BSDSOCK__FD_NONBLOCK) ? 1 : 0;
}

/* ---- state, for the failure paths ---------------------------------------- */

/* The descriptor table only holds open sockets, so a SOCKET that came
 * from it is one. */
int bsdsock__os_check(SOCKET s) {
  return s != INVALID_SOCKET ? 0 : BSDSOCK_EBADF;
}

int bsdsock__os_listening(SOCKET s) {
  int v = 0, len = sizeof(v), e = WSAGetLastError();
  int rc = getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, (char *)&v, &len) == 0 && v;
  WSASetLastError(e);
  return rc;
}

int bsdsock__os_sockstate(SOCKET s, struct bsdsock__sockstate *st) {
  WSAPROTOCOL_INFOW info;
  struct sockaddr_storage ss;
  int len = sizeof(info), e = WSAGetLastError();
  memset(st, 0, sizeof(*st));
  /* The family and type come from the protocol information: Winsock's
   * getsockname() fails on a socket that is not bound. */
  if (getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len) != 0) {
    WSASetLastError(e);
    return BSDSOCK_EBADF;
  }
  bsdsock__const_from_native(BSDSOCK_CONST_AF, info.iAddressFamily,
                             &st->family);
  bsdsock__const_from_native(BSDSOCK_CONST_SOCKTYPE, info.iSocketType,
                             &st->type);
  len = sizeof(ss);
  if (getsockname(s, (struct sockaddr *)&ss, &len) == 0)
    st->bits |= BSDSOCK__ST_BOUND;
  if (bsdsock__os_listening(s)) st->bits |= BSDSOCK__ST_LISTENING;
  len = sizeof(ss);
  if (getpeername(s, (struct sockaddr *)&ss, &len) == 0)
    st->bits |= BSDSOCK__ST_CONNECTED;
  WSASetLastError(e);
  return 0;
}

/* ---- data: Winsock's spellings ------------------------------------------- */

/* Winsock reports some conditions with codes that BSD spells differently;
 * these give the BSD answer the header documents. The native code is kept
 * for bsdsock_last_native_error() either way. */
int bsdsock__os_send_error(int fd) {
  int e = WSAGetLastError();
  int portable = bsdsock__fail_native(e);
  switch (e) {
    /* A send after the local shutdown(SD_SEND) is EPIPE on BSD (libuv maps
     * WSAESHUTDOWN the same way; quirk Q16, fault F10). */
    case WSAESHUTDOWN: return BSDSOCK_EPIPE;
    /* An aborted connection is "peer gone", ECONNRESET on BSD (F8). */
    case WSAECONNABORTED: return BSDSOCK_ECONNRESET;
    /* SO_SNDTIMEO expiring is EAGAIN on BSD; Winsock says WSAETIMEDOUT. */
    case WSAETIMEDOUT:
      return (bsdsock__fd_flags(fd) & BSDSOCK__FD_SNDTIMEO) ? BSDSOCK_EAGAIN
                                                            : portable;
    default: return portable;
  }
}

bsdsock_ssize_t bsdsock__os_recv_error(int fd, size_t len) {
  int e = WSAGetLastError();
  int portable = bsdsock__fail_native(e);
  switch (e) {
    /* A datagram longer than the buffer: BSD returns it truncated, Winsock
     * fills the buffer and fails with WSAEMSGSIZE (quirk Q50, fault F15). */
    case WSAEMSGSIZE: return (bsdsock_ssize_t)BSDSOCK__WSALEN(len);
    /* After shutdown(SHUT_RD) BSD reads end-of-stream; Winsock fails. */
    case WSAESHUTDOWN: return 0;
    case WSAETIMEDOUT:
      return (bsdsock__fd_flags(fd) & BSDSOCK__FD_RCVTIMEO) ? BSDSOCK_EAGAIN
                                                            : portable;
    case WSAECONNABORTED: return BSDSOCK_ECONNRESET;
    /* bsdsock's only overlapped calls are those that must not wait, which
     * wait for their own end (msg.c, nowait); a receive that reports its
     * operation aborted is a blocking one that another thread's cancel of
     * such a call took along (AFD may end every pending receive of the
     * socket), and it is issued again, as an interrupted call is. */
    case WSA_OPERATION_ABORTED: return BSDSOCK_EINTR;
    default: return portable;
  }
}

/* ---- pairs --------------------------------------------------------------- */

/* Winsock has no socketpair(), for any family (quirk Q54): the shared
 * layer builds the pair through a listener. */
int bsdsock__os_socketpair(int naf, int ntype, int nproto, int nonblock,
                           SOCKET out[2]) {
  (void)naf;
  (void)ntype;
  (void)nproto;
  (void)nonblock;
  (void)out;
  return bsdsock__fail(BSDSOCK_EOPNOTSUPP);
}

int bsdsock__os_temp_path(char *buf, size_t size, const char *tag) {
  static volatile LONG counter;
  char dir[MAX_PATH + 1];
  DWORD len = BSDSOCK__OS(tmpdir, 0, GetTempPathA(sizeof(dir), dir));
  int n;
  /* No temporary directory: the current one, which the process can
   * usually write too (the pair fails cleanly at bind() if not). */
  if (len == 0 || len >= sizeof(dir)) strcpy(dir, ".\\");
  n = snprintf(buf, size, "%sbsdsock-%lu-%ld-%llu-%s", dir,
               (unsigned long)GetCurrentProcessId(),
               (long)InterlockedIncrement(&counter),
               (unsigned long long)(GetTickCount64() % 1000000u), tag);
  if (n < 0 || (size_t)n >= size) return bsdsock__fail(BSDSOCK_ENAMETOOLONG);
  /* A stale file of that name would make bind() fail; none is the usual
   * case, so a failure here is not an error. */
  (void)BSDSOCK__OS(unlink, FALSE, DeleteFileA(buf));
  return 0;
}

/* Nothing to report if it fails: the pair is made (or not) already, and
 * the name is one no other call uses again. */
void bsdsock__os_remove_path(const char *path) {
  (void)BSDSOCK__OS(unlink, FALSE, DeleteFileA(path));
}

void bsdsock__os_close_sock(SOCKET s) {
  closesocket(s);
}
