/* SPDX-License-Identifier: MIT */
/*
 * select_server.c - a multiperson chat server, in the style of Beej's
 * Guide: select() over a master fd_set, walking descriptor numbers
 * 0..fdmax; whatever one client sends goes to all the others.
 *
 *   select_server PORT [MAX_CLIENTS [ADDRESS]]
 *
 * Listens on ADDRESS (127.0.0.1 by default). With MAX_CLIENTS > 0 it
 * exits once that many clients have come and gone; otherwise it runs
 * until killed.
 *
 * Plain BSD socket code: it builds unchanged on Linux and, through
 * bsdsock's compat headers, on Windows (see README.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/select.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netdb.h>

static void *get_in_addr(struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return &(((struct sockaddr_in *)sa)->sin_addr);
    return &(((struct sockaddr_in6 *)sa)->sin6_addr);
}

static int sendall(int s, const char *buf, size_t len)
{
    size_t total = 0;

    while (total < len) {
        ssize_t n = send(s, buf + total, len - total, 0);
        if (n == -1)
            return -1;
        total += (size_t)n;
    }
    return 0;
}

/* Returns a listening socket on address:port, or -1. */
static int get_listener_socket(const char *address, const char *port)
{
    int listener = -1;
    int yes = 1;
    int rv;
    struct addrinfo hints, *ai, *p;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    if ((rv = getaddrinfo(address, port, &hints, &ai)) != 0) {
        fprintf(stderr, "select_server: %s\n", gai_strerror(rv));
        return -1;
    }

    for (p = ai; p != NULL; p = p->ai_next) {
        listener = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
        if (listener < 0)
            continue;
        /* lose the pesky "address already in use" error message */
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        if (bind(listener, p->ai_addr, p->ai_addrlen) < 0) {
            close(listener);
            continue;
        }
        break;
    }
    freeaddrinfo(ai);

    if (p == NULL || listen(listener, 10) == -1)
        return -1;
    return listener;
}

int main(int argc, char *argv[])
{
    fd_set master;    /* master file descriptor list */
    fd_set read_fds;  /* temp file descriptor list for select() */
    int fdmax;        /* maximum file descriptor number */
    int listener;     /* listening socket descriptor */
    int newfd;        /* newly accept()ed socket descriptor */
    struct sockaddr_storage remoteaddr;
    socklen_t addrlen;
    char buf[256];
    ssize_t nbytes;
    char remote_ip[INET6_ADDRSTRLEN];
    int i, j;
    int max_clients = argc > 2 ? atoi(argv[2]) : 0;
    int gone = 0;
    const char *address = argc > 3 ? argv[3] : "127.0.0.1";

    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: select_server port [max_clients [address]]\n");
        return 1;
    }

    FD_ZERO(&master);
    FD_ZERO(&read_fds);

    listener = get_listener_socket(address, argv[1]);
    if (listener == -1) {
        fprintf(stderr, "select_server: failed to listen on %s port %s\n",
                address, argv[1]);
        return 2;
    }
    printf("select_server: listening on %s port %s\n", address, argv[1]);
    fflush(stdout);

    FD_SET(listener, &master);
    fdmax = listener;

    for (;;) {
        read_fds = master; /* copy it */
        if (select(fdmax + 1, &read_fds, NULL, NULL, NULL) == -1) {
            perror("select");
            return 4;
        }

        /* run through the existing connections looking for data to read */
        for (i = 0; i <= fdmax; i++) {
            if (!FD_ISSET(i, &read_fds))
                continue;
            if (i == listener) {
                /* handle new connections */
                addrlen = sizeof remoteaddr;
                newfd = accept(listener, (struct sockaddr *)&remoteaddr,
                               &addrlen);
                if (newfd == -1) {
                    perror("accept");
                    continue;
                }
                FD_SET(newfd, &master);
                if (newfd > fdmax)
                    fdmax = newfd;
                printf("select_server: new connection from %s on socket %d\n",
                       inet_ntop(remoteaddr.ss_family,
                                 get_in_addr((struct sockaddr *)&remoteaddr),
                                 remote_ip, INET6_ADDRSTRLEN),
                       newfd);
                fflush(stdout);
            } else if ((nbytes = recv(i, buf, sizeof buf, 0)) <= 0) {
                /* got error or connection closed by client */
                if (nbytes == 0)
                    printf("select_server: socket %d hung up\n", i);
                else
                    perror("recv");
                fflush(stdout);
                close(i);
                FD_CLR(i, &master);
                if (max_clients > 0 && ++gone >= max_clients) {
                    close(listener);
                    return 0;
                }
            } else {
                /* we got some data from a client: send it to everyone
                 * else */
                for (j = 0; j <= fdmax; j++) {
                    if (FD_ISSET(j, &master) && j != listener && j != i) {
                        if (sendall(j, buf, (size_t)nbytes) == -1)
                            perror("send");
                    }
                }
            }
        }
    }
}
