/**
 * A job's earlier runs, read back from the receipts kept beside the jobs
 * (`.plasm/receipts/<job>/NNNN.json`, with the `NNNN.stdin` and `NNNN.output.txt` saved beside
 * them), so a restarted TUI shows the history it signed and numbers new runs after it. Every
 * folder on the way is opened without following a symlink, every file read is bounded, and a
 * file that is not a receipt is passed over.
 */
import { closeSync, openSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../core/hash.js';
import { DIR_FLAGS, fdPath, openDirectory } from '../../core/open-dir.js';
import { bindsOutput, parseReceipt, replayable, verifyReceipt, type Bindings, type Receipt } from '../../core/receipt.js';
import { receiptFolder, type Layer } from '../../engine/index.js';
import { STDERR_MARK } from '../format.js';
import { OutputLog } from './output-log.js';
import { readBounded, readBoundedBytes } from './read-bounded.js';
import type { RunRecord } from './run-record.js';

const MAX_RECEIPT_BYTES = 256 * 1024;
const MAX_TEXT_BYTES = 1024 * 1024;

export interface SavedRuns {
  runs: RunRecord[];
  /** The highest NNNN in the folder: the next run is saved as the one after. */
  last: number;
}

export function loadSavedRuns(root: string, jobId: string, publicKeyHex: string, keep: number): SavedRuns {
  const folder = receiptFolder(root, jobId);
  let fd: number;
  try {
    fd = openDirectory(realpathSync(root));
  } catch {
    return { runs: [], last: 0 };
  }
  try {
    for (const part of ['.plasm', 'receipts', folder]) {
      const next = openSync(fdPath(fd, part), DIR_FLAGS);
      closeSync(fd);
      fd = next;
    }
    const numbers = readdirSync(fdPath(fd))
      .map((name) => /^(\d+)\.json$/.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .sort((a, b) => Number(a) - Number(b));
    const last = numbers.length > 0 ? Number(numbers.at(-1)) : 0;
    const runs: RunRecord[] = [];
    for (const stem of numbers.slice(-keep)) {
      const run = savedRun(fd, root, folder, jobId, stem, publicKeyHex);
      if (!run) continue;
      const before = runs.at(-1);
      run.changed = before?.outcome ? before.outcome.outputHash !== run.outcome?.outputHash : null;
      runs.push(run);
    }
    return { runs, last };
  } catch {
    return { runs: [], last: 0 };
  } finally {
    closeSync(fd);
  }
}

function savedRun(fd: number, root: string, folder: string, jobId: string, stem: string, publicKeyHex: string): RunRecord | null {
  const text = readBounded(fdPath(fd, `${stem}.json`), MAX_RECEIPT_BYTES);
  if (text === null) return null;
  let receipt: Receipt;
  try {
    receipt = parseReceipt(JSON.parse(text), `${stem}.json`);
  } catch {
    return null;
  }
  const v2 = bindsOutput(receipt) ? receipt : null;
  const status = v2?.status ?? (receipt.exit_code === 0 ? 'ok' : 'exit');
  const finishedAt = Date.parse(receipt.timestamp) || 0;
  let verified = false;
  let problem = '';
  // The bytes saved beside it must be the ones it binds (files up to 1 MiB are checked; a larger
  // one is the output's whole capture, checked by `plasm-tui verify --stdout`, not at every start).
  const bindings: Bindings = {};
  if (v2) {
    for (const stream of ['stdin', 'stdout', 'stderr'] as const) {
      const bytes = readBoundedBytes(fdPath(fd, `${stem}.${stream}`), MAX_TEXT_BYTES);
      if (bytes !== null) bindings[stream] = bytes;
    }
  }
  try {
    const report = verifyReceipt(receipt, { pubkey: publicKeyHex, bindings });
    verified = report.ok;
    problem = report.checks.filter((check) => !check.ok).map((check) => check.detail).join('; ');
  } catch {
    problem = 'it could not be checked';
  }
  const output = new OutputLog();
  const saved = readBounded(fdPath(fd, `${stem}.output.txt`), MAX_TEXT_BYTES);
  // The display text is sanitised already; stderr's lines carry the gutter.
  for (const line of (saved ?? '').split('\n').slice(0, -1)) {
    output.append(line.startsWith(STDERR_MARK) ? 'stderr' : 'stdout', Buffer.from(`${line.startsWith(STDERR_MARK) ? line.slice(STDERR_MARK.length) : line}\n`));
  }
  output.end();
  const rel = join('.plasm', 'receipts', folder);
  return {
    jobId,
    no: Number(stem),
    stdin: readBounded(fdPath(fd, `${stem}.stdin`), MAX_TEXT_BYTES) ?? '',
    moduleHash: receipt.module_hash,
    manifestHash: v2?.manifest_hash ?? null,
    why: 'user',
    startedAt: finishedAt - receipt.wall_time_ms,
    phase: 'done',
    output,
    superseded: false,
    outcome: {
      status,
      exitCode: receipt.exit_code,
      message: `Read back from ${stem}.json, saved ${receipt.timestamp.slice(0, 19).replace('T', ' ')}.`,
      timing: { start_ms: 0, compile_ms: 0, run_ms: 0, total_ms: receipt.wall_time_ms },
      stdoutTruncated: false,
      stderrTruncated: false,
      outputHash: sha256(`${v2?.stdout_hash ?? ''}${v2?.stderr_hash ?? ''}`),
      containment: (v2?.containment ?? []) as Layer[],
    },
    changed: null,
    receipt: {
      version: receipt.version,
      bindsOutput: v2 !== null,
      moduleHash: receipt.module_hash,
      inputHash: v2?.input_hash ?? null,
      stdoutHash: v2?.stdout_hash ?? null,
      stderrHash: v2?.stderr_hash ?? null,
      signer: receipt.node_pubkey,
      verified,
      problem,
      savedTo: join(rel, `${stem}.json`),
      saveError: null,
      replayable: replayable(receipt),
      replay: null,
      signed: receipt,
    },
    fullOutput: saved === null || saved === '' ? null : join(rel, `${stem}.output.txt`),
    finishedAt,
    saved: true,
  };
}
