/* SPDX-License-Identifier: MIT */
/*
 * bsdsock/tchar.h - <tchar.h> on POSIX systems: the narrow (_MBCS-less,
 * UNICODE-less) generic-text names, each the char function of the C
 * library. Reached through the drop-in <tchar.h>; see docs/compat.md.
 */
#ifndef BSDSOCK_TCHAR_H
#define BSDSOCK_TCHAR_H

#include <bsdsock/wintypes.h>
#include <ctype.h>
#include <time.h>

#define _T(s) s
#define _TEXT(s) s
#define _tmain main
#define _TEOF EOF

#define _tprintf printf
#define _ftprintf fprintf
#define _stprintf sprintf
#define _stprintf_s sprintf_s
#define _sntprintf _snprintf
#define _vtprintf vprintf
#define _vftprintf vfprintf
#define _vstprintf vsprintf
#define _vsntprintf _vsnprintf
#define _tscanf scanf
#define _stscanf sscanf
#define _fgetts fgets
#define _fputts fputs
#define _puttc putc
#define _puttchar putchar
#define _gettc getc
#define _gettchar getchar
#define _tfopen fopen
#define _tgetenv getenv
#define _tperror perror
#define _tcsftime strftime

#define _tcslen strlen
#define _tcsnlen strnlen
#define _tcscpy strcpy
#define _tcscpy_s strcpy_s
#define _tcsncpy strncpy
#define _tcsncpy_s strncpy_s
#define _tcscat strcat
#define _tcsncat strncat
#define _tcscmp strcmp
#define _tcsncmp strncmp
#define _tcsicmp _stricmp
#define _tcsnicmp _strnicmp
#define _tcschr strchr
#define _tcsrchr strrchr
#define _tcsstr strstr
#define _tcsspn strspn
#define _tcscspn strcspn
#define _tcspbrk strpbrk
#define _tcstok strtok
#define _tcsdup _strdup
#define _tcstol strtol
#define _tcstoul strtoul
#define _tcstod strtod
#define _ttoi atoi
#define _ttol atol
#define _tstoi atoi
#define _tstol atol
#define _istdigit isdigit
#define _istalpha isalpha
#define _istalnum isalnum
#define _istspace isspace
#define _istupper isupper
#define _istlower islower
#define _totupper toupper
#define _totlower tolower

#endif /* BSDSOCK_TCHAR_H */
