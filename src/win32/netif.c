/* SPDX-License-Identifier: MIT */
/*
 * src/win32/netif.c - interface names and indexes, and the host name, on
 * Windows (src/os.h): iphlpapi's if_nametoindex/if_indextoname (the
 * interface's NDIS name, "ethernet_32768", "loopback_0") and Winsock's
 * gethostname(), through the fault seam.
 */
#include "../internal.h"

#include <stdlib.h>

unsigned bsdsock__os_if_nametoindex(const char *name) {
  unsigned index;
  WSASetLastError(0);
  index = BSDSOCK__OS(ifname, 0u, if_nametoindex(name));
  if (index == 0) bsdsock__fail_os();
  return index;
}

int bsdsock__os_if_indextoname(unsigned index, char *buf, size_t size) {
  /* Windows' IF_NAMESIZE is NDIS_IF_MAX_STRING_SIZE (256). */
  char name[IF_MAX_STRING_SIZE + 1];
  size_t n;
  int e;
  /* iphlpapi leaves no Winsock error: nothing, or a Win32 code with no
   * socket meaning (Wine: ERROR_NOT_FOUND), is "no such index". */
  WSASetLastError(0);
  if (BSDSOCK__OS(ifname, NULL, if_indextoname(index, name)) == NULL) {
    e = bsdsock__os_error();
    if (e != 0 && bsdsock__os_translate(e) != BSDSOCK_EUNKNOWN)
      return bsdsock__fail_native(e);
    bsdsock__fail_native(e);
    return BSDSOCK_ENXIO;
  }
  n = strlen(name);
  if (n + 1 > size) return bsdsock__fail(BSDSOCK_ENAMETOOLONG);
  memcpy(buf, name, n + 1);
  return (int)n;
}

int bsdsock__os_gethostname(char *buf, size_t size) {
  int len = size > INT_MAX ? INT_MAX : (int)size;
  if (BSDSOCK__OS(hostname, SOCKET_ERROR, gethostname(buf, len)) != 0)
    return bsdsock__fail_os();
  return 0;
}

static unsigned flags_of(const IP_ADAPTER_ADDRESSES *a) {
  unsigned f = 0;
  if (a->OperStatus == IfOperStatusUp)
    f |= BSDSOCK_IFF_UP | BSDSOCK_IFF_RUNNING;
  if (a->IfType == IF_TYPE_SOFTWARE_LOOPBACK) f |= BSDSOCK_IFF_LOOPBACK;
  if (a->IfType == IF_TYPE_PPP || a->IfType == IF_TYPE_TUNNEL)
    f |= BSDSOCK_IFF_POINTOPOINT;
  if (!(a->Flags & IP_ADAPTER_NO_MULTICAST)) f |= BSDSOCK_IFF_MULTICAST;
  return f;
}

/* GetAdaptersAddresses, growing the buffer as it asks: 0 and *out (free
 * it), or a recorded error. */
static int adapters(IP_ADAPTER_ADDRESSES **out) {
  ULONG size = 16384, rc = ERROR_BUFFER_OVERFLOW;
  IP_ADAPTER_ADDRESSES *buf = NULL;
  int tries;
  for (tries = 0; tries < 4 && rc == ERROR_BUFFER_OVERFLOW; tries++) {
    free(buf);
    buf = bsdsock__malloc(size);
    if (buf == NULL) return bsdsock__fail(BSDSOCK_ENOMEM);
    rc = (ULONG)BSDSOCK__OS_RC(
        ifaddrs, (int)GetAdaptersAddresses(AF_UNSPEC,
                                      GAA_FLAG_SKIP_ANYCAST |
                                          GAA_FLAG_SKIP_MULTICAST |
                                          GAA_FLAG_SKIP_DNS_SERVER,
                                      NULL, buf, &size));
  }
  if (rc == ERROR_NO_DATA) {
    free(buf);
    *out = NULL;
    return 0;
  }
  if (rc != NO_ERROR) {
    free(buf);
    return bsdsock__fail_native((int)rc);
  }
  *out = buf;
  return 0;
}

int bsdsock__os_interfaces(bsdsock_interface_t **list, size_t *count) {
  IP_ADAPTER_ADDRESSES *all = NULL, *a;
  IP_ADAPTER_UNICAST_ADDRESS *u;
  bsdsock_interface_t *out;
  size_t n = 0, i = 0;
  int rc = adapters(&all);
  if (rc != 0) return rc;
  for (a = all; a != NULL; a = a->Next)
    for (u = a->FirstUnicastAddress; u != NULL; u = u->Next) n++;
  if (n == 0) {
    free(all);
    return 0;
  }
  out = bsdsock__calloc(n, sizeof(*out));
  if (out == NULL) {
    free(all);
    return bsdsock__fail(BSDSOCK_ENOMEM);
  }
  for (a = all; a != NULL; a = a->Next) {
    char name[IF_MAX_STRING_SIZE + 1];
    /* The NDIS name, which if_nametoindex() takes. An entry without it
     * would be one the caller cannot name: the list fails instead. */
    int err = BSDSOCK__OS_RC(ifluid, (int)ConvertInterfaceLuidToNameA(
                                       &a->Luid, name, sizeof(name)));
    if (err != NO_ERROR) {
      free(all);
      free(out);
      return bsdsock__fail_native(err);
    }
    for (u = a->FirstUnicastAddress; u != NULL && i < n; u = u->Next) {
      bsdsock_interface_t *e = &out[i];
      const struct sockaddr *sa = u->Address.lpSockaddr;
      if (sa == NULL || (sa->sa_family != AF_INET && sa->sa_family != AF_INET6))
        continue;
      if (bsdsock__addr_from_sockaddr(&e->addr, sa,
                                      (size_t)u->Address.iSockaddrLength) != 0)
        continue;
      e->addr.port = 0;
      memcpy(e->name, name, sizeof(e->name) - 1); /* both NUL-ended */
      e->index = sa->sa_family == AF_INET6 ? a->Ipv6IfIndex : a->IfIndex;
      if (e->index == 0) e->index = a->IfIndex ? a->IfIndex : a->Ipv6IfIndex;
      e->flags = flags_of(a);
      e->prefixlen = u->OnLinkPrefixLength;
      e->mtu = a->Mtu == 0xffffffffu ? 0u : (unsigned)a->Mtu;
      e->hwaddr_len = a->PhysicalAddressLength < sizeof(e->hwaddr)
                          ? a->PhysicalAddressLength
                          : sizeof(e->hwaddr);
      memcpy(e->hwaddr, a->PhysicalAddress, e->hwaddr_len);
      i++;
    }
  }
  free(all);
  if (i == 0) {
    free(out);
    out = NULL;
  }
  *list = out;
  *count = i;
  return 0;
}
