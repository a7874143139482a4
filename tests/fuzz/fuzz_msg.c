/* SPDX-License-Identifier: MIT */
/*
 * fuzz_msg.c - libFuzzer target for the scatter/gather and batched
 * datagram calls (fuzz target Z7 of docs/quirks.md; include/bsdsock/msg.h,
 * src/msg.c and the backends' msg.c).
 *
 * A pair of non-blocking UDP sockets on 127.0.0.1 (and ::1 where it
 * exists), opened once: the only traffic is between them. Each input
 * describes one batch: 1-16 messages, each with 0-4 buffers of 0-65,535
 * bytes or more (or 100-160 small buffers, or more than BSDSOCK_IOV_MAX),
 * a NULL buffer now and then, a destination that is the receiver, none,
 * or one of the other family; send flags; and 1-16 receive slots of their
 * own shapes. The batch goes out through bsdsock_sendmmsg or one
 * bsdsock_sendmsg per message, sometimes with one of the send system calls
 * failing (the fault-injection seam, src/fault.h), and comes back through
 * bsdsock_recvmmsg or bsdsock_recvmsg. Oracles:
 *  - a malformed message (NULL buffer with a length, too many buffers) or
 *    bad flags reject the whole call and nothing is sent;
 *  - sendmmsg returns the count before the first message that must fail
 *    (over 65,507 bytes: EMSGSIZE; no destination: EDESTADDRREQ; the other
 *    family: EAFNOSUPPORT), with that error in *deferred, or the error
 *    itself if it is the first; each len is the message's size. With a
 *    failure injected the count may be lower, but then *deferred is never
 *    0 (fault F17);
 *  - exactly the messages reported sent arrive, in order and once: each
 *    receive slot holds the datagram's first min(size, room) bytes, in
 *    buffer order, with BSDSOCK_MSG_TRUNC exactly when it did not fit, and
 *    the sender's address; nothing else is queued afterwards;
 *  - no out-of-bounds access (every buffer is an exact-size heap block)
 *    and no leak.
 * Bounded: a datagram that does not arrive within a second fails the
 * input, and a batch never holds more than the receive buffer takes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bsdsock/bsdsock.h>

#include "fault.h"

#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_MSGS 16
#define MAX_SLOTS 16
/* Payload bytes one batch may queue at the receiver: its buffer (at least
 * the 212,992 bytes of Linux's default limit) less a queued datagram's
 * overhead of up to about 2 KiB, times MAX_MSGS. */
#define BUDGET 150000

/* ---- the socket pairs, opened once --------------------------------------- */

struct pair {
  int tx, rx;
  bsdsock_addr_t tx_addr, rx_addr, other;  /* other: the wrong family */
};

static struct pair pairs[2];
static int npairs;

static int open_udp(int family, bsdsock_addr_t *bound) {
  int fd = bsdsock_socket(family, BSDSOCK_SOCK_DGRAM | BSDSOCK_SOCK_NONBLOCK,
                          0);
  int big = 1 << 20;
  if (fd < 0) return -1;
  if (bsdsock_addr_loopback(bound, family, 0) != 0 ||
      bsdsock_bind(fd, bound) != 0 || bsdsock_getsockname(fd, bound) != 0) {
    bsdsock_close(fd);
    return -1;
  }
  bsdsock_setsockopt(fd, BSDSOCK_SOL_SOCKET, BSDSOCK_SO_RCVBUF, &big,
                     sizeof(big));
  return fd;
}

static void open_pairs(void) {
  static const int families[2] = {BSDSOCK_AF_INET, BSDSOCK_AF_INET6};
  int i;
  for (i = 0; i < 2; i++) {
    struct pair *p = &pairs[npairs];
    p->tx = open_udp(families[i], &p->tx_addr);
    p->rx = open_udp(families[i], &p->rx_addr);
    if (p->tx < 0 || p->rx < 0) {
      if (i == 0) abort();  /* IPv4 loopback must work; ::1 may not exist */
      continue;
    }
    bsdsock_addr_loopback(&p->other, families[1 - i],
                          bsdsock_addr_port(&p->rx_addr));
    npairs++;
  }
}

/* ---- input (fuzz_input.h) ------------------------------------------------- */


