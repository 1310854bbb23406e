/**
 * The watched folder as a live job list: the tree watcher (tree-watcher.ts) reports files, each
 * interesting one becomes a fact (file-facts.ts), and the list is derived again from all facts
 * (derive-jobs.ts) shortly after any change, so a burst of events (a build writing ten modules,
 * the first walk of a big tree) costs one update. The module each manifest names is followed
 * wherever it is in the folder, even where the walk does not go (target/); a job whose module
 * cannot be followed says why (`unwatched`).
 */
import { resolve, sep } from 'node:path';
import { lstatSync } from 'node:fs';
import type { Config } from '../../core/config.js';
import { describeError } from '../../core/errors.js';
import { IGNORED_DIRS } from '../find-module.js';
import { deriveJobs } from './derive-jobs.js';
import { candidateKind, jsonFact, moduleFact, unreadModuleFact, type FileFact } from './file-facts.js';
import type { JobEntry } from './job-entry.js';
import { settleModule, type SettleOptions } from './settle-module.js';
import { Slots } from './slots.js';
import { TreeWatcher } from './tree-watcher.js';

export interface FolderSnapshot {
  jobs: readonly JobEntry[];
  /** The first scan is done (and every file found in it has been read). */
  ready: boolean;
  /** A watcher problem (permissions…), shown in the header. */
  error: string | null;
  /** What is not watched because a limit was hit (too many folders, too deep). */
  notice?: string | null;
}

export interface JobFolderOptions {
  /** Quiet time before a write is looked at (5 ms: it only merges one write's events; the bytes are validated, and re-read until whole, so a half-written file never runs). */
  stabilityMs?: number;
  /** Bounds of the walk (see tree-watcher.ts). */
  maxDirs?: number;
  maxDepth?: number;
  settle?: Omit<SettleOptions, 'signal' | 'slots'>;
  /** Delay that batches bursts of events into one list update. */
  batchMs?: number;
}

export class JobFolder {
  readonly root: string;
  private readonly facts = new Map<string, FileFact>();
  private readonly settling = new Map<string, AbortController>();
  private readonly listeners = new Set<() => void>();
  /** Modules held in memory at once while they are read and validated (each at most the size cap). */
  private readonly readSlots = new Slots(2);
  private watcher: TreeWatcher | null = null;
  private scanned = false;
  private timer: NodeJS.Timeout | null = null;
  private current: FolderSnapshot = { jobs: [], ready: false, error: null };

  constructor(
    root: string,
    private readonly config: Config,
    private readonly options: JobFolderOptions = {},
  ) {
    this.root = resolve(root);
  }

  start(): void {
    if (this.watcher) return;
    const { stabilityMs = 5, maxDirs, maxDepth } = this.options;
    // The folder may be hostile: a link `r -> /` must not make us walk (and watch) the disk,
    // and a linked "module" or "manifest" may be any file of the user's: symlinks are skipped.
    this.watcher = new TreeWatcher(
      this.root,
      {
        add: (path) => this.update(path),
        change: (path) => this.update(path),
        unlink: (path) => this.remove(path),
        unlinkDir: (path) => this.removeDir(path),
        ready: () => {
          // The modules manifests name outside the walk are looked at before the list is ready,
          // so the first runs see them too.
          void this.followModules().then(() => {
            this.scanned = true;
            this.schedule();
          });
        },
        follow: () => this.schedule(),
        limit: (message) => {
          this.current = { ...this.current, notice: message };
          this.notify();
        },
        error: (error) => {
          this.current = { ...this.current, error: `Watching ${this.root} failed: ${describeError(error)}` };
          this.notify();
        },
      },
      { stabilityMs, maxDirs, maxDepth, ignoredDirs: IGNORED_DIRS, wanted: (path) => candidateKind(path) !== null },
    );
    this.watcher.start().catch((error: unknown) => {
      this.current = { ...this.current, error: `Watching ${this.root} failed: ${describeError(error)}` };
      this.notify();
    });
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The same object until something changes (what useSyncExternalStore needs). */
  snapshot = (): FolderSnapshot => this.current;

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const controller of this.settling.values()) controller.abort();
    this.settling.clear();
    this.listeners.clear();
    this.watcher?.close();
    this.watcher = null;
  }

  private update(path: string): void {
    if (isSymlink(path)) return this.set(path, null);
    const kind = candidateKind(path);
    if (kind === 'json') {
      this.set(path, jsonFact(path));
    } else if (kind === 'module') {
      this.settling.get(path)?.abort();
      const controller = new AbortController();
      this.settling.set(path, controller);
      void settleModule(path, { maxBytes: this.config.max_module_bytes, slots: this.readSlots, ...this.options.settle, signal: controller.signal }).then((settled) => {
        if (controller.signal.aborted) return;
        this.settling.delete(path);
        this.set(path, settled === null ? null : settled.problem === null ? moduleFact(path, settled.bytes) : unreadModuleFact(path, settled.problem));
      });
    }
  }

  private remove(path: string): void {
    this.settling.get(path)?.abort();
    this.settling.delete(path);
    this.set(path, null);
  }

  private removeDir(dir: string): void {
    for (const path of [...this.facts.keys()]) {
      if (path.startsWith(dir + sep)) this.remove(path);
    }
  }

  private set(path: string, fact: FileFact | null): void {
    if (fact) this.facts.set(path, fact);
    else this.facts.delete(path);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh();
    }, this.options.batchMs ?? 5);
  }

  private refresh(): void {
    let jobs: JobEntry[];
    try {
      jobs = this.withUnwatched(deriveJobs(this.facts.values(), this.root, this.config));
    } catch (error) {
      this.current = { ...this.current, error: `Listing jobs failed: ${describeError(error)}` };
      this.notify();
      return;
    }
    if (this.scanned) void this.watcher?.follow(namedModules(jobs));
    this.current = { ...this.current, jobs, ready: this.scanned && this.settling.size === 0 };
    this.notify();
  }

  private async followModules(): Promise<void> {
    try {
      await this.watcher?.follow(namedModules(deriveJobs(this.facts.values(), this.root, this.config)));
    } catch {
      // listed without them; refresh() reports a failure to list
    }
  }

  /** Each manifest's reason its module's rebuilds are not seen, if any. */
  private withUnwatched(jobs: JobEntry[]): JobEntry[] {
    return jobs.map((job) => {
      if (job.kind !== 'manifest' || !job.spec) return job;
      const module = job.spec.modulePath;
      const unwatched = module.startsWith(this.root + sep)
        ? (this.watcher?.followProblem(module) ?? null)
        : `The module ${module} is outside the watched folder, so rebuilds of it are not seen and it is not run automatically.`;
      return unwatched === null ? job : { ...job, unwatched };
    });
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The module files manifests name. */
function namedModules(jobs: readonly JobEntry[]): string[] {
  return jobs.flatMap((job) => (job.kind === 'manifest' && job.spec ? [job.spec.modulePath] : []));
}
