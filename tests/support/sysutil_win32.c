/* SPDX-License-Identifier: MIT */
/* tests/support/sysutil_win32.c - clock, sleep and threads for Windows. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <stdio.h>
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

struct su_process {
  PROCESS_INFORMATION pi;
  HANDLE job;
};

/* Appends one argument to a command line, quoted as the C runtime's
 * parser reads it back (no argument here holds a quote). */
static void append_arg(char *cmd, size_t size, const char *arg, int first) {
  size_t n = strlen(cmd);
  snprintf(cmd + n, size - n, "%s\"%s%s\"", first ? "" : " ",
           first && arg[0] == '/' ? "Z:" : "", arg);
}

su_process_t *su_process_start(const char *const *argv, int quiet) {
  su_process_t *p = calloc(1, sizeof(*p));
  char cmd[4096] = "", exe[MAX_PATH];
  STARTUPINFOA si;
  HANDLE null = INVALID_HANDLE_VALUE;
  BOOL ok;
  int i;
  if (p == NULL) return NULL;
  for (i = 0; argv[i] != NULL; i++) append_arg(cmd, sizeof(cmd), argv[i], i == 0);
  snprintf(exe, sizeof(exe), "%s%s", argv[0][0] == '/' ? "Z:" : "", argv[0]);
  memset(&si, 0, sizeof(si));
  si.cb = sizeof(si);
  if (quiet) {
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};  /* inherited */
    null = CreateFileA("NUL", GENERIC_READ | GENERIC_WRITE,
                       FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, OPEN_EXISTING,
                       0, NULL);
    if (null != INVALID_HANDLE_VALUE) {
      si.dwFlags = STARTF_USESTDHANDLES;
      si.hStdInput = si.hStdOutput = si.hStdError = null;
    }
  }
  ok = CreateProcessA(exe, cmd, NULL, NULL, null != INVALID_HANDLE_VALUE,
                      CREATE_SUSPENDED, NULL, NULL, &si, &p->pi);
  if (null != INVALID_HANDLE_VALUE) CloseHandle(null);
  if (!ok) {
    free(p);
    return NULL;
  }
  /* In a job that dies with this process: a test that crashes takes its
   * server with it, instead of leaving it to hold ctest's output open. */
  p->job = CreateJobObjectA(NULL, NULL);
  if (p->job != NULL) {
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim;
    memset(&lim, 0, sizeof(lim));
    lim.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    SetInformationJobObject(p->job, JobObjectExtendedLimitInformation, &lim,
                            sizeof(lim));
    AssignProcessToJobObject(p->job, p->pi.hProcess);
  }
  ResumeThread(p->pi.hThread);
  return p;
}

void su_process_kill(su_process_t *p) {
  if (p == NULL) return;
  TerminateProcess(p->pi.hProcess, 1);
  WaitForSingleObject(p->pi.hProcess, 10000);
  CloseHandle(p->pi.hProcess);
  CloseHandle(p->pi.hThread);
  if (p->job != NULL) CloseHandle(p->job);
  free(p);
}

void su_temp_path(char *buf, size_t size, const char *name) {
  char dir[MAX_PATH];
  DWORD n = GetTempPathA(sizeof(dir), dir);
  snprintf(buf, size, "%sbsdsock-%lu-%s", n > 0 && n < sizeof(dir) ? dir : ".\\",
           (unsigned long)GetCurrentProcessId(), name);
  DeleteFileA(buf);
}

void su_remove_path(const char *path) {
  DeleteFileA(path);
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
