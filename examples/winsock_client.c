/* SPDX-License-Identifier: MIT */
/*
 * winsock_client.c - a client written the Windows way: WSAStartup,
 * getaddrinfo, connect, send, shutdown(SD_SEND), recv until the server
 * closes, closesocket, WSACleanup.
 *
 *   winsock_client HOST PORT MESSAGE
 *
 * Sends MESSAGE as one line and prints what the server sends back.
 * Gives up after 10 seconds of silence (SO_RCVTIMEO, in milliseconds).
 *
 * Plain Winsock code: it builds unchanged on Windows and, through
 * bsdsock's compat headers, on Linux (see README.md).
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUFLEN 4096

int main(int argc, char **argv)
{
    WSADATA wsaData;
    SOCKET sock = INVALID_SOCKET;
    ADDRINFOA hints, *result = NULL, *ptr;
    DWORD timeout = 10000;
    static char buf[BUFLEN];
    int rc, have = 0;

    if (argc != 4) {
        printf("usage: %s host port message\n", argv[0]);
        return 1;
    }

    rc = WSAStartup(MAKEWORD(2, 2), &wsaData);
    if (rc != 0) {
        printf("WSAStartup failed with error: %d\n", rc);
        return 1;
    }

    ZeroMemory(&hints, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;

    rc = getaddrinfo(argv[1], argv[2], &hints, &result);
    if (rc != 0) {
        printf("getaddrinfo failed with error: %d (%s)\n", rc,
               gai_strerror(rc));
        WSACleanup();
        return 1;
    }

    for (ptr = result; ptr != NULL; ptr = ptr->ai_next) {
        sock = socket(ptr->ai_family, ptr->ai_socktype, ptr->ai_protocol);
        if (sock == INVALID_SOCKET) {
            printf("socket failed with error: %d\n", WSAGetLastError());
            continue;
        }
        if (connect(sock, ptr->ai_addr, (int)ptr->ai_addrlen) ==
            SOCKET_ERROR) {
            printf("connect failed with error: %d\n", WSAGetLastError());
            closesocket(sock);
            sock = INVALID_SOCKET;
            continue;
        }
        break;
    }
    freeaddrinfo(result);

    if (sock == INVALID_SOCKET) {
        printf("Unable to connect to server!\n");
        WSACleanup();
        return 2;
    }
    printf("winsock_client: connected\n");
    fflush(stdout);

    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout,
               sizeof(timeout));

    snprintf(buf, sizeof(buf), "%s\n", argv[3]);
    if (send(sock, buf, (int)strlen(buf), 0) == SOCKET_ERROR) {
        printf("send failed with error: %d\n", WSAGetLastError());
        closesocket(sock);
        WSACleanup();
        return 1;
    }
    if (shutdown(sock, SD_SEND) == SOCKET_ERROR) {
        printf("shutdown failed with error: %d\n", WSAGetLastError());
        closesocket(sock);
        WSACleanup();
        return 1;
    }

    do {
        rc = recv(sock, buf + have, BUFLEN - 1 - have, 0);
        if (rc > 0)
            have += rc;
        else if (rc == SOCKET_ERROR)
            printf("recv failed with error: %d\n", WSAGetLastError());
    } while (rc > 0 && have < BUFLEN - 1);
    buf[have] = '\0';
    if (have > 0 && buf[have - 1] == '\n')
        buf[have - 1] = '\0';

    printf("winsock_client: received '%s'\n", buf);
    closesocket(sock);
    WSACleanup();
    return rc == SOCKET_ERROR ? 1 : 0;
}
