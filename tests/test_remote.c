/* SPDX-License-Identifier: MIT */
/*
 * test_remote.c - forwarding (docs/wire.md): a bsdsockd started on
 * 127.0.0.1 port 0, and through <bsdsock/remote.h> the same scripted
 * scenario that runs locally — TCP echo, UDP exchange, a refused connect,
 * a non-blocking connect with poll, option round trips, the resolver, the
 * poller — giving the same results, call for call. Then what the server
 * must refuse or survive: a wrong token, another session's descriptors,
 * the socket limit, a malformed frame (fault F29), and a client that goes
 * away while the server is blocked in recv for it (fault F28).
 *
 * The server's path comes from CMake (BSDSOCKD_PATH). With
 * BSDSOCK_TEST_REMOTE=host:port and BSDSOCK_TEST_TOKEN in the environment
 * the suite uses that server instead (started with --max-sockets 24
 * --max-sessions 12 --hello-timeout 1000):
 * scripts/remote-cross.sh runs it so against a bsdsockd of the other OS,
 * and the scenario then compares this OS's results with the other's.
 */
#include "harness.h"

#include <stdlib.h>

#include <bsdsock/remote.h>
#include <bsdsock/wire.h>

#define MAX_SOCKETS 24

static const char *token = "s3cret-token-for-tests";
static int cross;  /* the server is another OS's, started by someone else */

static h_process_t *server;
static char endpoint[64];
static uint16_t server_port;
static bsdsock_remote_t *sess;

/* ---- the calls, local or remote ---------------------------------------------- */

struct ops {
  int (*socket)(int, int, int);
  int (*bind)(int, const bsdsock_addr_t *);
  int (*listen)(int, int);
  int (*accept)(int, bsdsock_addr_t *);
  int (*connect)(int, const bsdsock_addr_t *);
  int (*shutdown)(int, int);
  int (*close)(int);
  int (*getsockname)(int, bsdsock_addr_t *);
  int (*getpeername)(int, bsdsock_addr_t *);
  int (*set_nonblocking)(int, int);
  int (*get_nonblocking)(int);
  bsdsock_ssize_t (*send)(int, const void *, size_t, int);
  bsdsock_ssize_t (*recv)(int, void *, size_t, int);
  bsdsock_ssize_t (*sendto)(int, const void *, size_t, int,
                            const bsdsock_addr_t *);
  bsdsock_ssize_t (*recvfrom)(int, void *, size_t, int, bsdsock_addr_t *);
  int (*setsockopt)(int, int, int, const void *, size_t);
  int (*getsockopt)(int, int, int, void *, size_t *);
  int (*getaddrinfo)(const char *, const char *, const bsdsock_addrinfo_t *,
                     bsdsock_addrinfo_t **);
  int (*getnameinfo)(const bsdsock_addr_t *, char *, size_t, char *, size_t,
                     int);
  int (*poll)(bsdsock_pollfd_t *, size_t, int);
  int (*poller_create)(void);
  int (*poller_close)(int);
  int (*poller_add)(int, int, uint32_t, uint64_t);
  int (*poller_wait)(int, bsdsock_poller_event_t *, int, int);
};

static const struct ops local_ops = {
    bsdsock_socket,      bsdsock_bind,          bsdsock_listen,
    bsdsock_accept,      bsdsock_connect,       bsdsock_shutdown,
    bsdsock_close,       bsdsock_getsockname,   bsdsock_getpeername,
    bsdsock_set_nonblocking, bsdsock_get_nonblocking, bsdsock_send,
    bsdsock_recv,        bsdsock_sendto,        bsdsock_recvfrom,
    bsdsock_setsockopt,  bsdsock_getsockopt,    bsdsock_getaddrinfo,
    bsdsock_getnameinfo, bsdsock_poll,          bsdsock_poller_create,
    bsdsock_poller_close, bsdsock_poller_add,   bsdsock_poller_wait};

static int r_socket(int a, int b, int c) { return bsdsock_remote_socket(sess, a, b, c); }
static int r_bind(int fd, const bsdsock_addr_t *a) { return bsdsock_remote_bind(sess, fd, a); }
static int r_listen(int fd, int b) { return bsdsock_remote_listen(sess, fd, b); }
static int r_accept(int fd, bsdsock_addr_t *a) { return bsdsock_remote_accept(sess, fd, a); }
static int r_connect(int fd, const bsdsock_addr_t *a) { return bsdsock_remote_connect(sess, fd, a); }
static int r_shutdown(int fd, int h) { return bsdsock_remote_shutdown(sess, fd, h); }
static int r_close(int fd) { return bsdsock_remote_close_fd(sess, fd); }
static int r_getsockname(int fd, bsdsock_addr_t *a) { return bsdsock_remote_getsockname(sess, fd, a); }
static int r_getpeername(int fd, bsdsock_addr_t *a) { return bsdsock_remote_getpeername(sess, fd, a); }
static int r_set_nonblocking(int fd, int on) { return bsdsock_remote_set_nonblocking(sess, fd, on); }
static int r_get_nonblocking(int fd) { return bsdsock_remote_get_nonblocking(sess, fd); }
static bsdsock_ssize_t r_send(int fd, const void *b, size_t n, int f) { return bsdsock_remote_send(sess, fd, b, n, f); }
static bsdsock_ssize_t r_recv(int fd, void *b, size_t n, int f) { return bsdsock_remote_recv(sess, fd, b, n, f); }
static bsdsock_ssize_t r_sendto(int fd, const void *b, size_t n, int f, const bsdsock_addr_t *a) { return bsdsock_remote_sendto(sess, fd, b, n, f, a); }
static bsdsock_ssize_t r_recvfrom(int fd, void *b, size_t n, int f, bsdsock_addr_t *a) { return bsdsock_remote_recvfrom(sess, fd, b, n, f, a); }
static int r_setsockopt(int fd, int l, int n, const void *v, size_t len) { return bsdsock_remote_setsockopt(sess, fd, l, n, v, len); }
static int r_getsockopt(int fd, int l, int n, void *v, size_t *len) { return bsdsock_remote_getsockopt(sess, fd, l, n, v, len); }
static int r_getaddrinfo(const char *n, const char *s, const bsdsock_addrinfo_t *h, bsdsock_addrinfo_t **res) { return bsdsock_remote_getaddrinfo(sess, n, s, h, res); }
static int r_getnameinfo(const bsdsock_addr_t *a, char *h, size_t hl, char *s, size_t sl, int f) { return bsdsock_remote_getnameinfo(sess, a, h, hl, s, sl, f); }
static int r_poll(bsdsock_pollfd_t *p, size_t n, int t) { return bsdsock_remote_poll(sess, p, n, t); }
static int r_poller_create(void) { return bsdsock_remote_poller_create(sess); }
static int r_poller_close(int p) { return bsdsock_remote_poller_close(sess, p); }
static int r_poller_add(int p, int fd, uint32_t e, uint64_t d) { return bsdsock_remote_poller_add(sess, p, fd, e, d); }
static int r_poller_wait(int p, bsdsock_poller_event_t *e, int m, int t) { return bsdsock_remote_poller_wait(sess, p, e, m, t); }

