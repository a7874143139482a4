/* SPDX-License-Identifier: MIT */
/*
 * session.c - one client's session of bsdsockd (docs/wire.md, "A session"
 * and "bsdsockd"): HELLO and the token, then each request decoded,
 * executed with bsdsock on this OS, and answered.
 *
 * Every socket of the session is non-blocking here, whatever the client
 * asked; a call the client wants blocking is a loop of attempts and waits
 * on the socket and the client's connection together, so a client that
 * goes away mid-call ends the call and the session (fault F28) and one
 * session never holds another. The session owns a table of the
 * descriptors it created; any other number is EBADF to it.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsdsock/wire.h>

#include "bsdsockd.h"

/* How long POLLER_WAIT waits at a time before it looks at the client. */
#define SLICE_MS 50
/* Bytes of a frame beyond its data: what RECV's room is cut by. */
#define OVERHEAD 4096

struct owned {
  int fd;
  int nonblock;  /* the mode the client asked for */
  int poller;    /* a poller, not a socket */
};

struct session {
  const struct bsdsockd_config *cfg;
  int conn;
  uint8_t *in;          /* frames read from the client, 2 x max_frame */
  size_t in_len, in_cap;
  uint8_t *out;         /* the response being written */
  uint8_t *scratch;     /* received data */
  size_t room_max;      /* most data one RECV answer carries */
  struct owned *fds;
  int nfds, max_open;
  unsigned long calls, sockets;
  int dead;             /* the session must end */
  int hello;            /* the client said HELLO with the token */
  int64_t hello_by;     /* when it must have */
  const char *why;      /* how it ended */
  char why_buf[64];
  bsdsock_wire_msg_t req, resp;
};

/* ---- the client's connection --------------------------------------------- */

static void end(struct session *s, const char *why) {
  if (!s->dead) {
    s->dead = 1;
    s->why = why;
  }
}

static void error_frame(struct session *s, int code, const char *why);

/* Reads what the connection has (it is readable); ends the session on
 * end of stream, an error, or more frames than the in-flight limit. */
static void read_ahead(struct session *s) {
  bsdsock_ssize_t n;
  size_t off = 0, frame;
  int frames = 0;
  if (s->in_len == s->in_cap) return;
  n = bsdsock_recv(s->conn, s->in + s->in_len, s->in_cap - s->in_len, 0);
  if (n == 0) {
    end(s, "client closed");
    return;
  }
  if (n < 0) {
    if (n != BSDSOCK_EAGAIN && n != BSDSOCK_EINTR) end(s, "reset");
    return;
  }
  s->in_len += (size_t)n;
  while (bsdsock_wire_frame_size(s->in + off, s->in_len - off,
                                 s->cfg->max_frame, &frame) == 0 &&
         frame <= s->in_len - off) {
    off += frame;
    frames++;
  }
  if (frames > s->cfg->max_inflight)
    error_frame(s, BSDSOCK_EBUSY, "too many calls in flight");
}

/* What poll said about the connection: an error is a reset, anything
 * else is read (data, or the end of the stream). With the read-ahead
 * buffer full the connection is watched for nothing, and a hang-up is
 * then the client gone (nothing to read could say so). */
static void conn_event(struct session *s, short revents) {
  if (revents & (BSDSOCK_POLLERR | BSDSOCK_POLLNVAL)) end(s, "reset");
  else if (revents && s->in_len == s->in_cap) end(s, "client closed");
  else if (revents) read_ahead(s);
}

static int remaining(int64_t deadline) {
  int64_t left;
  if (deadline < 0) return -1;
  left = deadline - bsdsockd_now_ms();
  return left <= 0 ? 0 : left > 1000000 ? 1000000 : (int)left;
}

/* Waits until fd has one of events, watching the connection too.
 * deadline: a bsdsockd_now_ms() time, or -1 for none. 1 ready, 0 timed
 * out, -1 the session ends. */
