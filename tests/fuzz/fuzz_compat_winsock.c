/* SPDX-License-Identifier: MIT */
/*
 * fuzz_compat_winsock.c - libFuzzer target for the error state of the
 * Winsock-on-Linux layer (fuzz target Z8 of docs/quirks.md;
 * include/bsdsock/compat_winsock.h, src/compat/winsock/api.c).
 *
 * Each input is a sequence of up to 64 calls of the drop-in layer's
 * functions, by their bsdsock_compat_* names, on SOCKET values the target
 * made for the input: a UDP socket, a TCP listener, both ends of a TCP
 * connection, accepted sockets, a closed number, a regular file, and
 * values no descriptor has (INVALID_SOCKET, numbers above INT_MAX). Among
 * them, WSASetLastError() with any value and the system's own shutdown(),
 * which Winsock code on Linux calls directly. Everything stays on
 * loopback, and no call can wait: the sockets time out after a
 * millisecond and select() and WSAPoll() get at most two. Oracles:
 *  - after every failing call WSAGetLastError() is not 0 and agrees with
 *    errno: it is the WSA number of errno's portable code (WSAEWOULDBLOCK
 *    for EINPROGRESS, WSAENOTSOCK for EBADF, WSAESHUTDOWN for EPIPE,
 *    docs/compat.md), or, with errno 0, the call's own Winsock number;
 *  - a value set with WSASetLastError() reads back as it is, and never
 *    outlives a later failing call (unless that call's error is the same);
 *  - each call's documented result: WSAENOTSOCK for a number that is not
 *    an open socket (closesocket, every ioctlsocket command, and the
 *    others unless another argument is bad as well), WSAEFAULT for a
 *    negative length or an address buffer without its length, WSAEINVAL
 *    for an unknown ioctlsocket command or MSG_* bit and for select() with
 *    no socket in any set, which must not wait;
 *  - bad arguments change nothing: a recvfrom() that fails with WSAEFAULT
 *    leaves the datagram queued, an accept() the pending connection, and
 *    nothing makes the file non-blocking or closes it;
 *  - no descriptor leaks from one input to the next.
 */
#define _DEFAULT_SOURCE 1 /* the socket API and SIOCATMARK under -std=c11 */

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <bsdsock/compat_winsock.h>

#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The Winsock numbers the oracle uses (bsdsock/winsock.h spells them). */
enum {
  WSAEFAULT = 10014,
  WSAEINVAL = 10022,
  WSAEWOULDBLOCK = 10035,
  WSAENOTSOCK = 10038,
  WSAESHUTDOWN = 10058,
  WSANOTINITIALISED = 10093
};

#define SOCKET_ERROR (-1)
#define INVALID_SOCKET (~(uintptr_t)0)
#define NSLOTS 12

/* ---- input (fuzz_input.h) ------------------------------------------------- */


/* ---- the SOCKET values of one input -------------------------------------- */

static uintptr_t slots[NSLOTS];
static int nslots;
static struct sockaddr_in udp_addr, listen_addr;
static int file_fd = -1, file_flags;

/* Whether s is an open socket, asked of the kernel directly. */
static int is_socket(uintptr_t s) {
  int type;
  socklen_t len = sizeof(type);
  return s <= INT32_MAX &&
         getsockopt((int)s, SOL_SOCKET, SO_TYPE, &type, &len) == 0;
}

static void add_slot(uintptr_t s) {
  if (nslots < NSLOTS) slots[nslots++] = s;
}

/* Sockets time out after a millisecond, so that no call blocks for long
 * whatever FIONBIO the input sets. */
static void short_timeouts(uintptr_t s) {
  uint32_t ms = 1;
  bsdsock_compat_ws_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &ms, sizeof(ms));
  bsdsock_compat_ws_setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &ms, sizeof(ms));
}

static uintptr_t new_socket(int type, struct sockaddr_in *bound) {
  int fd = socket(AF_INET, type, 0), len = sizeof(*bound);
  if (fd < 0) abort();
  memset(bound, 0, sizeof(*bound));
  bound->sin_family = AF_INET;
  bound->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)bound, sizeof(*bound)) != 0 ||
      bsdsock_compat_ws_getsockname((uintptr_t)fd, (struct sockaddr *)bound,
                                    &len) != 0)
    abort();
  short_timeouts((uintptr_t)fd);
  return (uintptr_t)fd;
}

