/**
 * Jobs for workers on other machines: `new Client({ transport: new QueueTransport({ redis,
 * workerKeys }) })`, then the same `createJob(…).submit(…)` as on this machine. The module or
 * manifest is read here, through the engine's own resolve and prepare stages (manifests, args,
 * env, limits, deterministic mode, consent to a manifest's grants: all as locally); the job goes
 * on a BullMQ queue on Redis as a portable job, its module and stdin stored by hash, its
 * read-only dirs as input trees by hash (src/queue/). A worker (`plasm-tui worker`) runs it and
 * signs the receipt with its own key; the result is believed only when that receipt verifies
 * under one of the pinned `workerKeys`, binds the very job submitted (its job hash) and the
 * stdout and stderr returned — otherwise the submit rejects with a VerifyError.
 *
 * Events: "reading" while the job is read, "starting" once it is queued, then its stdout and
 * stderr (one chunk each) and "done" when the result is in; output is not streamed live.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Config } from '../core/config.js';
import { loadConfig } from '../core/config.js';
import { describeError, isPlasmError, PlasmError } from '../core/errors.js';
import { createEngine, type Engine, type RunEvent, type RunPhase, type RunResult } from '../engine/index.js';
import { runResult } from '../engine/run-result.js';
import { checkResult } from '../queue/check-result.js';
import { checkRedisUrl, shownUrl } from '../queue/connection.js';
import { parseFailure } from '../queue/failure.js';
import { DEFAULT_QUEUE } from '../queue/names.js';
import { planJob, type PlannedJob } from '../queue/plan-job.js';
import { QueueClient } from '../queue/queue-client.js';
import type { Outcome } from '../queue/result-waiter.js';
import { anObject, aWholeNumber, checkOptions, checkPublicKeys, type Rule } from './check-arguments.js';
import type { StartOptions, Transport, TransportJob, TransportRun } from './transport.js';
import { VerifyError } from './verify-error.js';

export interface QueueTransportOptions {
  /** The Redis the workers take jobs from: redis://HOST:PORT (or rediss://). */
  redis: string;
  /** The public keys of the workers whose receipts are believed (each prints its key on start). */
  workerKeys: string[];
  /** The queue's name (default "plasm-tui", what a worker takes unless given --queue). */
  queue?: string;
  /** Limits' defaults and ceilings, the module size cap (default: the user's config). */
  config?: Config;
  /** How often each awaited job's state is checked besides the queue's events, in ms (default 1000). */
  pollMs?: number;
}

const aString: Rule = { expected: 'a string', test: (value) => typeof value === 'string' };
const anArray: Rule = { expected: 'an array', test: (value) => Array.isArray(value) };

export class QueueTransport implements Transport {
  /** Resolves and prepares jobs (never runs one: it has no key to sign with). */
  private readonly engine: Engine;
  private readonly keys: string[];
  private readonly queue: string;
  private connecting: Promise<QueueClient> | null = null;
  private closed = false;

  constructor(private readonly options: QueueTransportOptions) {
    checkOptions('new QueueTransport', options, { redis: aString, workerKeys: anArray, queue: aString, config: anObject, pollMs: aWholeNumber(10) });
    if (options === undefined || options.redis === undefined) throw new PlasmError('usage', 'new QueueTransport needs { redis: "redis://HOST:PORT", workerKeys: [...] }.');
    checkRedisUrl(options.redis, 'new QueueTransport: redis');
    checkPublicKeys('new QueueTransport: workerKeys', options.workerKeys);
    this.keys = options.workerKeys.map((key) => key.trim().toLowerCase());
    this.queue = options.queue ?? DEFAULT_QUEUE;
    this.engine = createEngine({
      config: options.config ?? loadConfig(),
      key: () => {
        throw new PlasmError('internal', 'A queue transport signs nothing: its workers do.');
      },
    });
  }

  /** A queue has many signers: use `publicKeys()` (Client.publicKeys()) instead. */
  publicKey(): string {
    throw new PlasmError('usage', "A queue's receipts are signed by its workers, each with its own key: use client.publicKeys() (the workerKeys pinned), e.g. receipt.verify(client.publicKeys()).");
  }

