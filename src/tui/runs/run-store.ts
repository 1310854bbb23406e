/**
 * Every run the TUI starts, per job: live output, outcome, the saved and verified receipt. It
 * lives outside React because the engine's events arrive far faster than a terminal should be
 * redrawn; views subscribe and re-render at their own pace (see hooks/use-throttled.ts).
 */
import { join } from 'node:path';
import { configDir } from '../../core/paths.js';
import { allowedOnDisk, type AllowedBefore } from './allowed-before.js';
import { loadSavedRuns } from './saved-runs.js';
import { endLine } from '../format.js';
import { sanitizeLabel } from '../../core/sanitize.js';
import { describeError } from '../../core/errors.js';
import { sha256, type Hash } from '../../core/hash.js';
import { bindsOutput, replayable, verifyReceipt, type Receipt } from '../../core/receipt.js';
import type { ReplayInputs, ReplayReport } from '../../engine/replay.js';
import { openReceiptFolder, type Engine, type ReceiptFolder, type GrantRequest, type JobSpec, type RunResult } from '../../engine/index.js';
import { RunLedger, type LedgerRun } from '../../engine/ledger/run-ledger.js';
import { OutputLog, type Stream } from './output-log.js';
import { outputText } from './output-text.js';
import type { ReceiptView, RunRecord } from './run-record.js';

export interface RunStoreOptions {
  /** The watched folder: receipts go to `<root>/.plasm/receipts/<job path>/` (see receiptFolder). */
  root: string;
  /** What runs the jobs and keeps the user's consent to grants (tests give a stand-in). */
  engine: Pick<Engine, 'start' | 'pendingGrants' | 'allow'>;
  /** This machine's public key: receipts are verified against it before they show as verified. */
  publicKeyHex: string;
  /** A seam for tests; defaults to the engine's. */
  openReceiptFolder?: typeof openReceiptFolder;
  /** Runs remembered per job (for the sparkline and the `≠` comparison). */
  historySize?: number;
  /** Where the engine's grant store keeps what was allowed (read to show what changed since). */
  grantsDir?: string;
  /** Replays a deterministic run's receipt (engine/replay.ts); without it, nothing is replayed. */
  replay?: (receipt: Receipt, inputs: ReplayInputs) => Promise<ReplayReport>;
  /** The ledger runs go through (shared with a `watch` of the same folder); by default one of its own. */
  ledger?: RunLedger;
  /**
   * Resolves once the next frame is on screen (or soon, if none comes): a run's receipt is saved
   * (synced writes, tens of ms on a slow disk) after the frame that shows its outcome, not before.
   */
  nextFrame?: () => Promise<void>;
}

/** What the store needs to know about a job to run it. */
export interface RunnableJob {
  id: string;
  spec: JobSpec;
  moduleHash: Hash | null;
  manifestHash: Hash | null;
}

/**
 * What the TUI shows of each job's runs. The runs themselves — cancel-previous, numbering, the
 * build each used, receipts saved — are the engine's run ledger's (engine/ledger/); the store
 * keeps what is on screen: live output, outcomes, verified receipt views, saved runs read back.
 */
export class RunStore {
  /** The runs, shared with anything else running this folder's jobs. */
  readonly ledger: RunLedger;
  private readonly records = new Map<string, RunRecord[]>();
  /** Each run's record, while it runs. */
  private readonly live = new Map<LedgerRun, RunRecord>();
  /** Each run's output chunks in arrival order, until the run ends and they are saved. */
  private readonly arrivals = new Map<RunRecord, { stream: Stream; chunk: Uint8Array }[]>();
  private readonly pending = new Set<Promise<void>>();
  private readonly replays = new Set<AbortController>();
  /** Told of each change; `urgent` when it should be on screen at once (a run's first output, its end). */
  private readonly listeners = new Set<(urgent?: boolean) => void>();
  /** What the user allowed in this session, per manifest, values included. */
  private readonly allowedNow = new Map<string, GrantRequest>();
  /** Jobs whose saved runs have been read back. */
  private readonly loaded = new Set<string>();
  private closing = false;
  /** Bumped on every change; views compare it to decide whether to redraw. */
  version = 0;

