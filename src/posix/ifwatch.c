/* SPDX-License-Identifier: MIT */
/*
 * src/posix/ifwatch.c - interface watches on POSIX (src/os.h).
 *
 * Linux: the watch is a NETLINK_ROUTE socket bound to the link and the
 * IPv4 and IPv6 address groups, non-blocking and close-on-exec; the
 * kernel queues one datagram per change, so the socket itself is the
 * descriptor poll sees readable and its receive queue is the watch's
 * queue. A full queue makes the next receive fail with ENOBUFS, which is
 * the resync event. Datagrams that do not come from the kernel (any local
 * process can send to the socket's port) are dropped (quirk Q65).
 *
 * Other POSIX systems (the BSDs' PF_ROUTE socket would be next): the
 * open fails with BSDSOCK_EOPNOTSUPP. That path is compiled only there,
 * and is untested.
 */
#include "../internal.h"

#ifdef BSDSOCK_HAVE_NETLINK

/* ---- the decoder: kernel input, bounds-checked, pure ---------------------- */

/* Native interface flags and their portable bits. */
#define IFF_MAP(X)                                                           \
  X(IFF_UP, BSDSOCK_IFF_UP)                                                  \
  X(IFF_RUNNING, BSDSOCK_IFF_RUNNING)                                        \
  X(IFF_LOOPBACK, BSDSOCK_IFF_LOOPBACK)                                      \
  X(IFF_POINTOPOINT, BSDSOCK_IFF_POINTOPOINT)                                \
  X(IFF_MULTICAST, BSDSOCK_IFF_MULTICAST)

static unsigned iff_of(unsigned native) {
  unsigned out = 0;
#define IFF_BIT(n, p) out |= (native & (unsigned)(n)) ? (unsigned)(p) : 0u;
  IFF_MAP(IFF_BIT)
#undef IFF_BIT
  return out;
}

/* The messages a watch reports; the rest (NLMSG_DONE, NLMSG_NOOP, errors,
 * other route messages) are skipped. A new link's RTM_NEWLINK is the one
 * whose ifi_change has every bit set (the kernel's announcement of a
 * registered device); a later one is a change (quirk Q65). */
enum { MSG_LINK, MSG_ADDR };
#define NL_MSGS(X)                                                           \
  X(RTM_NEWLINK, MSG_LINK, BSDSOCK_IFEV_LINK_CHANGED)                        \
  X(RTM_DELLINK, MSG_LINK, BSDSOCK_IFEV_LINK_REMOVED)                        \
  X(RTM_NEWADDR, MSG_ADDR, BSDSOCK_IFEV_ADDR_ADDED)                          \
  X(RTM_DELADDR, MSG_ADDR, BSDSOCK_IFEV_ADDR_REMOVED)

static const struct nl_msg {
  unsigned type;
  int shape;
  int kind;
} nl_msgs[] = {
#define NL_ROW(t, s, k) {(unsigned)(t), s, k},
    NL_MSGS(NL_ROW)
#undef NL_ROW
};

/* Where decoded events go: the first n are stored, all are counted. */
struct sink {
  bsdsock_ifevent_t *ev;
  size_t n, count;
  int last; /* the kind of the last event counted */
};

static void put(struct sink *k, const bsdsock_ifevent_t *e) {
  if (e->kind == BSDSOCK_IFEV_RESYNC && k->last == BSDSOCK_IFEV_RESYNC)
    return;
  if (k->count < k->n) k->ev[k->count] = *e;
  k->count++;
  k->last = e->kind;
}

static void blank(bsdsock_ifevent_t *e, int kind) {
  memset(e, 0, sizeof(*e));
  e->kind = kind;
  e->addr.family = BSDSOCK_AF_UNSPEC;
}

/* An ifinfomsg body of len bytes: 0, or -1 if malformed. */
static int link_msg(struct sink *k, const struct nl_msg *m,
                    const unsigned char *body, size_t len) {
  struct ifinfomsg ifi;
  bsdsock_ifevent_t e;
  if (len < sizeof(ifi)) return -1;
  memcpy(&ifi, body, sizeof(ifi));
  if (ifi.ifi_index <= 0) return -1;
  blank(&e, m->kind);
  if (m->kind == BSDSOCK_IFEV_LINK_CHANGED && ifi.ifi_change == ~0u)
    e.kind = BSDSOCK_IFEV_LINK_ADDED;
  e.index = (unsigned)ifi.ifi_index;
  e.flags = iff_of(ifi.ifi_flags);
  put(k, &e);
  return 0;
}

/* An ifaddrmsg body and its attributes: 0, or -1 if malformed. IFA_LOCAL
 * is the interface's own address where both are given (IFA_ADDRESS is
 * then a point-to-point link's peer); IPv6 gives IFA_ADDRESS alone. */