static const struct ops remote_ops = {
    r_socket,      r_bind,          r_listen,      r_accept,
    r_connect,     r_shutdown,      r_close,       r_getsockname,
    r_getpeername, r_set_nonblocking, r_get_nonblocking, r_send,
    r_recv,        r_sendto,        r_recvfrom,    r_setsockopt,
    r_getsockopt,  r_getaddrinfo,   r_getnameinfo, r_poll,
    r_poller_create, r_poller_close, r_poller_add, r_poller_wait};

/* ---- the scenario ---------------------------------------------------------------- */

#define MAX_STEPS 200

/* One result per call: what the call returned, made comparable between
 * runs (a descriptor is "a descriptor", a port "a port"). */
struct trace {
  int n;
  const char *what[MAX_STEPS];
  long long value[MAX_STEPS];
};

static void rec(struct trace *t, const char *what, long long value) {
  if (t->n < MAX_STEPS) {
    t->what[t->n] = what;
    t->value[t->n] = value;
    t->n++;
  }
}

/* A descriptor or an error. */
#define FD(v) ((v) >= 0 ? 1000 : (long long)(v))

static void scenario(const struct ops *o, struct trace *t) {
  bsdsock_addr_t lo, a, peer, from, gone;
  bsdsock_addrinfo_t hints, *res = NULL;
  bsdsock_pollfd_t pfd;
  bsdsock_poller_event_t ev[4];
  bsdsock_timeval_t tv = {1, 500000}, tv2;
  bsdsock_linger_t lg = {1, 5}, lg2;
  char buf[256], host[64], serv[16];
  int l, c, s, u1, u2, r, p, one = 1, v;
  size_t len;
  bsdsock_ssize_t n;

  memset(&t->value, 0, sizeof(t->value));
  bsdsock_addr_loopback(&lo, BSDSOCK_AF_INET, 0);

  /* TCP echo. */
  l = o->socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  rec(t, "tcp socket", FD(l));
  rec(t, "bind", o->bind(l, &lo));
  rec(t, "listen", o->listen(l, 8));
  rec(t, "getsockname", o->getsockname(l, &a));
  rec(t, "bound port set", bsdsock_addr_port(&a) != 0);
  c = o->socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  rec(t, "get_nonblocking", o->get_nonblocking(c));
  rec(t, "connect", o->connect(c, &a));
  s = o->accept(l, &peer);
  rec(t, "accept", FD(s));
  rec(t, "peer family", peer.family);
  rec(t, "accepted blocking", o->get_nonblocking(s));
  rec(t, "send", o->send(c, "hello", 5, 0));
  memset(buf, 0, sizeof(buf));
  rec(t, "recv", o->recv(s, buf, sizeof(buf), 0));
  rec(t, "recv bytes", memcmp(buf, "hello", 5) == 0);
  rec(t, "echo", o->send(s, buf, 5, 0));
  memset(buf, 0, sizeof(buf));
  rec(t, "recv echo", o->recv(c, buf, sizeof(buf), 0));
  rec(t, "echo bytes", memcmp(buf, "hello", 5) == 0);
  rec(t, "getpeername", o->getpeername(c, &peer));
  rec(t, "peer is listener", peer.port == a.port);
  rec(t, "send NULL", o->send(c, NULL, 3, 0));
  rec(t, "bad flags", o->send(c, "x", 1, 0x40000000));
  rec(t, "shutdown", o->shutdown(c, BSDSOCK_SHUT_WR));
  rec(t, "recv eof", o->recv(s, buf, sizeof(buf), 0));
  rec(t, "close", o->close(s));
  rec(t, "close", o->close(c));
  rec(t, "close again", o->close(c));
  rec(t, "send closed", o->send(c, "x", 1, 0));

  /* UDP exchange. */
  u1 = o->socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0);
  u2 = o->socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0);
  rec(t, "udp sockets", FD(u1) + FD(u2));
  rec(t, "bind u1", o->bind(u1, &lo));
  rec(t, "bind u2", o->bind(u2, &lo));
  o->getsockname(u2, &a);
  rec(t, "sendto", o->sendto(u1, "ping", 4, 0, &a));
  memset(&from, 0, sizeof(from));
  rec(t, "recvfrom", o->recvfrom(u2, buf, sizeof(buf), 0, &from));
  rec(t, "datagram", memcmp(buf, "ping", 4) == 0);
  o->getsockname(u1, &a);
  rec(t, "from u1", from.port == a.port && from.family == BSDSOCK_AF_INET);
  rec(t, "sendto big", o->sendto(u1, buf, 2, 0, &a));
  rec(t, "recv truncated", o->recv(u1, buf, 1, BSDSOCK_MSG_TRUNC));
  rec(t, "recv dontwait", o->recv(u2, buf, sizeof(buf), BSDSOCK_MSG_DONTWAIT));
  rec(t, "set_nonblocking", o->set_nonblocking(u2, 1));
  rec(t, "get_nonblocking", o->get_nonblocking(u2));
  rec(t, "recv nonblocking", o->recv(u2, buf, sizeof(buf), 0));
  rec(t, "recvfrom nonblocking",
      o->recvfrom(u2, buf, sizeof(buf), 0, &from));
  rec(t, "sendto no dest", o->sendto(u1, "x", 1, 0, NULL));
  rec(t, "close u1", o->close(u1));
  rec(t, "close u2", o->close(u2));

  /* A refused connect: a port that was just free. */
  r = o->socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  o->bind(r, &lo);
  o->getsockname(r, &gone);
  o->close(r);
  r = o->socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  rec(t, "connect refused", o->connect(r, &gone));
  o->close(r);

  /* A non-blocking connect and poll, accepted and refused. */
  c = o->socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM | BSDSOCK_SOCK_NONBLOCK,
                0);
  rec(t, "nonblocking socket", o->get_nonblocking(c));
  o->getsockname(l, &a);
  v = o->connect(c, &a);
  rec(t, "connect in progress", v == 0 || v == BSDSOCK_EINPROGRESS);
  pfd.fd = c;
  pfd.events = BSDSOCK_POLLOUT;
  pfd.revents = 0;
  rec(t, "poll", o->poll(&pfd, 1, 10000));
  rec(t, "pollout", pfd.revents & (BSDSOCK_POLLOUT | BSDSOCK_POLLERR));
  len = sizeof(v);
  v = -1;
  rec(t, "SO_ERROR", o->getsockopt(c, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_ERROR,
                                   &v, &len));
  rec(t, "SO_ERROR value", v);
  o->close(c);
  c = o->socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM | BSDSOCK_SOCK_NONBLOCK,
                0);
  rec(t, "connect refused nb", o->connect(c, &gone));
  pfd.fd = c;
  pfd.revents = 0;
  rec(t, "poll refused", o->poll(&pfd, 1, 10000));
  rec(t, "pollout|pollerr", pfd.revents & (BSDSOCK_POLLOUT | BSDSOCK_POLLERR));
  len = sizeof(v);
  rec(t, "SO_ERROR refused", o->getsockopt(c, BSDSOCK_SOL_SOCKET,
                                           BSDSOCK_SO_ERROR, &v, &len));
  rec(t, "SO_ERROR refused value", v);
  pfd.fd = 999999;
  pfd.revents = 0;
  rec(t, "poll bad fd", o->poll(&pfd, 1, 0));
  rec(t, "pollnval", pfd.revents);
  rec(t, "poll nothing", o->poll(&pfd, 0, 10));

  /* Option round trips. */
  rec(t, "SO_REUSEADDR", o->setsockopt(c, BSDSOCK_SOL_SOCKET,
                                       BSDSOCK_SO_REUSEADDR, &one,
                                       sizeof(one)));
  len = sizeof(v);
  v = 0;
  rec(t, "get SO_REUSEADDR", o->getsockopt(c, BSDSOCK_SOL_SOCKET,
                                           BSDSOCK_SO_REUSEADDR, &v, &len));
  rec(t, "SO_REUSEADDR value", v);
  rec(t, "SO_REUSEADDR len", (long long)len);
  rec(t, "SO_RCVTIMEO", o->setsockopt(c, BSDSOCK_SOL_SOCKET,
                                      BSDSOCK_SO_RCVTIMEO, &tv, sizeof(tv)));
  len = sizeof(tv2);
  memset(&tv2, 0, sizeof(tv2));
  rec(t, "get SO_RCVTIMEO", o->getsockopt(c, BSDSOCK_SOL_SOCKET,
                                          BSDSOCK_SO_RCVTIMEO, &tv2, &len));
  rec(t, "SO_RCVTIMEO value", tv2.sec * 1000000 + tv2.usec);
  rec(t, "SO_LINGER", o->setsockopt(c, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_LINGER,
                                    &lg, sizeof(lg)));
  len = sizeof(lg2);
  memset(&lg2, 0, sizeof(lg2));
  rec(t, "get SO_LINGER", o->getsockopt(c, BSDSOCK_SOL_SOCKET,
                                        BSDSOCK_SO_LINGER, &lg2, &len));
  rec(t, "SO_LINGER value", lg2.onoff * 100000 + lg2.seconds);
  rec(t, "TCP_NODELAY", o->setsockopt(c, BSDSOCK_IPPROTO_TCP,
                                      BSDSOCK_TCP_NODELAY, &one, sizeof(one)));
  len = sizeof(v);
  v = 0;
  rec(t, "get TCP_NODELAY", o->getsockopt(c, BSDSOCK_IPPROTO_TCP,
                                          BSDSOCK_TCP_NODELAY, &v, &len));
  rec(t, "TCP_NODELAY value", v);
  len = sizeof(v);
  rec(t, "get SO_TYPE", o->getsockopt(c, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_TYPE,
                                      &v, &len));
  rec(t, "SO_TYPE value", v);
  rec(t, "unknown option", o->setsockopt(c, BSDSOCK_SOL_SOCKET, 0x7777, &one,
                                         sizeof(one)));
  rec(t, "short value", o->setsockopt(c, BSDSOCK_SOL_SOCKET,
                                      BSDSOCK_SO_REUSEADDR, &one, 2));
  rec(t, "NULL value", o->setsockopt(c, BSDSOCK_SOL_SOCKET,
                                     BSDSOCK_SO_REUSEADDR, NULL, sizeof(one)));
  rec(t, "read-only", o->setsockopt(c, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_ERROR,
                                    &one, sizeof(one)));
  len = 2;
  rec(t, "get short", o->getsockopt(c, BSDSOCK_SOL_SOCKET,
                                    BSDSOCK_SO_REUSEADDR, &v, &len));
  rec(t, "get NULL len", o->getsockopt(c, BSDSOCK_SOL_SOCKET,
                                       BSDSOCK_SO_REUSEADDR, &v, NULL));
  rec(t, "option on closed", o->setsockopt(999999, BSDSOCK_SOL_SOCKET,
                                           BSDSOCK_SO_REUSEADDR, &one,
                                           sizeof(one)));
  o->close(c);

  /* The poller. */
  p = o->poller_create();
  rec(t, "poller", FD(p));
  rec(t, "poller add", o->poller_add(p, l, BSDSOCK_POLLIN, 77));
  rec(t, "poller wait empty", o->poller_wait(p, ev, 4, 0));
  c = o->socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  o->getsockname(l, &a);
  rec(t, "connect for poller", o->connect(c, &a));
  memset(ev, 0, sizeof(ev));
  rec(t, "poller wait", o->poller_wait(p, ev, 4, 10000));
  rec(t, "poller data", (long long)ev[0].data);
  rec(t, "poller events", ev[0].events);
  rec(t, "poller close", o->poller_close(p));
  o->close(c);
  rec(t, "close listener", o->close(l));

  /* The resolver: localhost and numeric forms. */
  memset(&hints, 0, sizeof(hints));
  hints.family = BSDSOCK_AF_INET;
  hints.socktype = BSDSOCK_SOCK_STREAM;
  rec(t, "getaddrinfo localhost", o->getaddrinfo("localhost", "80", &hints,
                                                 &res));
  if (res != NULL) {
    rec(t, "localhost family", res->family);
    rec(t, "localhost addr", res->addr.u.ip4[0] * 1000 + res->addr.u.ip4[3]);
    rec(t, "localhost port", bsdsock_addr_port(&res->addr));
  }
  bsdsock_freeaddrinfo(res);
  res = NULL;
  hints.flags = BSDSOCK_AI_NUMERICHOST | BSDSOCK_AI_NUMERICSERV;
  hints.family = BSDSOCK_AF_UNSPEC;
  rec(t, "getaddrinfo numeric", o->getaddrinfo("::1", "8080", &hints, &res));
  if (res != NULL) {
    rec(t, "numeric family", res->family);
    rec(t, "numeric port", bsdsock_addr_port(&res->addr));
    rec(t, "numeric one", res->next == NULL);
  }
  bsdsock_freeaddrinfo(res);
  res = NULL;
  rec(t, "getaddrinfo not numeric", o->getaddrinfo("not-an-address", NULL,
                                                   &hints, &res));
  rec(t, "getaddrinfo nothing", o->getaddrinfo(NULL, NULL, NULL, &res));
  bsdsock_addr_parse(&a, "127.0.0.1", 8080);
  memset(host, 0, sizeof(host));
  memset(serv, 0, sizeof(serv));
  rec(t, "getnameinfo", o->getnameinfo(&a, host, sizeof(host), serv,
                                       sizeof(serv),
                                       BSDSOCK_NI_NUMERICHOST |
                                           BSDSOCK_NI_NUMERICSERV));
  rec(t, "host", strcmp(host, "127.0.0.1") == 0);
  rec(t, "serv", strcmp(serv, "8080") == 0);
  rec(t, "getnameinfo short", o->getnameinfo(&a, host, 3, serv, sizeof(serv),
                                             BSDSOCK_NI_NUMERICHOST |
                                                 BSDSOCK_NI_NUMERICSERV));
  n = 0;
  (void)n;
}

