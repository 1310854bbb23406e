import { sha256 } from '../../src/core/hash.js';
import type { Engine, RunEvent, RunHandle, RunOptions, RunResult } from '../../src/engine/index.js';

export interface FakeRun {
  name: string;
  options: RunOptions;
  cancelled: boolean;
  /** Feeds an event to the run's listener, as the engine would while the job runs. */
  emit: (event: RunEvent) => void;
  /** Ends the run with this stdout and status (6 ms in all). */
  finish: (stdout: string, status?: RunResult['status']) => void;
}

/** A stand-in engine for tests of the TUI: each run waits until the test finishes it. */
export function fakeEngine() {
  const runs: FakeRun[] = [];
  const start = (spec: { name?: string }, options: RunOptions = {}): RunHandle => {
    let resolve!: (result: RunResult) => void;
    const result = new Promise<RunResult>((r) => {
      resolve = r;
    });
    const name = spec.name ?? 'fake';
    const run: FakeRun = {
      name,
      options,
      cancelled: false,
      emit: (event) => options.onEvent?.(event),
      finish: (stdout, status = 'ok') =>
        resolve({
          job: name,
          status,
          exit_code: status === 'ok' ? 0 : null,
          message: status === 'ok' ? 'The job exited with code 0.' : `The job ended: ${status}.`,
          stdout: Buffer.from(stdout),
          stderr: Buffer.alloc(0),
          stdout_truncated: false,
          stderr_truncated: false,
          timing: { start_ms: 1, compile_ms: 2, run_ms: 3, total_ms: 6 },
          usage: { memory_peak_bytes: null, fuel_consumed: null },
          module_hash: null,
          input_hash: sha256(''),
          containment: [],
          output_order: null,
          receipt: null,
        }),
    };
    runs.push(run);
    return {
      result,
      cancel: () => {
        run.cancelled = true;
        run.finish('', 'cancelled');
      },
    };
  };
  return { runs, start: start as never as Engine['start'], pendingGrants: (): null => null, allow: (): void => {} };
}
