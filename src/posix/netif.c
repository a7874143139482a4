/* SPDX-License-Identifier: MIT */
/*
 * src/posix/netif.c - interface names and indexes, and the host name, on
 * POSIX (src/os.h): <net/if.h>'s if_nametoindex/if_indextoname and
 * gethostname(), through the fault seam.
 */
#include "../internal.h"

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
