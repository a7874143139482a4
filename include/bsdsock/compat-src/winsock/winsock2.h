/* SPDX-License-Identifier: MIT */
/*
 * <winsock2.h> for POSIX systems: the Winsock API over the system's
 * sockets, from bsdsock's compat directory (see bsdsock/winsock.h and
 * docs/compat.md).
 */
#ifndef BSDSOCK_COMPAT_WINSOCK2_H
#define BSDSOCK_COMPAT_WINSOCK2_H
#include <bsdsock/winsock.h>
#endif
