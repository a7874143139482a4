/* SPDX-License-Identifier: MIT */
/*
 * src/compat/route_ai.c - the server's resolver behind the native
 * getaddrinfo() of a drop-in layer in transparent mode (route.h): native
 * hints in, bsdsock__route_getaddrinfo, a native struct addrinfo list out.
 * The drop-in layers' own freeaddrinfo() frees such a list with
 * bsdsock__compat_remote_freeai while transparent mode is on.
 */
#include "compat.h"
#include "route.h"

#include <stdlib.h>
#include <string.h>

/* Portable resolver codes -> this platform's EAI_* (glibc's are small
 * negative numbers, Winsock's are WSA numbers). The rows a C library may
 * lack are added where it has them. */
#define ROUTE_EAI_MAP(X)                                                     \
  X(EAI_BADFLAGS) X(EAI_NONAME) X(EAI_AGAIN) X(EAI_FAIL) X(EAI_FAMILY)       \
  X(EAI_SOCKTYPE) X(EAI_SERVICE) X(EAI_MEMORY)

static const struct { int portable, native; } eai_map[] = {
#define X(name) {BSDSOCK_##name, name},
    ROUTE_EAI_MAP(X)
#undef X
#ifdef EAI_NODATA
    {BSDSOCK_EAI_NODATA, EAI_NODATA},
#endif
#ifdef EAI_ADDRFAMILY
    {BSDSOCK_EAI_ADDRFAMILY, EAI_ADDRFAMILY},
#endif
#ifdef EAI_OVERFLOW
    {BSDSOCK_EAI_OVERFLOW, EAI_OVERFLOW},
#endif
};

int bsdsock__compat_gai_ret(int rc) {
  size_t i;
  for (i = 0; i < sizeof(eai_map) / sizeof(eai_map[0]); i++)
    if (eai_map[i].portable == rc) return eai_map[i].native;
  if (rc <= BSDSOCK_EAI_ADDRFAMILY && rc >= BSDSOCK_EAI_OVERFLOW)
    return EAI_FAIL;
  /* A socket error (the session broke): errno says which. */
  bsdsock__compat_fail(rc);
#ifdef EAI_SYSTEM
  return EAI_SYSTEM;
#else
  return EAI_FAIL;
#endif
}

/* One entry of a remote list: the node and its address in one block. */
struct remote_ai {
  struct addrinfo ai;
  struct sockaddr_storage ss;
};

void bsdsock__compat_remote_freeai(struct addrinfo *ai) {
  while (ai != NULL) {
    struct addrinfo *next = ai->ai_next;
    free(ai->ai_canonname);
    free(ai);
    ai = next;
  }
}

/* Native hints -> portable. 0 or an EAI_* code. */
static int hints_in(const struct addrinfo *h, bsdsock_addrinfo_t *p) {
  memset(p, 0, sizeof(*p));
  if (h == NULL) return 0;
  if (bsdsock_const_from_native(BSDSOCK_CONST_AF, h->ai_family, &p->family))
    return EAI_FAMILY;
  if (h->ai_socktype != 0 &&
      bsdsock_const_from_native(BSDSOCK_CONST_SOCKTYPE, h->ai_socktype,
                                &p->socktype))
    return EAI_SOCKTYPE;
  if (h->ai_protocol != 0 &&
      bsdsock_const_from_native(BSDSOCK_CONST_PROTO, h->ai_protocol,
                                &p->protocol))
    return EAI_SERVICE;
  if (h->ai_flags != 0 &&
      bsdsock_const_from_native(BSDSOCK_CONST_AI, h->ai_flags, &p->flags))
    return EAI_BADFLAGS;
  return 0;
}