static int wait_fd(struct session *s, int fd, short events, int64_t deadline) {
  for (;;) {
    bsdsock_pollfd_t p[2];
    int rc, t = remaining(deadline);
    p[0].fd = fd;
    p[0].events = events;
    p[0].revents = 0;
    p[1].fd = s->conn;
    p[1].events = s->in_len < s->in_cap ? BSDSOCK_POLLIN : 0;
    p[1].revents = 0;
    rc = bsdsock_poll(p, 2, t);
    if (rc < 0 && rc != BSDSOCK_EINTR) {
      end(s, "poll failed");
      return -1;
    }
    conn_event(s, p[1].revents);
    if (s->dead) return -1;
    /* Waiting for the connection itself (next_frame) it is in both
     * entries, and poll can mark only the second: data that arrives while
     * the kernel goes through the array is seen by the later entry alone.
     * conn_event has read that data; waiting on for the first entry would
     * wait for a frame already in the buffer, for ever (the client waits
     * for its answer). */
    if (p[0].revents || (fd == s->conn && p[1].revents)) return 1;
    if (deadline >= 0 && remaining(deadline) == 0) return 0;
  }
}

/* The deadline of a blocking call from the socket's SO_RCVTIMEO or
 * SO_SNDTIMEO (zero: none), as a local blocking call honours it. */
static int64_t deadline_of(int fd, int name) {
  bsdsock_timeval_t tv;
  size_t len = sizeof(tv);
  if (bsdsock_getsockopt(fd, BSDSOCK_SOL_SOCKET, name, &tv, &len) != 0 ||
      (tv.sec == 0 && tv.usec == 0))
    return -1;
  return bsdsockd_now_ms() + tv.sec * 1000 + tv.usec / 1000;
}

/* Whether a call on fd that failed with rc should wait and try again:
 * the client wants the socket blocking and the call would have blocked.
 * Waits first; returns 0 when the call is to be answered with rc as it
 * is (and for a timeout, EAGAIN, as locally). */
static int block(struct session *s, struct owned *o, int flags, int64_t rc,
                 short events, int64_t *deadline, int timeo) {
  int w;
  if (rc != BSDSOCK_EAGAIN || o->nonblock || (flags & BSDSOCK_MSG_DONTWAIT))
    return 0;
  if (*deadline == -2) *deadline = deadline_of(o->fd, timeo);
  w = wait_fd(s, o->fd, events, *deadline);
  return w == 1;
}

/* Writes the whole frame to the client (its connection is blocking). */
static void send_all(struct session *s, const uint8_t *p, size_t len) {
  while (len > 0 && !s->dead) {
    bsdsock_ssize_t n = bsdsock_send(s->conn, p, len, 0);
    if (n < 0) {
      if (n != BSDSOCK_EINTR) end(s, "reset");
      continue;
    }
    p += n;
    len -= (size_t)n;
  }
}

static void reply(struct session *s) {
  size_t len;
  int rc;
  s->resp.opcode = (uint16_t)(s->req.opcode | BSDSOCK_WIRE_RESPONSE);
  s->resp.call_id = s->req.call_id;
  rc = bsdsock_wire_encode(&s->resp, s->out, s->cfg->max_frame,
                           s->cfg->max_frame, &len);
  if (rc != 0) {
    /* Our own answer does not fit: the client learns why, and the
     * session ends (the limits make it unreachable). */
    memset(&s->resp, 0, sizeof(s->resp));
    s->resp.opcode = BSDSOCK_WIRE_OP_ERROR | BSDSOCK_WIRE_RESPONSE;
    s->resp.num[0] = rc;
    if (bsdsock_wire_encode(&s->resp, s->out, s->cfg->max_frame,
                            s->cfg->max_frame, &len) != 0)
      len = 0;
    end(s, "answer too large");
  }
  send_all(s, s->out, len);
}

static void error_frame(struct session *s, int code, const char *why) {
  size_t len;
  memset(&s->resp, 0, offsetof(bsdsock_wire_msg_t, u));
  s->resp.opcode = BSDSOCK_WIRE_OP_ERROR | BSDSOCK_WIRE_RESPONSE;
  s->resp.call_id = s->req.call_id;
  s->resp.num[0] = code;
  if (bsdsock_wire_encode(&s->resp, s->out, s->cfg->max_frame,
                          s->cfg->max_frame, &len) == 0)
    send_all(s, s->out, len);
  end(s, why);
}

/* ---- the descriptor table ---------------------------------------------------- */

static struct owned *find(struct session *s, int64_t fd) {
  int i;
  for (i = 0; i < s->nfds; i++)
    if (s->fds[i].fd == fd) return &s->fds[i];
  return NULL;
}

