/**
 * A client's side of the queue: stores a job's bytes by hash, adds the job under its id, waits
 * for its outcome, cancels it. Adding is idempotent (BullMQ keeps the first job of an id): a
 * submit of an id already on the queue waits for that job's outcome instead of running it again,
 * and is refused when the id names another job. Jobs are kept a day after they finish, so a
 * submit of the same id within that time gets the same result.
 */
import type { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { PlasmError } from '../core/errors.js';
import { BlobStore } from './blob-store.js';
import { closeRedis, openRedis } from './connection.js';
import { BACKOFF_MS, cancelKey, DEFAULT_ATTEMPTS, KEEP_COMPLETED_SECONDS, KEEP_FAILED_SECONDS, KEEP_SECONDS, MAX_STDIN_BYTES } from './names.js';
import type { PlannedJob } from './plan-job.js';
import { ResultWaiter, type Outcome } from './result-waiter.js';

export interface QueueClientOptions {
  redis: string;
  queue: string;
  /** How often the state of each awaited job is checked besides the events (ms). */
  pollMs: number;
  /** The largest module stored (the config's max_module_bytes). */
  maxModuleBytes: number;
}

/** States in which no worker has the job: removing it cancels it for sure. */
const NOT_TAKEN = new Set(['waiting', 'delayed', 'prioritized', 'paused', 'wait']);

export class QueueClient {
  private constructor(
    private readonly options: QueueClientOptions,
    private readonly redis: Redis,
    private readonly eventsRedis: Redis,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly waiter: ResultWaiter,
  ) {}

  static async open(options: QueueClientOptions): Promise<QueueClient> {
    const { Queue, QueueEvents } = await import('bullmq');
    const redis = await openRedis(options.redis);
    const eventsRedis = await openRedis(options.redis);
    const queue = new Queue(options.queue, { connection: redis });
    const events = new QueueEvents(options.queue, { connection: eventsRedis });
    // Errors of a connection that comes back are not the caller's: a wait only lasts longer.
    queue.on('error', () => {});
    events.on('error', () => {});
    return new QueueClient(options, redis, eventsRedis, queue, events, new ResultWaiter(queue, events, options.pollMs));
  }

  /** Stores the bytes and adds the job as `id`, unless a job of that id is there already. */
  async submit(planned: PlannedJob, id: string): Promise<void> {
    await new BlobStore(this.redis).putAll([
      { bytes: planned.module, maxBytes: this.options.maxModuleBytes, what: 'The module' },
      { bytes: planned.stdin, maxBytes: MAX_STDIN_BYTES, what: 'The stdin' },
    ]);
    await this.queue.add('run', planned.message, {
      jobId: id,
      attempts: DEFAULT_ATTEMPTS,
      backoff: { type: 'exponential', delay: BACKOFF_MS },
      removeOnComplete: { age: KEEP_COMPLETED_SECONDS },
      removeOnFail: { age: KEEP_FAILED_SECONDS },
    });
    const stored = await this.queue.getJob(id);
    const hash = (stored?.data as { job_hash?: unknown } | undefined)?.job_hash;
    if (stored && hash !== planned.jobHash) {
      throw new PlasmError('usage', `The job id ${id} is taken by another job on the queue (${String(hash)}); give this one an id of its own.`);
    }
  }

  /** The job's outcome, once it has one (every wait for the same id gets the same). */
  wait(id: string): Promise<Outcome> {
    return this.waiter.wait(id);
  }

  /**
   * Cancels job `id`: marked, so that a worker skips it or stops it, and removed from the queue
   * if no worker has taken it yet (its wait then ends "cancelled" at once).
   */
  async cancel(id: string): Promise<void> {
    await this.redis.set(cancelKey(this.options.queue, id), '1', 'EX', KEEP_SECONDS);
    this.waiter.cancelled(id);
    if (!NOT_TAKEN.has(await this.queue.getJobState(id))) return;
    if ((await this.queue.remove(id)) === 1) this.waiter.settle(id, { state: 'cancelled' });
  }

  /**
   * Stops waiting (waits reject) and drops the connections, whether or not Redis is there. BullMQ's
   * own close is not awaited: with Redis away it waits for a connection that never comes (and
   * holds nothing that keeps a program running).
   */
  close(): Promise<void> {
    this.waiter.close();
    closeRedis(this.redis);
    closeRedis(this.eventsRedis);
    void Promise.allSettled([this.events.close(), this.queue.close()]);
    return Promise.resolve();
  }
}
