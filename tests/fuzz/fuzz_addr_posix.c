/* SPDX-License-Identifier: MIT */
/*
 * fuzz_addr_posix.c - libFuzzer target for bsdsock's own address code
 * (fuzz targets Z1, Z2 and Z4 of docs/quirks.md).
 *
 * Oracles, checked on every input:
 *  - bsdsock_inet_pton agrees with glibc's inet_pton (which is strict too)
 *    for AF_INET and AF_INET6, bytes included; text it accepts formats with
 *    bsdsock_inet_ntop and parses back to the same bytes (Z1);
 *  - bsdsock_addr_parse, bsdsock_addr_to_text and parse again give the same
 *    address, scope included;
 *  - bsdsock_addr_from_native never reads past the length given (ASan
 *    watches an exact-size heap copy) and what it accepts survives
 *    to_native -> from_native unchanged (Z2);
 *  - error translation is total: every int has a name and a message (Z4).
 * POSIX only (glibc is the reference), built by the linux-asan preset.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bsdsock/bsdsock.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_pton(int af, int native_af, const char *text) {
  unsigned char ours[16], theirs[16], again[16];
  char buf[BSDSOCK_INET6_ADDRSTRLEN];
  size_t len = af == BSDSOCK_AF_INET ? 4 : 16;
  int ok = bsdsock_inet_pton(af, text, ours) == 0;
  int ref = inet_pton(native_af, text, theirs) == 1;
  if (ok != ref || (ok && memcmp(ours, theirs, len) != 0)) abort();
  if (!ok) return;
  if (bsdsock_inet_ntop(af, ours, buf, sizeof(buf)) < 0) abort();
  if (bsdsock_inet_pton(af, buf, again) != 0 || memcmp(ours, again, len))
    abort();
}

static void check_parse(const char *text) {
  bsdsock_addr_t a, b;
  char buf[BSDSOCK_ADDRSTRLEN];
  if (bsdsock_addr_parse(&a, text, 80) != 0) return;
  if (bsdsock_addr_to_text(&a, buf, sizeof(buf)) < 0) abort();
  if (bsdsock_addr_parse(&b, buf, 80) != 0) abort();
  if (memcmp(&a, &b, sizeof(a)) != 0) abort();
  if (bsdsock_addr_format(&a, buf, sizeof(buf)) < 0) abort();
}

static void check_native(const uint8_t *data, size_t size) {
  bsdsock_addr_t a, b;
  unsigned char native[256];
  size_t len = sizeof(native);
  uint8_t *exact = malloc(size ? size : 1);
  if (exact == NULL) return;
  memcpy(exact, data, size);
  memset(&a, 0, sizeof(a));
  /* AF_UNSPEC (an unbound socket's name) has no native form to go back
   * to; everything else accepted must round-trip. */
  if (bsdsock_addr_from_native(&a, exact, size) == 0 &&
      a.family != BSDSOCK_AF_UNSPEC) {
    memset(&b, 0, sizeof(b));
    if (bsdsock_addr_to_native(&a, native, &len) != 0) abort();
    if (bsdsock_addr_from_native(&b, native, len) != 0) abort();
    if (memcmp(&a, &b, sizeof(a)) != 0) abort();
  }
  free(exact);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  int code = 0;
  if (text == NULL) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  check_pton(BSDSOCK_AF_INET, AF_INET, text);
  check_pton(BSDSOCK_AF_INET6, AF_INET6, text);
  check_parse(text);
  free(text);
  check_native(data, size);
  memcpy(&code, data, size < sizeof(code) ? size : sizeof(code));
  if (bsdsock_err_name(code) == NULL || bsdsock_strerror(code) == NULL ||
      bsdsock_err_name(bsdsock_translate_error(code)) == NULL)
    abort();
  return 0;
}
