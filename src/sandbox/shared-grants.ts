/**
 * Without the OS sandbox, two jobs that share a folder, one of them allowed to write, do not run
 * at the same time in this process. The WASI path layer checks a path component by component
 * and uvwasi then uses it by name; a guest cannot change the tree in between (it is stopped
 * while a call runs), but a second job writing the same folder can: it swaps a checked folder
 * for a symlink and the first job's call goes through it. Inside bubblewrap each job has its own
 * mount namespace and the swap leads nowhere outside the sandbox, so there jobs run together.
 * Jobs in other processes are not seen here (see the README's security section).
 */
import { performance } from 'node:perf_hooks';
import type { GrantedDir } from './granted-dir.js';

interface Holder {
  dirs: GrantedDir[];
  done: Promise<void>;
}

const running = new Set<Holder>();

export interface Turn {
  release(): void;
  /** How long the job waited for others using the same folders. */
  waitedMs: number;
}

/** Waits until no running job shares a folder with `dirs` where either may write, then holds the turn. */
export async function takeTurn(dirs: GrantedDir[], signal?: AbortSignal): Promise<Turn> {
  const began = performance.now();
  if (dirs.length === 0) return { release: () => {}, waitedMs: 0 };
  for (;;) {
    if (signal?.aborted) return { release: () => {}, waitedMs: performance.now() - began };
    const other = [...running].find((holder) => conflicts(holder.dirs, dirs));
    if (!other) break;
    await new Promise<void>((resolve) => {
      void other.done.then(resolve);
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  }
  let release!: () => void;
  const holder: Holder = { dirs, done: new Promise((resolve) => (release = resolve)) };
  running.add(holder);
  return {
    release: () => {
      running.delete(holder);
      release();
    },
    waitedMs: performance.now() - began,
  };
}

function conflicts(a: GrantedDir[], b: GrantedDir[]): boolean {
  return a.some((x) => b.some((y) => (!x.readonly || !y.readonly) && overlap(x, y)));
}

/** The same directory, or one inside the other. */
function overlap(x: GrantedDir, y: GrantedDir): boolean {
  if (x.dev === y.dev && x.ino === y.ino) return true;
  const inside = (inner: string, outer: string): boolean => inner === outer || inner.startsWith(outer.endsWith('/') ? outer : `${outer}/`);
  return inside(x.host, y.host) || inside(y.host, x.host);
}
