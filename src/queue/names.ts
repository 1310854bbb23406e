/**
 * What a client and its workers must agree on besides the messages (schemas/queue.schema.json):
 * the queue's name, where bytes are kept in Redis, and the defaults of a queued job's life.
 *
 * Why BullMQ (on Redis) rather than, say, NATS JetStream: what a job queue needs comes built in —
 * job ids that make a submit idempotent, stalled-job recovery when a worker dies mid-job, a failed
 * set that keeps each reason, retries with backoff — on a store that also holds the bytes.
 */
import type { Hash } from '../core/hash.js';

export const DEFAULT_QUEUE = 'plasm-tui';

/** Module and stdin bytes by content hash: stored once, shared by every queue on this Redis. */
export function blobKey(hash: Hash): string {
  return `plasm-tui:blob:${hash}`;
}

/** Set by a client that cancels a job a worker has already taken: the worker stops or skips it. */
export function cancelKey(queue: string, id: string): string {
  return `plasm-tui:cancel:${queue}:${id}`;
}

/** Blobs and cancel marks go when nobody has used them for this long (a week). */
export const KEEP_SECONDS = 7 * 24 * 3600;

/** The largest stdin a queued job may have (modules: the config's max_module_bytes). */
export const MAX_STDIN_BYTES = 64 * 1024 * 1024;

/** A worker's lock on a job: renewed at half of it, lost (and the job given to another) after it. */
export const DEFAULT_LOCK_SECONDS = 30;

/** Tries of a job whose worker failed for a reason of its own (Redis, the sandbox), not the job's. */
export const DEFAULT_ATTEMPTS = 3;
export const BACKOFF_MS = 1000;

/** A worker that died mid-job twice more than this gives the job up (BullMQ's maxStalledCount). */
export const MAX_STALLED = 3;

/** Finished jobs are kept this long: a submit of the same id within it gets the same result. */
export const KEEP_COMPLETED_SECONDS = 24 * 3600;
export const KEEP_FAILED_SECONDS = 7 * 24 * 3600;

/** A job id: what BullMQ takes as a custom id (no ':', not a bare number) and a log shows plainly. */
export const JOB_ID_PATTERN = /^(?!\d+$)[A-Za-z0-9._~-]{1,128}$/;