  constructor(private readonly options: RunStoreOptions) {
    this.ledger = options.ledger ?? new RunLedger({ engine: options.engine, root: options.root, openReceiptFolder: options.openReceiptFolder });
    this.ledger.listen({
      started: (run) => this.started(run),
      event: (run, event) => {
        const record = this.live.get(run);
        if (!record) return;
        if (event.type === 'phase') {
          record.phase = event.phase;
          // Watch compares the file on disk with what the run used: the bytes the engine read, which
          // may already be a newer build than the list knew (else that build would run twice).
          if (event.module_hash) record.moduleHash = event.module_hash;
        } else {
          const first = record.output.bytes.stdout + record.output.bytes.stderr === 0;
          record.output.append(event.type, event.chunk);
          this.arrivals.get(record)?.push({ stream: event.type, chunk: event.chunk });
          if (first) return this.changed(true);
        }
        this.changed();
      },
      // The outcome is shown first; saving and checking the receipt follow (`finished`).
      ended: (run) => {
        const record = this.live.get(run);
        if (!record) return;
        this.end(record, run);
        const drawn = this.options.nextFrame?.();
        this.changed(true);
        return drawn;
      },
      finished: (run, folder) => {
        const record = this.live.get(run);
        if (record) this.keepReceipt(record, run, folder);
      },
      failed: (run, error) => {
        const record = this.live.get(run);
        if (record) this.fail(record, error);
      },
    });
  }

