/* SPDX-License-Identifier: MIT */
/*
 * bsdsockd - runs the socket calls of connected clients with bsdsock on
 * this machine's OS (docs/wire.md). It listens on 127.0.0.1 unless told
 * otherwise, admits clients that know the pre-shared token, and runs each
 * session on its own thread.
 *
 *   bsdsockd [--listen HOST:PORT] [--port-file FILE] [--token-file FILE]
 *            [--max-sockets N] [--max-frame BYTES] [--max-inflight N]
 *            [--max-sessions N] [--hello-timeout MS]
 */
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsdsock/wire.h>

#include "bsdsockd.h"

struct client {
  const struct bsdsockd_config *cfg;
  int conn;
  bsdsock_addr_t peer;
};

/* Sessions running now: a connection past --max-sessions is closed at
 * once, so no client, admitted or not, can make the server start more
 * threads than that. */
static atomic_int active;

static void run_client(void *arg) {
  struct client *c = arg;
  bsdsockd_session_run(c->cfg, c->conn, &c->peer);
  free(c);
  atomic_fetch_sub(&active, 1);
}

void bsdsockd_log(const char *fmt, ...) {
  char line[1024];
  va_list ap;
  int n = snprintf(line, sizeof(line), "bsdsockd: ");
  va_start(ap, fmt);
  vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
  va_end(ap);
  strcat(line, "\n");
  fputs(line, stderr);
  fflush(stderr);
}

static int usage(const char *why) {
  fprintf(stderr,
          "bsdsockd: %s\n"
          "usage: bsdsockd [--listen HOST:PORT] [--port-file FILE] "
          "[--token-file FILE]\n"
          "                [--max-sockets N] [--max-frame BYTES] "
          "[--max-inflight N]\n"
          "                [--max-sessions N] [--hello-timeout MS]\n"
          "The token is the token file's first line, else BSDSOCK_TOKEN.\n",
          why);
  return 2;
}

/* "host:port", "[v6]:port". */
static int parse_listen(const char *text, bsdsock_addr_t *addr) {
  char host[128];
  const char *colon = strrchr(text, ':'), *h = text;
  size_t n;
  char *end;
  long port;
  if (colon == NULL) return -1;
  n = (size_t)(colon - text);
  if (n >= 2 && text[0] == '[' && text[n - 1] == ']') {
    h = text + 1;
    n -= 2;
  }
  if (n == 0 || n >= sizeof(host)) return -1;
  memcpy(host, h, n);
  host[n] = 0;
  port = strtol(colon + 1, &end, 10);
  if (*end != 0 || end == colon + 1 || port < 0 || port > 65535) return -1;
  return bsdsock_addr_parse(addr, host, (uint16_t)port) == 0 ? 0 : -1;
}

static int parse_num(const char *text, long min, long max, long *out) {
  char *end;
  long v = strtol(text, &end, 10);
  if (*end != 0 || end == text || v < min || v > max) return -1;
  *out = v;
  return 0;
}

/* The token file's first line, without its line end. */
static char *read_token(const char *path) {
  FILE *f = fopen(path, "rb");
  char *buf;
  size_t n;
  if (f == NULL) return NULL;
  buf = calloc(1, 4097);
  if (buf == NULL) {
    fclose(f);
    return NULL;
  }
  n = fread(buf, 1, 4096, f);
  fclose(f);
  buf[n] = 0;
  buf[strcspn(buf, "\r\n")] = 0;
  return buf;
}

