/* SPDX-License-Identifier: MIT */
/*
 * bsdsock/mswsock.h - <mswsock.h> on POSIX systems. Almost everything in
 * it is Microsoft's extension functions (AcceptEx, ConnectEx,
 * TransmitFile, WSARecvMsg, reached through WSAIoctl) and their options,
 * which have no POSIX meaning and stay undefined so that a program using
 * them does not build by accident (docs/compat.md). What is left is the
 * Winsock API itself and the flag names that do carry over.
 */
#ifndef BSDSOCK_MSWSOCK_H
#define BSDSOCK_MSWSOCK_H

#include <bsdsock/winsock.h>

/* recv()'s MSG_PARTIAL is a message-mode flag of Winsock's own: never
 * set on POSIX, where a datagram is read in one piece. */
#ifndef MSG_PARTIAL
# define MSG_PARTIAL 0x8000
#endif

#endif /* BSDSOCK_MSWSOCK_H */