/* A buffer count and lengths for one message or receive slot. */
static size_t shape(struct input *in, size_t *lens, size_t max) {
  uint8_t kind = (uint8_t)take(in, 1);
  size_t n, i;
  if (kind < 8) {  /* many small buffers, or more than allowed */
    n = kind < 4 ? 100 + take(in, 1) % 61 : BSDSOCK_IOV_MAX + kind % 2;
    for (i = 0; i < n && i < max; i++) lens[i] = i % 4;
    return n;
  }
  n = kind % 5;
  for (i = 0; i < n; i++) {
    uint32_t v = take(in, 2);
    lens[i] = (kind & 0x80) && i == 0 ? 60000 + v % 10000 : v % 2048;
  }
  return n;
}

/* The byte at offset off of message m of this input. */
static uint8_t pattern(size_t m, size_t off, uint8_t seed) {
  return (uint8_t)(m * 131 + off * 7 + seed);
}

/* ---- one message ---------------------------------------------------------- */

enum dest { TO_RX, TO_NONE, TO_OTHER };

struct out_msg {
  bsdsock_iovec_t *iov;
  size_t iovlen, size;
  int bad;    /* malformed: the error that rejects the whole call */
  int fails;  /* the error this message alone must get, or 0 */
};

static void free_iov(bsdsock_iovec_t *iov, size_t n) {
  size_t i;
  for (i = 0; i < n && iov != NULL; i++) free(iov[i].base);
  free(iov);
}

/* Buffers of the given lengths (the first n of lens, the rest 0), each an
 * exact-size heap block; a NULL base where asked. */
static bsdsock_iovec_t *make_iov(const size_t *lens, size_t n, size_t max,
                                 int null_at) {
  bsdsock_iovec_t *iov = calloc(n ? n : 1, sizeof(*iov));
  size_t i;
  if (iov == NULL) abort();
  for (i = 0; i < n; i++) {
    iov[i].len = i < max ? lens[i] : 0;
    if ((int)i == null_at || iov[i].len == 0) continue;
    iov[i].base = malloc(iov[i].len);
    if (iov[i].base == NULL) abort();
  }
  return iov;
}

/* ---- sending --------------------------------------------------------------- */

static const int send_flags[] = {0, 0, BSDSOCK_MSG_DONTWAIT,
                                 BSDSOCK_MSG_NOSIGNAL,
                                 BSDSOCK_MSG_DONTWAIT | BSDSOCK_MSG_NOSIGNAL,
                                 BSDSOCK_MSG_TRUNC, 0x40000000};
static const int fault_seams[] = {BSDSOCK__SYS_sendto, BSDSOCK__SYS_sendmsg,
                                  BSDSOCK__SYS_sendmmsg};

#define PICK(table, v) table[(v) % (sizeof(table) / sizeof(table[0]))]

/* Sends the batch; returns how many messages went out and their indexes,
 * in order, in went[]. */
static size_t send_batch(struct pair *p, bsdsock_mmsghdr_t *mm,
                         const struct out_msg *om, size_t k, uint32_t mode,
                         size_t *went) {
  int flags = PICK(send_flags, mode >> 8), bad_flags, bad = 0, deferred = -1;
  int injected = ((mode >> 4) & 3) == 3, rc;
  size_t i, first_fail = k, sent = 0;
  bad_flags = flags == BSDSOCK_MSG_TRUNC || flags == 0x40000000;
  for (i = 0; i < k && bad == 0; i++) bad = om[i].bad;
  for (i = 0; i < k && first_fail == k; i++)
    if (om[i].fails) first_fail = i;
  if (injected)
    bsdsock__fault_set(PICK(fault_seams, mode >> 6), ENOBUFS,
                       (int)(mode >> 12) % 4, 1);
  if (mode & 1) {
    /* One bsdsock_sendmsg per message: each stands alone. */
    for (i = 0; i < k; i++) {
      bsdsock_ssize_t r = bsdsock_sendmsg(p->tx, &mm[i].hdr, flags);
      int want = bad_flags ? BSDSOCK_EINVAL : om[i].bad ? om[i].bad
                                                        : om[i].fails;
      if (r >= 0) {
        if (want != 0 || (size_t)r != om[i].size) abort();
        went[sent++] = i;
      } else if (r != want && !(injected && r == BSDSOCK_ENOBUFS) &&
                 r != BSDSOCK_EAGAIN) {
        abort();
      }
    }
    bsdsock__fault_reset();
    return sent;
  }
  rc = bsdsock_sendmmsg(p->tx, mm, k, flags, &deferred);
  bsdsock__fault_reset();
  if (deferred == -1) abort();  /* always written */
  if (bad_flags || bad) {
    if (rc != (bad_flags ? BSDSOCK_EINVAL : bad) || deferred != 0) abort();
    return 0;
  }
  if (rc < 0) {
    if (deferred != 0) abort();
    if (first_fail == 0 && rc == om[0].fails) return 0;
    if ((injected && rc == BSDSOCK_ENOBUFS) || rc == BSDSOCK_EAGAIN) return 0;
    abort();
  }
  sent = (size_t)rc;
  if (sent == 0 || sent > first_fail) abort();
  for (i = 0; i < sent; i++) {
    if (mm[i].len != om[i].size) abort();
    went[i] = i;
  }
  if (sent == k && deferred != 0) abort();
  if (sent == first_fail && sent < k && deferred != om[sent].fails &&
      !(injected && deferred == BSDSOCK_ENOBUFS) && deferred != BSDSOCK_EAGAIN)
    abort();
  /* Stopped early for another reason: the error is never lost. */
  if (sent < first_fail && deferred == 0) abort();
  return sent;
}