int main(int argc, char **argv) {
  static struct bsdsockd_config cfg;
  const char *listen_text = "127.0.0.1:0", *port_file = NULL,
             *token_file = NULL;
  char *token = NULL, text[BSDSOCK_ADDRSTRLEN];
  bsdsock_addr_t addr;
  long v, max_sessions = 64;
  int i, lfd, one = 1, rc = 0;
  cfg.max_sockets = 256;
  cfg.max_frame = BSDSOCK_WIRE_MAX_FRAME;
  cfg.max_inflight = 16;
  cfg.hello_timeout_ms = 10000;
  for (i = 1; i < argc; i++) {
    const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(opt, "--help") == 0) return usage("forwards socket calls");
    if (val == NULL) return usage("an option lacks its value");
    i++;
    if (strcmp(opt, "--listen") == 0) {
      listen_text = val;
    } else if (strcmp(opt, "--port-file") == 0) {
      port_file = val;
    } else if (strcmp(opt, "--token-file") == 0) {
      token_file = val;
    } else if (strcmp(opt, "--max-sockets") == 0) {
      if (parse_num(val, 1, 1000000, &v)) return usage("bad --max-sockets");
      cfg.max_sockets = (int)v;
    } else if (strcmp(opt, "--max-frame") == 0) {
      if (parse_num(val, 65536, BSDSOCK_WIRE_MAX_FRAME, &v))
        return usage("bad --max-frame (65536 to 1052672)");
      cfg.max_frame = (size_t)v;
    } else if (strcmp(opt, "--max-sessions") == 0) {
      if (parse_num(val, 1, 100000, &max_sessions))
        return usage("bad --max-sessions");
    } else if (strcmp(opt, "--hello-timeout") == 0) {
      if (parse_num(val, 100, 3600000, &v)) return usage("bad --hello-timeout");
      cfg.hello_timeout_ms = (int)v;
    } else if (strcmp(opt, "--max-inflight") == 0) {
      if (parse_num(val, 1, 1024, &v)) return usage("bad --max-inflight");
      cfg.max_inflight = (int)v;
    } else {
      return usage("unknown option");
    }
  }
  if (token_file != NULL) {
    token = read_token(token_file);
    if (token == NULL) return usage("cannot read the token file");
  } else if (getenv("BSDSOCK_TOKEN") != NULL) {
    token = malloc(strlen(getenv("BSDSOCK_TOKEN")) + 1);
    if (token == NULL) return 1;
    strcpy(token, getenv("BSDSOCK_TOKEN"));
  }
  if (token == NULL || token[0] == 0)
    return usage("no token (--token-file or BSDSOCK_TOKEN)");
  cfg.token = (const uint8_t *)token;
  cfg.token_len = strlen(token);
  if (parse_listen(listen_text, &addr) != 0)
    return usage("bad --listen (HOST:PORT, [V6]:PORT, numeric)");

  lfd = bsdsock_socket(addr.family, BSDSOCK_SOCK_STREAM, 0);
  if (lfd < 0 ||
      (rc = bsdsock_setsockopt(lfd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_REUSEADDR,
                               &one, sizeof(one))) != 0 ||
      (rc = bsdsock_bind(lfd, &addr)) != 0 ||
      (rc = bsdsock_listen(lfd, 64)) != 0 ||
      (rc = bsdsock_getsockname(lfd, &addr)) != 0) {
    fprintf(stderr, "bsdsockd: cannot listen on %s: %s\n", listen_text,
            bsdsock_strerror(lfd < 0 ? lfd : rc));
    return 1;
  }
  bsdsock_addr_format(&addr, text, sizeof(text));
  if (port_file != NULL) {
    /* Written whole under another name, then renamed: a reader never
     * sees half a number. */
    char tmp[4096];
    FILE *f;
    snprintf(tmp, sizeof(tmp), "%s.tmp", port_file);
    f = fopen(tmp, "w");
    if (f == NULL || fprintf(f, "%u\n", bsdsock_addr_port(&addr)) < 0 ||
        fclose(f) != 0) {
      fprintf(stderr, "bsdsockd: cannot write %s\n", port_file);
      return 1;
    }
    remove(port_file);
    if (rename(tmp, port_file) != 0) {
      fprintf(stderr, "bsdsockd: cannot write %s\n", port_file);
      return 1;
    }
  }
  printf("bsdsockd: listening on %s\n", text);
  fflush(stdout);

  for (;;) {
    struct client *c = calloc(1, sizeof(*c));
    if (c == NULL) return 1;
    c->cfg = &cfg;
    c->conn = bsdsock_accept(lfd, &c->peer);
    if (c->conn < 0) {
      bsdsock_pollfd_t none;
      free(c);
      /* An aborted connection, or out of descriptors: go on, a little
       * later (a poll of no entries is a sleep). */
      bsdsock_poll(&none, 0, 10);
      continue;
    }
    if (atomic_fetch_add(&active, 1) >= max_sessions) {
      char who[BSDSOCK_ADDRSTRLEN] = "?";
      bsdsock_addr_format(&c->peer, who, sizeof(who));
      bsdsockd_log("session %s: refused (%ld sessions already)", who,
                   max_sessions);
      atomic_fetch_sub(&active, 1);
      bsdsock_close(c->conn);
      free(c);
      continue;
    }
    if (bsdsockd_thread_spawn(run_client, c) != 0) {
      bsdsockd_log("no thread for a session; refused");
      atomic_fetch_sub(&active, 1);
      bsdsock_close(c->conn);
      free(c);
    }
  }
}
