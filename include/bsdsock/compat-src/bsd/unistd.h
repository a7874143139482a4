/* SPDX-License-Identifier: MIT */
/*
 * <unistd.h> for Windows, from bsdsock's compat directory: the C
 * runtime's own header plus close/read/write/dup/dup2 that work on socket
 * descriptors and C runtime files alike, and pipe() (see bsdsock/bsd.h and
 * docs/compat.md).
 */
#include_next <unistd.h>
#ifndef BSDSOCK_COMPAT_UNISTD_H
#define BSDSOCK_COMPAT_UNISTD_H
#include <io.h>  /* the runtime's close/read/write, declared before renaming */
#include <bsdsock/compat_bsd.h>

#define close bsdsock_compat_close
#define read bsdsock_compat_read
#define write bsdsock_compat_write
#define dup bsdsock_compat_dup
#define dup2 bsdsock_compat_dup2
/* The C runtime has _pipe() only; pipe() gives descriptors that select()
 * and poll() of the drop-in headers wait on. */
#define pipe bsdsock_compat_pipe

#endif /* BSDSOCK_COMPAT_UNISTD_H */
