/* SPDX-License-Identifier: MIT */
/*
 * <Winsock.h> for POSIX systems, as Windows programs spell it (Windows file
 * names are case-insensitive): the Winsock API of bsdsock/winsock.h.
 * See docs/compat.md.
 */
#include <bsdsock/winsock.h>
