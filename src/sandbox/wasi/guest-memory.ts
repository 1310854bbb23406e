/**
 * Reading paths out of guest memory and lending uvwasi a rewritten one. uvwasi takes paths as
 * (pointer, length) in guest memory, so a path resolved on the host side has to be put there
 * for the call. It goes into a stretch the call does not write its results to, and whatever
 * the guest had there is put back before the guest runs again (it cannot run meanwhile: WASI
 * preview 1 guests here are single-threaded). `memory.buffer` is fetched afresh after every
 * call, since a grown memory detaches the old buffer.
 */
import { ERRNO } from './errno.js';

export type Range = readonly [pointer: number, length: number];

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** The guest's bytes at (pointer, length) as a string, or the errno WASI gives for them. */
export function readPath(memory: WebAssembly.Memory, pointer: number, length: number): string | number {
  const bytes = new Uint8Array(memory.buffer);
  if (pointer < 0 || length < 0 || pointer + length > bytes.length) return ERRNO.FAULT;
  try {
    return decoder.decode(bytes.subarray(pointer, pointer + length));
  } catch {
    return ERRNO.ILSEQ;
  }
}

/**
 * Calls `call` with each path in `paths` at some (pointer, length) in guest memory. A path
 * equal to the guest's own bytes at `originals[i]` is passed where it is; the others are
 * written into a stretch that overlaps neither `avoid` (the call's outputs) nor the originals
 * passed as they are, and restored afterwards.
 */
export function withPathsInMemory(memory: WebAssembly.Memory, paths: string[], originals: Range[], avoid: Range[], call: (at: Range[]) => number): number {
  const bytes = new Uint8Array(memory.buffer);
  const encoded = paths.map((p) => encoder.encode(p));
  const same = encoded.map((e, i) => {
    const [pointer, length] = originals[i] as Range;
    return e.length === length && bytes.subarray(pointer, pointer + length).every((b, j) => b === e[j]);
  });
  const total = encoded.reduce((sum, e, i) => sum + (same[i] ? 0 : e.length), 0);
  if (total === 0) return call(originals);

  const busy: Range[] = [...avoid, ...originals.filter((_, i) => same[i])];
  const candidates = [0, bytes.length - total, ...busy.map(([p, l]) => p + l), ...originals.map(([p]) => p)];
  const start = candidates.find((s) => s >= 0 && s + total <= bytes.length && busy.every(([p, l]) => s + total <= p || p + l <= s));
  if (start === undefined) return ERRNO.NAMETOOLONG; // no room in guest memory for the resolved path
  const saved = bytes.slice(start, start + total);
  const at: Range[] = [];
  let offset = start;
  encoded.forEach((e, i) => {
    if (same[i]) {
      at.push(originals[i] as Range);
    } else {
      bytes.set(e, offset);
      at.push([offset, e.length]);
      offset += e.length;
    }
  });
  try {
    return call(at);
  } finally {
    new Uint8Array(memory.buffer).set(saved, start);
  }
}

export function readU32(memory: WebAssembly.Memory, pointer: number): number {
  return new DataView(memory.buffer).getUint32(pointer, true);
}
