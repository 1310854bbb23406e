import { closeSync, fsyncSync, linkSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { fsError } from './errors.js';

/**
 * Writes a new file atomically and never over an existing one: the bytes go to a temp file
 * beside it, are flushed, then hard-linked into place (link fails if the name is taken).
 * Returns false if `path` already exists. `shown` is how errors name the file (when `path` is
 * a descriptor's /proc path, see open-dir.ts).
 */
export function writeNewFile(path: string, data: string | Uint8Array, mode = 0o644, shown = path): boolean {
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temp, path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  } catch (error) {
    throw fsError(error, shown, 'write');
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // never created, or already gone
    }
  }
}
