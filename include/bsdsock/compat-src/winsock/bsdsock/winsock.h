/* SPDX-License-Identifier: MIT */
/*
 * bsdsock/winsock.h - the Winsock API on POSIX systems, so that Winsock
 * programs build and run unchanged on Linux.
 *
 * Reached through the drop-in <winsock2.h> and <ws2tcpip.h> of the compat
 * directory (-I<prefix>/include/bsdsock/compat); link with bsdsock. The
 * system's socket headers are included first, then the names whose
 * Winsock meaning differs are #defined onto bsdsock's runtime support
 * (bsdsock/compat_winsock.h): SOCKET is the POSIX descriptor widened to an
 * unsigned pointer-wide integer (quirk Q39), so INVALID_SOCKET is ~0 and a
 * failed socket()'s -1 compares equal to it, as on Windows.
 *
 * What Winsock code gets: the WSAE* numbers from WSAGetLastError() (errno
 * translated; EINPROGRESS of a non-blocking connect reads as
 * WSAEWOULDBLOCK, quirk Q18), Winsock's counted fd_set with FD_SETSIZE 64
 * unless the program (or a system header included earlier) set it, select()
 * that ignores nfds (Q27), WSAPoll() with Winsock's POLL* numbers and
 * POLLHUP on a peer's shutdown (Q37), no SIGPIPE on send, DWORD
 * millisecond SO_RCVTIMEO/SO_SNDTIMEO, getaddrinfo() returning Winsock's
 * EAI_* numbers. Where Windows rejects a call that a working program never
 * makes (WSAPoll with no entries, unknown poll bits), the emulation is
 * lenient rather than faithful. AF_INET6 sockets start V6ONLY, a TCP
 * socket may bind a port in TIME_WAIT, the gethostbyname() family
 * reports its failure through WSAGetLastError(), and a connected UDP
 * socket's ICMP port-unreachable reads as WSAECONNRESET, as on Windows.
 * The Win32 subset (types, FormatMessage, GetLastError ...) is
 * bsdsock/wintypes.h, also behind the drop-in <windows.h>.
 * docs/compat.md lists what is not provided (overlapped I/O,
 * WSAEventSelect, HANDLE and the rest of Win32, ...).
 */
#ifndef BSDSOCK_WINSOCK_H
#define BSDSOCK_WINSOCK_H

/* Winsock programs use u_long, struct addrinfo and friends without asking
 * for them; glibc hides them under -std=c11 unless a feature macro is set
 * before its first header (effective when <winsock2.h> comes first, as it
 * does in Winsock code). */
#if !defined(_DEFAULT_SOURCE)
# define _DEFAULT_SOURCE 1
#endif

/* A FD_SETSIZE that the program defined before including us sizes the
 * Winsock fd_set, as on Windows; <sys/select.h> would overwrite it. */
#pragma push_macro("FD_SETSIZE")
#undef FD_SETSIZE
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/select.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>
#include <stdint.h>
#undef FD_SETSIZE
#pragma pop_macro("FD_SETSIZE")

#include <bsdsock/compat_winsock.h>
#include <bsdsock/wintypes.h>

/* ---- types --------------------------------------------------------------- */

typedef uintptr_t SOCKET;
#define INVALID_SOCKET (~(SOCKET)0)
#define SOCKET_ERROR (-1)

typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;

typedef unsigned short ADDRESS_FAMILY;
#define WSAAPI

typedef struct sockaddr SOCKADDR, *PSOCKADDR, *LPSOCKADDR;
typedef struct sockaddr_in SOCKADDR_IN, *PSOCKADDR_IN, *LPSOCKADDR_IN;
typedef struct sockaddr_in6 SOCKADDR_IN6, *PSOCKADDR_IN6, *LPSOCKADDR_IN6;
typedef struct sockaddr_in6 SOCKADDR_IN6_LH, *PSOCKADDR_IN6_LH;
typedef struct sockaddr_storage SOCKADDR_STORAGE, *PSOCKADDR_STORAGE;
typedef struct sockaddr_un SOCKADDR_UN, *PSOCKADDR_UN;
typedef struct in_addr IN_ADDR, *PIN_ADDR, *LPIN_ADDR;
typedef struct in6_addr IN6_ADDR, *PIN6_ADDR, *LPIN6_ADDR;
typedef struct addrinfo ADDRINFOA, *PADDRINFOA, ADDRINFO, *LPADDRINFO;
typedef struct hostent HOSTENT, *PHOSTENT, *LPHOSTENT;
typedef struct servent SERVENT, *PSERVENT, *LPSERVENT;
typedef struct linger LINGER, *PLINGER, *LPLINGER;
typedef struct timeval TIMEVAL, *PTIMEVAL, *LPTIMEVAL;

