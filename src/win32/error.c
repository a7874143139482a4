/* SPDX-License-Identifier: MIT */
/*
 * src/win32/error.c - WSA / Win32 error -> portable error translation.
 *
 * Every code in winerror.h's Winsock range (WSABASEERR + 4 .. + 1031) has a
 * row. Winsock numbers its BSD-derived codes as WSABASEERR + the BSD errno,
 * so those rows land on the portable code of the same name (-61 for
 * WSAECONNREFUSED). Resolver codes land in the EAI range; Winsock-only
 * conditions keep their WSA number as their portable code. The Win32 codes
 * that WSAGetLastError() also reports for overlapped I/O (see Boost.Asio's
 * socket_ops.ipp and wepoll's error table) have rows too.
 */
#include "../internal.h"

#include <errno.h>

#define BSDSOCK__WIN32_ERROR_MAP(X)                                          \
  X(WSAEINTR, EINTR) X(WSAEBADF, EBADF) X(WSAEACCES, EACCES)                 \
  X(WSAEFAULT, EFAULT) X(WSAEINVAL, EINVAL) X(WSAEMFILE, EMFILE)             \
  X(WSAEWOULDBLOCK, EAGAIN) X(WSAEINPROGRESS, EINPROGRESS)                   \
  X(WSAEALREADY, EALREADY) X(WSAENOTSOCK, ENOTSOCK)                          \
  X(WSAEDESTADDRREQ, EDESTADDRREQ) X(WSAEMSGSIZE, EMSGSIZE)                  \
  X(WSAEPROTOTYPE, EPROTOTYPE) X(WSAENOPROTOOPT, ENOPROTOOPT)                \
  X(WSAEPROTONOSUPPORT, EPROTONOSUPPORT)                                     \
  X(WSAESOCKTNOSUPPORT, ESOCKTNOSUPPORT) X(WSAEOPNOTSUPP, EOPNOTSUPP)        \
  X(WSAEPFNOSUPPORT, EPFNOSUPPORT) X(WSAEAFNOSUPPORT, EAFNOSUPPORT)          \
  X(WSAEADDRINUSE, EADDRINUSE) X(WSAEADDRNOTAVAIL, EADDRNOTAVAIL)            \
  X(WSAENETDOWN, ENETDOWN) X(WSAENETUNREACH, ENETUNREACH)                    \
  X(WSAENETRESET, ENETRESET) X(WSAECONNABORTED, ECONNABORTED)                \
  X(WSAECONNRESET, ECONNRESET) X(WSAENOBUFS, ENOBUFS)                        \
  X(WSAEISCONN, EISCONN) X(WSAENOTCONN, ENOTCONN)                            \
  X(WSAESHUTDOWN, ESHUTDOWN) X(WSAETOOMANYREFS, ETOOMANYREFS)                \
  X(WSAETIMEDOUT, ETIMEDOUT) X(WSAECONNREFUSED, ECONNREFUSED)                \
  X(WSAELOOP, ELOOP) X(WSAENAMETOOLONG, ENAMETOOLONG)                        \
  X(WSAEHOSTDOWN, EHOSTDOWN) X(WSAEHOSTUNREACH, EHOSTUNREACH)                \
  X(WSAENOTEMPTY, ENOTEMPTY) X(WSAEPROCLIM, EPROCLIM) X(WSAEUSERS, EUSERS)   \
  X(WSAEDQUOT, EDQUOT) X(WSAESTALE, ESTALE) X(WSAEREMOTE, EREMOTE)           \
  X(WSASYSNOTREADY, ESYSNOTREADY) X(WSAVERNOTSUPPORTED, EVERNOTSUPPORTED)    \
  X(WSANOTINITIALISED, ENOTINITIALISED) X(WSAEDISCON, EDISCON)               \
  X(WSAENOMORE, ENOMORE) X(WSAECANCELLED, ECANCELED)                         \
  X(WSAEINVALIDPROCTABLE, EINVALIDPROCTABLE)                                 \
  X(WSAEINVALIDPROVIDER, EINVALIDPROVIDER)                                   \
  X(WSAEPROVIDERFAILEDINIT, EPROVIDERFAILEDINIT)                             \
  X(WSASYSCALLFAILURE, ESYSCALLFAILURE)                                      \
  X(WSASERVICE_NOT_FOUND, ESERVICE_NOT_FOUND)                                \
  X(WSATYPE_NOT_FOUND, ETYPE_NOT_FOUND) X(WSA_E_NO_MORE, ENOMORE)            \
  X(WSA_E_CANCELLED, ECANCELED) X(WSAEREFUSED, EREFUSED)                     \
  X(WSAHOST_NOT_FOUND, EAI_NONAME) X(WSATRY_AGAIN, EAI_AGAIN)                \
  X(WSANO_RECOVERY, EAI_FAIL) X(WSANO_DATA, EAI_NODATA)                      \
  X(WSA_QOS_RECEIVERS, EQOS_RECEIVERS) X(WSA_QOS_SENDERS, EQOS_SENDERS)      \
  X(WSA_QOS_NO_SENDERS, EQOS_NO_SENDERS)                                     \
  X(WSA_QOS_NO_RECEIVERS, EQOS_NO_RECEIVERS)                                 \
  X(WSA_QOS_REQUEST_CONFIRMED, EQOS_REQUEST_CONFIRMED)                       \
  X(WSA_QOS_ADMISSION_FAILURE, EQOS_ADMISSION_FAILURE)                       \
  X(WSA_QOS_POLICY_FAILURE, EQOS_POLICY_FAILURE)                             \
  X(WSA_QOS_BAD_STYLE, EQOS_BAD_STYLE) X(WSA_QOS_BAD_OBJECT, EQOS_BAD_OBJECT)\
  X(WSA_QOS_TRAFFIC_CTRL_ERROR, EQOS_TRAFFIC_CTRL_ERROR)                     \
  X(WSA_QOS_GENERIC_ERROR, EQOS_GENERIC_ERROR)                               \
  X(WSA_QOS_ESERVICETYPE, EQOS_ESERVICETYPE)                                 \
  X(WSA_QOS_EFLOWSPEC, EQOS_EFLOWSPEC)                                       \
  X(WSA_QOS_EPROVSPECBUF, EQOS_EPROVSPECBUF)                                 \
  X(WSA_QOS_EFILTERSTYLE, EQOS_EFILTERSTYLE)                                 \
  X(WSA_QOS_EFILTERTYPE, EQOS_EFILTERTYPE)                                   \
  X(WSA_QOS_EFILTERCOUNT, EQOS_EFILTERCOUNT)                                 \
  X(WSA_QOS_EOBJLENGTH, EQOS_EOBJLENGTH)                                     \
  X(WSA_QOS_EFLOWCOUNT, EQOS_EFLOWCOUNT)                                     \
  X(WSA_QOS_EUNKOWNPSOBJ, EQOS_EUNKOWNPSOBJ)                                 \
  X(WSA_QOS_EPOLICYOBJ, EQOS_EPOLICYOBJ)                                     \
  X(WSA_QOS_EFLOWDESC, EQOS_EFLOWDESC)                                       \
  X(WSA_QOS_EPSFLOWSPEC, EQOS_EPSFLOWSPEC)                                   \
  X(WSA_QOS_EPSFILTERSPEC, EQOS_EPSFILTERSPEC)                               \
  X(WSA_QOS_ESDMODEOBJ, EQOS_ESDMODEOBJ)                                     \
  X(WSA_QOS_ESHAPERATEOBJ, EQOS_ESHAPERATEOBJ)                               \
  X(WSA_QOS_RESERVED_PETYPE, EQOS_RESERVED_PETYPE)                           \
  /* Win32 codes WSAGetLastError() reports too. */                           \
  X(WSA_INVALID_HANDLE, EBADF) X(WSA_NOT_ENOUGH_MEMORY, ENOMEM)              \
  X(WSA_INVALID_PARAMETER, EINVAL) X(WSA_OPERATION_ABORTED, ECANCELED)       \
  X(WSA_IO_INCOMPLETE, EAGAIN) X(WSA_IO_PENDING, EINPROGRESS)                \
  X(ERROR_NETNAME_DELETED, ECONNRESET) X(ERROR_MORE_DATA, EMSGSIZE)          \
  X(ERROR_CONNECTION_REFUSED, ECONNREFUSED)                                  \
  X(ERROR_PORT_UNREACHABLE, ECONNREFUSED)                                    \
  X(ERROR_NETWORK_UNREACHABLE, ENETUNREACH)                                  \
  X(ERROR_HOST_UNREACHABLE, EHOSTUNREACH)                                    \
  X(ERROR_CONNECTION_ABORTED, ECONNABORTED) X(ERROR_SEM_TIMEOUT, ETIMEDOUT)  \
  X(ERROR_NOT_SUPPORTED, EOPNOTSUPP) X(ERROR_ACCESS_DENIED, EACCES)          \
  X(ERROR_TOO_MANY_OPEN_FILES, EMFILE) X(ERROR_BROKEN_PIPE, EPIPE)

