/**
 * The client's edge: a module or manifest path, with the caller's overrides and stdin, becomes
 * a portable job and the bytes it names — through the engine's own resolve and prepare stages,
 * so manifests, args, env, limits, deterministic mode and seeds mean what they mean locally, and
 * a module that cannot run (missing, over the size cap, a wrong pinned hash) is refused here
 * with the same result a local run gives, before anything is queued.
 */
import { PlasmError, describeError } from '../core/errors.js';
import { sha256, type Hash } from '../core/hash.js';
import { defaultSeed, jobHash, type PortableDir, type PortableJob } from '../core/portable-job.js';
import type { QueueJobMessage } from '../core/schema-types/queue.js';
import { summarizeGrants, type Engine, type JobOverrides, type RunResult } from '../engine/index.js';
import { grantProblem, holdGrants } from '../engine/hold-grants.js';
import { treeHash } from '../engine/input-tree.js';
import { prepare } from '../engine/prepare.js';
import { runResult } from '../engine/run-result.js';
import { MAX_STDIN_BYTES } from './names.js';
import { formatBytes } from '../engine/module-file.js';

export interface PlannedJob {
  message: QueueJobMessage;
  job: PortableJob;
  jobHash: Hash;
  /** The module file's bytes (what its hash names). */
  module: Buffer;
  stdin: Buffer;
}

export interface JobRequest {
  target: string;
  overrides: JobOverrides;
  /** null: the manifest's default stdin, else none. */
  stdin: Uint8Array | null;
  allowGrants: boolean;
}

/** A job to queue, or the result of one refused before it could be (as a local run refuses it). */
export type Plan = { ok: true; planned: PlannedJob } | { ok: false; result: RunResult };

/** Throws a PlasmError for a job that cannot be queued at all (grants nobody allowed, a read-write dir). */
export function planJob(engine: Pick<Engine, 'config' | 'resolve' | 'pendingGrants'>, request: JobRequest): Plan {
  const spec = engine.resolve(request.target, request.overrides);
  const pending = request.allowGrants ? null : engine.pendingGrants(spec);
  if (pending) throw new PlasmError('consent', `${pending.manifestPath} asks for ${summarizeGrants(pending)}, which has not been allowed; nothing was run.`);
  const writable = spec.dirs.find((dir) => !dir.readonly);
  if (writable) {
    throw new PlasmError('usage', `${writable.host} (for ${writable.guest}) is read-write, but a queued job takes read-only input trees only (a worker's folders are its own); grant it read-only, or run the job locally.`);
  }
  const problem = grantProblem(spec.dirs);
  if (problem) throw new PlasmError('invalid', problem);
  const stdin = request.stdin === null ? Buffer.from(spec.defaultStdin ?? '', 'utf8') : Buffer.from(request.stdin.buffer, request.stdin.byteOffset, request.stdin.byteLength);
  if (stdin.byteLength > MAX_STDIN_BYTES) {
    throw new PlasmError('usage', `The stdin is ${formatBytes(stdin.byteLength)}, over the ${formatBytes(MAX_STDIN_BYTES)} a queued job may carry.`);
  }
  const prepared = prepare(spec, engine.config.max_module_bytes);
  if (!prepared.ok) {
    return { ok: false, result: runResult({ job: spec.name, status: prepared.status, message: prepared.message, module_hash: prepared.moduleHash, input_hash: sha256(stdin) }) };
  }
  const dirs: PortableDir[] = [];
  const grants = holdGrants(spec.dirs);
  try {
    for (const dir of grants.dirs) {
      try {
        dirs.push({ guest: dir.guest, readonly: true, tree_hash: treeHash(dir.fd) });
      } catch (error) {
        throw new PlasmError('invalid', `The input tree at ${dir.guest} (${dir.host}) cannot be hashed: ${describeError(error).replace(/\.$/, '')}.`);
      }
    }
  } finally {
    grants.close();
  }
  const unseeded: Omit<PortableJob, 'seed'> = {
    version: '0.1',
    module: { hash: prepared.job.moduleHash },
    argv: prepared.job.argv,
    env: spec.env,
    stdin: { hash: sha256(stdin) },
    limits: spec.limits,
    mode: spec.deterministic ? 'deterministic' : 'normal',
    dirs,
  };
  const job: PortableJob = { ...unseeded, seed: spec.deterministic ? (spec.seed ?? defaultSeed(unseeded)) : null };
  const hash = jobHash(job);
  return {
    ok: true,
    planned: { message: { type: 'job', version: 1, name: spec.name, job, job_hash: hash }, job, jobHash: hash, module: Buffer.from(prepared.job.wasm), stdin },
  };
}
