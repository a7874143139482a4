/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_input.h - the fuzz targets' reader of their input: the
 * bytes libFuzzer gives, taken a few at a time as the numbers that drive a
 * target's choices. Past the end every number is 0, so any input, however
 * short, is a complete run.
 */
#ifndef BSDSOCK_FUZZ_INPUT_H
#define BSDSOCK_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct input {
  const uint8_t *p;
  size_t left;
};

/* Reads n (<= 4) bytes of the input as a little-endian number (0 past its
 * end). */
static inline uint32_t take(struct input *in, int n) {
  uint32_t v = 0;
  int i;
  for (i = 0; i < n && in->left > 0; i++, in->left--)
    v |= (uint32_t)*in->p++ << (8 * i);
  return v;
}

#endif /* BSDSOCK_FUZZ_INPUT_H */
