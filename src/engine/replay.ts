/**
 * Replaying a receipt: the job a v0.3 deterministic receipt binds is run again, in deterministic
 * mode, from the inputs the caller supplies (module, stdin, input trees), and everything the run
 * gives is compared with what the receipt says, bit for bit: the inputs by their hashes first,
 * then status, exit code, stdout, stderr and fuel. The replay signs nothing. A mismatch names the
 * field and both values.
 */
import { PlasmError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import { jobFromFields, jobHash } from '../core/portable-job.js';
import { bindsJob, replayable, type Check, type Receipt, type ReceiptV03 } from '../core/receipt.js';
import type { Engine } from './engine.js';
import type { JobDir } from './job.js';
import { readModuleFileSync } from './module-file.js';
import type { RunResult } from './run.js';
import { runPortable } from './portable-run.js';

export interface ReplayInputs {
  /** The module file. */
  module: string;
  /** The job's stdin (absent: empty). */
  stdin?: Uint8Array;
  /** A host folder for each of the receipt's dirs, by guest path. */
  dirs?: { host: string; guest: string }[];
  signal?: AbortSignal;
}

export interface ReplayReport {
  ok: boolean;
  checks: Check[];
  /** The replay's own result (null when an input did not match and nothing ran). */
  result: RunResult | null;
}

/** Why `receipt` cannot be replayed, or null if it can. */
export function notReplayable(receipt: Receipt): string | null {
  if (replayable(receipt)) return null;
  if (bindsJob(receipt)) return 'This receipt is from a run in normal mode: only a deterministic run (run --deterministic) gives the same result again, so only its receipt can be replayed.';
  return `This is a v${receipt.version} receipt: only a v0.3 receipt of a deterministic run (run --deterministic) binds everything a replay needs.`;
}

export async function replayReceipt(engine: Pick<Engine, 'config' | 'resolve' | 'run'>, receipt: Receipt, inputs: ReplayInputs): Promise<ReplayReport> {
  const why = notReplayable(receipt);
  if (why) throw new PlasmError('usage', why);
  const r = receipt as ReceiptV03;
  const dirs = matchDirs(r, inputs.dirs ?? []);
  const checks: Check[] = [];
  const compare = (name: string, actual: unknown, expected: unknown, what = name): boolean => {
    const ok = actual === expected;
    checks.push({ name, ok, detail: ok ? `${what} matches: ${String(expected)}` : `${what} is ${String(actual)} on replay, the receipt says ${String(expected)}` });
    return ok;
  };

  // The inputs first: a different module or stdin is named as such, not as different output.
  const read = readModuleFileSync(inputs.module, engine.config.max_module_bytes);
  if (!read.ok) throw new PlasmError('invalid', read.message);
  const stdin = inputs.stdin ?? new Uint8Array(0);
  const inputsOk = [compare('module', sha256(read.bytes), r.module_hash, 'the module\'s hash'), compare('stdin', sha256(stdin), r.input_hash, 'the stdin\'s hash')].every(Boolean);
  if (!inputsOk) return { ok: false, checks, result: null };

  // The receipt's portable job, run from the inputs given (each checked against it first).
  const result = await runPortable(engine, jobFromFields(r), { module: inputs.module, stdin, dirs: Object.fromEntries(dirs.map((d) => [d.guest, d.host])) }, { sign: false, signal: inputs.signal, name: r.job });
  const treesOk = r.dirs
    .map((dir) => compare(`dir ${dir.guest}`, result.portable?.dirs.find((d) => d.guest === dir.guest)?.tree_hash ?? 'not read', dir.tree_hash, `the input tree at ${dir.guest}`))
    .every(Boolean);
  // A different input tree is named as such; the run was refused, so its output says nothing.
  if (!treesOk) return { ok: false, checks, result };
  compare('status', result.status, r.status);
  compare('exit_code', result.exit_code, r.exit_code, 'the exit code');
  compare('stdout', sha256(result.stdout), r.stdout_hash, 'the stdout\'s hash');
  compare('stderr', sha256(result.stderr), r.stderr_hash, 'the stderr\'s hash');
  compare('fuel_consumed', result.usage.fuel_consumed, r.fuel_consumed, 'the fuel consumed');
  if (result.portable) compare('job_hash', jobHash(result.portable), r.job_hash, 'the job\'s hash');
  if (result.status === 'timeout' && r.status !== 'timeout') {
    checks.push({ name: 'time', ok: false, detail: `the replay ran out of its ${r.limits.timeout_seconds} s before it finished (the receipt's limit): this machine may be slower than the one that signed it` });
  }
  return { ok: checks.every((c) => c.ok), checks, result };
}

/** The receipt's dirs, each with the host folder the caller gave for it, read-only. */
function matchDirs(receipt: ReceiptV03, given: { host: string; guest: string }[]): JobDir[] {
  for (const g of given) {
    if (!receipt.dirs.some((d) => d.guest === g.guest)) {
      throw new PlasmError('usage', `The receipt's job had no dir at ${g.guest}${receipt.dirs.length > 0 ? ` (it had ${receipt.dirs.map((d) => d.guest).join(', ')})` : ''}.`);
    }
  }
  return receipt.dirs.map((d) => {
    const match = given.find((g) => g.guest === d.guest);
    if (!match) throw new PlasmError('usage', `The receipt's job read a folder at ${d.guest} (input tree ${d.tree_hash ?? 'unknown'}): give it with --dir HOST::${d.guest}.`);
    return { host: match.host, guest: d.guest, readonly: true };
  });
}
