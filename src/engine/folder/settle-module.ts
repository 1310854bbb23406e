/**
 * Waits until a module file on disk is a whole module. The watcher's quiet-time wait (kept short
 * for snappy reruns) only sees the size stop changing; a compiler that pauses mid-write, or
 * writes in two steps, would still hand over half a file and produce a bogus "invalid" run. So
 * the bytes are validated too and re-read briefly until they are complete.
 *
 * Reading is bounded: a file that is not a regular file, or is over the module size cap, is not
 * read at all (the reason is returned instead), and `slots` limits how many files are held in
 * memory at once, so a folder of big modules cannot take the process's memory.
 */
import { basename, extname } from 'node:path';
import { readModuleFile } from '../module-file.js';
import { watToWasm } from '../wat.js';
import type { Slots } from './slots.js';

export interface SettleOptions {
  retryMs?: number;
  /** After this long a still-invalid file is taken as it is: the build really is broken, and the run will say why. */
  deadlineMs?: number;
  /** The largest file read (the config's max_module_bytes). */
  maxBytes?: number;
  /** Shared by the files being read at once. */
  slots?: Slots;
  signal?: AbortSignal;
}

export type Settled = { bytes: Buffer; problem: null } | { bytes: null; problem: string };

/** The file's bytes once complete, or why it is not read; null if it vanished or the wait was aborted. */
export async function settleModule(path: string, options: SettleOptions = {}): Promise<Settled | null> {
  const { retryMs = 25, deadlineMs = 1500, maxBytes, slots, signal } = options;
  const began = Date.now();
  let previous: Buffer | null = null;
  for (;;) {
    if (signal?.aborted) return null;
    const release = slots ? await slots.acquire() : () => {};
    try {
      if (signal?.aborted) return null;
      const read = await readModuleFile(path, maxBytes);
      if (!read.ok) return read.gone ? null : { bytes: null, problem: read.message };
      if (signal?.aborted) return null;
      // Past the deadline an invalid file is taken as it is, once the same bytes were read again
      // after checking them: on a busy machine checking can outlast the deadline, and a file
      // written meanwhile (the rest of a build that paused) is checked before anything is decided.
      if (Date.now() - began >= deadlineMs && previous?.equals(read.bytes)) return { bytes: read.bytes, problem: null };
      if (await isWholeModule(path, read.bytes)) return { bytes: read.bytes, problem: null };
      previous = read.bytes;
    } finally {
      release();
    }
    await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
}

export async function isWholeModule(path: string, bytes: Uint8Array): Promise<boolean> {
  if (extname(path).toLowerCase() !== '.wat') return WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>);
  try {
    return WebAssembly.validate((await watToWasm(Buffer.from(bytes).toString('utf8'), basename(path))) as Uint8Array<ArrayBuffer>);
  } catch {
    return false;
  }
}