static const struct bsdsock__errmap errmap[] = {
#define BSDSOCK__ROW(native, portable) {native, BSDSOCK_##portable, #native},
  BSDSOCK__WIN32_ERROR_MAP(BSDSOCK__ROW)
#undef BSDSOCK__ROW
};

const struct bsdsock__errmap *bsdsock__errmap(size_t *count) {
  *count = sizeof(errmap) / sizeof(errmap[0]);
  return errmap;
}

int bsdsock__os_translate(int native) {
  /* A switch generated from the table: O(1), and a duplicate row is a
   * compile error. */
  switch (native) {
#define BSDSOCK__CASE(n, portable) case n: return BSDSOCK_##portable;
    BSDSOCK__WIN32_ERROR_MAP(BSDSOCK__CASE)
#undef BSDSOCK__CASE
    default: return BSDSOCK_EUNKNOWN;
  }
}

int bsdsock__os_error(void) {
  return WSAGetLastError();
}

void bsdsock__os_set_error(int native) {
  WSASetLastError(native);
}

/* ---- the C runtime's errno, for the drop-in BSD layer ---------------------
 * Portable codes whose C runtime errno has the same name. The rest: the
 * two pairs the drop-in <errno.h> merges as Linux does (EWOULDBLOCK is
 * EAGAIN, EOPNOTSUPP is ENOTSUP), the BSD names the runtime lacks
 * (WSABASEERR + the BSD number, defined by the drop-in header), the
 * Winsock-only codes (their own number), and anything else (EIO). */
