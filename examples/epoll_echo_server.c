/* SPDX-License-Identifier: MIT */
/*
 * epoll_echo_server.c - a TCP echo server as a Linux programmer writes
 * one: non-blocking sockets, one epoll instance, level-triggered events,
 * a per-connection buffer for what the peer could not take yet (EPOLLOUT
 * until it drains), and an accept loop that runs until EAGAIN.
 *
 *   epoll_echo_server PORT [MAX_CLIENTS [ADDRESS]]
 *
 * Listens on ADDRESS (an IPv4 address, 127.0.0.1 by default). With
 * MAX_CLIENTS > 0 it exits once that many clients have come and gone;
 * otherwise it runs until killed.
 *
 * Plain Linux code (<sys/epoll.h>, epoll_create1, epoll_ctl, epoll_wait,
 * close() of the epoll descriptor): it builds unchanged on Linux, where
 * it is the kernel's epoll, and on Windows, where bsdsock's compat
 * headers provide <sys/epoll.h> on top of bsdsock's poller (see
 * README.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/epoll.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#define MAX_EVENTS 64

/* One connection: what was read and not yet written back. */
struct conn {
    int fd;
    char buf[4096];
    size_t len, off;
    int eof;            /* the peer has finished sending */
};

static int set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL, 0);

    if (flags == -1)
        return -1;
    return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

static int would_block(void)
{
    return errno == EAGAIN || errno == EWOULDBLOCK;
}

/* Watches c for reading when its buffer is empty, for writing while it
 * holds something. */
static int rearm(int epfd, struct conn *c)
{
    struct epoll_event ev;

    memset(&ev, 0, sizeof ev);
    ev.events = c->off < c->len ? EPOLLOUT : EPOLLIN;
    ev.data.ptr = c;
    return epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Writes what c holds; 0 when done or when the socket is full, -1 on
 * error. */
static int flush_conn(struct conn *c)
{
    while (c->off < c->len) {
        ssize_t n = send(c->fd, c->buf + c->off, c->len - c->off, 0);
        if (n == -1)
            return would_block() ? 0 : -1;
        c->off += (size_t)n;
    }
    c->off = c->len = 0;
    return 0;
}

/* Reads what is there and echoes it; 1 when the connection is over. */
static int serve(int epfd, struct conn *c, unsigned int events)
{
    if ((events & (EPOLLERR | EPOLLHUP)) && !(events & EPOLLIN))
        return 1;
    if (events & EPOLLOUT) {
        if (flush_conn(c) == -1)
            return 1;
    } else if (events & EPOLLIN) {
        ssize_t n = recv(c->fd, c->buf, sizeof c->buf, 0);
        if (n == 0)
            c->eof = 1;
        else if (n == -1 && !would_block())
            return 1;
        else if (n > 0) {
            c->len = (size_t)n;
            c->off = 0;
            if (flush_conn(c) == -1)
                return 1;
        }
    }
    if (c->eof && c->off == c->len)
        return 1;
    return rearm(epfd, c) == -1;
}

int main(int argc, char *argv[])
{
    const char *address = argc > 3 ? argv[3] : "127.0.0.1";
    int max_clients = argc > 2 ? atoi(argv[2]) : 0;
    int gone = 0, yes = 1, listener, epfd, i, n;
    struct sockaddr_in sin;
    struct epoll_event ev, events[MAX_EVENTS];

    if (argc < 2) {
        fprintf(stderr, "usage: epoll_echo_server port [max_clients "
                        "[address]]\n");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);

    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons((unsigned short)atoi(argv[1]));
    if (inet_pton(AF_INET, address, &sin.sin_addr) != 1) {
        fprintf(stderr, "epoll_echo_server: %s: not an IPv4 address\n",
                address);
        return 1;
    }
    listener = socket(AF_INET, SOCK_STREAM, 0);
    if (listener == -1) {
        perror("socket");
        return 1;
    }
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (bind(listener, (struct sockaddr *)&sin, sizeof sin) == -1 ||
        listen(listener, SOMAXCONN) == -1 || set_nonblocking(listener) == -1) {
        perror("bind/listen");
        return 1;
    }

    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd == -1) {
        perror("epoll_create1");
        return 1;
    }
    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN;
    ev.data.ptr = NULL;             /* NULL: the listening socket */
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, listener, &ev) == -1) {
        perror("epoll_ctl: listener");
        return 1;
    }
    printf("epoll_echo_server: listening on %s port %s\n", address, argv[1]);
    fflush(stdout);

    while (max_clients <= 0 || gone < max_clients) {
        n = epoll_wait(epfd, events, MAX_EVENTS, -1);
        if (n == -1) {
            if (errno == EINTR)
                continue;
            perror("epoll_wait");
            break;
        }
        for (i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;

            if (c == NULL) {        /* accept everyone who is waiting */
                for (;;) {
                    struct sockaddr_in from;
                    socklen_t fromlen = sizeof from;
                    char text[INET_ADDRSTRLEN];
                    int fd = accept(listener, (struct sockaddr *)&from,
                                    &fromlen);

                    if (fd == -1) {
                        if (!would_block() && errno != EINTR)
                            perror("accept");
                        break;
                    }
                    c = calloc(1, sizeof *c);
                    if (c == NULL || set_nonblocking(fd) == -1) {
                        free(c);
                        close(fd);
                        continue;
                    }
                    c->fd = fd;
                    memset(&ev, 0, sizeof ev);
                    ev.events = EPOLLIN;
                    ev.data.ptr = c;
                    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == -1) {
                        perror("epoll_ctl: client");
                        close(fd);
                        free(c);
                        continue;
                    }
                    inet_ntop(AF_INET, &from.sin_addr, text, sizeof text);
                    printf("epoll_echo_server: new connection from %s on "
                           "socket %d\n", text, fd);
                    fflush(stdout);
                }
                continue;
            }
            if (serve(epfd, c, events[i].events)) {
                printf("epoll_echo_server: socket %d done\n", c->fd);
                fflush(stdout);
                /* close() takes it out of the epoll set. */
                close(c->fd);
                free(c);
                gone++;
            }
        }
    }

    close(epfd);
    close(listener);
    return 0;
}
