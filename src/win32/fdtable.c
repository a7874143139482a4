/* SPDX-License-Identifier: MIT */
/*
 * src/win32/fdtable.c - small-integer descriptors for Winsock SOCKETs.
 *
 * A SOCKET is an arbitrary pointer-wide handle (quirk Q39), and its value
 * overlaps the C runtime's file descriptor numbers, so close()/read() on
 * one can hit the other (libressl#1358, getdns#229). bsdsock therefore
 * numbers sockets itself, in the C runtime's own namespace:
 *
 *  - a socket takes the lowest number that is free in bsdsock's table and
 *    not an open CRT descriptor, as a socket on BSD gets the lowest number
 *    free among files and sockets;
 *  - once CRT numbering is on (bsdsock_crt_numbering(), which the drop-in
 *    BSD layer calls at its first call: legacy code hands socket numbers to
 *    close() and read(), which must tell them from files), each socket
 *    also holds a placeholder CRT descriptor on "NUL", so the CRT hands out
 *    the lowest number free among files *and* sockets and can never give
 *    that number to a file while the socket lives; the sockets already
 *    open are given theirs when it is switched on (quirk Q68);
 *  - with CRT numbering on and the CRT's table full (2,048 entries with
 *    msvcrt, 8,192 with UCRT), sockets are numbered from
 *    BSDSOCK__FD_OVERFLOW up, a range the CRT can never allocate.
 *
 * The placeholder is not free: opening and closing one is three
 * wineserver requests under Wine (a handle duplicate, the descriptor
 * behind it, the close) against about eleven for a socket's whole
 * connect/close, and a host descriptor for each live socket. A program
 * that never uses the drop-in layer, nor close() on its socket numbers,
 * pays none of it.
 *
 * With CRT numbering on, a legacy program that mixes C runtime and socket
 * calls may close a socket's number with the C runtime's _close() (not bsdsock_close() or the
 * drop-in close()): that closes the placeholder, the socket stays open,
 * and the C runtime may give the number out again. bsdsock cannot see the
 * _close() itself; it notices the next time it opens a placeholder and the
 * C runtime hands it a number a live socket holds. The new descriptor then
 * becomes that socket's placeholder again (the number is reserved once
 * more, so no file can get it while the socket lives) and bsdsock opens
 * another for the new socket. A file the program opens before that takes
 * the number; closing the socket then leaves that file alone (a
 * placeholder is closed only while it is still bsdsock's, see
 * placeholder_ours).
 *
 * The table is two-level: chunks of slots allocated on first use and never
 * freed or moved, so readers (every send/recv) look a descriptor up with two
 * atomic loads and no lock. Writers (socket/accept/close) serialise on one
 * SRW lock. As with POSIX descriptors, using a number while another thread
 * closes it is the caller's race.
 */
#include "../internal.h"

#include <stdatomic.h>
#include <stdlib.h>

#define CHUNK_BITS 10
#define CHUNK_SIZE (1 << CHUNK_BITS)
#define MAX_CHUNKS 1024                       /* 1,048,576 descriptors */
#define BSDSOCK__FD_OVERFLOW 8192

struct slot {
  _Atomic(uintptr_t) sock;   /* INVALID_SOCKET when free */
  _Atomic(unsigned) flags;   /* BSDSOCK__FD_* */
  _Atomic(int) error_seen;   /* SO_ERROR value already reported */
  _Atomic(uintptr_t) poller; /* a poller's state (poller.c), else 0 */
  _Atomic(unsigned) gen;     /* counts the numbers handed out here */
  /* TCP keepalive times set through SIO_KEEPALIVE_VALS, seconds (0: not
   * set), idle << 16 | interval: Winsock cannot report them. */
  _Atomic(unsigned) keepalive;
  int placeholder;           /* 1 if the CRT descriptor fd is ours */
  intptr_t crt_handle;       /* the OS handle behind that descriptor */
};

static struct slot *_Atomic chunks[MAX_CHUNKS];
static SRWLOCK lock = SRWLOCK_INIT;
static _Atomic(int) limit;   /* one past the highest number handed out */
static int overflow_hint = BSDSOCK__FD_OVERFLOW;
static int low_hint;         /* no free slot below it (CRT numbering off) */
static _Atomic(int) crt_numbering; /* CRT numbering on (see above) */

static struct slot *slot_of(int fd) {
  struct slot *chunk;
  if ((unsigned)fd >= (unsigned)(MAX_CHUNKS * CHUNK_SIZE)) return NULL;
  chunk = atomic_load_explicit(&chunks[fd >> CHUNK_BITS],
                               memory_order_acquire);
  return chunk ? &chunk[fd & (CHUNK_SIZE - 1)] : NULL;
}

