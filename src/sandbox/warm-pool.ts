/**
 * Warm sandboxes: pre-started, single-use workers, so a job does not wait for a Node.js start.
 * Isolation is unchanged — one job per process, never reused — only the start moves earlier.
 *
 * A worker's memory and stack flags, kernel limits and OS-sandbox binds are fixed when it
 * starts, so spares are kept per profile (see worker-process.ts): a job takes a spare started
 * for exactly its profile, or a fresh process when there is none (it then never waits for a
 * spare of another profile). Handing one out starts the next spare of that profile in the
 * background; the profiles of the last few jobs keep one spare each. A spare that dies is
 * replaced (a profile whose spares keep dying is given up on); idle spares wait on IPC, cost no
 * CPU and do not keep the program alive. `close()` stops them.
 *
 * A job with granted dirs gets a spare only when one was prestarted for it (engine.warm with the
 * job): the spare inherited the dirs' descriptors then, and serves a job whose dirs are the
 * very same directories (see granted-dir.ts); it is never topped up from an old profile.
 */
import { performance } from 'node:perf_hooks';
import type { Sandbox } from './sandbox.js';
import { killGroup } from './launch/stop.js';
import { profileOf, runOnWorker, type SandboxRequest, type SandboxResult } from './spawn.js';
import { profileKey, WorkerProcess, type WorkerProfile } from './worker-process.js';

export interface WarmPoolOptions {
  /** Spares kept per profile (default 1; 0 starts none in the background: only `prestart`). */
  spares?: number;
  /** How many recent profiles keep spares (default 2). */
  profiles?: number;
  /** Started before any job, e.g. the config's defaults for a job without grants. */
  initial?: WorkerProfile[];
}

export interface WarmPool extends Sandbox {
  /** Starts a worker for `profile` now, for a job about to come (the CLI's overlap). */
  prestart(profile: WorkerProfile): void;
  /** How many jobs ran on a spare, and how many had to start a fresh process. */
  /** `primed`: jobs whose worker had compiled their module ahead (PrimeMessage in protocol.ts); `sparesPrimed`: idle spares that have. */
  stats(): { warm: number; cold: number; primed: number; spares: number; sparesPrimed: number; replaced: number; sparePids: number[] };
  close(): Promise<void>;
}

/** A spare that died within this long of its start counts as a failing start. */
const EARLY_DEATH_MS = 2000;
/** After this many early deaths in a row a profile gets no more spares. */
const MAX_EARLY_DEATHS = 3;
/** Modules up to this size are compiled ahead by the next spare (bench row 1; the examples are ≤ 1.1 MB). */
const PRIME_MAX_BYTES = 32 * 1024 * 1024;

