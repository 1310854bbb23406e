/**
 * Where `run --receipt` writes the signed receipt: a file, never overwritten; or, for runs in a
 * loop, a folder (`receipts/`, or a folder that exists) that gets the next `NNNN.json`, or a
 * pattern (`out/run-{n}.json`) whose `{n}` becomes the next free number, four digits. The next
 * number is one past the highest there; a name another run takes first is skipped, never
 * overwritten (each file is created new, see core/atomic-file.ts).
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeNewFile } from '../core/atomic-file.js';
import { fsError, PlasmError } from '../core/errors.js';
import type { Receipt } from '../core/receipt.js';
import { writeReceiptFile } from '../engine/index.js';

export type ReceiptTarget = { kind: 'file'; path: string } | { kind: 'numbered'; dir: string; before: string; after: string };

const N = '{n}';

/** Checked when the flags are parsed: a pattern has one `{n}`, in the file name. */
export function receiptTarget(value: string): ReceiptTarget {
  if (value.endsWith('/') || isDirectory(value)) return { kind: 'numbered', dir: value, before: '', after: '.json' };
  if (!value.includes(N)) return { kind: 'file', path: value };
  const name = basename(value);
  const at = name.indexOf(N);
  if (at < 0 || name.indexOf(N, at + 1) >= 0 || dirname(value).includes(N)) {
    throw new PlasmError('usage', `--receipt takes one {n} in the file name (e.g. out/{n}.json), not "${value}".`);
  }
  return { kind: 'numbered', dir: dirname(value), before: name.slice(0, at), after: name.slice(at + N.length) };
}

/** Before the run: a receipt that could not be written is refused before the module runs. */
export function checkReceiptTarget(target: ReceiptTarget): void {
  if (target.kind === 'file') {
    if (statSync(target.path, { throwIfNoEntry: false })) throw new PlasmError('io', `${target.path} already exists; plasm-tui never overwrites a receipt (a folder, dir/, or a {n} pattern takes the next number).`);
    return;
  }
  try {
    mkdirSync(target.dir, { recursive: true });
  } catch (error) {
    throw fsError(error, target.dir, 'create');
  }
  if (!isDirectory(target.dir)) throw new PlasmError('io', `${target.dir} is not a folder; plasm-tui cannot number receipts there.`);
}

/** Writes the receipt; returns the path it went to. */
export function writeReceipt(target: ReceiptTarget, receipt: Receipt): string {
  if (target.kind === 'file') {
    writeReceiptFile(target.path, receipt);
    return target.path;
  }
  const text = `${JSON.stringify(receipt, null, 2)}\n`;
  let names: string[];
  try {
    names = readdirSync(target.dir);
  } catch (error) {
    throw fsError(error, target.dir, 'read');
  }
  let next = highest(names, target) + 1;
  for (;;) {
    const path = join(target.dir, `${target.before}${String(next).padStart(4, '0')}${target.after}`);
    if (writeNewFile(path, text)) return path;
    next++; // another run took that number first
  }
}

function highest(names: string[], target: { before: string; after: string }): number {
  let last = 0;
  for (const name of names) {
    if (!name.startsWith(target.before) || !name.endsWith(target.after)) continue;
    const digits = name.slice(target.before.length, name.length - target.after.length);
    if (/^\d+$/.test(digits)) last = Math.max(last, Number(digits));
  }
  return last;
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