static void open_slots(void) {
  struct sockaddr_in a;
  uintptr_t u, l, c, closed;
  nslots = 0;
  u = new_socket(SOCK_DGRAM, &udp_addr);
  l = new_socket(SOCK_STREAM, &listen_addr);
  if (listen(l, 8) != 0) abort();
  c = new_socket(SOCK_STREAM, &a);
  if (bsdsock_compat_ws_connect(c, (struct sockaddr *)&listen_addr,
                                sizeof(listen_addr)) != 0)
    abort();
  closed = new_socket(SOCK_DGRAM, &a);
  if (bsdsock_compat_closesocket(closed) != 0) abort();
  add_slot(u);
  add_slot(l);
  add_slot(c);
  add_slot(closed);
  add_slot((uintptr_t)file_fd);
  add_slot(INVALID_SOCKET);
  add_slot((uintptr_t)INT32_MAX + 1);
  add_slot((uintptr_t)-2);
}

static void close_slots(void) {
  int i;
  for (i = 0; i < nslots; i++)
    if (slots[i] != (uintptr_t)file_fd && is_socket(slots[i]))
      close((int)slots[i]);
}

/* ---- the oracle ------------------------------------------------------------ */

/* The Winsock number for errno e, as docs/compat.md describes it. */
static int wsa_of_errno(int e) {
  int p = bsdsock_translate_error(e);
  if (p == BSDSOCK_EINPROGRESS || p == BSDSOCK_EAGAIN) return WSAEWOULDBLOCK;
  if (p == BSDSOCK_EBADF) return WSAENOTSOCK;
  if (p == BSDSOCK_EPIPE) return WSAESHUTDOWN;
  if (p < 0 && p > -100) return 10000 - p;
  if (p == BSDSOCK_EUNKNOWN) return 10107;  /* WSASYSCALLFAILURE */
  return -p;  /* Winsock-only codes keep their number */
}

static int last_set;  /* the last WSASetLastError() value, or -1 */

/* After a call that failed: the error agrees with errno, and with want
 * (0: any, else want or alt). */
static void failed(int want, int alt) {
  int e = errno, w = bsdsock_compat_wsagetlasterror();
  if (w == 0) abort();
  if (e != 0 && w != wsa_of_errno(e)) abort();
  if (e == 0 && w == last_set && last_set != want && last_set != alt) abort();
  if (want != 0 && w != want && w != alt) abort();
  last_set = -1;
}

/* A result that is 0 / a count, or SOCKET_ERROR with the right error. */
static void result(long rc, int want, int alt) {
  if (rc == SOCKET_ERROR) {
    failed(want, alt);
  } else if (want != 0) {
    abort();  /* it had to fail */
  }
}

/* How many bytes s has queued (-1: not a socket or no answer). */
static long queued(uintptr_t s) {
  int n = 0;
  if (!is_socket(s) || ioctl((int)s, FIONREAD, &n) != 0) return -1;
  return n;
}

/* Whether s polls readable now. */
static int readable(uintptr_t s) {
  struct bsdsock_ws_pollfd p = {s, 0x0100 /* POLLRDNORM */, 0};
  int e = errno, r = bsdsock_compat_wsapoll(&p, 1, 0);
  errno = e;
  return r == 1 && (p.revents & 0x0100);
}

/* ---- the calls ------------------------------------------------------------- */


static const int msg_flags[] = {0, 0, MSG_PEEK, MSG_OOB, MSG_DONTWAIT,
                                MSG_WAITALL, 0x40000000};
static const long ioctl_cmds[] = {FIONBIO, FIONREAD, SIOCATMARK, 0x1234};

#define PICK(table, v) table[(v) % (sizeof(table) / sizeof(table[0]))]

/* The Winsock set layout, with room for a few sockets. */
struct ws_set {
  unsigned int fd_count;
  uintptr_t fd_array[4];
};

static void do_select(struct input *in) {
  struct ws_set sets[3];
  struct timeval tv;
  struct bsdsock_ws_fd_set *p[3];
  uint8_t how = (uint8_t)take(in, 1);
  int i, j, total = 0, notsock = 0, rc;
  for (i = 0; i < 3; i++) {
    sets[i].fd_count = (how >> (2 * i)) & 3;
    for (j = 0; j < (int)sets[i].fd_count; j++) {
      sets[i].fd_array[j] = slots[take(in, 1) % nslots];
      if (!is_socket(sets[i].fd_array[j])) notsock = 1;
    }
    total += (int)sets[i].fd_count;
    p[i] = (how & 0x40) && sets[i].fd_count == 0
               ? NULL
               : (struct bsdsock_ws_fd_set *)(void *)&sets[i];
  }
  tv.tv_sec = 0;
  tv.tv_usec = (long)(take(in, 1) % 3) * 1000;
  if (total == 0) {
    /* No socket: WSAEINVAL at once, even without a timeout. */
    rc = bsdsock_compat_ws_select(0, p[0], p[1], p[2],
                                  (how & 0x80) ? NULL : &tv);
    if (rc != SOCKET_ERROR) abort();
    failed(WSAEINVAL, 0);
    return;
  }
  rc = bsdsock_compat_ws_select(0, p[0], p[1], p[2], &tv);
  if (notsock) {
    /* WSAENOTSOCK, and the sets as they were. */
    if (rc != SOCKET_ERROR) abort();
    failed(WSAENOTSOCK, 0);
    for (i = 0; i < 3; i++)
      if (sets[i].fd_count != ((how >> (2 * i)) & 3u)) abort();
  } else {
    result(rc, 0, 0);
    if (rc >= 0 && (unsigned)rc != sets[0].fd_count + sets[1].fd_count +
                                        sets[2].fd_count)
      abort();
  }
}

