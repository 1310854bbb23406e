/**
 * What a sandbox gives back for a job: its classified ending, its output (capped) and what was
 * measured. A worker process (spawn.ts), the daemon and its clients (daemon/) all make one here.
 */
import type { Status } from '../core/status.js';
import type { Layer } from './containment.js';

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
  /** Instructions charged when the job was metered, else null. */
  fuelConsumed: number | null;
  /**
   * The order the guest wrote its output in: runs of [stream, bytes] that add up to exactly
   * `stdout` and `stderr`; null when it is not known (a flood, a cut, a worker that ended early).
   */
  outputOrder: { stream: 'stdout' | 'stderr'; bytes: number }[] | null;
  /** The containment layers this job ran under, active or not and why. */
  layers: Layer[];
}

/** The one place a SandboxResult is made: nothing captured, nothing measured, unless given. */
export function sandboxResult(fields: Partial<SandboxResult> & Pick<SandboxResult, 'status' | 'message' | 'layers'>): SandboxResult {
  const empty = Buffer.alloc(0);
  return {
    exitCode: null,
    stdout: empty,
    stderr: empty,
    stdoutTruncated: false,
    stderrTruncated: false,
    timing: { start_ms: 0, compile_ms: 0, run_ms: 0, total_ms: 0 },
    memoryPeakBytes: null,
    fuelConsumed: null,
    outputOrder: null,
    ...fields,
  };
}