int bsdsock__compat_remote_gai(const char *node, const char *service,
                               const struct addrinfo *hints,
                               struct addrinfo **res) {
  bsdsock_addrinfo_t ph, *list = NULL, *it;
  struct addrinfo *head = NULL, **tail = &head;
  int rc;
  if (res == NULL) return EAI_FAIL;
  if ((rc = hints_in(hints, &ph)) != 0) return rc;
  rc = bsdsock__route_getaddrinfo(node, service, hints ? &ph : NULL, &list);
  if (rc != 0) return bsdsock__compat_gai_ret(rc);
  for (it = list; it != NULL; it = it->next) {
    struct remote_ai *n = calloc(1, sizeof(*n));
    size_t len = sizeof(n->ss);
    int v;
    if (n == NULL) {
      rc = EAI_MEMORY;
      break;
    }
    *tail = &n->ai;
    tail = &n->ai.ai_next;
    if (bsdsock_addr_to_native(&it->addr, &n->ss, &len) != 0) len = 0;
    n->ai.ai_addr = (struct sockaddr *)&n->ss;
    n->ai.ai_addrlen = len;
    n->ai.ai_family = n->ss.ss_family;
    if (bsdsock_const_to_native(BSDSOCK_CONST_SOCKTYPE, it->socktype, &v) == 0)
      n->ai.ai_socktype = v;
    if (it->protocol != 0 &&
        bsdsock_const_to_native(BSDSOCK_CONST_PROTO, it->protocol, &v) == 0)
      n->ai.ai_protocol = v;
    if (hints != NULL) n->ai.ai_flags = hints->ai_flags;
    if (it->canonname != NULL) {
      size_t cl = strlen(it->canonname) + 1;
      n->ai.ai_canonname = malloc(cl);
      if (n->ai.ai_canonname == NULL) {
        rc = EAI_MEMORY;
        break;
      }
      memcpy(n->ai.ai_canonname, it->canonname, cl);
    }
  }
  bsdsock_freeaddrinfo(list);
  if (rc != 0) {
    bsdsock__compat_remote_freeai(head);
    return rc;
  }
  *res = head;
  return 0;
}

/* gethostbyname() from the server's getaddrinfo (IPv4, as the call is);
 * the result lives in this thread until its next call, and the platform's
 * h_errno says why it failed. */
struct hostent *bsdsock__compat_remote_hostent(const char *name) {
  enum { MAX_ADDRS = 16 };
  static _Thread_local struct hostent he;
  static _Thread_local char hname[256];
  static _Thread_local struct in_addr addrs[MAX_ADDRS];
  static _Thread_local char *addr_list[MAX_ADDRS + 1];
  static _Thread_local char *aliases[1];
  bsdsock_addrinfo_t hints, *list = NULL, *it;
  const char *canon;
  size_t len;
  int rc, n = 0;
  memset(&hints, 0, sizeof(hints));
  hints.family = BSDSOCK_AF_INET;
  hints.socktype = BSDSOCK_SOCK_STREAM;
  hints.flags = BSDSOCK_AI_CANONNAME;
  rc = bsdsock__route_getaddrinfo(name, NULL, &hints, &list);
  if (rc != 0) {
    bsdsock__compat_set_herror(
        rc == BSDSOCK_EAI_AGAIN ? TRY_AGAIN
        : rc == BSDSOCK_EAI_NONAME || rc == BSDSOCK_EAI_NODATA
            ? HOST_NOT_FOUND
            : NO_RECOVERY);
    return NULL;
  }
  for (it = list; it != NULL && n < MAX_ADDRS; it = it->next)
    if (it->addr.family == BSDSOCK_AF_INET)
      memcpy(&addrs[n++], it->addr.u.ip4, 4);
  canon = list != NULL && list->canonname != NULL ? list->canonname : name;
  len = strlen(canon);
  if (len >= sizeof(hname)) len = sizeof(hname) - 1;
  memcpy(hname, canon, len);
  hname[len] = '\0';
  bsdsock_freeaddrinfo(list);
  if (n == 0) {
    bsdsock__compat_set_herror(NO_DATA);
    return NULL;
  }
  for (rc = 0; rc < n; rc++) addr_list[rc] = (char *)&addrs[rc];
  addr_list[n] = NULL;
  aliases[0] = NULL;
  he.h_name = hname;
  he.h_aliases = aliases;
  he.h_addrtype = AF_INET;
  he.h_length = 4;
  he.h_addr_list = addr_list;
  return &he;
}
