/**
 * fd_fdstat_get's `fs_flags` as WASI fdflags. uvwasi copies the host's fcntl(F_GETFL) bits there
 * as they are, cut to 16 bits: Linux's O_APPEND (0o2000) is not WASI's APPEND (1), an opened
 * file or directory shows O_LARGEFILE (0o100000) as a flag of its own, and a write-only pipe's
 * O_WRONLY (1) reads as APPEND. Here the host bits are read as Linux defines them, the platform
 * this runs on, and only the ones WASI has are kept. O_SYNC's own bit is above the 16 uvwasi
 * keeps: a file opened with SYNC or RSYNC reports DSYNC, the part of O_SYNC that is left.
 */
import { ERRNO } from './errno.js';

const LINUX_O_APPEND = 0o2000;
const LINUX_O_NONBLOCK = 0o4000;
const LINUX_O_DSYNC = 0o10000;
const FDFLAGS_APPEND = 1;
const FDFLAGS_DSYNC = 2;
const FDFLAGS_NONBLOCK = 4;
/** fdstat: fs_filetype u8 at 0, fs_flags u16 at 2. */
const FLAGS_AT = 2;

export function wasiFdflags(host: number): number {
  return (host & LINUX_O_APPEND ? FDFLAGS_APPEND : 0) | (host & LINUX_O_DSYNC ? FDFLAGS_DSYNC : 0) | (host & LINUX_O_NONBLOCK ? FDFLAGS_NONBLOCK : 0);
}

export function fdstatWithWasiFlags(fdstatGet: (fd: number, out: number) => number, memory: () => WebAssembly.Memory) {
  return (fd: number, out: number): number => {
    const errno = fdstatGet(fd, out);
    if (errno === ERRNO.SUCCESS) {
      const view = new DataView(memory().buffer);
      view.setUint16(out + FLAGS_AT, wasiFdflags(view.getUint16(out + FLAGS_AT, true)), true);
    }
    return errno;
  };
}
