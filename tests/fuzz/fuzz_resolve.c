/* SPDX-License-Identifier: MIT */
/*
 * fuzz_resolve.c - libFuzzer target for the resolver front end with
 * numeric-only flags (fuzz target Z3 of docs/quirks.md; src/resolve.c).
 *
 * Never a name lookup. The hints always carry BSDSOCK_AI_NUMERICHOST and
 * BSDSOCK_AI_NUMERICSERV, and the input's other flag bits may add only
 * PASSIVE, V4MAPPED, ALL and ADDRCONFIG: CANONNAME, which can ask for a
 * reverse lookup, is refused. getnameinfo always gets NI_NUMERICHOST and
 * NI_NUMERICSERV. And as a tripwire behind that, the target is linked
 * with the system's getaddrinfo/getnameinfo wrapped (tests/fuzz/
 * CMakeLists.txt): a call that reaches the system without the numeric
 * flags aborts, whatever bsdsock did to the hints.
 *
 * Input: four bytes of settings (hints, getnameinfo flags, an injected
 * failure), two of node length, then the node's bytes and the service's. Both texts are arbitrary bytes,
 * NULs included, in heap blocks of exactly their length plus a NUL, so a
 * read past the end is an ASan report; what the library sees is the text
 * up to the first NUL, and the oracle works on that. Oracles:
 *  - getaddrinfo: *res is NULL exactly when the call fails, and the code
 *    has a name; a node over 255 bytes is BSDSOCK_ENAMETOOLONG; a node
 *    with no ':' that is not strict dotted IPv4 is BSDSOCK_EAI_NONAME
 *    (fault F21); every result is IPv4 or IPv6 of the hinted family, has
 *    no canonical name, is the node's own address (bsdsock_addr_parse of
 *    the node, IPv4-mapped where asked) or the wildcard/loopback address
 *    without a node, round-trips through bsdsock_addr_to_text and
 *    bsdsock_addr_parse, and carries the service's port;
 *  - getnameinfo, on an address built from the input (any family, port,
 *    bytes, scope): for IPv4 and IPv6 the answer is numeric text that
 *    parses back to the address and the port; a buffer too small is BSDSOCK_EAI_OVERFLOW
 *    with both buffers untouched, else the same answer as with full-size
 *    buffers;
 *  - injected failures (getaddrinfo's EAI_* codes, running out of memory
 *    part-way through the results) give the mapped code and leak nothing.
 */
#define _POSIX_C_SOURCE 200809L /* struct addrinfo under -std=c11 */

#include <errno.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsdsock/bsdsock.h>

#include "fault.h"

#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the tripwire: the system resolver, wrapped at link time ----------- */

int __real_getaddrinfo(const char *node, const char *service,
                       const struct addrinfo *hints, struct addrinfo **res);
int __wrap_getaddrinfo(const char *node, const char *service,
                       const struct addrinfo *hints, struct addrinfo **res);
int __real_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host,
                       socklen_t hostlen, char *serv, socklen_t servlen,
                       int flags);
int __wrap_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host,
                       socklen_t hostlen, char *serv, socklen_t servlen,
                       int flags);

int __wrap_getaddrinfo(const char *node, const char *service,
                       const struct addrinfo *hints, struct addrinfo **res) {
  if (hints == NULL || !(hints->ai_flags & AI_NUMERICHOST) ||
      !(hints->ai_flags & AI_NUMERICSERV) || (hints->ai_flags & AI_CANONNAME))
    abort();
  return __real_getaddrinfo(node, service, hints, res);
}

int __wrap_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host,
                       socklen_t hostlen, char *serv, socklen_t servlen,
                       int flags) {
  if (!(flags & NI_NUMERICHOST) || !(flags & NI_NUMERICSERV)) abort();
  return __real_getnameinfo(sa, salen, host, hostlen, serv, servlen, flags);
}

/* ---- input (fuzz_input.h) ------------------------------------------------- */


/* n bytes of the input as text in an exact-size block (plus the NUL). */
static char *take_text(struct input *in, size_t n) {
  char *t;
  if (n > in->left) n = in->left;
  t = malloc(n + 1);
  if (t == NULL) abort();
  memcpy(t, in->p, n);
  t[n] = '\0';
  in->p += n;
  in->left -= n;
  return t;
}

/* The service as a port: 1 and *port for plain decimal digits whose value
 * fits 16 bits, 0 for anything else. */