/* The slot for fd, allocating its chunk; called with the lock held. */
static struct slot *slot_make(int fd) {
  struct slot *chunk;
  int i;
  if ((unsigned)fd >= (unsigned)(MAX_CHUNKS * CHUNK_SIZE)) return NULL;
  chunk = atomic_load_explicit(&chunks[fd >> CHUNK_BITS],
                               memory_order_relaxed);
  if (chunk == NULL) {
    chunk = malloc(sizeof(*chunk) * CHUNK_SIZE);
    if (chunk == NULL) return NULL;
    for (i = 0; i < CHUNK_SIZE; i++) {
      atomic_init(&chunk[i].sock, (uintptr_t)INVALID_SOCKET);
      atomic_init(&chunk[i].flags, 0u);
      atomic_init(&chunk[i].error_seen, 0);
      atomic_init(&chunk[i].poller, (uintptr_t)0);
      atomic_init(&chunk[i].gen, 0u);
      atomic_init(&chunk[i].keepalive, 0u);
      chunk[i].placeholder = 0;
      chunk[i].crt_handle = -1;
    }
    atomic_store_explicit(&chunks[fd >> CHUNK_BITS], chunk,
                          memory_order_release);
  }
  return &chunk[fd & (CHUNK_SIZE - 1)];
}

/* A poller's number holds no socket (so that every socket call on it finds
 * none and says EBADF) but is taken all the same. */
static int slot_free(const struct slot *sl) {
  return atomic_load_explicit(&sl->sock, memory_order_relaxed) ==
             (uintptr_t)INVALID_SOCKET &&
         atomic_load_explicit(&sl->poller, memory_order_relaxed) == 0;
}

/* Lowest free number in the overflow range; called with the lock held. */
static int overflow_number(void) {
  int fd;
  for (fd = overflow_hint; fd < MAX_CHUNKS * CHUNK_SIZE; fd++) {
    struct slot *sl = slot_make(fd);
    if (sl == NULL) return -1;
    if (slot_free(sl)) return fd;
  }
  return -1;
}

/* The null device, opened once (with the lock held) and kept for the
 * process's life: every placeholder is a C runtime descriptor on a
 * duplicate of this handle. A duplicate is another handle to the same open
 * file, where each _open("NUL") opens the device anew; under Wine that
 * costs wineserver a host descriptor per placeholder, and the host's
 * descriptor limit is what bounds the number of sockets there
 * (docs/readiness.md). */
static HANDLE nul_handle = INVALID_HANDLE_VALUE;

/* A new placeholder descriptor, or -1. */
static int placeholder_open(void) {
  HANDLE h;
  int fd;
  if (nul_handle == INVALID_HANDLE_VALUE)
    nul_handle = CreateFileW(L"NUL", GENERIC_READ | GENERIC_WRITE,
                             FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                             OPEN_EXISTING, 0, NULL);
  if (nul_handle == INVALID_HANDLE_VALUE ||
      !DuplicateHandle(GetCurrentProcess(), nul_handle, GetCurrentProcess(),
                       &h, 0, FALSE, DUPLICATE_SAME_ACCESS))
    return -1;
  fd = _open_osfhandle((intptr_t)h, _O_NOINHERIT);
  if (fd < 0) CloseHandle(h);
  return fd;
}

/* Makes C runtime descriptor fd the placeholder of sl; with the lock. */
static void placeholder_set(struct slot *sl, int fd) {
  sl->placeholder = 1;
  sl->crt_handle = _get_osfhandle(fd);
}

/* 1 if the C runtime descriptor fd is still the placeholder sl holds: the
 * same OS handle, and still the null device (a character device). After a
 * _close() behind bsdsock's back, the number may be free, or a file's
 * whose handle may even have the same value (Windows reuses handle values
 * at once); such a file is a disk file, a pipe or a socket. */
static int placeholder_ours(const struct slot *sl, int fd) {
  intptr_t h = _get_osfhandle(fd);
  return h != -1 && h == sl->crt_handle &&
         GetFileType((HANDLE)h) == FILE_TYPE_CHAR;
}

/* 1 if fd is an open C runtime descriptor (one the table cannot see). */
static int crt_open(int fd) {
  return fd < BSDSOCK__FD_OVERFLOW && _get_osfhandle(fd) != -1;
}

