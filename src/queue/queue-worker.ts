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
  let onDown = (): void => {};
  const onRedisError = (error: Error): void => {
    onDown();
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

  // Jobs taken and not yet settled in Redis (their result stored, or their failure).
  const unsettled = new Set<string>();
  let onSettled = (): void => {};
  const processor = (job: { id?: string; data: unknown }): Promise<QueueResultMessage> => {
    unsettled.add(job.id ?? '');
    return runJob(job);
  };
  const runJob = async (job: { id?: string; data: unknown }): Promise<QueueResultMessage> => {
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
  const settled = (id: string | undefined): void => {
    unsettled.delete(id ?? '');
    if (unsettled.size === 0) onSettled();
  };
  worker.on('completed', (job) => settled(job.id));
  worker.on('failed', (job, error) => {
    if (job) options.onProblem(`job ${job.id ?? '?'} failed: ${describeError(error)}`);
    settled(job?.id);
  });

  let closing: Promise<void> | null = null;
  return {
    close: () =>
      (closing ??= (async () => {
        // No new jobs; those in flight run to their end and their results go to Redis. With Redis
        // away (or a result refused: the lock lapsed), the wait ends at once, or after a lock's
        // time: those jobs' locks lapse and another worker runs them again, nothing is lost.
        // Only then is the worker closed, forced: BullMQ would otherwise wait for a Redis that
        // may never answer.
        await worker.pause(true).catch(() => {});
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => {
            onSettled = resolve;
            onDown = resolve;
            if (unsettled.size === 0 || redisDown) resolve();
          }),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, options.lockMs))),
        ]);
        clearTimeout(timer);
        await worker.close(true).catch(() => {});
        closeRedis(redis);
        closeRedis(queueRedis);
        await engine.close();
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
