/* SPDX-License-Identifier: MIT */
/*
 * <errno.h> for Windows, from bsdsock's compat directory: the C runtime's
 * own header plus the BSD socket error names, with the values bsdsock's
 * compat calls store in errno (see bsdsock/bsd.h and docs/compat.md).
 * System headers include this one too (mm_malloc.h, pthread.h), so it
 * adds constants only and never pulls in the socket API.
 */
#include_next <errno.h>
#ifndef BSDSOCK_COMPAT_ERRNO_H
#define BSDSOCK_COMPAT_ERRNO_H

/* One value for both names, as on Linux and BSD, so that either test
 * works (quirk Q13); `case EAGAIN: case EWOULDBLOCK:` needs the same guard
 * as there. strerror() still knows the runtime's own 140 and 130. */
#undef EWOULDBLOCK
#define EWOULDBLOCK EAGAIN
#undef EOPNOTSUPP
#define EOPNOTSUPP ENOTSUP

/* BSD errno names the C runtime lacks: WSABASEERR + the BSD number, the
 * WSA number where there is one (as gnulib defines them). */
#ifndef ENOTBLK
# define ENOTBLK 10015
#endif
#ifndef ESOCKTNOSUPPORT
# define ESOCKTNOSUPPORT 10044
#endif
#ifndef EPFNOSUPPORT
# define EPFNOSUPPORT 10046
#endif
#ifndef ESHUTDOWN
# define ESHUTDOWN 10058
#endif
#ifndef ETOOMANYREFS
# define ETOOMANYREFS 10059
#endif
#ifndef EHOSTDOWN
# define EHOSTDOWN 10064
#endif
#ifndef EPROCLIM
# define EPROCLIM 10067
#endif
#ifndef EUSERS
# define EUSERS 10068
#endif
#ifndef EDQUOT
# define EDQUOT 10069
#endif
#ifndef ESTALE
# define ESTALE 10070
#endif
#ifndef EREMOTE
# define EREMOTE 10071
#endif
#ifndef EMULTIHOP
# define EMULTIHOP 10090
#endif

/* The C runtime calls its socket errno values "Unknown error"; these know
 * every value above. The runtime's declarations come first, so that the
 * renamed ones are the only declarations of the new names. */
#include <stdio.h>
#include <string.h>
#include <bsdsock/compat_bsd.h>
#define strerror bsdsock_compat_strerror
#define perror bsdsock_compat_perror

#endif /* BSDSOCK_COMPAT_ERRNO_H */