/* The scenario locally and through the server: the same, call for call. */
static void test_scenario_same_results(void **state) {
  static struct trace local, remote;
  int i, bad = 0;
  (void)state;
  scenario(&local_ops, &local);
  scenario(&remote_ops, &remote);
  assert_int_equal(local.n, remote.n);
  for (i = 0; i < local.n; i++) {
    const char *tag = local.value[i] == remote.value[i] ? "  " : "!!";
    printf("%s %-26s local %-10lld remote %lld\n", tag, local.what[i],
           local.value[i], remote.value[i]);
    if (local.value[i] != remote.value[i]) bad++;
  }
  fflush(stdout);
  assert_int_equal(bad, 0);
}

/* ---- what the server refuses or survives ------------------------------------------ */

static void test_wrong_token(void **state) {
  int err = 0;
  (void)state;
  assert_null(bsdsock_remote_open(endpoint, "wrong", &err));
  H_ASSERT_ERR(err, BSDSOCK_EACCES);
  assert_null(bsdsock_remote_open(endpoint, "", &err));
  H_ASSERT_ERR(err, BSDSOCK_EACCES);
  {
    char longer[256];
    snprintf(longer, sizeof(longer), "%sx", token);
    assert_null(bsdsock_remote_open(endpoint, longer, &err));
  }
  H_ASSERT_ERR(err, BSDSOCK_EACCES);
  assert_null(bsdsock_remote_open("127.0.0.1", token, &err));
  H_ASSERT_ERR(err, BSDSOCK_EINVAL);
}