static void own(struct session *s, int fd, int nonblock, int poller) {
  s->fds[s->nfds].fd = fd;
  s->fds[s->nfds].nonblock = nonblock;
  s->fds[s->nfds].poller = poller;
  s->nfds++;
  s->sockets++;
  if (s->nfds > s->max_open) s->max_open = s->nfds;
}

static void disown(struct session *s, struct owned *o) {
  *o = s->fds[--s->nfds];
}

static int full(const struct session *s) {
  return s->nfds >= s->cfg->max_sockets;
}

/* ---- the calls ------------------------------------------------------------------ */

/* A blocking connect: wait for the outcome, read it from SO_ERROR. */
static int64_t do_connect(struct session *s, struct owned *o,
                          const bsdsock_addr_t *addr) {
  int64_t rc = bsdsock_connect(o->fd, addr), deadline;
  int err = 0, w;
  size_t len = sizeof(err);
  if (rc != BSDSOCK_EINPROGRESS || o->nonblock) return rc;
  deadline = deadline_of(o->fd, BSDSOCK_SO_SNDTIMEO);
  w = wait_fd(s, o->fd, BSDSOCK_POLLOUT, deadline);
  if (w <= 0) return BSDSOCK_EINPROGRESS;
  rc = bsdsock_getsockopt(o->fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_ERROR, &err,
                          &len);
  if (rc != 0) return rc;
  return err > 0 ? -err : err;
}

static int64_t do_send(struct session *s, struct owned *o, int to) {
  const bsdsock_wire_msg_t *q = &s->req;
  int flags = (int)q->num[1];
  int blocking = !o->nonblock && !(flags & BSDSOCK_MSG_DONTWAIT);
  int64_t len = q->num[2], deadline = -2, rc;
  const uint8_t *buf = q->data;
  size_t done = 0;
  if (len < 0 || (q->data_len != (size_t)len && q->data_len != 0))
    return BSDSOCK_EINVAL;
  if (len == 0) buf = (const uint8_t *)"";
  /* buf is NULL with a length: the caller's NULL buffer (EFAULT). */
  for (;;) {
    const uint8_t *p = buf ? buf + done : NULL;
    size_t n = (size_t)len - done;
    rc = to ? bsdsock_sendto(o->fd, p, n, flags,
                             q->has_addr ? &q->addr : NULL)
            : bsdsock_send(o->fd, p, n, flags);
    if (rc >= 0) {
      done += (size_t)rc;
      /* A blocking send sends everything, as it would locally. */
      if (blocking && rc > 0 && done < (size_t)len) continue;
      return (int64_t)done;
    }
    if (block(s, o, flags, rc, BSDSOCK_POLLOUT, &deadline,
              BSDSOCK_SO_SNDTIMEO))
      continue;
    return done > 0 ? (int64_t)done : rc;
  }
}

static int is_stream(int fd) {
  int type = 0;
  size_t len = sizeof(type);
  return bsdsock_getsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_TYPE, &type,
                            &len) == 0 &&
         type == BSDSOCK_SOCK_STREAM;
}

/* MSG_WAITALL on a stream socket the client wants blocking: the rest of
 * the room, until the end of the stream, an error or the timeout, as a
 * blocking recv would wait for it. got: what the first recv gave. */
static int64_t wait_all(struct session *s, struct owned *o, int flags,
                        int64_t got, int64_t room, int64_t *deadline) {
  while (got < room) {
    int64_t n = bsdsock_recv(o->fd, s->scratch + got, (size_t)(room - got),
                             flags);
    if (n > 0) {
      got += n;
      continue;
    }
    if (n == 0 || !block(s, o, flags, n, BSDSOCK_POLLIN, deadline,
                         BSDSOCK_SO_RCVTIMEO))
      break;
  }
  return got;
}

