/**
 * Reading a module file at bounded cost. The file is opened once (non-blocking, so a FIFO cannot
 * stall the open), checked on that descriptor — a regular file, no bigger than the cap — and only
 * then read, at most the size it had when checked. `/dev/zero`, a FIFO or a sparse 600 MB file
 * is refused in one sentence instead of being read until memory runs out.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { DEFAULT_CONFIG } from '../core/config.js';
import { fsError } from '../core/errors.js';

/** The default cap on a module's size (the config's `max_module_bytes`). */
export const DEFAULT_MAX_MODULE_BYTES = DEFAULT_CONFIG.max_module_bytes;

export type ModuleRead =
  | { ok: true; bytes: Buffer }
  /** `gone`: the file does not exist (any more); otherwise it exists and is refused or unreadable. */
  | { ok: false; message: string; gone: boolean };

// libuv opens every file close-on-exec already.
const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** Why a file with these stats is not read as a module, or null. */
export function moduleFileProblem(path: string, stats: Pick<Stats, 'size' | 'isFile' | 'isDirectory' | 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket'>, maxBytes: number): string | null {
  if (!stats.isFile()) return `${path} is ${kindOf(stats)}, not a regular file; refusing to read it as a module.`;
  if (stats.size > maxBytes) {
    return `${path} is ${formatBytes(stats.size)}, over the ${formatBytes(maxBytes)} cap on a module's size (max_module_bytes in plasm-tui's config.json); refusing to read it.`;
  }
  return null;
}

export function readModuleFileSync(path: string, maxBytes = DEFAULT_MAX_MODULE_BYTES): ModuleRead {
  let fd: number;
  try {
    fd = openSync(path, FLAGS);
  } catch (error) {
    return failed(error, path);
  }
  try {
    const stats = fstatSync(fd);
    const problem = moduleFileProblem(path, stats, maxBytes);
    if (problem) return { ok: false, message: problem, gone: false };
    const bytes = Buffer.allocUnsafe(stats.size);
    let filled = 0;
    while (filled < bytes.length) {
      const read = readSync(fd, bytes, filled, bytes.length - filled, filled);
      if (read === 0) break; // shrank since the check: what is there now
      filled += read;
    }
    return { ok: true, bytes: bytes.subarray(0, filled) };
  } catch (error) {
    return failed(error, path);
  } finally {
    closeSync(fd);
  }
}

export async function readModuleFile(path: string, maxBytes = DEFAULT_MAX_MODULE_BYTES): Promise<ModuleRead> {
  let handle;
  try {
    handle = await open(path, FLAGS);
  } catch (error) {
    return failed(error, path);
  }
  try {
    const stats = await handle.stat();
    const problem = moduleFileProblem(path, stats, maxBytes);
    if (problem) return { ok: false, message: problem, gone: false };
    const bytes = Buffer.allocUnsafe(stats.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { ok: true, bytes: bytes.subarray(0, filled) };
  } catch (error) {
    return failed(error, path);
  } finally {
    await handle.close();
  }
}

export function formatBytes(bytes: number): string {
  const KIB = 1024;
  const MIB = KIB * 1024;
  const GIB = MIB * 1024;
  if (bytes >= GIB) return `${round(bytes / GIB)} GiB`;
  if (bytes >= MIB) return `${round(bytes / MIB)} MiB`;
  if (bytes >= KIB) return `${round(bytes / KIB)} KiB`;
  return `${bytes} bytes`;
}

function round(value: number): string {
  return value >= 10 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
}

function kindOf(stats: Pick<Stats, 'isDirectory' | 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket'>): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}

function failed(error: unknown, path: string): ModuleRead {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return { ok: false, message: fsError(error, path, 'read').message, gone: code === 'ENOENT' || code === 'ENOTDIR' };
}