/* CRT numbering off: the lowest number free in the table that is not an
 * open C runtime descriptor either, or -1; called with the lock held. The
 * C runtime may give the number to a file later: nothing in bsdsock's API
 * mixes the two until CRT numbering is switched on. */
static int table_number(void) {
  int fd, seen_free = 0;
  for (fd = low_hint; fd < MAX_CHUNKS * CHUNK_SIZE; fd++) {
    const struct slot *sl = slot_of(fd);
    if (sl != NULL && !slot_free(sl)) continue;
    if (!seen_free) {
      seen_free = 1;
      low_hint = fd;
    }
    if (!crt_open(fd)) return fd;
  }
  return -1;
}

/* CRT numbering on: the lowest number free among the C runtime's and the
 * table's, held by a new placeholder (*placeholder = 1), or one from the
 * overflow range (*placeholder = 0); *slp its slot. The number, or a
 * negative error; called with the lock held. */
static int crt_number(struct slot **slp, int *placeholder) {
  struct slot *sl;
  int fd;
  for (;;) {
    fd = BSDSOCK__OS(placeholder, -1, placeholder_open());
    if (fd < 0) break;
    sl = BSDSOCK__OS(fdtable, NULL, slot_make(fd));
    if (sl == NULL) {
      _close(fd);
      return BSDSOCK_ENOMEM;
    }
    if (slot_free(sl)) {
      *slp = sl;
      *placeholder = 1;
      return fd;
    }
    /* A live socket's number: its placeholder was closed behind bsdsock's
     * back (or it was opened before CRT numbering and could not have one,
     * quirk Q68), and this descriptor takes its place. Each time round,
     * one more number is reserved, so the C runtime's next is another. */
    placeholder_set(sl, fd);
  }
  *placeholder = 0;
  fd = overflow_number();
  if (fd < 0) return BSDSOCK_EMFILE;
  *slp = slot_of(fd);
  overflow_hint = fd + 1;
  return fd;
}

/* Takes the lowest free number for socket s or poller p (the other one
 * INVALID_SOCKET / NULL): the number, or a negative error (nothing is
 * closed or freed). */
static int number_take(SOCKET s, void *p, unsigned flags) {
  struct slot *sl = NULL;
  int fd, placeholder = 0;

  AcquireSRWLockExclusive(&lock);
  if (atomic_load_explicit(&crt_numbering, memory_order_relaxed)) {
    fd = crt_number(&sl, &placeholder);
  } else {
    fd = table_number();
    if (fd < 0)
      fd = BSDSOCK_EMFILE;
    else if ((sl = BSDSOCK__OS(fdtable, NULL, slot_make(fd))) == NULL)
      fd = BSDSOCK_ENOMEM;
  }
  if (fd >= 0) {
    if (placeholder)
      placeholder_set(sl, fd);
    else
      sl->placeholder = 0;
    atomic_store_explicit(&sl->flags, flags, memory_order_relaxed);
    atomic_store_explicit(&sl->error_seen, 0, memory_order_relaxed);
    atomic_fetch_add_explicit(&sl->gen, 1u, memory_order_relaxed);
    atomic_store_explicit(&sl->poller, (uintptr_t)p, memory_order_release);
    atomic_store_explicit(&sl->keepalive, 0u, memory_order_relaxed);
    atomic_store_explicit(&sl->sock, (uintptr_t)s, memory_order_release);
    if (fd >= atomic_load_explicit(&limit, memory_order_relaxed))
      atomic_store_explicit(&limit, fd + 1, memory_order_relaxed);
  }
  ReleaseSRWLockExclusive(&lock);
  return fd;
}

/* Gives live socket fd, which has none, a placeholder at its own number,
 * unless the C runtime gave that number to a file meanwhile (quirk Q68).
 * With the lock held. */
static void placeholder_reserve(struct slot *sl, int fd) {
  int ph;
  if (crt_open(fd)) return;
  ph = BSDSOCK__OS(placeholder, -1, placeholder_open());
  if (ph < 0) return;
  if (ph == fd) {
    placeholder_set(sl, fd);
    return;
  }
  /* _dup2 makes the number fd itself a descriptor on the same device. It
   * fails beyond the C runtime's table, where no file can get fd either. */
  if (BSDSOCK__OS(placeholder, -1, _dup2(ph, fd)) == 0) placeholder_set(sl, fd);
  _close(ph);
}

