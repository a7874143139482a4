/* SPDX-License-Identifier: MIT */
/*
 * src/misuse.c - one answer for a call made in the wrong state.
 *
 * Both kernels check the descriptor first and then their own way; Winsock
 * and Linux disagree on what to say about a send on a socket that never
 * connected, a listen on an unbound one, a TCP option on a UDP socket and
 * more (docs/design.md, "Misuse", has the table and the reasons). This
 * file decides once, for every backend:
 *
 *  - bsdsock__arg_fail(): an argument error loses to a bad descriptor;
 *  - bsdsock__misuse(): a failed call is turned into the code the socket's
 *    state calls for, by the table below.
 *
 * Both run on failure paths only, so a call that works pays nothing, and
 * neither touches the hot failures (EAGAIN, EINPROGRESS), which event loops
 * see all the time.
 */
#include "internal.h"

int bsdsock__arg_fail(bsdsock__sock_t s, int err) {
  if (bsdsock__os_check(s) != 0) return bsdsock__fail(BSDSOCK_EBADF);
  return bsdsock__fail(err);
}

int bsdsock__data_args(int fd, int flags, bsdsock__sock_t *s, int *nflags) {
  *s = bsdsock__fd_get(fd);
  if (!BSDSOCK__SOCK_OK(*s)) return bsdsock__fail(BSDSOCK_EBADF);
  if (bsdsock__msg_to_native(flags, nflags) != 0)
    return bsdsock__arg_fail(*s, BSDSOCK_EINVAL);
  return 0;
}

int bsdsock__addr_args(int fd, const bsdsock_addr_t *addr, bsdsock__sock_t *s,
                       struct sockaddr_storage *ss, bsdsock__socklen_t *len) {
  int rc;
  *s = bsdsock__fd_get(fd);
  if (!BSDSOCK__SOCK_OK(*s)) return bsdsock__fail(BSDSOCK_EBADF);
  if (addr == NULL) return bsdsock__arg_fail(*s, BSDSOCK_EINVAL);
  rc = bsdsock__addr_to_sockaddr(addr, ss, len);
  return rc != 0 ? bsdsock__arg_fail(*s, rc) : 0;
}

/* State bits the rules test: the OS's (os.h: BOUND, LISTENING, CONNECTED)
 * and these, which the shared layer adds. */
enum {
  ST_BOUND = BSDSOCK__ST_BOUND,
  ST_LISTENING = BSDSOCK__ST_LISTENING,
  ST_CONNECTED = BSDSOCK__ST_CONNECTED,
  ST_STREAM = 1u << 8,      /* SOCK_STREAM (or SEQPACKET) */
  ST_DGRAM = 1u << 9,       /* SOCK_DGRAM (or RAW) */
  ST_EVERCONN = 1u << 10,   /* connect() reached the network, or accepted */
  ST_DEST = 1u << 11,       /* the call names a destination address */
  ST_OOB = 1u << 12         /* the call asks for urgent data */
};

/* Failure codes a rule may rewrite: these classes, or one code. */
enum {
  F_ANY = 0,                /* whatever the OS said */
  F_NOPEER = 1              /* the ways the OSes say "no peer" */
};

static int is_nopeer(int rc) {
  return rc == BSDSOCK_EPIPE || rc == BSDSOCK_ENOTCONN ||
         rc == BSDSOCK_ECONNRESET || rc == BSDSOCK_ESHUTDOWN ||
         rc == BSDSOCK_EINVAL || rc == BSDSOCK_EDESTADDRREQ;
}

/* X(call, need, deny, from, result): when `call` failed with a code of
 * class `from` (or the code `from`) on a socket whose state has every bit
 * of `need` and none of `deny`, the result is `result` (0: success). The
 * first matching row wins. docs/design.md has this table in prose, with
 * each row's reason. */
#define BSDSOCK__MISUSE_MAP(X)                                               \
  /* send-side: no peer */                                                   \
  X(SEND, ST_STREAM | ST_LISTENING, 0, F_ANY, BSDSOCK_ENOTCONN)              \
  X(SEND, ST_STREAM, ST_CONNECTED | ST_EVERCONN, F_NOPEER, BSDSOCK_ENOTCONN) \
  X(SEND, ST_STREAM | ST_EVERCONN, ST_CONNECTED, F_NOPEER,                    \
    BSDSOCK_ECONNRESET)                                                        \
  X(SEND, ST_DGRAM, ST_CONNECTED | ST_DEST, F_NOPEER, BSDSOCK_EDESTADDRREQ)  \
  /* receive-side */                                                         \
  X(RECV, ST_STREAM | ST_LISTENING, 0, F_ANY, BSDSOCK_ENOTCONN)              \
  X(RECV, ST_STREAM, ST_CONNECTED | ST_EVERCONN, F_ANY, BSDSOCK_ENOTCONN)    \
  X(RECV, ST_DGRAM, ST_BOUND, BSDSOCK_EINVAL, BSDSOCK_EAGAIN)                \
  X(RECV, ST_STREAM | ST_OOB, 0, BSDSOCK_EAGAIN, BSDSOCK_EINVAL)             \
  /* connection set-up */                                                    \
  X(LISTEN, ST_DGRAM, 0, F_ANY, BSDSOCK_EOPNOTSUPP)                          \
  X(LISTEN, ST_STREAM | ST_CONNECTED, 0, F_ANY, BSDSOCK_EINVAL)              \
  X(ACCEPT, ST_DGRAM, 0, F_ANY, BSDSOCK_EOPNOTSUPP)                          \
  X(ACCEPT, ST_STREAM, ST_LISTENING, F_ANY, BSDSOCK_EINVAL)                  \
  X(CONNECT, ST_STREAM | ST_LISTENING, 0, F_ANY, BSDSOCK_EISCONN)            \
  X(CONNECT, ST_STREAM | ST_CONNECTED, 0, F_ANY, BSDSOCK_EISCONN)            \
  X(SHUTDOWN, ST_STREAM, ST_CONNECTED, F_ANY, BSDSOCK_ENOTCONN)              \
  X(SHUTDOWN, ST_DGRAM, ST_CONNECTED, F_NOPEER, 0)                           \
  X(GETPEERNAME, 0, ST_CONNECTED, F_ANY, BSDSOCK_ENOTCONN)

