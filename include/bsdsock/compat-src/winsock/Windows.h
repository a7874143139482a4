/* SPDX-License-Identifier: MIT */
/*
 * <Windows.h> for POSIX systems, as Windows programs spell it (Windows file
 * names are case-insensitive): the Win32 subset of bsdsock/windows.h.
 * See docs/compat.md.
 */
#include <bsdsock/windows.h>
