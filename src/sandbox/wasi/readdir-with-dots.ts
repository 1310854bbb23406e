/**
 * fd_readdir as wasmtime answers it: `.` and `..` first (cookies 1 and 2), then the entries
 * (cookie n + 3 after the n-th), each with its inode as d_ino, written whole until the buffer
 * is full — its last entry cut at the buffer's end, which is how a guest knows to ask again.
 * uvwasi lists through libuv, which drops `.` and `..`, gives d_ino 0 and uses telldir()
 * positions as cookies; an empty directory came back empty.
 *
 * uvwasi is still asked first, with no room to write into: that checks the descriptor, that it
 * is a directory and its FD_READDIR right, and answers as it would. The listing is then read
 * here, through the descriptor's host path as the path layer tracks it. Like wasmtime, every
 * call reads the directory afresh, so a cookie is a position in the listing as it is now.
 */
import { lstatSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { ERRNO, errnoOf } from './errno.js';
import type { FdPlaces, Place } from './fd-places.js';

type ReaddirFunction = (fd: number, buf: number, bufLen: number, cookie: bigint, usedOut: number) => number;

const DIRENT_SIZE = 24;
const FILETYPE = { UNKNOWN: 0, BLOCK_DEVICE: 1, CHARACTER_DEVICE: 2, DIRECTORY: 3, REGULAR_FILE: 4, SOCKET_STREAM: 6, SYMBOLIC_LINK: 7 } as const;

interface Entry {
  name: Buffer;
  type: number;
  ino: bigint;
}

function filetype(d: Omit<Dirent, 'name' | 'parentPath' | 'path'>): number {
  if (d.isDirectory()) return FILETYPE.DIRECTORY;
  if (d.isFile()) return FILETYPE.REGULAR_FILE;
  if (d.isSymbolicLink()) return FILETYPE.SYMBOLIC_LINK;
  if (d.isCharacterDevice()) return FILETYPE.CHARACTER_DEVICE;
  if (d.isBlockDevice()) return FILETYPE.BLOCK_DEVICE;
  if (d.isSocket()) return FILETYPE.SOCKET_STREAM;
  return FILETYPE.UNKNOWN;
}

/** The listing of `dir`, `.` and `..` first; `..` carries the directory's own inode, as in wasmtime. */
function listing(dir: string, stable: StableIno | null, place: Place): Entry[] {
  if (stable) {
    // Deterministic mode: sorted by name, each inode from its guest path.
    const self = stable(place, null);
    const entries = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' })
      .sort((a, b) => Buffer.compare(a.name, b.name))
      .map((d) => ({ name: d.name, type: filetype(d), ino: stable(place, d.name.toString('utf8')) }));
    return [{ name: Buffer.from('.'), type: FILETYPE.DIRECTORY, ino: self }, { name: Buffer.from('..'), type: FILETYPE.DIRECTORY, ino: self }, ...entries];
  }
  const self = statSync(dir, { bigint: true }).ino;
  const dots: Entry[] = [
    { name: Buffer.from('.'), type: FILETYPE.DIRECTORY, ino: self },
    { name: Buffer.from('..'), type: FILETYPE.DIRECTORY, ino: self },
  ];
  const entries = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' }).map((d) => ({
    name: d.name,
    type: filetype(d),
    ino: lstatSync(`${dir}/${d.name.toString()}`, { bigint: true, throwIfNoEntry: false })?.ino ?? 0n,
  }));
  return [...dots, ...entries];
}

/** An inode number for an entry (`name`) of a listed directory, or for the directory itself (null). */
export type StableIno = (place: Place, name: string | null) => bigint;

export function readdirWithDots(readdir: ReaddirFunction, places: FdPlaces, memory: () => WebAssembly.Memory, stable: StableIno | null = null): ReaddirFunction {
  return (fd, buf, bufLen, cookie, usedOut) => {
    const errno = readdir(fd, buf, 0, 0n, usedOut);
    if (errno !== ERRNO.SUCCESS) return errno;
    const host = places.hostDir(fd);
    // A directory the path layer does not know of (it knows every one a guest can open): as uvwasi has it.
    if (host === null) return readdir(fd, buf, bufLen, cookie, usedOut);
    if (!host.ok) return host.errno;
    let entries: Entry[];
    try {
      entries = listing(host.dir, stable, host.place);
    } catch (error) {
      return errnoOf(error);
    }
    const bytes = new Uint8Array(memory().buffer);
    if (buf + bufLen > bytes.length || usedOut + 4 > bytes.length) return ERRNO.FAULT;
    const out = new Uint8Array(bufLen);
    let used = 0;
    for (let i = cookie < BigInt(entries.length) ? Number(cookie) : entries.length; i < entries.length && used < bufLen; i++) {
      const entry = entries[i] as Entry;
      const header = new DataView(new ArrayBuffer(DIRENT_SIZE));
      header.setBigUint64(0, BigInt(i + 1), true);
      header.setBigUint64(8, entry.ino, true);
      header.setUint32(16, entry.name.length, true);
      header.setUint8(20, entry.type);
      for (const part of [new Uint8Array(header.buffer), entry.name]) {
        const n = Math.min(part.length, bufLen - used);
        out.set(part.subarray(0, n), used);
        used += n;
      }
    }
    bytes.set(out.subarray(0, used), buf);
    new DataView(memory().buffer).setUint32(usedOut, used, true);
    return ERRNO.SUCCESS;
  };
}
