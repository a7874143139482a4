/* SPDX-License-Identifier: MIT */
/*
 * tests/support/harness.h - what every bsdsock test file includes.
 *
 * Test files are identical on both backends and contain no platform
 * conditionals: whatever differs (raising the descriptor limit, SIGPIPE,
 * interrupting a wait) lives behind the h_* functions, implemented once in
 * harness.c and per platform in harness_posix.c / harness_win32.c; the
 * clock, sleep and threads the benchmark needs too come from sysutil.h.
 * Tests bind to port 0 on loopback only.
 */
#ifndef BSDSOCK_TEST_HARNESS_H
#define BSDSOCK_TEST_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <bsdsock/bsdsock.h>

#include "sysutil.h"

/* Runs a suite: prints which backend it runs on, starts the library,
 * runs the tests and returns the number of failures. */
int h_run(const char *suite, const struct CMUnitTest *tests, size_t count);
#define H_RUN(suite, tests) h_run(suite, tests, sizeof(tests) / sizeof(tests[0]))

/* Skips the current test after printing why (cmocka's skip() says nothing). */
#define H_SKIP(...)                                                          \
  do {                                                                       \
    printf("[  SKIP    ] reason: ");                                         \
    printf(__VA_ARGS__);                                                     \
    printf("\n");                                                            \
    fflush(stdout);                                                          \
    skip();                                                                  \
  } while (0)

/* Asserts that a bsdsock call returned exactly `want`, printing the error
 * names on failure. */
#define H_ASSERT_ERR(call, want)                                             \
  do {                                                                       \
    long long h_got_ = (long long)(call);                                    \
    if (h_got_ != (long long)(want))                                         \
      fail_msg("%s returned %lld (%s), expected %lld (%s)", #call, h_got_,   \
               bsdsock_err_name((int)h_got_), (long long)(want),             \
               bsdsock_err_name((int)(want)));                               \
  } while (0)

/* Asserts a call succeeded (>= 0), printing its error otherwise. */
#define H_OK(call)                                                           \
  do {                                                                       \
    long long h_got_ = (long long)(call);                                    \
    if (h_got_ < 0)                                                          \
      fail_msg("%s failed: %s (%s)", #call, bsdsock_err_name((int)h_got_),   \
               bsdsock_strerror((int)h_got_));                               \
  } while (0)

/* ---- loopback helpers (harness.c) ----------------------------------------- */

/* 1 if this host has IPv6 loopback (::1) available. */
int h_have_ipv6(void);

/* Loopback address of family with port 0. */
void h_loopback(bsdsock_addr_t *addr, int family);

/* A listening TCP socket on loopback port 0; *bound gets its address. */
int h_listener(int family, bsdsock_addr_t *bound);

/* A connected TCP pair over loopback (both blocking, 5 s I/O timeouts). */
void h_tcp_pair(int family, int *client, int *server);

/* A UDP socket bound to loopback port 0; *bound gets its address. */
int h_udp_bound(int family, bsdsock_addr_t *bound);

/* Sends a one-byte datagram ("!") to the bound UDP socket fd from a
 * socket of its own, and waits (at most 5 s) until fd is readable. */
void h_make_readable(int fd);

/* An int-valued option's value (asserting the call succeeds and reports
 * an int's size), and setting one (asserting success). */
int h_get_int(int fd, int level, int name);
void h_set_int(int fd, int level, int name, int value);

/* Sets SO_RCVTIMEO and SO_SNDTIMEO so a broken test fails, not hangs. */
void h_io_timeout(int fd, int ms);

/* A non-blocking TCP socket whose connect() to a just-closed loopback
 * port has returned BSDSOCK_EINPROGRESS (it will fail with ECONNREFUSED;
 * on Windows that takes about 2 s, quirk Q21). */
int h_connect_refused(int family);

/* ---- clock, sleep, threads (sysutil.h) ------------------------------------- */

/* The test files' names for sysutil's services, kept so that no test needs
 * editing for the move (and tests written meanwhile still build). */
typedef su_thread_t h_thread_t;

static inline uint64_t h_now_ms(void) {
  return su_now_ms();
}

static inline void h_sleep_ms(int ms) {
  su_sleep_ms(ms);
}

static inline h_thread_t *h_thread_start(void (*fn)(void *), void *arg) {
  return su_thread_start(fn, arg);
}

static inline void h_thread_join(h_thread_t *t) {
  su_thread_join(t);
}

/* ---- platform helpers (harness_<backend>.c) -------------------------------- */

/* A child process running argv[0] (su_process_start in sysutil.h: on
 * Windows a path that starts with '/' is a Unix path seen through Wine);
 * NULL if it could not be started. h_process_kill ends the child and
 * waits for it. */
