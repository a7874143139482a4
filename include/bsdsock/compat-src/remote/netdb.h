/* SPDX-License-Identifier: MIT */
/*
 * <netdb.h> for transparent mode (docs/compat.md): the system's header, then
 * the calls it declares renamed onto bsdsock's, which run in a bsdsockd
 * for a remote socket when BSDSOCK_REMOTE is set and are the system's own
 * otherwise (bsdsock/compat_remote.h). Each header declares only names
 * its system header declares, with its types, so it is safe wherever a
 * system header includes it.
 */
#include_next <netdb.h>
#ifndef BSDSOCK_REMOTE_NETDB_H
#define BSDSOCK_REMOTE_NETDB_H
#include <bsdsock/platform.h>
#ifdef __cplusplus
extern "C" {
#endif
BSDSOCK_EXTERN int bsdsock_compat_remote_getaddrinfo(
    const char *node, const char *service, const struct addrinfo *hints,
    struct addrinfo **res);
BSDSOCK_EXTERN void bsdsock_compat_remote_freeaddrinfo(struct addrinfo *ai);
BSDSOCK_EXTERN int bsdsock_compat_remote_getnameinfo(
    const struct sockaddr *addr, socklen_t addrlen, char *host,
    socklen_t hostlen, char *serv, socklen_t servlen, int flags);
BSDSOCK_EXTERN struct hostent *bsdsock_compat_remote_gethostbyname(
    const char *name);
#ifdef __cplusplus
}
#endif
#ifndef BSDSOCK_COMPAT_REMOTE_NO_RENAME
#define getaddrinfo bsdsock_compat_remote_getaddrinfo
#define freeaddrinfo bsdsock_compat_remote_freeaddrinfo
#define getnameinfo bsdsock_compat_remote_getnameinfo
#define gethostbyname bsdsock_compat_remote_gethostbyname
#endif
#endif /* BSDSOCK_REMOTE_NETDB_H */
