/* SPDX-License-Identifier: MIT */
/*
 * bsdsockd.h - the forwarding server's parts (docs/wire.md, "bsdsockd"):
 * main.c parses the options and accepts clients, session.c runs one
 * client's session, sys_posix.c / sys_win32.c (CMake picks one) give it a
 * thread per session and a monotonic clock.
 */
#ifndef BSDSOCKD_H
#define BSDSOCKD_H

#include <stddef.h>
#include <stdint.h>

#include <bsdsock/bsdsock.h>

struct bsdsockd_config {
  const uint8_t *token;   /* the pre-shared token */
  size_t token_len;
  int max_sockets;        /* sockets and pollers per session */
  size_t max_frame;       /* largest frame accepted, header included */
  int max_inflight;       /* requests a client may send ahead */
  int hello_timeout_ms;   /* how long a new connection has to say HELLO */
};

/* Runs the session of the client on conn (a connected socket) to its end,
 * closes conn and every socket of the session, and logs one line. */
void bsdsockd_session_run(const struct bsdsockd_config *cfg, int conn,
                          const bsdsock_addr_t *peer);

/* Starts fn(arg) on a detached thread; 0, or -1 if it could not start. */
int bsdsockd_thread_spawn(void (*fn)(void *), void *arg);

/* Logs one line on stderr, "bsdsockd: " and the formatted text, in one
 * write: sessions end on threads of their own, and an unbuffered stderr
 * written piece by piece (musl writes each conversion) would interleave
 * their lines with each other and with whatever shares the stream. */
void bsdsockd_log(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Milliseconds on a monotonic clock. */
int64_t bsdsockd_now_ms(void);

#endif /* BSDSOCKD_H */
