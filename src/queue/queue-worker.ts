/**
 * A worker on a queue: takes job messages from a BullMQ queue, runs each in its own sandbox
 * through the engine (warm spares, one per job at once), and returns the result message. A
 * Refusal goes to the failed set as it is (`UnrecoverableError`: no retries); any other error is
 * tried again by the queue, with backoff. Its lock on a job is renewed while the job runs: when
 * the worker dies mid-job, the lock runs out and BullMQ gives the job to another worker (up to
 * MAX_STALLED times). A job whose result comes from a worker that lost its lock is not taken:
 * one result per job, whatever happened on the way. `close()` lets the jobs in flight finish.
 */
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import type { Config } from '../core/config.js';
import { describeError } from '../core/errors.js';
import type { NodeKey } from '../core/keys.js';
import type { QueueResultMessage } from '../core/schema-types/queue.js';
import { createEngine, createWarmPool } from '../engine/index.js';
import { BlobStore } from './blob-store.js';
import { closeRedis, openRedis } from './connection.js';
import { failureReason, Refusal } from './failure.js';
import { cancelKey, MAX_STALLED } from './names.js';
import { runQueued } from './run-queued.js';

export interface QueueWorkerOptions {
  redis: string;
  queue: string;
  concurrency: number;
  key: NodeKey;
  config: Config;
  /** Host folder by guest path, served read-only to jobs that ask for that input tree. */
  dirs: ReadonlyMap<string, string>;
  /** How long its lock on a job lasts unrenewed (ms): how soon a job of a dead worker moves on. */
  lockMs: number;
  /** A problem worth a line on stderr (Redis gone, a job that failed); said once per outage. */
  onProblem: (message: string) => void;
}

export interface QueueWorker {
  /** Takes no new jobs, lets those in flight finish, stops the warm spares, closes connections. */
  close(): Promise<void>;
}

/** How often a job in flight checks whether its client cancelled it. */
const CANCEL_CHECK_MS = 1000;

export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const { Worker, UnrecoverableError } = await import('bullmq');
  let redisDown = false;
  const onRedisError = (error: Error): void => {
    if (redisDown) return;
    redisDown = true;
    options.onProblem(`Redis at ${options.redis} is not answering (${describeError(error)}); retrying.`);
  };
  const redis = await openRedis(options.redis, onRedisError);
  const queueRedis = await openRedis(options.redis, onRedisError);
  const onReady = (): void => {
    redisDown = false;
  };
  redis.on('ready', onReady);
  const engine = createEngine({ config: options.config, key: options.key, sandbox: createWarmPool({ spares: Math.min(options.concurrency, 4) }) });
  engine.warm();
  const context = { engine, blobs: new BlobStore(redis), dirs: options.dirs, publicKey: options.key.publicKeyHex };

  const processor = async (job: { id?: string; data: unknown }): Promise<QueueResultMessage> => {
    const controller = new AbortController();
    const id = job.id ?? '';
    const watch = cancelWatch(redis, cancelKey(options.queue, id), controller);
    try {
      if (await watch.cancelled()) throw new Refusal('cancelled', 'The job was cancelled before it ran.');
      return await runQueued(context, job.data, controller.signal);
    } catch (error) {
      if (error instanceof Refusal) throw new UnrecoverableError(failureReason(error.status, error.message));
      throw new Error(failureReason('error', describeError(error)));
    } finally {
      watch.stop();
    }
  };

  const worker: Worker = new Worker(options.queue, processor, {
    // Stored on each job it takes (processedBy): which worker, on which machine, has it.
    name: `${options.key.publicKeyHex.slice(0, 16)}@${hostname()}:${process.pid}`,
    connection: queueRedis,
    concurrency: options.concurrency,
    lockDuration: options.lockMs,
    stalledInterval: options.lockMs,
    maxStalledCount: MAX_STALLED,
  });
  worker.on('error', (error) => onRedisError(error));
  worker.on('failed', (job, error) => {
    if (job) options.onProblem(`job ${job.id ?? '?'} failed: ${describeError(error)}`);
  });

  let closing: Promise<void> | null = null;
  return {
    close: () =>
      (closing ??= (async () => {
        try {
          await worker.close();
        } finally {
          await engine.close();
          closeRedis(redis);
          closeRedis(queueRedis);
        }
      })()),
  };
}

/** Aborts a job in flight when its cancel mark appears (checked every CANCEL_CHECK_MS). */
function cancelWatch(redis: Redis, key: string, controller: AbortController): { cancelled(): Promise<boolean>; stop(): void } {
  const cancelled = async (): Promise<boolean> => {
    try {
      return (await redis.exists(key)) === 1;
    } catch {
      return false; // Redis is away: the job goes on
    }
  };
  let asking = false;
  const timer = setInterval(() => {
    if (asking) return; // Redis is slow or away: one question at a time
    asking = true;
    void cancelled().then((yes) => {
      asking = false;
      if (yes) controller.abort();
    });
  }, CANCEL_CHECK_MS);
  timer.unref();
  return { cancelled, stop: () => clearInterval(timer) };
}
