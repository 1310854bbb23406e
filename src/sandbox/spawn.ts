/**
 * The parent side of the sandbox: starts one worker process per job with execa, feeds it the
 * job over IPC and its stdin over a pipe, streams and caps its output, and enforces the
 * wall-clock limit with SIGKILL. Whatever the worker does or says, this returns a classified
 * result and never throws for the module's sake.
 */
import { osSandboxMode, type OsSandboxMode } from './launch/detect.js';
import type { PortableJob } from '../core/portable-job.js';
import { performance } from 'node:perf_hooks';
import type { Layer } from './containment.js';
import { sandboxResult, type SandboxResult, type SandboxTiming } from './sandbox-result.js';

export type { SandboxResult, SandboxTiming };
import type { GrantedDir } from './granted-dir.js';
import type { JobMessage, WorkerMessage } from './protocol.js';
import { cachedMetered, keepMetered } from './fuel/metered-cache.js';
import { deathSignal, limitDeath } from './crash.js';
import { resultEnding } from './exit-status.js';
import { OutputCapture } from './output-capture.js';
import { takeTurn, type Turn } from './shared-grants.js';
import { WorkerProcess, type WorkerProfile } from './worker-process.js';

export interface SandboxRequest {
  /** A wasm binary, or WebAssembly text (UTF-8) when `wat` is set: the worker compiles it. */
  module: Uint8Array;
  wat?: { fileName: string };
  argv: string[];
  env: Record<string, string>;
  /** Granted dirs, open; the caller keeps them open until the result is in (see granted-dir.ts). */
  preopens: GrantedDir[];
  stdin: Uint8Array;
  memoryCapBytes: number;
  timeoutMs: number;
  maxOutputBytes: number;
  stackKb: number;
  /** RLIMIT_FSIZE: the largest file the job may write into a read-write dir (default 1 GiB). */
  maxFileBytes?: number;
  /** Meter the module's instructions with this budget (sandbox/fuel/); absent or null: off. */
  fuel?: number | null;
  /** The module's hash: a metered module is kept by it (fuel/metered-cache.ts); absent, nothing is kept. */
  moduleHash?: string;
  /** Deterministic mode and its seed (64 hex digits): see wasi/deterministic.ts. Needs `fuel`. */
  deterministic?: { seed: string } | null;
  /**
   * The OS sandbox asked for: the mode travels with the job (a daemon runs each job in the mode
   * its client asked for, not the one in its own environment). Absent: PLASM_OS_SANDBOX here.
   */
  osSandbox?: OsSandboxMode | { problem: string };
  /** The portable job this request runs (a daemon checks the module and stdin against it). */
  job?: PortableJob;
  signal?: AbortSignal;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  onPhase?: (phase: 'started' | 'compiled' | 'running') => void;
}

/** setTimeout fires at once past 2^31-1 ms; longer limits (over 24 days) are held to that. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** How long a worker may take to start before it is given up on (Node itself starts in ~60 ms). */
const STARTUP_LIMIT_MS = 15_000;

type Ending = 'timeout' | 'cancelled' | 'output_limit' | 'startup' | 'protocol';

/** What a job needs its worker process to have been started with. */
export function profileOf(request: SandboxRequest): WorkerProfile {
  return {
    memoryCapBytes: request.memoryCapBytes,
    stackKb: request.stackKb,
    preopens: request.preopens,
    timeoutMs: request.timeoutMs,
    maxFileBytes: request.maxFileBytes,
    wat: request.wat !== undefined,
    osSandbox: request.osSandbox ?? osSandboxMode(),
    metered: request.fuel != null,
  };
}

/** Runs a job in a fresh worker process of its own. */
export function runInSandbox(request: SandboxRequest): Promise<SandboxResult> {
  const began = performance.now();
  const worker = WorkerProcess.start(profileOf(request));
  if ('problem' in worker) return Promise.resolve(refused(worker.problem, worker.layers, performance.now() - began));
  return runOnWorker(worker, request, began);
}

/**
 * Runs a job on `worker`, started for the job's profile: fresh, or a spare started earlier
 * (then the start-up is already paid, and `start_ms` counts only what was left of it). The
 * worker is used for this one job and never again.
 */
