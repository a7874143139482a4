/* SPDX-License-Identifier: MIT */
/*
 * bsdsock/dropin.h - transparent mode for BSD programs on POSIX: every
 * drop-in header of this directory includes the system's own header and
 * then this one, which includes the system's socket headers (so that
 * each system declaration is seen before the renaming) and #defines the
 * socket names onto bsdsock/compat_remote.h. docs/compat.md.
 */
#ifndef BSDSOCK_COMPAT_REMOTE_DROPIN_H
#define BSDSOCK_COMPAT_REMOTE_DROPIN_H

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>
#include <bsdsock/compat_remote.h>

#define socket bsdsock_compat_remote_socket
#define bind bsdsock_compat_remote_bind
#define connect bsdsock_compat_remote_connect
#define listen bsdsock_compat_remote_listen
#define accept bsdsock_compat_remote_accept
#define shutdown bsdsock_compat_remote_shutdown
#define close bsdsock_compat_remote_close
#define getsockname bsdsock_compat_remote_getsockname
#define getpeername bsdsock_compat_remote_getpeername
#define read bsdsock_compat_remote_read
#define write bsdsock_compat_remote_write
#define send bsdsock_compat_remote_send
#define recv bsdsock_compat_remote_recv
#define sendto bsdsock_compat_remote_sendto
#define recvfrom bsdsock_compat_remote_recvfrom
#define setsockopt bsdsock_compat_remote_setsockopt
#define getsockopt bsdsock_compat_remote_getsockopt
#define accept4 bsdsock_compat_remote_accept4
#define fcntl bsdsock_compat_remote_fcntl
#define ioctl bsdsock_compat_remote_ioctl
#define dup bsdsock_compat_remote_dup
#define dup2 bsdsock_compat_remote_dup2
#define poll bsdsock_compat_remote_poll
#define select bsdsock_compat_remote_select
#define getaddrinfo bsdsock_compat_remote_getaddrinfo
#define freeaddrinfo bsdsock_compat_remote_freeaddrinfo
#define getnameinfo bsdsock_compat_remote_getnameinfo
#define gethostbyname bsdsock_compat_remote_gethostbyname

#endif /* BSDSOCK_COMPAT_REMOTE_DROPIN_H */
