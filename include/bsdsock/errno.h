/* SPDX-License-Identifier: MIT */
/*
 * bsdsock/errno.h - portable error codes.
 *
 * Every bsdsock call that fails returns a negative code from this table; the
 * code is the same on every platform and never changes once released.
 *
 *   1 .. 97       the 4.4BSD errno numbers (FreeBSD for the few POSIX codes
 *                 added after 4.4BSD). Winsock numbers its socket errors the
 *                 same way above WSABASEERR, so WSAECONNREFUSED (10061) and
 *                 BSD ECONNREFUSED (61) are both BSDSOCK_ECONNREFUSED (-61).
 *   3001 .. 3014  resolver errors (getaddrinfo/getnameinfo): 3000 + the
 *                 FreeBSD EAI_* number.
 *   10091 .. 11031  conditions that exist only in Winsock (provider and QoS
 *                 failures); the code is the WSA number itself.
 *   9999          BSDSOCK_EUNKNOWN: a native code with no portable meaning;
 *                 bsdsock_last_native_error() tells which one.
 *
 * BSDSOCK_ERRNO_MAP(XX) is the one table: XX(name, number, message). It
 * defines the constants below and drives bsdsock_strerror() and
 * bsdsock_err_name(); the backends' native-code tables map onto its names.
 */
#ifndef BSDSOCK_ERRNO_H
#define BSDSOCK_ERRNO_H

