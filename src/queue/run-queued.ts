/**
 * A worker's side of one queued job: the message is checked (its schema, its hash, its limits
 * against this machine's ceilings, its dirs against what this worker's operator allowed), the
 * bytes are read from Redis by hash and checked, and the job runs through `runPortable`, which
 * pins the module hash and checks the stdin and each input tree before anything starts. The
 * receipt is a v0.3 one, signed with this worker's own key: it binds the job (its hash) and the
 * output. What cannot run is a Refusal (failure.ts); any other error may be tried again.
 */
import { isPlasmError } from '../core/errors.js';
import { jobHash } from '../core/portable-job.js';
import { schemaErrors } from '../core/schemas.js';
import type { QueueJobMessage, QueueResultMessage } from '../core/schema-types/queue.js';
import { runPortable, runReport, type Engine } from '../engine/index.js';
import type { BlobStore } from './blob-store.js';
import { Refusal } from './failure.js';
import { MAX_STDIN_BYTES } from './names.js';

export interface WorkerContext {
  engine: Pick<Engine, 'config' | 'resolve' | 'run'>;
  blobs: BlobStore;
  /** Host folder by guest path: what this worker's operator allowed jobs to read (--allow-dir). */
  dirs: ReadonlyMap<string, string>;
  /** This worker's public key (64 hex), the signer of its receipts. */
  publicKey: string;
}

export async function runQueued(context: WorkerContext, data: unknown, signal: AbortSignal): Promise<QueueResultMessage> {
  const message = checkedMessage(context, data);
  const { job } = message;
  const sources: Record<string, string> = {};
  for (const dir of job.dirs) {
    if (!dir.readonly) throw new Refusal('invalid', `The job asks for ${dir.guest} read-write, and a worker serves read-only input trees only.`);
    const host = context.dirs.get(dir.guest);
    if (host === undefined) throw new Refusal('invalid', `The job asks for the folder ${dir.guest}, which this worker does not serve (its operator allows folders with --allow-dir HOST::GUEST).`);
    sources[dir.guest] = host;
  }
  const module = await blob(context, job.module.hash, context.engine.config.max_module_bytes, 'The module');
  const stdin = await blob(context, job.stdin.hash, MAX_STDIN_BYTES, 'The stdin');
  let result;
  try {
    result = await runPortable(context.engine, job, { module, stdin, dirs: sources }, { receiptVersion: '0.3', name: message.name, signal });
  } catch (error) {
    if (isPlasmError(error)) throw new Refusal('invalid', error.message);
    throw error;
  }
  // Refused before it ran (not a module, an input tree that differs): another worker would refuse it too.
  if (result.status === 'invalid') throw new Refusal('invalid', result.message);
  // plasm-tui itself failed here (a sandbox that would not start): another try may do better.
  if (result.status === 'error') throw new Error(result.message);
  return { type: 'result', version: 1, worker: context.publicKey, report: runReport(result, null) };
}

function checkedMessage(context: WorkerContext, data: unknown): QueueJobMessage {
  const errors = schemaErrors('queue', data, 'job');
  if (errors.length > 0 || (data as { type?: unknown }).type !== 'job') {
    throw new Refusal('invalid', `The queued job is not a plasm-tui job message${errors[0] ? ` (${errors[0]})` : ''}.`);
  }
  const message = data as QueueJobMessage;
  const actual = jobHash(message.job);
  if (actual !== message.job_hash) throw new Refusal('invalid', `The queued job hashes to ${actual}, not the ${message.job_hash} it was sent as.`);
  const { ceilings } = context.engine.config;
  const over = (['memory_mb', 'timeout_seconds', 'max_output_bytes'] as const).find((name) => message.job.limits[name] > ceilings[name]);
  if (over) {
    throw new Refusal('invalid', `The job asks for ${over} ${message.job.limits[over]}, over this worker's ceiling of ${ceilings[over]} (ceilings.${over} in its config).`);
  }
  return message;
}

async function blob(context: WorkerContext, hash: QueueJobMessage['job']['module']['hash'], maxBytes: number, what: string): Promise<Buffer> {
  try {
    return await context.blobs.get(hash, maxBytes, what);
  } catch (error) {
    if (isPlasmError(error)) throw new Refusal('invalid', error.message);
    throw error;
  }
}
