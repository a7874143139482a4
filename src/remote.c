/* SPDX-License-Identifier: MIT */
/*
 * remote.c - the client of the forwarding protocol (include/bsdsock/
 * remote.h, docs/wire.md). Each call encodes one request with the codec
 * (src/wire.c), writes it on the session's connection, reads the one
 * answer, and gives back the server's result. The connection itself is a
 * bsdsock socket: this file is a client of the public API and makes no
 * OS call of its own.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bsdsock/remote.h"
#include "bsdsock/wire.h"

struct bsdsock_remote {
  int conn;
  int broken;            /* the connection is gone: ECONNRESET */
  int why;               /* what broke it: a transport or decoder code */
  uint32_t next_id;
  size_t max_frame;      /* the server's */
  size_t max_data;       /* most data bytes one call carries */
  uint8_t *out, *in;     /* one frame each way */
  bsdsock_wire_msg_t req, resp;
  char backend[32];
};

/* ---- one exchange ------------------------------------------------------------ */

static int send_all(bsdsock_remote_t *r, const uint8_t *p, size_t len) {
  while (len > 0) {
    bsdsock_ssize_t n = bsdsock_send(r->conn, p, len, 0);
    if (n == BSDSOCK_EINTR) continue;
    if (n <= 0) return BSDSOCK_ECONNRESET;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

static int recv_all(bsdsock_remote_t *r, uint8_t *p, size_t len) {
  while (len > 0) {
    bsdsock_ssize_t n = bsdsock_recv(r->conn, p, len, 0);
    if (n == BSDSOCK_EINTR) continue;
    if (n <= 0) return BSDSOCK_ECONNRESET;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

/* A fresh request of opcode. */
static bsdsock_wire_msg_t *request(bsdsock_remote_t *r, int opcode) {
  memset(&r->req, 0, offsetof(bsdsock_wire_msg_t, u));
  r->req.opcode = (uint16_t)opcode;
  return &r->req;
}

/* Sends r->req and reads its answer into r->resp. 0, or a negative error:
 * the codec's for a request it cannot encode (the session goes on), or
 * ECONNRESET / the server's ERROR code for a broken session. */
static int exchange(bsdsock_remote_t *r) {
  size_t len, frame;
  int rc;
  if (r->broken) return BSDSOCK_ECONNRESET;
  r->req.call_id = r->next_id++;
  rc = bsdsock_wire_encode(&r->req, r->out, r->max_frame, r->max_frame, &len);
  if (rc != 0) return rc;
  rc = send_all(r, r->out, len);
  if (rc == 0) rc = recv_all(r, r->in, 4);
  if (rc == 0) rc = bsdsock_wire_frame_size(r->in, 4, BSDSOCK_WIRE_MAX_FRAME,
                                            &frame);
  if (rc == 0) rc = recv_all(r, r->in + 4, frame - 4);
  if (rc == 0)
    rc = bsdsock_wire_decode(r->in, frame, BSDSOCK_WIRE_MAX_FRAME, &r->resp);
  if (rc == 0 && r->resp.opcode ==
                     (BSDSOCK_WIRE_OP_ERROR | BSDSOCK_WIRE_RESPONSE))
    rc = r->resp.num[0] < 0 ? (int)r->resp.num[0] : BSDSOCK_EPROTO;
  else if (rc == 0 && (r->resp.opcode != (r->req.opcode | BSDSOCK_WIRE_RESPONSE) ||
                       r->resp.call_id != r->req.call_id))
    rc = BSDSOCK_EPROTO;
  if (rc != 0) {
    r->broken = 1;  /* the stream cannot be trusted past this */
    r->why = rc;
    return rc == BSDSOCK_EPROTO || rc == BSDSOCK_EMSGSIZE ||
                   rc == BSDSOCK_EINVAL
               ? BSDSOCK_ECONNRESET
               : rc;
  }
  return 0;
}

/* Sends the request and returns the result (or the transport's error). */
static int64_t call(bsdsock_remote_t *r) {
  int rc = exchange(r);
  return rc != 0 ? rc : r->resp.num[0];
}

/* ---- the session -------------------------------------------------------------- */

/* Splits "host:port" / "[v6]:port". */
static int split(const char *text, char *host, size_t hostsize,
                 const char **port) {
  const char *colon = strrchr(text, ':'), *h = text;
  size_t n;
  if (colon == NULL || colon[1] == 0) return BSDSOCK_EINVAL;
  n = (size_t)(colon - text);
  if (n >= 2 && text[0] == '[' && text[n - 1] == ']') {
    h = text + 1;
    n -= 2;
  }
  if (n == 0 || n >= hostsize) return BSDSOCK_EINVAL;
  memcpy(host, h, n);
  host[n] = 0;
  *port = colon + 1;
  return 0;
}

static int connect_to(const char *hostport, int *fd) {
  bsdsock_addrinfo_t hints, *res = NULL, *ai;
  char host[256];
  const char *port;
  int rc = split(hostport, host, sizeof(host), &port), one = 1;
  if (rc != 0) return rc;
  memset(&hints, 0, sizeof(hints));
  hints.socktype = BSDSOCK_SOCK_STREAM;
  rc = bsdsock_getaddrinfo(host, port, &hints, &res);
  if (rc != 0) return rc;
  rc = BSDSOCK_ECONNREFUSED;
  for (ai = res; ai != NULL; ai = ai->next) {
    int s = bsdsock_socket(ai->family, BSDSOCK_SOCK_STREAM, 0);
    if (s < 0) {
      rc = s;
      continue;
    }
    rc = bsdsock_connect(s, &ai->addr);
    if (rc == 0) {
      bsdsock_setsockopt(s, BSDSOCK_IPPROTO_TCP, BSDSOCK_TCP_NODELAY, &one,
                         sizeof(one));
      *fd = s;
      break;
    }
    bsdsock_close(s);
  }
  bsdsock_freeaddrinfo(res);
  return rc;
}

bsdsock_remote_t *bsdsock_remote_open(const char *hostport, const char *token,
                                      int *err) {
  bsdsock_remote_t *r;
  int rc, dummy;
  if (err == NULL) err = &dummy;
  if (hostport == NULL || token == NULL) {
    *err = BSDSOCK_EINVAL;
    return NULL;
  }
  r = calloc(1, sizeof(*r));
  if (r == NULL || (r->out = malloc(BSDSOCK_WIRE_MAX_FRAME)) == NULL ||
      (r->in = malloc(BSDSOCK_WIRE_MAX_FRAME)) == NULL) {
    if (r != NULL) free(r->out);
    free(r);
    *err = BSDSOCK_ENOMEM;
    return NULL;
  }
  r->conn = -1;
  r->max_frame = BSDSOCK_WIRE_MAX_FRAME;
  r->next_id = 1;
  rc = connect_to(hostport, &r->conn);
  if (rc == 0) {
    request(r, BSDSOCK_WIRE_OP_HELLO);
    r->req.data = (const uint8_t *)token;
    r->req.data_len = strlen(token);
    rc = exchange(r);
    /* A peer that answers what the decoder refuses does not speak the
     * protocol; one that closes (a server at its session limit) says
     * ECONNRESET. */
    if (rc != 0) rc = r->why;
    if (rc == BSDSOCK_EMSGSIZE || rc == BSDSOCK_EINVAL) rc = BSDSOCK_EPROTO;
    if (rc == 0 && r->resp.num[0] != 0)
      rc = r->resp.num[0] < 0 ? (int)r->resp.num[0] : BSDSOCK_EPROTO;
  }
  if (rc == 0) {
    /* The server's limits: frames no larger than it takes, data that
     * fits in them. */
    if (r->resp.num[1] >= 65536 && r->resp.num[1] < (int64_t)r->max_frame)
      r->max_frame = (size_t)r->resp.num[1];
    r->max_data = r->max_frame - 4096;
    if (r->max_data > BSDSOCK_WIRE_MAX_DATA) r->max_data = BSDSOCK_WIRE_MAX_DATA;
    snprintf(r->backend, sizeof(r->backend), "%s",
             r->resp.str[0] ? r->resp.str[0] : "?");
    *err = 0;
    return r;
  }
  *err = rc;
  r->broken = 1;
  bsdsock_remote_close(r);
  return NULL;
}

void bsdsock_remote_close(bsdsock_remote_t *r) {
  if (r == NULL) return;
  if (r->conn >= 0) bsdsock_close(r->conn);
  free(r->out);
  free(r->in);
  free(r);
}

const char *bsdsock_remote_backend(const bsdsock_remote_t *r) {
  return r ? r->backend : "?";
}

/* ---- sockets ------------------------------------------------------------------- */

#define CHECK_SESSION(r)                                                     \
  do {                                                                       \
    if ((r) == NULL) return BSDSOCK_EINVAL;                                  \
  } while (0)

/* A call whose request is integers only. */
static int64_t call_ints(bsdsock_remote_t *r, int opcode, int64_t a, int64_t b,
                         int64_t c) {
  bsdsock_wire_msg_t *q = request(r, opcode);
  q->num[0] = a;
  q->num[1] = b;
  q->num[2] = c;
  return call(r);
}

int bsdsock_remote_socket(bsdsock_remote_t *r, int family, int type,
                          int protocol) {
  CHECK_SESSION(r);
  return (int)call_ints(r, BSDSOCK_WIRE_OP_SOCKET, family, type, protocol);
}

static int addr_call(bsdsock_remote_t *r, int opcode, int fd,
                     const bsdsock_addr_t *addr) {
  bsdsock_wire_msg_t *q = request(r, opcode);
  q->num[0] = fd;
  q->has_addr = addr != NULL;
  if (addr) q->addr = *addr;
  return (int)call(r);
}

int bsdsock_remote_bind(bsdsock_remote_t *r, int fd,
                        const bsdsock_addr_t *addr) {
  CHECK_SESSION(r);
  return addr_call(r, BSDSOCK_WIRE_OP_BIND, fd, addr);
}

int bsdsock_remote_connect(bsdsock_remote_t *r, int fd,
                           const bsdsock_addr_t *addr) {
  CHECK_SESSION(r);
  return addr_call(r, BSDSOCK_WIRE_OP_CONNECT, fd, addr);
}

int bsdsock_remote_listen(bsdsock_remote_t *r, int fd, int backlog) {
  CHECK_SESSION(r);
  return (int)call_ints(r, BSDSOCK_WIRE_OP_LISTEN, fd, backlog, 0);
}

/* accept, getsockname, getpeername: an address comes back. */
static int addr_out(bsdsock_remote_t *r, int opcode, int fd,
                    bsdsock_addr_t *out) {
  int64_t rc = call_ints(r, opcode, fd, out != NULL, 0);
  if (rc >= 0 && out != NULL && r->resp.has_addr) *out = r->resp.addr;
  return (int)rc;
}

int bsdsock_remote_accept(bsdsock_remote_t *r, int fd, bsdsock_addr_t *peer) {
  CHECK_SESSION(r);
  return addr_out(r, BSDSOCK_WIRE_OP_ACCEPT, fd, peer);
}

int bsdsock_remote_getsockname(bsdsock_remote_t *r, int fd,
                               bsdsock_addr_t *addr) {
  CHECK_SESSION(r);
  return addr_out(r, BSDSOCK_WIRE_OP_GETSOCKNAME, fd, addr);
}

int bsdsock_remote_getpeername(bsdsock_remote_t *r, int fd,
                               bsdsock_addr_t *addr) {
  CHECK_SESSION(r);
  return addr_out(r, BSDSOCK_WIRE_OP_GETPEERNAME, fd, addr);
}

int bsdsock_remote_shutdown(bsdsock_remote_t *r, int fd, int how) {
  CHECK_SESSION(r);
  return (int)call_ints(r, BSDSOCK_WIRE_OP_SHUTDOWN, fd, how, 0);
}

int bsdsock_remote_close_fd(bsdsock_remote_t *r, int fd) {
  CHECK_SESSION(r);
  return (int)call_ints(r, BSDSOCK_WIRE_OP_CLOSE, fd, 0, 0);
}

int bsdsock_remote_set_nonblocking(bsdsock_remote_t *r, int fd, int on) {
  CHECK_SESSION(r);
  return (int)call_ints(r, BSDSOCK_WIRE_OP_SET_NONBLOCKING, fd, on != 0, 0);
}

int bsdsock_remote_get_nonblocking(bsdsock_remote_t *r, int fd) {
  CHECK_SESSION(r);
  return (int)call_ints(r, BSDSOCK_WIRE_OP_GET_NONBLOCKING, fd, 0, 0);
}

/* ---- data ------------------------------------------------------------------------ */

static bsdsock_ssize_t send_call(bsdsock_remote_t *r, int opcode, int fd,
                                 const void *buf, size_t len, int flags,
                                 const bsdsock_addr_t *addr) {
  bsdsock_wire_msg_t *q = request(r, opcode);
  if (len > r->max_data) len = r->max_data;  /* a partial send */
  q->num[0] = fd;
  q->num[1] = flags;
  q->num[2] = (int64_t)len;
  /* A NULL buffer with a length travels as an empty data field. */
  q->data = buf;
  q->data_len = buf != NULL ? len : 0;
  q->has_addr = addr != NULL;
  if (addr) q->addr = *addr;
  return (bsdsock_ssize_t)call(r);
}

bsdsock_ssize_t bsdsock_remote_send(bsdsock_remote_t *r, int fd,
                                    const void *buf, size_t len, int flags) {
  CHECK_SESSION(r);
  return send_call(r, BSDSOCK_WIRE_OP_SEND, fd, buf, len, flags, NULL);
}

bsdsock_ssize_t bsdsock_remote_sendto(bsdsock_remote_t *r, int fd,
                                      const void *buf, size_t len, int flags,
                                      const bsdsock_addr_t *addr) {
  CHECK_SESSION(r);
  return send_call(r, BSDSOCK_WIRE_OP_SENDTO, fd, buf, len, flags, addr);
}

static bsdsock_ssize_t recv_call(bsdsock_remote_t *r, int opcode, int fd,
                                 void *buf, size_t len, int flags,
                                 bsdsock_addr_t *from) {
  bsdsock_wire_msg_t *q = request(r, opcode);
  int64_t rc;
  if (len > r->max_data) len = r->max_data;
  q->num[0] = fd;
  q->num[1] = flags;
  q->num[2] = (int64_t)len;
  q->num[3] = buf == NULL;
  q->num[4] = from != NULL;
  rc = call(r);
  if (rc >= 0 && buf != NULL && r->resp.data_len > 0 &&
      r->resp.data_len <= len)
    memcpy(buf, r->resp.data, r->resp.data_len);
  if (rc >= 0 && from != NULL && r->resp.has_addr) *from = r->resp.addr;
  return (bsdsock_ssize_t)rc;
}

bsdsock_ssize_t bsdsock_remote_recv(bsdsock_remote_t *r, int fd, void *buf,
                                    size_t len, int flags) {
  CHECK_SESSION(r);
  return recv_call(r, BSDSOCK_WIRE_OP_RECV, fd, buf, len, flags, NULL);
}

bsdsock_ssize_t bsdsock_remote_recvfrom(bsdsock_remote_t *r, int fd,
                                        void *buf, size_t len, int flags,
                                        bsdsock_addr_t *from) {
  CHECK_SESSION(r);
  return recv_call(r, BSDSOCK_WIRE_OP_RECVFROM, fd, buf, len, flags, from);
}

/* ---- options --------------------------------------------------------------------- */

int bsdsock_remote_setsockopt(bsdsock_remote_t *r, int fd, int level,
                              int name, const void *value, size_t len) {
  uint8_t typed[64];
  bsdsock_wire_msg_t *q;
  int n;
  CHECK_SESSION(r);
  q = request(r, BSDSOCK_WIRE_OP_SETSOCKOPT);
  q->num[0] = fd;
  q->num[1] = level;
  q->num[2] = name;
  q->num[4] = (int64_t)len;
  n = bsdsock_wire_optval_encode(level, name, value, len, typed,
                                 sizeof(typed));
  if (value == NULL) {
    q->num[3] = BSDSOCK_WIRE_OPT_NULL;
  } else if (n > 0) {
    q->num[3] = BSDSOCK_WIRE_OPT_TYPED;
    q->data = typed;
    q->data_len = (size_t)n;
  } else {
    /* Unknown, or the wrong size: as given, for the server's call to
     * refuse as the local one would. */
    q->num[3] = BSDSOCK_WIRE_OPT_RAW;
    if (len > 4096) len = 4096;
    q->data = value;
    q->data_len = len;
    q->num[4] = (int64_t)len;
  }
  return (int)call(r);
}

int bsdsock_remote_getsockopt(bsdsock_remote_t *r, int fd, int level,
                              int name, void *value, size_t *len) {
  bsdsock_wire_msg_t *q;
  int64_t rc;
  CHECK_SESSION(r);
  q = request(r, BSDSOCK_WIRE_OP_GETSOCKOPT);
  q->num[0] = fd;
  q->num[1] = level;
  q->num[2] = name;
  q->num[3] = len == NULL     ? BSDSOCK_WIRE_OPT_NULLLEN
              : value == NULL ? BSDSOCK_WIRE_OPT_NULL
                              : BSDSOCK_WIRE_OPT_TYPED;
  q->num[4] = len ? (int64_t)*len : 0;
  rc = call(r);
  if (rc != 0 || len == NULL || value == NULL) return (int)rc;
  if (r->resp.num[2] == BSDSOCK_WIRE_OPT_TYPED) {
    int n = bsdsock_wire_optval_decode(level, name, r->resp.data,
                                       r->resp.data_len, value, *len);
    if (n < 0) return BSDSOCK_EPROTO;
    *len = (size_t)n;
  } else {
    if (r->resp.data_len > *len) return BSDSOCK_EPROTO;
    memcpy(value, r->resp.data, r->resp.data_len);
    *len = r->resp.data_len;
  }
  return 0;
}

/* ---- names ------------------------------------------------------------------------ */

int bsdsock_remote_getaddrinfo(bsdsock_remote_t *r, const char *node,
                               const char *service,
                               const bsdsock_addrinfo_t *hints,
                               bsdsock_addrinfo_t **res) {
  bsdsock_wire_msg_t *q;
  bsdsock_addrinfo_t *head = NULL, **tail = &head;
  int64_t rc;
  size_t i;
  CHECK_SESSION(r);
  if (res == NULL) return BSDSOCK_EINVAL;
  *res = NULL;
  q = request(r, BSDSOCK_WIRE_OP_GETADDRINFO);
  q->str[0] = node;
  q->str[1] = service;
  q->num[0] = hints != NULL;
  if (hints) {
    q->num[1] = hints->flags;
    q->num[2] = hints->family;
    q->num[3] = hints->socktype;
    q->num[4] = hints->protocol;
  }
  rc = call(r);
  if (rc != 0) return (int)rc;
  /* Built as bsdsock_getaddrinfo builds its lists, so that
   * bsdsock_freeaddrinfo frees it. */
  for (i = 0; i < r->resp.count; i++) {
    bsdsock_addrinfo_t *ai = calloc(1, sizeof(*ai));
    if (ai == NULL) {
      bsdsock_freeaddrinfo(head);
      return BSDSOCK_EAI_MEMORY;
    }
    ai->flags = r->resp.u.ai[i].flags;
    ai->family = r->resp.u.ai[i].family;
    ai->socktype = r->resp.u.ai[i].socktype;
    ai->protocol = r->resp.u.ai[i].protocol;
    ai->addr = r->resp.u.ai[i].addr;
    if (i == 0 && r->resp.str[0] != NULL) {
      ai->canonname = malloc(strlen(r->resp.str[0]) + 1);
      if (ai->canonname == NULL) {
        free(ai);
        bsdsock_freeaddrinfo(head);
        return BSDSOCK_EAI_MEMORY;
      }
      strcpy(ai->canonname, r->resp.str[0]);
    }
    *tail = ai;
    tail = &ai->next;
  }
  *res = head;
  return 0;
}

static void copy_out(char *dst, size_t size, const char *src) {
  size_t n;
  if (dst == NULL || size == 0 || src == NULL) return;
  n = strlen(src);
  if (n >= size) n = size - 1;
  memcpy(dst, src, n);
  dst[n] = 0;
}

int bsdsock_remote_getnameinfo(bsdsock_remote_t *r, const bsdsock_addr_t *addr,
                               char *host, size_t hostlen, char *serv,
                               size_t servlen, int flags) {
  bsdsock_wire_msg_t *q;
  int64_t rc;
  CHECK_SESSION(r);
  q = request(r, BSDSOCK_WIRE_OP_GETNAMEINFO);
  q->has_addr = addr != NULL;
  if (addr) q->addr = *addr;
  q->num[0] = host ? (int64_t)hostlen : 0;
  q->num[1] = serv ? (int64_t)servlen : 0;
  q->num[2] = flags;
  rc = call(r);
  if (rc == 0) {
    copy_out(host, hostlen, r->resp.str[0]);
    copy_out(serv, servlen, r->resp.str[1]);
  }
  return (int)rc;
}

/* ---- readiness --------------------------------------------------------------------- */

int bsdsock_remote_poll(bsdsock_remote_t *r, bsdsock_pollfd_t *fds,
                        size_t nfds, int timeout_ms) {
  bsdsock_wire_msg_t *q;
  int64_t rc;
  size_t i;
  CHECK_SESSION(r);
  if (nfds > BSDSOCK_WIRE_MAX_POLLFDS || (fds == NULL && nfds > 0))
    return BSDSOCK_EINVAL;
  q = request(r, BSDSOCK_WIRE_OP_POLL);
  q->num[0] = timeout_ms;
  q->count = nfds;
  for (i = 0; i < nfds; i++) q->u.pollfd[i] = fds[i];
  rc = call(r);
  if (rc >= 0 && r->resp.count == nfds)
    for (i = 0; i < nfds; i++) fds[i].revents = r->resp.u.pollfd[i].revents;
  return (int)rc;
}

int bsdsock_remote_poller_create(bsdsock_remote_t *r) {
  CHECK_SESSION(r);
  return (int)call_ints(r, BSDSOCK_WIRE_OP_POLLER_CREATE, 0, 0, 0);
}

int bsdsock_remote_poller_close(bsdsock_remote_t *r, int poller) {
  CHECK_SESSION(r);
  return (int)call_ints(r, BSDSOCK_WIRE_OP_POLLER_CLOSE, poller, 0, 0);
}

static int poller_ctl(bsdsock_remote_t *r, int opcode, int poller, int fd,
                      uint32_t events, uint64_t data) {
  bsdsock_wire_msg_t *q = request(r, opcode);
  q->num[0] = poller;
  q->num[1] = fd;
  q->num[2] = events;
  q->num[3] = (int64_t)data;
  return (int)call(r);
}

int bsdsock_remote_poller_add(bsdsock_remote_t *r, int poller, int fd,
                              uint32_t events, uint64_t data) {
  CHECK_SESSION(r);
  return poller_ctl(r, BSDSOCK_WIRE_OP_POLLER_ADD, poller, fd, events, data);
}

int bsdsock_remote_poller_modify(bsdsock_remote_t *r, int poller, int fd,
                                 uint32_t events, uint64_t data) {
  CHECK_SESSION(r);
  return poller_ctl(r, BSDSOCK_WIRE_OP_POLLER_MODIFY, poller, fd, events,
                    data);
}

int bsdsock_remote_poller_delete(bsdsock_remote_t *r, int poller, int fd) {
  CHECK_SESSION(r);
  return (int)call_ints(r, BSDSOCK_WIRE_OP_POLLER_DELETE, poller, fd, 0);
}

int bsdsock_remote_poller_wait(bsdsock_remote_t *r, int poller,
                               bsdsock_poller_event_t *events, int maxevents,
                               int timeout_ms) {
  int64_t rc;
  size_t i;
  CHECK_SESSION(r);
  if (events == NULL && maxevents > 0) return BSDSOCK_EINVAL;
  rc = call_ints(r, BSDSOCK_WIRE_OP_POLLER_WAIT, poller, maxevents,
                 timeout_ms);
  if (rc > 0 && r->resp.count == (size_t)rc && rc <= maxevents)
    for (i = 0; i < r->resp.count; i++) events[i] = r->resp.u.event[i];
  return (int)rc;
}
