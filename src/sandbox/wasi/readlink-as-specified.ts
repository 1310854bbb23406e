/**
 * path_readlink as the spec and wasmtime have it: the target, cut to the buffer if it is longer,
 * and nothing written past what is returned. uvwasi wants room for a NUL as well: it says ENOBUFS
 * for a buffer the target's length or shorter, and writes a NUL after the target otherwise. By
 * the time it says ENOBUFS it has checked the descriptor, its rights and that the link is there,
 * so the target is read again here, from the path the layer resolved, and cut to the buffer.
 */
import { readlinkSync } from 'node:fs';
import { ERRNO, errnoOf } from './errno.js';

/** A link's target is shorter than PATH_MAX, so uvwasi's NUL lands within this many bytes. */
const NUL_REACH = 4096;

export function readlinkAsSpecified(
  readlink: (buf: number, bufLen: number, usedOut: number) => number,
  hostPath: string,
  memory: () => WebAssembly.Memory,
  buf: number,
  bufLen: number,
  usedOut: number,
): number {
  const before = new Uint8Array(memory().buffer).slice(buf, buf + Math.min(bufLen, NUL_REACH));
  const errno = readlink(buf, bufLen, usedOut);
  if (errno === ERRNO.SUCCESS) {
    const used = new DataView(memory().buffer).getUint32(usedOut, true);
    if (used < before.length) new Uint8Array(memory().buffer)[buf + used] = before[used] as number;
    return errno;
  }
  if (errno !== ERRNO.NOBUFS) return errno;
  let target: Buffer;
  try {
    target = readlinkSync(hostPath, { encoding: 'buffer' });
  } catch (error) {
    return errnoOf(error);
  }
  const bytes = new Uint8Array(memory().buffer);
  if (buf + bufLen > bytes.length || usedOut + 4 > bytes.length) return ERRNO.FAULT;
  const used = Math.min(target.length, bufLen);
  bytes.set(target.subarray(0, used), buf);
  new DataView(memory().buffer).setUint32(usedOut, used, true);
  return ERRNO.SUCCESS;
}
