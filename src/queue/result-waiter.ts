/**
 * Waiting for queued jobs to finish, on the client. Events (BullMQ's QueueEvents) say when a job
 * completed or failed; a poll of each awaited job's state every `pollMs` is the fallback, so an
 * event lost while Redis restarted, or missed before the listener was ready, delays a result
 * and never loses it. Whatever tells first, each job id is settled once, and everyone waiting
 * for that id (a submit of the same id twice) gets the one outcome. Redis being away only makes
 * the wait longer: it ends when the job ends, or when the waiter is closed.
 */
import type { Job, Queue, QueueEvents } from 'bullmq';
import { PlasmError } from '../core/errors.js';

export type Outcome =
  | { state: 'completed'; value: unknown }
  | { state: 'failed'; reason: string }
  /** No such job on the queue any more (removed, or kept for less time than the wait took). */
  | { state: 'gone' }
  | { state: 'cancelled' };

interface Awaited {
  promise: Promise<Outcome>;
  settle(outcome: Outcome): void;
  fail(error: Error): void;
}

export class ResultWaiter {
  private readonly waiting = new Map<string, Awaited>();
  private readonly timer: NodeJS.Timeout;
  private polling = false;
  private closed = false;
  /** Jobs this client asked to cancel: one no longer on the queue was removed by that, not lost. */
  private readonly cancelling = new Set<string>();

  constructor(
    private readonly queue: Queue,
    events: QueueEvents,
    pollMs: number,
  ) {
    const look = ({ jobId }: { jobId: string }): void => {
      if (this.waiting.has(jobId)) void this.check(jobId);
    };
    events.on('completed', look);
    events.on('failed', look);
    this.timer = setInterval(() => void this.poll(), pollMs);
  }

  /** The outcome of job `id`, once; a second call for the same id shares the first one's. */
  wait(id: string): Promise<Outcome> {
    if (this.closed) return Promise.reject(closedError(id));
    let entry = this.waiting.get(id);
    if (!entry) {
      let settle!: (outcome: Outcome) => void;
      let fail!: (error: Error) => void;
      const promise = new Promise<Outcome>((resolve, reject) => {
        settle = resolve;
        fail = reject;
      });
      entry = {
        promise,
        settle: (outcome) => {
          if (this.waiting.get(id) !== entry) return; // settled already
          this.cancelling.delete(id);
          this.waiting.delete(id);
          settle(outcome);
        },
        fail: (error) => {
          if (this.waiting.get(id) !== entry) return;
          this.waiting.delete(id);
          fail(error);
        },
      };
      this.waiting.set(id, entry);
      void this.check(id);
    }
    return entry.promise;
  }

  /** `id` is being cancelled: from now on, its job missing from the queue means it was removed. */
  cancelled(id: string): void {
    this.cancelling.add(id);
  }

  /** Ends the wait for `id` now with `outcome` (a job removed before it ran). */
  settle(id: string, outcome: Outcome): void {
    this.waiting.get(id)?.settle(outcome);
  }

  /** Stops waiting: every job still awaited is rejected with a PlasmError. */
  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    for (const [id, entry] of [...this.waiting]) entry.fail(closedError(id));
  }

  private async poll(): Promise<void> {
    if (this.polling) return; // Redis is slow or away: one round at a time
    this.polling = true;
    try {
      for (const id of [...this.waiting.keys()]) await this.check(id);
    } finally {
      this.polling = false;
    }
  }

  private async check(id: string): Promise<void> {
    const entry = this.waiting.get(id);
    if (!entry) return;
    try {
      const state = await this.queue.getJobState(id);
      // A poll may ask between a cancel's removal and its settling: that job was cancelled, not lost.
      if (state === 'unknown') return entry.settle(this.cancelling.has(id) ? { state: 'cancelled' } : { state: 'gone' });
      if (state !== 'completed' && state !== 'failed') return;
      const job = (await this.queue.getJob(id)) as Job | undefined;
      if (!job) return entry.settle({ state: 'gone' });
      entry.settle(state === 'completed' ? { state, value: job.returnvalue } : { state, reason: job.failedReason });
    } catch {
      // Redis is away or restarting: the next poll or event asks again.
    }
  }
}

function closedError(id: string): PlasmError {
  return new PlasmError('usage', `The queue transport was closed before job ${id} ended.`);
}
