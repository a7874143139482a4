/* SPDX-License-Identifier: MIT */
/*
 * <mstcpip.h> for POSIX systems, as Windows programs spell it (Windows file
 * names are case-insensitive): the portable part, bsdsock/mstcpip.h.
 * See docs/compat.md.
 */
#include <bsdsock/mstcpip.h>
