/**
 * Stat answers in deterministic mode: what the host would add (device and inode numbers, link
 * counts, a directory's size on its file system, access and change times) is replaced by values
 * that depend on the guest's view only. Inode numbers come from the guest path, so the same path
 * has the same number in stat and in a directory listing; times are the virtual clock's epoch.
 */
import { createHash } from 'node:crypto';
import { VIRTUAL_EPOCH_NS } from './deterministic.js';

const FILETYPE_DIRECTORY = 3;

/** A 63-bit inode number for a guest path (or any name for a descriptor). */
export function guestIdentity(text: string): bigint {
  return createHash('sha256').update(`plasm-tui/ino/v1\n${text}`).digest().readBigUInt64LE(0) & 0x7fff_ffff_ffff_ffffn;
}

/** Rewrites the filestat uvwasi wrote at `buf` (64 bytes, witx `filestat`). */
export function fixedStat(memory: WebAssembly.Memory, buf: number, ino: bigint): void {
  const view = new DataView(memory.buffer);
  view.setBigUint64(buf, 0n, true); // dev
  view.setBigUint64(buf + 8, ino, true);
  view.setBigUint64(buf + 24, 1n, true); // nlink
  if (view.getUint8(buf + 16) === FILETYPE_DIRECTORY) view.setBigUint64(buf + 32, 0n, true);
  for (const at of [40, 48, 56]) view.setBigUint64(buf + at, VIRTUAL_EPOCH_NS, true);
}
