/* SPDX-License-Identifier: MIT */
/*
 * src/win32/poller.c - the poller on Windows: AFD polls completed on an
 * I/O completion port.
 *
 * Winsock has no epoll. What scales is the ioctl its own select() and
 * WSAPoll() are built on: IOCTL_AFD_POLL, issued asynchronously on a handle
 * of the AFD driver (\Device\Afd) for one socket's base handle, completes
 * when one of the asked conditions holds, and that completion can go to an
 * I/O completion port, where GetQueuedCompletionStatusEx() collects many at
 * once. wepoll, libuv's uv_poll and Rust's mio use the technique; this is
 * bsdsock's own code for it.
 *
 *  - A poller is a port, one AFD handle tied to it, and a table from
 *    descriptor number to entry. An entry holds at most one poll in flight
 *    (its IO_STATUS_BLOCK and AFD_POLL_INFO live in the entry, which is
 *    therefore freed only once that poll has completed).
 *  - An AFD poll fires once: a level-triggered entry that was reported is
 *    polled again at the start of the next wait (not at once, which would
 *    queue a completion that could be stale by the time it is collected),
 *    so a socket still ready completes at once and is reported again. A ONESHOT entry is not
 *    issued again until bsdsock_poller_modify(). Edge-triggered entries are
 *    refused (BSDSOCK_EOPNOTSUPP): AFD reports states, not changes.
 *  - modify and delete cancel the poll in flight (NtCancelIoFileEx); the
 *    cancelled completion re-issues it with the new events, or frees the
 *    deleted entry.
 *  - A socket closed while watched completes its poll with
 *    AFD_POLL_LOCAL_CLOSE, and its entry is freed. Entries are also checked
 *    against the descriptor table (the socket and the number's generation),
 *    so a number closed and handed out again is a new registration even
 *    before that completion has been seen.
 *  - The table and the entries are guarded by one lock, taken by add,
 *    modify, delete and by the wait after GetQueuedCompletionStatusEx()
 *    returns (never while it waits): other threads may change the
 *    registrations while one waits.
 *
 * ntdll's NtCreateFile, NtDeviceIoControlFile, NtCancelIoFileEx and
 * RtlNtStatusToDosError are looked up at run time. The AFD structures and
 * codes are not in the SDK; their layout is the one ReactOS documents
 * (sdk/include/reactos/drivers/afd/shared.h: AFD_POLL_INFO,
 * AFD_HANDLE, AFD_EVENT_*) and wepoll (its afd.h) and libuv
 * (its win/winapi.h) use. The interface is undocumented; layered service
 * providers can hide the base socket (quirk Q44), which is why the base
 * handle is asked for with SIO_BASE_HANDLE.
 */
#include "../internal.h"

#include <winternl.h>

/* ---- AFD: codes and layouts (see above) ---------------------------------- */

#define IOCTL_AFD_POLL 0x00012024

#define AFD_POLL_RECEIVE 0x0001
#define AFD_POLL_RECEIVE_EXPEDITED 0x0002
#define AFD_POLL_SEND 0x0004
#define AFD_POLL_DISCONNECT 0x0008
#define AFD_POLL_ABORT 0x0010
#define AFD_POLL_LOCAL_CLOSE 0x0020
#define AFD_POLL_ACCEPT 0x0080
#define AFD_POLL_CONNECT_FAIL 0x0100

typedef struct {
  HANDLE Handle;
  ULONG Events;
  NTSTATUS Status;
} afd_poll_handle_info;

typedef struct {
  LARGE_INTEGER Timeout;
  ULONG NumberOfHandles;
  ULONG Exclusive;
  afd_poll_handle_info Handles[1];
} afd_poll_info;

#ifndef STATUS_PENDING
# define STATUS_PENDING ((NTSTATUS)0x00000103L)
#endif
#ifndef STATUS_NOT_FOUND
# define STATUS_NOT_FOUND ((NTSTATUS)0xC0000225L)
#endif
#ifndef STATUS_CANCELLED
# define STATUS_CANCELLED ((NTSTATUS)0xC0000120L)
#endif
/* What an NT call "returns" when the fault seam fails it (a customer code,
 * which no system call returns): the injected error is the thread's. */
#define STATUS_INJECTED ((NTSTATUS)0xE0B5D000L)

#ifndef FILE_OPEN
# define FILE_OPEN 0x00000001
#endif

