/**
 * Counts the bytes the guest writes to its stdout and stderr (fds 1 and 2), so the worker can
 * say in its result how much output the parent should have. The parent then returns the result
 * as soon as that much has arrived on the pipes, without waiting for the process to exit (which
 * costs several milliseconds, more under bwrap). A count that never matches — the guest moved
 * its stdout with fd_renumber, or the worker lies — only means the parent waits for the exit.
 */
type WasiFunction = (...args: unknown[]) => unknown;
type Imports = Record<string, Record<string, unknown>>;

export interface OutputCounts {
  stdout: number;
  stderr: number;
  /**
   * The order of the writes: runs of [1 = stdout | 2 = stderr, bytes]. stdout and stderr reach
   * the parent on two pipes, which lose their order against each other; with this the parent can
   * put the bytes back in the order the guest wrote them. Dropped (null) past MAX_RUNS.
   */
  order: [number, number][] | null;
}

/** Enough for any program a person reads the output of; a flood only loses the order. */
export const MAX_RUNS = 20_000;

export function countOutput(imports: Imports, memory: () => unknown, counts: OutputCounts): Imports {
  const wasi = imports.wasi_snapshot_preview1 as Record<string, WasiFunction> | undefined;
  const fdWrite = wasi?.fd_write;
  if (!wasi || !fdWrite) return imports;
  // A wasm i32 arrives here signed; called straight from wasm, uvwasi would have read it as the
  // u32 WASI means (fd -31337 is EBADF, not EINVAL): pass it on the same way.
  const counted = (fdArg: unknown, iovs: unknown, iovsLen: unknown, nwrittenArg: unknown): unknown => {
    const fd = Number(fdArg) >>> 0;
    const nwritten = Number(nwrittenArg) >>> 0;
    const errno = fdWrite(fd, Number(iovs) >>> 0, Number(iovsLen) >>> 0, nwritten);
    if (errno === 0 && (fd === 1 || fd === 2)) {
      const mem = memory();
      if (mem instanceof WebAssembly.Memory && nwritten + 4 <= mem.buffer.byteLength) {
        const n = new DataView(mem.buffer).getUint32(nwritten, true);
        if (fd === 1) counts.stdout += n;
        else counts.stderr += n;
        const last = counts.order?.at(-1);
        if (n === 0 || !counts.order) {
          // nothing written, or the order is already given up on
        } else if (last && last[0] === fd) last[1] += n;
        else if (counts.order.length < MAX_RUNS) counts.order.push([fd, n]);
        else counts.order = null;
      }
    }
    return errno;
  };
  return { ...imports, wasi_snapshot_preview1: { ...wasi, fd_write: counted } };
}
