import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeNewFile } from '../core/atomic-file.js';
import { PlasmError, fsError } from '../core/errors.js';
import { DIR_FLAGS, fdPath, openDirectory } from '../core/open-dir.js';
import type { Receipt } from '../core/receipt.js';

function receiptText(receipt: Receipt): string {
  return `${JSON.stringify(receipt, null, 2)}\n`;
}

/** Writes a receipt to `path`; an existing file is never overwritten. */
export function writeReceiptFile(path: string, receipt: Receipt): void {
  if (!writeNewFile(path, receiptText(receipt))) {
    throw new PlasmError('io', `${path} already exists; plasm-tui never overwrites a receipt.`);
  }
}

/**
 * A job's receipts folder, held open: `<root>/.plasm/receipts/<job>/`. Every part below `root`
 * was opened without following a symlink, and everything written here goes through the folder's
 * descriptor (`/proc/self/fd/N/<name>`, created new, never over an existing name), so swapping
 * any of those folders for a symlink later — while a run is verified, its output saved — does
 * not redirect a single write. Close it when done.
 */
export class ReceiptFolder {
  private open = true;

  constructor(
    private readonly fd: number,
    /** The folder's path, for messages and for the paths returned. */
    readonly path: string,
  ) {}

  /** Writes a new file `name` in this folder; false if the name is taken. */
  writeNew(name: string, data: string | Uint8Array): boolean {
    if (name.includes('/') || name === '.' || name === '..') throw new PlasmError('internal', `${name} is not a plain file name.`);
    return writeNewFile(fdPath(this.fd, name), data, 0o644, join(this.path, name));
  }

  /** Keeps `receipt` as the next `NNNN.json`; returns its path. */
  save(receipt: Receipt): string {
    let next = lastNumber(readdirSync(fdPath(this.fd))) + 1;
    for (;;) {
      const name = `${String(next).padStart(4, '0')}.json`;
      if (this.writeNew(name, receiptText(receipt))) return join(this.path, name);
      next++; // another process took that number first
    }
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    closeSync(this.fd);
  }
}

/** Opens (making what is missing) the receipts folder of `job` below the watched folder `root`. */
export function openReceiptFolder(root: string, job: string): ReceiptFolder {
  const folder = job.replace(/[^\w.-]+/g, '_').replace(/^\.+$/, '_');
  let fd: number;
  try {
    fd = openDirectory(realpathSync(root));
  } catch (error) {
    throw error instanceof PlasmError ? error : fsError(error, root, 'open');
  }
  let at = root;
  try {
    for (const part of ['.plasm', 'receipts', folder]) {
      at = join(at, part);
      const next = realDirectoryBelow(fd, part, at);
      closeSync(fd);
      fd = next;
    }
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return new ReceiptFolder(fd, at);
}

/** Keeps a receipt as `<root>/.plasm/receipts/<job>/<NNNN>.json`, numbered in run order. */
export function saveReceipt(root: string, job: string, receipt: Receipt): string {
  const folder = openReceiptFolder(root, job);
  try {
    return folder.save(receipt);
  } finally {
    folder.close();
  }
}

/** Opens the directory `name` below `parent`, making it if it is missing; refuses a symlink or anything else. */
function realDirectoryBelow(parent: number, name: string, path: string): number {
  try {
    mkdirSync(fdPath(parent, name), { mode: 0o755 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError(error, path, 'create');
  }
  try {
    return openSync(fdPath(parent, name), DIR_FLAGS);
  } catch (error) {
    switch ((error as NodeJS.ErrnoException).code) {
      case 'ELOOP':
        throw new PlasmError('io', `${path} is a symlink; plasm-tui does not write receipts through symlinks.`);
      case 'ENOTDIR': {
        // O_DIRECTORY meets a symlink before O_NOFOLLOW does on some kernels: say which it is.
        const link = lstatSync(fdPath(parent, name), { throwIfNoEntry: false })?.isSymbolicLink();
        if (link) throw new PlasmError('io', `${path} is a symlink; plasm-tui does not write receipts through symlinks.`);
        throw new PlasmError('io', `${path} is not a directory; plasm-tui cannot keep receipts there.`);
      }
      case 'ENOENT':
        throw new PlasmError('io', `${path} was moved away while plasm-tui opened it; the receipt was not saved.`);
      default:
        throw fsError(error, path, 'open');
    }
  }
}

/**
 * The highest `NNNN.json` in the job's receipts folder (0 when there is none), read without
 * making or following anything: runs are numbered after the receipts kept before.
 */
export function lastSavedNumber(root: string, job: string): number {
  let fd: number;
  try {
    fd = openDirectory(realpathSync(root));
  } catch {
    return 0;
  }
  try {
    for (const part of ['.plasm', 'receipts', job.replace(/[^\w.-]+/g, '_').replace(/^\.+$/, '_')]) {
      const next = openSync(fdPath(fd, part), DIR_FLAGS);
      closeSync(fd);
      fd = next;
    }
    return lastNumber(readdirSync(fdPath(fd)));
  } catch {
    return 0;
  } finally {
    closeSync(fd);
  }
}

function lastNumber(names: string[]): number {
  let last = 0;
  for (const name of names) {
    const match = /^(\d+)\.json$/.exec(name);
    if (match) last = Math.max(last, Number(match[1]));
  }
  return last;
}

/**
 * A job's receipts folder: its file's path below the watched folder, flattened one to one into
 * a plain name (`a/main.wasm` → `a_2fmain.wasm`): every byte but letters, digits, `.` and `-`
 * becomes `_` and two hex digits, so `a/main.wasm`, `b/main.wasm` and `a_main.wasm` never share
 * a history. (Names stay within what saveReceipt accepts; it still refuses symlinks on the way.)
 */
export function receiptFolder(root: string, jobPath: string): string {
  const rel = relative(root, jobPath) || jobPath;
  let out = '';
  for (const byte of Buffer.from(rel, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9.-]/.test(char) ? char : `_${byte.toString(16).padStart(2, '0')}`;
  }
  return out.replace(/^\.+$/, (dots) => dots.replaceAll('.', '_2e'));
}
