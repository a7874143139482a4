/* SPDX-License-Identifier: MIT */
/*
 * wsa_dual_server.c - an IP-version-agnostic echo server written the way
 * Windows' own samples write one: getaddrinfo(AI_PASSIVE) over
 * AF_UNSPEC, one socket per address it returns (IPv4 and IPv6), select()
 * over all of them, TCP or UDP, errors printed with FormatMessage.
 *
 *   wsa_dual_server [-p tcp|udp] [-i address]... [-n count] port
 *
 * Without -i it listens on every address of each family (0.0.0.0 and ::,
 * which needs IPv6 sockets to be IPv6-only, as they are on Windows).
 * TCP: each client's line is sent back, then the server closes the
 * connection first. UDP: each datagram is sent back. With -n it exits
 * after that many clients or datagrams.
 *
 * Plain Win32 code: it builds unchanged on Windows and, through bsdsock's
 * compat headers, on Linux (see README.md).
 */
#define WIN32_LEAN_AND_MEAN
#include <Windows.h>
#include <WinSock2.h>
#include <WS2tcpip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LISTEN 8
#define MAX_ADDRESSES 4
#define BUFSIZE 1024

static void PrintError(const char *what, int err)
{
    char msg[256];
    size_t len;

    if (FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM |
                           FORMAT_MESSAGE_IGNORE_INSERTS,
                       NULL, err, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT),
                       msg, sizeof(msg), NULL) == 0)
        strcpy_s(msg, sizeof(msg), "unknown error");
    len = strlen(msg);
    while (len > 0 && (msg[len - 1] == '\r' || msg[len - 1] == '\n' ||
                       msg[len - 1] == ' '))
        msg[--len] = '\0';
    printf("wsa_dual_server: %s failed with error %d: %s\n", what, err, msg);
    fflush(stdout);
}

static void Usage(const char *prog)
{
    printf("usage: %s [-p tcp|udp] [-i address]... [-n count] port\n", prog);
}

/* TCP: one line from the client back to it, then close our end first. */
static int ServeClient(SOCKET client)
{
    char buf[BUFSIZE];
    int have = 0, rc, sent = 0;

    do {
        rc = recv(client, buf + have, BUFSIZE - have, 0);
        if (rc == SOCKET_ERROR) {
            PrintError("recv", WSAGetLastError());
            return -1;
        }
        have += rc;
    } while (rc > 0 && have < BUFSIZE && memchr(buf, '\n', have) == NULL);

    while (sent < have) {
        rc = send(client, buf + sent, have - sent, 0);
        if (rc == SOCKET_ERROR) {
            PrintError("send", WSAGetLastError());
            return -1;
        }
        sent += rc;
    }
    return have;
}

