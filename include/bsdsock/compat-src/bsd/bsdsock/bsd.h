/* SPDX-License-Identifier: MIT */
/*
 * bsdsock/bsd.h - the BSD socket API on Windows, so that BSD socket
 * programs build and run unchanged.
 *
 * Every drop-in socket header of the compat directory (<sys/socket.h>,
 * <netdb.h>, <poll.h> ...) includes this one, so a file gets the whole
 * API from whichever it includes, and this one includes the drop-in
 * <errno.h>, <fcntl.h>, <signal.h> and <unistd.h>. Those four also work
 * on their own (system headers include them too, so they add their few
 * names and never pull in <winsock2.h>): a socket opened in one file and
 * closed in another that only includes <unistd.h> still goes through
 * bsdsock.
 *
 * The platform's own headers come first (<winsock2.h> for struct
 * sockaddr_in/in6, addrinfo, the AF_/SO_/IPPROTO_ numbers, which have the
 * layouts legacy code expects), then the names whose BSD meaning differs
 * from Winsock's are #defined onto bsdsock's runtime support
 * (bsdsock/compat_bsd.h):
 *  - descriptors are small ints in the C runtime's own numbering (no
 *    collision with files), so close/read/write/fcntl/ioctl take both;
 *  - errno is set after every failing socket call, to the C runtime's E*
 *    values; EWOULDBLOCK equals EAGAIN and EOPNOTSUPP equals ENOTSUP, as
 *    on Linux, and the BSD names the runtime lacks are 10000 + the BSD
 *    number (the WSA number, as gnulib has them); strerror()/perror() know
 *    all of them;
 *  - fd_set is a bitmask by descriptor number (FD_SETSIZE 16384) and
 *    select() honours nfds; poll() takes int descriptors;
 *  - SIGPIPE exists and signal(SIGPIPE, SIG_IGN) is a harmless no-op;
 *  - <net/if.h> and <ifaddrs.h> list the interfaces bsdsock_interfaces()
 *    lists, by the names bsdsock_if_nametoindex() takes.
 * docs/compat.md lists what is not provided (fork, fd passing, dup of a
 * socket, ...). select() and poll() also take pipes, the console and files.
 */
#ifndef BSDSOCK_BSD_H
#define BSDSOCK_BSD_H

/* <winsock2.h> includes <windows.h>; without these it also defines min()
 * and max() and pulls in the RPC headers whose macros (small, interface)
 * break ordinary C. A program that asked for them first keeps them. */
#ifndef WIN32_LEAN_AND_MEAN
# define WIN32_LEAN_AND_MEAN
# define BSDSOCK_BSD_LEAN_
#endif
#ifndef NOMINMAX
# define NOMINMAX
# define BSDSOCK_BSD_NOMINMAX_
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
#include <afunix.h>
#include <io.h>
#include <fcntl.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <sys/types.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef BSDSOCK_BSD_LEAN_
# undef WIN32_LEAN_AND_MEAN
# undef BSDSOCK_BSD_LEAN_
#endif
#ifdef BSDSOCK_BSD_NOMINMAX_
# undef NOMINMAX
# undef BSDSOCK_BSD_NOMINMAX_
#endif

#include <bsdsock/compat_bsd.h>
#include <bsdsock/poll.h>

/* ---- types and constants ------------------------------------------------- */

typedef unsigned short sa_family_t;
typedef uint32_t in_addr_t;
typedef uint16_t in_port_t;
typedef unsigned long nfds_t;

#define SHUT_RD SD_RECEIVE
#define SHUT_WR SD_SEND
#define SHUT_RDWR SD_BOTH

/* No bsdsock call raises SIGPIPE, so the flag has nothing to do. */
#define MSG_NOSIGNAL 0
#define MSG_DONTWAIT BSDSOCK_COMPAT_MSG_DONTWAIT
#define SOCK_NONBLOCK BSDSOCK_SOCK_NONBLOCK
#define SOCK_CLOEXEC BSDSOCK_SOCK_CLOEXEC

#ifndef EAI_SYSTEM
# define EAI_SYSTEM BSDSOCK_COMPAT_EAI_SYSTEM
#endif

/* Portable code tests `#ifdef SO_REUSEPORT` and copes with ENOPROTOOPT,
 * what Linux before 3.9 answered: Windows has no port balancing, and
 * mapping it onto SO_REUSEADDR would promise what a second bind() then
 * refuses. */
#ifndef SO_REUSEPORT
# define SO_REUSEPORT BSDSOCK_COMPAT_SO_REUSEPORT
#endif

/* Keepalive timing (<netinet/tcp.h>): the numbers of Windows 10 1709
 * (ws2ipdef.h; MinGW-w64 lacks them). Where Windows refuses them (older
 * versions, Wine) bsdsock sets the times through SIO_KEEPALIVE_VALS and
 * reads back what it set (quirk Q60). */
