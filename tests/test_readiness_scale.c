/* SPDX-License-Identifier: MIT */
/*
 * test_readiness_scale.c - select and poll over 10,000 open descriptors
 * with exactly one readable: no FD_SETSIZE ceiling (glibc's 1,024, fault
 * F4: descriptors above it must work) and no 64-socket limit (Winsock's
 * default FD_SETSIZE, quirk Q25), faults F4 and F19.
 */
#include "harness.h"

#include <stdlib.h>

#define AF BSDSOCK_AF_INET
#define NSOCK 10000
#define LIMIT_WANTED (NSOCK + 200)
#define OPEN_BUDGET_MS 45000  /* stop opening (and say so) past this */
/* Descriptors given back after the system refused one: room for the
 * sender socket, and for other processes sharing the limit (wineserver). */
#define HEADROOM 256

struct fleet {
  int *fd;
  int n;
  int maxfd;
};

/* Opens up to want bound UDP sockets; stops early (n < want) on an error
 * or when the time budget runs out, printing why. */
static void fleet_open(struct fleet *f, int want) {
  bsdsock_addr_t lo;
  uint64_t t0 = h_now_ms();
  int fd, rc;
  f->fd = malloc((size_t)want * sizeof(int));
  assert_non_null(f->fd);
  f->n = 0;
  f->maxfd = -1;
  h_loopback(&lo, AF);
  while (f->n < want) {
    fd = bsdsock_socket(AF, BSDSOCK_SOCK_DGRAM, 0);
    if (fd < 0) {
      printf("# socket() #%d failed: %s\n", f->n, bsdsock_err_name(fd));
      break;
    }
    rc = bsdsock_bind(fd, &lo);
    if (rc != 0) {
      printf("# bind() #%d failed: %s\n", f->n, bsdsock_err_name(rc));
      bsdsock_close(fd);
      break;
    }
    f->fd[f->n++] = fd;
    if (fd > f->maxfd) f->maxfd = fd;
    if (f->n % 1000 == 0 && h_now_ms() - t0 > OPEN_BUDGET_MS) {
      printf("# opening sockets is slow here: stopped at %d after %llu ms\n",
             f->n, (unsigned long long)(h_now_ms() - t0));
      break;
    }
  }
  printf("# opened %d sockets in %llu ms, highest descriptor %d\n", f->n,
         (unsigned long long)(h_now_ms() - t0), f->maxfd);
}

/* Closes the last k sockets. */
static void fleet_shrink(struct fleet *f, int k) {
  int i;
  for (i = 0; i < k && f->n > 0; i++) H_OK(bsdsock_close(f->fd[--f->n]));
  f->maxfd = -1;
  for (i = 0; i < f->n; i++)
    if (f->fd[i] > f->maxfd) f->maxfd = f->fd[i];
}

static void fleet_close(struct fleet *f) {
  int i;
  for (i = 0; i < f->n; i++) H_OK(bsdsock_close(f->fd[i]));
  free(f->fd);
}

/* select and poll over f find exactly `target` readable, and all of them
 * writable. */
static void find_the_one(const struct fleet *f, int target) {
  bsdsock_fdset_t r = BSDSOCK_FDSET_INIT, w = BSDSOCK_FDSET_INIT;
  bsdsock_timeval_t tv = {5, 0};
  bsdsock_pollfd_t *p = malloc((size_t)f->n * sizeof(*p));
  uint64_t t0;
  int i, n;
  assert_non_null(p);
  for (i = 0; i < f->n; i++) H_OK(bsdsock_fdset_set(&r, f->fd[i]));
  t0 = h_now_ms();
  assert_int_equal(bsdsock_select(f->maxfd + 1, &r, NULL, NULL, &tv), 1);
  printf("# select, %d watched: %llu ms\n", f->n,
         (unsigned long long)(h_now_ms() - t0));
  assert_int_equal(bsdsock_fdset_count(&r), 1);
  assert_int_equal(bsdsock_fdset_isset(&r, target), 1);

  for (i = 0; i < f->n; i++) {
    p[i].fd = f->fd[i];
    p[i].events = BSDSOCK_POLLIN;
    p[i].revents = -1;
  }
  t0 = h_now_ms();
  assert_int_equal(bsdsock_poll(p, (size_t)f->n, 5000), 1);
  printf("# poll, %d watched: %llu ms\n", f->n,
         (unsigned long long)(h_now_ms() - t0));
  for (i = 0; i < f->n; i++)
    assert_int_equal(p[i].revents, p[i].fd == target ? BSDSOCK_POLLIN : 0);

  /* Every one of them is writable: all reported, none dropped. */
  for (i = 0; i < f->n; i++) H_OK(bsdsock_fdset_set(&w, f->fd[i]));
  n = bsdsock_select(f->maxfd + 1, NULL, &w, NULL, &tv);
  assert_int_equal(n, f->n);
  assert_int_equal(bsdsock_fdset_count(&w), f->n);
  for (i = 0; i < f->n; i++) p[i].events = BSDSOCK_POLLOUT;
  assert_int_equal(bsdsock_poll(p, (size_t)f->n, 5000), f->n);
  for (i = 0; i < f->n; i++)
    assert_int_equal(p[i].revents & BSDSOCK_POLLOUT, BSDSOCK_POLLOUT);
  bsdsock_fdset_free(&r);
  bsdsock_fdset_free(&w);
  free(p);
}

/* More than Winsock's default 64 sockets in one set; always runs. */
static void test_past_64(void **state) {
  struct fleet f;
  (void)state;
  fleet_open(&f, 200);
  assert_int_equal(f.n, 200);
  h_make_readable(f.fd[150]);
  find_the_one(&f, f.fd[150]);
  fleet_close(&f);
}

static void test_ten_thousand(void **state) {
  struct fleet f;
  long limit = h_raise_fd_limit(LIMIT_WANTED);
  int target;
  (void)state;
  if (limit < LIMIT_WANTED) {
    H_SKIP("descriptor limit is %ld, %d needed", limit, LIMIT_WANTED);
    return;
  }
  fleet_open(&f, NSOCK);
  if (f.n < NSOCK / 2) {
    int got = f.n;
    fleet_close(&f);
    H_SKIP("could open only %d of %d sockets", got, NSOCK);
    return;
  }
  if (f.n < NSOCK) {
    /* Under Wine every socket, and every CRT placeholder descriptor the
     * Windows backend holds for it, costs wineserver a host descriptor,
     * so the host's hard RLIMIT_NOFILE (not Windows) runs out first. */
    printf("# reduced to %d sockets: the system refused more%s\n",
           f.n - HEADROOM,
           h_is_wine() ? " (Wine: host descriptor limit of wineserver)" : "");
    fleet_shrink(&f, HEADROOM);
  }
  /* The highest descriptor: far above glibc's FD_SETSIZE of 1,024. */
  assert_true(f.maxfd >= 1024);
  target = f.maxfd;
  h_make_readable(target);
  find_the_one(&f, target);
  fleet_close(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_past_64),
      cmocka_unit_test(test_ten_thousand),
  };
  return H_RUN("readiness_scale", tests);
}