/* A session can use only its own descriptors. */
static void test_sessions_apart(void **state) {
  bsdsock_remote_t *other;
  bsdsock_pollfd_t pfd;
  int err, fd, one = 1;
  (void)state;
  other = bsdsock_remote_open(endpoint, token, &err);
  assert_non_null(other);
  fd = bsdsock_remote_socket(sess, BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0);
  H_OK(fd);
  H_ASSERT_ERR(bsdsock_remote_close_fd(other, fd), BSDSOCK_EBADF);
  H_ASSERT_ERR(bsdsock_remote_setsockopt(other, fd, BSDSOCK_SOL_SOCKET,
                                         BSDSOCK_SO_BROADCAST, &one,
                                         sizeof(one)),
               BSDSOCK_EBADF);
  pfd.fd = fd;
  pfd.events = BSDSOCK_POLLOUT;
  pfd.revents = 0;
  H_ASSERT_ERR(bsdsock_remote_poll(other, &pfd, 1, 0), 1);
  assert_int_equal(pfd.revents, BSDSOCK_POLLNVAL);
  H_ASSERT_ERR(bsdsock_remote_poll(sess, &pfd, 1, 0), 1);
  assert_int_equal(pfd.revents, BSDSOCK_POLLOUT);
  H_ASSERT_ERR(bsdsock_remote_close_fd(sess, fd), 0);
  bsdsock_remote_close(other);
}

