/* SPDX-License-Identifier: MIT */
/* tests/support/harness_win32.c - platform helpers for the Windows backend. */
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <windows.h>

#include <fcntl.h>
#include <io.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "harness.h"

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

static volatile LONG interrupts;

static void CALLBACK on_apc(ULONG_PTR param) {
  (void)param;
  InterlockedIncrement(&interrupts);
}

struct h_interrupt {
  HANDLE target;
  su_thread_t *thread;
  int ms;
};

static void interrupter(void *p) {
  h_interrupt_t *it = p;
  su_sleep_ms(it->ms);
  QueueUserAPC(on_apc, it->target, 0);
}

h_interrupt_t *h_interrupt_after(int ms) {
  h_interrupt_t *it = malloc(sizeof(*it));
  if (it == NULL) return NULL;
  InterlockedExchange(&interrupts, 0);
  it->ms = ms;
  if (!DuplicateHandle(GetCurrentProcess(), GetCurrentThread(),
                       GetCurrentProcess(), &it->target, 0, FALSE,
                       DUPLICATE_SAME_ACCESS)) {
    free(it);
    return NULL;
  }
  it->thread = su_thread_start(interrupter, it);
  if (it->thread == NULL) {
    CloseHandle(it->target);
    free(it);
    return NULL;
  }
  return it;
}

int h_interrupt_join(h_interrupt_t *it) {
  if (it == NULL) return -1;
  su_thread_join(it->thread);
  CloseHandle(it->target);
  free(it);
  SleepEx(0, TRUE);  /* run an APC queued after the wait ended, if any */
  return (int)InterlockedCompareExchange(&interrupts, 0, 0);
}

int h_lowest_crt_fd(void) {
  int fd = _open("NUL", _O_RDONLY | _O_BINARY);
  if (fd >= 0) _close(fd);
  return fd;
}

int h_open_file(void) {
  return _open("NUL", _O_RDONLY | _O_BINARY | _O_NOINHERIT);
}

int h_close_file(int fd) {
  return _close(fd) == 0 ? 0 : -1;
}

long h_os_handles_open(void) {
  DWORD count = 0, info;
  uintptr_t v;
  long n = 0;
  int free_run = 0;
  if (GetProcessHandleCount(GetCurrentProcess(), &count) && count > 0)
    return (long)count;
  /* Wine: handle values are multiples of 4, lowest free first. */
  for (v = 4; free_run < 512; v += 4) {
    if (GetHandleInformation((HANDLE)v, &info)) {
      n++;
      free_run = 0;
    } else {
      free_run++;
    }
  }
  return n;
}

int h_close_native(bsdsock_os_sock_t s) {
  return closesocket((SOCKET)s) == 0 ? 0 : -1;
}

long h_set_fd_limit(long limit) {
  (void)limit;
  return -1;  /* no per-process descriptor limit to lower (h_raise_fd_limit) */
}

int h_crt_close(int fd) {
  return _close(fd) == 0 ? 0 : -1;
}

int h_crt_open_temp(const char *name) {
  char path[MAX_PATH];
  h_temp_socket_path(path, sizeof(path), name);
  /* _O_TEMPORARY: the file is deleted when its last descriptor closes. */
  return _open(path, _O_RDWR | _O_CREAT | _O_EXCL | _O_BINARY | _O_TEMPORARY |
                         _O_NOINHERIT,
               _S_IREAD | _S_IWRITE);
}

void h_setenv(const char *name, const char *value) {
  /* "" removes the variable, as getenv() then says NULL. */
  _putenv_s(name, value == NULL ? "" : value);
}