/* ---- start-up and errors ------------------------------------------------- */

#define WSADESCRIPTION_LEN BSDSOCK_COMPAT_WSADESCRIPTION_LEN
#define WSASYS_STATUS_LEN BSDSOCK_COMPAT_WSASYS_STATUS_LEN
#define WSAData bsdsock_wsadata
typedef struct bsdsock_wsadata WSADATA, *LPWSADATA;
#define WINSOCK_VERSION MAKEWORD(2, 2)

#define WSAStartup bsdsock_compat_wsastartup
#define WSACleanup bsdsock_compat_wsacleanup
#define WSAGetLastError bsdsock_compat_wsagetlasterror
#define WSASetLastError bsdsock_compat_wsasetlasterror

/* Winsock's error numbers: WSABASEERR + the BSD errno for the BSD block. */
#define WSABASEERR 10000
#define WSAEINTR (WSABASEERR + 4)
#define WSAEBADF (WSABASEERR + 9)
#define WSAEACCES (WSABASEERR + 13)
#define WSAEFAULT (WSABASEERR + 14)
#define WSAEINVAL (WSABASEERR + 22)
#define WSAEMFILE (WSABASEERR + 24)
#define WSAEWOULDBLOCK (WSABASEERR + 35)
#define WSAEINPROGRESS (WSABASEERR + 36)
#define WSAEALREADY (WSABASEERR + 37)
#define WSAENOTSOCK (WSABASEERR + 38)
#define WSAEDESTADDRREQ (WSABASEERR + 39)
#define WSAEMSGSIZE (WSABASEERR + 40)
#define WSAEPROTOTYPE (WSABASEERR + 41)
#define WSAENOPROTOOPT (WSABASEERR + 42)
#define WSAEPROTONOSUPPORT (WSABASEERR + 43)
#define WSAESOCKTNOSUPPORT (WSABASEERR + 44)
#define WSAEOPNOTSUPP (WSABASEERR + 45)
#define WSAEPFNOSUPPORT (WSABASEERR + 46)
#define WSAEAFNOSUPPORT (WSABASEERR + 47)
#define WSAEADDRINUSE (WSABASEERR + 48)
#define WSAEADDRNOTAVAIL (WSABASEERR + 49)
#define WSAENETDOWN (WSABASEERR + 50)
#define WSAENETUNREACH (WSABASEERR + 51)
#define WSAENETRESET (WSABASEERR + 52)
#define WSAECONNABORTED (WSABASEERR + 53)
#define WSAECONNRESET (WSABASEERR + 54)
#define WSAENOBUFS (WSABASEERR + 55)
#define WSAEISCONN (WSABASEERR + 56)
#define WSAENOTCONN (WSABASEERR + 57)
#define WSAESHUTDOWN (WSABASEERR + 58)
#define WSAETOOMANYREFS (WSABASEERR + 59)
#define WSAETIMEDOUT (WSABASEERR + 60)
#define WSAECONNREFUSED (WSABASEERR + 61)
#define WSAELOOP (WSABASEERR + 62)
#define WSAENAMETOOLONG (WSABASEERR + 63)
#define WSAEHOSTDOWN (WSABASEERR + 64)
#define WSAEHOSTUNREACH (WSABASEERR + 65)
#define WSAENOTEMPTY (WSABASEERR + 66)
#define WSAEPROCLIM (WSABASEERR + 67)
#define WSAEUSERS (WSABASEERR + 68)
#define WSAEDQUOT (WSABASEERR + 69)
#define WSAESTALE (WSABASEERR + 70)
#define WSAEREMOTE (WSABASEERR + 71)
#define WSASYSNOTREADY (WSABASEERR + 91)
#define WSAVERNOTSUPPORTED (WSABASEERR + 92)
#define WSANOTINITIALISED (WSABASEERR + 93)
#define WSAEDISCON (WSABASEERR + 101)
#define WSAENOMORE (WSABASEERR + 102)
#define WSAECANCELLED (WSABASEERR + 103)
#define WSAEINVALIDPROCTABLE (WSABASEERR + 104)
#define WSAEINVALIDPROVIDER (WSABASEERR + 105)
#define WSAEPROVIDERFAILEDINIT (WSABASEERR + 106)
#define WSASYSCALLFAILURE (WSABASEERR + 107)
#define WSASERVICE_NOT_FOUND (WSABASEERR + 108)
#define WSATYPE_NOT_FOUND (WSABASEERR + 109)
#define WSA_E_NO_MORE (WSABASEERR + 110)
#define WSA_E_CANCELLED (WSABASEERR + 111)
#define WSAEREFUSED (WSABASEERR + 112)
#define WSAHOST_NOT_FOUND (WSABASEERR + 1001)
#define WSATRY_AGAIN (WSABASEERR + 1002)
#define WSANO_RECOVERY (WSABASEERR + 1003)
#define WSANO_DATA (WSABASEERR + 1004)
#define WSANO_ADDRESS WSANO_DATA
#define WSA_NOT_ENOUGH_MEMORY 8
#define WSA_INVALID_PARAMETER 87
#define WSA_INVALID_HANDLE 6

