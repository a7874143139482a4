/* SPDX-License-Identifier: MIT */
/*
 * bsdsock/compat_bsd.h - runtime support for the drop-in BSD headers: the
 * BSD socket API for programs built on Windows (docs/compat.md).
 *
 * Legacy code does not call these functions by name: it includes the
 * drop-in headers (`-I<prefix>/include/bsdsock/compat`), which #define the
 * classic names onto them. Two groups:
 *
 *  - The drop-in fd_set with its select(), and poll() (src/compat/bsd/
 *    fdset.c): portable code over bsdsock_select/bsdsock_poll, built on
 *    every platform.
 *  - The rest of the BSD API (src/compat/bsd/api.c, Windows builds only):
 *    socket(), close(), errno, fcntl(), ioctl() ... for code written
 *    against <sys/socket.h>. They take the platform's own (Winsock)
 *    constants and struct sockaddr layouts, as legacy code uses them, and
 *    report failure as -1 with the C runtime's errno set to the runtime's
 *    own E* value (ECONNREFUSED is 107 in the Windows C runtime).
 *
 * The other direction, the Winsock API on POSIX, is bsdsock/compat_winsock.h.
 */
#ifndef BSDSOCK_COMPAT_BSD_H
#define BSDSOCK_COMPAT_BSD_H

#include "bsdsock/bsdsock.h"

#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sockaddr;
struct timeval;
struct addrinfo;
struct hostent;
struct bsdsock_pollfd;

/* ======================================================================== */
/* BSD fd_set, select and poll (every backend)                              */

/* The drop-in fd_set: a bitmask indexed by descriptor number, as on BSD,
 * with room for BSDSOCK_COMPAT_FD_SETSIZE descriptors. That covers every
 * number the Windows backend hands out (C runtime numbers below 8192, then
 * the overflow range from 8192), and at 2 KiB it can still be copied by
 * assignment the way select() loops do (`read_fds = master;`). FD_SET()
 * with a descriptor outside the set does not write anything: it marks the
 * set `overflow`, and select() then fails with EINVAL instead of silently
 * ignoring the descriptor (glibc would write out of bounds; Winsock would
 * drop it, quirk Q25). */
#define BSDSOCK_COMPAT_FD_SETSIZE 16384
typedef struct bsdsock_compat_fd_set {
  uint64_t fds_bits[BSDSOCK_COMPAT_FD_SETSIZE / 64];
  int overflow;
} bsdsock_compat_fd_set;

static inline void bsdsock_compat_fd_zero(bsdsock_compat_fd_set *set) {
  memset(set, 0, sizeof(*set));
}

static inline void bsdsock_compat_fd_setbit(int fd,
                                            bsdsock_compat_fd_set *set) {
  if (fd < 0 || fd >= BSDSOCK_COMPAT_FD_SETSIZE)
    set->overflow = 1;
  else
    set->fds_bits[fd / 64] |= (uint64_t)1 << (fd % 64);
}

static inline void bsdsock_compat_fd_clrbit(int fd,
                                            bsdsock_compat_fd_set *set) {
  if (fd >= 0 && fd < BSDSOCK_COMPAT_FD_SETSIZE)
    set->fds_bits[fd / 64] &= ~((uint64_t)1 << (fd % 64));
}

static inline int bsdsock_compat_fd_isset(int fd,
                                          const bsdsock_compat_fd_set *set) {
  if (fd < 0 || fd >= BSDSOCK_COMPAT_FD_SETSIZE) return 0;
  return (set->fds_bits[fd / 64] >> (fd % 64)) & 1;
}

/* select() over descriptor numbers 0 .. nfds-1 (bsdsock's contract: nfds
 * honoured, no descriptors = sleep, the timeout is not written back). Fails
 * with EINVAL when nfds is negative or above BSDSOCK_COMPAT_FD_SETSIZE or a
 * set overflowed (see above), EBADF for a number that is not open. On
 * Windows pipes, the console and disk files are asked without waiting
 * and, while nothing is ready, asked again every 10 ms between waits on
 * the sockets (src/compat/bsd/fdset.c). */
BSDSOCK_EXTERN int bsdsock_compat_select(int nfds,
                                         bsdsock_compat_fd_set *readfds,
                                         bsdsock_compat_fd_set *writefds,
                                         bsdsock_compat_fd_set *exceptfds,
                                         struct timeval *timeout);

