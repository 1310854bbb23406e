/**
 * The parent side of the sandbox: starts one worker process per job with execa, feeds it the
 * job over IPC and its stdin over a pipe, streams and caps its output, and enforces the
 * wall-clock limit with SIGKILL. Whatever the worker does or says, this returns a classified
 * result and never throws for the module's sake.
 */
import { execaNode } from 'execa';
import { performance } from 'node:perf_hooks';
import type { Status } from '../core/status.js';
import { isWorkerMessage, type JobMessage, type Preopen, type WorkerMessage } from './protocol.js';
import { OutputCapture } from './output-capture.js';
import { WORKER_PATH, workerNodeFlags } from './node-flags.js';

export interface SandboxRequest {
  module: Uint8Array;
  argv: string[];
  env: Record<string, string>;
  preopens: Preopen[];
  stdin: Uint8Array;
  memoryCapBytes: number;
  timeoutMs: number;
  maxOutputBytes: number;
  stackKb: number;
  signal?: AbortSignal;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  onPhase?: (phase: 'started' | 'compiled' | 'running') => void;
}

export interface SandboxTiming {
  /** Spawning the worker until it is ready for a job. */
  start_ms: number;
  compile_ms: number;
  run_ms: number;
  total_ms: number;
}

export interface SandboxResult {
  status: Status;
  exitCode: number | null;
  message: string;
  stdout: Buffer;
  stderr: Buffer;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  timing: SandboxTiming;
  memoryPeakBytes: number | null;
}

/** setTimeout fires at once past 2^31-1 ms; longer limits (over 24 days) are held to that. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** How long a worker may take to start before it is given up on (Node itself starts in ~60 ms). */
const STARTUP_LIMIT_MS = 15_000;

type Ending = 'timeout' | 'cancelled' | 'output_limit' | 'startup' | 'protocol';

export async function runInSandbox(request: SandboxRequest): Promise<SandboxResult> {
  const began = performance.now();
  const timing: SandboxTiming = { start_ms: 0, compile_ms: 0, run_ms: 0, total_ms: 0 };
  let ending: Ending | undefined;
  let result: Extract<WorkerMessage, { type: 'result' }> | undefined;
  let runStarted = 0;

  const subprocess = execaNode(WORKER_PATH, [], {
    nodeOptions: workerNodeFlags(request),
    ipc: true,
    serialization: 'advanced',
    // No environment at all, but for an empty PATH: execaNode builds the worker's PATH from this
    // env's (or else from ours) and throws when neither has one (plasm-tui under `env -i`). The
    // worker needs no PATH, and the guest's env is only what the job grants.
    env: { PATH: '' },
    extendEnv: false,
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    cleanup: true,
  });
  const end = (why: Ending): void => {
    if (ending || result) return;
    ending = why;
    subprocess.kill('SIGKILL');
  };

  const stdout = new OutputCapture(request.maxOutputBytes, request.onStdout, () => end('output_limit'));
  const stderr = new OutputCapture(request.maxOutputBytes, request.onStderr, () => end('output_limit'));
  subprocess.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  subprocess.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  // The guest may exit without reading its stdin: a broken pipe here is expected, not an error.
  subprocess.stdin?.on('error', () => {});
  subprocess.stdin?.end(request.stdin);

  let timer = setTimeout(() => end('startup'), STARTUP_LIMIT_MS);
  const onAbort = (): void => end('cancelled');
  if (request.signal?.aborted) end('cancelled');
  request.signal?.addEventListener('abort', onAbort, { once: true });

  subprocess.on('message', (message: unknown) => {
    if (ending || result) return;
    if (!isWorkerMessage(message)) return end('protocol');
    if (message.type === 'ready') {
      clearTimeout(timer);
      timing.start_ms = performance.now() - began;
      runStarted = performance.now();
      // The wall-clock limit covers compiling, a start section and the run itself.
      timer = setTimeout(() => end('timeout'), Math.min(request.timeoutMs, MAX_TIMER_MS));
      const job: JobMessage = {
        type: 'job',
        module: request.module,
        argv: request.argv,
        env: request.env,
        preopens: request.preopens,
        memoryCapBytes: request.memoryCapBytes,
        stackKb: request.stackKb,
      };
      subprocess.send(job);
      request.onPhase?.('started');
    } else if (message.type === 'compiled') {
      timing.compile_ms = message.compile_ms;
      request.onPhase?.('running');
    } else {
      clearTimeout(timer);
      result = message;
    }
  });

  const exit = await subprocess;
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
  if (result) {
    if (result.outcome === 'exit') {
      const code = result.exit_code ?? 0;
      return { ...base, status: code === 0 ? 'ok' : 'exit', exitCode: code, message: code === 0 ? 'The job exited with code 0.' : `The job exited with code ${code}.` };
    }
    return { ...base, status: result.outcome, exitCode: null, message: result.message };
  }
  if (exit.signal) {
    return { ...base, status: 'killed', exitCode: null, message: `The sandbox process was killed by ${exit.signal} before it reported a result.` };
  }
  const why = stderrHint(base.stderr);
  return { ...base, status: 'error', exitCode: null, message: `The sandbox process exited with code ${String(exit.exitCode)} without reporting a result${why}.` };
}

/** The worker's own last words (e.g. a Node fatal error), trimmed to one line. */
function stderrHint(stderr: Buffer): string {
  const line = stderr.toString('utf8').split('\n').find((l) => /Error|FATAL|error:/.test(l));
  return line ? `: ${line.trim().slice(0, 200)}` : '';
}
