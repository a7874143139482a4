/* SPDX-License-Identifier: MIT */
/*
 * src/compat/bsd/nonsock_posix.c - the POSIX side of nonsock.h, and pipe().
 *
 * Nothing needs peeking here: the kernel's poll and select take pipes,
 * terminals and files, and bsdsock's pass every descriptor on. pipe() is
 * the system's own; it exists under the runtime name only so that code
 * built on every platform (the fault-injection tests) can name it.
 */
#include "../compat.h"
#include "bsdsock/compat_bsd.h"
#include "nonsock.h"
#include "../route.h"

#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <unistd.h>

int bsdsock__compat_peekable(int fd) {
  (void)fd;
  return 0;
}

short bsdsock__compat_peek(int fd, short events) {
  (void)fd;
  (void)events;
  return 0;
}

int bsdsock_compat_pipe(int fds[2]) {
  if (fds == NULL) return bsdsock__compat_fail(BSDSOCK_EFAULT);
  return BSDSOCK__OS(pipe, -1, pipe(fds));
}

/* ---- transparent mode (src/compat/route.h) ------------------------------- */

static pthread_mutex_t route_locks[2] = {PTHREAD_MUTEX_INITIALIZER,
                                         PTHREAD_MUTEX_INITIALIZER};

int bsdsock__compat_placeholder_open(void) {
  return BSDSOCK__OS(placeholder, -1, open("/dev/null", O_RDONLY | O_CLOEXEC));
}

void bsdsock__compat_placeholder_close(int fd) {
  close(fd);
}

void bsdsock__compat_lock(int which) {
  pthread_mutex_lock(&route_locks[which]);
}

void bsdsock__compat_unlock(int which) {
  pthread_mutex_unlock(&route_locks[which]);
}

void bsdsock__compat_set_herror(int h) {
  h_errno = h;
}