#ifndef TCP_KEEPIDLE
# define TCP_KEEPIDLE 3
#endif
#ifndef TCP_KEEPCNT
# define TCP_KEEPCNT 16
#endif
#ifndef TCP_KEEPINTVL
# define TCP_KEEPINTVL 17
#endif
/* Winsock's IPV6_PKTINFO is the switch that asks for the data. */
#ifndef IPV6_RECVPKTINFO
# define IPV6_RECVPKTINFO IPV6_PKTINFO
#endif

/* ---- sockets ------------------------------------------------------------- */

#define socket bsdsock_compat_socket
#define socketpair bsdsock_compat_socketpair
#define accept bsdsock_compat_accept
#define bind bsdsock_compat_bind
#define connect bsdsock_compat_connect
#define listen bsdsock_compat_listen
#define send bsdsock_compat_send
#define recv bsdsock_compat_recv
#define sendto bsdsock_compat_sendto
#define recvfrom bsdsock_compat_recvfrom
#define shutdown bsdsock_compat_shutdown
#define getsockopt bsdsock_compat_getsockopt
#define setsockopt bsdsock_compat_setsockopt
#define getsockname bsdsock_compat_getsockname
#define getpeername bsdsock_compat_getpeername
/* ioctl() with FIONBIO/FIONREAD and an int * argument (quirk Q5). */
#define ioctl bsdsock_compat_ioctl

/* ---- select: a bitmask by descriptor number ------------------------------ */

#undef FD_SETSIZE
#undef FD_SET
#undef FD_CLR
#undef FD_ISSET
#undef FD_ZERO
#define FD_SETSIZE BSDSOCK_COMPAT_FD_SETSIZE
#define fd_set bsdsock_compat_fd_set
#define FD_SET(fd, set) bsdsock_compat_fd_setbit((fd), (set))
#define FD_CLR(fd, set) bsdsock_compat_fd_clrbit((fd), (set))
#define FD_ISSET(fd, set) bsdsock_compat_fd_isset((fd), (set))
#define FD_ZERO(set) bsdsock_compat_fd_zero(set)
#define select bsdsock_compat_select

/* ---- poll: int descriptors and bsdsock's POLL* numbers ------------------- */

#define pollfd bsdsock_pollfd
#undef POLLIN
#undef POLLPRI
#undef POLLOUT
#undef POLLERR
#undef POLLHUP
#undef POLLNVAL
#undef POLLRDNORM
#undef POLLRDBAND
#undef POLLWRNORM
#undef POLLWRBAND
#define POLLIN BSDSOCK_POLLIN
#define POLLPRI BSDSOCK_POLLPRI
#define POLLOUT BSDSOCK_POLLOUT
#define POLLERR BSDSOCK_POLLERR
#define POLLHUP BSDSOCK_POLLHUP
#define POLLNVAL BSDSOCK_POLLNVAL
#define POLLRDNORM BSDSOCK_POLLRDNORM
#define POLLRDBAND BSDSOCK_POLLRDBAND
#define POLLWRNORM BSDSOCK_POLLWRNORM
#define POLLWRBAND BSDSOCK_POLLWRBAND
#define poll bsdsock_compat_poll

/* ---- names and text forms ------------------------------------------------ */

#define getaddrinfo bsdsock_compat_getaddrinfo
#define freeaddrinfo bsdsock_compat_freeaddrinfo
#define getnameinfo bsdsock_compat_getnameinfo
#undef gai_strerror
#define gai_strerror bsdsock_compat_gai_strerror
#define gethostbyname bsdsock_compat_gethostbyname
#define gethostname bsdsock_compat_gethostname
#define inet_pton bsdsock_compat_inet_pton
#define inet_ntop bsdsock_compat_inet_ntop

/* ---- interfaces: <net/if.h>, <ifaddrs.h> ---------------------------------- */

/* Names as bsdsock_interfaces() has them (Windows' NDIS names, such as
 * "loopback_0"), up to 256 characters: Windows' own IF_NAMESIZE is one
 * short of the NUL. */
#undef IF_NAMESIZE
#define IF_NAMESIZE BSDSOCK_IF_NAMESIZE
#ifndef IFNAMSIZ
# define IFNAMSIZ IF_NAMESIZE
#endif
#define if_nametoindex bsdsock_compat_if_nametoindex
#define if_indextoname bsdsock_compat_if_indextoname

/* ifa_flags: Winsock's IFF_UP, IFF_BROADCAST, IFF_LOOPBACK,
 * IFF_POINTTOPOINT and IFF_MULTICAST (<ws2ipdef.h>), with the Linux
 * spelling of point-to-point and IFF_RUNNING added. */
#ifndef IFF_POINTOPOINT
# define IFF_POINTOPOINT IFF_POINTTOPOINT
#endif
#ifndef IFF_RUNNING
# define IFF_RUNNING BSDSOCK_COMPAT_IFF_RUNNING
#endif
#define ifaddrs bsdsock_compat_ifaddrs
#define getifaddrs bsdsock_compat_getifaddrs
#define freeifaddrs bsdsock_compat_freeifaddrs
#define ifa_broadaddr ifa_ifu.ifu_broadaddr
#define ifa_dstaddr ifa_ifu.ifu_dstaddr

#endif /* BSDSOCK_BSD_H */
