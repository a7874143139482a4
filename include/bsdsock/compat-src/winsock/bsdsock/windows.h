/* SPDX-License-Identifier: MIT */
/*
 * bsdsock/windows.h - the part of <windows.h> that socket programs use,
 * on POSIX systems: the base types, the memory and string macros,
 * FormatMessage with Winsock's messages, GetLastError, Sleep,
 * GetTickCount (bsdsock/wintypes.h). Reached through the drop-in
 * <windows.h> (any spelling); docs/compat.md lists what is not there.
 *
 * As the real one does, it brings in the Winsock API too unless
 * WIN32_LEAN_AND_MEAN is defined: <winsock2.h> is then included after it
 * as Winsock programs do.
 */
#ifndef BSDSOCK_WINDOWS_H
#define BSDSOCK_WINDOWS_H

#include <bsdsock/wintypes.h>
#include <ctype.h>
#include <limits.h>

#if !defined(WIN32_LEAN_AND_MEAN)
# include <bsdsock/winsock.h>
#endif

#endif /* BSDSOCK_WINDOWS_H */