static int decimal_port(const char *s, uint16_t *port) {
  unsigned long v = 0;
  if (*s == '\0') return 0;
  for (; *s != '\0'; s++) {
    if (*s < '0' || *s > '9') return 0;
    v = v * 10 + (unsigned long)(*s - '0');
    if (v > 65535) return 0;
  }
  *port = (uint16_t)v;
  return 1;
}

/* ---- getaddrinfo --------------------------------------------------------- */

static const int families[] = {BSDSOCK_AF_UNSPEC, BSDSOCK_AF_INET,
                               BSDSOCK_AF_INET6, BSDSOCK_AF_UNIX, 12345};
static const int socktypes[] = {0, BSDSOCK_SOCK_STREAM, BSDSOCK_SOCK_DGRAM,
                                BSDSOCK_SOCK_RAW, 77};
static const int protocols[] = {0, BSDSOCK_IPPROTO_TCP, BSDSOCK_IPPROTO_UDP,
                                -1};
static const int extra_ai[] = {BSDSOCK_AI_PASSIVE, BSDSOCK_AI_V4MAPPED,
                               BSDSOCK_AI_ALL, BSDSOCK_AI_ADDRCONFIG};

#define PICK(table, v) table[(v) % (sizeof(table) / sizeof(table[0]))]

/* The address a result must have: the node's, mapped into IPv6 when an
 * IPv4 node comes back as AF_INET6 (V4MAPPED), or for no node the
 * wildcard (PASSIVE) or loopback address of the result's family. */
static int expected_addr(const char *node, int flags, int family,
                         uint16_t port, bsdsock_addr_t *want) {
  bsdsock_addr_t a;
  if (node == NULL)
    return (flags & BSDSOCK_AI_PASSIVE) ? bsdsock_addr_any(want, family, port)
                                        : bsdsock_addr_loopback(want, family,
                                                                port);
  if (bsdsock_addr_parse(&a, node, port) != 0) return -1;
  if (a.family == BSDSOCK_AF_INET && family == BSDSOCK_AF_INET6) {
    memset(want, 0, sizeof(*want));
    want->family = BSDSOCK_AF_INET6;
    want->port = a.port;
    want->u.ip6[10] = want->u.ip6[11] = 0xff;
    memcpy(&want->u.ip6[12], a.u.ip4, 4);
    return 0;
  }
  *want = a;
  return 0;
}

static void check_result(const bsdsock_addrinfo_t *ai, const char *node,
                         const char *service, const bsdsock_addrinfo_t *h) {
  char text[BSDSOCK_ADDRSTRLEN];
  bsdsock_addr_t want, back;
  uint16_t port = 0;
  int plain = service == NULL || decimal_port(service, &port);
  /* A service that is not a plain decimal port is EAI_SERVICE (Z3). */
  if (!plain) abort();
  for (; ai != NULL; ai = ai->next) {
    if (ai->family != BSDSOCK_AF_INET && ai->family != BSDSOCK_AF_INET6)
      abort();
    if (ai->addr.family != ai->family) abort();
    if (h->family != BSDSOCK_AF_UNSPEC && ai->family != h->family) abort();
    if (ai->canonname != NULL) abort();
    if (bsdsock_addr_port(&ai->addr) != port) abort();
    /* Numeric, and the node's own address. */
    if (expected_addr(node, h->flags, ai->family, port, &want) != 0) abort();
    want.flowinfo = ai->addr.flowinfo;
    if (memcmp(&want, &ai->addr, sizeof(want)) != 0) abort();
    if (bsdsock_addr_to_text(&ai->addr, text, sizeof(text)) < 0) abort();
    if (bsdsock_addr_parse(&back, text, port) != 0) abort();
    back.flowinfo = ai->addr.flowinfo;
    if (memcmp(&back, &ai->addr, sizeof(back)) != 0) abort();
  }
}

/* Injected failures of getaddrinfo: its EAI_* values and what bsdsock
 * must say for each. */
static const struct {
  int native, portable;
} gai_faults[] = {
    {EAI_AGAIN, BSDSOCK_EAI_AGAIN},   {EAI_FAIL, BSDSOCK_EAI_FAIL},
    {EAI_MEMORY, BSDSOCK_EAI_MEMORY}, {EAI_NONAME, BSDSOCK_EAI_NONAME},
    {EAI_SERVICE, BSDSOCK_EAI_SERVICE},
};