static int64_t do_recv(struct session *s, struct owned *o, int from) {
  const bsdsock_wire_msg_t *q = &s->req;
  int flags = (int)q->num[1], nullbuf = (int)q->num[3];
  int want = from && q->num[4];
  int64_t room = q->num[2], deadline = -2, rc;
  if (room < 0) return BSDSOCK_EINVAL;
  if ((size_t)room > s->room_max) room = (int64_t)s->room_max;
  for (;;) {
    rc = from ? bsdsock_recvfrom(o->fd, nullbuf ? NULL : s->scratch,
                                 (size_t)room, flags,
                                 want ? &s->resp.addr : NULL)
              : bsdsock_recv(o->fd, nullbuf ? NULL : s->scratch, (size_t)room,
                             flags);
    if (!block(s, o, flags, rc, BSDSOCK_POLLIN, &deadline,
               BSDSOCK_SO_RCVTIMEO))
      break;
  }
  if (rc > 0 && rc < room && (flags & BSDSOCK_MSG_WAITALL) && !nullbuf &&
      !o->nonblock && !(flags & (BSDSOCK_MSG_DONTWAIT | BSDSOCK_MSG_PEEK)) &&
      is_stream(o->fd))
    rc = wait_all(s, o, flags, rc, room, &deadline);
  if (rc > 0 && !nullbuf) {
    s->resp.data = s->scratch;
    s->resp.data_len = rc < room ? (size_t)rc : (size_t)room;
  }
  s->resp.has_addr = want && rc >= 0;
  return rc;
}

static int64_t do_accept(struct session *s, struct owned *o) {
  int want = (int)s->req.num[1];
  int64_t rc, deadline = -2;
  if (full(s)) return BSDSOCK_EMFILE;
  for (;;) {
    rc = bsdsock_accept(o->fd, want ? &s->resp.addr : NULL);
    if (!block(s, o, 0, rc, BSDSOCK_POLLIN, &deadline, BSDSOCK_SO_RCVTIMEO))
      break;
  }
  if (rc >= 0) {
    /* Accepted sockets start blocking (bsdsock.h), for the client. */
    bsdsock_set_nonblocking((int)rc, 1);
    own(s, (int)rc, 0, 0);
    s->resp.has_addr = want;
  }
  return rc;
}

static int64_t do_setsockopt(struct session *s, struct owned *o) {
  const bsdsock_wire_msg_t *q = &s->req;
  int level = (int)q->num[1], name = (int)q->num[2], form = (int)q->num[3];
  int64_t len = q->num[4];
  union {
    uint8_t bytes[64];
    bsdsock_timeval_t tv;
    int i;
  } v;
  int n;
  switch (form) {
    case BSDSOCK_WIRE_OPT_TYPED:
      n = bsdsock_wire_optval_decode(level, name, q->data, q->data_len, &v,
                                     sizeof(v));
      if (n < 0) return n;
      return bsdsock_setsockopt(o->fd, level, name, &v, (size_t)n);
    case BSDSOCK_WIRE_OPT_RAW:
      if (len < 0 || (size_t)len != q->data_len) return BSDSOCK_EINVAL;
      return bsdsock_setsockopt(o->fd, level, name,
                                q->data ? (const void *)q->data : "",
                                q->data_len);
    case BSDSOCK_WIRE_OPT_NULL:
      if (len < 0) return BSDSOCK_EINVAL;
      return bsdsock_setsockopt(o->fd, level, name, NULL, (size_t)len);
    default:
      return BSDSOCK_EINVAL;
  }
}

static int64_t do_getsockopt(struct session *s, struct owned *o) {
  const bsdsock_wire_msg_t *q = &s->req;
  int level = (int)q->num[1], name = (int)q->num[2], form = (int)q->num[3];
  int64_t room = q->num[4], rc;
  size_t len;
  int n;
  if (room < 0) return BSDSOCK_EINVAL;
  len = (size_t)room > 256 ? 256 : (size_t)room;
  switch (form) {
    case BSDSOCK_WIRE_OPT_NULL:
      return bsdsock_getsockopt(o->fd, level, name, NULL, &len);
    case BSDSOCK_WIRE_OPT_NULLLEN:
      return bsdsock_getsockopt(o->fd, level, name, s->scratch, NULL);
    case BSDSOCK_WIRE_OPT_TYPED:
    case BSDSOCK_WIRE_OPT_RAW:
      break;
    default:
      return BSDSOCK_EINVAL;
  }
  rc = bsdsock_getsockopt(o->fd, level, name, s->scratch, &len);
  s->resp.num[1] = (int64_t)len;
  if (rc != 0) return rc;
  /* The value in its typed form where it has one, else as it is. */
  n = bsdsock_wire_optval_encode(level, name, s->scratch, len,
                                 s->scratch + 256, 256);
  if (n > 0) {
    s->resp.num[2] = BSDSOCK_WIRE_OPT_TYPED;
    s->resp.data = s->scratch + 256;
    s->resp.data_len = (size_t)n;
  } else {
    s->resp.num[2] = BSDSOCK_WIRE_OPT_RAW;
    s->resp.data = s->scratch;
    s->resp.data_len = len;
  }
  return 0;
}

