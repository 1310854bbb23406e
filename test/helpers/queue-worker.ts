/**
 * A real `plasm-tui worker` process for queue tests: started with its own key file, awaited
 * until it says its public key on stderr, stopped by a signal.
 */
import { execa, type ResultPromise } from 'execa';
import { join } from 'node:path';
import { BIN } from './cli.js';
import { until } from './poll.js';
import { descendants, isGone } from './procs.js';

export interface WorkerOptions {
  redis: string;
  /** The key file (created on first use): each worker of a test signs with its own. */
  keyFile: string;
  queue?: string;
  concurrency?: number;
  allowDirs?: string[];
  lockSeconds?: number;
}

export interface WorkerProcess {
  readonly pid: number;
  /** Its public key, as it said on start. */
  readonly key: string;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Sends `signal` and waits for the exit; resolves with its exit code (null if killed). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Its processes below it now (the sandbox workers, spares and running). */
  children(): number[];
  readonly exited: Promise<number | null>;
}

export async function startWorker(options: WorkerOptions): Promise<WorkerProcess> {
  const args = [BIN, 'worker', '--redis', options.redis, '--key', options.keyFile];
  if (options.queue) args.push('--queue', options.queue);
  if (options.concurrency) args.push('--concurrency', String(options.concurrency));
  if (options.lockSeconds) args.push('--lock-seconds', String(options.lockSeconds));
  for (const dir of options.allowDirs ?? []) args.push('--allow-dir', dir);
  const child: ResultPromise = execa(process.execPath, args, {
    reject: false,
    stdin: 'ignore',
    buffer: false,
    cleanup: true,
    // A SIGTERM lets the jobs in flight finish, however long a loaded machine takes: never
    // turned into a SIGKILL behind the test's back (execa's default after 5 s).
    forceKillAfterDelay: false,
    env: { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, PLASM_OS_SANDBOX: process.env.PLASM_OS_SANDBOX, PATH: process.env.PATH },
    extendEnv: false,
  });
  let stderr = '';
  child.stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
  const exited = child.then((result) => (typeof result.exitCode === 'number' ? result.exitCode : null));
  let gone = false;
  void exited.then(() => (gone = true));
  const key = await until(() => {
    if (gone) throw new Error(`the worker exited before it started:\n${stderr}`);
    return /worker ([0-9a-f]{64}) takes jobs/.exec(stderr)?.[1];
  }, 'the worker to say its key', 30_000);
  const pid = child.pid as number;
  return {
    pid,
    key,
    stderr: () => stderr,
    children: () => descendants(pid),
    exited,
    stop: async (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}

/** Waits until every one of `pids` is gone (or a zombie nobody reaped). */
export async function allGone(pids: number[], what: string): Promise<void> {
  await until(() => pids.every(isGone), what, 15_000);
}

export function keyFile(dir: string, name: string): string {
  return join(dir, `${name}.key`);
}
