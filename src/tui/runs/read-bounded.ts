import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/**
 * A small file's text, or null: only a regular file (a symlink is not followed), and only when it
 * holds at most `maxBytes` (checked on the open descriptor, so a file swapped in after the check is
 * not read). What the TUI reads back from disk (receipts, records of allowed grants) is bounded.
 */
export function readBounded(path: string, maxBytes: number): string | null {
  return readBoundedBytes(path, maxBytes)?.toString('utf8') ?? null;
}

/** The same, as the exact bytes. */
export function readBoundedBytes(path: string, maxBytes: number): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > maxBytes) return null;
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
