/* SPDX-License-Identifier: MIT */
/*
 * wsa_v4_server.c - the IPv4-only echo server of the Winsock textbooks:
 * a SOCKADDR_IN filled by hand (gethostbyname for a name, INADDR_ANY
 * without one), bind, listen, accept one client at a time, recv until
 * the client is done, send it all back with a prefix, closesocket.
 *
 *   wsa_v4_server port [host [clients]]
 *
 * With CLIENTS > 0 it exits after serving that many clients.
 *
 * Plain Win32 code: it builds unchanged on Windows and, through bsdsock's
 * compat headers, on Linux (see README.md).
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <WINSOCK2.H>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_BUFLEN 512

int main(int argc, char *argv[])
{
    WSADATA wsaData;
    SOCKET ListenSocket, ClientSocket;
    SOCKADDR_IN service, client;
    HOSTENT *host;
    char recvbuf[DEFAULT_BUFLEN], sendbuf[DEFAULT_BUFLEN + 16];
    int iResult, clientLen, served = 0, clients, total;

    if (argc < 2 || argc > 4) {
        printf("usage: %s port [host [clients]]\n", argv[0]);
        return 1;
    }
    clients = argc > 3 ? atoi(argv[3]) : 0;

    iResult = WSAStartup(MAKEWORD(2, 2), &wsaData);
    if (iResult != NO_ERROR) {
        printf("WSAStartup failed: %d\n", iResult);
        return 1;
    }

    ZeroMemory(&service, sizeof(service));
    service.sin_family = AF_INET;
    service.sin_port = htons((u_short)atoi(argv[1]));
    if (argc > 2) {
        host = gethostbyname(argv[2]);
        if (host == NULL) {
            printf("gethostbyname failed: %d\n", WSAGetLastError());
            WSACleanup();
            return 1;
        }
        CopyMemory(&service.sin_addr, host->h_addr_list[0], host->h_length);
    } else {
        service.sin_addr.s_addr = htonl(INADDR_ANY);
    }

    ListenSocket = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (ListenSocket == INVALID_SOCKET) {
        printf("socket failed: %d\n", WSAGetLastError());
        WSACleanup();
        return 1;
    }
    if (bind(ListenSocket, (SOCKADDR *)&service, sizeof(service)) ==
        SOCKET_ERROR) {
        printf("bind failed: %d\n", WSAGetLastError());
        closesocket(ListenSocket);
        WSACleanup();
        return 2;
    }
    if (listen(ListenSocket, SOMAXCONN) == SOCKET_ERROR) {
        printf("listen failed: %d\n", WSAGetLastError());
        closesocket(ListenSocket);
        WSACleanup();
        return 1;
    }
    printf("wsa_v4_server: listening on %s port %d\n",
           inet_ntoa(service.sin_addr), ntohs(service.sin_port));
    fflush(stdout);

    while (clients == 0 || served < clients) {
        clientLen = sizeof(client);
        ClientSocket = accept(ListenSocket, (SOCKADDR *)&client, &clientLen);
        if (ClientSocket == INVALID_SOCKET) {
            printf("accept failed: %d\n", WSAGetLastError());
            break;
        }
        printf("wsa_v4_server: client from %s\n", inet_ntoa(client.sin_addr));

        total = 0;
        do {
            iResult = recv(ClientSocket, recvbuf + total,
                           DEFAULT_BUFLEN - 1 - total, 0);
            if (iResult > 0)
                total += iResult;
            else if (iResult == SOCKET_ERROR)
                printf("recv failed: %d\n", WSAGetLastError());
        } while (iResult > 0 && total < DEFAULT_BUFLEN - 1);
        recvbuf[total] = '\0';

        _snprintf(sendbuf, sizeof(sendbuf), "echo: %s", recvbuf);
        sendbuf[sizeof(sendbuf) - 1] = '\0';
        if (send(ClientSocket, sendbuf, (int)strlen(sendbuf), 0) ==
            SOCKET_ERROR)
            printf("send failed: %d\n", WSAGetLastError());

        shutdown(ClientSocket, SD_SEND);
        closesocket(ClientSocket);
        served++;
        fflush(stdout);
    }

    closesocket(ListenSocket);
    WSACleanup();
    return 0;
}
