/* SPDX-License-Identifier: MIT */
/*
 * src/win32/sockopt.c - socket options on Winsock: the portable value
 * types of src/sockopt.c's table (checked there) converted to Winsock's,
 * with the semantic fix-ups the contract asks for.
 */
#include "../internal.h"

#include <mstcpip.h>  /* SIO_KEEPALIVE_VALS */

/* SO_RCVTIMEO/SO_SNDTIMEO are a DWORD of milliseconds on Winsock, 0 meaning
 * "no timeout" (quirk Q47). A sub-millisecond value is rounded up so that
 * it never turns into "no timeout" (socket2's into_ms does the same). The
 * shared layer has clamped sec to BSDSOCK__TIMEO_MAX_SEC, so the product
 * cannot overflow and the result fits below 0xFFFFFFFF (INFINITE). */
static DWORD timeval_to_ms(const bsdsock_timeval_t *t) {
  uint64_t ms = (uint64_t)t->sec * 1000u + ((uint64_t)t->usec + 999u) / 1000u;
  return (DWORD)ms;
}

/* TCP keepalive timing (quirk Q60). Windows 10 1709 and later take
 * TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT as options; older Windows,
 * and Wine, refuse them (WSAENOPROTOOPT or WSAEINVAL). The times can then
 * still be set, both at once and with the on/off switch, through
 * SIO_KEEPALIVE_VALS, which cannot be read back: bsdsock remembers them
 * per descriptor and reports them. The probe count has no such fallback
 * (Windows Vista and later send 10 probes, fixed): setting it fails with
 * the OS's error (BSDSOCK_ENOPROTOOPT), reading it gives 10. */
#define KEEPIDLE_DEFAULT 7200u /* Windows' defaults: 2 hours, */
#define KEEPINTVL_DEFAULT 1u   /* 1 second, */
#define KEEPCNT_FIXED 10       /* 10 probes */

static int no_keepalive_option(int native) {
  return native == WSAENOPROTOOPT || native == WSAEINVAL;
}

/* Sets the keepalive times through SIO_KEEPALIVE_VALS: name's (a
 * BSDSOCK_TCP_KEEP* time, or 0 for none) to sec, the other as remembered;
 * on < 0 keeps SO_KEEPALIVE as it is. */
static int keepalive_vals(int fd, SOCKET s, int name, unsigned sec, int on) {
  struct tcp_keepalive ka;
  DWORD got = 0;
  unsigned idle, intvl;
  bsdsock__fd_keepalive(fd, &idle, &intvl);
  if (idle == 0) idle = KEEPIDLE_DEFAULT;
  if (intvl == 0) intvl = KEEPINTVL_DEFAULT;
  if (name == BSDSOCK_TCP_KEEPIDLE) idle = sec;
  if (name == BSDSOCK_TCP_KEEPINTVL) intvl = sec;
  if (on < 0) {
    int v = 0, len = sizeof(v);
    if (BSDSOCK__OS(getsockopt, SOCKET_ERROR,
                    getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (char *)&v,
                               &len)) != 0)
      return bsdsock__fail_os();
    on = v != 0;
  }
  ka.onoff = (ULONG)on;
  ka.keepalivetime = idle * 1000u;
  ka.keepaliveinterval = intvl * 1000u;
  if (BSDSOCK__OS(keepalive, SOCKET_ERROR,
                  WSAIoctl(s, SIO_KEEPALIVE_VALS, &ka, sizeof(ka), NULL, 0,
                           &got, NULL, NULL)) != 0)
    return bsdsock__fail_os();
  bsdsock__fd_set_keepalive(fd, idle, intvl);
  return 0;
}

int bsdsock__os_setsockopt(int fd, SOCKET s, const struct bsdsock__optdesc *d,
                           const void *value) {
  struct linger lg;
  struct ip_mreq mr;
  struct ipv6_mreq mr6;
  DWORD ms = 0;
  const void *nv = value;
  int nlen = sizeof(int), iv, nname = d->native_name;
  switch (d->type) {
    case BSDSOCK__OPT_REUSEADDR:
      /* Winsock's SO_REUSEADDR lets any later socket take over a live port
       * (cpp-httplib#2584, poco#3380). "Reuse" in bsdsock means "rebind
       * over TIME_WAIT, never share a live port", which on Windows is
       * SO_EXCLUSIVEADDRUSE: TIME_WAIT does not block a bind there, and the
       * exclusive flag stops port stealing (MS docs, "Using SO_REUSEADDR and
       * SO_EXCLUSIVEADDRUSE"; quirk Q46). */
      nname = SO_EXCLUSIVEADDRUSE;
      /* fall through */
    case BSDSOCK__OPT_BOOL:
      iv = *(const int *)value != 0;
      nv = &iv;
      break;
    case BSDSOCK__OPT_LINGER: {
      const bsdsock_linger_t *l = (const bsdsock_linger_t *)value;
      lg.l_onoff = (u_short)(l->onoff != 0);
      lg.l_linger = (u_short)l->seconds;
      nv = &lg;
      nlen = sizeof(lg);
      break;
    }
    case BSDSOCK__OPT_TIMEVAL:
      ms = timeval_to_ms((const bsdsock_timeval_t *)value);
      nv = &ms;
      nlen = sizeof(ms);
      break;
    case BSDSOCK__OPT_IN_ADDR:
      nlen = 4;
      break;
    case BSDSOCK__OPT_MREQ: {
      const bsdsock_ip_mreq_t *m = (const bsdsock_ip_mreq_t *)value;
      memcpy(&mr.imr_multiaddr, m->multiaddr, 4);
      memcpy(&mr.imr_interface, m->ifaddr, 4);
      nv = &mr;
      nlen = sizeof(mr);
      break;
    }
    case BSDSOCK__OPT_MREQ6: {
      const bsdsock_ipv6_mreq_t *m = (const bsdsock_ipv6_mreq_t *)value;
      memcpy(&mr6.ipv6mr_multiaddr, m->multiaddr, 16);
      mr6.ipv6mr_interface = m->ifindex;
      nv = &mr6;
      nlen = sizeof(mr6);
      break;
    }
    default:
      break;
  }
  if (BSDSOCK__OS(setsockopt, SOCKET_ERROR,
                  setsockopt(s, d->native_level, nname, (const char *)nv,
                             nlen)) != 0) {
    if (d->type == BSDSOCK__OPT_KEEPTIME &&
        no_keepalive_option(bsdsock__os_error()))
      return keepalive_vals(fd, s, d->name, *(const unsigned *)value, -1);
    return bsdsock__fail_os();
  }
  if (d->name == BSDSOCK_SO_KEEPALIVE && d->level == BSDSOCK_SOL_SOCKET) {
    /* Times set through SIO_KEEPALIVE_VALS go with its switch: set them
     * again with the new state. */
    unsigned idle, intvl;
    bsdsock__fd_keepalive(fd, &idle, &intvl);
    if ((idle != 0 || intvl != 0) && iv)
      return keepalive_vals(fd, s, 0, 0, 1);
  }
  if (d->type == BSDSOCK__OPT_TIMEVAL) {
    /* Remembered so that an expired timeout reads as EAGAIN, as on BSD,
     * rather than Winsock's WSAETIMEDOUT. */
    unsigned bit = d->name == BSDSOCK_SO_RCVTIMEO ? BSDSOCK__FD_RCVTIMEO
                                                  : BSDSOCK__FD_SNDTIMEO;
    bsdsock__fd_set_flags(fd, ms ? bit : 0, ms ? 0 : bit);
  }
  return 0;
}