/* poll() on bsdsock_pollfd_t entries with bsdsock's POLL* numbers (which
 * the drop-in <poll.h> uses as POLLIN...): negative fds are ignored,
 * numbers that are not open report POLLNVAL; pipes, the console and files
 * as for select(). */
BSDSOCK_EXTERN int bsdsock_compat_poll(struct bsdsock_pollfd *fds,
                                       unsigned long nfds, int timeout_ms);

/* pipe(): on Windows the C runtime's _pipe() in binary mode with a 64 KiB
 * buffer, giving C runtime descriptors that read(), write(), close(),
 * select() and poll() of the drop-in headers take (docs/compat.md); on
 * POSIX the system's own pipe(). */
BSDSOCK_EXTERN int bsdsock_compat_pipe(int fds[2]);

/* Transparent mode (docs/wire.md): closes the session that
 * BSDSOCK_REMOTE=host:port made the first socket call open, with its
 * sockets, and forgets the environment, so the next socket call reads it
 * again (for tests, and for a program that changes its environment). */
BSDSOCK_EXTERN void bsdsock_compat_remote_reset(void);

/* ======================================================================== */
/* BSD API on Windows (src/compat/bsd/api.c, Windows builds only)          */


/* Values the drop-in headers give to names Windows lacks (the C runtime
 * and Winsock leave these numbers unused). */
#define BSDSOCK_COMPAT_MSG_DONTWAIT 0x40000000 /* MSG_DONTWAIT */
#define BSDSOCK_COMPAT_F_GETFD 1               /* F_GETFD (Linux's numbers) */
#define BSDSOCK_COMPAT_F_SETFD 2               /* F_SETFD */
#define BSDSOCK_COMPAT_F_GETFL 3               /* F_GETFL */
#define BSDSOCK_COMPAT_F_SETFL 4               /* F_SETFL */
#define BSDSOCK_COMPAT_FD_CLOEXEC 1            /* FD_CLOEXEC */
#define BSDSOCK_COMPAT_O_NONBLOCK 0x10000000   /* O_NONBLOCK, above _O_* */
#define BSDSOCK_COMPAT_SIGPIPE 13              /* SIGPIPE (POSIX number) */
#define BSDSOCK_COMPAT_EAI_SYSTEM (-11)        /* never returned on Windows */
/* SO_REUSEPORT: defined so that `#ifdef SO_REUSEPORT` code builds, and
 * refused by setsockopt()/getsockopt() with ENOPROTOOPT, as Linux before
 * 3.9 refused it (Windows cannot balance a port among sockets). */
#define BSDSOCK_COMPAT_SO_REUSEPORT 0x7001
/* IFF_RUNNING: a bit Winsock's IFF_* (<ws2ipdef.h>) leave unused. */
#define BSDSOCK_COMPAT_IFF_RUNNING 0x40

/* Sockets. Descriptors are bsdsock descriptors: small ints that share the
 * C runtime's numbering, so close()/read()/write() tell sockets and files
 * apart. af/type/protocol, levels, option names, MSG_ flags and sockaddrs
 * are Winsock's (AF_INET6 is 23); type may carry SOCK_NONBLOCK and
 * SOCK_CLOEXEC as the drop-in <sys/socket.h> defines them. Each returns
 * what its POSIX namesake returns, and -1 with errno set on failure. */
BSDSOCK_EXTERN int bsdsock_compat_socket(int af, int type, int protocol);
BSDSOCK_EXTERN int bsdsock_compat_socketpair(int af, int type, int protocol,
                                             int sv[2]);
BSDSOCK_EXTERN int bsdsock_compat_accept(int fd, struct sockaddr *addr,
                                         int *addrlen);
BSDSOCK_EXTERN int bsdsock_compat_bind(int fd, const struct sockaddr *addr,
                                       int addrlen);
BSDSOCK_EXTERN int bsdsock_compat_connect(int fd, const struct sockaddr *addr,
                                          int addrlen);
BSDSOCK_EXTERN int bsdsock_compat_listen(int fd, int backlog);
BSDSOCK_EXTERN bsdsock_ssize_t bsdsock_compat_send(int fd, const void *buf,
                                                   size_t len, int flags);
