/* SPDX-License-Identifier: MIT */
/*
 * wsa_dual_client.c - the client half of wsa_dual_server, written the way
 * Windows' own samples write one: getaddrinfo over AF_UNSPEC (or -4/-6),
 * connect to the first address that answers, TCP or UDP (a connected UDP
 * socket), errors printed with FormatMessage.
 *
 *   wsa_dual_client [-p tcp|udp] [-4|-6] host port message
 *
 * Sends MESSAGE as one line and prints what comes back. A UDP client
 * waits 5 seconds for the answer (SO_RCVTIMEO, in milliseconds); a server
 * that is not there reads as WSAECONNRESET (10054), as Windows reports
 * the ICMP port unreachable.
 *
 * Plain Win32 code: it builds unchanged on Windows and, through bsdsock's
 * compat headers, on Linux (see README.md).
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <winsock2.h>
#include <Ws2tcpip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUFSIZE 1024

static void PrintError(const char *what, int err)
{
    LPSTR msg = NULL;
    size_t len;

    if (FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER |
                           FORMAT_MESSAGE_FROM_SYSTEM |
                           FORMAT_MESSAGE_IGNORE_INSERTS,
                       NULL, err, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT),
                       (LPSTR)&msg, 0, NULL) == 0) {
        printf("wsa_dual_client: %s failed with error %d\n", what, err);
        return;
    }
    len = strlen(msg);
    while (len > 0 && (msg[len - 1] == '\r' || msg[len - 1] == '\n'))
        msg[--len] = '\0';
    printf("wsa_dual_client: %s failed with error %d: %s\n", what, err, msg);
    LocalFree(msg);
}

int main(int argc, char **argv)
{
    WSADATA wsaData;
    ADDRINFOA hints, *result = NULL, *ai;
    SOCKET sock = INVALID_SOCKET;
    DWORD timeout = 5000;
    char buf[BUFSIZE];
    int socktype = SOCK_STREAM, family = AF_UNSPEC, i, rc, have = 0;

    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        if (_stricmp(argv[i], "-p") == 0 && i + 1 < argc) {
            i++;
            socktype = _stricmp(argv[i], "udp") == 0 ? SOCK_DGRAM : SOCK_STREAM;
        } else if (strcmp(argv[i], "-4") == 0) {
            family = AF_INET;
        } else if (strcmp(argv[i], "-6") == 0) {
            family = AF_INET6;
        } else {
            break;
        }
    }
    if (argc - i != 3) {
        printf("usage: %s [-p tcp|udp] [-4|-6] host port message\n", argv[0]);
        return 1;
    }

    rc = WSAStartup(MAKEWORD(2, 2), &wsaData);
    if (rc != 0) {
        PrintError("WSAStartup", rc);
        return 1;
    }

    ZeroMemory(&hints, sizeof(hints));
    hints.ai_family = family;
    hints.ai_socktype = socktype;
    hints.ai_protocol = socktype == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
    rc = getaddrinfo(argv[i], argv[i + 1], &hints, &result);
    if (rc != 0) {
        PrintError("getaddrinfo", rc);
        WSACleanup();
        return 1;
    }

    for (ai = result; ai != NULL; ai = ai->ai_next) {
        sock = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (sock == INVALID_SOCKET) {
            PrintError("socket", WSAGetLastError());
            continue;
        }
        if (connect(sock, ai->ai_addr, (int)ai->ai_addrlen) == SOCKET_ERROR) {
            PrintError("connect", WSAGetLastError());
            closesocket(sock);
            sock = INVALID_SOCKET;
            continue;
        }
        break;
    }
    freeaddrinfo(result);
    if (sock == INVALID_SOCKET) {
        printf("wsa_dual_client: unable to connect\n");
        WSACleanup();
        return 2;
    }

    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout,
               sizeof(timeout));
    sprintf_s(buf, sizeof(buf), "%s\n", argv[i + 2]);
    if (send(sock, buf, (int)strlen(buf), 0) == SOCKET_ERROR) {
        PrintError("send", WSAGetLastError());
        closesocket(sock);
        WSACleanup();
        return 1;
    }
    if (socktype == SOCK_STREAM && shutdown(sock, SD_SEND) == SOCKET_ERROR)
        PrintError("shutdown", WSAGetLastError());

    /* TCP: until the server closes; UDP: one datagram. */
    do {
        rc = recv(sock, buf + have, BUFSIZE - 1 - have, 0);
        if (rc == SOCKET_ERROR) {
            PrintError("recv", WSAGetLastError());
            closesocket(sock);
            WSACleanup();
            return 3;
        }
        have += rc;
    } while (socktype == SOCK_STREAM && rc > 0 && have < BUFSIZE - 1);
    buf[have] = '\0';
    if (have > 0 && buf[have - 1] == '\n')
        buf[have - 1] = '\0';
    printf("wsa_dual_client: received '%s'\n", buf);

    closesocket(sock);
    WSACleanup();
    return 0;
}
