/* SPDX-License-Identifier: MIT */
/*
 * <signal.h> for Windows, from bsdsock's compat directory: the C
 * runtime's own header plus SIGPIPE, which Windows lacks, so that
 * `signal(SIGPIPE, SIG_IGN)` builds and is a harmless no-op (no bsdsock
 * call raises SIGPIPE), and a sigaction() reduced to what the runtime has
 * (see bsdsock/bsd.h and docs/compat.md). Light on purpose: system
 * headers (pthread.h, sched.h) include it too.
 */
#include_next <signal.h>
#ifndef BSDSOCK_COMPAT_SIGNAL_H
#define BSDSOCK_COMPAT_SIGNAL_H
#include <sys/types.h>
#include <bsdsock/compat_bsd.h>

#ifndef SIGPIPE
# define SIGPIPE BSDSOCK_COMPAT_SIGPIPE
#endif
#define signal bsdsock_compat_signal
#ifndef _POSIX
typedef _sigset_t sigset_t;
#endif

/* sigaction() reduced to what the C runtime can do: sa_handler goes
 * through signal() above; sa_mask and sa_flags are accepted and ignored.
 * Returns 0, or -1 with errno EINVAL (unknown signal, SIG_ERR). */
struct sigaction {
  void (*sa_handler)(int);
  sigset_t sa_mask;
  int sa_flags;
};
#define SA_RESTART 0x10000000  /* accepted; the runtime restarts nothing */

static inline int bsdsock_compat_sigaction(int sig,
                                           const struct sigaction *act,
                                           struct sigaction *old) {
  bsdsock_compat_sighandler_t prev;
  if (act != NULL) {
    prev = bsdsock_compat_signal(sig, act->sa_handler);
  } else {
    /* signal() can only read the disposition by setting one. */
    prev = bsdsock_compat_signal(sig, SIG_DFL);
    if (prev != SIG_ERR) bsdsock_compat_signal(sig, prev);
  }
  if (prev == SIG_ERR) return -1;
  if (old != NULL) {
    old->sa_handler = prev;
    old->sa_mask = 0;
    old->sa_flags = 0;
  }
  return 0;
}
#define sigaction(sig, act, old) bsdsock_compat_sigaction((sig), (act), (old))
/* Signal sets, for sa_mask (which nothing reads). */
static inline int bsdsock_compat_sigemptyset(sigset_t *set) {
  *set = 0;
  return 0;
}
static inline int bsdsock_compat_sigfillset(sigset_t *set) {
  *set = ~(sigset_t)0;
  return 0;
}
static inline int bsdsock_compat_sigaddset(sigset_t *set, int sig) {
  if (sig <= 0 || sig >= 64) return -1;
  *set |= (sigset_t)1 << sig;
  return 0;
}
static inline int bsdsock_compat_sigdelset(sigset_t *set, int sig) {
  if (sig <= 0 || sig >= 64) return -1;
  *set &= ~((sigset_t)1 << sig);
  return 0;
}
static inline int bsdsock_compat_sigismember(const sigset_t *set, int sig) {
  return sig > 0 && sig < 64 && ((*set >> sig) & 1);
}
#define sigemptyset bsdsock_compat_sigemptyset
#define sigfillset bsdsock_compat_sigfillset
#define sigaddset bsdsock_compat_sigaddset
#define sigdelset bsdsock_compat_sigdelset
#define sigismember bsdsock_compat_sigismember

#endif /* BSDSOCK_COMPAT_SIGNAL_H */
