/* SPDX-License-Identifier: MIT */
/*
 * bsdsock/constants.h - portable constant numbers.
 *
 * Every constant bsdsock takes or returns has one number, the same on every
 * platform, that never changes once released. Where BSD and Winsock agree
 * (they usually do: Winsock was derived from 4.3BSD) that shared number is
 * used; elsewhere the 4.4BSD/FreeBSD number. The backend translates to the
 * native value at the call boundary (bsdsock_const_to_native() shows how).
 * The numbers are written out here so that they can go on the wire.
 */
#ifndef BSDSOCK_CONSTANTS_H
#define BSDSOCK_CONSTANTS_H

/* Address families. */
#define BSDSOCK_AF_UNSPEC   0
#define BSDSOCK_AF_UNIX     1
#define BSDSOCK_AF_INET     2
#define BSDSOCK_AF_INET6    28   /* Linux 10, Windows 23, macOS 30 */

/* Socket types, and flags that may be or-ed into the type. */
#define BSDSOCK_SOCK_STREAM     1
#define BSDSOCK_SOCK_DGRAM      2
#define BSDSOCK_SOCK_RAW        3
#define BSDSOCK_SOCK_SEQPACKET  5
#define BSDSOCK_SOCK_NONBLOCK   0x20000000  /* start in non-blocking mode */
#define BSDSOCK_SOCK_CLOEXEC    0x10000000  /* accepted; always in effect */

/* Protocols (IANA numbers, identical everywhere). */
#define BSDSOCK_IPPROTO_IP      0
#define BSDSOCK_IPPROTO_ICMP    1
#define BSDSOCK_IPPROTO_TCP     6
#define BSDSOCK_IPPROTO_UDP     17
#define BSDSOCK_IPPROTO_IPV6    41
#define BSDSOCK_IPPROTO_ICMPV6  58

/* Option levels: SOL_SOCKET plus the IPPROTO_* numbers above. */
#define BSDSOCK_SOL_SOCKET      0xffff  /* Linux 1 */

/* SOL_SOCKET options. Value types: "int" options take an int (booleans are
 * 0 or 1); the others name their struct. */
#define BSDSOCK_SO_DEBUG        0x0001  /* int */
#define BSDSOCK_SO_ACCEPTCONN   0x0002  /* int, read-only */
/* SO_REUSEADDR on a TCP socket: 1 lets bind() take a port held only by
 * TIME_WAIT connections; a port another live TCP socket has bound stays
 * refused with BSDSOCK_EADDRINUSE whatever either socket set (Windows: it
 * is SO_EXCLUSIVEADDRUSE underneath). */
#define BSDSOCK_SO_REUSEADDR    0x0004  /* int: rebind over TIME_WAIT, never share a live port */
#define BSDSOCK_SO_KEEPALIVE    0x0008  /* int */
#define BSDSOCK_SO_DONTROUTE    0x0010  /* int */
#define BSDSOCK_SO_BROADCAST    0x0020  /* int */
#define BSDSOCK_SO_LINGER       0x0080  /* bsdsock_linger_t, in seconds */
#define BSDSOCK_SO_OOBINLINE    0x0100  /* int */
/* SO_REUSEPORT: several sockets share a port, the kernel spreads
 * connections/datagrams over them (Linux 3.9, the BSDs). Windows has no
 * equivalent: BSDSOCK_ENOPROTOOPT there (quirk Q59). */
#define BSDSOCK_SO_REUSEPORT    0x0200  /* int */
#define BSDSOCK_SO_SNDBUF       0x1001  /* int: the size set, never Linux's doubled figure */
#define BSDSOCK_SO_RCVBUF       0x1002  /* int: likewise */
#define BSDSOCK_SO_SNDLOWAT     0x1003  /* int */
#define BSDSOCK_SO_RCVLOWAT     0x1004  /* int */
#define BSDSOCK_SO_SNDTIMEO     0x1005  /* bsdsock_timeval_t; zero = no timeout; expiry: BSDSOCK_EAGAIN */
#define BSDSOCK_SO_RCVTIMEO     0x1006  /* bsdsock_timeval_t; zero = no timeout; expiry: BSDSOCK_EAGAIN */
#define BSDSOCK_SO_ERROR        0x1007  /* int, read-only: a bsdsock error code (<= 0); reading clears it */
#define BSDSOCK_SO_TYPE         0x1008  /* int, read-only: BSDSOCK_SOCK_* */

