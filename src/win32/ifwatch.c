/* SPDX-License-Identifier: MIT */
/*
 * src/win32/ifwatch.c - interface watches on Windows (src/os.h).
 *
 * iphlpapi calls back on its thread pool: NotifyIpInterfaceChange for
 * interfaces, NotifyUnicastIpAddressChange for addresses. Winsock cannot
 * poll an event or a queue, so the watch is one end of a loopback socket
 * pair (bsdsock_socketpair, src/socketpair.c): a callback queues its event
 * under the watch's lock and, if the watch is not signalled yet, writes
 * one byte to the other end, which makes the descriptor readable to
 * poll, select and the poller alike. A read takes events from the queue
 * and, once it is empty, the byte. The queue is bounded: an event that
 * finds it full is dropped and the next read reports one resync instead.
 *
 * Closing cancels both registrations first (CancelMibChangeNotify2 waits
 * for a callback that is running, so it is called without the watch's
 * lock, which the callback takes; quirk Q67), and only then frees the
 * queue and closes the pair.
 *
 * Wine 8 accepts both registrations, hands back no handle and never calls
 * back (quirk Q66): a registration that succeeds without a handle is taken
 * as "cannot deliver", and the open fails with BSDSOCK_EOPNOTSUPP.
 */
#include "../internal.h"

#define QUEUE_MAX 256

struct watch {
  int fd;              /* the reading end's descriptor */
  SOCKET wake;         /* the writing end (holds no descriptor number) */
  HANDLE ifh, addrh;   /* the two registrations */
  SRWLOCK lock;        /* guards what follows */
  bsdsock_ifevent_t q[QUEUE_MAX];
  size_t head, count;
  int lost;            /* an event was dropped: a resync is owed */
  int signalled;       /* the wake-up byte was written and not read */
  struct watch *next;
};

/* The open watches, by descriptor. */
static SRWLOCK watches_lock = SRWLOCK_INIT;
static struct watch *watches;

static struct watch *watch_take(int fd, int unlink) {
  struct watch **pp, *w = NULL;
  AcquireSRWLockExclusive(&watches_lock);
  for (pp = &watches; *pp != NULL; pp = &(*pp)->next)
    if ((*pp)->fd == fd) {
      w = *pp;
      if (unlink) *pp = w->next;
      break;
    }
  ReleaseSRWLockExclusive(&watches_lock);
  return w;
}

/* iphlpapi's notification kinds and the events they are, by callback. */
#define IF_KINDS(X)                                                          \
  X(MibAddInstance, BSDSOCK_IFEV_LINK_ADDED)                                 \
  X(MibDeleteInstance, BSDSOCK_IFEV_LINK_REMOVED)                            \
  X(MibParameterNotification, BSDSOCK_IFEV_LINK_CHANGED)
#define ADDR_KINDS(X)                                                        \
  X(MibAddInstance, BSDSOCK_IFEV_ADDR_ADDED)                                 \
  X(MibDeleteInstance, BSDSOCK_IFEV_ADDR_REMOVED)                            \
  X(MibParameterNotification, BSDSOCK_IFEV_ADDR_ADDED)

struct kind_map {
  MIB_NOTIFICATION_TYPE type;
  int kind;
};
#define KIND_ROW(t, k) {t, k},
static const struct kind_map if_kinds[] = {IF_KINDS(KIND_ROW)};
static const struct kind_map addr_kinds[] = {ADDR_KINDS(KIND_ROW)};
#undef KIND_ROW

/* The event of a notification, 0 for none (the initial notification). */
static int kind_of(const struct kind_map *map, size_t n,
                   MIB_NOTIFICATION_TYPE type) {
  size_t i;
  for (i = 0; i < n; i++)
    if (map[i].type == type) return map[i].kind;
  return 0;
}

/* Queues e (or owes a resync when the queue is full) and signals the
 * watch. Runs on iphlpapi's threads. */
static void push(struct watch *w, const bsdsock_ifevent_t *e) {
  AcquireSRWLockExclusive(&w->lock);
  if (w->count < QUEUE_MAX)
    w->q[(w->head + w->count++) % QUEUE_MAX] = *e;
  else
    w->lost = 1;
  if (!w->signalled &&
      BSDSOCK__OS(ifwatch, SOCKET_ERROR, send(w->wake, "!", 1, 0)) == 1)
    w->signalled = 1;
  ReleaseSRWLockExclusive(&w->lock);
}

static void blank(bsdsock_ifevent_t *e, int kind) {
  memset(e, 0, sizeof(*e));
  e->kind = kind;
  e->addr.family = BSDSOCK_AF_UNSPEC;
}

static VOID NETIOAPI_API_ on_interface(PVOID ctx, PMIB_IPINTERFACE_ROW row,
                                       MIB_NOTIFICATION_TYPE type) {
  bsdsock_ifevent_t e;
  int kind = kind_of(if_kinds, sizeof(if_kinds) / sizeof(if_kinds[0]), type);
  if (kind == 0 || row == NULL) return;
  blank(&e, kind);
  e.index = row->InterfaceIndex;
  push(ctx, &e);
}

static VOID NETIOAPI_API_ on_address(PVOID ctx, PMIB_UNICASTIPADDRESS_ROW row,
                                     MIB_NOTIFICATION_TYPE type) {
  bsdsock_ifevent_t e;
  int kind =
      kind_of(addr_kinds, sizeof(addr_kinds) / sizeof(addr_kinds[0]), type);
  size_t len;
  if (kind == 0 || row == NULL) return;
  blank(&e, kind);
  e.index = row->InterfaceIndex;
  e.prefixlen = row->OnLinkPrefixLength;
  len = row->Address.si_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                           : sizeof(struct sockaddr_in);
  if (bsdsock__addr_from_sockaddr(&e.addr, (const struct sockaddr *)&row->Address,
                                  len) != 0)
    blank(&e, BSDSOCK_IFEV_RESYNC); /* not an address bsdsock knows */
  e.addr.port = 0;
  push(ctx, &e);
}

