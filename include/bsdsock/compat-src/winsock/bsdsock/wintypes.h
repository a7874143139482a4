/* SPDX-License-Identifier: MIT */
/*
 * bsdsock/wintypes.h - the Win32 base types, macros and C-runtime helpers
 * that socket programs use, shared by the drop-in <windows.h> and
 * <winsock2.h> on POSIX systems (see docs/compat.md).
 *
 * Only what socket programs need and what has a faithful meaning on
 * POSIX: no HANDLE, no wide-character (UNICODE) API. The functions are
 * bsdsock's runtime support (bsdsock/compat_winsock.h).
 *
 * The widths follow Windows where a program can see them: BYTE, WORD,
 * DWORD, INT32/UINT32 and the 64-bit types have Windows' sizes. LONG,
 * ULONG and u_long are the C long of the platform (64 bits on LP64
 * Linux), because ioctlsocket() takes a u_long * and Linux's long is what
 * a program's u_long variable is.
 */
#ifndef BSDSOCK_WINTYPES_H
#define BSDSOCK_WINTYPES_H

#if !defined(_DEFAULT_SOURCE)
# define _DEFAULT_SOURCE 1
#endif

/* A FD_SETSIZE the program defined first sizes the Winsock fd_set, as on
 * Windows; <stdlib.h> (through <sys/select.h>, in GNU mode) would set
 * glibc's 1024 for it (see bsdsock/winsock.h). */
#pragma push_macro("FD_SETSIZE")
#undef FD_SETSIZE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#undef FD_SETSIZE
#pragma pop_macro("FD_SETSIZE")

#include <bsdsock/compat_winsock.h>

/* ---- calling conventions: one convention on POSIX ------------------------ */

#ifndef __cdecl
# define __cdecl
#endif
#ifndef __stdcall
# define __stdcall
#endif
#define WINAPI
#define WINAPIV
#define APIENTRY
#define CALLBACK
#define PASCAL
#define FAR
#define NEAR
#ifndef CONST
# define CONST const
#endif
#define VOID void
#define IN
#define OUT
#define OPTIONAL

/* ---- types --------------------------------------------------------------- */

typedef unsigned char BYTE, UCHAR, BOOLEAN;
typedef BYTE *PBYTE, *LPBYTE;
typedef uint16_t WORD;
typedef WORD *PWORD, *LPWORD;
typedef uint32_t DWORD;
typedef DWORD *PDWORD, *LPDWORD;
typedef uint64_t DWORD64, DWORDLONG, ULONGLONG, UINT64;
typedef int64_t LONGLONG, LONG64, INT64;
typedef int32_t INT32;
typedef uint32_t UINT32;
typedef int16_t INT16;
typedef uint16_t UINT16;
typedef int8_t INT8;
typedef uint8_t UINT8;
typedef int BOOL;
typedef BOOL *PBOOL, *LPBOOL;
typedef int INT;
typedef INT *PINT, *LPINT;
typedef unsigned int UINT;
typedef UINT *PUINT;
typedef short SHORT;
typedef unsigned short USHORT;
typedef long LONG;
typedef LONG *PLONG, *LPLONG;
typedef unsigned long ULONG;
typedef ULONG *PULONG;
typedef char CHAR;
typedef void *PVOID, *LPVOID;
typedef const void *LPCVOID;
typedef char *PSTR, *LPSTR, *PCHAR;
typedef const char *PCSTR, *LPCSTR;
typedef uintptr_t ULONG_PTR, DWORD_PTR, UINT_PTR, SIZE_T;
typedef intptr_t LONG_PTR, INT_PTR, SSIZE_T;
typedef ULONG_PTR *PULONG_PTR;
typedef void *HLOCAL;
/* Narrow characters only: TCHAR is char (no UNICODE build). */
typedef char TCHAR, _TCHAR;
typedef TCHAR *PTSTR, *LPTSTR;
typedef const TCHAR *PCTSTR, *LPCTSTR;
#define TEXT(s) s
#define __TEXT(s) s
typedef int errno_t;

#ifndef TRUE
# define TRUE 1
#endif
#ifndef FALSE
# define FALSE 0
#endif
#define MAX_PATH 260
#define INFINITE 0xFFFFFFFFu
#define ERROR_SUCCESS 0L
#define NO_ERROR 0L
#define ERROR_INVALID_HANDLE 6L
#define ERROR_NOT_ENOUGH_MEMORY 8L
#define ERROR_INVALID_PARAMETER 87L
#define ERROR_INSUFFICIENT_BUFFER 122L
#define ERROR_MR_MID_NOT_FOUND 317L

/* ---- macros -------------------------------------------------------------- */