/* IPPROTO_TCP options. */
#define BSDSOCK_TCP_NODELAY     0x01    /* int */
/* TCP keepalive timing (quirk Q60); they apply while SO_KEEPALIVE is on.
 * Times in whole seconds 1..32767, the count 1..127; 0 or a value out of
 * range is BSDSOCK_EINVAL everywhere. */
#define BSDSOCK_TCP_KEEPIDLE    0x100   /* int: idle seconds before the first probe */
#define BSDSOCK_TCP_KEEPINTVL   0x200   /* int: seconds between probes */
#define BSDSOCK_TCP_KEEPCNT     0x400   /* int: probes before the connection is dropped */

/* IPPROTO_IP options. */
#define BSDSOCK_IP_TOS              3   /* int */
#define BSDSOCK_IP_TTL              4   /* int */
#define BSDSOCK_IP_MULTICAST_IF     9   /* 4 bytes: interface IPv4 address, network order */
#define BSDSOCK_IP_MULTICAST_TTL    10  /* int */
#define BSDSOCK_IP_MULTICAST_LOOP   11  /* int */
#define BSDSOCK_IP_ADD_MEMBERSHIP   12  /* bsdsock_ip_mreq_t, set only */
#define BSDSOCK_IP_DROP_MEMBERSHIP  13  /* bsdsock_ip_mreq_t, set only */
/* Ancillary data on a received datagram (datagram sockets only; reading
 * the data itself through bsdsock_recvmsg is not implemented yet). */
#define BSDSOCK_IP_PKTINFO          26  /* int: destination address and interface */
#define BSDSOCK_IP_RECVTOS          68  /* int: the TOS byte */

/* IPPROTO_IPV6 options. */
#define BSDSOCK_IPV6_UNICAST_HOPS   4   /* int */
#define BSDSOCK_IPV6_MULTICAST_IF   9   /* int: interface index */
#define BSDSOCK_IPV6_MULTICAST_HOPS 10  /* int */
#define BSDSOCK_IPV6_MULTICAST_LOOP 11  /* int */
#define BSDSOCK_IPV6_JOIN_GROUP     12  /* bsdsock_ipv6_mreq_t, set only */
#define BSDSOCK_IPV6_LEAVE_GROUP    13  /* bsdsock_ipv6_mreq_t, set only */
#define BSDSOCK_IPV6_V6ONLY         27  /* int; bsdsock's default is 1 on every platform */
#define BSDSOCK_IPV6_RECVPKTINFO    36  /* int, datagram sockets: destination and interface as ancillary data */
#define BSDSOCK_IPV6_RECVTCLASS     57  /* int, datagram sockets: the traffic class as ancillary data */
#define BSDSOCK_IPV6_TCLASS         61  /* int: traffic class of sent packets, 0..255 */

/* Message flags for send/recv. */
#define BSDSOCK_MSG_OOB         0x0001
#define BSDSOCK_MSG_PEEK        0x0002
#define BSDSOCK_MSG_DONTROUTE   0x0004
#define BSDSOCK_MSG_TRUNC       0x0010  /* output (recvmsg): datagram was truncated */
#define BSDSOCK_MSG_CTRUNC      0x0020  /* output (recvmsg): control data was truncated */
#define BSDSOCK_MSG_WAITALL     0x0040
#define BSDSOCK_MSG_DONTWAIT    0x0080  /* this call only: do not block */
#define BSDSOCK_MSG_NOSIGNAL    0x20000 /* accepted; bsdsock never raises SIGPIPE anyway */

