/* SPDX-License-Identifier: MIT */
/* tests/support/sysutil_posix.c - clock, sleep and threads for POSIX. */
#define _POSIX_C_SOURCE 200809L
#if defined(__linux__)
# define _GNU_SOURCE 1 /* unshare(), CLONE_NEWNET */
#endif
#include "sysutil.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
# include <sys/prctl.h>  /* PR_SET_PDEATHSIG for su_process_start */
#endif

#if defined(__linux__) && defined(__has_include)
# if __has_include(<linux/rtnetlink.h>)
#  define SU_HAVE_NETLINK 1
# endif
#endif
#if defined(SU_HAVE_NETLINK)
# include <errno.h>
# include <sched.h>
# include <unistd.h>
# include <sys/socket.h>
# include <sys/time.h>
# include <net/if.h>
# include <linux/netlink.h>
# include <linux/rtnetlink.h>
#endif

uint64_t su_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void su_sleep_ms(int ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  /* nanosleep leaves the time still to sleep in ts when a signal ends it
   * early (the tests send themselves signals). */
  while (nanosleep(&ts, &ts) != 0) {
  }
}

struct su_thread {
  pthread_t id;
  void (*fn)(void *);
  void *arg;
};

static void *thread_main(void *p) {
  su_thread_t *t = p;
  t->fn(t->arg);
  return NULL;
}

su_thread_t *su_thread_start(void (*fn)(void *), void *arg) {
  su_thread_t *t = malloc(sizeof(*t));
  if (t == NULL) return NULL;
  t->fn = fn;
  t->arg = arg;
  if (pthread_create(&t->id, NULL, thread_main, t) != 0) {
    free(t);
    return NULL;
  }
  return t;
}

void su_thread_join(su_thread_t *t) {
  pthread_join(t->id, NULL);
  free(t);
}

/* ---- a private network namespace ------------------------------------------ */

struct su_process {
  pid_t pid;
};

su_process_t *su_process_start(const char *const *argv, int quiet) {
  su_process_t *p = malloc(sizeof(*p));
  /* execv's argv is not const for historical reasons only. */
  union {
    const char *const *in;
    char *const *out;
  } args;
  if (p == NULL) return NULL;
  args.in = argv;
  p->pid = fork();
  if (p->pid == 0) {
#ifdef PR_SET_PDEATHSIG
    /* A test or bench that crashes takes its server with it: an orphan
     * would hold ctest's output pipe open until the test's timeout. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (quiet) {
      int null = open("/dev/null", O_RDWR);
      if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (null > 2) close(null);
      }
    }
    execv(argv[0], args.out);
    _exit(127);
  }
  if (p->pid < 0) {
    free(p);
    return NULL;
  }
  return p;
}

void su_process_kill(su_process_t *p) {
  int status;
  if (p == NULL) return;
  kill(p->pid, SIGKILL);
  waitpid(p->pid, &status, 0);
  free(p);
}

void su_temp_path(char *buf, size_t size, const char *name) {
  const char *dir = getenv("TMPDIR");
  snprintf(buf, size, "%s/bsdsock-%ld-%s", dir && *dir ? dir : "/tmp",
           (long)getpid(), name);
  unlink(buf);
}

void su_remove_path(const char *path) {
  unlink(path);
}

#if defined(SU_HAVE_NETLINK)

int su_netns_private(char *why, size_t size) {
  if (unshare(CLONE_NEWNET) != 0) {
    snprintf(why, size, "unshare(CLONE_NEWNET): %s (needs CAP_SYS_ADMIN)",
             strerror(errno));
    return -1;
  }
  return 0;
}

/* One rtnetlink request and its acknowledgement (5 s at most). */
static int nl_request(struct nlmsghdr *req, const char *what, char *why,
                      size_t size) {
  struct sockaddr_nl kernel;
  struct timeval tv = {5, 0};
  union {
    struct nlmsghdr h;
    char b[4096];
  } ack;
  ssize_t got;
  int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), err;
  if (s < 0) {
    snprintf(why, size, "%s: netlink socket: %s", what, strerror(errno));
    return -1;
  }
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  memset(&kernel, 0, sizeof(kernel));
  kernel.nl_family = AF_NETLINK;
  req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
  req->nlmsg_seq = 1;
  if (sendto(s, req, req->nlmsg_len, 0, (struct sockaddr *)&kernel,
             sizeof(kernel)) < 0) {
    snprintf(why, size, "%s: send: %s", what, strerror(errno));
    close(s);
    return -1;
  }
  got = recv(s, &ack, sizeof(ack), 0);
  err = errno;
  close(s);
  if (got < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) ||
      ack.h.nlmsg_type != NLMSG_ERROR) {
    snprintf(why, size, "%s: no acknowledgement (%s)", what,
             got < 0 ? strerror(err) : "short or unexpected reply");
    return -1;
  }
  err = ((struct nlmsgerr *)NLMSG_DATA(&ack.h))->error;
  if (err != 0) {
    snprintf(why, size, "%s: %s", what, strerror(-err));
    return -1;
  }
  return 0;
}

