/**
 * The seam between the engine and whatever runs a prepared job: a fresh worker process per job
 * (spawn.ts), a warm pool (warm-pool.ts), a daemon or a queue at a distance.
 *
 * The process-starting code (spawn.ts, warm-pool.ts, worker-process.ts, and execa under them) is
 * loaded when a job first needs it, not with the engine: a `run` through a daemon never loads it,
 * and the TUI draws its first frame before it does.
 */
import type { SandboxRequest, SandboxResult } from './spawn.js';
import type { WarmPool, WarmPoolOptions } from './warm-pool.js';
import type { WorkerProfile } from './worker-process.js';

export interface Sandbox {
  run(request: SandboxRequest): Promise<SandboxResult>;
  /** Starts a worker for a job about to come (optional: a sandbox without spares ignores it). */
  prestart?(profile: WorkerProfile): void;
  /** Stops whatever it keeps running (warm spares). */
  close?(): Promise<void>;
}

export const processSandbox: Sandbox = { run: async (request) => (await import('./spawn.js')).runInSandbox(request) };

/** A warm pool (warm-pool.ts), loaded on its first job or prestart. */
export function createWarmPool(options: WarmPoolOptions = {}): WarmPool {
  let pool: WarmPool | undefined;
  let loading: Promise<WarmPool> | undefined;
  let closed = false;
  const load = (): Promise<WarmPool> =>
    (loading ??= import('./warm-pool.js').then((m) => {
      // Closed while it loaded: no spares are started; close() closes it.
      pool = m.createWarmPool(closed ? { ...options, initial: [] } : options);
      return pool;
    }));
  if (options.initial?.length) void load();
  return {
    run: async (request) => (pool ?? (await load())).run(request),
    prestart: (profile) => {
      if (pool) pool.prestart(profile);
      else void load().then((loaded) => loaded.prestart(profile));
    },
    stats: () => pool?.stats() ?? { warm: 0, cold: 0, primed: 0, spares: 0, sparesPrimed: 0, replaced: 0, sparePids: [] },
    close: async () => {
      closed = true;
      const loaded = pool ?? (await loading);
      await loaded?.close();
    },
  };
}

export type { SandboxRequest, SandboxResult, SandboxTiming } from './spawn.js';
export type { WorkerProfile } from './worker-process.js';
export type { WarmPool, WarmPoolOptions } from './warm-pool.js';
export { osSandboxMode } from './launch/detect.js';