/* ---- receiving ------------------------------------------------------------- */

struct slot {
  bsdsock_iovec_t *iov;
  size_t iovlen, room;
  bsdsock_addr_t from;
};

/* Checks that slot s holds message m of the batch as a receive must. */
static void check_slot(const struct slot *s, const bsdsock_mmsghdr_t *got,
                       const struct out_msg *m, size_t index, uint8_t seed,
                       const struct pair *p) {
  size_t want = m->size < s->room ? m->size : s->room, off = 0, i, j;
  int trunc = m->size > s->room ? BSDSOCK_MSG_TRUNC : 0;
  if (got->len != want || got->hdr.flags != trunc) abort();
  for (i = 0; i < s->iovlen && off < want; i++)
    for (j = 0; j < s->iov[i].len && off < want; j++, off++)
      if (((uint8_t *)s->iov[i].base)[j] != pattern(index, off, seed)) abort();
  if (got->hdr.name != NULL &&
      memcmp(got->hdr.name, &p->tx_addr, sizeof(p->tx_addr)) != 0)
    abort();
}

static const int recv_flags[] = {0, 0, 0, BSDSOCK_MSG_DONTWAIT, 0x40000000};

/* Receives the n datagrams sent, in order, into the slots. */
static void recv_batch(struct pair *p, struct slot *slots, size_t r,
                       const struct out_msg *om, const size_t *went,
                       size_t n, uint32_t mode, uint8_t seed) {
  bsdsock_mmsghdr_t mm[MAX_SLOTS];
  int flags = PICK(recv_flags, mode >> 16), deferred = -1, got, k;
  size_t done = 0, i;
  char c;
  memset(mm, 0, sizeof(mm));
  for (i = 0; i < r; i++) {
    mm[i].hdr.iov = slots[i].iov;
    mm[i].hdr.iovlen = slots[i].iovlen;
    mm[i].hdr.name = (mode >> 20) & 1 ? NULL : &slots[i].from;
  }
  if (flags == 0x40000000) {  /* refused before anything is taken */
    if (bsdsock_recvmmsg(p->rx, mm, r, flags, &deferred) != BSDSOCK_EINVAL ||
        bsdsock_recvmsg(p->rx, &mm[0].hdr, flags) != BSDSOCK_EINVAL)
      abort();
    flags = 0;
  }
  while (done < n) {
    bsdsock_pollfd_t pfd = {p->rx, BSDSOCK_POLLIN, 0};
    if (bsdsock_poll(&pfd, 1, 1000) != 1) abort();  /* a datagram was lost */
    if (mode & 2) {
      bsdsock_ssize_t len = bsdsock_recvmsg(p->rx, &mm[0].hdr, flags);
      if (len < 0) abort();
      mm[0].len = (size_t)len;
      got = 1;
    } else {
      /* Sometimes one slot more than there are datagrams left. */
      k = (int)(r < n - done ? r : n - done);
      got = bsdsock_recvmmsg(p->rx, mm, (size_t)k + ((size_t)k < r) *
                                            ((mode >> 21) % 2),
                             flags, &deferred);
      if (got < 1 || got > k || deferred != 0) abort();
    }
    for (i = 0; i < (size_t)got; i++, done++)
      check_slot(&slots[i], &mm[i], &om[went[done]], went[done], seed, p);
  }
  /* Nothing more than what was sent. */
  if (bsdsock_recv(p->rx, &c, 1, BSDSOCK_MSG_DONTWAIT) != BSDSOCK_EAGAIN)
    abort();
}

