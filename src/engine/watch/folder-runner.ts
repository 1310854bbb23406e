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
import type { RunHandle, RunResult } from '../run.js';
import { receiptFolder, saveReceipt } from '../receipt-store.js';
import { EVENT_VERSION, type EventJob, type WatchEvent } from './events.js';

export interface FolderRunnerOptions {
  /** Run every runnable job once after the first scan (default true); else only rebuilds. */
  runOnStart?: boolean;
  /** Jobs running at once (default: the machine's cores). */
  concurrency?: number;
  /** Keep receipts in `<dir>/.plasm/receipts/` (default true). */
  saveReceipts?: boolean;
}

type Omitted<E> = E extends unknown ? Omit<E, 'event_version' | 'at'> : never;

export class FolderRunner {
  readonly folder: JobFolder;
  private known = new Map<string, JobEntry>();
  private readonly runs = new Map<string, { no: number; handle: RunHandle | null }>();
  private readonly counters = new Map<string, number>();
  /** The module bytes each job's latest run really used (the engine reads the file itself). */
  private readonly ranHash = new Map<string, string>();
  private readonly queue: { entry: JobEntry; why: 'initial' | 'rebuild' }[] = [];
  private readonly pending = new Set<Promise<void>>();
  private running = 0;
  private scanned = false;
  private closed = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly engine: Engine,
    readonly root: string,
    private readonly emit: (event: WatchEvent) => void,
    private readonly options: FolderRunnerOptions = {},
  ) {
    this.folder = new JobFolder(root, engine.config);
  }

  start(): void {
    this.unsubscribe = this.folder.subscribe(() => this.update());
    this.folder.start();
  }

  /** Stops watching, cancels what runs and waits (bounded) for it; emits `stopped`. */
  async close(reason = 'closed'): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    this.queue.length = 0;
    for (const run of this.runs.values()) run.handle?.cancel();
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
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
        this.runs.get(id)?.handle?.cancel();
        this.send({ type: 'job_removed', job: this.ref(old) });
      }
    }
    for (const [id, entry] of next) {
      const old = this.known.get(id);
      if (!old) {
        this.send({ type: 'job_added', job: this.ref(entry) });
        this.check(entry);
        if (this.scanned) this.schedule(entry, 'initial');
      } else if (this.scanned && (old.moduleHash !== entry.moduleHash || old.manifestHash !== entry.manifestHash || (old.spec === null) !== (entry.spec === null))) {
        // (During the first scan a module read after its manifest is not a rebuild.)
        this.send({ type: 'job_changed', job: this.ref(entry) });
        this.check(entry);
        this.schedule(entry, 'rebuild');
      } else if (entry.unwatched && entry.unwatched !== old.unwatched) {
        this.send({ type: 'job_unwatched', job: this.ref(entry), message: entry.unwatched });
      }
    }
    this.known = next;
    if (snapshot.ready && !this.scanned) {
      this.scanned = true;
      this.send({ type: 'watching', dir: this.root, jobs: next.size });
      if (this.options.runOnStart ?? true) for (const entry of next.values()) this.schedule(entry, 'initial');
    }
  }

  /** Reports why a job cannot run as it is (invalid, or grants not allowed), or why its module is not followed. */
  private check(entry: JobEntry): void {
    if (entry.unwatched) this.send({ type: 'job_unwatched', job: this.ref(entry), message: entry.unwatched });
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
    if (why === 'rebuild' && this.ranHash.get(entry.id) === `${entry.moduleHash} ${entry.manifestHash}`) return;
    // A rebuild replaces what was queued or running for the job.
    const queued = this.queue.findIndex((item) => item.entry.id === entry.id);
    if (queued >= 0) this.queue.splice(queued, 1);
    this.runs.get(entry.id)?.handle?.cancel();
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
    const no = (this.counters.get(entry.id) ?? 0) + 1;
    this.counters.set(entry.id, no);
    let handle: RunHandle;
    try {
      handle = this.engine.start(spec, {
        onEvent: (event) => {
          if (event.type === 'phase' && event.module_hash) this.ranHash.set(entry.id, `${event.module_hash} ${entry.manifestHash}`);
        },
      });
    } catch (error) {
      this.send({ type: 'job_invalid', job: this.ref(entry), message: describeError(error), details: [] });
      return;
    }
    this.running++;
    this.runs.set(entry.id, { no, handle });
    this.send({ type: 'run_started', job: this.ref(entry), run: no, why });
    const done = handle.result
      .then((result) => this.finished(entry, no, result))
      .catch((error: unknown) => this.send({ type: 'job_invalid', job: this.ref(entry), message: `plasm-tui failed to run the job: ${describeError(error)}`, details: [] }))
      .finally(() => {
        this.running--;
        this.pending.delete(done);
        if (this.runs.get(entry.id)?.no === no) this.runs.set(entry.id, { no, handle: null });
        this.drain();
      });
    this.pending.add(done);
  }

  private finished(entry: JobEntry, no: number, result: RunResult): void {
    let receiptPath: string | null = null;
    if (result.receipt && (this.options.saveReceipts ?? true)) {
      try {
        receiptPath = relative(this.root, saveReceipt(this.root, receiptFolder(this.root, entry.id), result.receipt));
      } catch {
        receiptPath = null; // e.g. .plasm is a symlink: never written through
      }
    }
    this.send({
      type: 'run_finished',
      job: this.ref(entry),
      run: no,
      status: result.status,
      exit_code: result.exit_code,
      message: result.message,
      timing: result.timing,
      fuel_consumed: result.usage.fuel_consumed,
      stdout_bytes: result.stdout.length,
      stderr_bytes: result.stderr.length,
      containment: result.containment,
      receipt_path: receiptPath,
    });
  }
}
