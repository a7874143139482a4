/* tests/support/harness_posix.c - platform helpers for the POSIX backend. */
#define _GNU_SOURCE 1
#include "harness.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

uint64_t h_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void h_sleep_ms(int ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  while (nanosleep(&ts, &ts) != 0) {
  }
}

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

struct h_thread {
  pthread_t id;
  void (*fn)(void *);
  void *arg;
};

static void *thread_main(void *p) {
  h_thread_t *t = p;
  t->fn(t->arg);
  return NULL;
}

h_thread_t *h_thread_start(void (*fn)(void *), void *arg) {
  h_thread_t *t = malloc(sizeof(*t));
  if (t == NULL) return NULL;
  t->fn = fn;
  t->arg = arg;
  if (pthread_create(&t->id, NULL, thread_main, t) != 0) {
    free(t);
    return NULL;
  }
  return t;
}

void h_thread_join(h_thread_t *t) {
  pthread_join(t->id, NULL);
  free(t);
}

static volatile sig_atomic_t interrupts;

static void on_interrupt(int sig) {
  (void)sig;
  interrupts++;
}

struct h_interrupt {
  pthread_t target, id;
  int ms;
};

static void *interrupter(void *p) {
  h_interrupt_t *it = p;
  h_sleep_ms(it->ms);
  pthread_kill(it->target, SIGUSR1);
  return NULL;
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
  if (pthread_create(&it->id, NULL, interrupter, it) != 0) {
    free(it);
    return NULL;
  }
  return it;
}

int h_interrupt_join(h_interrupt_t *it) {
  if (it == NULL) return -1;
  pthread_join(it->id, NULL);
  free(it);
  return (int)interrupts;
}

void h_temp_socket_path(char *buf, size_t size, const char *name) {
  const char *dir = getenv("TMPDIR");
  snprintf(buf, size, "%s/bsdsock-%ld-%s", dir && *dir ? dir : "/tmp",
           (long)getpid(), name);
  unlink(buf);
}

void h_remove_path(const char *path) {
  unlink(path);
}