export async function runOnWorker(worker: WorkerProcess, request: SandboxRequest, began = performance.now()): Promise<SandboxResult> {
  const timing: SandboxTiming = { start_ms: 0, compile_ms: 0, run_ms: 0, total_ms: 0 };
  let ending: Ending | undefined;
  let result: Extract<WorkerMessage, { type: 'result' }> | undefined;
  let runStarted = 0;
  const { subprocess, launch, limits } = worker;

  const end = (why: Ending): void => {
    if (ending || result) return;
    ending = why;
    worker.kill();
  };

  // The job is over when the worker has reported and all the output it counted has arrived
  // (see wasi/count-output.ts), or else when the process has exited.
  let complete!: () => void;
  const outputComplete = new Promise<void>((resolve) => {
    complete = resolve;
  });
  const checkComplete = (): void => {
    const written = result?.written;
    if (written && !ending && stdout.received >= written.stdout && stderr.received >= written.stderr) complete();
  };
  const stdout = new OutputCapture(request.maxOutputBytes, request.onStdout, () => end('output_limit'));
  const stderr = new OutputCapture(request.maxOutputBytes, request.onStderr, () => end('output_limit'));
  const onStdout = (chunk: Buffer): void => {
    stdout.push(chunk);
    checkComplete();
  };
  const onStderr = (chunk: Buffer): void => {
    stderr.push(chunk);
    checkComplete();
  };
  subprocess.stdout?.on('data', onStdout);
  subprocess.stderr?.on('data', onStderr);
  subprocess.stdin?.end(request.stdin);

  // Without the OS sandbox, jobs sharing a folder that either may write take turns (shared-grants.ts).
  const turn = launch.nested ? null : await takeTurn(request.preopens, request.signal);
  let timer = setTimeout(() => end('startup'), STARTUP_LIMIT_MS);
  const onAbort = (): void => end('cancelled');
  if (request.signal?.aborted) end('cancelled');
  request.signal?.addEventListener('abort', onAbort, { once: true });

  // A metered module made for this module before is sent along; else the worker's is kept.
  const cached = request.fuel != null && request.moduleHash && !request.wat ? cachedMetered(request.moduleHash) : undefined;
  const keepKey = request.fuel != null && request.moduleHash && !request.wat && !cached ? request.moduleHash : null;
  let compiled = false;
  worker.assign((message) => {
    if (ending || result) return;
    if (message === 'malformed') return end('protocol');
    if (message.type === 'metered') {
      // Kept only if it came before the module could run (before 'compiled'), for the job's own module.
      if (!compiled && keepKey) keepMetered(keepKey, message.metered);
      return;
    }
    if (message.type === 'compiled') {
      compiled = true;
      timing.compile_ms = message.compile_ms;
      request.onPhase?.('running');
    } else {
      clearTimeout(timer);
      result = message;
      checkComplete();
    }
  });
  void worker.ready.then(() => {
    if (ending || result) return;
    clearTimeout(timer);
    timing.start_ms = Math.max(0, (worker.readyAt ?? began) - began);
    runStarted = performance.now();
    // The wall-clock limit covers compiling, a start section and the run itself.
    timer = setTimeout(() => end('timeout'), Math.min(request.timeoutMs, MAX_TIMER_MS));
    // The worker has these very bytes already (compiled, or compiling): they are not sent twice.
    const primed = !request.wat && request.fuel == null && worker.primedWith !== null && Buffer.from(worker.primedWith).equals(request.module);
    const job: JobMessage = {
      type: 'job',
      module: primed ? new Uint8Array(0) : request.module,
      ...(primed ? { primed } : {}),
      ...(request.wat && worker.wabtUrl ? { wat: { fileName: request.wat.fileName, wabtUrl: worker.wabtUrl } } : {}),
      argv: request.argv,
      env: request.env,
      preopens: worker.preopens,
      memoryCapBytes: request.memoryCapBytes,
      stackKb: request.stackKb,
      fuel: request.fuel ?? null,
      metered: cached ?? null,
      deterministic: request.deterministic ?? null,
    };
    subprocess.send(job);
    request.onPhase?.('started');
  });

  const exit = await Promise.race([worker.exited, outputComplete.then(() => null)]);
  turn?.release();
  if (exit === null) {
    // Done before the process is: what it writes from now on is not this job's output.
    subprocess.stdout?.off('data', onStdout);
    subprocess.stderr?.off('data', onStderr);
    worker.release();
  }
  clearTimeout(timer);
  request.signal?.removeEventListener('abort', onAbort);
  timing.total_ms = performance.now() - began;
  timing.run_ms = result ? result.run_ms : runStarted > 0 ? performance.now() - runStarted - timing.compile_ms : 0;

  const base = {
    stdout: stdout.bytes(),
    stderr: stderr.bytes(),
    stdoutTruncated: stdout.truncated,
    stderrTruncated: stderr.truncated,
    timing,
    memoryPeakBytes: result?.memory_bytes ?? null,
    fuelConsumed: result?.fuel_consumed ?? null,
    outputOrder: stdout.truncated || stderr.truncated ? null : outputOrder(result?.written, stdout.received, stderr.received),
    layers: [...launch.layers, wasiPathsLayer(result, turn)],
  };
  const seconds = (request.timeoutMs / 1000).toString();
  switch (ending) {
    case 'cancelled':
      return { ...base, status: 'cancelled', exitCode: null, message: 'The job was cancelled before it finished.' };
    case 'timeout':
      return { ...base, status: 'timeout', exitCode: null, message: `The job ran past its ${seconds} s time limit and was killed.` };
    case 'output_limit': {
      const which = stdout.truncated ? 'stdout' : 'stderr';
      return { ...base, status: 'output_limit', exitCode: null, message: `The job wrote more than ${request.maxOutputBytes} bytes to ${which} and was stopped; the output is cut at the cap.` };
    }
    case 'startup':
      return { ...base, status: 'error', exitCode: null, message: `The sandbox process did not start within ${STARTUP_LIMIT_MS / 1000} s.` };
    case 'protocol':
      return { ...base, status: 'error', exitCode: null, message: 'The sandbox process sent a malformed report and was stopped.' };
    default:
      break;
  }
  if (result) return { ...base, ...resultEnding(result) };
  // Without a result, only the process's exit ended the wait.
  const died = exit ?? (await worker.exited);
  const limited = limitDeath({ signal: died.signal, exitCode: died.exitCode }, base.stderr, { memoryCapBytes: request.memoryCapBytes, cpuSeconds: limits.cpuSeconds });
  if (limited) return { ...base, ...limited, exitCode: null };
  const signal = deathSignal({ signal: died.signal, exitCode: died.exitCode });
  if (signal) {
    return { ...base, status: 'killed', exitCode: null, message: `The sandbox process was killed by ${signal} before it reported a result.` };
  }
  if (worker.readyAt === null) {
    // It never got as far as the worker: what it wrote is the sandbox's own failure (bwrap
    // refusing a bind whose folder changed, a missing runtime), not the guest's stderr.
    const changed = grantChangedAtStart(base.stderr, request.preopens);
    if (changed) {
      return { ...base, stderr: Buffer.alloc(0), status: 'invalid', exitCode: null, message: `${changed.host} (for ${changed.guest}) changed while the sandbox was starting (it was renamed or replaced); refusing to use it.` };
    }
    const words = stderrHint(base.stderr, /^bwrap: |Error|FATAL|error:/);
    return { ...base, stderr: Buffer.alloc(0), status: 'error', exitCode: null, message: `The sandbox could not start (exit code ${String(died.exitCode)})${words}.` };
  }
  const why = stderrHint(base.stderr);
  return { ...base, status: 'error', exitCode: null, message: `The sandbox process exited with code ${String(died.exitCode)} without reporting a result${why}.` };
}

