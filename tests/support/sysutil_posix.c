/* SPDX-License-Identifier: MIT */
/* tests/support/sysutil_posix.c - clock, sleep and threads for POSIX. */
#define _POSIX_C_SOURCE 200809L
#include "sysutil.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

uint64_t su_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void su_sleep_ms(int ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  /* nanosleep leaves the time still to sleep in ts when a signal ends it
   * early (the tests send themselves signals). */
  while (nanosleep(&ts, &ts) != 0) {
  }
}

struct su_thread {
  pthread_t id;
  void (*fn)(void *);
  void *arg;
};

static void *thread_main(void *p) {
  su_thread_t *t = p;
  t->fn(t->arg);
  return NULL;
}

su_thread_t *su_thread_start(void (*fn)(void *), void *arg) {
  su_thread_t *t = malloc(sizeof(*t));
  if (t == NULL) return NULL;
  t->fn = fn;
  t->arg = arg;
  if (pthread_create(&t->id, NULL, thread_main, t) != 0) {
    free(t);
    return NULL;
  }
  return t;
}

void su_thread_join(su_thread_t *t) {
  pthread_join(t->id, NULL);
  free(t);
}
