/* SPDX-License-Identifier: MIT */
/*
 * <sys/epoll.h> for Windows, from bsdsock's compat directory: Linux's
 * epoll over bsdsock's poller (bsdsock/poller.h), for unchanged programs
 * written for epoll (see bsdsock/bsd.h and docs/compat.md). The numbers
 * and struct epoll_event are Linux's (not packed: nothing on Windows reads
 * the kernel's layout); the descriptor works with close(). Edge triggering
 * (EPOLLET) fails with ENOTSUP: the Windows poller cannot honour it.
 */
#ifndef BSDSOCK_COMPAT_SYS_EPOLL_H
#define BSDSOCK_COMPAT_SYS_EPOLL_H
#include <bsdsock/bsd.h>

#define EPOLLIN 0x001u
#define EPOLLPRI 0x002u
#define EPOLLOUT 0x004u
#define EPOLLERR 0x008u
#define EPOLLHUP 0x010u
#define EPOLLRDNORM 0x040u
#define EPOLLRDBAND 0x080u
#define EPOLLWRNORM 0x100u
#define EPOLLWRBAND 0x200u
#define EPOLLMSG 0x400u
#define EPOLLRDHUP 0x2000u
#define EPOLLEXCLUSIVE (1u << 28)
#define EPOLLWAKEUP (1u << 29)
#define EPOLLONESHOT (1u << 30)
#define EPOLLET (1u << 31)

#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3
#define EPOLL_CLOEXEC BSDSOCK_COMPAT_EPOLL_CLOEXEC

typedef bsdsock_compat_epoll_data_t epoll_data_t;
#define epoll_data bsdsock_compat_epoll_data
#define epoll_event bsdsock_compat_epoll_event

#define epoll_create bsdsock_compat_epoll_create
#define epoll_create1 bsdsock_compat_epoll_create1
#define epoll_ctl bsdsock_compat_epoll_ctl
#define epoll_wait bsdsock_compat_epoll_wait

#endif /* BSDSOCK_COMPAT_SYS_EPOLL_H */