static int addr_msg(struct sink *k, const struct nl_msg *m,
                    const unsigned char *body, size_t len) {
  struct ifaddrmsg ifa;
  struct rtattr rta;
  const unsigned char *local = NULL, *address = NULL;
  size_t off, alen;
  bsdsock_ifevent_t e;
  if (len < sizeof(ifa)) return -1;
  memcpy(&ifa, body, sizeof(ifa));
  if (ifa.ifa_family != AF_INET && ifa.ifa_family != AF_INET6)
    return 0; /* not one bsdsock reports */
  alen = ifa.ifa_family == AF_INET ? 4 : 16;
  if (ifa.ifa_index == 0 || ifa.ifa_prefixlen > alen * 8) return -1;
  for (off = NLMSG_ALIGN(sizeof(ifa)); off < len;) {
    if (len - off < sizeof(rta)) return -1;
    memcpy(&rta, body + off, sizeof(rta));
    if (rta.rta_len < sizeof(rta) || rta.rta_len > len - off) return -1;
    if (rta.rta_type == IFA_LOCAL || rta.rta_type == IFA_ADDRESS) {
      if ((size_t)rta.rta_len - RTA_LENGTH(0) != alen) return -1;
      if (rta.rta_type == IFA_LOCAL)
        local = body + off + RTA_LENGTH(0);
      else
        address = body + off + RTA_LENGTH(0);
    }
    off += RTA_ALIGN(rta.rta_len);
  }
  if (local == NULL) local = address;
  if (local == NULL) return -1;
  blank(&e, m->kind);
  e.index = ifa.ifa_index;
  e.prefixlen = ifa.ifa_prefixlen;
  if (alen == 4) {
    e.addr.family = BSDSOCK_AF_INET;
    memcpy(e.addr.u.ip4, local, 4);
  } else {
    e.addr.family = BSDSOCK_AF_INET6;
    memcpy(e.addr.u.ip6, local, 16);
    /* Link-local unicast (fe80::/10) and multicast (ff02::/16): the
     * scope is the interface. */
    if ((local[0] == 0xfe && (local[1] & 0xc0) == 0x80) ||
        (local[0] == 0xff && (local[1] & 0x0f) == 0x02))
      e.addr.scope_id = ifa.ifa_index;
  }
  put(k, &e);
  return 0;
}

size_t bsdsock__ifwatch_parse(const void *buf, size_t len,
                              bsdsock_ifevent_t *ev, size_t n) {
  const unsigned char *p = buf;
  struct sink k;
  struct nlmsghdr h;
  bsdsock_ifevent_t e;
  size_t off = 0, i;
  k.ev = ev;
  k.n = n;
  k.count = 0;
  k.last = 0;
  while (off < len) {
    const struct nl_msg *m = NULL;
    int rc = 0;
    if (len - off < sizeof(h)) goto bad;
    memcpy(&h, p + off, sizeof(h));
    if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off) goto bad;
    if (h.nlmsg_type == NLMSG_OVERRUN) {
      blank(&e, BSDSOCK_IFEV_RESYNC);
      put(&k, &e);
    }
    for (i = 0; i < sizeof(nl_msgs) / sizeof(nl_msgs[0]); i++)
      if (nl_msgs[i].type == h.nlmsg_type) m = &nl_msgs[i];
    if (m != NULL)
      rc = (m->shape == MSG_LINK ? link_msg : addr_msg)(
          &k, m, p + off + NLMSG_HDRLEN, h.nlmsg_len - NLMSG_HDRLEN);
    if (rc != 0) goto bad;
    /* The last message's padding may be missing. */
    if (NLMSG_ALIGN(h.nlmsg_len) >= len - off) break;
    off += NLMSG_ALIGN(h.nlmsg_len);
  }
  return k.count;
bad:
  blank(&e, BSDSOCK_IFEV_RESYNC);
  put(&k, &e);
  return k.count;
}

/* ---- the socket ------------------------------------------------------------ */

/* Larger than any route message the kernel multicasts (a link's carries
 * its statistics and, for a NIC with virtual functions, theirs). */
#define DGRAM_MAX 32768

/* Datagrams one read looks at, at most (some carry no event). */
#define READ_DGRAMS 256

int bsdsock__os_ifwatch_open(void) {
  struct sockaddr_nl sa;
  int s, rc;
#ifdef BSDSOCK_HAVE_SOCK_FLAGS
  s = BSDSOCK__OS(ifwatch, -1,
                  socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
                         NETLINK_ROUTE));
  if (s < 0) return bsdsock__fail_os();
#else
  s = BSDSOCK__OS(ifwatch, -1, socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE));
  if (s < 0) return bsdsock__fail_os();
  if (BSDSOCK__OS(cloexec, -1, fcntl(s, F_SETFD, FD_CLOEXEC)) != 0 ||
      BSDSOCK__OS(nonblock, -1,
                  fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK)) != 0) {
    rc = bsdsock__fail_os();
    close(s);
    return rc;
  }