BSDSOCK_EXTERN bsdsock_ssize_t bsdsock_compat_recv(int fd, void *buf,
                                                   size_t len, int flags);
BSDSOCK_EXTERN bsdsock_ssize_t bsdsock_compat_sendto(
    int fd, const void *buf, size_t len, int flags,
    const struct sockaddr *addr, int addrlen);
BSDSOCK_EXTERN bsdsock_ssize_t bsdsock_compat_recvfrom(int fd, void *buf,
                                                       size_t len, int flags,
                                                       struct sockaddr *addr,
                                                       int *addrlen);
BSDSOCK_EXTERN int bsdsock_compat_shutdown(int fd, int how);
BSDSOCK_EXTERN int bsdsock_compat_getsockopt(int fd, int level, int name,
                                             void *value, int *len);
BSDSOCK_EXTERN int bsdsock_compat_setsockopt(int fd, int level, int name,
                                             const void *value, int len);
BSDSOCK_EXTERN int bsdsock_compat_getsockname(int fd, struct sockaddr *addr,
                                              int *addrlen);
BSDSOCK_EXTERN int bsdsock_compat_getpeername(int fd, struct sockaddr *addr,
                                              int *addrlen);

/* File operations that work on sockets and C runtime files alike. */
BSDSOCK_EXTERN int bsdsock_compat_close(int fd);
BSDSOCK_EXTERN bsdsock_ssize_t bsdsock_compat_read(int fd, void *buf,
                                                   size_t len);
BSDSOCK_EXTERN bsdsock_ssize_t bsdsock_compat_write(int fd, const void *buf,
                                                    size_t len);
/* dup()/dup2() of a file as the C runtime does it; of a socket, -1 with
 * ENOTSUP (a socket number cannot be duplicated into the C runtime's
 * table). */
BSDSOCK_EXTERN int bsdsock_compat_dup(int fd);
BSDSOCK_EXTERN int bsdsock_compat_dup2(int fd, int fd2);
/* fcntl(): F_GETFD/F_SETFD (FD_CLOEXEC) and F_GETFL/F_SETFL (O_NONBLOCK)
 * with the drop-in <fcntl.h> values; other commands fail with EINVAL. */
BSDSOCK_EXTERN int bsdsock_compat_fcntl(int fd, int cmd, ...);
/* ioctl(): FIONBIO and FIONREAD with an int * argument (as on BSD and
 * Linux; Winsock's ioctlsocket takes a u_long *). */
BSDSOCK_EXTERN int bsdsock_compat_ioctl(int fd, unsigned long request, ...);

/* Messages for the C runtime's errno values, including the socket ones the
 * runtime itself only calls "Unknown error". */
BSDSOCK_EXTERN char *bsdsock_compat_strerror(int errnum);
BSDSOCK_EXTERN void bsdsock_compat_perror(const char *prefix);

/* Resolver and text forms. getaddrinfo/getnameinfo/gethostbyname/
 * gethostname are Winsock's own, after bsdsock's lazy WSAStartup (legacy
 * code never calls it); they return Winsock's EAI_* numbers, which the
 * drop-in <netdb.h> leaves as EAI_*. inet_pton/inet_ntop are bsdsock's
 * strict parser and formatter on native structs. */
BSDSOCK_EXTERN int bsdsock_compat_getaddrinfo(const char *node,
                                              const char *service,
                                              const struct addrinfo *hints,
                                              struct addrinfo **res);
BSDSOCK_EXTERN void bsdsock_compat_freeaddrinfo(struct addrinfo *ai);
BSDSOCK_EXTERN int bsdsock_compat_getnameinfo(const struct sockaddr *addr,
                                              int addrlen, char *host,
                                              size_t hostlen, char *serv,
                                              size_t servlen, int flags);
BSDSOCK_EXTERN const char *bsdsock_compat_gai_strerror(int err);
BSDSOCK_EXTERN struct hostent *bsdsock_compat_gethostbyname(const char *name);
BSDSOCK_EXTERN int bsdsock_compat_gethostname(char *name, size_t len);
BSDSOCK_EXTERN int bsdsock_compat_inet_pton(int af, const char *src,
                                            void *dst);