/* Whether rc is the front end refusing the hints, which it checks before
 * the node's text (and that before the service's). */
static int refused_hints(int rc) {
  return rc == BSDSOCK_EAI_BADFLAGS || rc == BSDSOCK_EAI_FAMILY ||
         rc == BSDSOCK_EAI_SOCKTYPE || rc == BSDSOCK_EAI_PROTOCOL;
}

static void fuzz_getaddrinfo(uint32_t setup, char *node, char *service) {
  bsdsock_addrinfo_t h, *res = &h;
  bsdsock_addr_t a;
  const char *n = node[0] ? node : NULL, *s = service[0] ? service : NULL;
  int rc, i, fault = (int)(setup >> 16) % 8;
  uint16_t port;
  memset(&h, 0, sizeof(h));
  h.flags = BSDSOCK_AI_NUMERICHOST | BSDSOCK_AI_NUMERICSERV;
  for (i = 0; i < 4; i++)
    if (setup & (1u << i)) h.flags |= extra_ai[i];
  h.family = PICK(families, setup >> 4);
  h.socktype = PICK(socktypes, setup >> 7);
  h.protocol = PICK(protocols, setup >> 10);
  /* Faults 1-5 make the system call fail; 6 and 7 run out of memory after
   * the first or second result. */
  if (fault >= 1 && fault <= 5)
    bsdsock__fault_set(BSDSOCK__SYS_getaddrinfo, gai_faults[fault - 1].native,
                       0, 1);
  else if (fault >= 6)
    bsdsock__fault_set(BSDSOCK__SYS_alloc, ENOMEM, fault - 6, -1);
  rc = bsdsock_getaddrinfo(node, service, &h, &res);
  bsdsock__fault_reset();
  if ((rc == 0) != (res != NULL)) abort();
  if (strcmp(bsdsock_err_name(rc), "EUNKNOWN") == 0) abort();
  if (n != NULL && strlen(n) > 255 && rc != BSDSOCK_ENAMETOOLONG &&
      !refused_hints(rc))
    abort();
  if (n == NULL && s == NULL && rc != BSDSOCK_EAI_NONAME) abort();
  /* Strict numeric IPv4 only: inet_aton's forms are no address. */
  if (n != NULL && strlen(n) <= 255 && strchr(n, ':') == NULL &&
      bsdsock_addr_parse(&a, n, 0) != 0 && rc != BSDSOCK_EAI_NONAME &&
      !refused_hints(rc))
    abort();
  /* EAI_ADDRFAMILY only for a numeric node of the other family than the
   * hints (Z3). */
  if (rc == BSDSOCK_EAI_ADDRFAMILY &&
      (n == NULL || bsdsock_addr_parse(&a, n, 0) != 0 ||
       h.family == BSDSOCK_AF_UNSPEC || a.family == h.family))
    abort();
  if (rc == 0) {
    if (fault >= 1 && fault <= 5) abort();
    check_result(res, n, s, &h);
    /* A plain decimal port must come back as it is. */
    if (s != NULL && decimal_port(s, &port) &&
        bsdsock_addr_port(&res->addr) != port)
      abort();
  } else if (fault >= 1 && fault <= 5 && rc != gai_faults[fault - 1].portable &&
             rc != BSDSOCK_ENAMETOOLONG && rc != BSDSOCK_EAI_NONAME &&
             rc != BSDSOCK_EAI_ADDRFAMILY && rc != BSDSOCK_EAI_SERVICE &&
             !refused_hints(rc)) {
    abort();  /* the injected code, unless the front end refused first */
  }
  bsdsock_freeaddrinfo(res);
}

/* ---- getnameinfo --------------------------------------------------------- */

static const int ni_families[] = {BSDSOCK_AF_INET, BSDSOCK_AF_INET6,
                                  BSDSOCK_AF_INET6, BSDSOCK_AF_UNIX,
                                  BSDSOCK_AF_UNSPEC, -7};
static const int extra_ni[] = {BSDSOCK_NI_NOFQDN, BSDSOCK_NI_NAMEREQD,
                               BSDSOCK_NI_DGRAM};

/* A buffer of exactly len bytes, filled with a pattern to see whether the
 * call wrote to it. */
static char *out_buf(size_t len) {
  char *b = malloc(len ? len : 1);
  if (b == NULL) abort();
  memset(b, 0x5a, len ? len : 1);
  return b;
}