static int64_t do_getaddrinfo(struct session *s) {
  const bsdsock_wire_msg_t *q = &s->req;
  bsdsock_addrinfo_t hints, *res = NULL, *ai;
  int64_t rc;
  size_t n = 0;
  memset(&hints, 0, sizeof(hints));
  hints.flags = (int)q->num[1];
  hints.family = (int)q->num[2];
  hints.socktype = (int)q->num[3];
  hints.protocol = (int)q->num[4];
  rc = bsdsock_getaddrinfo(q->str[0], q->str[1], q->num[0] ? &hints : NULL,
                           &res);
  if (rc != 0) return rc;
  for (ai = res; ai != NULL && n < BSDSOCK_WIRE_MAX_AI; ai = ai->next, n++) {
    s->resp.u.ai[n].flags = ai->flags;
    s->resp.u.ai[n].family = ai->family;
    s->resp.u.ai[n].socktype = ai->socktype;
    s->resp.u.ai[n].protocol = ai->protocol;
    s->resp.u.ai[n].addr = ai->addr;
  }
  s->resp.count = n;
  if (res != NULL && res->canonname != NULL &&
      strlen(res->canonname) < BSDSOCK_WIRE_MAX_STR) {
    /* Copied: the list is freed before the answer is encoded. */
    strcpy((char *)s->scratch, res->canonname);
    s->resp.str[0] = (const char *)s->scratch;
  }
  bsdsock_freeaddrinfo(res);
  return 0;
}

static int64_t do_getnameinfo(struct session *s) {
  const bsdsock_wire_msg_t *q = &s->req;
  char *host = (char *)s->scratch, *serv = (char *)s->scratch + 2048;
  size_t hostlen = q->num[0] < 0 ? 0 : (size_t)q->num[0];
  size_t servlen = q->num[1] < 0 ? 0 : (size_t)q->num[1];
  int64_t rc;
  if (hostlen > BSDSOCK_WIRE_MAX_STR) hostlen = BSDSOCK_WIRE_MAX_STR;
  if (servlen > BSDSOCK_WIRE_MAX_STR) servlen = BSDSOCK_WIRE_MAX_STR;
  rc = bsdsock_getnameinfo(q->has_addr ? &q->addr : NULL,
                           hostlen ? host : NULL, hostlen,
                           servlen ? serv : NULL, servlen, (int)q->num[2]);
  if (rc == 0) {
    if (hostlen) s->resp.str[0] = host;
    if (servlen) s->resp.str[1] = serv;
  }
  return rc;
}

/* poll: the client's entries and the connection, in one array; a number
 * the session does not own is POLLNVAL, as a closed one is. */
static int64_t do_poll(struct session *s) {
  bsdsock_pollfd_t p[BSDSOCK_WIRE_MAX_POLLFDS + 1];
  size_t n = s->req.count, i;
  int timeout = (int)s->req.num[0], nval = 0;
  int64_t deadline = timeout < 0 ? -1 : bsdsockd_now_ms() + timeout, ready;
  for (i = 0; i < n; i++) {
    p[i] = s->req.u.pollfd[i];
    p[i].revents = 0;
    if (p[i].fd >= 0 && find(s, p[i].fd) == NULL) {
      p[i].fd = -1;
      nval = 1;
    }
  }
  for (;;) {
    int rc;
    p[n].fd = s->conn;
    p[n].events = s->in_len < s->in_cap ? BSDSOCK_POLLIN : 0;
    p[n].revents = 0;
    rc = bsdsock_poll(p, n + 1, nval ? 0 : remaining(deadline));
    if (rc < 0) {
      if (rc == BSDSOCK_EINTR) continue;
      return rc;
    }
    conn_event(s, p[n].revents);
    if (s->dead) return BSDSOCK_ECONNRESET;
    ready = 0;
    for (i = 0; i < n; i++) {
      if (s->req.u.pollfd[i].fd >= 0 && p[i].fd < 0)
        p[i].revents = BSDSOCK_POLLNVAL;
      if (p[i].revents) ready++;
    }
    if (ready > 0 || nval || (deadline >= 0 && remaining(deadline) == 0))
      break;
  }
  s->resp.count = n;
  for (i = 0; i < n; i++) {
    s->resp.u.pollfd[i] = s->req.u.pollfd[i];
    s->resp.u.pollfd[i].revents = p[i].revents;
  }
  return ready;
}