BSDSOCK_EXTERN const char *bsdsock_compat_inet_ntop(int af, const void *src,
                                                    char *dst, int size);

/* Interfaces (<net/if.h>, <ifaddrs.h>), over bsdsock_if_nametoindex(),
 * bsdsock_if_indextoname() and bsdsock_interfaces(). if_nametoindex()
 * returns 0 with errno ENODEV for an unknown name (as Linux);
 * if_indextoname() fills buf (IF_NAMESIZE bytes, BSDSOCK_IF_NAMESIZE)
 * and returns it, or NULL with errno ENXIO. getifaddrs() gives one entry
 * per (interface, IPv4 or IPv6 address), as Linux does for those families
 * (Linux also lists one AF_PACKET entry per interface; here there is
 * none), in one allocation that freeifaddrs() frees: ifa_name, ifa_flags
 * (Winsock's IFF_UP, IFF_LOOPBACK, IFF_POINTTOPOINT, IFF_MULTICAST and
 * BSDSOCK_COMPAT_IFF_RUNNING), ifa_addr and ifa_netmask as Winsock's
 * sockaddr_in / sockaddr_in6 (scope set); no broadcast or destination
 * address (NULL), ifa_data NULL. 0, or -1 with errno set. */
struct bsdsock_compat_ifaddrs {
  struct bsdsock_compat_ifaddrs *ifa_next;
  char *ifa_name;
  unsigned int ifa_flags;
  struct sockaddr *ifa_addr;
  struct sockaddr *ifa_netmask;
  union {
    struct sockaddr *ifu_broadaddr;
    struct sockaddr *ifu_dstaddr;
  } ifa_ifu;
  void *ifa_data;
};

BSDSOCK_EXTERN unsigned bsdsock_compat_if_nametoindex(const char *name);
BSDSOCK_EXTERN char *bsdsock_compat_if_indextoname(unsigned index, char *buf);
BSDSOCK_EXTERN int bsdsock_compat_getifaddrs(
    struct bsdsock_compat_ifaddrs **ifap);
BSDSOCK_EXTERN void bsdsock_compat_freeifaddrs(
    struct bsdsock_compat_ifaddrs *ifa);

/* signal(): SIGPIPE (which Windows does not have; the drop-in <signal.h>
 * gives it the POSIX number 13) is accepted and remembered but never
 * delivered, because no bsdsock call raises it; every other signal goes to
 * the C runtime's signal(). */
typedef void (*bsdsock_compat_sighandler_t)(int);
BSDSOCK_EXTERN bsdsock_compat_sighandler_t
bsdsock_compat_signal(int sig, bsdsock_compat_sighandler_t handler);

/* epoll, over bsdsock's poller (bsdsock/poller.h), for the drop-in
 * <sys/epoll.h>: Linux's layout and numbers (EPOLLIN 0x001 ... EPOLLET
 * 1u << 31, EPOLL_CTL_ADD 1, DEL 2, MOD 3, EPOLL_CLOEXEC 0x80000). The
 * descriptor is a poller's, and close() closes it. Each returns what its
 * Linux namesake returns, and -1 with errno set on failure; EPOLLET is
 * ENOTSUP (the Windows poller cannot honour it), EPOLLEXCLUSIVE,
 * EPOLLWAKEUP and the band bits are accepted and ignored. */
typedef union bsdsock_compat_epoll_data {
  void *ptr;
  int fd;
  uint32_t u32;
  uint64_t u64;
} bsdsock_compat_epoll_data_t;

struct bsdsock_compat_epoll_event {
  uint32_t events;
  bsdsock_compat_epoll_data_t data;
};

#define BSDSOCK_COMPAT_EPOLL_CLOEXEC 0x80000
BSDSOCK_EXTERN int bsdsock_compat_epoll_create(int size);
BSDSOCK_EXTERN int bsdsock_compat_epoll_create1(int flags);
BSDSOCK_EXTERN int bsdsock_compat_epoll_ctl(
    int epfd, int op, int fd, struct bsdsock_compat_epoll_event *event);
BSDSOCK_EXTERN int bsdsock_compat_epoll_wait(
    int epfd, struct bsdsock_compat_epoll_event *events, int maxevents,
    int timeout);

#ifdef __cplusplus
}
#endif

#endif /* BSDSOCK_COMPAT_BSD_H */
