/* SPDX-License-Identifier: MIT */
/*
 * src/win32/netif.c - interface names and indexes, and the host name, on
 * Windows (src/os.h): iphlpapi's if_nametoindex/if_indextoname (the
 * interface's NDIS name, "ethernet_32768", "loopback_0") and Winsock's
 * gethostname(), through the fault seam.
 */
#include "../internal.h"

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
