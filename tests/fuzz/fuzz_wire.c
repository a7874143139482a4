/* SPDX-License-Identifier: MIT */
/*
 * fuzz_wire.c - libFuzzer target for the forwarding protocol's decoder
 * (fuzz target Z9 of docs/quirks.md; include/bsdsock/wire.h, src/wire.c).
 *
 * Each input is one frame as a peer could send it (bsdsockd decodes
 * exactly this from a client, a client from the server). Oracles:
 *  - bsdsock_wire_decode never reads outside the input (an exact-size
 *    heap copy, under AddressSanitizer) and answers 0 or one of its
 *    documented errors (EPROTO, EMSGSIZE, EINVAL);
 *  - bsdsock_wire_frame_size agrees: a frame that decodes has exactly the
 *    size its length field says;
 *  - a frame that decodes re-encodes to the very same bytes (the encoding
 *    is canonical), and that decodes to the same message again;
 *  - a smaller frame limit never accepts a frame larger than it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bsdsock/wire.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bsdsock_wire_msg_t m1, m2;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t *copy = malloc(size ? size : 1), *out;
  size_t frame = 0, len = 0, limit;
  int rc;
  if (copy == NULL) abort();
  if (size) memcpy(copy, data, size);
  rc = bsdsock_wire_decode(copy, size, BSDSOCK_WIRE_MAX_FRAME, &m1);
  if (rc != 0 && rc != BSDSOCK_EPROTO && rc != BSDSOCK_EMSGSIZE &&
      rc != BSDSOCK_EINVAL)
    abort();
  /* A limit the input may exceed: never accepted above it. */
  limit = size > 16 ? size - 1 - data[0] % 16 : 16;
  if (bsdsock_wire_decode(copy, size, limit, &m2) == 0 && size > limit) abort();
  if (rc != 0) {
    free(copy);
    return 0;
  }
  if (bsdsock_wire_frame_size(copy, size, BSDSOCK_WIRE_MAX_FRAME, &frame) != 0 ||
      frame != size)
    abort();
  out = malloc(size);
  if (out == NULL) abort();
  if (bsdsock_wire_encode(&m1, out, size, BSDSOCK_WIRE_MAX_FRAME, &len) != 0 ||
      len != size || memcmp(out, copy, size) != 0)
    abort();
  if (bsdsock_wire_decode(out, len, BSDSOCK_WIRE_MAX_FRAME, &m2) != 0) abort();
  /* The same message: the fields that are not pointers compare as bytes,
   * the pointers by what they point to (re-encoding compared those). */
  if (m1.opcode != m2.opcode || m1.call_id != m2.call_id ||
      memcmp(m1.num, m2.num, sizeof(m1.num)) != 0 ||
      m1.has_addr != m2.has_addr ||
      memcmp(&m1.addr, &m2.addr, sizeof(m1.addr)) != 0 ||
      m1.data_len != m2.data_len || m1.count != m2.count)
    abort();
  free(out);
  free(copy);
  return 0;
}
