/* tests/support/harness_win32.c - platform helpers for the Windows backend. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include "harness.h"

uint64_t h_now_ms(void) {
  return (uint64_t)GetTickCount64();
}

void h_sleep_ms(int ms) {
  Sleep((DWORD)ms);
}

long h_raise_fd_limit(long want) {
  /* bsdsock's Windows descriptor table has no per-process limit below
   * its 1,048,576 slots; the kernel's handle table is far larger. */
  return want;
}

int h_sigpipe_default(void) {
  return 0;  /* Windows has no SIGPIPE */
}
