/* SPDX-License-Identifier: MIT */
/*
 * src/compat/bsd/nonsock.h - descriptors that are not sockets, for the
 * drop-in select() and poll() (src/compat/bsd/fdset.c).
 *
 * BSD programs wait on a pipe or the terminal and a socket in one call
 * (a chat client reading stdin, a server's self-pipe). bsdsock's poll
 * waits on sockets only, which on POSIX is no limit: the kernel's poll
 * takes every descriptor, and bsdsock's passes them on. Winsock's select
 * and WSAPoll take nothing but sockets, so on Windows the drop-in layer
 * asks pipes, the console and files itself, without waiting, and waits in
 * short slices while one of them is not ready (fdset.c). CMake picks the
 * implementation by file: nonsock_win32.c or nonsock_posix.c.
 */
#ifndef BSDSOCK_COMPAT_BSD_NONSOCK_H
#define BSDSOCK_COMPAT_BSD_NONSOCK_H

/* 1 if fd is a descriptor that the drop-in layer must peek at (on Windows
 * an open C runtime descriptor of a pipe, a character device such as the
 * console, or a disk file), else 0: a socket, nothing open (bsdsock then
 * reports POLLNVAL / EBADF), or on POSIX any descriptor at all. */
int bsdsock__compat_peekable(int fd);

/* What a peekable descriptor is ready for now, without waiting: the
 * requested POLLIN/POLLRDNORM/POLLOUT/POLLWRNORM bits that hold, plus
 * POLLHUP (a pipe whose writer closed) or POLLERR (the question itself
 * failed), as bsdsock_pollfd_t revents. */
short bsdsock__compat_peek(int fd, short events);

#endif /* BSDSOCK_COMPAT_BSD_NONSOCK_H */