static int untouched(const char *b, size_t len) {
  size_t i;
  for (i = 0; b != NULL && i < len; i++)
    if (b[i] != 0x5a) return 0;
  return 1;
}

static void fuzz_getnameinfo(uint32_t setup, struct input *in) {
  char fhost[BSDSOCK_NI_MAXHOST], fserv[BSDSOCK_NI_MAXSERV], num[8];
  char *host = NULL, *serv = NULL;
  bsdsock_addr_t a, back;
  size_t hostlen = take(in, 2) % (BSDSOCK_NI_MAXHOST + 8);
  size_t servlen = take(in, 1) % 40;
  int flags = BSDSOCK_NI_NUMERICHOST | BSDSOCK_NI_NUMERICSERV, i, rc, ref;
  int ask_host = !(setup & 0x100000), ask_serv = !(setup & 0x200000), fits, ip;
  memset(&a, 0, sizeof(a));
  a.family = PICK(ni_families, setup >> 8);
  a.port = (uint16_t)take(in, 2);
  a.flowinfo = take(in, 4);
  a.scope_id = take(in, 1) % 4 ? take(in, 1) % 4 : take(in, 4);
  for (i = 0; i < 16; i++) a.u.ip6[i] = (uint8_t)take(in, 1);
  for (i = 0; i < 3; i++)
    if (setup & (1u << (24 + i))) flags |= extra_ni[i];
  /* The reference answer, with full-size buffers. */
  ref = bsdsock_getnameinfo(&a, ask_host ? fhost : NULL,
                            ask_host ? sizeof(fhost) : 0,
                            ask_serv ? fserv : NULL,
                            ask_serv ? sizeof(fserv) : 0, flags);
  if (strcmp(bsdsock_err_name(ref), "EUNKNOWN") == 0) abort();
  if (!ask_host && !ask_serv && ref != BSDSOCK_EINVAL) abort();
  /* AF_UNIX goes to the system too, which answers with no lookup
   * ("localhost" and the path on glibc): only the buffer rules below
   * apply to it. */
  ip = a.family == BSDSOCK_AF_INET || a.family == BSDSOCK_AF_INET6;
  if (ref == 0 && ip && ask_serv) {
    snprintf(num, sizeof(num), "%u", (unsigned)bsdsock_addr_port(&a));
    if (strcmp(fserv, num) != 0) abort();
  }
  if (ref == 0 && ip && ask_host) {
    /* Numeric text for the same address (the scope only where the system
     * prints one: link-local addresses). */
    if (bsdsock_addr_parse(&back, fhost, bsdsock_addr_port(&a)) != 0) abort();
    if (back.family != a.family) abort();
    if (memcmp(back.u.ip6, a.u.ip6, a.family == BSDSOCK_AF_INET ? 4 : 16))
      abort();
    if (strchr(fhost, '%') != NULL && back.scope_id != a.scope_id) abort();
  }
  /* The same call with buffers of the input's sizes: the same answer if
   * it fits, else EAI_OVERFLOW with both buffers untouched. */
  if (ask_host) host = out_buf(hostlen);
  if (ask_serv) serv = out_buf(servlen);
  rc = bsdsock_getnameinfo(&a, host, ask_host ? hostlen : 0, serv,
                           ask_serv ? servlen : 0, flags);
  fits = ref == 0 && (!ask_host || strlen(fhost) < hostlen) &&
         (!ask_serv || strlen(fserv) < servlen);
  if (ref != 0) {
    if (rc != ref) abort();
  } else if (!fits) {
    if (rc != BSDSOCK_EAI_OVERFLOW) abort();
  } else {
    if (rc != 0) abort();
    if (ask_host && strcmp(host, fhost) != 0) abort();
    if (ask_serv && strcmp(serv, fserv) != 0) abort();
  }
  if (rc != 0 && (!untouched(host, hostlen) || !untouched(serv, servlen)))
    abort();
  free(host);
  free(serv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct input in = {data, size};
  uint32_t setup = take(&in, 4);
  size_t node_len = take(&in, 2) % 1100;
  char *node = take_text(&in, node_len);
  char *service = take_text(&in, in.left > 64 ? 64 : in.left);
  fuzz_getaddrinfo(setup, node, service);
  free(node);
  free(service);
  in.p = data;
  in.left = size;
  (void)take(&in, 1);
  fuzz_getnameinfo(setup, &in);
  return 0;
}
