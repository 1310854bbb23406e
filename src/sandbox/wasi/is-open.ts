/**
 * Whether a guest descriptor is open, asked of uvwasi without changing anything. Asking to
 * raise a descriptor's rights to every bit is refused before anything is set: EBADF when the
 * descriptor is not open, ENOTCAPABLE when it is (no descriptor holds all 64 bits). The
 * earlier probe, fd_advise, also says EBADF for open directories.
 */
import { ERRNO } from './errno.js';

const ALL_RIGHTS = 0xffff_ffff_ffff_ffffn;

export function isOpen(wasi: Record<string, (...args: any[]) => unknown>, fd: unknown): boolean {
  return wasi.fd_fdstat_set_rights?.(fd, ALL_RIGHTS, ALL_RIGHTS) !== ERRNO.BADF;
}
