/* SPDX-License-Identifier: MIT */
/*
 * src/compat/bsd/nonsock_win32.c - pipe(), and the readiness of pipes, the
 * console and files for the drop-in select() and poll() (nonsock.h).
 *
 * Winsock's select() and WSAPoll() take sockets only, and a C runtime
 * descriptor's handle cannot be waited on for "readable" either: an
 * anonymous pipe's handle is signalled whatever its contents, and a
 * console input handle is signalled by any event in its buffer (a mouse
 * move, a key release). So each is asked, without waiting, the way
 * gnulib's replacement poll() asks them: PeekNamedPipe for the bytes a
 * pipe holds, PeekConsoleInput for a key press, and a disk file is always
 * ready, as on Linux. fdset.c repeats the questions between short waits
 * on the sockets.
 */
#include "../compat.h"
#include "bsdsock/compat_bsd.h"
#include "bsdsock/poll.h"
#include "nonsock.h"
#include "../route.h"

#include <errno.h>

/* The pipe's buffer, Linux's default size: a self-pipe or a producer
 * writes that much before a write() blocks. */
#define PIPE_BUFFER 65536

/* Console input records examined per question: a line typed before the
 * program polls fits, and so do the focus and mouse events around it. */
#define CONSOLE_RECORDS 256

#define IN_BITS (BSDSOCK_POLLIN | BSDSOCK_POLLRDNORM)
#define OUT_BITS (BSDSOCK_POLLOUT | BSDSOCK_POLLWRNORM)

int bsdsock_compat_pipe(int fds[2]) {
  if (fds == NULL) return bsdsock__compat_fail(BSDSOCK_EFAULT);
  /* _O_BINARY: read() and write() pass bytes unchanged, as POSIX does
   * (text mode turns "\n" into "\r\n" and stops reading at ^Z). Both ends
   * are inheritable, as pipe() without O_CLOEXEC gives them. */
  errno = 0;
  if (BSDSOCK__OS(pipe, -1, _pipe(fds, PIPE_BUFFER, _O_BINARY)) == 0)
    return 0;
  /* The C runtime sets errno; an injected failure (src/fault.h) sets only
   * the native error. */
  if (errno != 0) return -1;
  return bsdsock__compat_fail(bsdsock__os_translate((int)GetLastError()));
}

static DWORD file_type(HANDLE h) {
  return BSDSOCK__OS(peek, FILE_TYPE_UNKNOWN, GetFileType(h));
}

int bsdsock__compat_peekable(int fd) {
  HANDLE h;
  DWORD type;
  /* A socket is bsdsock's to wait on; its placeholder descriptor (the NUL
   * device, src/win32/fdtable.c) must not be taken for a file. */
  if (fd < 0 || bsdsock_native_handle(fd) != BSDSOCK_OS_SOCK_INVALID) return 0;
  /* Nor is a remote socket's (transparent mode, src/compat/route.h). */
  if (bsdsock__route_is_remote(fd)) return 0;
  h = (HANDLE)_get_osfhandle(fd);
  if (h == INVALID_HANDLE_VALUE) return 0;
  type = file_type(h);
  return type == FILE_TYPE_PIPE || type == FILE_TYPE_CHAR ||
         type == FILE_TYPE_DISK;
}

/* A pipe end. Only the read end answers PeekNamedPipe (the write end has
 * no read access, ERROR_ACCESS_DENIED), which also tells the two apart:
 * as on Linux, a read end is never writable and a write end never
 * readable. An anonymous pipe tells neither how much room is left nor
 * whether the reader is gone without NtQueryInformationFile, so a write
 * end is reported writable (docs/compat.md). */
static short peek_pipe(HANDLE h, short in, short out) {
  DWORD avail = 0;
  if (BSDSOCK__OS(peek, FALSE,
                  PeekNamedPipe(h, NULL, 0, NULL, &avail, NULL)))
    return avail > 0 ? in : 0;
  switch (GetLastError()) {
    case ERROR_BROKEN_PIPE:
      /* Every writer closed and nothing is left: read() returns 0. Linux
       * says POLLHUP alone for that, and select() counts it readable. */
      return BSDSOCK_POLLHUP;
    case ERROR_ACCESS_DENIED:
      return out;  /* the write end */
    default:
      return BSDSOCK_POLLERR;
  }
}

/* A character device: console input, a console screen buffer (output
 * only), or another device such as NUL, which is always ready (as
 * /dev/null is).
 *
 * Console input is readable when read() will not block: a key press that
 * types a character is queued, and in line mode (the default, as a Linux
 * terminal in canonical mode) the Enter that ends the line, since the C
 * runtime's read() waits for it. Other records (key releases, Shift
 * alone, mouse, focus, resize) never make read() return. */
static short peek_char(HANDLE h, short in, short out) {
  INPUT_RECORD rec[CONSOLE_RECORDS];
  DWORD mode = 0, n = 0, got = 0, i;
  if (!BSDSOCK__OS(peek, FALSE, GetConsoleMode(h, &mode)))
    return (short)(in | out);
  /* Only an input handle has an input buffer to count. */
  if (!BSDSOCK__OS(peek, FALSE, GetNumberOfConsoleInputEvents(h, &n)))
    return out;
  if (in == 0 || n == 0) return out;
  if (!BSDSOCK__OS(peek, FALSE,
                   PeekConsoleInputW(h, rec, CONSOLE_RECORDS, &got)))
    return (short)(out | BSDSOCK_POLLERR);
  for (i = 0; i < got; i++) {
    const KEY_EVENT_RECORD *k = &rec[i].Event.KeyEvent;
    if (rec[i].EventType != KEY_EVENT || !k->bKeyDown ||
        k->uChar.UnicodeChar == 0)
      continue;
    if (!(mode & ENABLE_LINE_INPUT) || k->uChar.UnicodeChar == L'\r')
      return (short)(out | in);
  }
  return out;
}

short bsdsock__compat_peek(int fd, short events) {
  HANDLE h = (HANDLE)_get_osfhandle(fd);
  short in = (short)(events & IN_BITS), out = (short)(events & OUT_BITS);
  if (h == INVALID_HANDLE_VALUE) return BSDSOCK_POLLNVAL;
  switch (file_type(h)) {
    case FILE_TYPE_PIPE:
      return peek_pipe(h, in, out);
    case FILE_TYPE_CHAR:
      return peek_char(h, in, out);
    case FILE_TYPE_DISK:
      return (short)(in | out);  /* a regular file never blocks (Linux) */
    default:
      return BSDSOCK_POLLERR;
  }
}

/* ---- transparent mode (src/compat/route.h) ------------------------------- */

static SRWLOCK route_locks[2] = {SRWLOCK_INIT, SRWLOCK_INIT};

int bsdsock__compat_placeholder_open(void) {
  return BSDSOCK__OS(placeholder, -1,
                     _open("NUL", _O_RDONLY | _O_BINARY | _O_NOINHERIT));
}

void bsdsock__compat_placeholder_close(int fd) {
  _close(fd);
}

void bsdsock__compat_lock(int which) {
  AcquireSRWLockExclusive(&route_locks[which]);
}

void bsdsock__compat_unlock(int which) {
  ReleaseSRWLockExclusive(&route_locks[which]);
}

/* Winsock's h_errno is WSAGetLastError(). */
void bsdsock__compat_set_herror(int h) {
  WSASetLastError(h);
}