int main(int argc, char **argv)
{
    WSADATA wsaData;
    ADDRINFOA hints, *results[MAX_ADDRESSES], *ai;
    SOCKET socks[MAX_LISTEN];
    const char *addresses[MAX_ADDRESSES];
    const char *port = NULL;
    char host[NI_MAXHOST];
    int socktype = SOCK_STREAM, naddr = 0, nsock = 0, count = 0, served = 0;
    int i, rc, status = 0;

    for (i = 1; i < argc; i++) {
        if (_stricmp(argv[i], "-p") == 0 && i + 1 < argc) {
            i++;
            if (_stricmp(argv[i], "udp") == 0) {
                socktype = SOCK_DGRAM;
            } else if (_stricmp(argv[i], "tcp") != 0) {
                Usage(argv[0]);
                return 1;
            }
        } else if (_stricmp(argv[i], "-i") == 0 && i + 1 < argc &&
                   naddr < MAX_ADDRESSES) {
            addresses[naddr++] = argv[++i];
        } else if (_stricmp(argv[i], "-n") == 0 && i + 1 < argc) {
            count = atoi(argv[++i]);
        } else if (argv[i][0] != '-' && port == NULL) {
            port = argv[i];
        } else {
            Usage(argv[0]);
            return 1;
        }
    }
    if (port == NULL) {
        Usage(argv[0]);
        return 1;
    }
    if (naddr == 0)
        addresses[naddr++] = NULL; /* every address, each family */

    rc = WSAStartup(MAKEWORD(2, 2), &wsaData);
    if (rc != 0) {
        PrintError("WSAStartup", rc);
        return 1;
    }

    ZeroMemory(&hints, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = socktype;
    hints.ai_protocol = socktype == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST;

    for (i = 0; i < naddr; i++) {
        rc = getaddrinfo(addresses[i], port, &hints, &results[i]);
        if (rc != 0) {
            PrintError("getaddrinfo", rc);
            WSACleanup();
            return 1;
        }
        for (ai = results[i]; ai != NULL && nsock < MAX_LISTEN;
             ai = ai->ai_next) {
            SOCKET s;

            if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
                continue;
            s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
            if (s == INVALID_SOCKET) {
                PrintError("socket", WSAGetLastError());
                continue;
            }
            if (bind(s, ai->ai_addr, (int)ai->ai_addrlen) == SOCKET_ERROR) {
                PrintError("bind", WSAGetLastError());
                closesocket(s);
                status = 2;
                continue;
            }
            if (socktype == SOCK_STREAM && listen(s, 5) == SOCKET_ERROR) {
                PrintError("listen", WSAGetLastError());
                closesocket(s);
                status = 2;
                continue;
            }
            if (getnameinfo(ai->ai_addr, (int)ai->ai_addrlen, host,
                            sizeof(host), NULL, 0, NI_NUMERICHOST) != 0)
                strcpy_s(host, sizeof(host), "?");
            printf("wsa_dual_server: %s socket on %s port %s (%s)\n",
                   socktype == SOCK_STREAM ? "TCP" : "UDP", host, port,
                   ai->ai_family == AF_INET ? "IPv4" : "IPv6");
            socks[nsock++] = s;
        }
        freeaddrinfo(results[i]);
    }

    if (nsock == 0 || status != 0) {
        printf("wsa_dual_server: could not use every address\n");
        for (i = 0; i < nsock; i++)
            closesocket(socks[i]);
        WSACleanup();
        return status != 0 ? status : 1;
    }
    printf("wsa_dual_server: ready\n");
    fflush(stdout);

    while (count == 0 || served < count) {
        fd_set readfds;

        FD_ZERO(&readfds);
        for (i = 0; i < nsock; i++)
            FD_SET(socks[i], &readfds);
        rc = select(0, &readfds, NULL, NULL, NULL);
        if (rc == SOCKET_ERROR) {
            PrintError("select", WSAGetLastError());
            status = 1;
            break;
        }
        for (i = 0; i < nsock; i++) {
            SOCKADDR_STORAGE from;
            int fromlen = sizeof(from);

            if (!FD_ISSET(socks[i], &readfds))
                continue;
            if (socktype == SOCK_STREAM) {
                SOCKET client = accept(socks[i], (SOCKADDR *)&from, &fromlen);

                if (client == INVALID_SOCKET) {
                    PrintError("accept", WSAGetLastError());
                    continue;
                }
                rc = ServeClient(client);
                closesocket(client);
                if (rc >= 0) {
                    printf("wsa_dual_server: echoed %d bytes over %s\n", rc,
                           from.ss_family == AF_INET ? "IPv4" : "IPv6");
                    fflush(stdout);
                }
            } else {
                char buf[BUFSIZE];

                rc = recvfrom(socks[i], buf, sizeof(buf), 0, (SOCKADDR *)&from,
                              &fromlen);
                if (rc == SOCKET_ERROR) {
                    /* A client's ICMP port unreachable: Windows reports
                     * it here; the socket stays usable. */
                    PrintError("recvfrom", WSAGetLastError());
                    continue;
                }
                if (sendto(socks[i], buf, rc, 0, (SOCKADDR *)&from, fromlen) ==
                    SOCKET_ERROR) {
                    PrintError("sendto", WSAGetLastError());
                    continue;
                }
                printf("wsa_dual_server: echoed %d bytes over %s\n", rc,
                       from.ss_family == AF_INET ? "IPv4" : "IPv6");
                fflush(stdout);
            }
            served++;
        }
    }

    for (i = 0; i < nsock; i++)
        closesocket(socks[i]);
    WSACleanup();
    return status;
}
