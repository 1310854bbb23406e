/**
 * Reads of stdin that do not depend on timing. A pipe hands a reader whatever has arrived, so a
 * guest reading its stdin in 64 KiB chunks saw short reads whose sizes changed from run to run
 * with the pipe's pace: the same input, other reads, another fuel count (and, for a guest that
 * acts on read sizes, other output). Here a read of stdin returns as much as was asked for, or
 * all that is left before the end: a function of the input alone.
 *
 * uvwasi does the first read (so rights, closed descriptors and errors stay its answer); a short
 * one is topped up from the same descriptor until the guest's buffers are full or the input
 * ends. Only while the guest's fd 0 is still the stdin the worker was given: once the guest
 * closes it or renumbers onto or away from it, reads are uvwasi's alone.
 */
import { readSync } from 'node:fs';

type WasiFunction = (...args: unknown[]) => unknown;
type Imports = Record<string, Record<string, unknown>>;

export function wholeStdinReads(imports: Imports, memory: () => unknown, hostFd = 0): Imports {
  const wasi = imports.wasi_snapshot_preview1 as Record<string, WasiFunction> | undefined;
  const fdRead = wasi?.fd_read;
  if (!wasi || !fdRead) return imports;
  let original = true;
  const fdClose = wasi.fd_close;
  const fdRenumber = wasi.fd_renumber;
  const read = (fdArg: unknown, iovsArg: unknown, iovsLenArg: unknown, nreadArg: unknown): unknown => {
    const errno = fdRead(fdArg, iovsArg, iovsLenArg, nreadArg);
    if (errno !== 0 || !original || Number(fdArg) >>> 0 !== 0) return errno;
    const mem = memory();
    if (!(mem instanceof WebAssembly.Memory)) return errno;
    const iovs = Number(iovsArg) >>> 0;
    const count = Number(iovsLenArg) >>> 0;
    const nread = Number(nreadArg) >>> 0;
    let view = new DataView(mem.buffer);
    if (nread + 4 > view.byteLength || iovs + count * 8 > view.byteLength) return errno;
    let got = view.getUint32(nread, true);
    if (got === 0) return errno; // the end of the input
    let skip = got;
    for (let i = 0; i < count; i++) {
      const base = view.getUint32(iovs + i * 8, true);
      const length = view.getUint32(iovs + i * 8 + 4, true);
      if (skip >= length) {
        skip -= length;
        continue;
      }
      let at = base + skip;
      const end = base + length;
      skip = 0;
      if (end > mem.buffer.byteLength) return errno;
      while (at < end) {
        let n: number;
        try {
          n = readSync(hostFd, new Uint8Array(mem.buffer, at, end - at));
        } catch {
          n = 0; // an error after some bytes: the guest has those, and reads again
        }
        if (n === 0) {
          view = new DataView(mem.buffer);
          view.setUint32(nread, got, true);
          return errno;
        }
        at += n;
        got += n;
      }
    }
    view = new DataView(mem.buffer);
    view.setUint32(nread, got, true);
    return errno;
  };
  const close = (fdArg: unknown): unknown => {
    const errno = fdClose?.(fdArg);
    if (errno === 0 && Number(fdArg) >>> 0 === 0) original = false;
    return errno;
  };
  const renumber = (from: unknown, to: unknown): unknown => {
    const errno = fdRenumber?.(from, to);
    if (errno === 0 && (Number(from) >>> 0 === 0 || Number(to) >>> 0 === 0)) original = false;
    return errno;
  };
  return { ...imports, wasi_snapshot_preview1: { ...wasi, fd_read: read, ...(fdClose ? { fd_close: close } : {}), ...(fdRenumber ? { fd_renumber: renumber } : {}) } };
}
