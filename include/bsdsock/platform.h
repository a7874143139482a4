/* SPDX-License-Identifier: MIT */
/**
 * @file
 * bsdsock/platform.h - the public platform selector.
 *
 * This is one of the two places in bsdsock's public headers allowed to test
 * _WIN32 (docs/design.md, "Platform confinement"). It turns the compiler's
 * platform macros into BSDSOCK_OS_WINDOWS / BSDSOCK_OS_POSIX (each 0 or 1),
 * picks the export decoration and defines the few types whose width is
 * fixed by the platform ABI rather than by bsdsock.
 */
#ifndef BSDSOCK_PLATFORM_H
#define BSDSOCK_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
# define BSDSOCK_OS_WINDOWS 1
# define BSDSOCK_OS_POSIX 0
#else
# define BSDSOCK_OS_WINDOWS 0  /**< 1 when built for Windows, else 0 */
# define BSDSOCK_OS_POSIX 1    /**< 1 when built for a POSIX system, else 0 */
#endif

/** @def BSDSOCK_EXTERN
 * Export decoration: BUILDING_BSDSOCK_SHARED is set privately while the
 * shared library is compiled, USING_BSDSOCK_SHARED is propagated to its
 * consumers by CMake and pkg-config. Everything else is hidden. */
#if BSDSOCK_OS_WINDOWS
# if defined(BUILDING_BSDSOCK_SHARED)
#  define BSDSOCK_EXTERN __declspec(dllexport)
# elif defined(USING_BSDSOCK_SHARED)
#  define BSDSOCK_EXTERN __declspec(dllimport)
# else
#  define BSDSOCK_EXTERN
# endif
#elif defined(__GNUC__) && __GNUC__ >= 4
# define BSDSOCK_EXTERN __attribute__((visibility("default")))
#else
# define BSDSOCK_EXTERN
#endif

/** Signed result of a data call: a byte count, or a negative bsdsock error.
 * ptrdiff_t is ssize_t's width on every supported ABI (LP64 and LLP64). */
typedef ptrdiff_t bsdsock_ssize_t;

/** The operating system's own socket handle, for bsdsock_native_handle():
 * int on POSIX, SOCKET (an unsigned pointer-wide integer) on Windows. */
#if BSDSOCK_OS_WINDOWS
typedef uintptr_t bsdsock_os_sock_t;
# define BSDSOCK_OS_SOCK_INVALID (~(uintptr_t)0)
#else
typedef int bsdsock_os_sock_t;
# define BSDSOCK_OS_SOCK_INVALID (-1)  /**< no handle (see bsdsock_os_sock_t) */
#endif

#endif /* BSDSOCK_PLATFORM_H */