typedef su_process_t h_process_t;

static inline h_process_t *h_process_start(const char *const *argv) {
  return su_process_start(argv, 0);
}

static inline void h_process_kill(h_process_t *p) {
  su_process_kill(p);
}

/* su_bsdsockd_start (sysutil.h), saying why on stdout when it fails. */
h_process_t *h_bsdsockd_start(const char *path, const char *token,
                              const char *const *extra, unsigned *port);

/* Raises the process's descriptor limit to at least want. Returns the
 * limit now in force (or want where there is no such limit). */
long h_raise_fd_limit(long want);

/* Sets the process's descriptor limit (the soft RLIMIT_NOFILE) to limit,
 * for a test that runs out of descriptors on purpose. Returns the limit
 * that was in force, to give back to it afterwards, or -1 where the
 * platform has no such limit (Windows: bsdsock numbers sockets itself,
 * past the C runtime's table, and the kernel's handle table is far
 * larger) or it cannot be set. */
long h_set_fd_limit(long limit);

/* Puts SIGPIPE at its default disposition (so a stray SIGPIPE would kill
 * the test). Returns 1, or 0 where the platform has no SIGPIPE. */
int h_sigpipe_default(void);

/* 1 when the tests run under Wine, else 0: a test may then skip, with
 * the reason, a behaviour where Wine is known to differ from Windows. */
int h_is_wine(void);

/* Interrupts the calling thread's blocking wait once, ms milliseconds from
 * now, from another thread: a signal whose handler is installed without
 * SA_RESTART (POSIX), a user APC (Windows; select and sleeps are
 * alertable, quirk Q17). h_interrupt_join waits for that thread and
 * returns how many interrupts the calling thread handled (1 if it was
 * delivered), or -1 if the interrupter could not be started. */
typedef struct h_interrupt h_interrupt_t;
h_interrupt_t *h_interrupt_after(int ms);
int h_interrupt_join(h_interrupt_t *it);

/* A unique path for a filesystem socket (AF_UNIX) in the temporary
 * directory, removed first if it exists; h_remove_path deletes it. */
static inline void h_temp_socket_path(char *buf, size_t size,
                                      const char *name) {
  su_temp_path(buf, size, name);
}

static inline void h_remove_path(const char *path) {
  su_remove_path(path);
}

/* The number the C runtime's open() gives next: it opens the null device
 * (open("/dev/null") on POSIX, _open("NUL") on Windows), notes the number
 * and closes it. On Windows sockets hold a C runtime descriptor each, so
 * comparing it before and after a call shows a descriptor that call
 * leaked on either side. */
int h_lowest_crt_fd(void);

/* Sets (value NULL: removes) a variable of this process's environment, as
 * getenv() sees it. */
void h_setenv(const char *name, const char *value);

/* A C runtime file descriptor that is not a socket: the null device opened
 * as h_lowest_crt_fd() opens it, left open. h_close_file closes it and
 * returns 0 if it was still open, else -1 (so a test can tell that no
 * bsdsock call closed it). */
int h_open_file(void);
int h_close_file(int fd);

/* How many OS handles the process holds: descriptors on POSIX, handles
 * on Windows (the process's handle count, or under Wine, which does not
 * keep one, a scan of the handle values). Numbers are handed out lowest
 * first, so the scan stops after 512 free numbers in a row. Equal before
 * and after a call that leaked nothing, wherever the leak sits; on Windows
 * it also sees a SOCKET leaked before it got a bsdsock number. */
long h_os_handles_open(void);

/* Closes an OS socket behind bsdsock's back (close() / closesocket()):
 * 0 if it was open and is now closed, else -1. For the fault tests, whose
 * injected close() failure skips the real call and so leaves the OS socket
 * open, which no real failure of Linux's close() does. */
int h_close_native(bsdsock_os_sock_t s);

/* Closes C runtime descriptor fd with the C runtime's own close, as a
 * legacy program mixing C runtime and socket calls might do on a socket's
 * number: on Windows _close(), which closes the placeholder descriptor
 * the socket holds (src/win32/fdtable.c) and leaves the socket open; 0 if
 * it closed something. POSIX has no placeholder: a socket's number is its
 * kernel descriptor, and close() would close the socket itself, so this
 * does nothing and returns -1. */
int h_crt_close(int fd);

/* Opens a new empty file in the temporary directory with the C runtime's
 * open() and returns its descriptor (-1 on failure); the file is deleted
 * when the descriptor is closed (h_crt_close on Windows, where the test
 * that uses it runs). */
int h_crt_open_temp(const char *name);

#endif /* BSDSOCK_TEST_HARNESS_H */
