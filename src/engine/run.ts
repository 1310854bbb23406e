/**
 * Running a job, in three stages with one job each: prepare (bytes, hash pin, header) →
 * sandbox (a worker process, through a launcher) → attest (the signed receipt). Module problems
 * end as a classified result, never as a thrown error; only a bug in plasm-tui rejects `result`.
 */
import { performance } from 'node:perf_hooks';
import type { Hash } from '../core/hash.js';
import { sha256 } from '../core/hash.js';
import type { NodeKey } from '../core/keys.js';
import { MIB } from '../core/limits.js';
import type { Receipt, ReceiptVersion } from '../core/receipt.js';
import type { Status } from '../core/status.js';
import type { Layer } from '../sandbox/containment.js';
import { osSandboxMode, type Sandbox, type SandboxTiming, type WorkerProfile } from '../sandbox/sandbox.js';
import { extname } from 'node:path';
import { describeError } from '../core/errors.js';
import type { GrantedDir } from '../sandbox/granted-dir.js';
import { grantProblem, holdGrants, type HeldGrants } from './hold-grants.js';
import { attest } from './attest.js';
import type { JobSpec } from './job.js';
import { settleModule } from './folder/settle-module.js';
import { prepare } from './prepare.js';
import { runResult } from './run-result.js';
import { treeHash } from './input-tree.js';
import { defaultSeed, type PortableDir, type PortableJob } from '../core/portable-job.js';

export type RunPhase = 'reading' | 'starting' | 'compiling' | 'running' | 'done';

export type RunEvent =
  /** `module_hash` comes with `starting`: the bytes this run really uses (the file may have changed since it was listed). */
  | { type: 'phase'; phase: RunPhase; at_ms: number; module_hash?: Hash }
  | { type: 'stdout'; chunk: Buffer }
  | { type: 'stderr'; chunk: Buffer };

export interface RunResult {
  job: string;
  status: Status;
  exit_code: number | null;
  message: string;
  stdout: Buffer;
  stderr: Buffer;
  stdout_truncated: boolean;
  stderr_truncated: boolean;
  timing: SandboxTiming;
  usage: { memory_peak_bytes: number | null; fuel_consumed: number | null };
  module_hash: Hash | null;
  input_hash: Hash;
  /** The containment layers the job ran under (empty when it was refused before it started). */
  containment: Layer[];
  /** The order the guest wrote stdout and stderr in (runs of bytes), when it is known. */
  output_order: { stream: 'stdout' | 'stderr'; bytes: number }[] | null;
  receipt: Receipt | null;
  /** The portable job that ran (core/portable-job.ts), once the module and grants were read. */
  portable: PortableJob | null;
}

export interface RunOptions {
  /** The job's stdin; when absent, the manifest's `stdin`, else nothing. */
  stdin?: Uint8Array | string;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  receiptVersion?: ReceiptVersion;
  /**
   * Run even though the manifest's requests (dirs, env) have not been allowed: the caller has
   * asked the user (or the user said so on the command line). Nothing is remembered.
   */
  allowGrants?: boolean;
  /**
   * The module's hash as the caller saw it settle (a watcher's rerun). If the file read for the
   * run holds other bytes, a build is being written: the run waits until the file is whole
   * (folder/settle-module.ts) and runs it if it is the build expected; if a newer build has
   * landed, the run ends cancelled, unrun, for that build's own run replaces it.
   */
  expectModuleHash?: Hash | null;
  /** False: run, but sign nothing (`receipt` is null) — a replay checks a receipt, it makes none. */
  sign?: boolean;
  /**
   * The content hash each read-only dir must have, by guest path (a portable job's input trees):
   * a tree that differs, read through the descriptor the job will use, refuses the run unrun.
   */
  expectTrees?: Record<string, Hash | null>;
}

export interface RunHandle {
  readonly result: Promise<RunResult>;
  cancel(): void;
}