struct rule {
  enum bsdsock__call call;
  unsigned need, deny;
  int from;
  int result;
};

static const struct rule rules[] = {
#define BSDSOCK__RULE(call, need, deny, from, result)                        \
  {BSDSOCK__CALL_##call, need, deny, from, result},
    BSDSOCK__MISUSE_MAP(BSDSOCK__RULE)
#undef BSDSOCK__RULE
};

/* Failures that say nothing about misuse and come often in a working
 * program (an event loop's EAGAIN, every non-blocking connect's
 * EINPROGRESS): passed on without asking the OS anything. */
static int is_routine(int rc) {
  return rc == BSDSOCK_EAGAIN || rc == BSDSOCK_EINPROGRESS ||
         rc == BSDSOCK_EALREADY || rc == BSDSOCK_EINTR;
}

/* Whether an option for sockets `on` (BSDSOCK__ON_*) makes sense on this
 * socket; one that does not (TCP's on a UDP socket, IPv6's on an IPv4 one,
 * multicast on TCP) is ENOPROTOOPT, Linux's usual answer (Winsock says
 * WSAEINVAL or WSAENOPROTOOPT depending on the option, Linux EPROTO for
 * multicast on TCP). */
static int fits(int on, const struct bsdsock__sockstate *st) {
  if ((on & BSDSOCK__ON_STREAM) && st->type != BSDSOCK_SOCK_STREAM) return 0;
  if ((on & BSDSOCK__ON_DGRAM) && st->type != BSDSOCK_SOCK_DGRAM) return 0;
  if ((on & BSDSOCK__ON_IP6) && st->family != BSDSOCK_AF_INET6) return 0;
  if ((on & BSDSOCK__ON_IP) && st->family != BSDSOCK_AF_INET &&
      st->family != BSDSOCK_AF_INET6)
    return 0;
  return 1;
}

int bsdsock__opt_fits(bsdsock__sock_t s, int on) {
  struct bsdsock__sockstate st;
  if (bsdsock__os_sockstate(s, &st) != 0) return BSDSOCK_EBADF;
  return fits(on, &st) ? 0 : BSDSOCK_ENOPROTOOPT;
}

int bsdsock__misuse(enum bsdsock__call call, int fd, bsdsock__sock_t s,
                    int rc, const bsdsock_addr_t *addr, int arg) {
  struct bsdsock__sockstate st;
  unsigned bits;
  size_t i;
  /* The descriptor first: a number that is not an open socket is EBADF,
   * whatever the OS called it (Linux: ENOTSOCK for a file). */
  if (rc == BSDSOCK_EBADF || rc == BSDSOCK_ENOTSOCK) return BSDSOCK_EBADF;
  /* Urgent data asked for and none there: BSD and Linux say EINVAL,
   * Winsock WSAEWOULDBLOCK; not the routine EAGAIN of an empty queue. */
  if (is_routine(rc) &&
      !(call == BSDSOCK__CALL_RECV && (arg & BSDSOCK_MSG_OOB) &&
        rc == BSDSOCK_EAGAIN))
    return rc;
  if (bsdsock__os_sockstate(s, &st) != 0) return BSDSOCK_EBADF;
  /* Then the address: one of another family than the socket's fails with
   * whatever each stack checks first (Linux: EAFNOSUPPORT, EINVAL or
   * ENETUNREACH; Winsock: WSAEFAULT; Wine: WSAEOPNOTSUPP). */
  if (addr != NULL && st.family != 0 && addr->family != st.family)
    return BSDSOCK_EAFNOSUPPORT;
  if (call == BSDSOCK__CALL_SOCKOPT)
    return fits(arg, &st) ? rc : BSDSOCK_ENOPROTOOPT;
  bits = st.bits;
  if (st.type == BSDSOCK_SOCK_STREAM || st.type == BSDSOCK_SOCK_SEQPACKET)
    bits |= ST_STREAM;
  if (st.type == BSDSOCK_SOCK_DGRAM || st.type == BSDSOCK_SOCK_RAW)
    bits |= ST_DGRAM;
  if (bsdsock__fd_flags(fd) & BSDSOCK__FD_EVERCONN) bits |= ST_EVERCONN;
  if (addr != NULL) bits |= ST_DEST;
  if (call == BSDSOCK__CALL_RECV && (arg & BSDSOCK_MSG_OOB)) bits |= ST_OOB;
  for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
    const struct rule *r = &rules[i];
    if (r->call == call && (bits & r->need) == r->need &&
        (bits & r->deny) == 0 && (r->from == F_ANY || r->from == rc ||
         (r->from == F_NOPEER && is_nopeer(rc))))
      return r->result;
  }
  return rc;
}