static int64_t do_poller_wait(struct session *s, int poller) {
  int max = (int)s->req.num[1], timeout = (int)s->req.num[2];
  int64_t deadline = timeout < 0 ? -1 : bsdsockd_now_ms() + timeout;
  if (max > BSDSOCK_WIRE_MAX_EVENTS) max = BSDSOCK_WIRE_MAX_EVENTS;
  for (;;) {
    int left = remaining(deadline), rc;
    bsdsock_pollfd_t c;
    rc = bsdsock_poller_wait(poller, s->resp.u.event, max,
                             left < 0 || left > SLICE_MS ? SLICE_MS : left);
    if (rc != 0) {
      s->resp.count = rc > 0 ? (size_t)rc : 0;
      return rc;
    }
    if (deadline >= 0 && remaining(deadline) == 0) return 0;
    c.fd = s->conn;
    c.events = s->in_len < s->in_cap ? BSDSOCK_POLLIN : 0;
    c.revents = 0;
    if (bsdsock_poll(&c, 1, 0) > 0) conn_event(s, c.revents);
    if (s->dead) return BSDSOCK_ECONNRESET;
  }
}

/* Runs the decoded request s->req; the answer is in s->resp. */
static int64_t dispatch(struct session *s) {
  const bsdsock_wire_msg_t *q = &s->req;
  struct owned *o = NULL, *o2;
  int op = q->opcode, fd;
  int64_t rc;
  /* Every call but these takes a descriptor first (EBADF first, as
   * bsdsock checks it first). */
  if (op != BSDSOCK_WIRE_OP_SOCKET && op != BSDSOCK_WIRE_OP_GETADDRINFO &&
      op != BSDSOCK_WIRE_OP_GETNAMEINFO && op != BSDSOCK_WIRE_OP_POLL &&
      op != BSDSOCK_WIRE_OP_POLLER_CREATE && op != BSDSOCK_WIRE_OP_HELLO) {
    o = find(s, q->num[0]);
    if (o == NULL) return BSDSOCK_EBADF;
  }
  fd = o ? o->fd : -1;
  switch (op) {
    case BSDSOCK_WIRE_OP_HELLO:
      return BSDSOCK_EPROTO;  /* only once, first */
    case BSDSOCK_WIRE_OP_SOCKET: {
      int type = (int)q->num[1];
      if (full(s)) return BSDSOCK_EMFILE;
      rc = bsdsock_socket((int)q->num[0], type | BSDSOCK_SOCK_NONBLOCK,
                          (int)q->num[2]);
      if (rc >= 0) own(s, (int)rc, (type & BSDSOCK_SOCK_NONBLOCK) != 0, 0);
      return rc;
    }
    case BSDSOCK_WIRE_OP_BIND:
      return bsdsock_bind(fd, q->has_addr ? &q->addr : NULL);
    case BSDSOCK_WIRE_OP_LISTEN:
      return bsdsock_listen(fd, (int)q->num[1]);
    case BSDSOCK_WIRE_OP_ACCEPT:
      return do_accept(s, o);
    case BSDSOCK_WIRE_OP_CONNECT:
      return do_connect(s, o, q->has_addr ? &q->addr : NULL);
    case BSDSOCK_WIRE_OP_SHUTDOWN:
      return bsdsock_shutdown(fd, (int)q->num[1]);
    case BSDSOCK_WIRE_OP_CLOSE:
      rc = o->poller ? bsdsock_poller_close(fd) : bsdsock_close(fd);
      disown(s, o);
      return rc;
    case BSDSOCK_WIRE_OP_GETSOCKNAME:
    case BSDSOCK_WIRE_OP_GETPEERNAME:
      rc = op == BSDSOCK_WIRE_OP_GETSOCKNAME
               ? bsdsock_getsockname(fd, q->num[1] ? &s->resp.addr : NULL)
               : bsdsock_getpeername(fd, q->num[1] ? &s->resp.addr : NULL);
      s->resp.has_addr = rc == 0 && q->num[1];
      return rc;
    case BSDSOCK_WIRE_OP_SET_NONBLOCKING:
      if (o->poller) return bsdsock_set_nonblocking(fd, (int)q->num[1]);
      rc = bsdsock_set_nonblocking(fd, 1);  /* stays non-blocking here */
      if (rc == 0) o->nonblock = q->num[1] != 0;
      return rc;
    case BSDSOCK_WIRE_OP_GET_NONBLOCKING:
      if (o->poller) return bsdsock_get_nonblocking(fd);
      rc = bsdsock_get_nonblocking(fd);
      return rc < 0 ? rc : o->nonblock;
    case BSDSOCK_WIRE_OP_SEND:
    case BSDSOCK_WIRE_OP_SENDTO:
      return do_send(s, o, op == BSDSOCK_WIRE_OP_SENDTO);
    case BSDSOCK_WIRE_OP_RECV:
    case BSDSOCK_WIRE_OP_RECVFROM:
      return do_recv(s, o, op == BSDSOCK_WIRE_OP_RECVFROM);
    case BSDSOCK_WIRE_OP_SETSOCKOPT:
      return do_setsockopt(s, o);
    case BSDSOCK_WIRE_OP_GETSOCKOPT:
      return do_getsockopt(s, o);
    case BSDSOCK_WIRE_OP_GETADDRINFO:
      return do_getaddrinfo(s);
    case BSDSOCK_WIRE_OP_GETNAMEINFO:
      return do_getnameinfo(s);
    case BSDSOCK_WIRE_OP_POLL:
      return do_poll(s);
    case BSDSOCK_WIRE_OP_POLLER_CREATE:
      if (full(s)) return BSDSOCK_EMFILE;
      rc = bsdsock_poller_create();
      if (rc >= 0) own(s, (int)rc, 0, 1);
      return rc;
    case BSDSOCK_WIRE_OP_POLLER_CLOSE:
      rc = bsdsock_poller_close(fd);
      if (rc == 0) disown(s, o);
      return rc;
    case BSDSOCK_WIRE_OP_POLLER_ADD:
    case BSDSOCK_WIRE_OP_POLLER_MODIFY:
    case BSDSOCK_WIRE_OP_POLLER_DELETE:
      o2 = find(s, q->num[1]);
      if (o2 == NULL) return BSDSOCK_EBADF;
      if (op == BSDSOCK_WIRE_OP_POLLER_DELETE)
        return bsdsock_poller_delete(fd, o2->fd);
      return op == BSDSOCK_WIRE_OP_POLLER_ADD
                 ? bsdsock_poller_add(fd, o2->fd, (uint32_t)q->num[2],
                                      (uint64_t)q->num[3])
                 : bsdsock_poller_modify(fd, o2->fd, (uint32_t)q->num[2],
                                         (uint64_t)q->num[3]);
    case BSDSOCK_WIRE_OP_POLLER_WAIT:
      return do_poller_wait(s, fd);
    default:
      return BSDSOCK_EPROTO;
  }
}

