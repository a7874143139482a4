/* SPDX-License-Identifier: MIT */
/*
 * winsock_echo_server.c - an echo server written the Windows way:
 * WSAStartup, a non-blocking listener, a WSAPoll loop over WSAPOLLFD
 * entries, closesocket, WSAGetLastError.
 *
 *   winsock_echo_server PORT [MAX_CLIENTS [ADDRESS]]
 *
 * Listens on ADDRESS (127.0.0.1 by default). With MAX_CLIENTS > 0 it
 * exits once that many clients have come and gone; otherwise it runs
 * until killed.
 *
 * Plain Winsock code: it builds unchanged on Windows and, through
 * bsdsock's compat headers, on Linux (see README.md).
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SOCKETS 64

static int send_all(SOCKET s, const char *buf, int len)
{
    int total = 0;

    while (total < len) {
        int n = send(s, buf + total, len - total, 0);
        if (n == SOCKET_ERROR)
            return SOCKET_ERROR;
        total += n;
    }
    return total;
}

int main(int argc, char **argv)
{
    WSADATA wsaData;
    ADDRINFOA hints, *result = NULL;
    SOCKET listener = INVALID_SOCKET;
    WSAPOLLFD fds[MAX_SOCKETS];
    ULONG nfds = 0, i;
    u_long mode = 1;
    char buf[512];
    int rc, served = 0;
    int max_clients = argc > 2 ? atoi(argv[2]) : 0;
    const char *address = argc > 3 ? argv[3] : "127.0.0.1";

    if (argc < 2 || argc > 4) {
        printf("usage: %s port [max_clients [address]]\n", argv[0]);
        return 1;
    }

    rc = WSAStartup(MAKEWORD(2, 2), &wsaData);
    if (rc != 0) {
        printf("WSAStartup failed with error: %d\n", rc);
        return 1;
    }

    ZeroMemory(&hints, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_PASSIVE;

    rc = getaddrinfo(address, argv[1], &hints, &result);
    if (rc != 0) {
        printf("getaddrinfo failed with error: %d\n", rc);
        WSACleanup();
        return 1;
    }

    listener = socket(result->ai_family, result->ai_socktype,
                      result->ai_protocol);
    if (listener == INVALID_SOCKET) {
        printf("socket failed with error: %d\n", WSAGetLastError());
        freeaddrinfo(result);
        WSACleanup();
        return 1;
    }

    if (bind(listener, result->ai_addr, (int)result->ai_addrlen) ==
        SOCKET_ERROR) {
        printf("bind failed with error: %d\n", WSAGetLastError());
        freeaddrinfo(result);
        closesocket(listener);
        WSACleanup();
        return 1;
    }
    freeaddrinfo(result);

    if (listen(listener, SOMAXCONN) == SOCKET_ERROR ||
        ioctlsocket(listener, FIONBIO, &mode) == SOCKET_ERROR) {
        printf("listen failed with error: %d\n", WSAGetLastError());
        closesocket(listener);
        WSACleanup();
        return 1;
    }
    printf("winsock_echo_server: listening on %s port %s\n", address,
           argv[1]);
    fflush(stdout);

    fds[0].fd = listener;
    fds[0].events = POLLRDNORM;
    fds[0].revents = 0;
    nfds = 1;

    for (;;) {
        rc = WSAPoll(fds, nfds, -1);
        if (rc == SOCKET_ERROR) {
            printf("WSAPoll failed with error: %d\n", WSAGetLastError());
            break;
        }

        i = 0;
        while (i < nfds) {
            if (fds[i].revents == 0) {
                i++;
                continue;
            }
            if (fds[i].fd == listener) {
                SOCKET client = accept(listener, NULL, NULL);
                u_long blocking = 0;

                if (client == INVALID_SOCKET) {
                    if (WSAGetLastError() != WSAEWOULDBLOCK)
                        printf("accept failed with error: %d\n",
                               WSAGetLastError());
                } else if (nfds == MAX_SOCKETS) {
                    closesocket(client);
                } else {
                    /* An accepted socket inherits the listener's
                     * non-blocking mode; this one only reads after
                     * WSAPoll says so, and may block to send. */
                    ioctlsocket(client, FIONBIO, &blocking);
                    fds[nfds].fd = client;
                    fds[nfds].events = POLLRDNORM;
                    fds[nfds].revents = 0;
                    nfds++;
                    printf("winsock_echo_server: client connected\n");
                    fflush(stdout);
                }
                i++;
                continue;
            }

            rc = recv(fds[i].fd, buf, sizeof(buf), 0);
            if (rc > 0) {
                if (send_all(fds[i].fd, buf, rc) == SOCKET_ERROR)
                    printf("send failed with error: %d\n", WSAGetLastError());
                i++;
                continue;
            }
            if (rc == SOCKET_ERROR)
                printf("recv failed with error: %d\n", WSAGetLastError());
            closesocket(fds[i].fd);
            fds[i] = fds[--nfds]; /* look at the moved entry next */
            printf("winsock_echo_server: client closed\n");
            fflush(stdout);
            if (max_clients > 0 && ++served >= max_clients)
                goto done;
        }
    }

done:
    for (i = 0; i < nfds; i++)
        closesocket(fds[i].fd);
    WSACleanup();
    return 0;
}
