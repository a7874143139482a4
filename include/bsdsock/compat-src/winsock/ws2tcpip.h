/* SPDX-License-Identifier: MIT */
/*
 * <ws2tcpip.h> for POSIX systems: getaddrinfo, inet_pton, socklen_t and
 * the IPv6 structures, which the system's headers already declare; the
 * Winsock spellings come from bsdsock/winsock.h (see docs/compat.md).
 */
#ifndef BSDSOCK_COMPAT_WS2TCPIP_H
#define BSDSOCK_COMPAT_WS2TCPIP_H
#include <bsdsock/winsock.h>
#endif
