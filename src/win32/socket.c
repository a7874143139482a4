/*
 * src/win32/socket.c - socket lifecycle and data calls on Winsock.
 *
 * Descriptors are looked up in the lock-free table of fdtable.c; the hot
 * path is that lookup plus the plain send()/recv() call, and the error
 * translation (with the Winsock-to-BSD fix-ups below) runs on failure only.
 */
#include "../internal.h"

#include <stdlib.h>

/* ---- start-up ---------------------------------------------------------- */

/* WSAStartup is reference-counted per process; bsdsock takes exactly one
 * reference, lazily and once (InitOnce), and gives it back once, so it
 * never unbalances another library's count (brainflow#595, quirk Q43). */
static INIT_ONCE startup_once = INIT_ONCE_STATIC_INIT;
static int startup_error;       /* WSAStartup's result, 0 on success */
static volatile LONG started;   /* 1 while bsdsock holds its reference */

static BOOL CALLBACK startup_cb(PINIT_ONCE once, PVOID param, PVOID *ctx) {
  WSADATA data;
  (void)once;
  (void)param;
  (void)ctx;
  startup_error = WSAStartup(MAKEWORD(2, 2), &data);
  if (startup_error == 0) {
    InterlockedExchange(&started, 1);
    atexit(bsdsock_cleanup);
  }
  return TRUE;
}

int bsdsock__startup(void) {
  InitOnceExecuteOnce(&startup_once, startup_cb, NULL, NULL);
  return startup_error ? bsdsock__fail_native(startup_error) : 0;
}

int bsdsock_init(void) {
  return bsdsock__startup();
}

void bsdsock_cleanup(void) {
  if (InterlockedExchange(&started, 0) == 1) WSACleanup();
}

const char *bsdsock_backend(void) {
  return "win32";
}

/* ---- error fix-ups --------------------------------------------------------
 * Winsock reports some conditions with codes that BSD spells differently;
 * these give the BSD answer the header documents. The native code is kept
 * for bsdsock_last_native_error() either way. */

static int send_error(int fd) {
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

/* Receive-side failures: returns the bytes to report (>= 0) for conditions
 * BSD reports as data, or a negative error. */
static bsdsock_ssize_t recv_error(int fd, size_t len) {
  int e = WSAGetLastError();
  int portable = bsdsock__fail_native(e);
  switch (e) {
    /* A datagram longer than the buffer: BSD returns it truncated, Winsock
     * fills the buffer and fails with WSAEMSGSIZE (quirk Q50, fault F15). */
    case WSAEMSGSIZE: return (bsdsock_ssize_t)len;
    /* After shutdown(SHUT_RD) BSD reads end-of-stream; Winsock fails. */
    case WSAESHUTDOWN: return 0;
    case WSAETIMEDOUT:
      return (bsdsock__fd_flags(fd) & BSDSOCK__FD_RCVTIMEO) ? BSDSOCK_EAGAIN
                                                            : portable;
    case WSAECONNABORTED: return BSDSOCK_ECONNRESET;
    default: return portable;
  }
}

/* ---- sockets ------------------------------------------------------------- */

static int set_fionbio(SOCKET s, int on) {
  u_long v = on ? 1 : 0;
  return ioctlsocket(s, FIONBIO, &v) == 0 ? 0 : bsdsock__fail_os();
}

int bsdsock_socket(int family, int type, int protocol) {
  int naf, ntype, nproto, rc, one = 1;
  unsigned flags = 0;
  SOCKET s;
  rc = bsdsock__socket_args(family, type, protocol, &naf, &ntype, &nproto);
  if (rc != 0) return rc;
  rc = bsdsock__startup();
  if (rc != 0) return rc;
  /* Never inheritable (quirk Q42): handle inheritance is the Windows
   * equivalent of a missing SOCK_CLOEXEC. */
  s = WSASocketW(naf, ntype, nproto, NULL, 0,
                 WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
  if (s == INVALID_SOCKET) return bsdsock__fail_os();
  /* V6ONLY is 1 by default on Windows already; set it anyway so that the
   * documented default does not depend on a registry setting. */
  if (naf == AF_INET6 && setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY,
                                    (const char *)&one, sizeof(one)) != 0)
    goto fail;
  if (type & BSDSOCK_SOCK_NONBLOCK) {
    if (set_fionbio(s, 1) != 0) goto fail;
    flags |= BSDSOCK__FD_NONBLOCK;
  }
  return bsdsock__fd_alloc(s, flags);
fail:
  rc = bsdsock__fail_os();
  closesocket(s);
  return rc;
}

/* The socket's native address family, or AF_UNSPEC if it cannot be told.
 * Winsock's getsockname() fails on an unbound socket, so the family comes
 * from the protocol information instead. */
static int socket_family(SOCKET s) {
  WSAPROTOCOL_INFOW info;
  int len = sizeof(info);
  if (getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len) != 0)
    return AF_UNSPEC;
  return info.iAddressFamily;
}