/* Resolver errors are Winsock numbers too (ws2tcpip.h). */
#undef EAI_AGAIN
#undef EAI_BADFLAGS
#undef EAI_FAIL
#undef EAI_FAMILY
#undef EAI_MEMORY
#undef EAI_NONAME
#undef EAI_SERVICE
#undef EAI_SOCKTYPE
#undef EAI_NODATA
#define EAI_AGAIN WSATRY_AGAIN
#define EAI_BADFLAGS WSAEINVAL
#define EAI_FAIL WSANO_RECOVERY
#define EAI_FAMILY WSAEAFNOSUPPORT
#define EAI_MEMORY WSA_NOT_ENOUGH_MEMORY
#define EAI_NONAME WSAHOST_NOT_FOUND
#define EAI_SERVICE WSATYPE_NOT_FOUND
#define EAI_SOCKTYPE WSAESOCKTNOSUPPORT
#define EAI_NODATA WSANO_DATA
#define getaddrinfo bsdsock_compat_ws_getaddrinfo
#define freeaddrinfo bsdsock_compat_ws_freeaddrinfo
#define getnameinfo bsdsock_compat_ws_getnameinfo

/* gethostbyname()/gethostbyaddr() leave the resolver's failure for
 * WSAGetLastError() (WSAHOST_NOT_FOUND, WSATRY_AGAIN, WSANO_RECOVERY,
 * WSANO_DATA), which h_errno is in Winsock. */
#define gethostbyname bsdsock_compat_ws_gethostbyname
#define gethostbyaddr bsdsock_compat_ws_gethostbyaddr
#undef h_errno
#define h_errno bsdsock_compat_wsagetlasterror()
#undef HOST_NOT_FOUND
#undef TRY_AGAIN
#undef NO_RECOVERY
#undef NO_DATA
#undef NO_ADDRESS
#define HOST_NOT_FOUND WSAHOST_NOT_FOUND
#define TRY_AGAIN WSATRY_AGAIN
#define NO_RECOVERY WSANO_RECOVERY
#define NO_DATA WSANO_DATA
#define NO_ADDRESS WSANO_ADDRESS

/* ws2tcpip.h's helpers. */
#define SS_PORT(ssp) (((struct sockaddr_in *)(void *)(ssp))->sin_port)
static inline int bsdsock_ws_in6_is_any(const struct sockaddr_in6 *a) {
  return a->sin6_family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&a->sin6_addr);
}
static inline int bsdsock_ws_in6_is_loopback(const struct sockaddr_in6 *a) {
  return a->sin6_family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
}
static inline void bsdsock_ws_in6_setany(struct sockaddr_in6 *a) {
  memset(a, 0, sizeof(*a));
  a->sin6_family = AF_INET6;
}
static inline void bsdsock_ws_in6_setloopback(struct sockaddr_in6 *a) {
  bsdsock_ws_in6_setany(a);
  a->sin6_addr = in6addr_loopback;
}
#define IN6ADDR_ISANY(a) bsdsock_ws_in6_is_any(a)
#define IN6ADDR_ISLOOPBACK(a) bsdsock_ws_in6_is_loopback(a)
#define IN6ADDR_SETANY(a) bsdsock_ws_in6_setany(a)
#define IN6ADDR_SETLOOPBACK(a) bsdsock_ws_in6_setloopback(a)
#define IN6_ADDR_EQUAL(a, b) IN6_ARE_ADDR_EQUAL((a), (b))
#undef gai_strerror
#define gai_strerror bsdsock_compat_ws_gai_strerror
#define gai_strerrorA bsdsock_compat_ws_gai_strerror

/* ---- sockets ------------------------------------------------------------- */