#endif
  memset(&sa, 0, sizeof(sa));
  sa.nl_family = AF_NETLINK;
  sa.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
  if (BSDSOCK__OS(ifwatch, -1,
                  bind(s, (const struct sockaddr *)&sa, sizeof(sa))) != 0) {
    rc = bsdsock__fail_os();
    close(s);
    return rc;
  }
  return bsdsock__fd_alloc(s, BSDSOCK__FD_IFWATCH);
}

/* Whether errno says "nothing queued". */
static int would_block(void) {
  return errno == EAGAIN || errno == EWOULDBLOCK;
}

int bsdsock__os_ifwatch_read(int fd, bsdsock_ifevent_t *ev, size_t n) {
  union {
    struct nlmsghdr align;
    unsigned char b[DGRAM_MAX];
  } u;
  size_t count = 0, room, k;
  int i;
  for (i = 0; i < READ_DGRAMS && count < n; i++) {
    struct sockaddr_nl from;
    socklen_t flen = sizeof(from);
    ssize_t got;
    memset(&from, 0, sizeof(from));
    /* Looked at first, taken once it fits: a datagram whose events do
     * not fit the room left stays queued for the next read. */
    got = BSDSOCK__OS(ifwatchrd, -1,
                      recvfrom(fd, u.b, sizeof(u.b),
                               MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT,
                               (struct sockaddr *)&from, &flen));
    if (got < 0) {
      if (errno == EINTR) continue;
      /* The kernel dropped notifications, newer than those still queued:
       * the resync is owed once these are read (the watch's state bit,
       * kept from one read to the next). */
      if (errno == ENOBUFS) {
        bsdsock__fd_set_flags(fd, BSDSOCK__FD_RESYNC, 0);
        continue;
      }
      if (would_block()) {
        if ((bsdsock__fd_flags(fd) & BSDSOCK__FD_RESYNC) &&
            bsdsock__ifwatch_resync(ev, n, &count))
          bsdsock__fd_set_flags(fd, 0, BSDSOCK__FD_RESYNC);
        break;
      }
      if (count > 0) break;
      return bsdsock__fail_os();
    }
    room = n - count;
    if (flen < sizeof(from) || from.nl_family != AF_NETLINK ||
        from.nl_pid != 0) {
      k = 0; /* not from the kernel (quirk Q65) */
    } else if ((size_t)got > sizeof(u.b)) {
      k = SIZE_MAX; /* cut short: a resync */
    } else {
      k = bsdsock__ifwatch_parse(u.b, (size_t)got, ev + count, room);
    }
    if (k != SIZE_MAX && k > room && count > 0) break;
    /* Taken (a zero-length receive drops a datagram). A loss reported
     * here left the datagram queued: it is looked at again. */
    if (BSDSOCK__OS(ifwatchrd, -1, recv(fd, u.b, 0, MSG_DONTWAIT)) < 0) {
      if (errno == ENOBUFS) {
        bsdsock__fd_set_flags(fd, BSDSOCK__FD_RESYNC, 0);
        continue;
      }
      if (would_block() || errno == EINTR) continue; /* not taken */
      if (count > 0) break;
      return bsdsock__fail_os();
    }
    if (k <= room) {
      count += k;
      /* Losses in a row are one resync (ev[count - k] may follow one). */
      if (k > 0 && count > k && ev[count - k].kind == BSDSOCK_IFEV_RESYNC &&
          ev[count - k - 1].kind == BSDSOCK_IFEV_RESYNC) {
        memmove(&ev[count - k], &ev[count - k + 1],
                (k - 1) * sizeof(*ev));
        count--;
      }
    } else if (!bsdsock__ifwatch_resync(ev, n, &count)) {
      break;
    }
  }
  return count > 0 ? (int)count : bsdsock__fail(BSDSOCK_EAGAIN);
}

#else /* !BSDSOCK_HAVE_NETLINK */

/* No notification source bsdsock knows on this system (untested). */
int bsdsock__os_ifwatch_open(void) {
  return bsdsock__fail(BSDSOCK_EOPNOTSUPP);
}

int bsdsock__os_ifwatch_read(int fd, bsdsock_ifevent_t *ev, size_t n) {
  (void)fd;
  (void)ev;
  (void)n;
  return bsdsock__fail(BSDSOCK_EAGAIN);
}

size_t bsdsock__ifwatch_parse(const void *buf, size_t len,
                              bsdsock_ifevent_t *ev, size_t n) {
  (void)buf;
  (void)len;
  (void)ev;
  (void)n;
  return 0;
}

#endif /* BSDSOCK_HAVE_NETLINK */

int bsdsock__os_ifwatch_close(int fd) {
  return bsdsock__os_close(fd);
}

/* The queue is the kernel's: nothing can be put in it from here. */
int bsdsock__os_ifwatch_inject(int fd, const bsdsock_ifevent_t *ev) {
  (void)fd;
  (void)ev;
  return BSDSOCK_ENOSYS;
}
