/* SPDX-License-Identifier: MIT */
/*
 * src/fault.h - the fault-injection seam.
 *
 * Every operating-system call bsdsock makes goes through BSDSOCK__OS() (or
 * BSDSOCK__OS_RC() for calls that return their error code), named by an
 * entry of BSDSOCK__SYSCALLS. In a build with BSDSOCK_FAULT_INJECTION a
 * test can make any of them fail with a native error of its choice
 * (bsdsock__fault_set), which is how every failure path of the library is
 * exercised without a broken network (SQLite's syscall table is the model,
 * docs/design.md "Fault injection"). In release builds the macros are the
 * plain call: no table, no indirect call, no cost.
 */
#ifndef BSDSOCK_FAULT_H
#define BSDSOCK_FAULT_H

/* X(id): one row per OS call, or per group of calls that fail for one
 * reason. A backend that never makes a call simply never crosses its seam
 * (bsdsock__fault_calls() tells a test which ones it crossed). */
#define BSDSOCK__SYSCALLS(X)                                                 \
  X(startup)      /* WSAStartup */                                           \
  X(socket)       /* socket(), WSASocketW() */                               \
  X(socketpair)   /* socketpair() */                                         \
  X(sockdefault)  /* the options every new socket gets (V6ONLY, ...) */      \
  X(cloexec)      /* FD_CLOEXEC / handle inheritance, where not atomic */    \
  X(bind)                                                                    \
  X(listen)                                                                  \
  X(accept)                                                                  \
  X(connect)                                                                 \
  X(shutdown)                                                                \
  X(close)                                                                   \
  X(getsockname)                                                             \
  X(getpeername)                                                             \
  X(setsockopt)                                                              \
  X(keepalive)    /* SIO_KEEPALIVE_VALS, where TCP_KEEPIDLE is refused */    \
  X(getsockopt)                                                              \
  X(nonblock)     /* FIONBIO, and reading the mode (F_GETFL) */              \
  X(send)                                                                    \
  X(recv)                                                                    \
  X(sendto)                                                                  \
  X(recvfrom)                                                                \
  X(sendmsg)      /* sendmsg(), WSASendTo() (also overlapped, nowait) */     \
  X(recvmsg)      /* recvmsg(), WSARecvFrom() (also overlapped, nowait) */   \
  X(sendmmsg)                                                                \
  X(recvmmsg)                                                                \
  X(wait)         /* poll(), select() */                                     \
  X(classify)     /* the zero-timeout WSAPoll after select() */              \
  X(getaddrinfo)                                                             \
  X(getnameinfo)                                                             \
  X(alloc)        /* malloc() and calloc() */                                \
  X(fdtable)      /* the descriptor table making room for a number */        \
  X(placeholder)  /* the CRT descriptor a Windows or remote socket holds */  \
  X(gsoprobe)     /* asking whether a socket takes UDP_SEGMENT */            \
  X(sigmask)      /* blocking SIGPIPE around a send, where needed */         \
  X(nowait)       /* the event of a call that must not wait (Winsock) */     \
  X(extfn)        /* WSARecvMsg/WSASendMsg's pointers (WSAIoctl), per use */ \
  X(pipe)         /* pipe(), _pipe() (the drop-in <unistd.h>) */             \
  X(peek)         /* asking a pipe, the console or a file if it is ready */ \
  X(pollernew)    /* epoll_create1(), CreateIoCompletionPort() */            \
  X(afdopen)      /* NtCreateFile of the AFD device, tied to the port */     \
  X(afdmode)      /* SetFileCompletionNotificationModes of the AFD handle */ \
  X(basehandle)   /* WSAIoctl(SIO_BASE_HANDLE) */                            \
  X(pollerctl)    /* epoll_ctl(), NtDeviceIoControlFile(IOCTL_AFD_POLL) */   \
  X(pollerwait)   /* epoll_wait(), GetQueuedCompletionStatusEx() */          \
  X(pollercancel) /* NtCancelIoFileEx of an AFD poll (modify, delete) */     \
  X(ifname)       /* if_nametoindex(), if_indextoname() */                   \
  X(ifaddrs)      /* getifaddrs(), GetAdaptersAddresses() */                 \
  X(ifmtu)        /* SIOCGIFMTU, where the list has no MTU */                \
  X(hostname)     /* gethostname() */                                        \
  X(ifwatch)      /* a watch: netlink socket(), bind(); Notify*Change(), */  \
                  /* CancelMibChangeNotify2(), the wake-up send() */         \
  X(ifwatchrd)    /* reading a watch: netlink recvfrom(), the wake-up byte */\
  X(ifluid)       /* ConvertInterfaceLuidToNameA(): an interface's name */   \
  X(tmpdir)       /* GetTempPathA(), getenv("TMPDIR"): a transient path */   \
  X(unlink)       /* DeleteFileA(), unlink(): a transient socket file */

enum bsdsock__syscall {
#define BSDSOCK__SYS_ENUM(id) BSDSOCK__SYS_##id,
  BSDSOCK__SYSCALLS(BSDSOCK__SYS_ENUM)
#undef BSDSOCK__SYS_ENUM
  BSDSOCK__SYS_COUNT
};

#if defined(BSDSOCK_FAULT_INJECTION) && BSDSOCK_FAULT_INJECTION

/* Crosses the seam of id: 1 (after setting the thread's native error to
 * the armed code) if this call must fail, else 0. */
int bsdsock__fault_hit(enum bsdsock__syscall id);

/* The native code the last hit on this thread injected. */
int bsdsock__fault_code(void);

# define BSDSOCK__OS(id, failed, call)                                       \
  (bsdsock__fault_hit(BSDSOCK__SYS_##id) ? (failed) : (call))
# define BSDSOCK__OS_RC(id, call)                                            \
  (bsdsock__fault_hit(BSDSOCK__SYS_##id) ? bsdsock__fault_code() : (call))

#else

# define BSDSOCK__OS(id, failed, call) (call)
# define BSDSOCK__OS_RC(id, call) (call)

#endif

/* ---- the test interface (a no-op, returning 0, in release builds) ------- */

/* Makes calls of id fail with the native error code `native` (an errno or
 * WSA value; for getaddrinfo/getnameinfo their EAI_* return value): the
 * `after` calls that come first succeed, then `count` fail (count < 0:
 * every one). Arming replaces what id had. Returns 0, or BSDSOCK_ENOSYS
 * when the build has no seam. */
int bsdsock__fault_set(int id, int native, int after, int count);

/* Disarms every seam and zeroes the call counters. */
void bsdsock__fault_reset(void);

/* How often id's seam was crossed since the last reset (its calls made,
 * failed or not). */
unsigned long bsdsock__fault_calls(int id);

/* How many injected failures id produced since the last reset. */
unsigned long bsdsock__fault_hits(int id);

/* The seam's name ("socket", ...), or NULL for an id out of range. */
const char *bsdsock__fault_name(int id);

#endif /* BSDSOCK_FAULT_H */
