/* SPDX-License-Identifier: MIT */
/*
 * <Mswsock.h> for POSIX systems, as Windows programs spell it (Windows file
 * names are case-insensitive): the Winsock API, bsdsock/mswsock.h.
 * See docs/compat.md.
 */
#include <bsdsock/mswsock.h>
