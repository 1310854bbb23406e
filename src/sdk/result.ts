import type { Run as RunReportData } from '../core/schema-types/run-report.js';
import { PlasmError } from '../core/errors.js';
import type { Status } from '../core/status.js';
import { exitCodeFor } from '../core/status.js';
import { runReport, type Layer, type RunResult } from '../engine/index.js';
import { Receipt } from './receipt.js';

export interface Timing {
  /** Starting the sandbox process. */
  startMs: number;
  compileMs: number;
  runMs: number;
  totalMs: number;
}

/** How a job ended. Methods are camelCase; `toJSON()` is the snake_case `run --json` report. */
export class Result {
  constructor(readonly raw: RunResult) {}

  /** The module's stdout as UTF-8 text (`stdoutBytes()` for the exact bytes). */
  stdout(): string {
    return this.raw.stdout.toString('utf8');
  }

  stdoutBytes(): Buffer {
    return this.raw.stdout;
  }

  stderr(): string {
    return this.raw.stderr.toString('utf8');
  }

  stderrBytes(): Buffer {
    return this.raw.stderr;
  }

  /** The module's exit code, or null when it did not exit (a trap, a limit, a cancel). */
  exitCode(): number | null {
    return this.raw.exit_code;
  }

  /** What `plasm-tui run` would exit with for this result. */
  processExitCode(): number {
    return exitCodeFor(this.raw.status, this.raw.exit_code);
  }

  status(): Status {
    return this.raw.status;
  }

  /** True for status "ok" (the module exited with 0). */
  ok(): boolean {
    return this.raw.status === 'ok';
  }

  /** One sentence saying what happened. */
  message(): string {
    return this.raw.message;
  }

  /** Whether the output was cut at the output cap. */
  truncated(): { stdout: boolean; stderr: boolean } {
    return { stdout: this.raw.stdout_truncated, stderr: this.raw.stderr_truncated };
  }

  timing(): Timing {
    const t = this.raw.timing;
    return { startMs: t.start_ms, compileMs: t.compile_ms, runMs: t.run_ms, totalMs: t.total_ms };
  }

  usage(): { memoryPeakBytes: number | null; fuelConsumed: number | null } {
    return { memoryPeakBytes: this.raw.usage.memory_peak_bytes, fuelConsumed: this.raw.usage.fuel_consumed };
  }

  /** The containment layers that held the job, each active or not, with why. */
  containment(): Layer[] {
    return this.raw.containment;
  }

  /** Whether a receipt was signed (not when the module could not even be read). */
  hasReceipt(): boolean {
    return this.raw.receipt !== null;
  }

  /** The signed receipt; throws a PlasmError when there is none (see `hasReceipt()`). */
  receipt(): Receipt {
    if (!this.raw.receipt) throw new PlasmError('invalid', `No receipt: ${this.raw.message}`);
    return Receipt.from(this.raw.receipt, this.raw.job);
  }

  /** The same object `plasm-tui run --json` prints. */
  toJSON(): RunReportData {
    return runReport(this.raw, null);
  }
}
