/* SPDX-License-Identifier: MIT */
/*
 * echo_client.c - an echo client written against bsdsock itself.
 *
 *   echo_client HOST PORT MESSAGE
 *
 * Resolves HOST, connects, sends MESSAGE as one line, shuts down its
 * sending side and prints what comes back until the server closes.
 * Gives up after 10 seconds of silence.
 */
#include <bsdsock/bsdsock.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char *argv[])
{
    bsdsock_addrinfo_t hints, *res = NULL, *ai;
    bsdsock_timeval_t tv = {10, 0};
    char buf[4096], text[BSDSOCK_ADDRSTRLEN];
    size_t have = 0;
    int fd = -1, rc;

    if (argc != 4) {
        fprintf(stderr, "usage: echo_client host port message\n");
        return 1;
    }
    memset(&hints, 0, sizeof(hints));
    hints.socktype = BSDSOCK_SOCK_STREAM;
    rc = bsdsock_getaddrinfo(argv[1], argv[2], &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "echo_client: %s: %s\n", argv[1],
                bsdsock_gai_strerror(rc));
        return 1;
    }
    for (ai = res; ai != NULL; ai = ai->next) {
        fd = bsdsock_socket(ai->family, ai->socktype, ai->protocol);
        if (fd < 0)
            continue;
        rc = bsdsock_connect(fd, &ai->addr);
        if (rc == 0)
            break;
        bsdsock_close(fd);
        fd = rc;
    }
    if (fd < 0) {
        fprintf(stderr, "echo_client: connect: %s\n", bsdsock_strerror(fd));
        bsdsock_freeaddrinfo(res);
        return 2;
    }
    bsdsock_addr_format(&ai->addr, text, sizeof(text));
    printf("echo_client: connected to %s\n", text);
    bsdsock_freeaddrinfo(res);

    bsdsock_setsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_RCVTIMEO, &tv,
                       sizeof(tv));
    snprintf(buf, sizeof(buf), "%s\n", argv[3]);
    if ((rc = (int)bsdsock_send(fd, buf, strlen(buf), 0)) < 0 ||
        (rc = bsdsock_shutdown(fd, BSDSOCK_SHUT_WR)) < 0) {
        fprintf(stderr, "echo_client: %s\n", bsdsock_strerror(rc));
        return 1;
    }
    while (have < sizeof(buf) - 1) {
        bsdsock_ssize_t n = bsdsock_recv(fd, buf + have,
                                         sizeof(buf) - 1 - have, 0);
        if (n < 0) {
            fprintf(stderr, "echo_client: recv: %s (%s)\n",
                    bsdsock_strerror((int)n), bsdsock_err_name((int)n));
            bsdsock_close(fd);
            return 1;
        }
        if (n == 0)
            break;
        have += (size_t)n;
    }
    buf[have] = '\0';
    if (have > 0 && buf[have - 1] == '\n')
        buf[have - 1] = '\0';
    printf("echo_client: received '%s'\n", buf);
    bsdsock_close(fd);
    return 0;
}
