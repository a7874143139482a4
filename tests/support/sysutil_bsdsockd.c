/* SPDX-License-Identifier: MIT */
/*
 * tests/support/sysutil_bsdsockd.c - starting a bsdsockd for the remote
 * suites and the bench's remote_sendrecv scenario, the same way for both:
 * the token through a temporary file (never on the command line, where
 * other local users could read it), port 0, and the port read back from
 * --port-file. Portable over the rest of sysutil.
 */
#include "sysutil.h"

#include <stdio.h>

#define START_WAIT_MS 30000   /* for the port file (Wine starts slowly) */
#define MAX_EXTRA 12

su_process_t *su_bsdsockd_start(const char *path, const char *token,
                                const char *const *extra, int quiet,
                                unsigned *port, char *why, size_t size) {
  char token_file[512], port_file[512];
  const char *argv[6 + MAX_EXTRA] = {path, "--token-file", token_file,
                                     "--port-file", port_file};
  su_process_t *server;
  uint64_t until;
  FILE *f;
  int i, n = 5;
  for (i = 0; extra != NULL && extra[i] != NULL && i < MAX_EXTRA; i++)
    argv[n++] = extra[i];
  argv[n] = NULL;
  *port = 0;
  su_temp_path(token_file, sizeof(token_file), "bsdsockd-token");
  su_temp_path(port_file, sizeof(port_file), "bsdsockd-port");
  f = fopen(token_file, "w");
  if (f == NULL || fprintf(f, "%s\n", token) < 0 || fclose(f) != 0) {
    snprintf(why, size, "cannot write the token file %s", token_file);
    su_remove_path(token_file);
    return NULL;
  }
  server = su_process_start(argv, quiet);
  if (server == NULL) snprintf(why, size, "cannot start %s", path);
  until = su_now_ms() + START_WAIT_MS;
  while (server != NULL && *port == 0 && su_now_ms() < until) {
    f = fopen(port_file, "r");
    if (f != NULL) {
      if (fscanf(f, "%u", port) != 1 || *port > 65535) *port = 0;
      fclose(f);
    }
    if (*port == 0) su_sleep_ms(20);
  }
  su_remove_path(token_file);
  su_remove_path(port_file);
  if (server != NULL && *port == 0) {
    snprintf(why, size, "%s wrote no port in %d s", path,
             START_WAIT_MS / 1000);
    su_process_kill(server);
    server = NULL;
  }
  return server;
}
