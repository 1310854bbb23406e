import { resolve } from 'node:path';
import { PlasmError } from '../core/errors.js';
import { normalizeSeed } from '../core/portable-job.js';
import type { JobDir, JobOverrides, RunEvent } from '../engine/index.js';
import { aFunction, aJobId, anAbortSignal, aBoolean, checkArgs, checkEnv, checkOptions, checkPath, checkPositiveNumber, checkStdin, checkWholeNumber } from './check-arguments.js';
import { EventQueue } from './event-queue.js';
import { Result } from './result.js';
import type { Transport, TransportJob } from './transport.js';

export interface DirOptions {
  /** Enforced read-only (never silently writable). */
  readonly?: boolean;
}

export interface SubmitOptions {
  /** Aborting it cancels the job: its result then has status "cancelled". */
  signal?: AbortSignal;
  /** Each event as it happens: stdout and stderr chunks, phases. */
  onEvent?: (event: RunEvent) => void;
  /**
   * The job's id on a queue (QueueTransport): submitting the same id again runs nothing new, and
   * every submit of it gets the one result. Letters, digits and . _ ~ -, not only digits. The
   * local transport runs each submit and ignores it.
   */
  id?: string;
}

/** A job that is running: its events as they come, its result when it ends. */
export interface RunningJob {
  /** stdout/stderr chunks and phases, in order, ending when the job ends. Iterate once. */
  events(): AsyncIterableIterator<RunEvent>;
  readonly result: Promise<Result>;
  cancel(): void;
}

/**
 * A job to submit, built fluently: `client.createJob(path).withMemory(64).withTimeout(5)`. Each
 * `with…` returns a new Job, so one can be the template of many. What it sets is consent: a dir
 * given with `withDir` needs no allowing, unlike one a manifest asks for.
 */
export class Job {
  constructor(
    private readonly transport: Transport,
    readonly target: string,
    private readonly overrides: JobOverrides = {},
    private readonly grantsAllowed = false,
  ) {}

  private with(overrides: JobOverrides, grantsAllowed = this.grantsAllowed): Job {
    return new Job(this.transport, this.target, { ...this.overrides, ...overrides }, grantsAllowed);
  }

  /** Guest arguments after argv[0] (which is always the module's file name). */
  withArgs(...args: string[]): Job {
    checkArgs('Job.withArgs', args);
    return this.with({ args });
  }

  /** Environment variables the guest sees (added to any the manifest grants). */
  withEnv(env: Record<string, string>): Job {
    checkEnv('Job.withEnv', env);
    return this.with({ env: { ...this.overrides.env, ...env } });
  }

  /** Preopens a host directory at `guest` (default: the host path), read-write unless `readonly`. */
  withDir(host: string, guest: string = host, options: DirOptions = {}): Job {
    checkPath('Job.withDir', 'the host directory', host);
    checkPath('Job.withDir', 'the guest path', guest);
    checkOptions('Job.withDir', options, { readonly: aBoolean });
    const dir: JobDir = { host: resolve(host), guest, readonly: options.readonly ?? false };
    return this.with({ dirs: [...(this.overrides.dirs ?? []), dir] });
  }

  /** Recorded in the receipt (a WASI preview 1 guest uses one core). */
  withCpu(cores: number): Job {
    checkWholeNumber('Job.withCpu', 'the number of cores', cores, 1);
    return this.with({ cpu_cores: cores });
  }

  /** Memory cap in MiB. */
  withMemory(mb: number): Job {
    checkWholeNumber('Job.withMemory', 'the memory cap in MiB', mb, 1);
    return this.with({ memory_mb: mb });
  }

  /** Wall-clock limit in seconds. */
  withTimeout(seconds: number): Job {
    checkPositiveNumber('Job.withTimeout', 'the time limit in seconds', seconds);
    return this.with({ timeout_seconds: seconds });
  }

  /** Cap on captured stdout and on stderr, each, in bytes. */
  withMaxOutput(bytes: number): Job {
    checkWholeNumber('Job.withMaxOutput', 'the output cap in bytes', bytes, 0);
    return this.with({ max_output_bytes: bytes });
  }

  /** Meters the guest's executed instructions; past `fuel` it ends with "fuel_exhausted". */
  withFuel(fuel: number): Job {
    checkWholeNumber('Job.withFuel', 'the fuel budget', fuel, 1);
    return this.with({ fuel });
  }

  /**
   * Deterministic mode: the guest's clocks run on its fuel, its random bytes come from `seed`
   * (1–64 hex digits; by default derived from the job), directories list sorted and stat answers
   * come from content. The same job then gives the same output and fuel every time, and its
   * receipt (v0.3) can be checked by running it again: `receipt.replay(...)`. Read-only dirs only.
   */
  deterministic(seed?: string): Job {
    if (seed !== undefined && (typeof seed !== 'string' || normalizeSeed(seed) === null)) {
      throw new PlasmError('usage', `Job.deterministic: the seed is 1 to 64 hex digits, not ${JSON.stringify(seed)}.`);
    }
    return this.with({ deterministic: true, ...(seed === undefined ? {} : { seed }) });
  }

  /**
   * Runs a manifest's requested dirs and env without `plasm-tui allow`: only when your program
   * has shown them to its user, or trusts the manifest. Without it such a job is refused (a
   * PlasmError of kind "consent").
   */
  allowingManifestGrants(): Job {
    return this.with({}, true);
  }

  /**
   * Starts the job; `stdin` (text or bytes) or, if omitted, a manifest's default stdin. Throws a
   * PlasmError for a job that cannot start (missing module, broken manifest, grants not allowed).
   */
  start(stdin?: string | Uint8Array, options: SubmitOptions = {}): RunningJob {
    checkStart('Job.start', stdin, options);
    const queue = new EventQueue<RunEvent>();
    const job: TransportJob = {
      target: this.target,
      overrides: this.overrides,
      stdin: stdin === undefined ? null : typeof stdin === 'string' ? Buffer.from(stdin, 'utf8') : stdin,
      allowGrants: this.grantsAllowed,
    };
    const run = this.transport.start(job, {
      signal: options.signal,
      ...(options.id === undefined ? {} : { id: options.id }),
      onEvent: (event) => {
        options.onEvent?.(event);
        queue.push(event);
      },
    });
    const result = run.result.then(
      (raw) => new Result(raw),
      (error: unknown) => {
        queue.end();
        throw error;
      },
    );
    void result.then(() => queue.end(), () => {});
    return { events: () => queue.iterate(), result, cancel: () => run.cancel() };
  }

  /** Runs the job to the end: `job.start(stdin, options).result`, rejecting if it cannot start. */
  async submit(stdin?: string | Uint8Array, options: SubmitOptions = {}): Promise<Result> {
    checkStart('Job.submit', stdin, options);
    return this.start(stdin, options).result;
  }
}

function checkStart(method: string, stdin: unknown, options: unknown): void {
  checkStdin(method, 'stdin', stdin);
  checkOptions(method, options, { signal: anAbortSignal, onEvent: aFunction, id: aJobId });
}
