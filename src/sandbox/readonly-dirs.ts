/**
 * node:wasi has no read-only preopens, and Node's permission model does not apply to WASI file
 * access. WASI's own capability rights do: uvwasi refuses any operation a descriptor lacks the
 * right for, and descriptors opened beneath a directory inherit at most its inheriting rights.
 * So a read-only dir is its preopen with every write-like right dropped, before the guest's
 * first WASI call (there is no earlier point: the instance's memory only exists once it starts).
 */
const R = (bit: number): bigint => 1n << BigInt(bit);
const FD_READ = R(1), FD_SEEK = R(2), FD_TELL = R(5), FD_ADVISE = R(7);
const PATH_OPEN = R(13), FD_READDIR = R(14), PATH_READLINK = R(15), PATH_FILESTAT_GET = R(18);
const FD_FILESTAT_GET = R(21), POLL_FD_READWRITE = R(27);

const DIR_BASE = PATH_OPEN | FD_READDIR | PATH_READLINK | PATH_FILESTAT_GET | FD_FILESTAT_GET;
const DIR_INHERITING = DIR_BASE | FD_READ | FD_SEEK | FD_TELL | FD_ADVISE | POLL_FD_READWRITE;

type WasiFunction = (...args: unknown[]) => unknown;

export function dropWriteRights(
  imports: Record<string, Record<string, unknown>>,
  readonlyFds: number[],
): Record<string, Record<string, unknown>> {
  const wasi = imports.wasi_snapshot_preview1 as Record<string, WasiFunction>;
  const setRights = wasi.fd_fdstat_set_rights;
  if (!setRights) throw new Error('fd_fdstat_set_rights is missing: cannot make directories read-only');
  let dropped = false;
  const wrapped: Record<string, WasiFunction> = {};
  for (const [name, fn] of Object.entries(wasi)) {
    wrapped[name] = (...args: unknown[]) => {
      if (!dropped) {
        dropped = true;
        for (const fd of readonlyFds) {
          const errno = setRights(fd, DIR_BASE, DIR_INHERITING);
          if (errno !== 0) throw new Error(`could not make preopen fd ${fd} read-only (errno ${String(errno)})`);
        }
      }
      return fn(...args);
    };
  }
  return { ...imports, wasi_snapshot_preview1: wrapped };
}
