/* SPDX-License-Identifier: MIT */
/* tests/support/sysutil_win32.c - clock, sleep and threads for Windows. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <stdlib.h>
#include <string.h>

#include "sysutil.h"

uint64_t su_now_ns(void) {
  static LARGE_INTEGER freq;
  LARGE_INTEGER now;
  if (freq.QuadPart == 0) QueryPerformanceFrequency(&freq);
  QueryPerformanceCounter(&now);
  /* Whole seconds and the remainder apart: counts * 1e9 would overflow
   * 64 bits after about half an hour of uptime at a 10 MHz counter. */
  return (uint64_t)(now.QuadPart / freq.QuadPart) * 1000000000u +
         (uint64_t)(now.QuadPart % freq.QuadPart) * 1000000000u /
             (uint64_t)freq.QuadPart;
}

void su_sleep_ms(int ms) {
  Sleep((DWORD)ms);
}

struct su_thread {
  HANDLE handle;
  void (*fn)(void *);
  void *arg;
};

static DWORD WINAPI thread_main(LPVOID p) {
  su_thread_t *t = p;
  t->fn(t->arg);
  return 0;
}

su_thread_t *su_thread_start(void (*fn)(void *), void *arg) {
  su_thread_t *t = malloc(sizeof(*t));
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

void su_thread_join(su_thread_t *t) {
  WaitForSingleObject(t->handle, INFINITE);
  CloseHandle(t->handle);
  free(t);
}

/* Windows has no per-thread network namespace, and these tests change no
 * real interface. */
static int unsupported(char *why, size_t size) {
  if (size > 0) {
    strncpy(why, "unsupported: no private network namespace on Windows",
            size - 1);
    why[size - 1] = '\0';
  }
  return -1;
}

int su_netns_private(char *why, size_t size) {
  return unsupported(why, size);
}

int su_if_up(unsigned ifindex, int up, char *why, size_t size) {
  (void)ifindex;
  (void)up;
  return unsupported(why, size);
}

int su_if_addr_ip4(unsigned ifindex, const uint8_t ip4[4], unsigned prefixlen,
                   int add, char *why, size_t size) {
  (void)ifindex;
  (void)ip4;
  (void)prefixlen;
  (void)add;
  return unsupported(why, size);
}