/* ---- one input ------------------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static size_t lens[BSDSOCK_IOV_MAX + 1];
  struct input in = {data, size};
  bsdsock_mmsghdr_t mm[MAX_MSGS];
  struct out_msg om[MAX_MSGS];
  struct slot slots[MAX_SLOTS];
  size_t went[MAX_MSGS], k, r, i, j, sent, budget = BUDGET, max_dgram;
  uint32_t mode;
  uint8_t seed;
  struct pair *p;
  if (npairs == 0) open_pairs();
  mode = take(&in, 3);
  seed = (uint8_t)take(&in, 1);
  p = &pairs[(mode >> 22) % npairs];
  /* A UDP payload's limit: 65,535 less the IPv4 header or none for IPv6
   * (whose header is not in the payload length), less UDP's 8 bytes. */
  max_dgram = p->rx_addr.family == BSDSOCK_AF_INET ? 65507 : 65527;
  k = 1 + take(&in, 1) % MAX_MSGS;
  memset(mm, 0, sizeof(mm));
  for (i = 0; i < k; i++) {
    uint8_t how = (uint8_t)take(&in, 1);
    size_t n = shape(&in, lens, BSDSOCK_IOV_MAX + 1), off = 0;
    int null_at = how % 16 == 0 && n > 0 ? 0 : -1;
    enum dest d = how % 7 == 1 ? TO_NONE : how % 7 == 2 ? TO_OTHER : TO_RX;
    om[i].iovlen = n;
    om[i].iov = make_iov(lens, n, BSDSOCK_IOV_MAX + 1, null_at);
    om[i].size = 0;
    for (j = 0; j < n; j++) om[i].size += om[i].iov[j].len;
    om[i].bad = n > BSDSOCK_IOV_MAX ? BSDSOCK_EMSGSIZE
                : null_at == 0 && om[i].iov[0].len > 0 ? BSDSOCK_EINVAL
                                                       : 0;
    /* One reason to fail per message: Linux checks a datagram's size and
     * its destination in an order of its own. */
    if (om[i].size > max_dgram) d = TO_RX;
    om[i].fails = d == TO_NONE    ? BSDSOCK_EDESTADDRREQ
                  : d == TO_OTHER ? BSDSOCK_EAFNOSUPPORT
                  : om[i].size > max_dgram ? BSDSOCK_EMSGSIZE
                                           : 0;
    /* A batch no larger than the receiver takes: a message that would
     * overflow it loses buffers (to length 0) rather than be dropped by
     * the kernel. */
    if (!om[i].bad && !om[i].fails) {
      for (j = 0; j < n && om[i].size > budget; j++) {
        om[i].size -= om[i].iov[j].len;
        om[i].iov[j].len = 0;
      }
      budget -= om[i].size;
    }
    /* The bytes: a pattern per message, over its buffers in order. */
    for (j = 0, off = 0; j < n; j++) {
      size_t b;
      for (b = 0; b < om[i].iov[j].len && om[i].iov[j].base != NULL; b++)
        ((uint8_t *)om[i].iov[j].base)[b] = pattern(i, off++, seed);
    }
    mm[i].hdr.iov = om[i].iov;
    mm[i].hdr.iovlen = n;
    mm[i].hdr.name = d == TO_RX ? &p->rx_addr : d == TO_OTHER ? &p->other
                                                               : NULL;
  }
  r = 1 + take(&in, 1) % MAX_SLOTS;
  for (i = 0; i < r; i++) {
    size_t n = shape(&in, lens, BSDSOCK_IOV_MAX + 1);
    if (n > 8) n = 8;  /* the receive side's shapes stay small */
    slots[i].iovlen = n;
    slots[i].iov = make_iov(lens, n, n, -1);
    slots[i].room = 0;
    for (j = 0; j < n; j++) slots[i].room += slots[i].iov[j].len;
  }
  sent = send_batch(p, mm, om, k, mode, went);
  recv_batch(p, slots, r, om, went, sent, mode, seed);
  for (i = 0; i < k; i++) free_iov(om[i].iov, om[i].iovlen);
  for (i = 0; i < r; i++) free_iov(slots[i].iov, slots[i].iovlen);
  return 0;
}
