/**
 * The run ledger: the runs of a folder's jobs, shared by everything that runs them (the TUI's
 * run store, `watch` and the SDK's folder runner), so the rules live once:
 *
 * - one run per job at a time: starting a job cancels its run in flight, which ends `cancelled`
 *   and is marked superseded;
 * - runs are numbered per job (continuing from receipts saved before, when a caller says so);
 * - the build a run really used — the module bytes the engine read, which may be newer than the
 *   listing — is remembered, so a rebuild that run already read is not run twice (`ranBuild`);
 * - a run for a watched rebuild runs that build or, if a newer one landed, ends unrun
 *   (RunOptions.expectModuleHash);
 * - each signed receipt is saved in `<root>/.plasm/receipts/<job>/NNNN.json` through the folder's
 *   descriptor, which listeners may use to write beside it before it is closed;
 * - closing cancels every run and waits, bounded, for their sandboxes.
 *
 * What a caller shows (output panes, events, a report) it does in its listener.
 */
import { relative } from 'node:path';
import { describeError } from '../../core/errors.js';
import type { Hash } from '../../core/hash.js';
import type { Engine } from '../engine.js';
import type { JobSpec } from '../job.js';
import { lastSavedNumber, openReceiptFolder, receiptFolder, type ReceiptFolder } from '../receipt-store.js';
import type { RunEvent, RunHandle, RunResult } from '../run.js';

/** A job as the ledger runs it: its id in the folder (receipts go under it) and what it was listed with. */
export interface LedgerJob {
  id: string;
  spec: JobSpec;
  moduleHash: Hash | null;
  manifestHash: Hash | null;
}

/** Why a run started: by hand, or for a folder's first scan or a rebuild (`watch`: a TUI's rerun of a rebuild). */
export type RunReason = 'user' | 'watch' | 'initial' | 'rebuild';

export interface LedgerRun {
  job: LedgerJob;
  /** 1, 2, 3… per job. */
  no: number;
  why: RunReason;
  stdin: string | Uint8Array;
  /** The module the run used: the listed build until the engine says which bytes it read. */
  moduleHash: Hash | null;
  manifestHash: Hash | null;
  /** Cancelled because a newer run of the same job replaced it. */
  superseded: boolean;
  result: RunResult | null;
  /** The saved receipt, relative to the root; null until saved, or if it could not be. */
  receiptPath: string | null;
  /** The number its receipt was saved as (`0007.json`): another program may have saved some meanwhile. */
  savedAs: number | null;
  saveError: string | null;
}

export interface LedgerListener {
  started?(run: LedgerRun): void;
  event?(run: LedgerRun, event: RunEvent): void;
  /**
   * The run ended: `run.result` is set; its receipt is saved next (then `finished`), once a
   * promise returned here settles (a view drawing the outcome first; it should not wait long).
   */
  ended?(run: LedgerRun): void | Promise<void>;
  /** The run ended; `folder` is its receipt folder, open until the listeners return (null if not saved). */
  finished?(run: LedgerRun, folder: ReceiptFolder | null): void;
  /** Only a bug in plasm-tui rejects a run's result. */
  failed?(run: LedgerRun, error: unknown): void;
}

export interface RunLedgerOptions {
  engine: Pick<Engine, 'start'>;
  /** The folder the jobs are in: receipts go to `<root>/.plasm/receipts/<job id>/`. */
  root: string;
  /** Save each signed receipt (default true). */
  saveReceipts?: boolean;
  /** A seam for tests; defaults to the engine's. */
  openReceiptFolder?: typeof openReceiptFolder;
}

export interface StartOptions {
  stdin?: string | Uint8Array;
  why?: RunReason;
  /** The caller asked the user for the manifest's grants (or they were given on the command line). */
  allowGrants?: boolean;
}

export class RunLedger {
  private readonly inFlight = new Map<string, { run: LedgerRun; handle: RunHandle }>();
  private readonly latestRun = new Map<string, LedgerRun>();
  private readonly counters = new Map<string, number>();
  private readonly pending = new Set<Promise<void>>();
  private readonly done = new Map<LedgerRun, Promise<void>>();
  private readonly listeners = new Set<LedgerListener>();
  private closing = false;

  constructor(readonly options: RunLedgerOptions) {}