#define BSDSOCK_ERRNO_MAP(XX)                                                 \
  XX(EPERM,            1, "operation not permitted")                         \
  XX(ENOENT,           2, "no such file or directory")                       \
  XX(ESRCH,            3, "no such process")                                 \
  XX(EINTR,            4, "interrupted system call")                         \
  XX(EIO,              5, "input/output error")                              \
  XX(ENXIO,            6, "device not configured")                           \
  XX(E2BIG,            7, "argument list too long")                          \
  XX(ENOEXEC,          8, "exec format error")                               \
  XX(EBADF,            9, "bad file descriptor")                             \
  XX(ECHILD,          10, "no child processes")                              \
  XX(EDEADLK,         11, "resource deadlock avoided")                       \
  XX(ENOMEM,          12, "cannot allocate memory")                          \
  XX(EACCES,          13, "permission denied")                               \
  XX(EFAULT,          14, "bad address")                                     \
  XX(ENOTBLK,         15, "block device required")                           \
  XX(EBUSY,           16, "device busy")                                     \
  XX(EEXIST,          17, "file exists")                                     \
  XX(EXDEV,           18, "cross-device link")                               \
  XX(ENODEV,          19, "operation not supported by device")               \
  XX(ENOTDIR,         20, "not a directory")                                 \
  XX(EISDIR,          21, "is a directory")                                  \
  XX(EINVAL,          22, "invalid argument")                                \
  XX(ENFILE,          23, "too many open files in system")                   \
  XX(EMFILE,          24, "too many open files")                             \
  XX(ENOTTY,          25, "inappropriate ioctl for device")                  \
  XX(ETXTBSY,         26, "text file busy")                                  \
  XX(EFBIG,           27, "file too large")                                  \
  XX(ENOSPC,          28, "no space left on device")                         \
  XX(ESPIPE,          29, "illegal seek")                                    \
  XX(EROFS,           30, "read-only file system")                           \
  XX(EMLINK,          31, "too many links")                                  \
  XX(EPIPE,           32, "broken pipe")                                     \
  XX(EDOM,            33, "numerical argument out of domain")                \
  XX(ERANGE,          34, "result too large")                                \
  XX(EAGAIN,          35, "resource temporarily unavailable")                \
  XX(EINPROGRESS,     36, "operation now in progress")                       \
  XX(EALREADY,        37, "operation already in progress")                   \
  XX(ENOTSOCK,        38, "socket operation on non-socket")                  \
  XX(EDESTADDRREQ,    39, "destination address required")                   \
  XX(EMSGSIZE,        40, "message too long")                                \
  XX(EPROTOTYPE,      41, "protocol wrong type for socket")                  \
  XX(ENOPROTOOPT,     42, "protocol not available")                          \
  XX(EPROTONOSUPPORT, 43, "protocol not supported")                          \
  XX(ESOCKTNOSUPPORT, 44, "socket type not supported")                       \
  XX(EOPNOTSUPP,      45, "operation not supported")                         \
  XX(EPFNOSUPPORT,    46, "protocol family not supported")                   \
  XX(EAFNOSUPPORT,    47, "address family not supported by protocol family") \
  XX(EADDRINUSE,      48, "address already in use")                          \
  XX(EADDRNOTAVAIL,   49, "can't assign requested address")                  \
  XX(ENETDOWN,        50, "network is down")                                 \
  XX(ENETUNREACH,     51, "network is unreachable")                          \
  XX(ENETRESET,       52, "network dropped connection on reset")             \
  XX(ECONNABORTED,    53, "software caused connection abort")                \
  XX(ECONNRESET,      54, "connection reset by peer")                        \
  XX(ENOBUFS,         55, "no buffer space available")                       \
  XX(EISCONN,         56, "socket is already connected")                     \
  XX(ENOTCONN,        57, "socket is not connected")                         \
  XX(ESHUTDOWN,       58, "can't send after socket shutdown")                \
  XX(ETOOMANYREFS,    59, "too many references: can't splice")               \
  XX(ETIMEDOUT,       60, "operation timed out")                             \
  XX(ECONNREFUSED,    61, "connection refused")                              \
  XX(ELOOP,           62, "too many levels of symbolic links")               \
  XX(ENAMETOOLONG,    63, "file name too long")                              \
  XX(EHOSTDOWN,       64, "host is down")                                    \
  XX(EHOSTUNREACH,    65, "no route to host")                                \
  XX(ENOTEMPTY,       66, "directory not empty")                             \
  XX(EPROCLIM,        67, "too many processes")                              \
  XX(EUSERS,          68, "too many users")                                  \
  XX(EDQUOT,          69, "disc quota exceeded")                             \
  XX(ESTALE,          70, "stale NFS file handle")                           \
  XX(EREMOTE,         71, "too many levels of remote in path")               \
  XX(EBADRPC,         72, "RPC struct is bad")                               \
  XX(ERPCMISMATCH,    73, "RPC version wrong")                               \
  XX(EPROGUNAVAIL,    74, "RPC program not available")                       \
  XX(EPROGMISMATCH,   75, "program version wrong")                           \
  XX(EPROCUNAVAIL,    76, "bad procedure for program")                      \
  XX(ENOLCK,          77, "no locks available")                              \
  XX(ENOSYS,          78, "function not implemented")                        \
  XX(EFTYPE,          79, "inappropriate file type or format")               \
  XX(EAUTH,           80, "authentication error")                            \
  XX(ENEEDAUTH,       81, "need authenticator")                              \
  XX(EIDRM,           82, "identifier removed")                              \
  XX(ENOMSG,          83, "no message of desired type")                      \
  XX(EOVERFLOW,       84, "value too large to be stored in data type")       \
  XX(ECANCELED,       85, "operation canceled")                              \
  XX(EILSEQ,          86, "illegal byte sequence")                           \
  XX(ENOATTR,         87, "attribute not found")                             \
  XX(EBADMSG,         89, "bad message")                                     \
  XX(EMULTIHOP,       90, "multihop attempted")                              \
  XX(ENOLINK,         91, "link has been severed")                           \
  XX(EPROTO,          92, "protocol error")                                  \
  XX(ENOTRECOVERABLE, 95, "state not recoverable")                           \
  XX(EOWNERDEAD,      96, "previous owner died")                             \
  XX(EAI_ADDRFAMILY, 3001, "address family for host not supported")         \
  XX(EAI_AGAIN,      3002, "temporary failure in name resolution")          \
  XX(EAI_BADFLAGS,   3003, "invalid value for ai_flags")                     \
  XX(EAI_FAIL,       3004, "non-recoverable failure in name resolution")    \
  XX(EAI_FAMILY,     3005, "ai_family not supported")                        \
  XX(EAI_MEMORY,     3006, "memory allocation failure")                      \
  XX(EAI_NODATA,     3007, "no address associated with hostname")           \
  XX(EAI_NONAME,     3008, "hostname or servname not provided, or not known")\
  XX(EAI_SERVICE,    3009, "servname not supported for ai_socktype")         \
  XX(EAI_SOCKTYPE,   3010, "ai_socktype not supported")                      \
  XX(EAI_SYSTEM,     3011, "system error returned in errno")                 \
  XX(EAI_BADHINTS,   3012, "invalid value for hints")                        \
  XX(EAI_PROTOCOL,   3013, "resolved protocol is unknown")                   \
  XX(EAI_OVERFLOW,   3014, "argument buffer overflow")                       \
  XX(EUNKNOWN,       9999, "unknown error")                                  \
  XX(ESYSNOTREADY,  10091, "network subsystem is unavailable")               \
  XX(EVERNOTSUPPORTED, 10092, "Winsock version out of range")               \
  XX(ENOTINITIALISED, 10093, "Winsock is not initialised")                  \
  XX(EDISCON,       10101, "graceful shutdown in progress")                  \
  XX(ENOMORE,       10102, "no more results")                                \
  XX(EINVALIDPROCTABLE, 10104, "invalid service provider procedure table")  \
  XX(EINVALIDPROVIDER, 10105, "invalid service provider version")           \
  XX(EPROVIDERFAILEDINIT, 10106, "service provider failed to initialise")   \
  XX(ESYSCALLFAILURE, 10107, "system call failure")                         \
  XX(ESERVICE_NOT_FOUND, 10108, "service not found")                        \
  XX(ETYPE_NOT_FOUND, 10109, "class type not found")                        \
  XX(EREFUSED,      10112, "database query was refused")                     \
  XX(EQOS_RECEIVERS, 11005, "QoS: at least one reserve has arrived")        \
  XX(EQOS_SENDERS,  11006, "QoS: at least one path has arrived")            \
  XX(EQOS_NO_SENDERS, 11007, "QoS: there are no senders")                   \
  XX(EQOS_NO_RECEIVERS, 11008, "QoS: there are no receivers")               \
  XX(EQOS_REQUEST_CONFIRMED, 11009, "QoS: reserve has been confirmed")      \
  XX(EQOS_ADMISSION_FAILURE, 11010, "QoS: admission failure")               \
  XX(EQOS_POLICY_FAILURE, 11011, "QoS: policy failure")                     \
  XX(EQOS_BAD_STYLE, 11012, "QoS: unknown reservation style")               \
  XX(EQOS_BAD_OBJECT, 11013, "QoS: bad object")                             \
  XX(EQOS_TRAFFIC_CTRL_ERROR, 11014, "QoS: traffic control error")          \
  XX(EQOS_GENERIC_ERROR, 11015, "QoS: generic error")                       \
  XX(EQOS_ESERVICETYPE, 11016, "QoS: invalid service type")                 \
  XX(EQOS_EFLOWSPEC, 11017, "QoS: invalid flowspec")                        \
  XX(EQOS_EPROVSPECBUF, 11018, "QoS: invalid provider-specific buffer")     \
  XX(EQOS_EFILTERSTYLE, 11019, "QoS: invalid filter style")                 \
  XX(EQOS_EFILTERTYPE, 11020, "QoS: invalid filter type")                   \
  XX(EQOS_EFILTERCOUNT, 11021, "QoS: incorrect number of filters")          \
  XX(EQOS_EOBJLENGTH, 11022, "QoS: invalid object length")                  \
  XX(EQOS_EFLOWCOUNT, 11023, "QoS: incorrect number of flows")              \
  XX(EQOS_EUNKOWNPSOBJ, 11024, "QoS: unknown object in provider buffer")    \
  XX(EQOS_EPOLICYOBJ, 11025, "QoS: invalid policy object")                  \
  XX(EQOS_EFLOWDESC, 11026, "QoS: invalid flow descriptor")                 \
  XX(EQOS_EPSFLOWSPEC, 11027, "QoS: invalid provider-specific flowspec")    \
  XX(EQOS_EPSFILTERSPEC, 11028, "QoS: invalid provider-specific filterspec")\
  XX(EQOS_ESDMODEOBJ, 11029, "QoS: invalid shape discard mode object")      \
  XX(EQOS_ESHAPERATEOBJ, 11030, "QoS: invalid shaping rate object")         \
  XX(EQOS_RESERVED_PETYPE, 11031, "QoS: reserved policy element type")

enum {
#define BSDSOCK__ERR_ENUM(name, num, msg) BSDSOCK_##name = -(num),
  BSDSOCK_ERRNO_MAP(BSDSOCK__ERR_ENUM)
#undef BSDSOCK__ERR_ENUM
  BSDSOCK_EWOULDBLOCK = BSDSOCK_EAGAIN,  /* one code, as on BSD */
  BSDSOCK_ENOTSUP = BSDSOCK_EOPNOTSUPP   /* one code, as on BSD */
};

#endif /* BSDSOCK_ERRNO_H */
