/* SPDX-License-Identifier: MIT */
/*
 * wsa_v4_client.c - the IPv4-only client of the Winsock textbooks:
 * gethostbyname for the server's address (or inet_addr for a dotted
 * one), a SOCKADDR_IN filled by hand, connect, send, recv until the
 * server closes. Written with <tchar.h>'s generic-text names, in their
 * narrow form.
 *
 *   wsa_v4_client host port message
 *
 * Prints "failed with error N: text" (FormatMessage) when the name does
 * not resolve (11001, WSAHOST_NOT_FOUND) or nothing listens (10061).
 *
 * Plain Win32 code: it builds unchanged on Windows and, through bsdsock's
 * compat headers, on Linux (see README.md).
 */
#define WIN32_LEAN_AND_MEAN
#include <Windows.h>
#include <Winsock2.h>
#include <tchar.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ReportError(LPCTSTR what)
{
    TCHAR msg[256];
    int err = WSAGetLastError();
    size_t len;

    if (FormatMessage(FORMAT_MESSAGE_FROM_SYSTEM |
                          FORMAT_MESSAGE_IGNORE_INSERTS |
                          FORMAT_MESSAGE_MAX_WIDTH_MASK,
                      NULL, err, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT),
                      msg, _countof(msg), NULL) == 0)
        _tcscpy_s(msg, _countof(msg), _T("unknown error"));
    len = _tcslen(msg);
    while (len > 0 && _istspace((unsigned char)msg[len - 1]))
        msg[--len] = _T('\0');
    _tprintf(_T("wsa_v4_client: %s failed with error %d: %s\n"), what, err,
             msg);
}

int _tmain(int argc, _TCHAR *argv[])
{
    WSADATA wsaData;
    SOCKET ConnectSocket;
    SOCKADDR_IN server;
    HOSTENT *host;
    TCHAR buf[512];
    int rc, total = 0;

    if (argc != 4) {
        _tprintf(_T("usage: %s host port message\n"), argv[0]);
        return 1;
    }
    if (WSAStartup(MAKEWORD(2, 2), &wsaData) != 0) {
        _tprintf(_T("WSAStartup failed\n"));
        return 1;
    }

    ZeroMemory(&server, sizeof(server));
    server.sin_family = AF_INET;
    server.sin_port = htons((u_short)_ttoi(argv[2]));
    server.sin_addr.s_addr = inet_addr(argv[1]);
    if (server.sin_addr.s_addr == INADDR_NONE) {
        host = gethostbyname(argv[1]);
        if (host == NULL) {
            ReportError(_T("gethostbyname"));
            WSACleanup();
            return 2;
        }
        CopyMemory(&server.sin_addr, host->h_addr_list[0], host->h_length);
    }

    ConnectSocket = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (ConnectSocket == INVALID_SOCKET) {
        ReportError(_T("socket"));
        WSACleanup();
        return 1;
    }
    if (connect(ConnectSocket, (SOCKADDR *)&server, sizeof(server)) ==
        SOCKET_ERROR) {
        ReportError(_T("connect"));
        closesocket(ConnectSocket);
        WSACleanup();
        return 3;
    }

    _stprintf_s(buf, _countof(buf), _T("%s"), argv[3]);
    if (send(ConnectSocket, buf, (int)_tcslen(buf), 0) == SOCKET_ERROR) {
        ReportError(_T("send"));
        closesocket(ConnectSocket);
        WSACleanup();
        return 1;
    }
    shutdown(ConnectSocket, SD_SEND);

    do {
        rc = recv(ConnectSocket, buf + total, (int)_countof(buf) - 1 - total, 0);
        if (rc > 0)
            total += rc;
        else if (rc == SOCKET_ERROR)
            ReportError(_T("recv"));
    } while (rc > 0 && total < (int)_countof(buf) - 1);
    buf[total] = _T('\0');
    _tprintf(_T("wsa_v4_client: received '%s'\n"), buf);

    closesocket(ConnectSocket);
    WSACleanup();
    return rc == SOCKET_ERROR ? 1 : 0;
}