/* Appends attribute type of len bytes to message h (room checked by the
 * caller's buffer size). */
static void nl_attr(struct nlmsghdr *h, unsigned short type, const void *data,
                    size_t len) {
  struct rtattr *rta = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));
  rta->rta_type = type;
  rta->rta_len = (unsigned short)RTA_LENGTH(len);
  memcpy(RTA_DATA(rta), data, len);
  h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

int su_if_up(unsigned ifindex, int up, char *why, size_t size) {
  union {
    struct nlmsghdr h;
    char b[256];
  } req;
  struct ifinfomsg *ifi;
  memset(&req, 0, sizeof(req));
  req.h.nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
  req.h.nlmsg_type = RTM_NEWLINK;
  ifi = NLMSG_DATA(&req.h);
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = (int)ifindex;
  ifi->ifi_flags = up ? IFF_UP : 0;
  ifi->ifi_change = IFF_UP;
  return nl_request(&req.h, up ? "RTM_NEWLINK (up)" : "RTM_NEWLINK (down)",
                    why, size);
}

int su_if_addr_ip4(unsigned ifindex, const uint8_t ip4[4], unsigned prefixlen,
                   int add, char *why, size_t size) {
  union {
    struct nlmsghdr h;
    char b[256];
  } req;
  struct ifaddrmsg *ifa;
  memset(&req, 0, sizeof(req));
  req.h.nlmsg_len = NLMSG_LENGTH(sizeof(*ifa));
  req.h.nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
  req.h.nlmsg_flags = add ? NLM_F_CREATE | NLM_F_EXCL : 0;
  ifa = NLMSG_DATA(&req.h);
  ifa->ifa_family = AF_INET;
  ifa->ifa_prefixlen = (unsigned char)prefixlen;
  ifa->ifa_scope = RT_SCOPE_HOST;
  ifa->ifa_index = ifindex;
  nl_attr(&req.h, IFA_LOCAL, ip4, 4);
  nl_attr(&req.h, IFA_ADDRESS, ip4, 4);
  return nl_request(&req.h, add ? "RTM_NEWADDR" : "RTM_DELADDR", why, size);
}

#else /* not Linux, or no kernel headers */

static int unsupported(char *why, size_t size) {
  snprintf(why, size,
           "unsupported: no per-thread network namespace here (or no "
           "<linux/rtnetlink.h> to change one)");
  return -1;
}

int su_netns_private(char *why, size_t size) {
  return unsupported(why, size);
}

int su_if_up(unsigned ifindex, int up, char *why, size_t size) {
  (void)ifindex;
  (void)up;
  return unsupported(why, size);
}

int su_if_addr_ip4(unsigned ifindex, const uint8_t ip4[4], unsigned prefixlen,
                   int add, char *why, size_t size) {
  (void)ifindex;
  (void)ip4;
  (void)prefixlen;
  (void)add;
  return unsupported(why, size);
}

#endif