/**
 * bubblewrap binds a granted folder from its descriptor by the path that descriptor has at that
 * moment, then checks it mounted the same folder: if the folder was renamed or replaced in
 * between (another job or process sharing it), bwrap gives up with one of these. Which grant it
 * was is named in its words (the folder's path, as the guest sees it).
 */
const BWRAP_BIND_RACE = /^bwrap: (Race condition binding dirfd|Can't get type of source|Can't find source path|Can't bind mount|Can't mkdir|Can't create file at)/m;

function grantChangedAtStart(stderr: Buffer, preopens: readonly GrantedDir[]): GrantedDir | null {
  const text = stderr.toString('utf8');
  if (!BWRAP_BIND_RACE.test(text)) return null;
  return preopens.find((p) => text.includes(p.host)) ?? null;
}

/** The worker's own last words (e.g. a Node fatal error), trimmed to one line. */
function stderrHint(stderr: Buffer, pattern = /Error|FATAL|error:/): string {
  const line = stderr.toString('utf8').split('\n').find((l) => pattern.test(l));
  return line ? `: ${line.trim().slice(0, 200)}` : '';
}


/** A job refused before any process starts (the OS sandbox was required and is missing). */
function refused(message: string, layers: Layer[], elapsedMs: number): SandboxResult {
  return sandboxResult({ status: 'error', message, layers, timing: { start_ms: 0, compile_ms: 0, run_ms: 0, total_ms: elapsedMs } });
}

/**
 * The worker puts every job's WASI calls through the path layer before the module can run; its
 * result says so (a module refused before it ran never reached it). A worker stopped before it
 * reported (timeout, cancel) had it in place: it is installed before instantiation.
 */
function wasiPathsLayer(result: Extract<WorkerMessage, { type: 'result' }> | undefined, turn: Turn | null): Layer {
  if (result && result.wasi_paths !== true) return { name: 'wasi_paths', active: false, detail: 'the module did not get to run' };
  const waited = turn?.problem ? `; ${turn.problem}` : turn && turn.waitedMs >= 1 ? `; waited ${Math.round(turn.waitedMs)} ms for a job sharing its folders` : '';
  return { name: 'wasi_paths', active: true, detail: `paths resolved component by component inside each preopen; no escaping symlink or ..${waited}` };
}

/** The worker's record of write order, if it accounts for exactly the bytes that were captured. */
function outputOrder(written: { order?: [number, number][] | null } | undefined, stdoutBytes: number, stderrBytes: number): SandboxResult['outputOrder'] {
  const order = written?.order;
  if (!order) return null;
  let out = 0;
  let err = 0;
  for (const [fd, bytes] of order) {
    if (fd === 1) out += bytes;
    else err += bytes;
  }
  if (out !== stdoutBytes || err !== stderrBytes) return null;
  return order.map(([fd, bytes]) => ({ stream: fd === 1 ? 'stdout' : 'stderr', bytes }));
}