export function createWarmPool(options: WarmPoolOptions = {}): WarmPool {
  const perProfile = options.spares ?? 1;
  const maxProfiles = options.profiles ?? 2;
  const spares = new Map<string, WorkerProcess[]>();
  /** Each profile's last job's module, for its next spare to compile ahead. */
  const lastModule = new Map<string, Uint8Array>();
  /** Profiles in order of last use, newest last. */
  const recent: WorkerProfile[] = [];
  const earlyDeaths = new Map<string, number>();
  let closed = false;
  const counts = { warm: 0, cold: 0, primed: 0, replaced: 0 };

  const listOf = (key: string): WorkerProcess[] => {
    let list = spares.get(key);
    if (!list) spares.set(key, (list = []));
    return list;
  };

  const start = (profile: WorkerProfile): void => {
    if (closed) return;
    const key = profileKey(profile);
    if ((earlyDeaths.get(key) ?? 0) >= MAX_EARLY_DEATHS) return;
    const worker = WorkerProcess.start(profile);
    if ('problem' in worker) return; // the job itself will report it
    const module = lastModule.get(key);
    if (module) worker.prime(module);
    listOf(key).push(worker);
    void worker.exited.then(() => {
      const list = listOf(key);
      const at = list.indexOf(worker);
      if (at < 0) return; // handed out: its job owns its end
      list.splice(at, 1);
      if (closed) return;
      const early = performance.now() - worker.startedAt < EARLY_DEATH_MS;
      earlyDeaths.set(key, early ? (earlyDeaths.get(key) ?? 0) + 1 : 0);
      counts.replaced++;
      if (recent.some((p) => profileKey(p) === key)) fill(profile);
    });
  };

  /**
   * Tops the profile up to its number of spares. Never for a profile with granted dirs: its
   * descriptors belong to the job that brought them and may be closed (their numbers reused)
   * by the time a spare would start; such spares start only in `prestart`, from live ones.
   */
  const fill = (profile: WorkerProfile): void => {
    if (profile.preopens.length > 0) return;
    const key = profileKey(profile);
    while (!closed && listOf(key).filter((w) => !w.gone).length < perProfile && (earlyDeaths.get(key) ?? 0) < MAX_EARLY_DEATHS) {
      const before = listOf(key).length;
      start(profile);
      if (listOf(key).length === before) return;
    }
  };

  /** Remembers `profile` as recently used; profiles that fall out of the window lose their spares. */
  const touch = (profile: WorkerProfile): void => {
    const key = profileKey(profile);
    const at = recent.findIndex((p) => profileKey(p) === key);
    if (at >= 0) recent.splice(at, 1);
    recent.push(profile);
    while (recent.length > maxProfiles) {
      const old = recent.shift() as WorkerProfile;
      for (const worker of spares.get(profileKey(old)) ?? []) worker.kill();
      spares.delete(profileKey(old));
      lastModule.delete(profileKey(old));
    }
  };

  const take = (key: string): WorkerProcess | undefined => {
    const list = spares.get(key);
    while (list && list.length > 0) {
      const worker = list.shift() as WorkerProcess;
      if (!worker.gone) return worker;
    }
    return undefined;
  };

  for (const profile of options.initial ?? []) {
    touch(profile);
    fill(profile);
  }

  return {
    async run(request: SandboxRequest): Promise<SandboxResult> {
      const began = performance.now();
      const profile = profileOf(request);
      const key = profileKey(profile);
      let worker = take(key);
      const warm = worker !== undefined;
      if (worker) counts.warm++;
      else {
        const fresh = WorkerProcess.start(profile);
        if ('problem' in fresh) {
          const { runInSandbox } = await import('./spawn.js');
          return runInSandbox(request); // reports the refusal the same way a fresh start does
        }
        worker = fresh;
        counts.cold++;
      }
      touch(profile);
      // Its next spare compiles this module while it waits: the same job again skips compiling.
      if (!request.wat && request.fuel == null && request.module.length <= PRIME_MAX_BYTES) lastModule.set(key, request.module);
      else lastModule.delete(key);
      if (worker.primedWith && !request.wat && request.fuel == null && Buffer.from(worker.primedWith).equals(request.module)) counts.primed++;
      const running = runOnWorker(worker, request, began);
      // A job that found its spare has the next one started once it is over. Spawning is 10-15 ms
      // of this process's time (fork copies its page tables) and the new Node's start takes a core
      // for 100 ms more: started at once, both fell inside the job, whose result waited on them
      // (a warm hello took 40 ms instead of 23). A job that found none starts the next at once:
      // jobs are coming faster than spares.
      if (warm) void running.finally(() => setTimeout(() => fill(profile), 0));
      else setImmediate(() => fill(profile));
      return running;
    },
    prestart(profile: WorkerProfile): void {
      if (closed) return;
      start(profile);
    },
    stats: () => {
      const live = [...spares.values()].flat().filter((w) => !w.gone);
      return { ...counts, spares: live.length, sparesPrimed: live.filter((w) => w.primedWith !== null).length, sparePids: live.flatMap((w) => (w.subprocess.pid === undefined ? [] : [w.subprocess.pid])) };
    },
    async close(): Promise<void> {
      closed = true;
      const all = [...spares.values()].flat();
      spares.clear();
      for (const worker of all) worker.kill();
      // A launch that has not gone a while after its worker was killed (a loaded machine, a
      // bwrap slow to reap) is killed outright: closing never waits on it for long.
      const stragglers = setTimeout(() => {
        for (const worker of all) if (!worker.gone && worker.subprocess.pid !== undefined) killGroup(worker.subprocess.pid);
      }, 2000);
      await Promise.all(all.map((worker) => worker.exited));
      clearTimeout(stragglers);
    },
  };
}