typedef NTSTATUS(NTAPI *nt_create_file_fn)(PHANDLE, ACCESS_MASK,
                                           POBJECT_ATTRIBUTES,
                                           PIO_STATUS_BLOCK, PLARGE_INTEGER,
                                           ULONG, ULONG, ULONG, ULONG, PVOID,
                                           ULONG);
typedef NTSTATUS(NTAPI *nt_device_io_control_file_fn)(HANDLE, HANDLE,
                                                      PIO_APC_ROUTINE, PVOID,
                                                      PIO_STATUS_BLOCK, ULONG,
                                                      PVOID, ULONG, PVOID,
                                                      ULONG);
typedef NTSTATUS(NTAPI *nt_cancel_io_file_ex_fn)(HANDLE, PIO_STATUS_BLOCK,
                                                 PIO_STATUS_BLOCK);
typedef ULONG(NTAPI *rtl_nt_status_to_dos_error_fn)(NTSTATUS);

static struct {
  nt_create_file_fn create;
  nt_device_io_control_file_fn ioctl;
  nt_cancel_io_file_ex_fn cancel;
  rtl_nt_status_to_dos_error_fn to_dos;
} nt;
static INIT_ONCE nt_once = INIT_ONCE_STATIC_INIT;

/* GetProcAddress's FARPROC goes through void (*)(void), the one cast to
 * another function type compilers accept without a warning. */
#define NT_PROC(mod, name) ((void (*)(void))GetProcAddress(mod, name))

static BOOL CALLBACK nt_load(PINIT_ONCE once, PVOID param, PVOID *ctx) {
  HMODULE m = GetModuleHandleW(L"ntdll.dll");
  (void)once;
  (void)param;
  (void)ctx;
  if (m == NULL) return TRUE;
  nt.create = (nt_create_file_fn)NT_PROC(m, "NtCreateFile");
  nt.ioctl = (nt_device_io_control_file_fn)NT_PROC(m, "NtDeviceIoControlFile");
  nt.cancel = (nt_cancel_io_file_ex_fn)NT_PROC(m, "NtCancelIoFileEx");
  nt.to_dos = (rtl_nt_status_to_dos_error_fn)NT_PROC(m, "RtlNtStatusToDosError");
  return TRUE;
}

static int nt_ready(void) {
  InitOnceExecuteOnce(&nt_once, nt_load, NULL, NULL);
  return nt.create && nt.ioctl && nt.cancel && nt.to_dos;
}

/* Records a failed NT call (its status turned into a Win32 code, or the
 * error the fault seam injected) and returns the portable code. */
static int fail_nt(NTSTATUS st) {
  if (st == STATUS_INJECTED) return bsdsock__fail_os();
  return bsdsock__fail_native((int)nt.to_dos(st));
}

/* ---- the poller ---------------------------------------------------------- */

struct poller;

struct entry {
  IO_STATUS_BLOCK iosb;     /* the poll in flight; its address is the
                             * completion's lpOverlapped */
  afd_poll_info info;
  SOCKET sock;              /* the bsdsock socket, to tell a reused number */
  SOCKET base;              /* the base provider's handle AFD polls */
  unsigned gen;             /* bsdsock__fd_gen() when added */
  int fd;
  uint32_t events;          /* portable bits asked, with ONESHOT */
  uint64_t data;
  ULONG asked;              /* AFD bits of the poll in flight */
  unsigned pending : 1;     /* a poll is in flight */
  unsigned armed : 1;       /* 0: a ONESHOT entry that fired */
  unsigned detached : 1;    /* deleted: free once neither pending nor queued */
  unsigned queued : 1;      /* on the poller's re-arm list */
  struct entry *next;       /* that list */
};

struct poller {
  HANDLE port;
  HANDLE afd;
  SRWLOCK lock;
  struct entry **byfd;      /* by descriptor number */
  size_t cap;
  size_t inflight;          /* polls in flight, detached entries' too */
  struct entry *rearm;      /* entries to poll again at the next wait */
};