/* ---- the session ------------------------------------------------------------------ */

/* Compares the token in constant time: every byte of the longer of the
 * two is looked at, and nothing depends on where they differ. */
static int token_ok(const struct bsdsockd_config *cfg, const uint8_t *p,
                    size_t n) {
  size_t max = n > cfg->token_len ? n : cfg->token_len, i;
  unsigned diff = n != cfg->token_len;
  for (i = 0; i < max; i++) {
    uint8_t a = i < n ? p[i] : 0, b = i < cfg->token_len ? cfg->token[i] : 0;
    diff |= (unsigned)(a ^ b);
  }
  return diff == 0;
}

/* The next whole frame at the start of s->in: 0 and its size, or the
 * session ends. */
static int next_frame(struct session *s, size_t *frame) {
  for (;;) {
    int rc = bsdsock_wire_frame_size(s->in, s->in_len, s->cfg->max_frame,
                                     frame);
    if (rc == 0 && *frame <= s->in_len) return 0;
    if (rc != 0 && rc != BSDSOCK_EAGAIN) {
      memset(&s->req, 0, offsetof(bsdsock_wire_msg_t, u));
      error_frame(s, rc, rc == BSDSOCK_EMSGSIZE ? "frame too large"
                                                 : "protocol error");
      return -1;
    }
    rc = wait_fd(s, s->conn, BSDSOCK_POLLIN, s->hello ? -1 : s->hello_by);
    if (rc < 0) return -1;
    if (rc == 0) {
      end(s, "refused (no HELLO in time)");
      return -1;
    }
  }
}

