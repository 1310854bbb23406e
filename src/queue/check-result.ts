/**
 * The client's check of a worker's result before anything of it is believed: the message is a
 * result message (its schema), its receipt is a v0.3 one signed by one of the worker keys the
 * client pinned, it binds the very job that was submitted (its job hash) and the module, stdin,
 * stdout and stderr bytes at hand. What the receipt signs (status, exit code, hashes, usage,
 * containment) is taken from the receipt; the rest of the report (message, timings) is the
 * worker's word. A result that fails a check is a VerifyReport the caller turns into an error.
 */
import { PlasmError } from '../core/errors.js';
import { bindsJob, verifyReceipt, type Receipt, type VerifyReport } from '../core/receipt.js';
import { schemaErrors } from '../core/schemas.js';
import type { QueueResultMessage } from '../core/schema-types/queue.js';
import type { RunResult } from '../engine/index.js';
import { runResult } from '../engine/run-result.js';
import type { PlannedJob } from './plan-job.js';

export type Checked = { ok: true; result: RunResult } | { ok: false; report: VerifyReport };

export function checkResult(value: unknown, planned: PlannedJob, workerKeys: readonly string[], id: string): Checked {
  const errors = schemaErrors('queue', value, `result of job ${id}`);
  if (errors.length > 0 || (value as { type?: unknown }).type !== 'result') {
    throw new PlasmError('invalid', `The result of queued job ${id} is not a plasm-tui result message.`, errors);
  }
  const { report } = value as QueueResultMessage;
  const stdout = bytesOf(report.stdout, report.stdout_base64);
  const stderr = bytesOf(report.stderr, report.stderr_base64);
  const receipt = report.receipt as Receipt | null;
  if (!receipt || !bindsJob(receipt)) {
    const what = receipt ? `a v${receipt.version} receipt, which binds no job` : 'no receipt';
    return { ok: false, report: { ok: false, version: receipt?.version ?? '0.3', signer: receipt?.node_pubkey ?? '', checks: [{ name: 'receipt', ok: false, detail: `the worker sent ${what}` }], warnings: [] } };
  }
  const signer = receipt.node_pubkey;
  const pinned = workerKeys.includes(signer);
  const verified = verifyReceipt(receipt, { ...(pinned ? { pubkey: signer } : { trustEmbeddedKey: true }), bindings: { module: planned.module, stdin: planned.stdin, stdout, stderr } });
  const checks = [
    ...(pinned ? [] : [{ name: 'signer', ok: false, detail: `signed by ${signer}, which is not one of the ${workerKeys.length} pinned worker keys` }]),
    ...verified.checks,
    {
      name: 'job_hash',
      ok: receipt.job_hash === planned.jobHash,
      detail: receipt.job_hash === planned.jobHash ? `the receipt binds the job submitted, ${planned.jobHash}` : `the receipt binds the job ${receipt.job_hash}, not the ${planned.jobHash} submitted`,
    },
  ];
  const checked: VerifyReport = { ...verified, ok: checks.every((check) => check.ok), checks, warnings: pinned ? verified.warnings : [] };
  if (!checked.ok) return { ok: false, report: checked };
  return {
    ok: true,
    result: runResult({
      job: receipt.job,
      status: receipt.status,
      exit_code: receipt.exit_code,
      message: report.message,
      stdout,
      stderr,
      stdout_truncated: report.stdout_truncated,
      stderr_truncated: report.stderr_truncated,
      timing: report.timing,
      usage: { memory_peak_bytes: receipt.memory_peak_bytes, fuel_consumed: receipt.fuel_consumed },
      module_hash: receipt.module_hash,
      input_hash: receipt.input_hash,
      containment: receipt.containment,
      receipt,
      portable: planned.job,
    }),
  };
}

function bytesOf(text: string, base64: string | undefined): Buffer {
  return base64 === undefined ? Buffer.from(text, 'utf8') : Buffer.from(base64, 'base64');
}