#define SD_RECEIVE SHUT_RD
#define SD_SEND SHUT_WR
#define SD_BOTH SHUT_RDWR

/* Linux never lets a second socket take a live port without SO_REUSEPORT,
 * so exclusive use is what every socket already has (quirk Q10). */
#define SO_EXCLUSIVEADDRUSE ((int)(~SO_REUSEADDR))

/* socket() gives Windows' defaults: an AF_INET6 socket is IPV6_V6ONLY
 * (Linux's default is off, quirk Q45), and a TCP socket may bind a port
 * held only by connections in TIME_WAIT, never one with a live listener
 * (quirk Q46; docs/compat.md). */
#define socket bsdsock_compat_ws_socket
#define closesocket bsdsock_compat_closesocket
#define ioctlsocket bsdsock_compat_ioctlsocket
#define connect bsdsock_compat_ws_connect
#define accept bsdsock_compat_ws_accept
#define bind bsdsock_compat_ws_bind
#define listen bsdsock_compat_ws_listen
#define shutdown bsdsock_compat_ws_shutdown
#define send bsdsock_compat_ws_send
#define sendto bsdsock_compat_ws_sendto
#define recv bsdsock_compat_ws_recv
#define recvfrom bsdsock_compat_ws_recvfrom
#define getsockopt bsdsock_compat_ws_getsockopt
#define setsockopt bsdsock_compat_ws_setsockopt
#define getsockname bsdsock_compat_ws_getsockname
#define getpeername bsdsock_compat_ws_getpeername

/* ---- select: Winsock's counted fd_set ------------------------------------ */

#ifndef FD_SETSIZE
# define FD_SETSIZE 64
#endif
#undef FD_SET
#undef FD_CLR
#undef FD_ISSET
#undef FD_ZERO

typedef struct bsdsock_ws_fd_set {
  u_int fd_count;
  SOCKET fd_array[FD_SETSIZE];
} bsdsock_ws_fd_set;
#define fd_set bsdsock_ws_fd_set
typedef struct bsdsock_ws_fd_set FD_SET, *PFD_SET, *LPFD_SET;

/* As on Windows, FD_SET ignores a socket already present and does nothing
 * when the set is full (quirk Q25): define FD_SETSIZE larger before
 * including <winsock2.h> for more than 64 sockets. */
static inline void bsdsock_ws_fd_add(SOCKET s, fd_set *set) {
  u_int i;
  for (i = 0; i < set->fd_count; i++)
    if (set->fd_array[i] == s) return;
  if (set->fd_count < sizeof(set->fd_array) / sizeof(set->fd_array[0]))
    set->fd_array[set->fd_count++] = s;
}

static inline void bsdsock_ws_fd_remove(SOCKET s, fd_set *set) {
  u_int i;
  for (i = 0; i < set->fd_count; i++) {
    if (set->fd_array[i] == s) {
      set->fd_array[i] = set->fd_array[--set->fd_count];
      return;
    }
  }
}

#define __WSAFDIsSet(s, set) bsdsock_compat_ws_fdisset((s), (set))
#define FD_SET(s, set) bsdsock_ws_fd_add((SOCKET)(s), (fd_set *)(set))
#define FD_CLR(s, set) bsdsock_ws_fd_remove((SOCKET)(s), (fd_set *)(set))
#define FD_ISSET(s, set) __WSAFDIsSet((SOCKET)(s), (fd_set *)(set))
#define FD_ZERO(set) (((fd_set *)(set))->fd_count = 0)
#define select bsdsock_compat_ws_select

/* ---- WSAPoll ------------------------------------------------------------- */

#define pollfd bsdsock_ws_pollfd
typedef struct bsdsock_ws_pollfd WSAPOLLFD, *PWSAPOLLFD, *LPWSAPOLLFD;
#undef POLLRDNORM
#undef POLLRDBAND
#undef POLLIN
#undef POLLPRI
#undef POLLWRNORM
#undef POLLOUT
#undef POLLWRBAND
#undef POLLERR
#undef POLLHUP
#undef POLLNVAL
#define POLLRDNORM 0x0100
#define POLLRDBAND 0x0200
#define POLLIN (POLLRDNORM | POLLRDBAND)
#define POLLPRI 0x0400
#define POLLWRNORM 0x0010
#define POLLOUT (POLLWRNORM)
#define POLLWRBAND 0x0020
#define POLLERR 0x0001
#define POLLHUP 0x0002
#define POLLNVAL 0x0004
#define WSAPoll bsdsock_compat_wsapoll

#endif /* BSDSOCK_WINSOCK_H */
