import { runResult } from '../../src/engine/run-result.js';
import type { Engine, GrantRequest, RunEvent, RunHandle, RunOptions, RunResult } from '../../src/engine/index.js';

export interface ScriptedRun {
  name: string;
  options: RunOptions;
  cancelled: boolean;
  emit: (event: RunEvent) => void;
  end: (result: Partial<RunResult>) => void;
  /** Ends the run with this stdout and status (6 ms in all). */
  finish: (stdout: string, status?: RunResult['status']) => void;
}

/** An engine whose runs end when the test says, with the result it gives. */
export function scriptedEngine(pending: (spec: { manifestPath?: string | null }) => GrantRequest | null = () => null) {
  const runs: ScriptedRun[] = [];
  const allowed: GrantRequest[] = [];
  const start = (spec: { name?: string }, options: RunOptions = {}): RunHandle => {
    let resolve!: (result: RunResult) => void;
    const result = new Promise<RunResult>((r) => {
      resolve = r;
    });
    const name = spec.name ?? 'fake';
    const end = (extra: Partial<RunResult>): void =>
        resolve(runResult({ job: name, status: 'ok', exit_code: 0, message: 'The job exited with code 0.', timing: { start_ms: 1, compile_ms: 2, run_ms: 3, total_ms: 6 }, ...extra }));
    const run: ScriptedRun = {
      name,
      options,
      cancelled: false,
      emit: (event) => options.onEvent?.(event),
      end,
      finish: (stdout, status = 'ok') =>
        end({ status, exit_code: status === 'ok' ? 0 : null, message: status === 'ok' ? 'The job exited with code 0.' : `The job ended: ${status}.`, stdout: Buffer.from(stdout) }),
    };
    runs.push(run);
    return {
      result,
      cancel: () => {
        run.cancelled = true;
        run.end({ status: 'cancelled', exit_code: null, message: 'Cancelled.' });
      },
    };
  };
  const engine = {
    runs,
    allowed,
    start: start as never as Engine['start'],
    pendingGrants: (spec: never) => {
      const request = pending(spec);
      return request && !allowed.some((a) => a.hash === request.hash) ? request : null;
    },
    allow: (request: GrantRequest): void => {
      allowed.push(request);
    },
  };
  return engine;
}


/** A stand-in engine for tests of the TUI: each run waits until the test finishes it; nothing needs grants. */
export function fakeEngine() {
  return scriptedEngine();
}

/** One run of the stand-in engine (the name the older tests use). */
export type FakeRun = ScriptedRun;
