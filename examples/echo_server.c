/* SPDX-License-Identifier: MIT */
/*
 * echo_server.c - an echo server written against bsdsock itself: the
 * same code and the same numbers on every platform, no #ifdef, no
 * WSAStartup, no SIGPIPE, errors as return values.
 *
 *   echo_server PORT [MAX_CLIENTS [ADDRESS]]
 *
 * Serves one client at a time on ADDRESS (127.0.0.1 by default), echoing
 * everything until the client closes. With MAX_CLIENTS > 0 it exits after
 * that many clients; otherwise it runs until killed.
 */
#include <bsdsock/bsdsock.h>

#include <stdio.h>
#include <stdlib.h>

/* Echoes one connection until the peer closes it; 0 or an error. */
static int echo(int fd)
{
    char buf[4096];

    for (;;) {
        bsdsock_ssize_t n = bsdsock_recv(fd, buf, sizeof(buf), 0), off = 0;
        if (n <= 0)
            return (int)n;
        while (off < n) {
            bsdsock_ssize_t m = bsdsock_send(fd, buf + off, (size_t)(n - off),
                                             0);
            if (m < 0)
                return (int)m;
            off += m;
        }
    }
}

int main(int argc, char *argv[])
{
    bsdsock_addr_t addr, peer;
    char text[BSDSOCK_ADDRSTRLEN];
    int fd, rc, served = 0;
    int max_clients = argc > 2 ? atoi(argv[2]) : 0;
    const char *address = argc > 3 ? argv[3] : "127.0.0.1";
    int one = 1;

    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: echo_server port [max_clients [address]]\n");
        return 1;
    }
    rc = bsdsock_addr_parse(&addr, address, (uint16_t)atoi(argv[1]));
    if (rc != 0) {
        fprintf(stderr, "echo_server: %s: %s\n", address,
                bsdsock_strerror(rc));
        return 1;
    }
    fd = bsdsock_socket(addr.family, BSDSOCK_SOCK_STREAM, 0);
    if (fd < 0 ||
        (rc = bsdsock_setsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_REUSEADDR,
                                 &one, sizeof(one))) != 0 ||
        (rc = bsdsock_bind(fd, &addr)) != 0 ||
        (rc = bsdsock_listen(fd, 16)) != 0) {
        fprintf(stderr, "echo_server: %s\n",
                bsdsock_strerror(fd < 0 ? fd : rc));
        return 2;
    }
    printf("echo_server: listening on %s port %s (%s backend)\n", address,
           argv[1], bsdsock_backend());
    fflush(stdout);

    while (max_clients <= 0 || served < max_clients) {
        int c = bsdsock_accept(fd, &peer);
        if (c < 0) {
            fprintf(stderr, "echo_server: accept: %s\n", bsdsock_strerror(c));
            continue;
        }
        bsdsock_addr_format(&peer, text, sizeof(text));
        printf("echo_server: client %s\n", text);
        fflush(stdout);
        rc = echo(c);
        if (rc < 0)
            fprintf(stderr, "echo_server: %s: %s (%s)\n", text,
                    bsdsock_strerror(rc), bsdsock_err_name(rc));
        bsdsock_close(c);
        served++;
    }
    bsdsock_close(fd);
    return 0;
}
