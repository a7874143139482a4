/* SPDX-License-Identifier: MIT */
/*
 * src/setup.h - the one internal setup header.
 *
 * Includes the platform's socket headers and turns the platform into
 * feature flags (BSDSOCK_HAVE_*), so that no other file under src/ needs to
 * test the OS. Every library source includes it first.
 */
#ifndef BSDSOCK_SETUP_H
#define BSDSOCK_SETUP_H

/* Before any system header: glibc exposes accept4, sendmmsg, recvmmsg,
 * SOCK_CLOEXEC and the netdb.h flags only with it (ignored elsewhere). */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE 1
#endif

#include "bsdsock/platform.h"

#if BSDSOCK_OS_WINDOWS
# ifndef WIN32_LEAN_AND_MEAN
#  define WIN32_LEAN_AND_MEAN
# endif
# ifndef _WIN32_WINNT
#  define _WIN32_WINNT 0x0A00   /* Windows 10: AF_UNIX, InitOnce, SRW locks */
# endif
# include <winsock2.h>
# include <ws2tcpip.h>
# include <mswsock.h>
# include <afunix.h>
# include <iphlpapi.h>   /* if_nametoindex */
# include <windows.h>
# include <io.h>
# include <fcntl.h>
# define BSDSOCK__BACKEND "win32"
typedef SOCKET bsdsock__sock_t;
typedef int bsdsock__socklen_t;
# define BSDSOCK__INVALID_SOCK INVALID_SOCKET
# define BSDSOCK_HAVE_EXCLUSIVEADDRUSE 1
/* Keepalive timing options of Windows 10 1709 (ws2ipdef.h; MinGW-w64
 * does not define them): TCP_KEEPIDLE is TCP_KEEPALIVE there. Older
 * Windows and Wine may refuse them (src/win32/sockopt.c falls back on
 * SIO_KEEPALIVE_VALS). */
# ifndef TCP_KEEPIDLE
#  define TCP_KEEPIDLE 3
# endif
# ifndef TCP_KEEPCNT
#  define TCP_KEEPCNT 16
# endif
# ifndef TCP_KEEPINTVL
#  define TCP_KEEPINTVL 17
# endif
/* Winsock's IPV6_PKTINFO is the switch that asks for the data. */
# ifndef IPV6_RECVPKTINFO
#  define IPV6_RECVPKTINFO IPV6_PKTINFO
# endif
# define BSDSOCK_HAVE_IF_NAMETOINDEX 1
# define SHUT_RD   SD_RECEIVE
# define SHUT_WR   SD_SEND
# define SHUT_RDWR SD_BOTH
#else
# include <sys/types.h>
# include <sys/socket.h>
# include <sys/time.h>
# include <sys/un.h>
# include <sys/ioctl.h>
# include <netinet/in.h>
# include <netinet/tcp.h>
# include <arpa/inet.h>
# include <netdb.h>
# include <net/if.h>
# include <ifaddrs.h>
# include <fcntl.h>
# include <poll.h>
# include <signal.h>
# include <unistd.h>
# include <errno.h>
# define BSDSOCK__BACKEND "posix"
typedef int bsdsock__sock_t;
typedef socklen_t bsdsock__socklen_t;
# define BSDSOCK__INVALID_SOCK (-1)
# define BSDSOCK_HAVE_IF_NAMETOINDEX 1   /* <net/if.h> */
# ifdef MSG_DONTWAIT
#  define BSDSOCK_HAVE_MSG_DONTWAIT 1
# endif
# ifdef SO_NOSIGPIPE
#  define BSDSOCK_HAVE_SO_NOSIGPIPE 1  /* BSD, macOS: per socket */
# endif
# if defined(__linux__)
#  include <netinet/udp.h>
#  include <sys/epoll.h>
#  define BSDSOCK_HAVE_EPOLL 1          /* the poller (src/posix/poller.c) */
#  include <netpacket/packet.h>
#  define BSDSOCK_HAVE_AF_PACKET 1     /* getifaddrs lists link addresses */
#  define BSDSOCK_HAVE_DOUBLED_BUFSIZE 1 /* SO_SNDBUF/SO_RCVBUF read back x2 */
# elif defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || \
     defined(__OpenBSD__) || defined(__DragonFly__)
#  include <sys/event.h>
#  include <time.h>
#  define BSDSOCK_HAVE_KQUEUE 1  /* the poller (src/posix/poller.c), untested */
# endif
/* Interfaces some POSIX systems lack. BSDSOCK_PORTABLE_POSIX (the
 * linux-portable preset) turns them all off, so that the code paths of
 * systems without them (macOS lacks them all) are built and tested on
 * Linux too. */
# if !defined(BSDSOCK_PORTABLE_POSIX)
#  ifdef MSG_NOSIGNAL
#   define BSDSOCK_HAVE_MSG_NOSIGNAL 1  /* Linux, the BSDs: per call */
#  endif
#  if defined(SOCK_CLOEXEC) && defined(SOCK_NONBLOCK)
    /* socket() takes the flags, and accept4() exists (Linux 2.6.28,
     * FreeBSD 10, NetBSD 8, OpenBSD 5.7 added both together). */
#   define BSDSOCK_HAVE_SOCK_FLAGS 1
#   define BSDSOCK_HAVE_ACCEPT4 1
#  endif
#  if defined(__linux__)
    /* Interface watches (posix/ifwatch.c): the kernel's own headers, which
     * a libc may come without (musl; cmake/toolchain-musl.cmake adds
     * them). */
#   if defined(__has_include)
#    if __has_include(<linux/rtnetlink.h>)
#     include <linux/netlink.h>
#     include <linux/rtnetlink.h>
#     define BSDSOCK_HAVE_NETLINK 1
#    endif
#   endif
#   define BSDSOCK_HAVE_MMSG 1          /* sendmmsg/recvmmsg */
#   ifdef UDP_SEGMENT
#    define BSDSOCK_HAVE_UDP_GSO 1      /* UDP_SEGMENT cmsg (Linux 4.18+) */
#   endif
#  endif
# endif
/* Neither per-call nor per-socket SIGPIPE suppression: sends block the
 * signal in the calling thread instead (src/posix/socket.c). */
# if !defined(BSDSOCK_HAVE_MSG_NOSIGNAL) && !defined(BSDSOCK_HAVE_SO_NOSIGPIPE)
#  define BSDSOCK_HAVE_SIGPIPE_GUARD 1
# endif
#endif

/* Native constants that a platform lacks are 0 here, so that the shared
 * constant tables can name them; a 0 native value means "not available". */
#ifndef MSG_NOSIGNAL
# define MSG_NOSIGNAL 0
#endif
#ifndef MSG_DONTWAIT
# define MSG_DONTWAIT 0
#endif
#ifndef MSG_TRUNC
# define MSG_TRUNC 0
#endif
#ifndef MSG_CTRUNC
# define MSG_CTRUNC 0
#endif
#ifndef MSG_WAITALL
# define MSG_WAITALL 0
#endif
#ifndef AI_V4MAPPED
# define AI_V4MAPPED 0
#endif
#ifndef AI_ALL
# define AI_ALL 0
#endif
#ifndef AI_ADDRCONFIG
# define AI_ADDRCONFIG 0
#endif
/* Options a platform lacks: 0, which the option table reads as "no such
 * option here" (BSDSOCK_ENOPROTOOPT). */
#ifndef SO_REUSEPORT
# define SO_REUSEPORT 0
#endif

#ifndef AI_NUMERICSERV
# define AI_NUMERICSERV 0
#endif

#endif /* BSDSOCK_SETUP_H */