#define MAKEWORD(lo, hi) ((WORD)(((BYTE)(lo)) | ((WORD)((BYTE)(hi))) << 8))
#define MAKELONG(lo, hi) ((LONG)(((WORD)(lo)) | ((DWORD)((WORD)(hi))) << 16))
#define LOBYTE(w) ((BYTE)((w) & 0xff))
#define HIBYTE(w) ((BYTE)(((w) >> 8) & 0xff))
#define LOWORD(l) ((WORD)((l) & 0xffff))
#define HIWORD(l) ((WORD)(((l) >> 16) & 0xffff))
#define ZeroMemory(dst, len) memset((dst), 0, (len))
#define SecureZeroMemory(dst, len) memset((dst), 0, (len))
#define FillMemory(dst, len, fill) memset((dst), (fill), (len))
#define CopyMemory(dst, src, len) memcpy((dst), (src), (len))
#define MoveMemory(dst, src, len) memmove((dst), (src), (len))
#define RtlZeroMemory ZeroMemory
#define RtlCopyMemory CopyMemory
#define UNREFERENCED_PARAMETER(p) ((void)(p))
#define _countof(a) (sizeof(a) / sizeof((a)[0]))
#define ARRAYSIZE(a) _countof(a)
#if !defined(NOMINMAX)
# ifndef min
#  define min(a, b) (((a) < (b)) ? (a) : (b))
# endif
# ifndef max
#  define max(a, b) (((a) > (b)) ? (a) : (b))
# endif
#endif

/* ---- the Win32 calls socket programs make -------------------------------- */

/* GetLastError() is WSAGetLastError() for socket calls, as on Windows,
 * where both read the same thread value. */
#define GetLastError() ((DWORD)bsdsock_compat_wsagetlasterror())
#define SetLastError(e) bsdsock_compat_wsasetlasterror((int)(e))
#define Sleep bsdsock_compat_sleep
#define GetTickCount() ((DWORD)bsdsock_compat_gettickcount64())
#define GetTickCount64() ((ULONGLONG)bsdsock_compat_gettickcount64())
#define LocalFree bsdsock_compat_localfree

/* FormatMessage, narrow only: FORMAT_MESSAGE_FROM_SYSTEM with Winsock's
 * and the common system messages, FORMAT_MESSAGE_ALLOCATE_BUFFER (free
 * with LocalFree), FORMAT_MESSAGE_IGNORE_INSERTS, the width mask. */
#define FORMAT_MESSAGE_ALLOCATE_BUFFER 0x00000100
#define FORMAT_MESSAGE_IGNORE_INSERTS 0x00000200
#define FORMAT_MESSAGE_FROM_STRING 0x00000400
#define FORMAT_MESSAGE_FROM_HMODULE 0x00000800
#define FORMAT_MESSAGE_FROM_SYSTEM 0x00001000
#define FORMAT_MESSAGE_ARGUMENT_ARRAY 0x00002000
#define FORMAT_MESSAGE_MAX_WIDTH_MASK 0x000000FF
#define LANG_NEUTRAL 0x00
#define LANG_ENGLISH 0x09
#define SUBLANG_NEUTRAL 0x00
#define SUBLANG_DEFAULT 0x01
#define SUBLANG_SYS_DEFAULT 0x02
#define SUBLANG_ENGLISH_US 0x01
#define MAKELANGID(p, s) ((((WORD)(s)) << 10) | (WORD)(p))
#define PRIMARYLANGID(l) ((WORD)(l) & 0x3ff)
#define SUBLANGID(l) ((WORD)(l) >> 10)
#define FormatMessageA bsdsock_compat_formatmessage
#define FormatMessage bsdsock_compat_formatmessage

/* ---- the C runtime's Microsoft names -------------------------------------- */

#define _stricmp strcasecmp
#define _strnicmp strncasecmp
#define stricmp strcasecmp
#define strnicmp strncasecmp
#define _strdup strdup
#define _snprintf snprintf
#define _vsnprintf vsnprintf
#define sprintf_s snprintf
#define vsprintf_s vsnprintf
#define _TRUNCATE ((size_t)-1)
#ifndef EINVAL
# define EINVAL 22
#endif
#ifndef ERANGE
# define ERANGE 34
#endif

/* strcpy_s/strncpy_s: the bounds-checked copies, which return an error
 * and leave an empty string where Windows would call its invalid-
 * parameter handler (which ends the program by default). */
static inline errno_t bsdsock_ws_strncpy_s(char *dst, size_t size,
                                           const char *src, size_t count) {
  size_t n;
  if (dst == NULL || size == 0) return EINVAL;
  if (src == NULL) {
    dst[0] = '\0';
    return EINVAL;
  }
  n = strnlen(src, count == _TRUNCATE ? size : count);
  if (n >= size) {
    if (count == _TRUNCATE) {
      memcpy(dst, src, size - 1);
      dst[size - 1] = '\0';
      return 80; /* STRUNCATE */
    }
    dst[0] = '\0';
    return ERANGE;
  }
  memcpy(dst, src, n);
  dst[n] = '\0';
  return 0;
}
#define strncpy_s(dst, size, src, count)                                     \
  bsdsock_ws_strncpy_s((dst), (size), (src), (count))
#define strcpy_s(dst, size, src)                                             \
  bsdsock_ws_strncpy_s((dst), (size), (src), (size_t)-2)
#define STRUNCATE 80

#endif /* BSDSOCK_WINTYPES_H */
