/* SPDX-License-Identifier: MIT */
/*
 * src/netif.c - interface names and indexes, and the host name, written
 * once: arguments checked, the OS asked into a buffer large enough for
 * every platform's longest answer, the answer copied only if it fits.
 */
#include "internal.h"

/* Longer than any interface name (Linux IF_NAMESIZE 16, Windows 256) and
 * any host name (POSIX HOST_NAME_MAX 64 on Linux, 255 elsewhere; Winsock
 * 256). */
#define NAME_MAX_LEN 256

unsigned bsdsock_if_nametoindex(const char *name) {
  if (name == NULL || name[0] == '\0' || strlen(name) > NAME_MAX_LEN) {
    bsdsock__fail(name == NULL ? BSDSOCK_EINVAL : BSDSOCK_ENXIO);
    return 0;
  }
  if (bsdsock__os_startup() != 0) return 0;
  return bsdsock__os_if_nametoindex(name);
}

int bsdsock_if_indextoname(unsigned index, char *buf, size_t size) {
  char name[NAME_MAX_LEN + 2];
  int rc;
  size_t n;
  if (buf == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  if (index == 0) return bsdsock__fail(BSDSOCK_ENXIO);
  if ((rc = bsdsock__os_startup()) != 0) return rc;
  rc = bsdsock__os_if_indextoname(index, name, sizeof(name));
  if (rc < 0) return rc;
  n = (size_t)rc;
  if (n + 1 > size) return bsdsock__fail(BSDSOCK_ENAMETOOLONG);
  memcpy(buf, name, n + 1);
  return rc;
}

int bsdsock_gethostname(char *buf, size_t size) {
  char name[NAME_MAX_LEN + 2];
  size_t n;
  int rc;
  if (buf == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  if ((rc = bsdsock__os_startup()) != 0) return rc;
  memset(name, 0, sizeof(name));
  rc = bsdsock__os_gethostname(name, sizeof(name) - 1);
  if (rc != 0) return rc;
  n = strlen(name);
  if (n + 1 > size) return bsdsock__fail(BSDSOCK_ENAMETOOLONG);
  memcpy(buf, name, n + 1);
  return (int)n;
}

int bsdsock_interfaces(bsdsock_interface_t **list, size_t *count) {
  int rc;
  if (list != NULL) *list = NULL;
  if (count != NULL) *count = 0;
  if (list == NULL || count == NULL) return bsdsock__fail(BSDSOCK_EINVAL);
  if ((rc = bsdsock__os_startup()) != 0) return rc;
  return bsdsock__os_interfaces(list, count);
}

void bsdsock_free_interfaces(bsdsock_interface_t *list) {
  free(list);
}

/* The prefix length of a netmask of n bytes: its leading one bits. */
unsigned bsdsock__prefixlen(const uint8_t *mask, size_t n) {
  unsigned bits = 0;
  size_t i;
  for (i = 0; i < n && mask[i] == 0xff; i++) bits += 8;
  if (i < n)
    for (uint8_t b = mask[i]; b & 0x80; b = (uint8_t)(b << 1)) bits++;
  return bits;
}