  listen(listener: LedgerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Run numbers continue after `last` (runs saved before this session). */
  numberFrom(jobId: string, last: number): void {
    this.counters.set(jobId, Math.max(this.counters.get(jobId) ?? 0, last));
  }

  latest(jobId: string): LedgerRun | undefined {
    return this.latestRun.get(jobId);
  }

  isRunning(jobId: string): boolean {
    return this.inFlight.has(jobId);
  }

  runningCount(): number {
    return this.inFlight.size;
  }

  /** Whether the job's latest run (running or done) used the build the job is listed with now. */
  ranBuild(job: Pick<LedgerJob, 'id' | 'moduleHash' | 'manifestHash'>): boolean {
    const run = this.latestRun.get(job.id);
    return run !== undefined && run.moduleHash === job.moduleHash && run.manifestHash === job.manifestHash;
  }

  /**
   * Starts a run of `job`, first cancelling its run in flight. A watched rebuild (`watch`,
   * `rebuild`) is for the build listed: a newer one being written is not run half-written.
   * Throws what the engine throws for a job that cannot start (grants nobody allowed); null when
   * the ledger is closing.
   */
  start(job: LedgerJob, options: StartOptions = {}): LedgerRun | null {
    if (this.closing) return null;
    const why = options.why ?? 'user';
    const previous = this.inFlight.get(job.id);
    // Run N is saved as NNNN.json: numbers go on after the receipts kept before.
    if (!this.counters.has(job.id) && (this.options.saveReceipts ?? true)) this.numberFrom(job.id, lastSavedNumber(this.options.root, receiptFolder(this.options.root, job.id)));
    const no = (this.counters.get(job.id) ?? 0) + 1;
    const run: LedgerRun = {
      job,
      no,
      why,
      stdin: options.stdin ?? '',
      moduleHash: job.moduleHash,
      manifestHash: job.manifestHash,
      superseded: false,
      result: null,
      receiptPath: null,
      savedAs: null,
      saveError: null,
    };
    const handle = this.options.engine.start(job.spec, {
      stdin: options.stdin,
      allowGrants: options.allowGrants,
      ...(why === 'watch' || why === 'rebuild' ? { expectModuleHash: job.moduleHash } : {}),
      onEvent: (event) => {
        // The bytes the engine read, which may already be a newer build than the listing knew.
        if (event.type === 'phase' && event.module_hash) run.moduleHash = event.module_hash;
        for (const listener of this.listeners) listener.event?.(run, event);
      },
    });
    if (previous) {
      previous.run.superseded = true;
      previous.handle.cancel();
    }
    this.counters.set(job.id, no);
    this.inFlight.set(job.id, { run, handle });
    this.latestRun.set(job.id, run);
    const settled = handle.result.then(
      (result) => this.finish(run, result),
      (error: unknown) => {
        for (const listener of this.listeners) listener.failed?.(run, error);
      },
    );
    const tracked = settled.finally(() => {
      if (this.inFlight.get(job.id)?.run === run) this.inFlight.delete(job.id);
      this.pending.delete(tracked);
      this.done.delete(run);
    });
    this.pending.add(tracked);
    this.done.set(run, tracked);
    for (const listener of this.listeners) listener.started?.(run);
    return run;
  }

  /** Resolves when `run` has ended and its listeners have heard of it. */
  whenDone(run: LedgerRun): Promise<void> {
    return this.done.get(run) ?? Promise.resolve();
  }

  /** Cancels the job's run in flight; false if none. */
  cancel(jobId: string): boolean {
    const flight = this.inFlight.get(jobId);
    flight?.handle.cancel();
    return flight !== undefined;
  }

  /** Resolves when no run is in flight (runs started meanwhile included). */
  async whenIdle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Cancels everything and waits (bounded) for the sandboxes to be gone. */
  async close(timeoutMs = 3000): Promise<void> {
    this.closing = true;
    for (const { handle } of this.inFlight.values()) handle.cancel();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.pending]), timeout]);
    clearTimeout(timer);
  }

  private async finish(run: LedgerRun, result: RunResult): Promise<void> {
    run.result = result;
    // What the run did goes on screen before the receipt's disk writes (each synced): listeners
    // hear of the end, and a turn of the event loop lets them draw it (a frame is drawn in a task
    // of its own), then the receipt is saved.
    const drawing = [...this.listeners].map((listener) => listener.ended?.(run));
    await Promise.allSettled([...drawing, new Promise((resolve) => setImmediate(resolve))]);
    let folder: ReceiptFolder | null = null;
    if (result.receipt && (this.options.saveReceipts ?? true)) {
      try {
        folder = (this.options.openReceiptFolder ?? openReceiptFolder)(this.options.root, receiptFolder(this.options.root, run.job.id));
        run.receiptPath = relative(this.options.root, folder.save(result.receipt));
      } catch (error) {
        // e.g. .plasm is a symlink: never written through.
        folder?.close();
        folder = null;
        run.saveError = describeError(error).replaceAll(`${this.options.root}/`, '');
      }
      // Another program may have saved a receipt meanwhile: the next run is numbered after it.
      const saved = run.receiptPath ? Number(/(\d+)\.json$/.exec(run.receiptPath)?.[1]) : NaN;
      if (Number.isInteger(saved) && saved > 0) {
        run.savedAs = saved;
        this.numberFrom(run.job.id, saved);
      }
    }
    try {
      for (const listener of this.listeners) listener.finished?.(run, folder);
    } finally {
      folder?.close();
    }
  }
}