void bsdsockd_session_run(const struct bsdsockd_config *cfg, int conn,
                          const bsdsock_addr_t *peer) {
  struct session *s = calloc(1, sizeof(*s));
  char who[BSDSOCK_ADDRSTRLEN] = "?";
  int one = 1, i;
  size_t frame;
  bsdsock_addr_format(peer, who, sizeof(who));
  if (s != NULL) {
    s->cfg = cfg;
    s->conn = conn;
    s->hello_by = bsdsockd_now_ms() + cfg->hello_timeout_ms;
    s->in_cap = 2 * cfg->max_frame;
    s->in = malloc(s->in_cap);
    s->out = malloc(cfg->max_frame);
    s->room_max = cfg->max_frame - OVERHEAD;
    if (s->room_max > BSDSOCK_WIRE_MAX_DATA) s->room_max = BSDSOCK_WIRE_MAX_DATA;
    s->scratch = malloc(BSDSOCK_WIRE_MAX_DATA + 4096);
    s->fds = calloc((size_t)cfg->max_sockets, sizeof(*s->fds));
  }
  if (s == NULL || s->in == NULL || s->out == NULL || s->scratch == NULL ||
      s->fds == NULL) {
    bsdsockd_log("session %s: out of memory, refused", who);
    bsdsock_close(conn);
    if (s != NULL) {
      free(s->in);
      free(s->out);
      free(s->scratch);
      free(s->fds);
      free(s);
    }
    return;
  }
  bsdsock_setsockopt(conn, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_KEEPALIVE, &one,
                     sizeof(one));
  bsdsock_setsockopt(conn, BSDSOCK_IPPROTO_TCP, BSDSOCK_TCP_NODELAY, &one,
                     sizeof(one));
  while (!s->dead && next_frame(s, &frame) == 0) {
    int rc = bsdsock_wire_decode(s->in, frame, cfg->max_frame, &s->req);
    if (rc != 0) {
      memset(&s->req, 0, offsetof(bsdsock_wire_msg_t, u));
      snprintf(s->why_buf, sizeof(s->why_buf), "protocol error (%s)",
               bsdsock_err_name(rc));
      error_frame(s, rc, s->why_buf);
      break;
    }
    if (s->req.opcode & BSDSOCK_WIRE_RESPONSE) {
      error_frame(s, BSDSOCK_EPROTO, "protocol error (a response)");
      break;
    }
    memset(&s->resp, 0, offsetof(bsdsock_wire_msg_t, u));
    if (!s->hello) {
      if (s->req.opcode != BSDSOCK_WIRE_OP_HELLO) {
        error_frame(s, BSDSOCK_EACCES, "refused (no HELLO)");
        break;
      }
      if (!token_ok(cfg, s->req.data, s->req.data_len)) {
        s->resp.num[0] = BSDSOCK_EACCES;
        reply(s);
        end(s, "refused (bad token)");
        break;
      }
      s->hello = 1;
      s->resp.str[0] = bsdsock_backend();
      s->resp.str[1] = bsdsock_version();
      s->resp.num[1] = (int64_t)cfg->max_frame;
      s->resp.num[2] = cfg->max_sockets;
      s->resp.num[3] = cfg->max_inflight;
    } else {
      s->calls++;
      s->resp.num[0] = dispatch(s);
      if (s->dead) {  /* gone mid-call: nobody to answer */
        snprintf(s->why_buf, sizeof(s->why_buf), "%s mid-call (%s)", s->why,
                 bsdsock_wire_op_name(s->req.opcode));
        s->why = s->why_buf;
        break;
      }
    }
    reply(s);
    /* The frame is done: the read-ahead moves to the front. */
    memmove(s->in, s->in + frame, s->in_len - frame);
    s->in_len -= frame;
  }
  for (i = 0; i < s->nfds; i++) {
    if (s->fds[i].poller) bsdsock_poller_close(s->fds[i].fd);
    else bsdsock_close(s->fds[i].fd);
  }
  bsdsock_close(conn);
  bsdsockd_log("session %s: %lu calls, %lu sockets (max %d open, %d left "
               "closed), ended: %s",
               who, s->calls, s->sockets, s->max_open, s->nfds,
               s->why ? s->why : "client closed");
  free(s->in);
  free(s->out);
  free(s->scratch);
  free(s->fds);
  free(s);
}
