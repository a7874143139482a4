/* SPDX-License-Identifier: MIT */
/* tests/support/harness_posix.c - platform helpers for the POSIX backend. */
#define _GNU_SOURCE 1
#include "harness.h"

#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

long h_raise_fd_limit(long want) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return -1;
  if ((long)rl.rlim_cur < want) {
    rl.rlim_cur = (rlim_t)want;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
      rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) return -1;
  }
  return (long)rl.rlim_cur;
}

int h_sigpipe_default(void) {
  signal(SIGPIPE, SIG_DFL);
  return 1;
}

int h_is_wine(void) {
  return 0;
}

static volatile sig_atomic_t interrupts;

static void on_interrupt(int sig) {
  (void)sig;
  interrupts++;
}

struct h_interrupt {
  pthread_t target;
  su_thread_t *thread;
  int ms;
};

static void interrupter(void *p) {
  h_interrupt_t *it = p;
  su_sleep_ms(it->ms);
  pthread_kill(it->target, SIGUSR1);
}

h_interrupt_t *h_interrupt_after(int ms) {
  struct sigaction sa;
  h_interrupt_t *it = malloc(sizeof(*it));
  if (it == NULL) return NULL;
  /* No SA_RESTART: the blocked call must see EINTR. */
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  interrupts = 0;
  it->target = pthread_self();
  it->ms = ms;
  it->thread = su_thread_start(interrupter, it);
  if (it->thread == NULL) {
    free(it);
    return NULL;
  }
  return it;
}

int h_interrupt_join(h_interrupt_t *it) {
  if (it == NULL) return -1;
  su_thread_join(it->thread);
  free(it);
  return (int)interrupts;
}

int h_lowest_crt_fd(void) {
  int fd = open("/dev/null", O_RDONLY);
  if (fd >= 0) close(fd);
  return fd;
}

int h_open_file(void) {
  return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

int h_close_file(int fd) {
  return close(fd) == 0 ? 0 : -1;
}

long h_os_handles_open(void) {
  long n = 0;
  int fd, free_run = 0;
  for (fd = 0; free_run < 512; fd++) {
    if (fcntl(fd, F_GETFD) != -1) {
      n++;
      free_run = 0;
    } else {
      free_run++;
    }
  }
  return n;
}

int h_close_native(bsdsock_os_sock_t s) {
  return close((int)s) == 0 ? 0 : -1;
}

long h_set_fd_limit(long limit) {
  struct rlimit rl;
  long old;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return -1;
  old = rl.rlim_cur == RLIM_INFINITY ? LONG_MAX : (long)rl.rlim_cur;
  rl.rlim_cur = limit == LONG_MAX ? RLIM_INFINITY : (rlim_t)limit;
  if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max) return -1;
  if (setrlimit(RLIMIT_NOFILE, &rl) != 0) return -1;
  return old;
}

int h_crt_close(int fd) {
  (void)fd;
  return -1;  /* no placeholder: close() would close the socket itself */
}

int h_crt_open_temp(const char *name) {
  char path[512];
  int fd;
  h_temp_socket_path(path, sizeof(path), name);
  fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) unlink(path);
  return fd;
}

void h_setenv(const char *name, const char *value) {
  if (value == NULL)
    unsetenv(name);
  else
    setenv(name, value, 1);
}