/* AFD bits for portable ones: errors and closes are always asked. */
static ULONG afd_events(uint32_t ev) {
  ULONG m = AFD_POLL_ABORT | AFD_POLL_CONNECT_FAIL | AFD_POLL_LOCAL_CLOSE;
  if (ev & BSDSOCK_POLLIN)
    m |= AFD_POLL_RECEIVE | AFD_POLL_ACCEPT | AFD_POLL_DISCONNECT;
  if (ev & BSDSOCK_POLLRDHUP) m |= AFD_POLL_DISCONNECT;
  if (ev & BSDSOCK_POLLOUT) m |= AFD_POLL_SEND;
  if (ev & BSDSOCK_POLLPRI) m |= AFD_POLL_RECEIVE_EXPEDITED;
  return m;
}

/* Portable bits for what AFD reported, as Linux's epoll reports them: a
 * peer's FIN is IN (+RDHUP), not HUP; a reset or a failed connect is
 * ERR|HUP with every asked direction (the socket is dead both ways). */
static uint32_t afd_to_portable(ULONG a, uint32_t asked) {
  uint32_t r = 0;
  const uint32_t dead = BSDSOCK_POLLERR | BSDSOCK_POLLHUP | BSDSOCK_POLLIN |
                        BSDSOCK_POLLOUT | BSDSOCK_POLLRDHUP;
  if (a & (AFD_POLL_RECEIVE | AFD_POLL_ACCEPT)) r |= BSDSOCK_POLLIN;
  if (a & AFD_POLL_DISCONNECT) r |= BSDSOCK_POLLIN | BSDSOCK_POLLRDHUP;
  if (a & AFD_POLL_SEND) r |= BSDSOCK_POLLOUT;
  if (a & AFD_POLL_RECEIVE_EXPEDITED) r |= BSDSOCK_POLLPRI;
  if (a & (AFD_POLL_ABORT | AFD_POLL_CONNECT_FAIL)) r |= dead;
  return r & (asked | BSDSOCK_POLLERR | BSDSOCK_POLLHUP);
}

/* Issues the entry's poll; with the lock held. */
static int submit(struct poller *p, struct entry *e) {
  NTSTATUS st;
  e->asked = afd_events(e->events);
  memset(&e->info, 0, sizeof(e->info));
  e->info.Timeout.QuadPart = INT64_MAX;
  e->info.NumberOfHandles = 1;
  e->info.Exclusive = FALSE;
  e->info.Handles[0].Handle = (HANDLE)e->base;
  e->info.Handles[0].Events = e->asked;
  e->iosb.Status = STATUS_PENDING;
  e->iosb.Information = 0;
  st = BSDSOCK__OS(pollerctl, STATUS_INJECTED,
                   nt.ioctl(p->afd, NULL, NULL, &e->iosb, &e->iosb,
                            IOCTL_AFD_POLL, &e->info, sizeof(e->info),
                            &e->info, sizeof(e->info)));
  /* Pending, or done at once: either way a completion is queued. */
  if (st != STATUS_PENDING && !NT_SUCCESS(st)) return fail_nt(st);
  e->pending = 1;
  p->inflight++;
  return 0;
}

/* Cancels the entry's poll in flight (iosb NULL: every poll of the
 * poller's AFD handle); its completion comes all the same
 * (STATUS_CANCELLED, or its result if it had completed): 0.
 * STATUS_NOT_FOUND says it had completed already, which is 0 too; any
 * other failure leaves the poll in flight as it was: the error. */
static int cancel_io(struct poller *p, IO_STATUS_BLOCK *iosb) {
  IO_STATUS_BLOCK io;
  NTSTATUS st = BSDSOCK__OS(pollercancel, STATUS_INJECTED,
                            nt.cancel(p->afd, iosb, &io));
  return NT_SUCCESS(st) || st == STATUS_NOT_FOUND ? 0 : fail_nt(st);
}

static int cancel(struct poller *p, struct entry *e) {
  return e->pending ? cancel_io(p, &e->iosb) : 0;
}

/* 1 if the entry's socket was closed (its number may be another's now). */
static int stale(const struct entry *e) {
  return e->sock != bsdsock__fd_get(e->fd) || e->gen != bsdsock__fd_gen(e->fd);
}

/* Takes the entry out of the table and frees it, or, with a poll in
 * flight or a place on the re-arm list, leaves that to the poll's
 * completion or the list's flush; with the lock held. */
static void detach(struct poller *p, struct entry *e) {
  if ((size_t)e->fd < p->cap && p->byfd[e->fd] == e) p->byfd[e->fd] = NULL;
  if (e->pending || e->queued) {
    e->detached = 1;
    /* A poll the cancel missed completes when the socket is ready or
     * closed, or when the poller closes (which cancels every poll), and
     * its completion is dropped then: the delete is done either way. */
    (void)cancel(p, e);
  } else {
    free(e);
  }
}

