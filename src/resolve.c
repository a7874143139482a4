/* SPDX-License-Identifier: MIT */
/*
 * src/resolve.c - getaddrinfo()/getnameinfo() over portable types.
 *
 * The front end is bsdsock's own (argument checks, strict numeric hosts
 * and ports, hint translation, result conversion); the lookup itself is
 * the system resolver, which stays outside bsdsock's trust boundary
 * (CVE-2015-7547). Text that is a number (an address, a port) is read by
 * bsdsock and means one thing on every platform: the address parser and
 * formatter are src/addr.c's, the systems' own disagree with them and with
 * each other.
 */
#include "internal.h"

#include <stdlib.h>

#define MAX_HOSTNAME 255   /* RFC 1035; longer names are refused, never cut */
#define PORT_MAX 65535

static int is_digit(char c) {
  return c >= '0' && c <= '9';
}

/* True if every dot-separated label is decimal digits or 0x-hex: text that
 * inet_aton() and the system getaddrinfo() would take as an IPv4 address in
 * one of its legacy forms ("127.1", "010.0.0.1", "0x7f000001"). */
static int looks_like_ipv4(const char *s) {
  int label_len = 0, hex = 0;
  for (;; s++) {
    if (*s == '.' || *s == '\0') {
      if (label_len == 0) return 0;
      if (*s == '\0') return 1;
      label_len = 0;
      hex = 0;
      continue;
    }
    if (label_len == 1 && s[-1] == '0' && (*s == 'x' || *s == 'X')) {
      hex = 1;
    } else if (!is_digit(*s) &&
               !(hex && ((*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))) {
      return 0;
    }
    label_len++;
  }
}

/* A numeric host, as bsdsock's parser read it. */
struct host {
  int numeric;                             /* node is address text */
  bsdsock_addr_t addr;                     /* what it says, scope included */
  char text[BSDSOCK_INET6_ADDRSTRLEN];     /* canonical form, for the system */
};

/* IPv4 address a as its IPv4-mapped IPv6 address ::ffff:a.b.c.d. */
static void map_v4(bsdsock_addr_t *a) {
  uint8_t v4[4];
  memcpy(v4, a->u.ip4, 4);
  memset(a->u.ip6, 0, 16);
  a->u.ip6[10] = 0xff;
  a->u.ip6[11] = 0xff;
  memcpy(a->u.ip6 + 12, v4, 4);
  a->family = BSDSOCK_AF_INET6;
}

/* Reads node: address text goes through bsdsock's own parser
 * (bsdsock__addr_parse, the one bsdsock_addr_parse uses, so "::%070" is no
 * more an address here than there) into *h; a name is left to the system.
 * Text the system resolver would read as an address in a form bsdsock
 * refuses is no name either: the legacy IPv4 forms inet_aton() takes
 * ("010.0.0.1" is 8.0.0.1 to it: CVE-2021-29923, CVE-2024-24806, fault
 * F21), and anything with a ':' or '%', which no host name has (RFC 1123)
 * and glibc reads as IPv6 with a scope ("::%070" as scope 70).
 *
 * An address of the other IP family than the hints ask for is Linux's
 * answer, EAI_ADDRFAMILY, on every backend (Wine 8 passes the raw code of
 * its Unix side through, which no Winsock code matches), decided by the
 * text: "::ffff:127.0.0.1" is an IPv6 address even where glibc would
 * answer an IPv4 lookup with 127.0.0.1. With AI_V4MAPPED an IPv6 lookup
 * takes IPv4 text as its mapped address, as glibc does. */
static int check_node(const char *node, int family, int flags,
                      struct host *h) {
  const void *bytes;
  h->numeric = 0;
  if (strlen(node) > MAX_HOSTNAME) return bsdsock__fail(BSDSOCK_ENAMETOOLONG);
  if (bsdsock__addr_parse(&h->addr, node, 0) != 0) {
    if ((flags & BSDSOCK_AI_NUMERICHOST) || looks_like_ipv4(node) ||
        strpbrk(node, ":%") != NULL)
      return bsdsock__fail(BSDSOCK_EAI_NONAME);
    return 0;
  }
  if (family == BSDSOCK_AF_INET6 && h->addr.family == BSDSOCK_AF_INET &&
      (flags & BSDSOCK_AI_V4MAPPED))
    map_v4(&h->addr);
  if ((family == BSDSOCK_AF_INET || family == BSDSOCK_AF_INET6) &&
      family != h->addr.family)
    return bsdsock__fail(BSDSOCK_EAI_ADDRFAMILY);
  bytes = h->addr.family == BSDSOCK_AF_INET ? (const void *)h->addr.u.ip4
                                            : (const void *)h->addr.u.ip6;
  if (bsdsock_inet_ntop(h->addr.family, bytes, h->text, sizeof(h->text)) < 0)
    return bsdsock__fail(BSDSOCK_EAI_NONAME);  /* cannot happen */
  h->numeric = 1;
  return 0;
}

/* Port text: plain decimal 0..65535, no sign, space or leading zero; -1 for
 * anything else. */
static int strict_port(const char *s) {
  long v = 0;
  size_t n;
  if (s[0] == '0' && s[1] != '\0') return -1;
  for (n = 0; is_digit(s[n]); n++) {
    v = v * 10 + (s[n] - '0');
    if (v > PORT_MAX) return -1;
  }
  return n > 0 && s[n] == '\0' ? (int)v : -1;
}

/* A service that starts the way strtoul() reads a number (white space, a
 * sign, a digit) is a port and must be written strictly: the systems reduce
 * what they read modulo 65536 or take a sign, blanks and leading zeros
 * ("65616", "4294967376", " 80", "+80" and "080" are all port 80 to
 * glibc), so an allow-list on the text could be bypassed. Such text is
 * BSDSOCK_EAI_SERVICE, with or without AI_NUMERICSERV. Anything else is a
 * service name for the system to look up, which AI_NUMERICSERV forbids
 * (EAI_NONAME, as glibc and Winsock say). */
static int check_service(const char *service, int flags) {
  char c = service[0];
  if (is_digit(c) || c == '+' || c == '-' || strchr(" \t\n\v\f\r", c) != NULL)
    return strict_port(service) >= 0 ? 0 : bsdsock__fail(BSDSOCK_EAI_SERVICE);
  if (flags & BSDSOCK_AI_NUMERICSERV) return bsdsock__fail(BSDSOCK_EAI_NONAME);
  return 0;
}

static int hints_to_native(const bsdsock_addrinfo_t *h, struct addrinfo *n) {
  memset(n, 0, sizeof(*n));
  if (h == NULL) {
    n->ai_family = AF_UNSPEC;
    return 0;
  }
  if (bsdsock__const_to_native(BSDSOCK_CONST_AI, h->flags, &n->ai_flags) != 0)
    return bsdsock__fail(BSDSOCK_EAI_BADFLAGS);
  if (bsdsock__const_to_native(BSDSOCK_CONST_AF, h->family, &n->ai_family))
    return bsdsock__fail(BSDSOCK_EAI_FAMILY);
  if (h->socktype != 0 &&
      bsdsock__const_to_native(BSDSOCK_CONST_SOCKTYPE, h->socktype,
                              &n->ai_socktype) != 0)
    return bsdsock__fail(BSDSOCK_EAI_SOCKTYPE);
  if (bsdsock__const_to_native(BSDSOCK_CONST_PROTO, h->protocol,
                              &n->ai_protocol) != 0)
    return bsdsock__fail(BSDSOCK_EAI_PROTOCOL);
  return 0;
}

/* One native result -> a new portable node; NULL if it has a family or
 * type bsdsock does not know (skipped) or memory ran out (*oom set). */
static bsdsock_addrinfo_t *convert(const struct addrinfo *ai, int *oom) {
  bsdsock_addrinfo_t *out;
  int family, socktype = 0, protocol = 0;
  if (bsdsock__const_from_native(BSDSOCK_CONST_AF, ai->ai_family, &family))
    return NULL;
  if (ai->ai_socktype != 0 &&
      bsdsock__const_from_native(BSDSOCK_CONST_SOCKTYPE, ai->ai_socktype,
                                &socktype))
    return NULL;
  if (bsdsock__const_from_native(BSDSOCK_CONST_PROTO, ai->ai_protocol,
                                &protocol))
    protocol = 0;
  out = bsdsock__calloc(1, sizeof(*out));
  if (out == NULL) {
    *oom = 1;
    return NULL;
  }
  if (bsdsock__addr_from_sockaddr(&out->addr, ai->ai_addr,
                                  (size_t)ai->ai_addrlen) != 0) {
    free(out);
    return NULL;
  }
  if (ai->ai_canonname != NULL) {
    size_t n = strlen(ai->ai_canonname) + 1;
    out->canonname = bsdsock__malloc(n);
    if (out->canonname == NULL) {
      free(out);
      *oom = 1;
      return NULL;
    }
    memcpy(out->canonname, ai->ai_canonname, n);
  }
  bsdsock__const_from_native(BSDSOCK_CONST_AI, ai->ai_flags, &out->flags);
  out->family = family;
  out->socktype = socktype;
  out->protocol = protocol;
  return out;
}

/* The address of a result for a numeric host is the one bsdsock's parser
 * read: the system was given its canonical text without the scope, and
 * supplies the port, the socket type and the protocol. */
static void set_host(bsdsock_addr_t *out, const struct host *h) {
  uint16_t port = out->port;
  if (!h->numeric || out->family != h->addr.family) return;
  *out = h->addr;
  out->port = port;
}

int bsdsock_getaddrinfo(const char *node, const char *service,
                        const bsdsock_addrinfo_t *hints,
                        bsdsock_addrinfo_t **res) {
  struct addrinfo nh, *list = NULL, *ai;
  bsdsock_addrinfo_t *head = NULL, **tail = &head;
  struct host host;
  int rc, oom = 0, flags = hints ? hints->flags : 0;

  if (res == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  *res = NULL;
  /* An empty string means "none" (BSD and macOS reject "" as a service;
   * Wine patches the same, quirk Q55). */
  if (node != NULL && node[0] == '\0') node = NULL;
  if (service != NULL && service[0] == '\0') service = NULL;
  if (node == NULL && service == NULL) return bsdsock__fail(BSDSOCK_EAI_NONAME);
  rc = hints_to_native(hints, &nh);
  if (rc != 0) return rc;
  host.numeric = 0;
  if (node != NULL) {
    rc = check_node(node, hints ? hints->family : BSDSOCK_AF_UNSPEC, flags,
                    &host);
    if (rc != 0) return rc;
  }
  if (service != NULL && (rc = check_service(service, flags)) != 0) return rc;
  if (host.numeric) {
    node = host.text;
    nh.ai_flags |= AI_NUMERICHOST;
  }
  rc = bsdsock__os_startup();
  if (rc != 0) return rc;

  rc = BSDSOCK__OS_RC(getaddrinfo,
                      getaddrinfo(node, service, &nh, &list));
  if (rc != 0) return bsdsock__gai_fail(rc);
  for (ai = list; ai != NULL && !oom; ai = ai->ai_next) {
    bsdsock_addrinfo_t *item = convert(ai, &oom);
    if (item != NULL) {
      set_host(&item->addr, &host);
      *tail = item;
      tail = &item->next;
    }
  }
  freeaddrinfo(list);
  if (oom) {
    bsdsock_freeaddrinfo(head);
    return bsdsock__fail(BSDSOCK_EAI_MEMORY);
  }
  if (head == NULL) return bsdsock__fail(BSDSOCK_EAI_NODATA);
  *res = head;
  return 0;
}

void bsdsock_freeaddrinfo(bsdsock_addrinfo_t *ai) {
  /* NULL is fine here, unlike freeaddrinfo(NULL) on OpenBSD, NetBSD and
   * musl (fault F23). */
  while (ai != NULL) {
    bsdsock_addrinfo_t *next = ai->next;
    free(ai->canonname);
    free(ai);
    ai = next;
  }
}

/* Whether an answer fits the caller's buffer (NULL: not asked for). */
static int answer_fits(const char *dst, size_t size, const char *src) {
  return dst == NULL || strlen(src) < size;
}

static void copy_answer(char *dst, const char *src) {
  if (dst != NULL) memcpy(dst, src, strlen(src) + 1);
}

/* Whether the host answer for an IP address is its numeric text: asked
 * for (NI_NUMERICHOST), or what the system fell back to without a name -
 * text that bsdsock's parser reads, up to a '%' and its scope, as addr's
 * own bytes. That text is then bsdsock_addr_to_text()'s, so that one
 * address has one spelling: glibc and Wine write ::707:407 as "::7.7.4.7"
 * and a scope as an interface name, where bsdsock writes "::707:407" and
 * the index (RFC 5952, RFC 4007 section 11). */
static int is_numeric_answer(const bsdsock_addr_t *addr, const char *text,
                             int flags) {
  char buf[BSDSOCK_NI_MAXHOST];
  bsdsock_addr_t a;
  size_t n = strcspn(text, "%");
  if (addr->family != BSDSOCK_AF_INET && addr->family != BSDSOCK_AF_INET6)
    return 0;
  if (flags & BSDSOCK_NI_NUMERICHOST) return 1;
  memcpy(buf, text, n);
  buf[n] = '\0';
  if (bsdsock__addr_parse(&a, buf, 0) != 0 || a.family != addr->family)
    return 0;
  return addr->family == BSDSOCK_AF_INET
             ? memcmp(a.u.ip4, addr->u.ip4, 4) == 0
             : memcmp(a.u.ip6, addr->u.ip6, 16) == 0;
}

int bsdsock_getnameinfo(const bsdsock_addr_t *addr, char *host,
                        size_t hostlen, char *serv, size_t servlen,
                        int flags) {
  char hbuf[BSDSOCK_NI_MAXHOST], sbuf[BSDSOCK_NI_MAXSERV];
  struct sockaddr_storage ss;
  bsdsock__socklen_t len;
  int nflags, rc;

  if (addr == NULL || (host == NULL && hostlen != 0) ||
      (serv == NULL && servlen != 0) || (host == NULL && serv == NULL))
    return bsdsock__fail(BSDSOCK_EINVAL);
  if (bsdsock__const_to_native(BSDSOCK_CONST_NI, flags, &nflags) != 0)
    return bsdsock__fail(BSDSOCK_EAI_BADFLAGS);
  rc = bsdsock__addr_to_sockaddr(addr, &ss, &len);
  if (rc != 0) return bsdsock__fail(BSDSOCK_EAI_FAMILY);
  rc = bsdsock__os_startup();
  if (rc != 0) return rc;
  /* The system writes into full-size buffers and bsdsock copies, so a
   * caller's buffer that is too short gives EAI_OVERFLOW everywhere and is
   * left untouched (glibc says EAI_OVERFLOW, Winsock WSAEFAULT, and Wine 8
   * passes glibc's raw -12 through). */
  rc = BSDSOCK__OS_RC(
      getnameinfo,
      getnameinfo((struct sockaddr *)&ss, len, host ? hbuf : NULL,
                  host ? (unsigned)sizeof(hbuf) : 0u, serv ? sbuf : NULL,
                  serv ? (unsigned)sizeof(sbuf) : 0u, nflags));
  if (rc != 0) return bsdsock__gai_fail(rc);
  if (host != NULL && is_numeric_answer(addr, hbuf, flags))
    bsdsock_addr_to_text(addr, hbuf, sizeof(hbuf));
  if (!answer_fits(host, hostlen, hbuf) || !answer_fits(serv, servlen, sbuf))
    return bsdsock__fail(BSDSOCK_EAI_OVERFLOW);
  copy_answer(host, hbuf);
  copy_answer(serv, sbuf);
  return 0;
}
