/* SPDX-License-Identifier: MIT */
/*
 * tests/support/sysutil.h - the few OS services both the tests and the
 * benchmark need: a monotonic clock, a sleep, and a thread to start and
 * join, a child process, and a bsdsockd to start. One implementation per
 * platform (sysutil_posix.c, sysutil_win32.c; CMake picks one) and a
 * portable one over them (sysutil_bsdsockd.c), so neither the test
 * harness nor the bench writes them again.
 *
 * It needs neither cmocka nor bsdsock: the bench builds where cmocka is
 * missing, and a clock that called into bsdsock could not time it fairly.
 */
#ifndef BSDSOCK_SYSUTIL_H
#define BSDSOCK_SYSUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Nanoseconds on a monotonic clock (CLOCK_MONOTONIC, or the performance
 * counter on Windows: fine-grained enough to time one round trip). Only
 * differences between two readings mean anything. */
uint64_t su_now_ns(void);

/* The same clock in milliseconds, for timeouts and elapsed-time checks. */
static inline uint64_t su_now_ms(void) {
  return su_now_ns() / 1000000u;
}

/* Sleeps at least ms milliseconds (a signal does not cut it short). */
void su_sleep_ms(int ms);

/* A thread running fn(arg) (pthreads or Win32 threads). su_thread_start
 * returns NULL if the thread could not be started; su_thread_join waits
 * for it to finish and frees it. */
typedef struct su_thread su_thread_t;
su_thread_t *su_thread_start(void (*fn)(void *), void *arg);
void su_thread_join(su_thread_t *t);

/* ---- child processes and temporary files (the remote tests' and the
 * bench's bsdsockd) -------------------------------------------------------- */

/* A child process running the program argv[0] with the arguments that
 * follow (argv ends with NULL); NULL if it could not be started. On
 * Windows a path that starts with '/' is a Unix path seen through Wine
 * (its Z: drive). The child dies with this process (PR_SET_PDEATHSIG; a
 * job object on Windows), so a crash leaves no orphan holding a pipe.
 * quiet: its standard input, output and error are the null device (the
 * bench's stdout is its table alone), else this process's.
 * su_process_kill ends the child, waits for it and frees it (NULL is
 * ignored). */
typedef struct su_process su_process_t;
su_process_t *su_process_start(const char *const *argv, int quiet);
void su_process_kill(su_process_t *p);

/* A path in the temporary directory unique to this process
 * (bsdsock-<pid>-<name>), removed first if it exists; su_remove_path
 * deletes a file. */
void su_temp_path(char *buf, size_t size, const char *name);
void su_remove_path(const char *path);

/* ---- a private network namespace (tests/test_ifwatch.c) --------------------
 * Each returns 0, or -1 with the reason, NUL-terminated, in why (size
 * bytes): on Linux what the kernel refused, elsewhere "unsupported". */

/* Moves the calling thread (only it) into a network namespace of its
 * own, where only the loopback interface exists, down: unshare
 * (CLONE_NEWNET), which needs CAP_SYS_ADMIN. */
int su_netns_private(char *why, size_t size);

/* Brings interface ifindex up (up 1) or down (rtnetlink RTM_NEWLINK). */
int su_if_up(unsigned ifindex, int up, char *why, size_t size);

/* Adds (add 1) or removes the IPv4 address ip4/prefixlen (network byte
 * order) on interface ifindex (rtnetlink RTM_NEWADDR, RTM_DELADDR). */
int su_if_addr_ip4(unsigned ifindex, const uint8_t ip4[4], unsigned prefixlen,
                   int add, char *why, size_t size);

/* ---- a bsdsockd (sysutil_bsdsockd.c) ------------------------------------- */

/* Starts the bsdsockd at path on port 0 with token (handed over in a
 * temporary file) and the further options extra (NULL-terminated, at most
 * 12; the server listens on 127.0.0.1 unless they say otherwise), quiet
 * as su_process_start, and waits up to 30 s for the port it bound: the
 * process with *port set, or NULL with the reason in why (size bytes).
 * su_process_kill ends it. */
su_process_t *su_bsdsockd_start(const char *path, const char *token,
                                const char *const *extra, int quiet,
                                unsigned *port, char *why, size_t size);

#endif /* BSDSOCK_SYSUTIL_H */
