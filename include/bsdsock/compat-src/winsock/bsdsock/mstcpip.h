/* SPDX-License-Identifier: MIT */
/*
 * bsdsock/mstcpip.h - the portable part of <mstcpip.h> on POSIX systems:
 * the address predicates programs use on IN_ADDR and SOCKADDR (the
 * IN6ADDR_* ones are <ws2tcpip.h>'s, in bsdsock/winsock.h). Reached through the drop-in <mstcpip.h>.
 *
 * Not here (docs/compat.md): the WSAIoctl codes (SIO_KEEPALIVE_VALS,
 * SIO_RCVALL, SIO_LOOPBACK_FAST_PATH ...), since WSAIoctl is not either,
 * and the Rtl*AddressToString helpers (use inet_ntop).
 */
#ifndef BSDSOCK_MSTCPIP_H
#define BSDSOCK_MSTCPIP_H

#include <bsdsock/winsock.h>

static inline BOOLEAN bsdsock_ws_in4_is_any(const IN_ADDR *a) {
  return a->s_addr == htonl(INADDR_ANY);
}
static inline BOOLEAN bsdsock_ws_in4_is_loopback(const IN_ADDR *a) {
  return (ntohl(a->s_addr) >> 24) == 127;
}

#define IN4_IS_ADDR_UNSPECIFIED(a) bsdsock_ws_in4_is_any(a)
#define IN4_IS_ADDR_LOOPBACK(a) bsdsock_ws_in4_is_loopback(a)
#define IN4ADDR_ISANY(sin) bsdsock_ws_in4_is_any(&(sin)->sin_addr)
#define IN4ADDR_ISLOOPBACK(sin) bsdsock_ws_in4_is_loopback(&(sin)->sin_addr)
#define INETADDR_ISANY(sa)                                                   \
  ((sa)->sa_family == AF_INET                                                \
       ? IN4ADDR_ISANY((const SOCKADDR_IN *)(const void *)(sa))              \
       : IN6ADDR_ISANY((const SOCKADDR_IN6 *)(const void *)(sa)))
#define INETADDR_ISLOOPBACK(sa)                                              \
  ((sa)->sa_family == AF_INET                                                \
       ? IN4ADDR_ISLOOPBACK((const SOCKADDR_IN *)(const void *)(sa))         \
       : IN6ADDR_ISLOOPBACK((const SOCKADDR_IN6 *)(const void *)(sa)))
#define INETADDR_PORT(sa) SS_PORT(sa)

#endif /* BSDSOCK_MSTCPIP_H */