static void one_call(struct input *in) {
  uint8_t op = (uint8_t)take(in, 1), arg = (uint8_t)take(in, 1);
  uintptr_t s = slots[take(in, 1) % nslots];
  int sock = is_socket(s), flags = PICK(msg_flags, arg), len, rc;
  int bad_flags = flags == 0x40000000;
  int notsock = sock ? 0 : WSAENOTSOCK;
  char buf[64];
  struct sockaddr_in addr;
  unsigned long v = arg & 1;
  long before;
  memset(&addr, 0, sizeof(addr));
  switch (op % 16) {
    case 0: /* closesocket */
      rc = bsdsock_compat_closesocket(s);
      result(rc, notsock, 0);
      break;
    case 1: /* ioctlsocket: the socket first, then argp, then cmd */
      rc = bsdsock_compat_ioctlsocket(s, PICK(ioctl_cmds, arg >> 1),
                                      (arg & 0x80) ? NULL : &v);
      if (!sock)
        result(rc, WSAENOTSOCK, 0);
      else if (arg & 0x80)
        result(rc, WSAEFAULT, 0);
      else if (PICK(ioctl_cmds, arg >> 1) == 0x1234)
        result(rc, WSAEINVAL, 0);
      else
        result(rc, 0, 0);
      break;
    case 2: /* send, with a negative length at times */
      len = (arg & 0x80) ? -1 - (arg & 3) : (int)(arg % sizeof(buf));
      memset(buf, 'x', sizeof(buf));
      rc = bsdsock_compat_ws_send(s, buf, len, flags);
      result(rc, len < 0 ? WSAEFAULT : bad_flags ? WSAEINVAL : notsock,
             notsock);
      break;
    case 3: /* sendto the UDP socket, or with a short or no address */
      addr = udp_addr;
      len = (arg & 0x40) ? (int)(arg % 8) : (int)sizeof(addr);
      rc = bsdsock_compat_ws_sendto(s, "datagram", 8, flags & ~MSG_OOB,
                                    (arg & 0x20) ? NULL
                                                 : (struct sockaddr *)&addr,
                                    len);
      result(rc, flags == 0x40000000    ? WSAEINVAL
                 : !(arg & 0x20) && len < 8 ? WSAEFAULT
                                            : notsock,
             notsock);
      break;
    case 4: /* recv */
      len = (arg & 0x80) ? -1 : (int)(arg % sizeof(buf));
      rc = bsdsock_compat_ws_recv(s, buf, len, flags);
      result(rc, len < 0 ? WSAEFAULT : bad_flags ? WSAEINVAL : notsock,
             notsock);
      break;
    case 5: { /* recvfrom; a bad length takes nothing off the queue */
      int flen = sizeof(addr), *fl = (arg & 0x40) ? NULL : &flen;
      if (arg & 0x20) flen = -1;
      before = queued(s);
      rc = bsdsock_compat_ws_recvfrom(s, buf, (int)sizeof(buf), flags,
                                      (struct sockaddr *)&addr, fl);
      if (fl == NULL || flen < 0) {
        result(rc, WSAEFAULT, notsock);
        if (queued(s) != before) abort();
      } else {
        result(rc, bad_flags ? WSAEINVAL : notsock, notsock);
      }
      break;
    }
    case 6: { /* accept; a bad length takes no connection */
      int alen = sizeof(addr), *al = (arg & 0x40) ? NULL : &alen;
      int was = readable(s);
      uintptr_t c;
      if (arg & 0x20) alen = -1;
      c = bsdsock_compat_ws_accept(s, (struct sockaddr *)&addr, al);
      if (c != INVALID_SOCKET) {
        if (al == NULL || alen < 0 || !sock) abort();
        short_timeouts(c);
        add_slot(c);
        if (nslots == NSLOTS && slots[NSLOTS - 1] != c) close((int)c);
      } else {
        failed(al == NULL || alen < 0 ? WSAEFAULT : notsock, notsock);
        if ((al == NULL || alen < 0) && was && !readable(s)) abort();
      }
      break;
    }
    case 7: /* connect to the listener, or with a short or no address */
      addr = (arg & 1) ? listen_addr : udp_addr;
      len = (arg & 0x40) ? (int)(arg % 8) : (int)sizeof(addr);
      rc = bsdsock_compat_ws_connect(s, (arg & 0x20) ? NULL
                                                     : (struct sockaddr *)&addr,
                                     len);
      result(rc, (arg & 0x20) || len < 8 ? WSAEFAULT : notsock, notsock);
      break;
    case 8: { /* getsockname / getpeername */
      int alen = (arg & 0x20) ? -1 : (int)sizeof(addr);
      int *al = (arg & 0x40) ? NULL : &alen;
      rc = (arg & 1) ? bsdsock_compat_ws_getpeername(s, (struct sockaddr *)&addr,
                                                     al)
                     : bsdsock_compat_ws_getsockname(s, (struct sockaddr *)&addr,
                                                     al);
      result(rc, al == NULL || alen < 0 ? WSAEFAULT : notsock, notsock);
      break;
    }
    case 9: { /* getsockopt, with a short or no length */
      int val = 0, olen = (arg & 0x20) ? 0 : (int)(arg % 2 ? 1 : sizeof(val));
      static const int names[] = {SO_TYPE, SO_ERROR, SO_RCVBUF, SO_KEEPALIVE};
      rc = bsdsock_compat_ws_getsockopt(s, SOL_SOCKET, PICK(names, arg >> 2),
                                        &val, (arg & 0x40) ? NULL : &olen);
      result(rc, (arg & 0x40) || (arg & 0x20) ? WSAEFAULT : notsock, notsock);
      break;
    }
    case 10: { /* setsockopt of options that cannot make a call wait */
      int val = arg & 1;
      static const int names[] = {SO_KEEPALIVE, SO_REUSEADDR, SO_SNDBUF,
                                  SO_RCVBUF};
      len = (arg & 0x40) ? -1 : (int)sizeof(val);
      rc = bsdsock_compat_ws_setsockopt(s, SOL_SOCKET, PICK(names, arg >> 1),
                                        &val, len);
      result(rc, len < 0 ? WSAEFAULT : 0, notsock);
      if (rc == 0 && !sock) abort();
      break;
    }
    case 11:
      do_select(in);
      break;
    case 12: { /* WSAPoll, no wait */
      struct bsdsock_ws_pollfd p[2] = {{s, 0x0110, 0},
                                       {slots[arg % nslots], 0x0100, 0}};
      rc = bsdsock_compat_wsapoll(p, 1 + (arg & 1), 0);
      result(rc, 0, 0);
      break;
    }
    case 13: { /* WSASetLastError: reads back as set, errno agreeing */
      int x = (int)take(in, 2) + ((arg & 1) ? 10000 : 0);
      if (arg & 2) x = -x;
      bsdsock_compat_wsasetlasterror(x);
      if (errno != 0 && wsa_of_errno(errno) != x) abort();
      if (bsdsock_compat_wsagetlasterror() != x) abort();
      if (bsdsock_compat_wsagetlasterror() != x) abort();  /* and again */
      last_set = x;
      break;
    }
    case 14: /* the system's own shutdown(), which Winsock code calls */
      errno = 0;
      if (s <= INT32_MAX && shutdown((int)s, arg % 3) != 0) failed(0, 0);
      break;
    default: /* WSAStartup / WSACleanup, balanced */
      if (arg & 1) {
        struct bsdsock_wsadata d;
        if (bsdsock_compat_wsastartup(0x0202, &d) != 0) abort();
        if (bsdsock_compat_wsacleanup() != 0) abort();
      } else if (arg & 2) {
        /* One cleanup too many: WSANOTINITIALISED, which errno cannot
         * carry. */
        result(bsdsock_compat_wsacleanup(), WSANOTINITIALISED, 0);
      } else if (bsdsock_compat_wsastartup(0x0900, NULL) != 10092) {
        abort();  /* version 0.9: WSAVERNOTSUPPORTED before the NULL data */
      }
      break;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct input in = {data, size};
  int probe, steps = 0;
  if (file_fd < 0) {
    FILE *f = tmpfile();
    if (f == NULL) abort();
    file_fd = fileno(f);
    file_flags = fcntl(file_fd, F_GETFL);
  }
  probe = fcntl(file_fd, F_DUPFD, 0);
  close(probe);
  open_slots();
  last_set = -1;
  while (in.left > 0 && steps++ < 64) one_call(&in);
  close_slots();
  /* The file is still open, and still blocking. */
  if (fcntl(file_fd, F_GETFL) != file_flags) abort();
  /* Nothing leaked: the lowest free descriptor is the one before. */
  if (fcntl(file_fd, F_DUPFD, 0) != probe) abort();
  close(probe);
  return 0;
}