/* Puts the entry on the re-arm list; with the lock held. */
static void queue_rearm(struct poller *p, struct entry *e) {
  if (e->queued) return;
  e->queued = 1;
  e->next = p->rearm;
  p->rearm = e;
}

/* Polls the re-arm list's entries again (frees the detached ones); with
 * the lock held. An entry that cannot be polled any more is disarmed, as a
 * ONESHOT one that fired: there is no caller to report it to. */
static void flush_rearm(struct poller *p) {
  struct entry *e;
  while ((e = p->rearm) != NULL) {
    p->rearm = e->next;
    e->queued = 0;
    if (e->detached) {
      if (!e->pending) free(e);
    } else if (!e->pending && stale(e)) {
      detach(p, e);
    } else if (!e->pending && e->armed && submit(p, e) != 0) {
      e->armed = 0;
    }
  }
}

/* The live entry for fd, or NULL; an entry for a socket closed since (a
 * number handed out again) is detached on the way. With the lock held. */
static struct entry *lookup(struct poller *p, int fd) {
  struct entry *e = (size_t)fd < p->cap ? p->byfd[fd] : NULL;
  if (e != NULL && stale(e)) {
    detach(p, e);
    e = NULL;
  }
  return e;
}

/* Makes room for fd in the table; with the lock held. */
static int reserve(struct poller *p, int fd) {
  struct entry **t;
  size_t cap = p->cap ? p->cap : 64;
  if ((size_t)fd < p->cap) return 0;
  while (cap <= (size_t)fd) cap *= 2;
  t = BSDSOCK__OS(alloc, NULL, realloc(p->byfd, cap * sizeof(*t)));
  if (t == NULL) return BSDSOCK_ENOMEM;
  memset(t + p->cap, 0, (cap - p->cap) * sizeof(*t));
  p->byfd = t;
  p->cap = cap;
  return 0;
}

/* One completion, with the lock held: 1 and *out filled if it is an event
 * to report. */
static int complete(struct poller *p, struct entry *e,
                    bsdsock_poller_event_t *out) {
  NTSTATUS st = e->iosb.Status;
  ULONG afd;
  uint32_t rev;
  e->pending = 0;
  p->inflight--;
  if (e->detached) {
    if (!e->queued) free(e);
    return 0;
  }
  if (st == STATUS_CANCELLED) {
    /* Cancelled by modify: polled again with the events now asked. */
    queue_rearm(p, e);
    return 0;
  }
  /* Closed (or handed out again), maybe after this completion was
   * queued: it leaves the poller. */
  if (stale(e)) {
    detach(p, e);
    return 0;
  }
  if (!NT_SUCCESS(st)) {
    /* The poll itself failed (AFD no longer knows the socket): reported
     * once as an error, and not polled again until modify. */
    out->data = e->data;
    out->events = BSDSOCK_POLLERR;
    out->reserved = 0;
    e->armed = 0;
    return 1;
  }
  afd = e->info.NumberOfHandles >= 1 ? e->info.Handles[0].Events : 0;
  if (afd & AFD_POLL_LOCAL_CLOSE) {
    detach(p, e);
    return 0;
  }
  rev = afd_to_portable(afd, e->events);
  if (rev != 0) {
    out->data = e->data;
    out->events = rev;
    out->reserved = 0;
  }
  if (rev != 0 && (e->events & BSDSOCK_POLLER_ONESHOT))
    e->armed = 0;
  else
    queue_rearm(p, e);
  return rev != 0;
}

int bsdsock__os_poller_check(int pfd, int fd) {
  /* Both descriptors first (EBADF), then what the poller one is. */
  if ((bsdsock__fd_poller(pfd) == NULL &&
       !BSDSOCK__SOCK_OK(bsdsock__fd_get(pfd))) ||
      (fd >= 0 && !BSDSOCK__SOCK_OK(bsdsock__fd_get(fd)) &&
       bsdsock__fd_poller(fd) == NULL))
    return BSDSOCK_EBADF;
  return bsdsock__fd_poller(pfd) == NULL ? BSDSOCK_EINVAL : 0;
}

static void poller_free(struct poller *p) {
  if (p->afd != NULL) CloseHandle(p->afd);
  if (p->port != NULL) CloseHandle(p->port);
  free(p->byfd);
  free(p);
}

