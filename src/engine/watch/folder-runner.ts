/**
 * A watched folder without a screen: lists its jobs as they appear, change and vanish, runs each
 * runnable job once when the folder has been scanned and again whenever its module or manifest
 * is rebuilt (cancelling a run in flight), saves each signed receipt next to the jobs, and
 * reports all of it as events (events.ts). A job whose manifest asks for grants nobody allowed
 * is never run: a `grants_needed` event names the command that allows them. What the TUI does
 * on screen, for `plasm-tui watch --json` and the SDK.
 */
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { describeError } from '../../core/errors.js';
import type { Engine } from '../engine.js';
import { JobFolder } from '../folder/job-folder.js';
import type { JobEntry } from '../folder/job-entry.js';
import type { RunResult } from '../run.js';
import { RunLedger, type LedgerRun } from '../ledger/run-ledger.js';
import { roundTiming } from '../report.js';
import { EVENT_VERSION, type EventJob, type WatchEvent } from './events.js';

export interface FolderRunnerOptions {
  /** Run every runnable job once after the first scan (default true); else only rebuilds. */
  runOnStart?: boolean;
  /** Jobs running at once (default: the machine's cores). */
  concurrency?: number;
  /** Keep receipts in `<dir>/.plasm/receipts/` (default true). */
  saveReceipts?: boolean;
  /** Each run's output as it comes (events carry only its size). */
  onOutput?: (run: { job: EventJob; run: number }, stream: 'stdout' | 'stderr', chunk: Buffer) => void;
  /** The ledger runs go through (shared with a TUI on the same folder); by default one of its own. */
  ledger?: RunLedger;
}

type Finished = Extract<WatchEvent, { type: 'run_finished' }>;
type Omitted<E> = E extends unknown ? Omit<E, 'event_version' | 'at'> : never;

export class FolderRunner {
  readonly folder: JobFolder;
  /** Runs, cancel-previous, numbering, "already ran this build" and receipts: engine/ledger/. */
  readonly ledger: RunLedger;
  private known = new Map<string, JobEntry>();
  private readonly queue: { entry: JobEntry; why: 'initial' | 'rebuild' }[] = [];
  /** Runs started and not yet reported finished: each gets exactly one `run_finished`. */
  private readonly open = new Map<LedgerRun, { entry: JobEntry; began: number }>();
  private running = 0;
  private scanned = false;
  private closed = false;
  private unsubscribe: (() => void) | null = null;
  private unlisten: (() => void) | null = null;
  /** The entry this runner is starting a run of (the ledger reports it started before start returns). */
  private launching: JobEntry | null = null;

  constructor(
    private readonly engine: Engine,
    readonly root: string,
    private readonly emit: (event: WatchEvent) => void,
    private readonly options: FolderRunnerOptions = {},
  ) {
    this.folder = new JobFolder(root, engine.config);
    this.ledger = options.ledger ?? new RunLedger({ engine, root, saveReceipts: options.saveReceipts });
  }

  start(): void {
    this.unlisten = this.ledger.listen({
      started: (run) => this.started(run),
      event: (run, event) => {
        if (event.type !== 'phase' && this.open.has(run)) this.options.onOutput?.({ job: this.ref(this.open.get(run)!.entry), run: run.no }, event.type, event.chunk);
      },
      finished: (run) => this.finished(run),
      failed: (run, error) => {
        this.report(run, { status: 'error', exit_code: null, message: `plasm-tui failed to run the job: ${describeError(error)}`, timing: { start_ms: 0, compile_ms: 0, run_ms: 0, total_ms: 0 } });
      },
    });
    this.unsubscribe = this.folder.subscribe(() => this.update());
    this.folder.start();
  }