/* SO_ERROR reads and clears on BSD; Winsock keeps reporting the same
 * error (quirk Q22), so an error already reported reads as 0. */
static int read_and_clear_error(int fd, int native) {
  if (native == 0 || native == bsdsock__fd_error_seen(fd)) return 0;
  bsdsock__fd_set_error_seen(fd, native);
  /* An error while a connect was pending is its failure: poll.c keeps
   * reporting the socket as dead (POLLHUP), as Linux does. */
  bsdsock__fd_set_flags(fd,
                        (bsdsock__fd_flags(fd) & BSDSOCK__FD_CONNECTING)
                            ? BSDSOCK__FD_CONNFAILED
                            : 0,
                        BSDSOCK__FD_CONNECTING);
  return bsdsock_translate_error(native);
}

int bsdsock__os_getsockopt(int fd, SOCKET s, const struct bsdsock__optdesc *d,
                           void *value) {
  union {
    int i;
    DWORD ms;
    struct linger lg;
    struct in_addr in;
  } nv;
  int nlen = sizeof(nv), ptype, nname;
  nname = d->type == BSDSOCK__OPT_REUSEADDR ? SO_EXCLUSIVEADDRUSE
                                            : d->native_name;
  /* Zeroed first: Winsock may write a single byte for a boolean (quirk
   * Q48, seen with IPV6_V6ONLY). */
  memset(&nv, 0, sizeof(nv));
  if (BSDSOCK__OS(getsockopt, SOCKET_ERROR,
                  getsockopt(s, d->native_level, nname, (char *)&nv,
                             &nlen)) != 0) {
    unsigned idle, intvl;
    if ((d->type != BSDSOCK__OPT_KEEPTIME && d->type != BSDSOCK__OPT_KEEPCNT) ||
        !no_keepalive_option(bsdsock__os_error()))
      return bsdsock__fail_os();
    /* No keepalive options (see keepalive_vals): what bsdsock set, else
     * Windows' defaults. */
    bsdsock__fd_keepalive(fd, &idle, &intvl);
    *(int *)value = d->type == BSDSOCK__OPT_KEEPCNT ? KEEPCNT_FIXED
                    : d->name == BSDSOCK_TCP_KEEPIDLE
                        ? (int)(idle ? idle : KEEPIDLE_DEFAULT)
                        : (int)(intvl ? intvl : KEEPINTVL_DEFAULT);
    return 0;
  }
  switch (d->type) {
    case BSDSOCK__OPT_BOOL:
    case BSDSOCK__OPT_REUSEADDR:
      *(int *)value = nv.i != 0;
      break;
    case BSDSOCK__OPT_LINGER: {
      bsdsock_linger_t *l = (bsdsock_linger_t *)value;
      l->onoff = nv.lg.l_onoff != 0;
      l->seconds = nv.lg.l_linger;
      break;
    }
    case BSDSOCK__OPT_TIMEVAL: {
      bsdsock_timeval_t *t = (bsdsock_timeval_t *)value;
      t->sec = nv.ms / 1000u;
      t->usec = (int32_t)(nv.ms % 1000u) * 1000;
      break;
    }
    case BSDSOCK__OPT_ERROR:
      *(int *)value = read_and_clear_error(fd, nv.i);
      break;
    case BSDSOCK__OPT_SOCKTYPE:
      if (bsdsock__const_from_native(BSDSOCK_CONST_SOCKTYPE, nv.i, &ptype))
        return bsdsock__fail(BSDSOCK_EOPNOTSUPP);
      *(int *)value = ptype;
      break;
    case BSDSOCK__OPT_IN_ADDR:
      memcpy(value, &nv.in, 4);
      break;
    default:
      *(int *)value = nv.i;
      break;
  }
  return 0;
}
