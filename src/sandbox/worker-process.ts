/**
 * One sandbox worker process, started for a profile — everything fixed when a process starts:
 * the memory and stack flags, the kernel limits, the OS sandbox's binds of granted dirs — and
 * waiting for the one job it will ever run. It may be started ahead of its job (a warm spare,
 * or the CLI overlapping its own start-up with the worker's): until then it holds no reference
 * on the event loop, so an idle spare costs no CPU and never keeps a program alive.
 */
import { execa, type ResultPromise } from 'execa';
import { performance } from 'node:perf_hooks';
import type { Layer } from './containment.js';
import { hostTools, osSandboxMode } from './launch/detect.js';
import { planLaunch, type Launch } from './launch/launcher.js';
import { kernelLimits, type KernelLimits } from './launch/rlimits.js';
import { killGroup, stopLaunch } from './launch/stop.js';
import { WORKER_CODE_DIRS, WORKER_PATH, workerNodeFlags } from './node-flags.js';
import { childFd, workerPath, type GrantedDir } from './granted-dir.js';
import { isWorkerMessage, type Preopen, type PrimeMessage, type WabtMessage, type WorkerMessage } from './protocol.js';
import { wabtLocation } from './wabt-path.js';

/** What a worker process is started with; two jobs with equal profiles can use the same spare. */
export interface WorkerProfile {
  memoryCapBytes: number;
  stackKb: number;
  /**
   * Granted dirs, open: inherited by the worker at start (bound by the OS sandbox, or preopened
   * through /proc/self/fd), read-allowed by Node's permission model.
   */
  preopens: GrantedDir[];
  /** RLIMIT_CPU is derived from it. */
  timeoutMs: number;
  maxFileBytes?: number;
  /** A .wat job: the worker may read the wabt package. */
  wat: boolean;
  /**
   * The OS sandbox asked for (PLASM_OS_SANDBOX) when the job or spare was made: fixed with the
   * profile, so a spare started without bwrap is never handed to a job that asks for it.
   */
  osSandbox: ReturnType<typeof osSandboxMode>;
  /** The job is metered for fuel: its V8 stack is made larger to match (node-flags.ts). */
  metered?: boolean;
}

export function profileKey(profile: WorkerProfile): string {
  // The very same directories (device and inode), not merely the same names.
  const dirs = profile.preopens.map((d) => [d.host, d.dev, d.ino, d.guest, d.readonly]);
  return JSON.stringify([profile.memoryCapBytes, profile.stackKb, profile.timeoutMs, profile.maxFileBytes ?? null, profile.wat, profile.osSandbox, profile.metered ?? false, dirs]);
}

/**
 * Launches not yet ended. A detached launch is not killed by execa when this program exits, so
 * it is done here (setpriv's PR_SET_PDEATHSIG does it too where setpriv is installed).
 */
const liveLaunches = new Set<number>();
process.once('exit', () => {
  for (const pid of liveLaunches) killGroup(pid);
});

type ResultMessage = Extract<WorkerMessage, { type: 'result' }>;

export class WorkerProcess {
  readonly subprocess: ResultPromise<{ ipc: true; buffer: false; reject: false }>;
  readonly startedAt = performance.now();
  /** When it said it was ready for its job; null while it boots. */
  readyAt: number | null = null;
  readonly ready: Promise<void>;
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<{ signal?: string; exitCode?: number }>;
  gone = false;
  private listener: ((message: Exclude<WorkerMessage, { type: 'ready' }> | 'malformed') => void) | null = null;
  /** The granted dirs as the worker preopens them (host paths inside bwrap, else /proc/self/fd/N). */
  readonly preopens: Preopen[];

