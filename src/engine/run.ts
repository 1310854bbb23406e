/**
 * Running a job: read and check the module, start it in a sandbox, stream its output as
 * events, then sign a receipt of what happened. Module problems end as a classified result,
 * never as a thrown error; only a bug in plasm-tui itself rejects `result`.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Config } from '../core/config.js';
import { DEFAULT_CONFIG } from '../core/config.js';
import { fsError } from '../core/errors.js';
import { sha256, type Hash } from '../core/hash.js';
import { loadOrCreateNodeKey, type NodeKey } from '../core/keys.js';
import { MIB } from '../core/limits.js';
import type { Receipt } from '../core/receipt.js';
import type { Status } from '../core/status.js';
import { inspectWasm } from '../core/wasm-info.js';
import { runInSandbox, type SandboxTiming } from '../sandbox/spawn.js';
import type { JobSpec } from './job.js';
import { buildReceipt } from './receipt-builder.js';

export type RunPhase = 'reading' | 'starting' | 'compiling' | 'running' | 'done';

export type RunEvent =
  | { type: 'phase'; phase: RunPhase; at_ms: number }
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
  receipt: Receipt | null;
}

export interface RunOptions {
  /** The job's stdin; when absent, the manifest's `stdin`, else nothing. */
  stdin?: Uint8Array | string;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  config?: Config;
  /** The signing key; defaults to the node key in the user's config dir. */
  key?: NodeKey;
  receiptVersion?: '0.1' | '0.2';
}

export interface RunHandle {
  readonly result: Promise<RunResult>;
  cancel(): void;
}

let defaultKey: NodeKey | undefined;

export function startRun(spec: JobSpec, options: RunOptions = {}): RunHandle {
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  if (options.signal?.aborted) controller.abort();
  const result = execute(spec, { ...options, signal: controller.signal });
  return { result, cancel: () => controller.abort() };
}

/** Runs a job to completion: `startRun(spec, options).result`. */
export function runJob(spec: JobSpec, options: RunOptions = {}): Promise<RunResult> {
  return startRun(spec, options).result;
}

async function execute(spec: JobSpec, options: RunOptions & { signal: AbortSignal }): Promise<RunResult> {
  const began = performance.now();
  const config = options.config ?? DEFAULT_CONFIG;
  const emit = options.onEvent ?? (() => {});
  const phase = (name: RunPhase): void => emit({ type: 'phase', phase: name, at_ms: performance.now() - began });
  const stdinBytes = toBytes(options.stdin ?? spec.defaultStdin ?? '');
  const argv = [basename(spec.modulePath), ...spec.args];
  const inputHash = sha256(stdinBytes);
  const empty = Buffer.alloc(0);
  const blank: RunResult = {
    job: spec.name,
    status: 'invalid',
    exit_code: null,
    message: '',
    stdout: empty,
    stderr: empty,
    stdout_truncated: false,
    stderr_truncated: false,
    timing: { start_ms: 0, compile_ms: 0, run_ms: 0, total_ms: 0 },
    usage: { memory_peak_bytes: null, fuel_consumed: null },
    module_hash: null,
    input_hash: inputHash,
    receipt: null,
  };
  const finish = (result: RunResult): RunResult => {
    phase('done');
    return result;
  };

  phase('reading');
  let fileBytes: Buffer;
  try {
    fileBytes = readFileSync(spec.modulePath);
  } catch (error) {
    return finish({ ...blank, message: fsError(error, spec.modulePath, 'read').message });
  }
  const moduleHash = sha256(fileBytes);
  if (spec.pinnedHash && spec.pinnedHash !== moduleHash) {
    const message = `${spec.modulePath} has hash ${moduleHash}, but ${spec.manifestPath ?? 'the job'} pins ${spec.pinnedHash}; refusing to run it.`;
    return finish({ ...blank, module_hash: moduleHash, message });
  }

  const sign = (partial: Omit<RunResult, 'receipt' | 'job' | 'input_hash' | 'module_hash'>): RunResult => {
    const key = options.key ?? (defaultKey ??= loadOrCreateNodeKey());
    const receipt = buildReceipt(
      {
        spec,
        moduleHash,
        inputHash,
        argv,
        status: partial.status,
        exitCode: partial.exit_code,
        stdout: partial.stdout,
        stderr: partial.stderr,
        wallTimeMs: partial.timing.total_ms,
        memoryPeakBytes: partial.usage.memory_peak_bytes,
      },
      key,
      options.receiptVersion ?? config.receipt_version,
    );
    return finish({ ...partial, job: spec.name, module_hash: moduleHash, input_hash: inputHash, receipt });
  };
  const refuse = (status: Status, message: string): RunResult =>
    sign({ ...blank, status, message, timing: { ...blank.timing, total_ms: performance.now() - began } });

  const wasm: Uint8Array = fileBytes;
  // WebAssembly text is compiled in the sandbox, under the job's time and memory limits.
  const wat = extname(spec.modulePath).toLowerCase() === '.wat' ? { fileName: basename(spec.modulePath) } : undefined;
  const header = wat ? { problem: null, initialPages: null } : inspectWasm(wasm);
  if (header.problem) return refuse('invalid', `${basename(spec.modulePath)}: ${header.problem}.`);
  const capBytes = spec.limits.memory_mb * MIB;
  if (header.initialPages !== null && header.initialPages * 65536 > capBytes) {
    const askedMb = Math.ceil((header.initialPages * 65536) / MIB);
    return refuse('memory_limit', `The module asks for ${askedMb} MiB of initial memory, over its ${spec.limits.memory_mb} MiB cap; raise the memory limit to run it.`);
  }

  phase('starting');
  const outcome = await runInSandbox({
    module: wasm,
    wat,
    argv,
    env: spec.env,
    preopens: spec.dirs,
    stdin: stdinBytes,
    memoryCapBytes: capBytes,
    timeoutMs: spec.limits.timeout_seconds * 1000,
    maxOutputBytes: spec.limits.max_output_bytes,
    stackKb: config.stack_kb,
    signal: options.signal,
    onStdout: (chunk) => emit({ type: 'stdout', chunk }),
    onStderr: (chunk) => emit({ type: 'stderr', chunk }),
    onPhase: (p) => phase(p === 'started' ? 'compiling' : 'running'),
  });
  return sign({
    ...blank,
    status: outcome.status,
    exit_code: outcome.exitCode,
    message: outcome.message,
    stdout: outcome.stdout,
    stderr: outcome.stderr,
    stdout_truncated: outcome.stdoutTruncated,
    stderr_truncated: outcome.stderrTruncated,
    timing: { ...outcome.timing, total_ms: performance.now() - began },
    usage: { memory_peak_bytes: outcome.memoryPeakBytes, fuel_consumed: null },
  });
}

function toBytes(input: Uint8Array | string): Buffer {
  return typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}