/* shutdown() modes (BSD SHUT_* and Winsock SD_* agree). */
#define BSDSOCK_SHUT_RD   0
#define BSDSOCK_SHUT_WR   1
#define BSDSOCK_SHUT_RDWR 2

/* poll() bits (BSD numbering). */
#define BSDSOCK_POLLIN      0x0001
#define BSDSOCK_POLLPRI     0x0002
#define BSDSOCK_POLLOUT     0x0004
#define BSDSOCK_POLLERR     0x0008  /* output only */
#define BSDSOCK_POLLHUP     0x0010  /* output only */
#define BSDSOCK_POLLNVAL    0x0020  /* output only */
#define BSDSOCK_POLLRDNORM  0x0040
#define BSDSOCK_POLLRDBAND  0x0080
#define BSDSOCK_POLLWRNORM  BSDSOCK_POLLOUT
#define BSDSOCK_POLLWRBAND  0x0100

/* getaddrinfo() flags. */
#define BSDSOCK_AI_PASSIVE      0x0001
#define BSDSOCK_AI_CANONNAME    0x0002
#define BSDSOCK_AI_NUMERICHOST  0x0004
#define BSDSOCK_AI_NUMERICSERV  0x0008
#define BSDSOCK_AI_ALL          0x0100
#define BSDSOCK_AI_ADDRCONFIG   0x0400
#define BSDSOCK_AI_V4MAPPED     0x0800

/* getnameinfo() flags and buffer sizes. */
#define BSDSOCK_NI_NOFQDN       0x0001
#define BSDSOCK_NI_NUMERICHOST  0x0002
#define BSDSOCK_NI_NAMEREQD     0x0004
#define BSDSOCK_NI_NUMERICSERV  0x0008
#define BSDSOCK_NI_DGRAM        0x0010
#define BSDSOCK_NI_MAXHOST      1025
#define BSDSOCK_NI_MAXSERV      32

/* Text buffer sizes for bsdsock_inet_ntop() and bsdsock_addr_format(). */
#define BSDSOCK_INET_ADDRSTRLEN   16
#define BSDSOCK_INET6_ADDRSTRLEN  46
#define BSDSOCK_ADDRSTRLEN        128  /* "[v6%scope]:port" or an AF_UNIX path */

/* Buffer sizes that hold any interface name (Linux's are at most 15
 * bytes, Windows' NDIS names up to 256) and any host name, with the NUL. */
#define BSDSOCK_IF_NAMESIZE       257
#define BSDSOCK_HOST_NAME_MAX     257

/* bsdsock_interface_t flags (the BSD numbers). */
#define BSDSOCK_IFF_UP            0x1
#define BSDSOCK_IFF_LOOPBACK      0x8
#define BSDSOCK_IFF_POINTOPOINT   0x10
#define BSDSOCK_IFF_RUNNING       0x40
#define BSDSOCK_IFF_MULTICAST     0x8000

#define BSDSOCK_SOMAXCONN   4096       /* listen(): clamped to the OS maximum */

/* Kinds of constant, for bsdsock_const_to_native()/_from_native(). */
enum bsdsock_const_kind {
  BSDSOCK_CONST_AF = 1,      /* address family */
  BSDSOCK_CONST_SOCKTYPE,    /* socket type (without the flag bits) */
  BSDSOCK_CONST_PROTO,       /* protocol */
  BSDSOCK_CONST_LEVEL,       /* option level */
  BSDSOCK_CONST_SOCKOPT,     /* option name; needs the level (see below) */
  BSDSOCK_CONST_MSG,         /* MSG_* bit mask */
  BSDSOCK_CONST_SHUT,        /* shutdown mode */
  BSDSOCK_CONST_POLL,        /* poll bit mask */
  BSDSOCK_CONST_AI,          /* getaddrinfo flag mask */
  BSDSOCK_CONST_NI           /* getnameinfo flag mask */
};

#endif /* BSDSOCK_CONSTANTS_H */