int bsdsock__fd_crt_numbering(void) {
  int fd, end;
  if (atomic_load_explicit(&crt_numbering, memory_order_acquire)) return 0;
  AcquireSRWLockExclusive(&lock);
  if (!atomic_load_explicit(&crt_numbering, memory_order_relaxed)) {
    end = atomic_load_explicit(&limit, memory_order_relaxed);
    if (end > BSDSOCK__FD_OVERFLOW) end = BSDSOCK__FD_OVERFLOW;
    for (fd = 0; fd < end; fd++) {
      struct slot *sl = slot_of(fd);
      if (sl != NULL && !slot_free(sl) && !sl->placeholder)
        placeholder_reserve(sl, fd);
    }
    atomic_store_explicit(&crt_numbering, 1, memory_order_release);
  }
  ReleaseSRWLockExclusive(&lock);
  return 0;
}

int bsdsock__fd_alloc(bsdsock__sock_t s, unsigned flags) {
  int fd = number_take(s, NULL, flags);
  if (fd < 0) {
    closesocket(s);
    return bsdsock__fail(fd);
  }
  return fd;
}

int bsdsock__fd_alloc_poller(void *p) {
  int fd = number_take(INVALID_SOCKET, p, BSDSOCK__FD_POLLER);
  return fd < 0 ? bsdsock__fail(fd) : fd;
}

void *bsdsock__fd_poller(int fd) {
  const struct slot *sl = slot_of(fd);
  return sl ? (void *)atomic_load_explicit(&sl->poller, memory_order_acquire)
            : NULL;
}

unsigned bsdsock__fd_gen(int fd) {
  const struct slot *sl = slot_of(fd);
  return sl ? atomic_load_explicit(&sl->gen, memory_order_acquire) : 0;
}

bsdsock__sock_t bsdsock__fd_get(int fd) {
  const struct slot *sl = slot_of(fd);
  return sl ? (SOCKET)atomic_load_explicit(&sl->sock, memory_order_acquire)
            : INVALID_SOCKET;
}

bsdsock__sock_t bsdsock__fd_release(int fd) {
  struct slot *sl;
  SOCKET s = INVALID_SOCKET;
  AcquireSRWLockExclusive(&lock);
  sl = slot_of(fd);
  if (sl != NULL && !slot_free(sl)) {
    s = (SOCKET)atomic_exchange(&sl->sock, (uintptr_t)INVALID_SOCKET);
    atomic_store(&sl->poller, (uintptr_t)0);
    atomic_store(&sl->flags, 0u);
    if (!sl->placeholder) {
      if (fd >= BSDSOCK__FD_OVERFLOW && fd < overflow_hint) overflow_hint = fd;
    } else if (placeholder_ours(sl, fd)) {
      _close(fd);
    }
    if (fd < low_hint) low_hint = fd;
    sl->placeholder = 0;
    sl->crt_handle = -1;
  }
  ReleaseSRWLockExclusive(&lock);
  return s;
}

unsigned bsdsock__fd_flags(int fd) {
  const struct slot *sl = slot_of(fd);
  return sl ? atomic_load_explicit(&sl->flags, memory_order_relaxed) : 0;
}

void bsdsock__fd_set_flags(int fd, unsigned set, unsigned clear) {
  struct slot *sl = slot_of(fd);
  if (sl == NULL) return;
  if (clear) atomic_fetch_and(&sl->flags, ~clear);
  if (set) atomic_fetch_or(&sl->flags, set);
}

int bsdsock__fd_limit(void) {
  return atomic_load_explicit(&limit, memory_order_relaxed);
}

int bsdsock__fd_error_seen(int fd) {
  const struct slot *sl = slot_of(fd);
  return sl ? atomic_load_explicit(&sl->error_seen, memory_order_relaxed) : 0;
}

void bsdsock__fd_set_error_seen(int fd, int err) {
  struct slot *sl = slot_of(fd);
  if (sl) atomic_store_explicit(&sl->error_seen, err, memory_order_relaxed);
}

void bsdsock__fd_keepalive(int fd, unsigned *idle, unsigned *intvl) {
  const struct slot *sl = slot_of(fd);
  unsigned v = sl ? atomic_load_explicit(&sl->keepalive, memory_order_relaxed)
                  : 0u;
  *idle = v >> 16;
  *intvl = v & 0xffffu;
}

void bsdsock__fd_set_keepalive(int fd, unsigned idle, unsigned intvl) {
  struct slot *sl = slot_of(fd);
  if (sl)
    atomic_store_explicit(&sl->keepalive, (idle & 0xffffu) << 16 | (intvl & 0xffffu),
                          memory_order_relaxed);
}

/* Windows' poll finds no socket behind a poller's number and reports it
 * POLLNVAL by itself (poll.c): nothing to look for. */
int bsdsock__fd_pollers_seen(void) {
  return 0;
}
