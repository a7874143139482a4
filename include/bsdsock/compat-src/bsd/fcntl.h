/* SPDX-License-Identifier: MIT */
/*
 * <fcntl.h> for Windows, from bsdsock's compat directory: the C runtime's
 * own header plus fcntl() with F_GETFL/F_SETFL (O_NONBLOCK) and
 * F_GETFD/F_SETFD (FD_CLOEXEC) working on sockets and files alike (see
 * bsdsock/bsd.h and docs/compat.md). Light on purpose: system headers
 * (sys/fcntl.h) include it too.
 */
#include_next <fcntl.h>
#ifndef BSDSOCK_COMPAT_FCNTL_H
#define BSDSOCK_COMPAT_FCNTL_H
#include <bsdsock/compat_bsd.h>

#define F_GETFD BSDSOCK_COMPAT_F_GETFD
#define F_SETFD BSDSOCK_COMPAT_F_SETFD
#define F_GETFL BSDSOCK_COMPAT_F_GETFL
#define F_SETFL BSDSOCK_COMPAT_F_SETFL
#define FD_CLOEXEC BSDSOCK_COMPAT_FD_CLOEXEC
#define O_NONBLOCK BSDSOCK_COMPAT_O_NONBLOCK
#define O_NDELAY O_NONBLOCK
#ifndef O_CLOEXEC
# define O_CLOEXEC _O_NOINHERIT  /* open() a non-inheritable descriptor */
#endif
#define fcntl bsdsock_compat_fcntl

#endif /* BSDSOCK_COMPAT_FCNTL_H */
