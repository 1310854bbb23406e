/**
 * The seam between the engine and whatever runs a prepared job: today a fresh worker process
 * per job (spawn.ts); a warm pool or a remote transport is another `Sandbox`.
 */
import { runInSandbox, type SandboxRequest, type SandboxResult } from './spawn.js';
import type { WorkerProfile } from './worker-process.js';

export interface Sandbox {
  run(request: SandboxRequest): Promise<SandboxResult>;
  /** Starts a worker for a job about to come (optional: a sandbox without spares ignores it). */
  prestart?(profile: WorkerProfile): void;
  /** Stops whatever it keeps running (warm spares). */
  close?(): Promise<void>;
}

/** One fresh, single-use worker process per job. */
export const processSandbox: Sandbox = { run: runInSandbox };

export type { SandboxRequest, SandboxResult, SandboxTiming } from './spawn.js';
export type { WorkerProfile } from './worker-process.js';
export { createWarmPool, type WarmPool, type WarmPoolOptions } from './warm-pool.js';
export { osSandboxMode } from './launch/detect.js';
