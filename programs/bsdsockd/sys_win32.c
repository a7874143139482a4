/* SPDX-License-Identifier: MIT */
/*
 * sys_win32.c - bsdsockd's threads and clock on Windows (bsdsockd.h).
 */
#include <stdlib.h>
#include <windows.h>

#include "bsdsockd.h"

struct start {
  void (*fn)(void *);
  void *arg;
};

static DWORD WINAPI trampoline(LPVOID p) {
  struct start st = *(struct start *)p;
  free(p);
  st.fn(st.arg);
  return 0;
}

int bsdsockd_thread_spawn(void (*fn)(void *), void *arg) {
  struct start *st = malloc(sizeof(*st));
  HANDLE h;
  if (st == NULL) return -1;
  st->fn = fn;
  st->arg = arg;
  h = CreateThread(NULL, 0, trampoline, st, 0, NULL);
  if (h == NULL) {
    free(st);
    return -1;
  }
  CloseHandle(h);  /* detached */
  return 0;
}

int64_t bsdsockd_now_ms(void) {
  return (int64_t)GetTickCount64();
}