int bsdsock__os_poller_create(void) {
  static WCHAR name[] = L"\\Device\\Afd\\bsdsock";
  UNICODE_STRING uname;
  OBJECT_ATTRIBUTES attr;
  IO_STATUS_BLOCK io;
  struct poller *p;
  NTSTATUS st;
  int fd;
  if (!nt_ready()) return bsdsock__fail(BSDSOCK_EOPNOTSUPP);
  p = bsdsock__calloc(1, sizeof(*p));
  if (p == NULL) return bsdsock__fail(BSDSOCK_ENOMEM);
  InitializeSRWLock(&p->lock);
  p->port = BSDSOCK__OS(pollernew, NULL,
                        CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0,
                                               0));
  if (p->port == NULL) {
    fd = bsdsock__fail_os();
    poller_free(p);
    return fd;
  }
  uname.Buffer = name;
  uname.Length = (USHORT)(sizeof(name) - sizeof(WCHAR));
  uname.MaximumLength = (USHORT)sizeof(name);
  InitializeObjectAttributes(&attr, &uname, 0, NULL, NULL);
  st = BSDSOCK__OS(afdopen, STATUS_INJECTED,
                   nt.create(&p->afd, SYNCHRONIZE, &attr, &io, NULL, 0,
                             FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, 0,
                             NULL, 0));
  if (!NT_SUCCESS(st)) {
    p->afd = NULL;
    fd = fail_nt(st);
    poller_free(p);
    return fd;
  }
  if (BSDSOCK__OS(afdopen, NULL,
                  CreateIoCompletionPort(p->afd, p->port, 0, 0)) == NULL) {
    fd = bsdsock__fail_os();
    poller_free(p);
    return fd;
  }
  /* Nobody waits on the AFD handle itself: its event need not be set. A
   * failure costs only that. */
  (void)BSDSOCK__OS(afdmode, FALSE,
                    SetFileCompletionNotificationModes(
                        p->afd, FILE_SKIP_SET_EVENT_ON_HANDLE));
  fd = bsdsock__fd_alloc_poller(p);
  if (fd < 0) poller_free(p);
  return fd;
}

/* Polls still in flight are cancelled and their completions collected
 * (each frees its entry) before the memory goes; if some never came back
 * within the bound, the poller's memory is left rather than freed under a
 * poll the kernel may still write to. */
#define CLOSE_DRAIN_MS 5000

int bsdsock__os_poller_close(int pfd) {
  struct poller *p = bsdsock__fd_poller(pfd);
  OVERLAPPED_ENTRY oe[64];
  ULONG got, i;
  uint64_t t0 = (uint64_t)bsdsock__now_us();
  size_t fd;
  if (p == NULL) return bsdsock__fail(BSDSOCK_EBADF);
  bsdsock__fd_release(pfd);
  AcquireSRWLockExclusive(&p->lock);
  for (fd = 0; fd < p->cap; fd++)
    if (p->byfd[fd] != NULL) detach(p, p->byfd[fd]);
  flush_rearm(p);
  /* Also the polls of entries deleted earlier whose cancel failed. */
  if (p->inflight > 0) (void)cancel_io(p, NULL);
  while (p->inflight > 0 &&
         (uint64_t)bsdsock__now_us() - t0 < CLOSE_DRAIN_MS * 1000ull) {
    if (!BSDSOCK__OS(pollerwait, FALSE,
                     GetQueuedCompletionStatusEx(p->port, oe, 64, &got, 100,
                                                 FALSE)))
      continue;
    for (i = 0; i < got; i++) {
      struct entry *e = (struct entry *)oe[i].lpOverlapped;
      bsdsock_poller_event_t ignored;
      if (e != NULL) complete(p, e, &ignored);
    }
  }
  ReleaseSRWLockExclusive(&p->lock);
  if (p->inflight == 0) poller_free(p);
  return 0;
}

