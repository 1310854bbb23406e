/** The WASI preview 1 errno values the path layer answers with (witx `errno`). */
export const ERRNO = {
  SUCCESS: 0,
  ACCES: 2,
  BADF: 8,
  EXIST: 20,
  FAULT: 21,
  ILSEQ: 25,
  INVAL: 28,
  IO: 29,
  LOOP: 32,
  NAMETOOLONG: 37,
  NOBUFS: 42,
  NOENT: 44,
  NOTDIR: 54,
  NOTSOCK: 57,
  PERM: 63,
  NOTCAPABLE: 76,
} as const;

/** A host error from `node:fs` as the WASI errno a guest should see; unknown ones are EIO. */
export function errnoOf(error: unknown): number {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return ERRNO.NOENT;
    case 'ENOTDIR':
      return ERRNO.NOTDIR;
    case 'EACCES':
      return ERRNO.ACCES;
    case 'ELOOP':
      return ERRNO.LOOP;
    case 'ENAMETOOLONG':
      return ERRNO.NAMETOOLONG;
    // Node's permission model refused a host path: the worker was not granted it, so neither is the guest.
    case 'ERR_ACCESS_DENIED':
      return ERRNO.NOTCAPABLE;
    default:
      return ERRNO.IO;
  }
}