  private constructor(
    readonly profile: WorkerProfile,
    readonly launch: Launch,
    readonly limits: KernelLimits,
    readonly wabtUrl: string | undefined,
  ) {
    this.preopens = profile.preopens.map((dir, i) => ({ host: workerPath(dir, i, launch.nested), guest: dir.guest, readonly: dir.readonly }));
    this.subprocess = execa(launch.file, launch.args, {
      // stdin, stdout, stderr, then the IPC channel as fd 3 (bwrap.ts passes NODE_CHANNEL_FD=3 on),
      // then each granted dir's descriptor as fd 4, 5, … (see granted-dir.ts).
      // (execa's types leave out a plain descriptor past fd 3; Node's spawn passes it as it is.)
      stdio: ['pipe', 'pipe', 'pipe', 'ipc', ...profile.preopens.map((dir) => dir.fd)] as unknown as ['pipe', 'pipe', 'pipe', 'ipc'],
      ipc: true,
      serialization: 'advanced',
      // No environment at all, but for an empty PATH: every program in the chain is given by its
      // absolute path, and the guest's env is only what the job grants.
      env: { PATH: '' },
      extendEnv: false,
      buffer: false,
      reject: false,
      cleanup: true,
      // A process group of its own, so stopping it reaches every process of the launch (stop.ts).
      detached: true,
    }) as ResultPromise<{ ipc: true; buffer: false; reject: false }>;
    // Whenever the process we started ends (killed, crashed, or done), nothing of its launch may
    // outlive it: a straggler would hold the pipes below open, and this program with them.
    const pid = this.subprocess.pid;
    if (pid !== undefined) {
      liveLaunches.add(pid);
      this.subprocess.once('exit', () => {
        liveLaunches.delete(pid);
        killGroup(pid);
      });
    }
    let markReady!: () => void;
    this.ready = new Promise((resolve) => {
      markReady = resolve;
    });
    // The guest may exit without reading its stdin: a broken pipe here is expected, not an error.
    this.subprocess.stdin?.on('error', () => {});
    this.subprocess.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return this.listener ? this.listener('malformed') : this.kill();
      if (message.type === 'ready') {
        this.readyAt ??= performance.now();
        return markReady();
      }
      // Nothing but "ready" may come before a job: a worker that talks out of turn is stopped.
      if (this.listener) this.listener(message);
      else this.kill();
    });
    this.exited = this.subprocess.then(
      (exit) => {
        this.gone = true;
        return { signal: exit.signal, exitCode: exit.exitCode };
      },
      () => {
        this.gone = true;
        return {};
      },
    );
    this.idle(true);
    // A .wat spare loads its compiler while it waits.
    if (this.wabtUrl) this.sendWhenIdle({ type: 'load-wabt', wabtUrl: this.wabtUrl, memoryCapBytes: profile.memoryCapBytes } satisfies WabtMessage);
  }

  /** Starts a worker for `profile`, or says why none can start (the OS sandbox was required). */
  static start(profile: WorkerProfile): WorkerProcess | { problem: string; layers: Layer[] } {
    const wabt = profile.wat ? wabtLocation() : undefined;
    const readDirs = wabt ? [...WORKER_CODE_DIRS, wabt.dir] : WORKER_CODE_DIRS;
    const mode = profile.osSandbox;
    if (typeof mode !== 'string') return { problem: mode.problem, layers: [] };
    const limits = kernelLimits(profile);
    const tools = hostTools(mode);
    const bound = mode !== 'off' && tools.bwrap.ok;
    const preopenPaths = profile.preopens.map((dir, i) => workerPath(dir, i, bound));
    const launch = planLaunch(
      {
        nodeFlags: workerNodeFlags({ ...profile, preopenPaths }, readDirs),
        workerPath: WORKER_PATH,
        readDirs,
        dirs: profile.preopens.map((dir, i) => ({ fd: childFd(i), host: dir.host, readonly: dir.readonly })),
        limits,
      },
      tools,
      mode,
    );
    if ('problem' in launch) return launch;
    return new WorkerProcess(profile, launch, limits, wabt?.url);
  }

  /** What it was sent to compile ahead, if anything: a job of those bytes need not send them again. */
  primedWith: Uint8Array | null = null;

  /** Has the spare compile `module` while it waits (see PrimeMessage); sent once it is up, unless a job came first. */
  prime(module: Uint8Array): void {
    this.sendWhenIdle({ type: 'prime', module } satisfies PrimeMessage, () => (this.primedWith = module));
  }

  /** Sends `message` once the worker is up, unless a job has it by then. */
  private sendWhenIdle(message: PrimeMessage | WabtMessage, sent?: () => void): void {
    void this.ready.then(() => {
      if (this.listener || this.gone) return;
      try {
        this.subprocess.send(message);
        sent?.();
      } catch {
        // gone meanwhile: the job that takes it (if any) does the work itself
      }
    });
  }

  /** Hands the worker to a job: it keeps the event loop alive again and reports to `listener`. */
  assign(listener: (message: Exclude<WorkerMessage, { type: 'ready' }> | 'malformed') => void): void {
    this.listener = listener;
    this.idle(false);
  }

  /**
   * Done with it: killed, and no longer holding the event loop (a program that is finished
   * need not wait for the process to be reaped; it dies with its parent anyway).
   */
  release(): void {
    this.kill();
    this.idle(true);
  }

  kill(): void {
    if (this.gone) return;
    // Whoever awaits `exited` after this must see the end: an idle spare holds no reference.
    this.idle(false);
    stopLaunch(this.subprocess.pid, this.launch.nested);
  }

  /** An idle worker holds no reference on the event loop: its process, pipes and IPC channel. */
  private idle(idle: boolean): void {
    if (this.gone && !idle) return;
    const handles = [this.subprocess, this.subprocess.stdin, this.subprocess.stdout, this.subprocess.stderr, this.subprocess.channel] as ({ ref?: () => void; unref?: () => void } | null | undefined)[];
    for (const handle of handles) (idle ? handle?.unref : handle?.ref)?.call(handle);
  }
}

export type { ResultMessage };