int bsdsock__os_poller_ctl(int pfd, int op, int fd, uint32_t events,
                           uint64_t data) {
  struct poller *p = bsdsock__fd_poller(pfd);
  SOCKET s = bsdsock__fd_get(fd), base = INVALID_SOCKET;
  struct entry *e;
  DWORD len = 0;
  int rc = 0;
  if (p == NULL || s == INVALID_SOCKET) {
    rc = bsdsock__os_poller_check(pfd, fd);
    return bsdsock__fail(rc != 0 ? rc : BSDSOCK_EBADF);
  }
  if (events & BSDSOCK_POLLER_ET) return bsdsock__fail(BSDSOCK_EOPNOTSUPP);
  if (op == BSDSOCK__POLLER_ADD &&
      BSDSOCK__OS(basehandle, SOCKET_ERROR,
                  WSAIoctl(s, SIO_BASE_HANDLE, NULL, 0, &base, sizeof(base),
                           &len, NULL, NULL)) != 0)
    return bsdsock__fail_os();
  AcquireSRWLockExclusive(&p->lock);
  e = lookup(p, fd);
  switch (op) {
    case BSDSOCK__POLLER_ADD:
      if (e != NULL) {
        rc = bsdsock__fail(BSDSOCK_EEXIST);
        break;
      }
      if ((rc = reserve(p, fd)) != 0) {
        rc = bsdsock__fail(rc);
        break;
      }
      e = bsdsock__calloc(1, sizeof(*e));
      if (e == NULL) {
        rc = bsdsock__fail(BSDSOCK_ENOMEM);
        break;
      }
      e->sock = s;
      e->base = base;
      e->gen = bsdsock__fd_gen(fd);
      e->fd = fd;
      e->events = events;
      e->data = data;
      e->armed = 1;
      rc = submit(p, e);
      if (rc != 0) {
        free(e);
        break;
      }
      p->byfd[fd] = e;
      break;
    case BSDSOCK__POLLER_MOD:
      if (e == NULL) {
        rc = bsdsock__fail(BSDSOCK_ENOENT);
        break;
      }
      /* A poll in flight for other events is cancelled, and its
       * completion has the new one issued; otherwise it is issued now
       * (also for an entry waiting on the re-arm list), so that a thread
       * already blocked in the wait sees it. A failed cancel leaves the
       * old poll, and the registration, as they were. */
      if (e->pending) {
        if (afd_events(events) != e->asked) rc = cancel(p, e);
        if (rc != 0) break;
        e->events = events;
        e->data = data;
        e->armed = 1;
      } else {
        e->events = events;
        e->data = data;
        e->armed = 1;
        rc = submit(p, e);
        if (rc != 0) e->armed = 0;
      }
      break;
    default:
      if (e == NULL)
        rc = bsdsock__fail(BSDSOCK_ENOENT);
      else
        detach(p, e);
      break;
  }
  ReleaseSRWLockExclusive(&p->lock);
  return rc;  /* every failure was recorded where it was found */
}

/* Completions collected per wait (each is at most one event). */
#define WAIT_BATCH 256

int bsdsock__os_poller_wait(int pfd, bsdsock_poller_event_t *out, int max,
                            int64_t timeout_us) {
  struct poller *p = bsdsock__fd_poller(pfd);
  OVERLAPPED_ENTRY oe[WAIT_BATCH];
  ULONG got = 0, i;
  DWORD ms = INFINITE;
  int n = 0;
  BOOL ok;
  if (p == NULL) {
    int rc = bsdsock__os_poller_check(pfd, -1);
    return bsdsock__fail(rc != 0 ? rc : BSDSOCK_EBADF);
  }
  if (max > WAIT_BATCH) max = WAIT_BATCH;
  AcquireSRWLockExclusive(&p->lock);
  flush_rearm(p);
  ReleaseSRWLockExclusive(&p->lock);
  /* Rounded up: never wake before the caller's timeout. */
  if (timeout_us >= 0)
    ms = timeout_us >= (int64_t)(INFINITE - 1) * 1000
             ? INFINITE - 1
             : (DWORD)((timeout_us + 999) / 1000);
  ok = BSDSOCK__OS(pollerwait, FALSE,
                   GetQueuedCompletionStatusEx(p->port, oe, (ULONG)max, &got,
                                               ms, FALSE));
  if (!ok) {
    if (GetLastError() == WAIT_TIMEOUT) return 0;
    return bsdsock__fail_os();
  }
  AcquireSRWLockExclusive(&p->lock);
  for (i = 0; i < got; i++) {
    struct entry *e = (struct entry *)oe[i].lpOverlapped;
    if (e != NULL) n += complete(p, e, &out[n]);
  }
  ReleaseSRWLockExclusive(&p->lock);
  return n;
}