  publicKeys(): string[] {
    return [...this.keys];
  }

  start(job: TransportJob, options: StartOptions): TransportRun {
    const began = performance.now();
    const emit = options.onEvent ?? (() => {});
    const phase = (name: RunPhase, extra: Partial<RunEvent> = {}): void => emit({ type: 'phase', phase: name, at_ms: performance.now() - began, ...extra } as RunEvent);
    phase('reading');
    const plan = planJob(this.engine, { target: job.target, overrides: job.overrides, stdin: job.stdin, allowGrants: job.allowGrants });
    if (!plan.ok) {
      phase('done');
      return { result: Promise.resolve(plan.result), cancel: () => {} };
    }
    const { planned } = plan;
    const unrun = (status: RunResult['status'], message: string): RunResult => {
      phase('done');
      return runResult({ job: planned.message.name, status, message, module_hash: planned.job.module.hash, input_hash: planned.job.stdin.hash, portable: planned.job });
    };
    if (options.signal?.aborted) return { result: Promise.resolve(unrun('cancelled', 'The job was cancelled before it was queued.')), cancel: () => {} };
    const id = options.id ?? randomUUID();
    let queued: Promise<QueueClient> | null = null;
    let cancelled = false;
    let settled = false;
    const cancel = (): void => {
      if (cancelled || settled) return;
      cancelled = true;
      // Before it is queued, the submit cancels it as soon as it is.
      void queued?.then((client) => client.cancel(id)).catch(() => {});
    };
    const result = (async (): Promise<RunResult> => {
      try {
        const client = await this.connect();
        await client.submit(planned, id);
        queued = Promise.resolve(client);
        phase('starting', { module_hash: planned.job.module.hash });
        if (cancelled || options.signal?.aborted) {
          cancelled = false;
          cancel();
        }
        const outcome = await client.wait(id);
        return this.resultOf(outcome, planned, id, emit, unrun, phase);
      } catch (error) {
        if (isPlasmError(error)) throw error;
        if (this.closed) throw new PlasmError('usage', `The queue transport was closed before job ${id} ended.`);
        throw new PlasmError('io', `The queue on ${shownUrl(this.options.redis)} failed job ${id}: ${describeError(error).replace(/\.$/, '')}.`);
      }
    })().finally(() => {
      settled = true;
      options.signal?.removeEventListener('abort', cancel);
    });
    options.signal?.addEventListener('abort', cancel, { once: true });
    return { result, cancel };
  }

  /** Closes the connections; a submit still waiting rejects with a PlasmError. */
  async close(): Promise<void> {
    this.closed = true;
    const connecting = this.connecting;
    this.connecting = null;
    if (connecting) await (await connecting).close();
    await this.engine.close();
  }

  private connect(): Promise<QueueClient> {
    if (this.closed) return Promise.reject(new PlasmError('usage', 'This QueueTransport is closed.'));
    return (this.connecting ??= QueueClient.open({ redis: this.options.redis, queue: this.queue, pollMs: this.options.pollMs ?? 1000, maxModuleBytes: this.engine.config.max_module_bytes }));
  }

  private resultOf(outcome: Outcome, planned: PlannedJob, id: string, emit: (event: RunEvent) => void, unrun: (status: RunResult['status'], message: string) => RunResult, phase: (name: RunPhase) => void): RunResult {
    switch (outcome.state) {
      case 'cancelled':
        return unrun('cancelled', 'The job was cancelled before a worker took it.');
      case 'gone':
        return unrun('error', `Job ${id} left the queue without a result (removed, or kept for less time than this wait took).`);
      case 'failed': {
        const { status, message } = parseFailure(outcome.reason);
        return unrun(status, message);
      }
      case 'completed': {
        const checked = checkResult(outcome.value, planned, this.keys, id);
        if (!checked.ok) throw new VerifyError(checked.report);
        if (checked.result.stdout.length > 0) emit({ type: 'stdout', chunk: checked.result.stdout });
        if (checked.result.stderr.length > 0) emit({ type: 'stderr', chunk: checked.result.stderr });
        phase('done');
        return checked.result;
      }
    }
  }
}
