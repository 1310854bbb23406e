/**
 * The content hash of a read-only input tree, read through the descriptor the job holds (so it
 * is the tree the guest sees, whatever its name is now). Entries are sorted by the bytes of
 * their names; each is one line of the hashed text:
 *
 *   f <hex name> <sha256 of the contents>      a regular file
 *   d <hex name> <tree hash of the directory>  a directory
 *   l <hex name> <sha256 of the link's text>   a symlink: counted by what it says, never followed
 *   o <hex name> -                             anything else (a FIFO, a socket, a device)
 *
 * after the line `plasm-tui/tree/v1`. Names are hex so any bytes are unambiguous. Times,
 * owners, modes and inode numbers do not count: a guest in deterministic mode cannot see them.
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { PlasmError } from '../core/errors.js';
import type { Hash } from '../core/hash.js';

const CHUNK = 1 << 20;

/**
 * The most an input tree may hold. Hashing reads every byte before the job starts (outside its
 * time limit, in the engine's own process), so a folder holding a 100 GB sparse file, or millions
 * of entries, would stall the caller: such a tree is refused instead.
 */
export const MAX_TREE_BYTES = 1024 * 1024 * 1024;
export const MAX_TREE_ENTRIES = 100_000;

interface Budget {
  bytes: number;
  entries: number;
}

/** The tree's hash; throws a PlasmError ("invalid") for a tree over the limits. */
export function treeHash(fd: number): Hash {
  return `sha256:${hashDir(Buffer.from(`/proc/self/fd/${fd}`), { bytes: MAX_TREE_BYTES, entries: MAX_TREE_ENTRIES })}`;
}

function overLimit(): PlasmError {
  return new PlasmError('invalid', `it holds more than ${MAX_TREE_BYTES / 1024 ** 3} GiB or ${MAX_TREE_ENTRIES.toLocaleString('en')} entries, and a deterministic run hashes all of its input: grant a smaller folder`);
}

function hashDir(dir: Buffer, budget: Budget): string {
  const hash = createHash('sha256').update('plasm-tui/tree/v1\n');
  const entries = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' }).sort((a, b) => Buffer.compare(a.name, b.name));
  budget.entries -= entries.length;
  if (budget.entries < 0) throw overLimit();
  for (const entry of entries) {
    const path = Buffer.concat([dir, Buffer.from('/'), entry.name]);
    const name = entry.name.toString('hex');
    if (entry.isFile()) hash.update(`f ${name} ${hashFile(path, budget)}\n`);
    else if (entry.isDirectory()) hash.update(`d ${name} ${hashDir(path, budget)}\n`);
    else if (entry.isSymbolicLink()) hash.update(`l ${name} ${createHash('sha256').update(readlinkSync(path, { encoding: 'buffer' })).digest('hex')}\n`);
    else hash.update(`o ${name} -\n`);
  }
  return hash.digest('hex');
}

function hashFile(path: Buffer, budget: Budget): string {
  // O_NOFOLLOW: a file swapped for a link after the listing is refused (ELOOP), not followed.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw Object.assign(new Error(`${path.toString()} changed while it was being hashed`), { code: 'ECHANGED' });
    // Counted by its size before a byte is read (a sparse file is as big as it says).
    budget.bytes -= stat.size;
    if (budget.bytes < 0) throw overLimit();
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (let n = readSync(fd, buffer, 0, CHUNK, null); n > 0; n = readSync(fd, buffer, 0, CHUNK, null)) hash.update(buffer.subarray(0, n));
    return hash.digest('hex');
  } finally {
    closeSync(fd);
  }
}
