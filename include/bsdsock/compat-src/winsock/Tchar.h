/* SPDX-License-Identifier: MIT */
/*
 * <Tchar.h> for POSIX systems, as Windows programs spell it (Windows file
 * names are case-insensitive): the narrow generic-text names of bsdsock/tchar.h.
 * See docs/compat.md.
 */
#include <bsdsock/tchar.h>
