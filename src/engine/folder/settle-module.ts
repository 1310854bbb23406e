/**
 * Waits until a module file on disk is a whole module. The watcher's quiet-time wait (kept short
 * for snappy reruns) only sees the size stop changing; a compiler that pauses mid-write, or
 * writes in two steps, would still hand over half a file and produce a bogus "invalid" run. So
 * the bytes are validated too and re-read briefly until they are complete.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { watToWasm } from '../wat.js';

export interface SettleOptions {
  retryMs?: number;
  /** After this long a still-invalid file is taken as it is: the build really is broken, and the run will say why. */
  deadlineMs?: number;
  signal?: AbortSignal;
}

/** The file's bytes once complete; null if it vanished or the wait was aborted. */
export async function settleModule(path: string, options: SettleOptions = {}): Promise<Buffer | null> {
  const { retryMs = 25, deadlineMs = 1500, signal } = options;
  const began = Date.now();
  for (;;) {
    if (signal?.aborted) return null;
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch {
      return null;
    }
    if (signal?.aborted) return null;
    if ((await isWholeModule(path, bytes)) || Date.now() - began >= deadlineMs) return bytes;
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