/* The socket limit: EMFILE past it, and room again after a close. */
static void test_socket_limit(void **state) {
  bsdsock_remote_t *r;
  int err, fds[MAX_SOCKETS], i;
  (void)state;
  r = bsdsock_remote_open(endpoint, token, &err);
  assert_non_null(r);
  for (i = 0; i < MAX_SOCKETS; i++) {
    fds[i] = bsdsock_remote_socket(r, BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0);
    H_OK(fds[i]);
  }
  H_ASSERT_ERR(bsdsock_remote_socket(r, BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0),
               BSDSOCK_EMFILE);
  H_ASSERT_ERR(bsdsock_remote_poller_create(r), BSDSOCK_EMFILE);
  H_ASSERT_ERR(bsdsock_remote_close_fd(r, fds[0]), 0);
  H_OK(bsdsock_remote_socket(r, BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0));
  bsdsock_remote_close(r);  /* the server closes the rest */
}

/* MSG_WAITALL on a blocking stream socket: the server's recv waits for
 * the whole room, the rest arriving after it started waiting. (Not in the
 * compared scenario: Wine's own recv returns what is queued.) */
struct late_send {
  int fd;
};

static void send_rest_later(void *arg) {
  struct late_send *ls = arg;
  h_sleep_ms(200);
  bsdsock_send(ls->fd, "tall", 4, 0);
}

