import { isUtf8 } from 'node:buffer';
import type { Run } from '../core/schema-types/run-report.js';
import type { RunResult } from './run.js';

/** Timings to 0.1 ms: what a clock read twice can tell apart, without float noise (0.30000000000000004). */
export function roundTiming<T extends { [K in keyof T]: number }>(timing: T): T {
  return Object.fromEntries(Object.entries(timing as Record<string, number>).map(([name, ms]) => [name, Math.round(ms * 10) / 10])) as T;
}

/** Bumped when a field of the report changes meaning or goes away (schemas/run-report.schema.json). */
export const REPORT_VERSION = 1;

/** The `run --json` object (README "run --json"). Binary-unsafe output also comes as base64. */
export function runReport(result: RunResult, receiptPath: string | null, daemon?: Run['daemon']): Run {
  return {
    report_version: REPORT_VERSION,
    job: result.job,
    status: result.status,
    exit_code: result.exit_code,
    message: result.message,
    stdout: result.stdout.toString('utf8'),
    stderr: result.stderr.toString('utf8'),
    ...(isUtf8(result.stdout) ? {} : { stdout_base64: result.stdout.toString('base64') }),
    ...(isUtf8(result.stderr) ? {} : { stderr_base64: result.stderr.toString('base64') }),
    stdout_truncated: result.stdout_truncated,
    stderr_truncated: result.stderr_truncated,
    timing: roundTiming(result.timing),
    usage: result.usage,
    module_hash: result.module_hash,
    input_hash: result.input_hash,
    containment: result.containment,
    receipt: result.receipt,
    receipt_path: receiptPath,
    ...(daemon ? { daemon } : {}),
  };
}
