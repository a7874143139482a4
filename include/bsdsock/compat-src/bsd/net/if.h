/* SPDX-License-Identifier: MIT */
/*
 * <net/if.h> for Windows, from bsdsock's compat directory: the BSD
 * socket API over Winsock for unchanged BSD programs (see bsdsock/bsd.h
 * and docs/compat.md). Windows has no such header; every drop-in socket
 * header provides the whole API, so a program gets what it expects from
 * whichever it includes.
 */
#ifndef BSDSOCK_COMPAT_NET_IF_H
#define BSDSOCK_COMPAT_NET_IF_H
#include <bsdsock/bsd.h>
#endif