static void test_waitall(void **state) {
  bsdsock_addr_t a;
  struct late_send ls;
  h_thread_t *th;
  char buf[16];
  int l, s;
  (void)state;
  l = bsdsock_remote_socket(sess, BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  H_OK(l);
  bsdsock_addr_loopback(&a, BSDSOCK_AF_INET, 0);
  H_ASSERT_ERR(bsdsock_remote_bind(sess, l, &a), 0);
  H_ASSERT_ERR(bsdsock_remote_listen(sess, l, 4), 0);
  H_ASSERT_ERR(bsdsock_remote_getsockname(sess, l, &a), 0);
  /* The sender is local: the server is on this host, on loopback. */
  ls.fd = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  H_OK(ls.fd);
  H_ASSERT_ERR(bsdsock_connect(ls.fd, &a), 0);
  s = bsdsock_remote_accept(sess, l, NULL);
  H_OK(s);
  H_ASSERT_ERR(bsdsock_send(ls.fd, "wai", 3, 0), 3);
  th = h_thread_start(send_rest_later, &ls);
  assert_non_null(th);
  memset(buf, 0, sizeof(buf));
  H_ASSERT_ERR(bsdsock_remote_recv(sess, s, buf, 7, BSDSOCK_MSG_WAITALL), 7);
  assert_memory_equal(buf, "waitall", 7);
  h_thread_join(th);
  /* The stream's end cuts a waiting recv short. */
  H_ASSERT_ERR(bsdsock_send(ls.fd, "x", 1, 0), 1);
  H_ASSERT_ERR(bsdsock_shutdown(ls.fd, BSDSOCK_SHUT_WR), 0);
  H_ASSERT_ERR(bsdsock_remote_recv(sess, s, buf, 7, BSDSOCK_MSG_WAITALL), 1);
  bsdsock_close(ls.fd);
  H_ASSERT_ERR(bsdsock_remote_close_fd(sess, s), 0);
  H_ASSERT_ERR(bsdsock_remote_close_fd(sess, l), 0);
}

/* ---- speaking the protocol by hand ---------------------------------------------------- */

static uint8_t frame[BSDSOCK_WIRE_MAX_FRAME];
static bsdsock_wire_msg_t wmsg;

static int raw_connect(void) {
  bsdsock_addr_t a;
  int fd = bsdsock_socket(BSDSOCK_AF_INET, BSDSOCK_SOCK_STREAM, 0);
  H_OK(fd);
  bsdsock_addr_loopback(&a, BSDSOCK_AF_INET, server_port);
  H_ASSERT_ERR(bsdsock_connect(fd, &a), 0);
  h_io_timeout(fd, 20000);
  return fd;
}

static void raw_send(int fd, const bsdsock_wire_msg_t *m) {
  size_t len;
  H_ASSERT_ERR(bsdsock_wire_encode(m, frame, sizeof(frame),
                                   BSDSOCK_WIRE_MAX_FRAME, &len), 0);
  H_ASSERT_ERR(bsdsock_send(fd, frame, len, 0), (long long)len);
}

/* Reads one frame; 0, or the connection's end. */
static int raw_recv(int fd, bsdsock_wire_msg_t *m) {
  size_t got = 0, need = 4, size;
  while (got < need) {
    bsdsock_ssize_t n = bsdsock_recv(fd, frame + got, need - got, 0);
    if (n <= 0) return n == 0 ? BSDSOCK_ECONNRESET : (int)n;
    got += (size_t)n;
    if (got == 4 && need == 4) {
      H_ASSERT_ERR(bsdsock_wire_frame_size(frame, 4, BSDSOCK_WIRE_MAX_FRAME,
                                           &size), 0);
      need = size;
    }
  }
  H_ASSERT_ERR(bsdsock_wire_decode(frame, got, BSDSOCK_WIRE_MAX_FRAME, m), 0);
  return 0;
}

static void raw_hello(int fd) {
  memset(&wmsg, 0, sizeof(wmsg));
  wmsg.opcode = BSDSOCK_WIRE_OP_HELLO;
  wmsg.data = (const uint8_t *)token;
  wmsg.data_len = strlen(token);
  raw_send(fd, &wmsg);
  H_ASSERT_ERR(raw_recv(fd, &wmsg), 0);
  assert_int_equal(wmsg.opcode, BSDSOCK_WIRE_OP_HELLO | BSDSOCK_WIRE_RESPONSE);
  H_ASSERT_ERR(wmsg.num[0], 0);
  assert_int_equal(wmsg.num[2], MAX_SOCKETS);
}

/* Waits (bounded) until the connection ends: the server closed it. */
static void assert_closed_by_server(int fd) {
  char c;
  bsdsock_ssize_t n = bsdsock_recv(fd, &c, 1, 0);
  if (n != 0 && n != BSDSOCK_ECONNRESET)
    fail_msg("the server did not close the connection: %lld", (long long)n);
}

/* A malformed frame gets an ERROR frame, then the connection is closed;
 * so does a first frame that is not HELLO. */
static void test_bad_frames(void **state) {
  static const uint8_t garbage[16] = {0, 0, 0, 12, 0, 9, 0, 3};
  int fd;
  (void)state;
  fd = raw_connect();
  raw_hello(fd);
  H_ASSERT_ERR(bsdsock_send(fd, garbage, sizeof(garbage), 0), 16);
  H_ASSERT_ERR(raw_recv(fd, &wmsg), 0);
  assert_int_equal(wmsg.opcode, BSDSOCK_WIRE_OP_ERROR | BSDSOCK_WIRE_RESPONSE);
  H_ASSERT_ERR(wmsg.num[0], BSDSOCK_EPROTO);
  assert_closed_by_server(fd);
  bsdsock_close(fd);

  fd = raw_connect();
  memset(&wmsg, 0, sizeof(wmsg));
  wmsg.opcode = BSDSOCK_WIRE_OP_SOCKET;
  raw_send(fd, &wmsg);
  H_ASSERT_ERR(raw_recv(fd, &wmsg), 0);
  assert_int_equal(wmsg.opcode, BSDSOCK_WIRE_OP_ERROR | BSDSOCK_WIRE_RESPONSE);
  H_ASSERT_ERR(wmsg.num[0], BSDSOCK_EACCES);
  assert_closed_by_server(fd);
  bsdsock_close(fd);

  /* A length over the frame limit: refused from its first 4 bytes. */
  fd = raw_connect();
  raw_hello(fd);
  H_ASSERT_ERR(bsdsock_send(fd, "\x7f\xff\xff\xff", 4, 0), 4);
  H_ASSERT_ERR(raw_recv(fd, &wmsg), 0);
  H_ASSERT_ERR(wmsg.num[0], BSDSOCK_EMSGSIZE);
  assert_closed_by_server(fd);
  bsdsock_close(fd);
}

/* Requests sent ahead of their answers are answered in order, each with
 * its call id; more than the server's in-flight limit (16 by default)
 * while a call blocks gets ERROR EBUSY and the connection closed. */
static void test_calls_in_flight(void **state) {
  static uint8_t many[64 * 20];
  size_t len, total = 0;
  uint32_t id;
  int fd, u, i;
  (void)state;
  fd = raw_connect();
  raw_hello(fd);
  for (id = 10; id < 13; id++) {
    memset(&wmsg, 0, sizeof(wmsg));
    wmsg.opcode = BSDSOCK_WIRE_OP_SOCKET;
    wmsg.call_id = id;
    wmsg.num[0] = BSDSOCK_AF_INET;
    wmsg.num[1] = BSDSOCK_SOCK_DGRAM;
    H_ASSERT_ERR(bsdsock_wire_encode(&wmsg, many + total, sizeof(many) - total,
                                     BSDSOCK_WIRE_MAX_FRAME, &len), 0);
    total += len;
  }
  H_ASSERT_ERR(bsdsock_send(fd, many, total, 0), (long long)total);
  for (id = 10; id < 13; id++) {
    H_ASSERT_ERR(raw_recv(fd, &wmsg), 0);
    assert_int_equal(wmsg.opcode, BSDSOCK_WIRE_OP_SOCKET | BSDSOCK_WIRE_RESPONSE);
    assert_int_equal(wmsg.call_id, id);
    H_OK(wmsg.num[0]);
    u = (int)wmsg.num[0];
  }
  /* A blocking recv, then 16 more requests behind it. */
  memset(&wmsg, 0, sizeof(wmsg));
  wmsg.opcode = BSDSOCK_WIRE_OP_RECV;
  wmsg.call_id = 20;
  wmsg.num[0] = u;
  wmsg.num[2] = 10;
  raw_send(fd, &wmsg);
  total = 0;
  for (i = 0; i < 16; i++) {
    memset(&wmsg, 0, sizeof(wmsg));
    wmsg.opcode = BSDSOCK_WIRE_OP_GET_NONBLOCKING;
    wmsg.call_id = 21 + (uint32_t)i;
    wmsg.num[0] = u;
    H_ASSERT_ERR(bsdsock_wire_encode(&wmsg, many + total, sizeof(many) - total,
                                     BSDSOCK_WIRE_MAX_FRAME, &len), 0);
    total += len;
  }
  H_ASSERT_ERR(bsdsock_send(fd, many, total, 0), (long long)total);
  H_ASSERT_ERR(raw_recv(fd, &wmsg), 0);
  assert_int_equal(wmsg.opcode, BSDSOCK_WIRE_OP_ERROR | BSDSOCK_WIRE_RESPONSE);
  H_ASSERT_ERR(wmsg.num[0], BSDSOCK_EBUSY);
  assert_closed_by_server(fd);
  bsdsock_close(fd);
}

/* A connection that never says HELLO is closed after --hello-timeout
 * (1 s for this suite's server). */
static void test_hello_timeout(void **state) {
  int fd;
  (void)state;
  fd = raw_connect();
  assert_closed_by_server(fd);
  bsdsock_close(fd);
}

/* Past --max-sessions (12 for this suite's server) a connection is closed
 * at once: at most 11 more besides the suite's own session open. */
static void test_session_limit(void **state) {
  bsdsock_remote_t *r[12];
  int i, n = 0, err = 0, ok = 0;
  (void)state;
  for (i = 0; i < 12; i++) {
    r[n] = bsdsock_remote_open(endpoint, token, &err);
    if (r[n] == NULL) break;
    n++;
  }
  assert_true(i < 12);
  H_ASSERT_ERR(err, BSDSOCK_ECONNRESET);
  for (i = 0; i < n; i++) bsdsock_remote_close(r[i]);
  /* The closed sessions free their places (their threads end soon). */
  for (i = 0; i < 100 && !ok; i++) {  /* up to 10 s */
    bsdsock_remote_t *again = bsdsock_remote_open(endpoint, token, &err);
    ok = again != NULL;
    bsdsock_remote_close(again);
    if (!ok) h_sleep_ms(100);
  }
  assert_true(ok);
}

/* One raw request and its answer's result (and address). */
static int64_t raw_call(int fd, int opcode, int64_t a, int64_t b,
                        const bsdsock_addr_t *addr) {
  memset(&wmsg, 0, sizeof(wmsg));
  wmsg.opcode = (uint16_t)opcode;
  wmsg.num[0] = a;
  wmsg.num[1] = b;
  wmsg.has_addr = addr != NULL;
  if (addr) wmsg.addr = *addr;
  raw_send(fd, &wmsg);
  H_ASSERT_ERR(raw_recv(fd, &wmsg), 0);
  return wmsg.num[0];
}

/* A client that goes away while the server is blocked for it in a call
 * (a recv, an accept, a poll, a poller wait, each with no end but the
 * client's): the server ends the call, closes the session's sockets (the
 * port is free again) and goes on serving the others (fault F28). */
static void killed_during(int opcode) {
  int type = opcode == BSDSOCK_WIRE_OP_ACCEPT ? BSDSOCK_SOCK_STREAM
                                              : BSDSOCK_SOCK_DGRAM;
  bsdsock_addr_t lo, bound;
  int fd, u, p = -1, i, freed = 0, before;
  fd = raw_connect();
  raw_hello(fd);
  u = (int)raw_call(fd, BSDSOCK_WIRE_OP_SOCKET, BSDSOCK_AF_INET, type, NULL);
  H_OK(u);
  bsdsock_addr_loopback(&lo, BSDSOCK_AF_INET, 0);
  H_ASSERT_ERR(raw_call(fd, BSDSOCK_WIRE_OP_BIND, u, 0, &lo), 0);
  H_ASSERT_ERR(raw_call(fd, BSDSOCK_WIRE_OP_GETSOCKNAME, u, 1, NULL), 0);
  bound = wmsg.addr;
  if (type == BSDSOCK_SOCK_STREAM)
    H_ASSERT_ERR(raw_call(fd, BSDSOCK_WIRE_OP_LISTEN, u, 4, NULL), 0);
  if (opcode == BSDSOCK_WIRE_OP_POLLER_WAIT) {
    p = (int)raw_call(fd, BSDSOCK_WIRE_OP_POLLER_CREATE, 0, 0, NULL);
    H_OK(p);
    memset(&wmsg, 0, sizeof(wmsg));
    wmsg.opcode = BSDSOCK_WIRE_OP_POLLER_ADD;
    wmsg.num[0] = p;
    wmsg.num[1] = u;
    wmsg.num[2] = BSDSOCK_POLLIN;
    raw_send(fd, &wmsg);
    H_ASSERT_ERR(raw_recv(fd, &wmsg), 0);
    H_ASSERT_ERR(wmsg.num[0], 0);
  }
  /* The call that blocks: nothing will ever arrive. */
  memset(&wmsg, 0, sizeof(wmsg));
  wmsg.opcode = (uint16_t)opcode;
  switch (opcode) {
    case BSDSOCK_WIRE_OP_RECV:  /* fd, flags, room */
      wmsg.num[0] = u;
      wmsg.num[2] = 100;
      break;
    case BSDSOCK_WIRE_OP_ACCEPT:  /* fd, want peer */
      wmsg.num[0] = u;
      break;
    case BSDSOCK_WIRE_OP_POLL:  /* timeout, entries */
      wmsg.num[0] = -1;
      wmsg.count = 1;
      wmsg.u.pollfd[0].fd = u;
      wmsg.u.pollfd[0].events = BSDSOCK_POLLIN;
      break;
    default:  /* POLLER_WAIT: poller, max events, timeout */
      wmsg.num[0] = p;
      wmsg.num[1] = 4;
      wmsg.num[2] = -1;
      break;
  }
  raw_send(fd, &wmsg);
  /* The other session works while that call blocks. */
  before = bsdsock_remote_socket(sess, BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0);
  H_OK(before);
  H_ASSERT_ERR(bsdsock_remote_close_fd(sess, before), 0);
  /* While it blocks, the port is taken. */
  bsdsock_addr_loopback(&lo, BSDSOCK_AF_INET, bsdsock_addr_port(&bound));
  u = bsdsock_socket(BSDSOCK_AF_INET, type, 0);
  H_ASSERT_ERR(bsdsock_bind(u, &lo), BSDSOCK_EADDRINUSE);
  bsdsock_close(u);
  /* The client goes away mid-call. */
  bsdsock_close(fd);
  for (i = 0; i < 200 && !freed; i++) {  /* up to 10 s */
    u = bsdsock_socket(BSDSOCK_AF_INET, type, 0);
    freed = bsdsock_bind(u, &lo) == 0;
    bsdsock_close(u);
    if (!freed) h_sleep_ms(50);
  }
  if (!freed)
    fail_msg("%s: the session's socket outlived it",
             bsdsock_wire_op_name((unsigned)opcode));
  /* And the server goes on: the old session and a new one. */
  before = bsdsock_remote_socket(sess, BSDSOCK_AF_INET, BSDSOCK_SOCK_DGRAM, 0);
  H_OK(before);
  H_ASSERT_ERR(bsdsock_remote_close_fd(sess, before), 0);
  {
    bsdsock_remote_t *r = bsdsock_remote_open(endpoint, token, &i);
    assert_non_null(r);
    if (!cross)
      assert_string_equal(bsdsock_remote_backend(r), bsdsock_backend());
    bsdsock_remote_close(r);
  }
}

static void test_killed_mid_call(void **state) {
  (void)state;
  killed_during(BSDSOCK_WIRE_OP_RECV);
  killed_during(BSDSOCK_WIRE_OP_ACCEPT);
  killed_during(BSDSOCK_WIRE_OP_POLL);
  killed_during(BSDSOCK_WIRE_OP_POLLER_WAIT);
}

/* ---- the server ------------------------------------------------------------------------- */

/* A server someone else started (scripts/remote-cross.sh). */
static int use_server(const char *where, const char *tok) {
  const char *colon = strrchr(where, ':');
  int err;
  if (colon == NULL || strlen(where) >= sizeof(endpoint)) return -1;
  snprintf(endpoint, sizeof(endpoint), "%s", where);
  server_port = (uint16_t)atoi(colon + 1);
  token = tok;
  cross = 1;
  sess = bsdsock_remote_open(endpoint, token, &err);
  if (sess == NULL) {
    printf("cannot open a session with %s: %s\n", endpoint,
           bsdsock_err_name(err));
    return -1;
  }
  printf("cross-OS: bsdsockd on %s, backend %s; this side %s\n", endpoint,
         bsdsock_remote_backend(sess), bsdsock_backend());
  return 0;
}

static int start_server(void) {
  static const char *const extra[] = {"--max-sockets", "24",
                                      "--max-sessions", "12",
                                      "--hello-timeout", "1000", NULL};
  int err;
  unsigned port;
  server = h_bsdsockd_start(BSDSOCKD_PATH, token, extra, &port);
  if (server == NULL) return -1;
  server_port = (uint16_t)port;
  snprintf(endpoint, sizeof(endpoint), "127.0.0.1:%u", port);
  sess = bsdsock_remote_open(endpoint, token, &err);
  if (sess == NULL) {
    printf("cannot open a session: %s\n", bsdsock_err_name(err));
    return -1;
  }
  printf("bsdsockd on %s, backend %s\n", endpoint,
         bsdsock_remote_backend(sess));
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_scenario_same_results),
      cmocka_unit_test(test_waitall),
      cmocka_unit_test(test_wrong_token),
      cmocka_unit_test(test_sessions_apart),
      cmocka_unit_test(test_socket_limit),
      cmocka_unit_test(test_bad_frames),
      cmocka_unit_test(test_calls_in_flight),
      cmocka_unit_test(test_hello_timeout),
      cmocka_unit_test(test_session_limit),
      cmocka_unit_test(test_killed_mid_call),
  };
  int rc;
  bsdsock_init();
  if (getenv("BSDSOCK_TEST_REMOTE") != NULL &&
      getenv("BSDSOCK_TEST_TOKEN") != NULL) {
    if (use_server(getenv("BSDSOCK_TEST_REMOTE"),
                   getenv("BSDSOCK_TEST_TOKEN")) != 0)
      return 1;
  } else if (start_server() != 0) {
    h_process_kill(server);
    return 1;
  }
  rc = H_RUN("remote", tests);
  bsdsock_remote_close(sess);
  h_process_kill(server);
  return rc;
}
