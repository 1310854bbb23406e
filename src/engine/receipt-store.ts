import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
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

/** Keeps a receipt as `<root>/.plasm/receipts/<job>/<NNNN>.json`, numbered in run order. */
export function saveReceipt(root: string, job: string, receipt: Receipt): string {
  const dir = join(receiptsDir(root), job.replace(/[^\w.-]+/g, '_'));
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw fsError(error, dir, 'create');
  }
  let next = lastNumber(dir) + 1;
  for (;;) {
    const path = join(dir, `${String(next).padStart(4, '0')}.json`);
    if (writeNewFile(path, receiptText(receipt))) return path;
    next++; // another process took that number first
  }
}

function lastNumber(dir: string): number {
  let last = 0;
  for (const name of readdirSync(dir)) {
    const match = /^(\d+)\.json$/.exec(name);
    if (match) last = Math.max(last, Number(match[1]));
  }
  return last;
}
