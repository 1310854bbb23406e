/**
 * Which WASI descriptor each preopen gets. node:wasi numbers its preopens 3, 4, … in the order
 * of `Object.keys()` of the object it is given, and JavaScript puts integer-like keys ("7")
 * before all others, so the order of the job's list says nothing about the numbering. Read it
 * from the very object handed to `new WASI`.
 */
import type { Preopen } from '../protocol.js';

export interface PreopenFd {
  fd: number;
  guest: string;
  host: string;
  readonly: boolean;
}

/** `preopens` is the object passed to `new WASI`; `granted` the job's list it was built from. */
export function preopenFds(preopens: Record<string, string>, granted: Preopen[]): PreopenFd[] {
  return Object.keys(preopens).map((guest, index) => ({
    fd: 3 + index,
    guest,
    host: preopens[guest] as string,
    // A guest path granted twice keeps the last host dir (Object.fromEntries); it is read-only
    // if either grant was, erring on the side of fewer rights.
    readonly: granted.some((p) => p.guest === guest && p.readonly),
  }));
}
