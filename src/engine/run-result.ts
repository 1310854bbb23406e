/**
 * The one place a RunResult is made: a run refused before it started, a run's outcome, a test's
 * stand-in all start from these defaults (nothing ran, nothing captured, nothing signed) and set
 * what they know.
 */
import { sha256 } from '../core/hash.js';
import type { RunResult } from './run.js';

const EMPTY = Buffer.alloc(0);

export function runResult(fields: Partial<RunResult> & Pick<RunResult, 'job'>): RunResult {
  return {
    status: 'invalid',
    exit_code: null,
    message: '',
    stdout: EMPTY,
    stderr: EMPTY,
    stdout_truncated: false,
    stderr_truncated: false,
    timing: { start_ms: 0, compile_ms: 0, run_ms: 0, total_ms: 0 },
    usage: { memory_peak_bytes: null, fuel_consumed: null },
    module_hash: null,
    input_hash: sha256(EMPTY),
    containment: [],
    output_order: null,
    receipt: null,
    portable: null,
    ...fields,
  };
}
