import { sha256 } from '../../src/core/hash.js';
import type { RunResult } from '../../src/engine/index.js';

/** A finished run as the engine reports it, for tests that stand in for the engine. */
export function fakeResult(job: string, stdout: string, status: RunResult['status'], message: string, total_ms: number): RunResult {
  return {
    job,
    status,
    exit_code: status === 'ok' ? 0 : null,
    message,
    stdout: Buffer.from(stdout),
    stderr: Buffer.alloc(0),
    stdout_truncated: false,
    stderr_truncated: false,
    timing: { start_ms: 1, compile_ms: 2, run_ms: 3, total_ms },
    usage: { memory_peak_bytes: null, fuel_consumed: null },
    module_hash: null,
    input_hash: sha256(''),
    receipt: null,
  };
}
