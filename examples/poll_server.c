/* SPDX-License-Identifier: MIT */
/*
 * poll_server.c - a multiperson chat server, in the style of Beej's
 * Guide: poll() over an array of struct pollfd that grows as clients
 * arrive; whatever one client sends goes to all the others.
 *
 *   poll_server PORT [MAX_CLIENTS [ADDRESS]]
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
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>

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
        fprintf(stderr, "poll_server: %s\n", gai_strerror(rv));
        return -1;
    }

    for (p = ai; p != NULL; p = p->ai_next) {
        listener = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
        if (listener < 0)
            continue;
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

/* Adds a descriptor to the set, doubling the array when it is full. */
static int add_to_pfds(struct pollfd **pfds, int newfd, int *fd_count,
                       int *fd_size)
{
    if (*fd_count == *fd_size) {
        struct pollfd *grown = realloc(*pfds, sizeof(**pfds) *
                                              (size_t)(*fd_size * 2));
        if (grown == NULL)
            return -1;
        *fd_size *= 2;
        *pfds = grown;
    }
    (*pfds)[*fd_count].fd = newfd;
    (*pfds)[*fd_count].events = POLLIN;
    (*pfds)[*fd_count].revents = 0;
    (*fd_count)++;
    return 0;
}

/* Removes an index from the set by copying the last one over it. */
static void del_from_pfds(struct pollfd pfds[], int i, int *fd_count)
{
    pfds[i] = pfds[*fd_count - 1];
    (*fd_count)--;
}

int main(int argc, char *argv[])
{
    int listener;
    int newfd;
    struct sockaddr_storage remoteaddr;
    socklen_t addrlen;
    char buf[256];
    char remote_ip[INET6_ADDRSTRLEN];
    int fd_count = 0;
    int fd_size = 2; /* start small: the array grows as clients arrive */
    struct pollfd *pfds = malloc(sizeof *pfds * (size_t)fd_size);
    int max_clients = argc > 2 ? atoi(argv[2]) : 0;
    int gone = 0;
    const char *address = argc > 3 ? argv[3] : "127.0.0.1";
    int i, j;

    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: poll_server port [max_clients [address]]\n");
        return 1;
    }
    if (pfds == NULL)
        return 1;

    listener = get_listener_socket(address, argv[1]);
    if (listener == -1) {
        fprintf(stderr, "poll_server: failed to listen on %s port %s\n",
                address, argv[1]);
        return 2;
    }
    printf("poll_server: listening on %s port %s\n", address, argv[1]);
    fflush(stdout);

    pfds[0].fd = listener;
    pfds[0].events = POLLIN;
    fd_count = 1;

    for (;;) {
        int poll_count = poll(pfds, (nfds_t)fd_count, -1);
        if (poll_count == -1) {
            perror("poll");
            return 4;
        }

        for (i = 0; i < fd_count; i++) {
            if (!(pfds[i].revents & (POLLIN | POLLHUP)))
                continue;
            if (pfds[i].fd == listener) {
                addrlen = sizeof remoteaddr;
                newfd = accept(listener, (struct sockaddr *)&remoteaddr,
                               &addrlen);
                if (newfd == -1) {
                    perror("accept");
                    continue;
                }
                if (add_to_pfds(&pfds, newfd, &fd_count, &fd_size) == -1) {
                    close(newfd);
                    continue;
                }
                printf("poll_server: new connection from %s on socket %d\n",
                       inet_ntop(remoteaddr.ss_family,
                                 get_in_addr((struct sockaddr *)&remoteaddr),
                                 remote_ip, INET6_ADDRSTRLEN),
                       newfd);
                fflush(stdout);
            } else {
                int sender_fd = pfds[i].fd;
                ssize_t nbytes = recv(sender_fd, buf, sizeof buf, 0);

                if (nbytes <= 0) {
                    if (nbytes == 0)
                        printf("poll_server: socket %d hung up\n", sender_fd);
                    else
                        perror("recv");
                    fflush(stdout);
                    close(sender_fd);
                    del_from_pfds(pfds, i, &fd_count);
                    i--; /* look at the entry that moved into slot i */
                    if (max_clients > 0 && ++gone >= max_clients) {
                        close(listener);
                        free(pfds);
                        return 0;
                    }
                } else {
                    for (j = 0; j < fd_count; j++) {
                        int dest_fd = pfds[j].fd;
                        if (dest_fd != listener && dest_fd != sender_fd &&
                            sendall(dest_fd, buf, (size_t)nbytes) == -1)
                            perror("send");
                    }
                }
            }
        }
    }
}
