/**
 * The engine, built once from its inputs: the config, the signing key, the sandbox that runs
 * prepared jobs and the store of allowed grants. The CLI, the TUI and the SDK each build one and
 * hold no engine logic of their own; nothing here falls back to module-level defaults.
 */
import type { Config } from '../core/config.js';
import { PlasmError } from '../core/errors.js';
import { GrantStore } from '../core/grant-store.js';
import type { NodeKey } from '../core/keys.js';
import { MIB } from '../core/limits.js';
import { osSandboxMode, processSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { grantRequest, summarizeGrants, type GrantRequest } from './grants.js';
import { grantProblem, holdGrants, type HeldGrants } from './hold-grants.js';
import { resolveJob, type JobOverrides, type JobSpec } from './job.js';
import { executeRun, workerProfile, type RunHandle, type RunOptions, type RunResult } from './run.js';

export interface EngineInputs {
  config: Config;
  /** The signing key, or how to load it (called once, when the first receipt is signed). */
  key: NodeKey | (() => NodeKey);
  /** How prepared jobs run; a fresh worker process per job unless given (see createWarmPool). */
  sandbox?: Sandbox;
  /** Where allowed grants are remembered; the user's config dir unless given. */
  grants?: GrantStore;
}

export interface Engine {
  readonly config: Config;
  /** A module file or a manifest, with the caller's overrides (which are consent already). */
  resolve(target: string, overrides?: JobOverrides): JobSpec;
  /** The manifest's requests that the user has not allowed yet, or null when there are none. */
  pendingGrants(spec: JobSpec): GrantRequest | null;
  /** Remembers the user's consent to exactly this request. */
  allow(request: GrantRequest): void;
  /** Forgets it; false if it was not allowed. */
  revoke(request: GrantRequest): boolean;
  /** Starts a run; refuses (throws a `consent` PlasmError) a job whose requests nobody allowed. */
  start(spec: JobSpec, options?: RunOptions): RunHandle;
  run(spec: JobSpec, options?: RunOptions): Promise<RunResult>;
  /**
   * Starts the job's worker now, before `start` (a sandbox with spares takes it then): a caller
   * overlaps its own remaining set-up (reading stdin, loading the key) with the worker's boot.
   * Without a job: a worker for the config's defaults (a .wasm module, no dirs), e.g. when a TUI
   * opens, so that the first run is warm too.
   */
  warm(spec?: JobSpec): void;
  /** Stops what the sandbox keeps running (warm spares). */
  close(): Promise<void>;
}

export function createEngine(inputs: EngineInputs): Engine {
  const { config } = inputs;
  const sandbox = inputs.sandbox ?? processSandbox;
  const grants = inputs.grants ?? new GrantStore();
  let key: NodeKey | undefined = typeof inputs.key === 'function' ? undefined : inputs.key;
  const loadKey = (): NodeKey => (key ??= (inputs.key as () => NodeKey)());
  const context = { sandbox, key: loadKey, receiptVersion: config.receipt_version, stackKb: config.stack_kb, maxFileBytes: config.max_file_bytes, maxModuleBytes: config.max_module_bytes };

  const pendingGrants = (spec: JobSpec): GrantRequest | null => {
    const request = grantRequest(spec);
    return request && !grants.isAllowed(request.hash) ? request : null;
  };

  const start = (spec: JobSpec, options: RunOptions = {}): RunHandle => {
    const pending = options.allowGrants ? null : pendingGrants(spec);
    if (pending) {
      throw new PlasmError('consent', `${pending.manifestPath} asks for ${summarizeGrants(pending)}, which has not been allowed; nothing was run.`);
    }
    const controller = new AbortController();
    options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
    if (options.signal?.aborted) controller.abort();
    const result = executeRun(context, spec, { ...options, signal: controller.signal });
    return { result, cancel: () => controller.abort() };
  };

  return {
    config,
    resolve: (target, overrides) => resolveJob(target, config, overrides),
    pendingGrants,
    allow: (request) => grants.allow(request.hash, { manifest: request.manifestPath, dirs: request.dirs, env: Object.keys(request.env) }),
    revoke: (request) => grants.revoke(request.hash),
    warm: (spec) => {
      if (!sandbox.prestart) return;
      if (!spec) {
        sandbox.prestart({ memoryCapBytes: config.memory_mb * MIB, stackKb: config.stack_kb, preopens: [], timeoutMs: config.timeout_seconds * 1000, maxFileBytes: config.max_file_bytes, wat: false, osSandbox: osSandboxMode() });
        return;
      }
      // The worker inherits the dirs' descriptors now; the run opens them again and takes this
      // worker only if they are the very same directories (device and inode).
      if (grantProblem(spec.dirs)) return;
      let grants: HeldGrants;
      try {
        grants = holdGrants(spec.dirs);
      } catch {
        return; // the run will say why
      }
      try {
        sandbox.prestart(workerProfile(context, spec, grants.dirs));
      } finally {
        grants.close();
      }
    },
    close: async () => {
      await sandbox.close?.();
    },
    start,
    run: (spec, options) => start(spec, options).result,
  };
}
