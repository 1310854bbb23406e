/**
 * The seam between the engine and whatever runs a prepared job: today a fresh worker process
 * per job (spawn.ts); a warm pool or a remote transport is another `Sandbox`.
 */
import { runInSandbox, type SandboxRequest, type SandboxResult } from './spawn.js';

export interface Sandbox {
  run(request: SandboxRequest): Promise<SandboxResult>;
}

/** One fresh, single-use worker process per job. */
export const processSandbox: Sandbox = { run: runInSandbox };

export type { SandboxRequest, SandboxResult, SandboxTiming } from './spawn.js';
