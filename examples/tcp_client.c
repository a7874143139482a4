/* SPDX-License-Identifier: MIT */
/*
 * tcp_client.c - a stream socket client, in the style of Beej's Guide.
 *
 *   tcp_client HOST PORT [MESSAGE]
 *
 * With MESSAGE: sends it as one line, shuts down its sending side and
 * prints everything the server sends until it closes the connection (an
 * echo server's answer). Without: prints the first line the server sends
 * (a chat server's broadcast). Gives up after 10 seconds of silence.
 *
 * Plain BSD socket code: it builds unchanged on Linux and, through
 * bsdsock's compat headers, on Windows (see README.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>
#include <netdb.h>
#include <sys/types.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#define MAXDATASIZE 4096

/* get sockaddr, IPv4 or IPv6 */
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

int main(int argc, char *argv[])
{
    int sockfd = -1;
    struct addrinfo hints, *servinfo, *p;
    struct timeval tv;
    int rv;
    char s[INET6_ADDRSTRLEN];
    static char buf[MAXDATASIZE];
    size_t have = 0;
    ssize_t numbytes;

    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: tcp_client host port [message]\n");
        return 1;
    }

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;

    if ((rv = getaddrinfo(argv[1], argv[2], &hints, &servinfo)) != 0) {
        fprintf(stderr, "getaddrinfo: %s\n", gai_strerror(rv));
        return 1;
    }

    /* loop through all the results and connect to the first we can */
    for (p = servinfo; p != NULL; p = p->ai_next) {
        if ((sockfd = socket(p->ai_family, p->ai_socktype,
                             p->ai_protocol)) == -1) {
            perror("client: socket");
            continue;
        }
        if (connect(sockfd, p->ai_addr, p->ai_addrlen) == -1) {
            perror("client: connect");
            close(sockfd);
            continue;
        }
        break;
    }

    if (p == NULL) {
        fprintf(stderr, "client: failed to connect\n");
        return 2;
    }

    inet_ntop(p->ai_family, get_in_addr((struct sockaddr *)p->ai_addr),
              s, sizeof s);
    printf("client: connected to %s\n", s);
    fflush(stdout);
    freeaddrinfo(servinfo);

    tv.tv_sec = 10;
    tv.tv_usec = 0;
    if (setsockopt(sockfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == -1)
        perror("setsockopt");

    if (argc == 4) {
        snprintf(buf, sizeof buf, "%s\n", argv[3]);
        if (sendall(sockfd, buf, strlen(buf)) == -1) {
            perror("send");
            return 1;
        }
        shutdown(sockfd, SHUT_WR);
    }

    while (have < sizeof buf - 1) {
        numbytes = recv(sockfd, buf + have, sizeof buf - 1 - have, 0);
        if (numbytes == -1) {
            perror("recv");
            close(sockfd);
            return 1;
        }
        if (numbytes == 0)
            break;
        have += (size_t)numbytes;
        buf[have] = '\0';
        if (argc == 3 && strchr(buf, '\n') != NULL)
            break;
    }
    buf[have] = '\0';
    if (have > 0 && buf[have - 1] == '\n')
        buf[have - 1] = '\0';

    printf("client: received '%s'\n", buf);
    close(sockfd);
    return 0;
}
