/* SPDX-License-Identifier: MIT */
/*
 * sys_posix.c - bsdsockd's threads and clock on POSIX (bsdsockd.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "bsdsockd.h"

struct start {
  void (*fn)(void *);
  void *arg;
};

static void *trampoline(void *p) {
  struct start st = *(struct start *)p;
  free(p);
  st.fn(st.arg);
  return NULL;
}

int bsdsockd_thread_spawn(void (*fn)(void *), void *arg) {
  struct start *st = malloc(sizeof(*st));
  pthread_t t;
  pthread_attr_t attr;
  int rc;
  if (st == NULL) return -1;
  st->fn = fn;
  st->arg = arg;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  rc = pthread_create(&t, &attr, trampoline, st);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    free(st);
    return -1;
  }
  return 0;
}

int64_t bsdsockd_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