/* rc is the portable code of a failed bind/connect/sendto to addr. An
 * address of another family than the socket's fails with whatever the
 * stack checks first (Winsock's bind docs: WSAEFAULT; Wine: WSAEOPNOTSUPP,
 * or Linux's ENETUNREACH for sendto() from an IPv6-only socket to an IPv4
 * address); bsdsock says EAFNOSUPPORT everywhere. Runs on failure only;
 * the native code stays as recorded. */
static int addr_error(int rc, SOCKET s, const bsdsock_addr_t *addr) {
  int naf, saf;
  if (addr == NULL || (rc != BSDSOCK_EINVAL && rc != BSDSOCK_EOPNOTSUPP &&
                       rc != BSDSOCK_EFAULT && rc != BSDSOCK_ENETUNREACH))
    return rc;
  saf = socket_family(s);
  if (saf == AF_UNSPEC ||
      bsdsock_const_to_native(BSDSOCK_CONST_AF, addr->family, &naf) != 0)
    return rc;
  return naf != saf ? BSDSOCK_EAFNOSUPPORT : rc;
}

int bsdsock_bind(int fd, const bsdsock_addr_t *addr) {
  struct sockaddr_storage ss;
  int len, rc;
  SOCKET s;
  BSDSOCK__GET_SOCKET(s, fd);
  if (addr == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  rc = bsdsock__addr_to_sockaddr(addr, &ss, &len);
  /* The conversion records nothing: an unusable address is an argument
   * error with no native code behind it. */
  if (rc != 0) return bsdsock__fail(rc);
  if (bind(s, (struct sockaddr *)&ss, len) != 0)
    return addr_error(bsdsock__fail_os(), s, addr);
  return 0;
}

int bsdsock_listen(int fd, int backlog) {
  SOCKET s;
  BSDSOCK__GET_SOCKET(s, fd);
  if (backlog <= 0) backlog = SOMAXCONN;
  if (listen(s, backlog) != 0) return bsdsock__fail_os();
  return 0;
}

int bsdsock_accept(int fd, bsdsock_addr_t *peer) {
  struct sockaddr_storage ss;
  int len = sizeof(ss), nfd;
  SOCKET s, c;
  BSDSOCK__GET_SOCKET(s, fd);
  c = accept(s, (struct sockaddr *)&ss, &len);
  if (c == INVALID_SOCKET) return bsdsock__fail_os();
  /* An accepted socket inherits the listener's properties, its FIONBIO
   * mode and handle inheritance included; BSD's accept() gives a blocking,
   * (with accept4) non-inheritable socket, and so does bsdsock. */
  SetHandleInformation((HANDLE)c, HANDLE_FLAG_INHERIT, 0);
  if ((bsdsock__fd_flags(fd) & BSDSOCK__FD_NONBLOCK) && set_fionbio(c, 0)) {
    nfd = bsdsock__fail_os();
    closesocket(c);
    return nfd;
  }
  nfd = bsdsock__fd_alloc(c, 0);
  if (nfd >= 0 && peer != NULL &&
      bsdsock__addr_from_sockaddr(peer, (struct sockaddr *)&ss, (size_t)len))
    memset(peer, 0, sizeof(*peer));
  return nfd;
}

int bsdsock_connect(int fd, const bsdsock_addr_t *addr) {
  struct sockaddr_storage ss;
  int len, rc, e;
  SOCKET s;
  BSDSOCK__GET_SOCKET(s, fd);
  if (addr == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  rc = bsdsock__addr_to_sockaddr(addr, &ss, &len);
  if (rc != 0) return bsdsock__fail(rc);
  bsdsock__fd_set_error_seen(fd, 0);
  /* A new attempt revives a socket whose last connect failed (the state
   * poll.c reports as hung up, as Linux does). */
  bsdsock__fd_set_flags(fd, 0, BSDSOCK__FD_CONNFAILED);
  if (connect(s, (struct sockaddr *)&ss, len) == 0) return 0;
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
      if (bsdsock__fd_flags(fd) & BSDSOCK__FD_CONNECTING) {
        bsdsock__fail_native(e);
        return BSDSOCK_EALREADY;
      }
      return addr_error(bsdsock__fail_native(e), s, addr);
    default:
      /* connect() itself reported the failure, so SO_ERROR must not
       * report it again (BSD: read and clear). Windows reads 0 here
       * already; Wine keeps the error (its test_connect marks this
       * todo_wine, quirk Q22). */
      bsdsock__fd_set_error_seen(fd, e);
      return addr_error(bsdsock__fail_native(e), s, addr);
  }
}

int bsdsock_shutdown(int fd, int how) {
  int nhow;
  SOCKET s;
  BSDSOCK__GET_SOCKET(s, fd);
  if (bsdsock_const_to_native(BSDSOCK_CONST_SHUT, how, &nhow) != 0)
    return bsdsock__fail(BSDSOCK_EINVAL);
  if (shutdown(s, nhow) != 0) return bsdsock__fail_os();
  return 0;
}

int bsdsock_close(int fd) {
  SOCKET s = bsdsock__fd_release(fd);
  if (s == INVALID_SOCKET) return bsdsock__fail(BSDSOCK_EBADF);
  if (closesocket(s) != 0) return bsdsock__fail_os();
  return 0;
}

static int name_of(int fd, bsdsock_addr_t *addr,
                   int (WSAAPI *get)(SOCKET, struct sockaddr *, int *)) {
  struct sockaddr_storage ss;
  int len = sizeof(ss);
  SOCKET s;
  BSDSOCK__GET_SOCKET(s, fd);
  if (addr == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  memset(&ss, 0, sizeof(ss));
  if (get(s, (struct sockaddr *)&ss, &len) != 0) return bsdsock__fail_os();
  return bsdsock__addr_from_sockaddr(addr, (struct sockaddr *)&ss,
                                     (size_t)len);
}

/* getsockname() on a socket that is not bound yet: BSD reports the
 * family's unspecified address with port 0, Winsock fails with WSAEINVAL
 * (MS getsockname docs); bsdsock gives the BSD answer. */
static int unbound_name(SOCKET s, bsdsock_addr_t *addr) {
  int family;
  if (bsdsock_const_from_native(BSDSOCK_CONST_AF, socket_family(s),
                                &family) != 0)
    return bsdsock__fail_native(WSAEINVAL);
  if (family == BSDSOCK_AF_UNIX) {
    memset(addr, 0, sizeof(*addr));
    addr->family = BSDSOCK_AF_UNIX;
    return 0;
  }
  return bsdsock_addr_any(addr, family, 0);
}

int bsdsock_getsockname(int fd, bsdsock_addr_t *addr) {
  int rc = name_of(fd, addr, getsockname);
  if (rc == BSDSOCK_EINVAL && bsdsock_last_native_error() == WSAEINVAL)
    return unbound_name(bsdsock__fd_get(fd), addr);
  return rc;
}

int bsdsock_getpeername(int fd, bsdsock_addr_t *addr) {
  return name_of(fd, addr, getpeername);
}

int bsdsock_set_nonblocking(int fd, int on) {
  SOCKET s;
  int rc;
  BSDSOCK__GET_SOCKET(s, fd);
  rc = set_fionbio(s, on);
  if (rc != 0) return rc;
  /* Winsock cannot report the mode (quirk Q41), so bsdsock remembers it. */
  if (on)
    bsdsock__fd_set_flags(fd, BSDSOCK__FD_NONBLOCK, 0);
  else
    bsdsock__fd_set_flags(fd, 0, BSDSOCK__FD_NONBLOCK);
  return 0;
}

int bsdsock_get_nonblocking(int fd) {
  SOCKET s;
  BSDSOCK__GET_SOCKET(s, fd);
  (void)s;
  return (bsdsock__fd_flags(fd) & BSDSOCK__FD_NONBLOCK) ? 1 : 0;
}

bsdsock_os_sock_t bsdsock_native_handle(int fd) {
  return (bsdsock_os_sock_t)bsdsock__fd_get(fd);
}

/* ---- data: the hot path -------------------------------------------------- */

/* Winsock lengths are int: longer buffers are sent or filled in part, which
 * a stream caller must handle anyway. */
#define CLAMP_LEN(len) ((len) > (size_t)INT_MAX ? INT_MAX : (int)(len))

/* Winsock has no MSG_DONTWAIT; for one call on a blocking socket bsdsock
 * switches FIONBIO on and back off around it. */
struct dontwait {
  SOCKET s;
  int active;
};

static int dontwait_begin(struct dontwait *dw, int fd, SOCKET s, int flags) {
  dw->s = s;
  dw->active = (flags & BSDSOCK_MSG_DONTWAIT) &&
               !(bsdsock__fd_flags(fd) & BSDSOCK__FD_NONBLOCK);
  return dw->active ? set_fionbio(s, 1) : 0;
}

static void dontwait_end(const struct dontwait *dw) {
  int e;
  if (!dw->active) return;
  e = WSAGetLastError();
  set_fionbio(dw->s, 0);
  WSASetLastError(e);
}

bsdsock_ssize_t bsdsock_send(int fd, const void *buf, size_t len, int flags) {
  struct dontwait dw = {INVALID_SOCKET, 0};
  int n, nflags;
  SOCKET s;
  BSDSOCK__GET_SOCKET(s, fd);
  BSDSOCK__DATA_FLAGS(flags, nflags);
  if (BSDSOCK__UNLIKELY(flags != 0) && dontwait_begin(&dw, fd, s, flags))
    return bsdsock__fail_os();
  n = send(s, (const char *)buf, CLAMP_LEN(len), nflags);
  dontwait_end(&dw);
  if (BSDSOCK__UNLIKELY(n == SOCKET_ERROR)) return send_error(fd);
  return n;
}

bsdsock_ssize_t bsdsock_recv(int fd, void *buf, size_t len, int flags) {
  struct dontwait dw = {INVALID_SOCKET, 0};
  int n, nflags;
  SOCKET s;
  BSDSOCK__GET_SOCKET(s, fd);
  BSDSOCK__DATA_FLAGS(flags, nflags);
  if (BSDSOCK__UNLIKELY(flags != 0) && dontwait_begin(&dw, fd, s, flags))
    return bsdsock__fail_os();
  n = recv(s, (char *)buf, CLAMP_LEN(len), nflags);
  dontwait_end(&dw);
  if (BSDSOCK__UNLIKELY(n == SOCKET_ERROR))
    return recv_error(fd, (size_t)CLAMP_LEN(len));
  return n;
}

bsdsock_ssize_t bsdsock_sendto(int fd, const void *buf, size_t len, int flags,
                               const bsdsock_addr_t *addr) {
  struct dontwait dw = {INVALID_SOCKET, 0};
  struct sockaddr_storage ss;
  int n, nflags, sslen = 0, rc;
  SOCKET s;
  BSDSOCK__GET_SOCKET(s, fd);
  BSDSOCK__DATA_FLAGS(flags, nflags);
  if (addr != NULL) {
    rc = bsdsock__addr_to_sockaddr(addr, &ss, &sslen);
    if (rc != 0) return bsdsock__fail(rc);
  }
  if (BSDSOCK__UNLIKELY(flags != 0) && dontwait_begin(&dw, fd, s, flags))
    return bsdsock__fail_os();
  n = sendto(s, (const char *)buf, CLAMP_LEN(len), nflags,
             addr ? (struct sockaddr *)&ss : NULL, sslen);
  dontwait_end(&dw);
  if (BSDSOCK__UNLIKELY(n == SOCKET_ERROR))
    return addr_error(send_error(fd), s, addr);
  return n;
}

bsdsock_ssize_t bsdsock_recvfrom(int fd, void *buf, size_t len, int flags,
                                 bsdsock_addr_t *from) {
  struct dontwait dw = {INVALID_SOCKET, 0};
  struct sockaddr_storage ss;
  int n, nflags, sslen = sizeof(ss);
  SOCKET s;
  BSDSOCK__GET_SOCKET(s, fd);
  BSDSOCK__DATA_FLAGS(flags, nflags);
  if (BSDSOCK__UNLIKELY(flags != 0) && dontwait_begin(&dw, fd, s, flags))
    return bsdsock__fail_os();
  n = recvfrom(s, (char *)buf, CLAMP_LEN(len), nflags,
               from ? (struct sockaddr *)&ss : NULL, from ? &sslen : NULL);
  dontwait_end(&dw);
  if (BSDSOCK__UNLIKELY(n == SOCKET_ERROR)) {
    bsdsock_ssize_t r = recv_error(fd, (size_t)CLAMP_LEN(len));
    if (r < 0) return r;
    n = (int)r;  /* truncated datagram: the sender's address is valid */
  }
  if (from != NULL &&
      bsdsock__addr_from_sockaddr(from, (struct sockaddr *)&ss, (size_t)sslen))
    memset(from, 0, sizeof(*from));
  return n;
}

/* ---- helpers for msg.c (see internal.h) ---------------------------------- */

/* The scatter/gather calls get the same fix-ups and MSG_DONTWAIT emulation
 * as the calls above; these wrap the static versions so that the hot path
 * keeps calling them directly. */
int bsdsock__send_error(int fd) {
  return send_error(fd);
}

bsdsock_ssize_t bsdsock__recv_error(int fd, size_t len) {
  return recv_error(fd, len);
}

int bsdsock__dontwait_begin(int fd, SOCKET s, int flags) {
  struct dontwait dw;
  int rc = dontwait_begin(&dw, fd, s, flags);
  return rc != 0 ? rc : dw.active;
}

void bsdsock__dontwait_end(SOCKET s, int token) {
  struct dontwait dw;
  dw.s = s;
  dw.active = token;
  dontwait_end(&dw);
}
