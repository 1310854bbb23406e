/**
 * node:wasi has no read-only preopens, and Node's permission model does not apply to WASI file
 * access. WASI's own capability rights do: uvwasi refuses any operation a descriptor lacks the
 * right for, and descriptors opened beneath a directory inherit at most its inheriting rights.
 * So a read-only dir is its preopen with every write-like right dropped, before the guest's
 * first WASI call (there is no earlier point: the instance's memory only exists once it starts).
 * What a guest may ask path_open for beneath it is fitted to those rights by the path layer
 * (wasi/read-only-open.ts), so that reads asking for more than they use still work.
 */
import { READ_ONLY_DIR_BASE, READ_ONLY_INHERITING } from './wasi/read-only-open.js';

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
          const errno = setRights(fd, READ_ONLY_DIR_BASE, READ_ONLY_INHERITING);
          if (errno !== 0) throw new Error(`could not make preopen fd ${fd} read-only (errno ${String(errno)})`);
        }
      }
      return fn(...args);
    };
  }
  return { ...imports, wasi_snapshot_preview1: wrapped };
}
