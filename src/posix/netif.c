/* SPDX-License-Identifier: MIT */
/*
 * src/posix/netif.c - interface names and indexes, and the host name, on
 * POSIX (src/os.h): <net/if.h>'s if_nametoindex/if_indextoname and
 * gethostname(), through the fault seam.
 */
#include "../internal.h"

#include <stdio.h>

unsigned bsdsock__os_if_nametoindex(const char *name) {
  unsigned index = BSDSOCK__OS(ifname, 0u, if_nametoindex(name));
  if (index == 0) bsdsock__fail_os();
  return index;
}

int bsdsock__os_if_indextoname(unsigned index, char *buf, size_t size) {
  char name[IF_NAMESIZE + 1];
  size_t n;
  (void)size;
  if (BSDSOCK__OS(ifname, NULL, if_indextoname(index, name)) == NULL)
    return bsdsock__fail_os();
  n = strlen(name);
  if (n + 1 > size) return bsdsock__fail(BSDSOCK_ENAMETOOLONG);
  memcpy(buf, name, n + 1);
  return (int)n;
}

int bsdsock__os_gethostname(char *buf, size_t size) {
  if (BSDSOCK__OS(hostname, -1, gethostname(buf, size)) != 0)
    return bsdsock__fail_os();
  return 0;
}

/* The MTU of interface name, 0 if unknown (SIOCGIFMTU on a datagram
 * socket, kept for the whole list). */
static unsigned mtu_of(int *probe, const char *name) {
#ifdef SIOCGIFMTU
  struct ifreq ifr;
  if (*probe == -1)
    *probe = BSDSOCK__OS(ifmtu, -1, socket(AF_INET, SOCK_DGRAM, 0));
  if (*probe < 0) {
    *probe = -2; /* tried, failed: no MTUs */
    return 0;
  }
  memset(&ifr, 0, sizeof(ifr));
  strncpy(ifr.ifr_name, name, sizeof(ifr.ifr_name) - 1);
  if (BSDSOCK__OS(ifmtu, -1, ioctl(*probe, SIOCGIFMTU, &ifr)) != 0) return 0;
  return ifr.ifr_mtu > 0 ? (unsigned)ifr.ifr_mtu : 0u;
#else
  (void)probe;
  (void)name;
  return 0;
#endif
}

/* The hardware address of interface name from getifaddrs' link entries
 * (AF_PACKET on Linux; elsewhere none is reported yet). */
static void hwaddr_of(const struct ifaddrs *all, const char *name,
                      bsdsock_interface_t *e) {
#ifdef BSDSOCK_HAVE_AF_PACKET
  const struct ifaddrs *p;
  for (p = all; p != NULL; p = p->ifa_next) {
    const struct sockaddr_ll *ll = (const struct sockaddr_ll *)p->ifa_addr;
    if (ll == NULL || ll->sll_family != AF_PACKET ||
        strcmp(p->ifa_name, name) != 0)
      continue;
    e->hwaddr_len = ll->sll_halen < sizeof(e->hwaddr) ? ll->sll_halen
                                                      : sizeof(e->hwaddr);
    memcpy(e->hwaddr, ll->sll_addr, e->hwaddr_len);
    return;
  }
#else
  (void)all;
  (void)name;
  (void)e;
#endif
}

static unsigned flags_of(unsigned f) {
  return ((f & IFF_UP) ? BSDSOCK_IFF_UP : 0u) |
         ((f & IFF_RUNNING) ? BSDSOCK_IFF_RUNNING : 0u) |
         ((f & IFF_LOOPBACK) ? BSDSOCK_IFF_LOOPBACK : 0u) |
         ((f & IFF_POINTOPOINT) ? BSDSOCK_IFF_POINTOPOINT : 0u) |
         ((f & IFF_MULTICAST) ? BSDSOCK_IFF_MULTICAST : 0u);
}

static int is_ip(const struct sockaddr *sa) {
  return sa != NULL && (sa->sa_family == AF_INET || sa->sa_family == AF_INET6);
}

int bsdsock__os_interfaces(bsdsock_interface_t **list, size_t *count) {
  struct ifaddrs *all = NULL, *p;
  bsdsock_interface_t *out;
  size_t n = 0, i = 0;
  int probe = -1;
  if (BSDSOCK__OS(ifaddrs, -1, getifaddrs(&all)) != 0)
    return bsdsock__fail_os();
  for (p = all; p != NULL; p = p->ifa_next)
    if (is_ip(p->ifa_addr)) n++;
  if (n == 0) {
    freeifaddrs(all);
    return 0;
  }
  out = bsdsock__calloc(n, sizeof(*out));
  if (out == NULL) {
    freeifaddrs(all);
    return bsdsock__fail(BSDSOCK_ENOMEM);
  }
  for (p = all; p != NULL && i < n; p = p->ifa_next) {
    bsdsock_interface_t *e = &out[i];
    size_t salen = p->ifa_addr != NULL && p->ifa_addr->sa_family == AF_INET6
                       ? sizeof(struct sockaddr_in6)
                       : sizeof(struct sockaddr_in);
    if (!is_ip(p->ifa_addr)) continue;
    if (bsdsock__addr_from_sockaddr(&e->addr, p->ifa_addr, salen) != 0)
      continue;
    e->addr.port = 0;
    snprintf(e->name, sizeof(e->name), "%s", p->ifa_name);
    e->index = BSDSOCK__OS(ifname, 0u, if_nametoindex(p->ifa_name));
    e->flags = flags_of(p->ifa_flags);
    if (p->ifa_netmask != NULL) {
      if (p->ifa_addr->sa_family == AF_INET)
        e->prefixlen = bsdsock__prefixlen(
            (const uint8_t *)&((const struct sockaddr_in *)p->ifa_netmask)
                ->sin_addr,
            4);
      else
        e->prefixlen = bsdsock__prefixlen(
            (const uint8_t *)&((const struct sockaddr_in6 *)p->ifa_netmask)
                ->sin6_addr,
            16);
    }
    e->mtu = mtu_of(&probe, p->ifa_name);
    hwaddr_of(all, p->ifa_name, e);
    i++;
  }
  if (probe >= 0) close(probe);
  freeifaddrs(all);
  if (i == 0) {
    free(out);
    out = NULL;
  }
  *list = out;
  *count = i;
  return 0;
}
