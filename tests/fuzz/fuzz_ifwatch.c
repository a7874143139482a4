/* SPDX-License-Identifier: MIT */
/*
 * fuzz_ifwatch.c - libFuzzer target for the decoder of the kernel's
 * route messages an interface watch reads (fuzz target Z10 of
 * docs/quirks.md; src/posix/ifwatch.c, bsdsock__ifwatch_parse).
 *
 * The first input byte chooses the room (0 to 15 events), the rest is one
 * netlink datagram as the kernel would queue it: messages with lengths,
 * link and address bodies and attributes, cut anywhere. Oracles:
 *  - no read outside the datagram (it lives in an exact-size heap block
 *    under ASan) and no write past the room given;
 *  - every stored event is well formed: a known kind; a resync has index
 *    0 and no address; a link or address event an index >= 1; an address
 *    event an IPv4 or IPv6 address with a prefix length that fits it;
 *  - the count does not depend on the room, and a smaller room stores a
 *    prefix of what a larger one stores;
 *  - resyncs never come two in a row.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bsdsock/bsdsock.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The decoder under test (src/internal.h, which needs the backend's
 * headers: declared here alone). */
size_t bsdsock__ifwatch_parse(const void *buf, size_t len,
                              bsdsock_ifevent_t *ev, size_t n);

#define ROOM_MAX 4096

static void check_event(const bsdsock_ifevent_t *e) {
  switch (e->kind) {
    case BSDSOCK_IFEV_RESYNC:
      if (e->index != 0 || e->addr.family != BSDSOCK_AF_UNSPEC) abort();
      return;
    case BSDSOCK_IFEV_LINK_ADDED:
    case BSDSOCK_IFEV_LINK_REMOVED:
    case BSDSOCK_IFEV_LINK_CHANGED:
      if (e->index == 0 || e->addr.family != BSDSOCK_AF_UNSPEC) abort();
      return;
    case BSDSOCK_IFEV_ADDR_ADDED:
    case BSDSOCK_IFEV_ADDR_REMOVED:
      if (e->index == 0) abort();
      if (e->addr.family == BSDSOCK_AF_INET && e->prefixlen <= 32) return;
      if (e->addr.family == BSDSOCK_AF_INET6 && e->prefixlen <= 128) return;
      abort();
    default:
      abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static bsdsock_ifevent_t big[ROOM_MAX];
  bsdsock_ifevent_t *small;
  size_t room, count, again, i, stored;
  uint8_t *dgram;
  if (size < 1) return 0;
  room = data[0] & 15u;
  dgram = malloc(size - 1 ? size - 1 : 1);
  if (dgram == NULL) return 0;
  memcpy(dgram, data + 1, size - 1);
  /* Exactly room events (room 0: a one-event block that must stay
   * untouched). */
  small = malloc((room ? room : 1) * sizeof(*small));
  if (small == NULL) {
    free(dgram);
    return 0;
  }
  memset(small, 0xa5, (room ? room : 1) * sizeof(*small));

  count = bsdsock__ifwatch_parse(dgram, size - 1, big, ROOM_MAX);
  again = bsdsock__ifwatch_parse(dgram, size - 1, small, room);
  if (count != again) abort();
  stored = count < ROOM_MAX ? count : ROOM_MAX;
  for (i = 0; i < stored; i++) {
    check_event(&big[i]);
    if (i > 0 && big[i].kind == BSDSOCK_IFEV_RESYNC &&
        big[i - 1].kind == BSDSOCK_IFEV_RESYNC)
      abort();
  }
  for (i = 0; i < room && i < count; i++)
    if (memcmp(&small[i], &big[i], sizeof(small[i])) != 0) abort();
  if (room == 0) {
    const uint8_t *b = (const uint8_t *)small;
    for (i = 0; i < sizeof(*small); i++)
      if (b[i] != 0xa5) abort();
  }
  free(small);
  free(dgram);
  return 0;
}
