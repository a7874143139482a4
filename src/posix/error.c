/* SPDX-License-Identifier: MIT */
/*
 * src/posix/error.c - errno -> portable error translation.
 *
 * One row per errno value Linux defines that a socket, option, resolver or
 * descriptor call can return. Where the BSD name exists the row maps the
 * errno to the portable code of the same name; Linux-only codes map to the
 * nearest BSD meaning (the native value stays in bsdsock_last_native_error).
 * Codes that no socket call produces (ELIBBAD, EADV, ...) have no row and
 * translate to BSDSOCK_EUNKNOWN.
 */
#include "../internal.h"

#define BSDSOCK__POSIX_ERRNO_MAP(X)                                          \
  X(EPERM, EPERM) X(ENOENT, ENOENT) X(ESRCH, ESRCH) X(EINTR, EINTR)          \
  X(EIO, EIO) X(ENXIO, ENXIO) X(E2BIG, E2BIG) X(ENOEXEC, ENOEXEC)            \
  X(EBADF, EBADF) X(ECHILD, ECHILD) X(EAGAIN, EAGAIN) X(ENOMEM, ENOMEM)      \
  X(EACCES, EACCES) X(EFAULT, EFAULT) X(ENOTBLK, ENOTBLK) X(EBUSY, EBUSY)    \
  X(EEXIST, EEXIST) X(EXDEV, EXDEV) X(ENODEV, ENODEV) X(ENOTDIR, ENOTDIR)    \
  X(EISDIR, EISDIR) X(EINVAL, EINVAL) X(ENFILE, ENFILE) X(EMFILE, EMFILE)    \
  X(ENOTTY, ENOTTY) X(ETXTBSY, ETXTBSY) X(EFBIG, EFBIG) X(ENOSPC, ENOSPC)    \
  X(ESPIPE, ESPIPE) X(EROFS, EROFS) X(EMLINK, EMLINK) X(EPIPE, EPIPE)        \
  X(EDOM, EDOM) X(ERANGE, ERANGE) X(EDEADLK, EDEADLK)                        \
  X(ENAMETOOLONG, ENAMETOOLONG) X(ENOLCK, ENOLCK) X(ENOSYS, ENOSYS)          \
  X(ENOTEMPTY, ENOTEMPTY) X(ELOOP, ELOOP) X(ENOMSG, ENOMSG) X(EIDRM, EIDRM)  \
  X(EREMOTE, EREMOTE) X(ENOLINK, ENOLINK) X(EPROTO, EPROTO)                  \
  X(EMULTIHOP, EMULTIHOP) X(EBADMSG, EBADMSG) X(EOVERFLOW, EOVERFLOW)        \
  X(EILSEQ, EILSEQ) X(EUSERS, EUSERS) X(ENOTSOCK, ENOTSOCK)                  \
  X(EDESTADDRREQ, EDESTADDRREQ) X(EMSGSIZE, EMSGSIZE)                        \
  X(EPROTOTYPE, EPROTOTYPE) X(ENOPROTOOPT, ENOPROTOOPT)                      \
  X(EPROTONOSUPPORT, EPROTONOSUPPORT) X(ESOCKTNOSUPPORT, ESOCKTNOSUPPORT)    \
  X(EOPNOTSUPP, EOPNOTSUPP) X(EPFNOSUPPORT, EPFNOSUPPORT)                    \
  X(EAFNOSUPPORT, EAFNOSUPPORT) X(EADDRINUSE, EADDRINUSE)                    \
  X(EADDRNOTAVAIL, EADDRNOTAVAIL) X(ENETDOWN, ENETDOWN)                      \
  X(ENETUNREACH, ENETUNREACH) X(ENETRESET, ENETRESET)                        \
  X(ECONNABORTED, ECONNABORTED) X(ECONNRESET, ECONNRESET)                    \
  X(ENOBUFS, ENOBUFS) X(EISCONN, EISCONN) X(ENOTCONN, ENOTCONN)              \
  X(ESHUTDOWN, ESHUTDOWN) X(ETOOMANYREFS, ETOOMANYREFS)                      \
  X(ETIMEDOUT, ETIMEDOUT) X(ECONNREFUSED, ECONNREFUSED)                      \
  X(EHOSTDOWN, EHOSTDOWN) X(EHOSTUNREACH, EHOSTUNREACH)                      \
  X(EALREADY, EALREADY) X(EINPROGRESS, EINPROGRESS) X(ESTALE, ESTALE)        \
  X(EDQUOT, EDQUOT) X(ECANCELED, ECANCELED) X(EOWNERDEAD, EOWNERDEAD)        \
  X(ENOTRECOVERABLE, ENOTRECOVERABLE)                                        \
  /* Linux-only codes, mapped to the nearest BSD meaning. */                 \
  X(ENODATA, ENOATTR)      /* getsockopt of an absent attribute */           \
  X(ETIME, ETIMEDOUT)      /* timer expired */                               \
  X(ENOSR, ENOBUFS)        /* out of streams resources */                    \
  X(ENONET, EHOSTUNREACH)  /* machine is not on the network */               \
  X(ECOMM, EIO)            /* communication error on send */                 \
  X(EBADFD, EBADF)         /* descriptor in bad state */                     \
  X(ENOTUNIQ, EADDRINUSE)  /* name not unique on network */                  \
  X(EREMOTEIO, EIO) X(EUCLEAN, EIO) X(EHWPOISON, EIO)                        \
  X(ERESTART, EINTR)       /* should never reach user space */               \
  X(ESTRPIPE, EPIPE)       /* streams pipe error */                          \
  X(ENOKEY, EACCES) X(EKEYEXPIRED, EACCES) X(EKEYREVOKED, EACCES)            \
  X(EKEYREJECTED, EACCES)  /* kernel TLS / keyring */                        \
  X(ERFKILL, ENETDOWN)     /* radio switched off (Bluetooth sockets) */      \
  X(ENOMEDIUM, ENXIO) X(EMEDIUMTYPE, ENXIO)                                  \
  X(EXFULL, ENOBUFS)       /* exchange full */

static const struct bsdsock__errmap errmap[] = {
#define BSDSOCK__ROW(native, portable) {native, BSDSOCK_##portable, #native},
  BSDSOCK__POSIX_ERRNO_MAP(BSDSOCK__ROW)
#undef BSDSOCK__ROW
};

const struct bsdsock__errmap *bsdsock__errmap(size_t *count) {
  *count = sizeof(errmap) / sizeof(errmap[0]);
  return errmap;
}

int bsdsock__os_translate(int native) {
  /* A switch generated from the same table: O(1), and a duplicate row is a
   * compile error rather than a silent shadow. */
  switch (native) {
#define BSDSOCK__CASE(n, portable) case n: return BSDSOCK_##portable;
    BSDSOCK__POSIX_ERRNO_MAP(BSDSOCK__CASE)
#undef BSDSOCK__CASE
    default: return BSDSOCK_EUNKNOWN;
  }
}

int bsdsock__os_error(void) {
  return errno;
}

void bsdsock__os_set_error(int native) {
  errno = native;
}

/* The C runtime's errno is the kernel's here: the table above, read the
 * other way (0 when no errno has the portable meaning). */
int bsdsock__os_crt_errno(int portable) {
  size_t i;
  for (i = 0; i < sizeof(errmap) / sizeof(errmap[0]); i++)
    if (errmap[i].portable == portable) return errmap[i].native;
  return 0;
}

int bsdsock__os_crt_portable(int e) {
  int portable = bsdsock__os_translate(e);
  return portable == BSDSOCK_EUNKNOWN ? 0 : portable;
}