#define BSDSOCK__CRT_ERRNO_MAP(X)                                            \
  X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(ENXIO) X(E2BIG) X(ENOEXEC)   \
  X(EBADF) X(ECHILD) X(EAGAIN) X(ENOMEM) X(EACCES) X(EFAULT) X(EBUSY)        \
  X(EEXIST) X(EXDEV) X(ENODEV) X(ENOTDIR) X(EISDIR) X(EINVAL) X(ENFILE)      \
  X(EMFILE) X(ENOTTY) X(EFBIG) X(ENOSPC) X(ESPIPE) X(EROFS) X(EMLINK)        \
  X(EPIPE) X(EDOM) X(ERANGE) X(EDEADLK) X(ENAMETOOLONG) X(ENOLCK) X(ENOSYS)  \
  X(ENOTEMPTY) X(EILSEQ) X(EADDRINUSE) X(EADDRNOTAVAIL) X(EAFNOSUPPORT)      \
  X(EALREADY) X(EBADMSG) X(ECANCELED) X(ECONNABORTED) X(ECONNREFUSED)        \
  X(ECONNRESET) X(EDESTADDRREQ) X(EHOSTUNREACH) X(EIDRM) X(EINPROGRESS)      \
  X(EISCONN) X(ELOOP) X(EMSGSIZE) X(ENETDOWN) X(ENETRESET) X(ENETUNREACH)    \
  X(ENOBUFS) X(ENOLINK) X(ENOMSG) X(ENOPROTOOPT) X(ENOTCONN)                 \
  X(ENOTRECOVERABLE) X(ENOTSOCK) X(EOVERFLOW) X(EOWNERDEAD) X(EPROTO)        \
  X(EPROTONOSUPPORT) X(EPROTOTYPE) X(ETIMEDOUT) X(ETXTBSY)

enum { WSA_BASE = 10000 };

int bsdsock__os_crt_errno(int portable) {
  int n = -portable;
  switch (portable) {
#define BSDSOCK__CASE(name) case BSDSOCK_##name: return name;
    BSDSOCK__CRT_ERRNO_MAP(BSDSOCK__CASE)
#undef BSDSOCK__CASE
    case BSDSOCK_EOPNOTSUPP: return ENOTSUP;
    default: break;
  }
  if (n > 0 && n < 100) return WSA_BASE + n;
  if (n > WSA_BASE) return n;
  return EIO;
}

int bsdsock__os_crt_portable(int e) {
  switch (e) {
#define BSDSOCK__CASE(name) case name: return BSDSOCK_##name;
    BSDSOCK__CRT_ERRNO_MAP(BSDSOCK__CASE)
#undef BSDSOCK__CASE
    case ENOTSUP: return BSDSOCK_EOPNOTSUPP;
    case EOPNOTSUPP: return BSDSOCK_EOPNOTSUPP;   /* the runtime's 130 */
    case EWOULDBLOCK: return BSDSOCK_EAGAIN;      /* the runtime's 140 */
    default: break;
  }
  if (e > WSA_BASE && e < WSA_BASE + 100) return -(e - WSA_BASE);
  if (e > WSA_BASE) return -e;
  return 0;
}
