/**
 * Without the OS sandbox, two jobs that share a folder, one of them allowed to write, do not run
 * at the same time. The WASI path layer checks a path component by component and uvwasi then
 * uses it by name; a guest cannot change the tree in between (it is stopped while a call runs),
 * but a second job writing the same folder can: it swaps a checked folder for a symlink and the
 * first job's call goes through it. Inside bubblewrap each job has its own mount namespace and
 * the swap leads nowhere outside the sandbox, so there jobs run together.
 *
 * Jobs take turns across every plasm-tui process of this user, not only within one: each
 * running job with granted dirs is a small file in `<config dir>/running/` naming its process
 * (pid and start time, so a dead or reused pid is seen as gone) and its dirs; a job starts once
 * no live entry conflicts with it. A directory lock (mkdir) keeps the check and the entry's
 * creation one step. What this cannot cover is a process that is not plasm-tui (the README's
 * security section says so).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { configDir } from '../core/paths.js';
import type { GrantedDir } from './granted-dir.js';

export interface Turn {
  release(): void;
  /** How long the job waited for others using the same folders. */
  waitedMs: number;
  /** Why jobs of other processes could not be waited for (the registry failed), if so. */
  problem?: string;
}

interface Entry {
  pid: number;
  started: string;
  dirs: { host: string; dev: number; ino: number; readonly: boolean }[];
}

/** How often a waiting job looks again. */
const POLL_MS = 15;
let sequence = 0;

/** Waits until no running job shares a folder with `dirs` where either may write, then holds the turn. */
export async function takeTurn(dirs: GrantedDir[], signal?: AbortSignal): Promise<Turn> {
  const began = performance.now();
  if (dirs.length === 0) return { release: () => {}, waitedMs: 0 };
  try {
    return await waitForTurn(dirs, began, signal);
  } catch (error) {
    // Said in the job's containment layers, never silently: the job runs without waiting.
    return { release: () => {}, waitedMs: performance.now() - began, problem: `could not wait for other jobs on its folders (${(error as Error).message.split('\n')[0]})` };
  }
}

async function waitForTurn(dirs: GrantedDir[], began: number, signal?: AbortSignal): Promise<Turn> {
  const none = (): Turn => ({ release: () => {}, waitedMs: performance.now() - began });
  const registry = join(configDir(), 'running');
  mkdirSync(registry, { recursive: true, mode: 0o700 });
  const self: Entry = { pid: process.pid, started: startTime(process.pid) ?? '', dirs: dirs.map(({ host, dev, ino, readonly }) => ({ host, dev, ino, readonly })) };
  const file = join(registry, `${process.pid}-${++sequence}.json`);
  let waited = false;
  for (;;) {
    if (signal?.aborted) return none();
    const taken = await locked(registry, signal, () => {
      if (live(registry).some((entry) => conflicts(entry.dirs, self.dirs))) return false;
      writeFileSync(file, JSON.stringify(self), { mode: 0o600, flag: 'wx' });
      return true;
    });
    if (taken) break;
    waited = true;
    await pause(POLL_MS, signal);
  }
  let held = true;
  return {
    release: () => {
      if (!held) return;
      held = false;
      rmSync(file, { force: true });
    },
    waitedMs: waited ? performance.now() - began : 0,
  };
}

/** The entries of jobs still running; those of processes that are gone are removed. */
function live(registry: string): Entry[] {
  const entries: Entry[] = [];
  for (const name of readdirSync(registry)) {
    if (!name.endsWith('.json')) continue;
    let entry: Entry;
    try {
      entry = JSON.parse(readFileSync(join(registry, name), 'utf8')) as Entry;
    } catch {
      continue; // being written by its owner (never: written under the lock), or foreign
    }
    if (startTime(entry.pid) === entry.started) entries.push(entry);
    else rmSync(join(registry, name), { force: true });
  }
  return entries;
}

/** Runs `step` holding the registry's lock (a directory: mkdir is atomic); null if cancelled. */
async function locked<T>(registry: string, signal: AbortSignal | undefined, step: () => T): Promise<T | null> {
  const lock = join(registry, 'lock');
  for (;;) {
    try {
      mkdirSync(lock, { mode: 0o700 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Held by a process that died holding it: take it over.
      let owner: Entry | null = null;
      try {
        owner = JSON.parse(readFileSync(join(lock, 'owner'), 'utf8')) as Entry;
      } catch {
        // just created, owner not written yet: wait
      }
      const orphaned = owner ? startTime(owner.pid) !== owner.started : Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 2000;
      if (orphaned) rmSync(lock, { recursive: true, force: true });
      else await pause(1, signal);
      if (signal?.aborted) return null;
    }
  }
  try {
    writeFileSync(join(lock, 'owner'), JSON.stringify({ pid: process.pid, started: startTime(process.pid) ?? '', dirs: [] }));
    return step();
  } finally {
    try {
      unlinkSync(join(lock, 'owner'));
    } catch {
      // taken over meanwhile
    }
    rmSync(lock, { recursive: true, force: true });
  }
}

/** A process's start time (clock ticks since boot, /proc/<pid>/stat field 22), or null if it is gone. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so count after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function conflicts(a: Entry['dirs'], b: Entry['dirs']): boolean {
  return a.some((x) => b.some((y) => (!x.readonly || !y.readonly) && overlap(x, y)));
}

/** The same directory, or one inside the other. */
function overlap(x: Entry['dirs'][number], y: Entry['dirs'][number]): boolean {
  if (x.dev === y.dev && x.ino === y.ino) return true;
  const inside = (inner: string, outer: string): boolean => inner === outer || inner.startsWith(outer.endsWith('/') ? outer : `${outer}/`);
  return inside(x.host, y.host) || inside(y.host, x.host);
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
