/* tests/support/harness_win32.c - platform helpers for the Windows backend. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <stdlib.h>

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

int h_is_wine(void) {
  /* Wine's ntdll exports wine_get_version; Windows' does not. */
  HMODULE ntdll = GetModuleHandleA("ntdll.dll");
  return ntdll != NULL && GetProcAddress(ntdll, "wine_get_version") != NULL;
}

struct h_thread {
  HANDLE handle;
  void (*fn)(void *);
  void *arg;
};

static DWORD WINAPI thread_main(LPVOID p) {
  h_thread_t *t = p;
  t->fn(t->arg);
  return 0;
}

h_thread_t *h_thread_start(void (*fn)(void *), void *arg) {
  h_thread_t *t = malloc(sizeof(*t));
  if (t == NULL) return NULL;
  t->fn = fn;
  t->arg = arg;
  t->handle = CreateThread(NULL, 0, thread_main, t, 0, NULL);
  if (t->handle == NULL) {
    free(t);
    return NULL;
  }
  return t;
}

void h_thread_join(h_thread_t *t) {
  WaitForSingleObject(t->handle, INFINITE);
  CloseHandle(t->handle);
  free(t);
}
