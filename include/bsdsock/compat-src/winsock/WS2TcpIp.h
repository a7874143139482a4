/* SPDX-License-Identifier: MIT */
/*
 * <WS2TcpIp.h> for POSIX systems, as Windows programs spell it (Windows file
 * names are case-insensitive): the Winsock API of bsdsock/winsock.h, getaddrinfo included.
 * See docs/compat.md.
 */
#include <bsdsock/winsock.h>