/* Cancels w's registrations: 0, or -1 if one could not be cancelled (its
 * callback may still run: w must then never be freed). */
static int cancel(struct watch *w) {
  int rc = 0;
  if (w->ifh != NULL &&
      BSDSOCK__OS_RC(ifwatch, (int)CancelMibChangeNotify2(w->ifh)) != 0)
    rc = -1;
  if (w->addrh != NULL &&
      BSDSOCK__OS_RC(ifwatch, (int)CancelMibChangeNotify2(w->addrh)) != 0)
    rc = -1;
  w->ifh = w->addrh = NULL;
  return rc;
}

/* A registration's result: 0, BSDSOCK_EOPNOTSUPP where it succeeded
 * without a handle (Wine, quirk Q66) or the system has no such calls, or
 * the recorded error. */
static int registered(int rc, HANDLE h) {
  if (rc == NO_ERROR && (h != NULL || bsdsock__ifwatch_accept_stubs))
    return 0;
  if (rc == NO_ERROR || rc == ERROR_NOT_SUPPORTED ||
      rc == ERROR_CALL_NOT_IMPLEMENTED)
    return bsdsock__fail(BSDSOCK_EOPNOTSUPP);
  return bsdsock__fail_native(rc);
}

int bsdsock__os_ifwatch_open(void) {
  struct watch *w = bsdsock__calloc(1, sizeof(*w));
  int sv[2], rc;
  unsigned flags;
  SOCKET s;
  if (w == NULL) return bsdsock__fail(BSDSOCK_ENOMEM);
  InitializeSRWLock(&w->lock);
  rc = bsdsock_socketpair(BSDSOCK_AF_UNSPEC,
                          BSDSOCK_SOCK_STREAM | BSDSOCK_SOCK_NONBLOCK, 0, sv);
  if (rc != 0) {
    free(w);
    return rc;
  }
  /* The pair was built through a listener, whose number is free again:
   * the reading end moves to the lowest free number, as every new
   * descriptor gets, and the writing end holds none. */
  flags = bsdsock__fd_flags(sv[0]);
  s = bsdsock__fd_release(sv[0]);
  w->wake = bsdsock__fd_release(sv[1]);
  w->fd = bsdsock__fd_alloc(s, flags);
  if (w->fd < 0) {
    rc = w->fd;
    closesocket(w->wake);
    free(w);
    return rc;
  }
  /* Everything a callback touches is ready before the first can run. */
  rc = registered(BSDSOCK__OS_RC(ifwatch, (int)NotifyIpInterfaceChange(
                                              AF_UNSPEC, on_interface, w,
                                              FALSE, &w->ifh)),
                  w->ifh);
  if (rc == 0)
    rc = registered(
        BSDSOCK__OS_RC(ifwatch, (int)NotifyUnicastIpAddressChange(
                                    AF_UNSPEC, on_address, w, FALSE,
                                    &w->addrh)),
        w->addrh);
  if (rc != 0) {
    if (cancel(w) != 0) return rc; /* a callback may still run: kept */
    closesocket(w->wake);
    bsdsock_close(w->fd);
    free(w);
    return rc;
  }
  AcquireSRWLockExclusive(&watches_lock);
  w->next = watches;
  watches = w;
  ReleaseSRWLockExclusive(&watches_lock);
  bsdsock__fd_set_flags(w->fd, BSDSOCK__FD_IFWATCH, 0);
  return w->fd;
}

int bsdsock__os_ifwatch_read(int fd, bsdsock_ifevent_t *ev, size_t n) {
  struct watch *w = watch_take(fd, 0);
  size_t count = 0;
  char drain[16];
  int i;
  if (w == NULL) return bsdsock__fail(BSDSOCK_EBADF);
  AcquireSRWLockExclusive(&w->lock);
  while (count < n && w->count > 0) {
    ev[count++] = w->q[w->head];
    w->head = (w->head + 1) % QUEUE_MAX;
    w->count--;
  }
  /* What was dropped comes after what was queued before it. */
  if (w->lost && w->count == 0 && bsdsock__ifwatch_resync(ev, n, &count))
    w->lost = 0;
  if (w->count == 0 && !w->lost && w->signalled) {
    /* Nothing left: the descriptor stops being readable. */
    for (i = 0; i < 4; i++)
      if (BSDSOCK__OS(ifwatchrd, SOCKET_ERROR,
                      recv(bsdsock__fd_get(fd), drain, sizeof(drain), 0)) <= 0)
        break;
    w->signalled = 0;
  }
  ReleaseSRWLockExclusive(&w->lock);
  return count > 0 ? (int)count : bsdsock__fail(BSDSOCK_EAGAIN);
}

int bsdsock__os_ifwatch_close(int fd) {
  struct watch *w = watch_take(fd, 1);
  if (w == NULL) return bsdsock__os_close(fd);
  /* Not under w->lock: a running callback takes it, and the cancel waits
   * for that callback (quirk Q67). */
  if (cancel(w) == 0) {
    closesocket(w->wake);
    free(w);
  }
  return bsdsock__os_close(fd);
}

int bsdsock__os_ifwatch_inject(int fd, const bsdsock_ifevent_t *ev) {
  struct watch *w = watch_take(fd, 0);
  if (w == NULL) return BSDSOCK_EBADF;
  push(w, ev);
  return 0;
}
