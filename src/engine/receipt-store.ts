import { lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { writeNewFile } from '../core/atomic-file.js';
import { PlasmError, fsError } from '../core/errors.js';
import { receiptsDir } from '../core/paths.js';
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
 * Keeps a receipt as `<root>/.plasm/receipts/<job>/<NNNN>.json`, numbered in run order. The
 * watched folder may be hostile: no part below `root` is followed if it is a symlink (`.plasm ->
 * /elsewhere` is refused, not written through), and the job's folder is always a plain name.
 */
export function saveReceipt(root: string, job: string, receipt: Receipt): string {
  const folder = job.replace(/[^\w.-]+/g, '_').replace(/^\.+$/, '_');
  const dir = join(receiptsDir(root), folder);
  let at = root;
  for (const part of relative(root, dir).split(sep)) {
    at = join(at, part);
    realDirectory(at);
  }
  let next = lastNumber(dir) + 1;
  for (;;) {
    const path = join(dir, `${String(next).padStart(4, '0')}.json`);
    if (writeNewFile(path, receiptText(receipt))) return path;
    next++; // another process took that number first
  }
}

/** Makes `path` a directory if it is missing; refuses a symlink or anything else in its place. */
function realDirectory(path: string): void {
  try {
    mkdirSync(path, { mode: 0o755 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError(error, path, 'create');
  }
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) throw new PlasmError('io', `${path} is a symlink; plasm-tui does not write receipts through symlinks.`);
  if (!stat.isDirectory()) throw new PlasmError('io', `${path} is not a directory; plasm-tui cannot keep receipts there.`);
}

function lastNumber(dir: string): number {
  let last = 0;
  for (const name of readdirSync(dir)) {
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