  /** Stops watching, cancels what runs and waits (bounded) for it; emits `stopped`. */
  async close(reason = 'closed'): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    this.queue.length = 0;
    if (this.options.ledger) {
      // A shared ledger goes on: only this watch's runs are cancelled, and waited for (bounded).
      const mine = [...this.open.keys()];
      for (const run of mine) this.ledger.cancel(run.job.id);
      await Promise.race([this.ledger.whenIdle(), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
    } else {
      await this.ledger.close();
    }
    // A run its sandbox did not give back in time still ends, as cancelled, before `stopped`.
    for (const [run, { began }] of [...this.open]) {
      this.report(run, { status: 'cancelled', exit_code: null, message: 'The watch stopped before the run ended.', timing: { start_ms: 0, compile_ms: 0, run_ms: 0, total_ms: performance.now() - began } });
    }
    this.unlisten?.();
    await this.folder.close();
    this.send({ type: 'stopped', reason });
  }

  private send(event: Omitted<WatchEvent>): void {
    this.emit({ event_version: EVENT_VERSION, at: new Date().toISOString(), ...event } as WatchEvent);
  }

  private ref(entry: JobEntry): EventJob {
    return { id: entry.relPath, name: entry.name, kind: entry.kind };
  }

  private update(): void {
    if (this.closed) return;
    const snapshot = this.folder.snapshot();
    const next = new Map(snapshot.jobs.map((job) => [job.id, job]));
    for (const [id, old] of this.known) {
      if (!next.has(id)) {
        this.ledger.cancel(id);
        this.send({ type: 'job_removed', job: this.ref(old) });
      }
    }
    for (const [id, entry] of next) {
      const old = this.known.get(id);
      // During the first scan a job is only listed: a manifest read before its module is neither
      // invalid nor rebuilt. What it is at the end of the scan is said then, once.
      if (!old) {
        this.send({ type: 'job_added', job: this.ref(entry) });
        if (this.scanned) {
          this.check(entry);
          this.schedule(entry, 'initial');
        }
      } else if (this.scanned && (old.moduleHash !== entry.moduleHash || old.manifestHash !== entry.manifestHash || (old.spec === null) !== (entry.spec === null))) {
        this.send({ type: 'job_changed', job: this.ref(entry) });
        this.check(entry);
        this.schedule(entry, 'rebuild');
      }
      if (this.scanned && entry.unwatched && entry.unwatched !== old?.unwatched) this.send({ type: 'job_unwatched', job: this.ref(entry), message: entry.unwatched });
    }
    this.known = next;
    if (snapshot.ready && !this.scanned) {
      this.scanned = true;
      for (const entry of next.values()) {
        this.check(entry);
        if (entry.unwatched) this.send({ type: 'job_unwatched', job: this.ref(entry), message: entry.unwatched });
      }
      this.send({ type: 'watching', dir: this.root, jobs: next.size });
      if (this.options.runOnStart ?? true) for (const entry of next.values()) this.schedule(entry, 'initial');
    }
  }

  /** Reports why a job cannot run as it is (invalid, or grants not allowed). */
  private check(entry: JobEntry): void {
    if (!entry.spec) {
      this.send({ type: 'job_invalid', job: this.ref(entry), message: entry.error?.message ?? 'not a runnable job', details: entry.error?.details ?? [] });
      return;
    }
    const pending = this.engine.pendingGrants(entry.spec);
    if (pending) {
      this.send({
        type: 'grants_needed',
        job: this.ref(entry),
        manifest: relative(this.root, pending.manifestPath),
        dirs: pending.dirs,
        env: Object.keys(pending.env),
        allow_with: `plasm-tui allow ${pending.manifestPath}`,
      });
    }
  }

  private schedule(entry: JobEntry, why: 'initial' | 'rebuild'): void {
    if (this.closed || !entry.spec || entry.moduleHash === null || this.engine.pendingGrants(entry.spec)) return;
    // The run in flight may already have read this very build: it must not run twice.
    if (why === 'rebuild' && this.ledger.ranBuild(entry)) return;
    // A rebuild replaces what was queued or running for the job.
    const queued = this.queue.findIndex((item) => item.entry.id === entry.id);
    if (queued >= 0) this.queue.splice(queued, 1);
    this.ledger.cancel(entry.id);
    this.queue.push({ entry, why });
    this.drain();
  }

  private drain(): void {
    const limit = this.options.concurrency ?? availableParallelism();
    while (!this.closed && this.running < limit && this.queue.length > 0) {
      const { entry, why } = this.queue.shift() as { entry: JobEntry; why: 'initial' | 'rebuild' };
      this.launch(entry, why);
    }
  }

  private launch(entry: JobEntry, why: 'initial' | 'rebuild'): void {
    const spec = entry.spec;
    if (!spec) return;
    let run: LedgerRun | null;
    this.launching = entry;
    try {
      run = this.ledger.start({ id: entry.id, spec, moduleHash: entry.moduleHash, manifestHash: entry.manifestHash }, { why });
    } catch (error) {
      this.send({ type: 'job_invalid', job: this.ref(entry), message: describeError(error), details: [] });
      return;
    } finally {
      this.launching = null;
    }
    if (!run) return;
    this.running++;
    this.ledger
      .whenDone(run)
      .finally(() => {
        this.running--;
        this.drain();
      })
      .catch(() => {});
  }

  /** Any run of a job of this folder, whoever started it: `run_started`. */
  private started(run: LedgerRun): void {
    if (this.closed) return;
    const entry = this.launching?.id === run.job.id ? this.launching : (this.known.get(run.job.id) ?? this.folder.snapshot().jobs.find((job) => job.id === run.job.id));
    if (!entry) return;
    this.open.set(run, { entry, began: performance.now() });
    this.send({ type: 'run_started', job: this.ref(entry), run: run.no, why: run.why === 'watch' ? 'rebuild' : run.why });
  }

  private finished(run: LedgerRun): void {
    const result = run.result as RunResult;
    this.report(run, {
      status: result.status,
      exit_code: result.exit_code,
      message: result.message,
      timing: result.timing,
      fuel_consumed: result.usage.fuel_consumed,
      stdout_bytes: result.stdout.length,
      stderr_bytes: result.stderr.length,
      containment: result.containment,
      receipt_path: run.receiptPath,
    });
  }

  /** The one `run_finished` of a run; any later one for it (after the watch stopped) is dropped. */
  private report(run: LedgerRun, end: Pick<Finished, 'status' | 'exit_code' | 'message' | 'timing'> & Partial<Finished>): void {
    const open = this.open.get(run);
    if (!open || !this.open.delete(run)) return;
    this.send({
      type: 'run_finished',
      job: this.ref(open.entry),
      run: run.no,
      fuel_consumed: null,
      stdout_bytes: 0,
      stderr_bytes: 0,
      containment: [],
      receipt_path: null,
      ...end,
      timing: roundTiming(end.timing),
    });
  }
}
