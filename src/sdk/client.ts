import { availableParallelism } from 'node:os';
import { PlasmError } from '../core/errors.js';
import { Job, type SubmitOptions } from './job.js';
import type { Result } from './result.js';
import { LOCAL_TRANSPORT_OPTIONS, LocalTransport, type LocalTransportOptions, type Transport } from './transport.js';
import { FolderRunner, type FolderRunnerOptions, type WatchEvent } from '../engine/index.js';
import { EventQueue } from './event-queue.js';
import { aBoolean, anAbortSignal, aTransport, aWholeNumber, checkBatch, checkOptions, checkPath } from './check-arguments.js';

export interface ClientOptions extends LocalTransportOptions {
  /** Where jobs run; a `LocalTransport` (this machine) unless given. */
  transport?: Transport;
}

/** A watched folder: its events as they come, until `close()`. */
export interface FolderWatch {
  events(): AsyncIterableIterator<WatchEvent>;
  close(): Promise<void>;
}

/** One job of a batch, with its own stdin (and its id on a queue, see SubmitOptions.id). */
export interface BatchItem {
  job: Job;
  stdin?: string | Uint8Array;
  id?: string;
}

export interface SubmitAllOptions {
  /** How many jobs run at once; defaults to the machine's cores. */
  concurrency?: number;
  /** Aborting it cancels the jobs running and skips the rest (they end "cancelled"). */
  signal?: AbortSignal;
}

/**
 * plasm-tui for programs: `new Client().createJob('hello.wasm').withMemory(64).submit('hi')`.
 * Methods and options are camelCase; the JSON formats (run report, events, receipts, manifests)
 * stay snake_case, and `Result.toJSON()` is exactly the `plasm-tui run --json` report.
 */
export class Client {
  readonly transport: Transport;

  constructor(options: ClientOptions = {}) {
    checkOptions('new Client', options, { ...LOCAL_TRANSPORT_OPTIONS, transport: aTransport });
    this.transport = options.transport ?? new LocalTransport(options);
  }

  /** A job for a module (.wasm, .wat) or a manifest (.json); nothing runs until `submit`. */
  createJob(target: string): Job {
    checkPath('Client.createJob', 'the module or manifest path', target);
    return new Job(this.transport, target);
  }

  /** The key this client's receipts are signed with: pin it when verifying them. */
  publicKey(): string {
    return this.transport.publicKey();
  }

  /**
   * Every key this client's receipts may be signed with: the one key of this machine, or the
   * worker keys a QueueTransport pins. `result.receipt().verify(client.publicKeys())` checks a
   * receipt against whichever of them signed it.
   */
  publicKeys(): string[] {
    return this.transport.publicKeys?.() ?? [this.transport.publicKey()];
  }

  /** Runs many jobs, at most `concurrency` at once; results come back in the order given. */
  async submitAll(items: readonly (Job | BatchItem)[], options: SubmitAllOptions = {}): Promise<Result[]> {
    checkBatch('Client.submitAll', items, (value) => value instanceof Job);
    checkOptions('Client.submitAll', options, { concurrency: aWholeNumber(1), signal: anAbortSignal });
    const concurrency = options.concurrency ?? availableParallelism();
    const results: Result[] = new Array(items.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) {
        const index = next++;
        const item = items[index] as Job | BatchItem;
        const { job, stdin, id } = item instanceof Job ? { job: item, stdin: undefined, id: undefined } : item;
        const submit: SubmitOptions = { signal: options.signal, ...(id === undefined ? {} : { id }) };
        results[index] = await job.submit(stdin, submit);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    return results;
  }

  /**
   * Watches a folder as `plasm-tui watch --json` does: runs its jobs once, then again on each
   * rebuild, and yields the same events (schemas/event.schema.json). Needs the local transport.
   * `for await (const event of watcher.events())`; `await watcher.close()` stops it.
   */
  watch(dir: string, options: FolderRunnerOptions = {}): FolderWatch {
    checkPath('Client.watch', 'the folder to watch', dir);
    checkOptions('Client.watch', options, { runOnStart: aBoolean, concurrency: aWholeNumber(1), saveReceipts: aBoolean });
    if (!(this.transport instanceof LocalTransport)) throw new PlasmError('usage', 'watch runs jobs on this machine: it needs the local transport.');
    const queue = new EventQueue<WatchEvent>();
    const runner = new FolderRunner(this.transport.engine, dir, (event) => {
      queue.push(event);
      if (event.type === 'stopped') queue.end();
    }, options);
    runner.start();
    return { events: () => queue.iterate(), close: () => runner.close() };
  }

  /** Stops what the transport keeps running (e.g. warm sandboxes). */
  close(): Promise<void> {
    return this.transport.close();
  }
}
