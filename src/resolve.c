/*
 * src/resolve.c - getaddrinfo()/getnameinfo() over portable types.
 *
 * The front end is bsdsock's own (argument checks, strict numeric hosts,
 * hint translation, result conversion); the lookup itself is the system
 * resolver, which stays outside bsdsock's trust boundary (CVE-2015-7547).
 */
#include "internal.h"

#include <stdlib.h>

#define MAX_HOSTNAME 255   /* RFC 1035; longer names are refused, never cut */

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
    } else if (!(*s >= '0' && *s <= '9') &&
               !(hex && ((*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))) {
      return 0;
    }
    label_len++;
  }
}

/* Refuses host text that the system resolver would read with inet_aton's
 * octal/hex/short forms: an ACL written against "10.0.0.1" must not be
 * bypassed by "010.0.0.1" (CVE-2021-29923, CVE-2024-24806, fault F21). */
static int check_node(const char *node, int flags) {
  unsigned char buf[16];
  if (strlen(node) > MAX_HOSTNAME) return bsdsock__fail(BSDSOCK_ENAMETOOLONG);
  if (bsdsock_inet_pton(BSDSOCK_AF_INET, node, buf) == 0) return 0;
  if (looks_like_ipv4(node)) return bsdsock__fail(BSDSOCK_EAI_NONAME);
  if ((flags & BSDSOCK_AI_NUMERICHOST) && strchr(node, ':') == NULL)
    return bsdsock__fail(BSDSOCK_EAI_NONAME);
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

int bsdsock_getaddrinfo(const char *node, const char *service,
                        const bsdsock_addrinfo_t *hints,
                        bsdsock_addrinfo_t **res) {
  struct addrinfo nh, *list = NULL, *ai;
  bsdsock_addrinfo_t *head = NULL, **tail = &head;
  int rc, oom = 0;

  if (res == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  *res = NULL;
  /* An empty string means "none" (BSD and macOS reject "" as a service;
   * Wine patches the same, quirk Q55). */
  if (node != NULL && node[0] == '\0') node = NULL;
  if (service != NULL && service[0] == '\0') service = NULL;
  if (node == NULL && service == NULL) return bsdsock__fail(BSDSOCK_EAI_NONAME);
  if (node != NULL) {
    rc = check_node(node, hints ? hints->flags : 0);
    if (rc != 0) return rc;
  }
  rc = hints_to_native(hints, &nh);
  if (rc != 0) return rc;
  rc = bsdsock__os_startup();
  if (rc != 0) return rc;

  rc = BSDSOCK__OS_RC(getaddrinfo,
                      getaddrinfo(node, service, &nh, &list));
  if (rc != 0) return bsdsock__gai_fail(rc);
  for (ai = list; ai != NULL && !oom; ai = ai->ai_next) {
    bsdsock_addrinfo_t *item = convert(ai, &oom);
    if (item != NULL) {
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
  if (!answer_fits(host, hostlen, hbuf) || !answer_fits(serv, servlen, sbuf))
    return bsdsock__fail(BSDSOCK_EAI_OVERFLOW);
  copy_answer(host, hbuf);
  copy_answer(serv, sbuf);
  return 0;
}
