/**
 * How the SDK gets a job run. `LocalTransport` runs it on this machine through the engine (a
 * sandboxed worker process per job). A remote transport — one that hands jobs to workers on
 * other machines through an existing queue or messaging system — implements the same interface:
 * it reads the module (and manifest) named by `target`, sends them with the rest of the job,
 * streams the worker's events back through `onEvent`, and resolves with the worker's result,
 * whose receipt the worker signed with its own key. `Client` and `Job` do not change.
 * `QueueTransport` (queue-transport.ts) is one: workers on a BullMQ queue on Redis.
 */
import type { Config } from '../core/config.js';
import { loadConfig } from '../core/config.js';
import { loadOrCreateNodeKey, type NodeKey } from '../core/keys.js';
import { daemonOrLocal, type DaemonOrLocal } from '../daemon/daemon-or-local.js';
import type { DaemonUse } from '../daemon/client.js';
import { createEngine, createWarmPool, processSandbox, type Engine, type JobOverrides, type RunEvent, type RunResult } from '../engine/index.js';
import { aBoolean, anObject, checkOptions, type Rule } from './check-arguments.js';

/** One job as the SDK hands it to a transport: plain data, so it can cross a wire. */
export interface TransportJob {
  /** A module (.wasm, .wat) or manifest (.json) path. */
  target: string;
  /** What the job builder set: args, env, dirs and limits (snake_case like manifests). */
  overrides: JobOverrides;
  /** The job's stdin; null keeps a manifest's default stdin. */
  stdin: Uint8Array | null;
  /** Run with the dirs and env the manifest asks for even though nobody allowed them. */
  allowGrants: boolean;
}

export interface TransportRun {
  readonly result: Promise<RunResult>;
  cancel(): void;
}

/** How a job is started: its cancel signal, where its events go, its id on a queue. */
export interface StartOptions {
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** The job's id where jobs have ids (a queue: the same id runs once); others ignore it. */
  id?: string;
}

export interface Transport {
  /** The key that signs this transport's receipts (64 hex characters), to pin when verifying. */
  publicKey(): string;
  /**
   * Every key that may sign this transport's receipts: a queue's workers each sign with their
   * own. Left out, the one `publicKey()` gives.
   */
  publicKeys?(): string[];
  /**
   * Starts a job. Throws a PlasmError for a job that cannot start (a missing module, a broken
   * manifest, grants nobody allowed: kind "consent"); everything that happens once it runs ends
   * in the result's status instead.
   */
  start(job: TransportJob, options: StartOptions): TransportRun;
  /** Stops what the transport keeps running (warm sandboxes, connections). */
  close(): Promise<void>;
}

export interface LocalTransportOptions {
  /** Defaults to the user's config file (or the built-in defaults). */
  config?: Config;
  /** Defaults to this machine's node key in the user's config dir. */
  key?: NodeKey;
  /**
   * Pre-started, single-use workers (default on): a job does not wait for a Node.js start. Off,
   * each job starts its own process when it runs.
   */
  warm?: boolean;
  /**
   * Run jobs in a running daemon's warm sandboxes (`plasm-tui serve`) when there is one of this
   * version; else, or when false, in this process's own. Defaults to the config's `daemon` (true).
   * The receipts are signed here either way. `daemonUse()` says where jobs run.
   */
  daemon?: boolean;
}

/** What `new LocalTransport(options)` (and so `new Client(options)`) accepts. */
export const LOCAL_TRANSPORT_OPTIONS: Record<keyof LocalTransportOptions, Rule> = {
  config: anObject,
  key: { expected: 'a NodeKey (from loadOrCreateNodeKey)', test: (value) => anObject.test(value) && typeof (value as { publicKeyHex?: unknown }).publicKeyHex === 'string' },
  warm: aBoolean,
  daemon: aBoolean,
};

/** Runs jobs on this machine, each in its own sandboxed, single-use worker process (warm spares). */
export class LocalTransport implements Transport {
  readonly engine: Engine;
  private readonly sandbox: DaemonOrLocal;
  private readonly key: () => NodeKey;

  constructor(options: LocalTransportOptions = {}) {
    checkOptions('new LocalTransport', options, LOCAL_TRANSPORT_OPTIONS);
    let key = options.key;
    this.key = () => (key ??= loadOrCreateNodeKey());
    const warm = options.warm ?? true;
    const config = options.config ?? loadConfig();
    const useDaemon = options.daemon ?? config.daemon;
    this.sandbox = daemonOrLocal({
      daemon: useDaemon,
      why: options.daemon === false ? 'the client was made with daemon: false' : 'the config says "daemon": false',
      local: () => (warm ? createWarmPool() : processSandbox),
    });
    this.engine = createEngine({ config, key: this.key, sandbox: this.sandbox });
    if (warm) this.engine.warm();
  }

  /** Where this transport's jobs run: in a daemon (its pid) or here, and why. */
  daemonUse(): Promise<DaemonUse> {
    return this.sandbox.use();
  }

  publicKey(): string {
    return this.key().publicKeyHex;
  }

  start(job: TransportJob, options: StartOptions): TransportRun {
    const spec = this.engine.resolve(job.target, job.overrides);
    return this.engine.start(spec, { stdin: job.stdin ?? undefined, signal: options.signal, onEvent: options.onEvent, allowGrants: job.allowGrants });
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