/** What a run needs from the engine that started it. */
export interface RunContext {
  sandbox: Sandbox;
  key: () => NodeKey;
  receiptVersion: ReceiptVersion;
  stackKb: number;
  maxFileBytes: number;
  /** The largest module file read (the config's max_module_bytes). */
  maxModuleBytes: number;
}

/** What the job's worker process must be started with (see sandbox/worker-process.ts); `dirs` are its grants, held open. */
export function workerProfile(context: Pick<RunContext, 'stackKb' | 'maxFileBytes'>, spec: JobSpec, dirs: GrantedDir[]): WorkerProfile {
  return {
    memoryCapBytes: spec.limits.memory_mb * MIB,
    stackKb: context.stackKb,
    preopens: dirs,
    timeoutMs: spec.limits.timeout_seconds * 1000,
    maxFileBytes: context.maxFileBytes,
    wat: extname(spec.modulePath).toLowerCase() === '.wat',
    osSandbox: osSandboxMode(),
    metered: spec.limits.fuel !== null || spec.deterministic,
  };
}

export function executeRun(context: RunContext, spec: JobSpec, options: RunOptions & { signal: AbortSignal }): Promise<RunResult> {
  const began = performance.now();
  const emit = options.onEvent ?? (() => {});
  const phase = (name: RunPhase): void => emit({ type: 'phase', phase: name, at_ms: performance.now() - began });
  const stdin = toBytes(options.stdin ?? spec.defaultStdin ?? '');
  const inputHash = sha256(stdin);
  const blank = runResult({ job: spec.name, input_hash: inputHash });

  const version: ReceiptVersion = spec.deterministic ? '0.3' : (options.receiptVersion ?? context.receiptVersion);
  /** The portable job as far as it is known (tree hashes come once the grants are held). */
  const portableJob = (moduleHash: Hash, argv: string[], dirs: PortableDir[]): PortableJob => {
    const job: Omit<PortableJob, 'seed'> = {
      version: '0.1',
      module: { hash: moduleHash, source: { path: spec.modulePath } },
      argv,
      env: spec.env,
      stdin: { hash: inputHash },
      limits: spec.limits,
      mode: spec.deterministic ? 'deterministic' : 'normal',
      dirs,
    };
    return { ...job, seed: spec.deterministic ? (spec.seed ?? defaultSeed(job)) : null };
  };
  const unheld = (): PortableDir[] => spec.dirs.map((d) => ({ guest: d.guest, readonly: d.readonly, tree_hash: null }));
  const finish = (result: RunResult, moduleHash: Hash, argv: string[], job = portableJob(moduleHash, argv, unheld())): RunResult => {
    if (options.sign === false) {
      phase('done');
      return { ...result, module_hash: moduleHash, portable: job };
    }
    const receipt = attest(
      {
        spec,
        moduleHash,
        inputHash,
        argv,
        status: result.status,
        exitCode: result.exit_code,
        stdout: result.stdout,
        stderr: result.stderr,
        wallTimeMs: result.timing.total_ms,
        memoryPeakBytes: result.usage.memory_peak_bytes,
        fuelConsumed: result.usage.fuel_consumed,
        containment: result.containment,
        job,
      },
      context.key(),
      version,
    );
    phase('done');
    return { ...result, module_hash: moduleHash, receipt, portable: job };
  };

  return (async () => {
    phase('reading');
    let prepared = prepare(spec, context.maxModuleBytes);
    const expected = options.expectModuleHash;
    if (expected && (prepared.ok ? prepared.job.moduleHash : prepared.moduleHash) !== expected) {
      await settleModule(spec.modulePath, { maxBytes: context.maxModuleBytes, signal: options.signal });
      prepared = prepare(spec, context.maxModuleBytes);
      if ((prepared.ok ? prepared.job.moduleHash : prepared.moduleHash) !== expected) {
        phase('done');
        return { ...blank, status: 'cancelled', message: 'A newer build of the module landed before this run read it; that build runs instead.', timing: { ...blank.timing, total_ms: performance.now() - began } };
      }
    }
    if (!prepared.ok) {
      const refused = { ...blank, status: prepared.status, message: prepared.message, timing: { ...blank.timing, total_ms: performance.now() - began } };
      if (prepared.moduleHash === null) {
        phase('done');
        return refused;
      }
      return finish(refused, prepared.moduleHash, [spec.modulePath.split('/').pop() ?? '', ...spec.args]);
    }
    const { job } = prepared;
    const refuse = (message: string): RunResult => finish({ ...blank, status: 'invalid', message, timing: { ...blank.timing, total_ms: performance.now() - began } }, job.moduleHash, job.argv);
    const problem = grantProblem(spec.dirs);
    if (problem) return refuse(problem);
    let grants: HeldGrants;
    try {
      grants = holdGrants(spec.dirs);
    } catch (error) {
      return refuse(describeError(error));
    }
    // Read-only input trees by content, through the descriptors held: what the guest will see.
    const hashTrees = version === '0.3' || options.expectTrees !== undefined;
    const dirs: PortableDir[] = [];
    for (const d of grants.dirs) {
      try {
        dirs.push({ guest: d.guest, readonly: d.readonly, tree_hash: d.readonly && hashTrees ? treeHash(d.fd) : null });
      } catch (error) {
        grants.close();
        return refuse(`The input tree at ${d.guest} (${d.host}) cannot be hashed: ${describeError(error).replace(/\.$/, '')}.`);
      }
    }
    const portable = portableJob(job.moduleHash, job.argv, dirs);
    const differs = portable.dirs.find((d) => options.expectTrees && d.guest in options.expectTrees && options.expectTrees[d.guest] !== d.tree_hash);
    if (differs) {
      grants.close();
      const message = `The input tree at ${differs.guest} is ${String(differs.tree_hash)}, but the job is for ${String(options.expectTrees?.[differs.guest])}; nothing was run.`;
      return finish({ ...blank, status: 'invalid', message, timing: { ...blank.timing, total_ms: performance.now() - began } }, job.moduleHash, job.argv, portable);
    }
    emit({ type: 'phase', phase: 'starting', at_ms: performance.now() - began, module_hash: job.moduleHash });
    const profile = workerProfile(context, spec, grants.dirs);
    const outcome = await context.sandbox.run({
      module: job.wasm,
      wat: job.wat,
      argv: job.argv,
      env: spec.env,
      preopens: profile.preopens,
      stdin,
      memoryCapBytes: profile.memoryCapBytes,
      timeoutMs: profile.timeoutMs,
      maxOutputBytes: spec.limits.max_output_bytes,
      stackKb: profile.stackKb,
      maxFileBytes: profile.maxFileBytes,
      // Deterministic mode counts time in fuel: it is always metered.
      fuel: spec.deterministic ? (spec.limits.fuel ?? Number.MAX_SAFE_INTEGER) : spec.limits.fuel,
      moduleHash: job.moduleHash,
      deterministic: portable.seed === null ? null : { seed: portable.seed },
      osSandbox: profile.osSandbox,
      job: portable,
      signal: options.signal,
      onStdout: (chunk) => emit({ type: 'stdout', chunk }),
      onStderr: (chunk) => emit({ type: 'stderr', chunk }),
      onPhase: (p) => phase(p === 'started' ? 'compiling' : 'running'),
    }).finally(() => grants.close());
    return finish(
      {
        ...blank,
        status: outcome.status,
        exit_code: outcome.exitCode,
        message: outcome.message,
        stdout: outcome.stdout,
        stderr: outcome.stderr,
        stdout_truncated: outcome.stdoutTruncated,
        stderr_truncated: outcome.stderrTruncated,
        timing: { ...outcome.timing, total_ms: performance.now() - began },
        usage: { memory_peak_bytes: outcome.memoryPeakBytes, fuel_consumed: outcome.fuelConsumed },
        containment: outcome.layers,
        output_order: outcome.outputOrder,
      },
      job.moduleHash,
      job.argv,
      portable,
    );
  })();
}

function toBytes(input: Uint8Array | string): Buffer {
  return typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}