  subscribe = (listener: (urgent?: boolean) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  runs(jobId: string): readonly RunRecord[] {
    this.loadSaved(jobId);
    return this.records.get(jobId) ?? [];
  }

  latest(jobId: string): RunRecord | undefined {
    this.loadSaved(jobId);
    return this.records.get(jobId)?.at(-1);
  }

  /**
   * The first time a job is asked about: its runs saved before this session, read back from
   * their receipts, and the number the next run is saved under (run #N is `NNNN.json`).
   */
  private loadSaved(jobId: string): void {
    if (this.loaded.has(jobId)) return;
    this.loaded.add(jobId);
    const saved = loadSavedRuns(this.options.root, jobId, this.options.publicKeyHex, this.options.historySize ?? 30);
    if (saved.runs.length > 0) this.records.set(jobId, [...saved.runs, ...(this.records.get(jobId) ?? [])]);
    this.ledger.numberFrom(jobId, saved.last);
  }

  isRunning(jobId: string): boolean {
    const latest = this.latest(jobId);
    return latest !== undefined && latest.outcome === null;
  }

  runningCount(): number {
    return this.ledger.runningCount();
  }

  /** What `spec`'s manifest asks for that the user has not allowed (null: nothing to ask). */
  pendingGrants(spec: JobSpec): GrantRequest | null {
    return this.options.engine.pendingGrants(spec);
  }

  /** Remembers the user's consent to exactly `request`. */
  allow(request: GrantRequest): void {
    this.options.engine.allow(request);
    this.allowedNow.set(request.manifestPath, request);
  }

  /** What was last allowed for `manifestPath`: in this session, else as the grant store recorded it. */
  allowedBefore(manifestPath: string): AllowedBefore | null {
    const now = this.allowedNow.get(manifestPath);
    if (now) return { dirs: now.dirs, env: { ...now.env }, at: null };
    return allowedOnDisk(this.options.grantsDir ?? join(configDir(), 'allowed'), manifestPath);
  }

  /** Starts a run, first cancelling the job's run in flight, if any. */
  start(job: RunnableJob, stdin: string, why: RunRecord['why'] = 'user', allowGrants = false): RunRecord | null {
    // Numbers continue after the runs saved before this session.
    this.loadSaved(job.id);
    const run = this.ledger.start(job, { stdin, why, allowGrants });
    return run ? (this.live.get(run) ?? null) : null;
  }

  /** A run started on the ledger (here, or by a watch sharing it): its record, shown from now on. */
  private started(run: LedgerRun): void {
    this.loadSaved(run.job.id);
    const previous = this.latest(run.job.id);
    if (previous && previous.outcome === null) previous.superseded = true;
    const record: RunRecord = {
      jobId: run.job.id,
      no: run.no,
      stdin: typeof run.stdin === 'string' ? run.stdin : Buffer.from(run.stdin).toString('utf8'),
      moduleHash: run.moduleHash,
      manifestHash: run.manifestHash,
      why: run.why === 'watch' || run.why === 'rebuild' ? 'watch' : 'user',
      startedAt: Date.now(),
      phase: 'reading',
      output: new OutputLog(),
      superseded: false,
      outcome: null,
      changed: null,
      receipt: null,
      fullOutput: null,
      finishedAt: null,
    };
    this.live.set(run, record);
    this.arrivals.set(record, []);
    this.remember(record);
    const tracked = this.ledger.whenDone(run).finally(() => {
      this.live.delete(run);
      this.arrivals.delete(record);
      this.pending.delete(tracked);
      this.changed();
    });
    this.pending.add(tracked);
    this.changed();
  }

  /**
   * Runs a deterministic run's job again and compares (engine/replay.ts): its receipt pane says
   * `replaying`, then whether the replay gave the same output and fuel. False when the run has
   * no replayable receipt, or one is being replayed.
   */
  replay(record: RunRecord, spec: JobSpec): boolean {
    const view = record.receipt;
    const replay = this.options.replay;
    if (!view?.replayable || !view.signed || !replay || view.replay?.state === 'running' || this.closing) return false;
    view.replay = { state: 'running', detail: '' };
    const controller = new AbortController();
    const done = replay(view.signed, {
      module: spec.modulePath,
      stdin: Buffer.from(record.stdin, 'utf8'),
      dirs: spec.dirs.map((d) => ({ host: d.host, guest: d.guest })),
      signal: controller.signal,
    }).then(
      (report) => {
        const failed = report.checks.filter((c) => !c.ok);
        view.replay = failed.length === 0 ? { state: 'ok', detail: 'same output, exit and fuel' } : { state: 'failed', detail: failed.map((c) => c.detail).join('; ') };
      },
      (error: unknown) => {
        view.replay = { state: 'failed', detail: describeError(error).replaceAll(`${this.options.root}/`, '') };
      },
    );
    const tracked = done.finally(() => {
      this.pending.delete(tracked);
      this.replays.delete(controller);
      this.changed();
    });
    this.replays.add(controller);
    this.pending.add(tracked);
    this.changed();
    return true;
  }

  /** Cancels the job's run in flight; false if it was not running. */
  cancel(jobId: string): boolean {
    return this.ledger.cancel(jobId);
  }

  /** Resolves when no run is in flight (runs started meanwhile included). */
  async whenIdle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Cancels everything and waits (bounded) for the sandboxes to be gone. */
  async close(timeoutMs = 3000): Promise<void> {
    this.closing = true;
    for (const replay of this.replays) replay.abort();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    // A ledger shared with a watch is its owner's to close: only the runs shown here end.
    const ledgerDone = this.options.ledger ? Promise.allSettled([...this.live.keys()].map((run) => this.ledger.cancel(run.job.id))) : this.ledger.close(timeoutMs);
    await Promise.race([Promise.allSettled([ledgerDone, ...this.pending]), timeout]);
    clearTimeout(timer);
  }

  private remember(record: RunRecord): void {
    const list = this.records.get(record.jobId) ?? [];
    list.push(record);
    const limit = this.options.historySize ?? 30;
    // Forget the oldest finished runs; a run still in flight is never forgotten.
    while (list.length > limit && list[0]?.outcome !== null) list.shift();
    this.records.set(record.jobId, list);
  }

  /** The run's outcome and output as the sandbox gave them: what the panes show first. */
  private end(record: RunRecord, run: LedgerRun): void {
    const result = run.result as RunResult;
    if (run.superseded) record.superseded = true;
    record.output.end();
    // The live events normally carry every captured byte; if they did not, the result is the truth.
    if (record.output.bytes.stdout !== result.stdout.length || record.output.bytes.stderr !== result.stderr.length) {
      record.output = new OutputLog();
      record.output.append('stdout', result.stdout);
      record.output.append('stderr', result.stderr);
      record.output.end();
    }
    let chunks = this.arrivals.get(record) ?? [];
    if (record.output.bytes.stdout !== result.stdout.length || record.output.bytes.stderr !== result.stderr.length) {
      chunks = [
        { stream: 'stdout', chunk: result.stdout },
        { stream: 'stderr', chunk: result.stderr },
      ];
    }
    // stdout and stderr arrive on two pipes, out of order against each other; the sandbox knows
    // the order the guest wrote them in, so the kept log and the saved output follow that.
    if (result.output_order) {
      chunks = inWriteOrder(result);
      record.output = new OutputLog();
      for (const { stream, chunk } of chunks) record.output.append(stream, chunk);
      record.output.end();
    }
    const outputHash = sha256(`${sha256(result.stdout)}${sha256(result.stderr)}`);
    record.outcome = {
      status: result.status,
      exitCode: result.exit_code,
      message: result.message,
      timing: result.timing,
      stdoutTruncated: result.stdout_truncated,
      stderrTruncated: result.stderr_truncated,
      outputHash,
      containment: result.containment,
    };
    record.phase = 'done';
    record.finishedAt = Date.now();
    if (result.status !== 'cancelled') {
      const before = this.previousFinished(record);
      record.changed = before ? before.outcome?.outputHash !== outputHash : null;
    }
    this.arrivals.set(record, chunks);
    record.receiptPending = result.receipt !== null;
  }

  /** Then its receipt, saved by the ledger: checked, and the output kept beside it. */
  private keepReceipt(record: RunRecord, run: LedgerRun, folder: ReceiptFolder | null): void {
    const result = run.result as RunResult;
    if (record.outcome === null) this.end(record, run); // a ledger that told only of the finish
    record.receiptPending = false;
    if (!result.receipt) return;
    record.receipt = this.keep(record, result, run);
    // Another program may have saved a receipt meanwhile: the run is the number it was saved as.
    if (run.savedAs !== null) record.no = run.savedAs;
    const chunks = this.arrivals.get(record) ?? [];
    if (folder && run.receiptPath) record.fullOutput = this.keepOutput(folder, run.receiptPath, record, result, chunks);
  }

  /**
   * Saves what the run read and wrote beside its receipt (`0003.json`): the exact bytes of its
   * stdin, stdout and stderr (`0003.stdin`, `0003.stdout`, `0003.stderr`, as captured, within
   * the output cap), which `plasm-tui verify --stdin/--stdout/--stderr` checks against the
   * receipt; and the whole output as display text (`0003.output.txt`: sanitised lines in write
   * order, stderr's marked, then why a failed run ended), which `p` opens. All of it through the folder's descriptor, each
   * file created new: the folder cannot be swapped for a symlink between the receipt and these.
   * Returns the display text's path, or null when there is none.
   */
  private keepOutput(folder: ReceiptFolder, receiptPath: string, record: RunRecord, result: RunResult, chunks: readonly { stream: Stream; chunk: Uint8Array }[]): string | null {
    const stem = receiptPath.slice(receiptPath.lastIndexOf('/') + 1).replace(/\.json$/, '');
    const relativeTo = (name: string): string => `${receiptPath.slice(0, receiptPath.lastIndexOf('/') + 1)}${name}`;
    try {
      folder.writeNew(`${stem}.stdin`, Buffer.from(record.stdin, 'utf8'));
      folder.writeNew(`${stem}.stdout`, result.stdout);
      folder.writeNew(`${stem}.stderr`, result.stderr);
      // A failed run's reason ends the text, whole, as it ends the pane.
      const reason = result.status === 'ok' ? '' : `${endLine(result.status, sanitizeLabel((record.superseded ? 'Cancelled: a newer run of this job replaced it.' : result.message).replaceAll(`${this.options.root}/`, '')))}\n`;
      const text = fullOutputText(chunks) + reason;
      if (text === '') return null; // nothing printed: nothing to page through
      return folder.writeNew(`${stem}.output.txt`, text) ? relativeTo(`${stem}.output.txt`) : null;
    } catch {
      return null;
    }
  }

  /** Only a bug in plasm-tui rejects a run's result; show it like any other failure. */
  private fail(record: RunRecord, error: unknown): void {
    record.output.end();
    record.outcome = {
      status: 'error',
      exitCode: null,
      message: `plasm-tui failed to run the job: ${describeError(error)}`,
      timing: { start_ms: 0, compile_ms: 0, run_ms: 0, total_ms: Date.now() - record.startedAt },
      stdoutTruncated: false,
      stderrTruncated: false,
      outputHash: sha256(''),
      containment: [],
    };
    record.phase = 'done';
    record.finishedAt = Date.now();
  }

  private previousFinished(record: RunRecord): RunRecord | undefined {
    const list = this.runs(record.jobId);
    for (let i = list.indexOf(record) - 1; i >= 0; i--) {
      const candidate = list[i];
      if (candidate?.outcome && candidate.outcome.status !== 'cancelled') return candidate;
    }
    return undefined;
  }

  /** Checks the receipt (saved by the ledger) against our own key and what we saw. */
  private keep(record: RunRecord, result: RunResult, run: LedgerRun): ReceiptView {
    const receipt = result.receipt as Receipt;
    const savedTo = run.receiptPath;
    const saveError = savedTo === null ? (run.saveError ?? 'not saved') : null;
    let verified = false;
    let problem = '';
    try {
      const bindings = bindsOutput(receipt) ? { stdin: Buffer.from(record.stdin, 'utf8'), stdout: result.stdout, stderr: result.stderr } : undefined;
      const report = verifyReceipt(receipt, { pubkey: this.options.publicKeyHex, bindings });
      verified = report.ok;
      problem = report.checks.filter((check) => !check.ok).map((check) => check.detail).join('; ');
    } catch (error) {
      problem = describeError(error);
    }
    const view: ReceiptView = {
      version: receipt.version,
      bindsOutput: bindsOutput(receipt),
      moduleHash: receipt.module_hash,
      inputHash: bindsOutput(receipt) ? receipt.input_hash : null,
      stdoutHash: bindsOutput(receipt) ? receipt.stdout_hash : null,
      stderrHash: bindsOutput(receipt) ? receipt.stderr_hash : null,
      signer: receipt.node_pubkey,
      verified,
      problem,
      savedTo,
      saveError,
      replayable: replayable(receipt),
      replay: null,
      signed: receipt,
    };
    return view;
  }

  private changed(urgent = false): void {
    this.version++;
    for (const listener of this.listeners) listener(urgent);
  }
}

/** All of a run's output as text: lines in arrival order, stderr's behind the gutter. */
export function fullOutputText(chunks: readonly { stream: Stream; chunk: Uint8Array }[]): string {
  return outputText(chunks);
}

/** The run's output as the guest wrote it: its stdout and stderr bytes cut along the write order. */
function inWriteOrder(result: RunResult): { stream: Stream; chunk: Uint8Array }[] {
  const at = { stdout: 0, stderr: 0 };
  return (result.output_order ?? []).map(({ stream, bytes }) => {
    const source = stream === 'stdout' ? result.stdout : result.stderr;
    const chunk = source.subarray(at[stream], at[stream] + bytes);
    at[stream] += bytes;
    return { stream, chunk };
  });
}
