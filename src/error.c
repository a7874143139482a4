/* SPDX-License-Identifier: MIT */
/*
 * src/error.c - the portable error table's names and messages, and the
 * thread's record of the last native error.
 */
#include "internal.h"

/* The native code behind the calling thread's last failure. Written only
 * on failure paths, so the hot path never touches it. */
static _Thread_local int last_native;

const char *bsdsock_strerror(int err) {
  switch (err) {
#define BSDSOCK__ERR_MSG(name, num, msg) case -(num): return msg;
    BSDSOCK_ERRNO_MAP(BSDSOCK__ERR_MSG)
#undef BSDSOCK__ERR_MSG
    case 0: return "success";
    default: return "unknown error";
  }
}

const char *bsdsock_err_name(int err) {
  switch (err) {
#define BSDSOCK__ERR_NAME(name, num, msg) case -(num): return #name;
    BSDSOCK_ERRNO_MAP(BSDSOCK__ERR_NAME)
#undef BSDSOCK__ERR_NAME
    case 0: return "OK";
    default: return "EUNKNOWN";
  }
}

const char *bsdsock_gai_strerror(int err) {
  return bsdsock_strerror(err);
}

int bsdsock_last_native_error(void) {
  return last_native;
}

int bsdsock_translate_error(int native) {
  return native == 0 ? 0 : bsdsock__os_translate(native);
}

int bsdsock__fail_native(int native) {
  last_native = native;
  return bsdsock_translate_error(native);
}

int bsdsock__fail(int portable) {
  last_native = 0;
  return portable;
}

int bsdsock__fail_os(void) {
  return bsdsock__fail_native(bsdsock__os_error());
}
