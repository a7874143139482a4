/* SPDX-License-Identifier: MIT */
/*
 * udp_talker.c - a datagram "client", in the style of Beej's Guide:
 * sends one datagram.
 *
 *   udp_talker HOST PORT MESSAGE
 *
 * Plain BSD socket code: it builds unchanged on Linux and, through
 * bsdsock's compat headers, on Windows (see README.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netdb.h>

int main(int argc, char *argv[])
{
    int sockfd = -1;
    struct addrinfo hints, *servinfo, *p;
    int rv;
    ssize_t numbytes;

    if (argc != 4) {
        fprintf(stderr, "usage: udp_talker hostname port message\n");
        return 1;
    }

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;

    if ((rv = getaddrinfo(argv[1], argv[2], &hints, &servinfo)) != 0) {
        fprintf(stderr, "getaddrinfo: %s\n", gai_strerror(rv));
        return 1;
    }

    /* loop through all the results and make a socket */
    for (p = servinfo; p != NULL; p = p->ai_next) {
        if ((sockfd = socket(p->ai_family, p->ai_socktype,
                             p->ai_protocol)) == -1) {
            perror("talker: socket");
            continue;
        }
        break;
    }

    if (p == NULL) {
        fprintf(stderr, "talker: failed to create socket\n");
        return 2;
    }

    if ((numbytes = sendto(sockfd, argv[3], strlen(argv[3]), 0,
                           p->ai_addr, p->ai_addrlen)) == -1) {
        perror("talker: sendto");
        return 1;
    }

    freeaddrinfo(servinfo);

    printf("talker: sent %d bytes to %s\n", (int)numbytes, argv[1]);
    close(sockfd);
    return 0;
}
