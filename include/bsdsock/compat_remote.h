/* SPDX-License-Identifier: MIT */
/*
 * bsdsock/compat_remote.h - runtime support for the drop-in headers of
 * transparent mode on POSIX (include/bsdsock/compat-src/remote/): an
 * unchanged BSD socket program whose sockets live in a bsdsockd when
 * BSDSOCK_REMOTE=host:port is set (docs/wire.md "Transparent mode",
 * docs/compat.md).
 *
 * Programs do not call these by name: the drop-in <sys/socket.h>,
 * <unistd.h>, <netdb.h>, <poll.h>, <sys/select.h> and <fcntl.h> include
 * the system's header and #define the classic names onto them. Each takes
 * and returns what its namesake does, with the system's constants and
 * sockaddrs, and fails with -1 and errno (the resolver calls: an EAI_*
 * code). Without BSDSOCK_REMOTE every call is the system's own. With it,
 * socket() and the resolver run in the server; a remote socket's number
 * is a local placeholder descriptor (the null device), so it never
 * collides with a file; every call on such a number runs in the server,
 * every call on another number locally.
 */
#ifndef BSDSOCK_COMPAT_REMOTE_H
#define BSDSOCK_COMPAT_REMOTE_H

/* The declarations live in the drop-in headers themselves
 * (include/bsdsock/compat-src/remote/, installed as
 * <includedir>/bsdsock/compat-remote), each beside the system header whose
 * names it renames, so that every one is safe wherever a system header
 * includes it. With that directory on the include path, this header
 * gathers them all. Built with BSDSOCK_COMPAT_REMOTE_NO_RENAME defined, a
 * file gets the declarations without the renaming (the runtime support,
 * src/compat/remote/api.c, which calls the system's functions). */
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#endif /* BSDSOCK_COMPAT_REMOTE_H */
