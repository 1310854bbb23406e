// Reading the process table from /proc: who descends from whom, what they run, how much
// memory they have held. Used to find a job's worker process from outside, as a user could.
import { readdirSync, readFileSync } from 'node:fs';
import { WORKER_PATH } from '../../src/sandbox/node-flags.js';

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** pid → parent pid, for every process now. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    if (stat) map.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
  }
  return map;
}

/** Every process below `pid` (children, their children …). */
export function descendants(pid: number): number[] {
  const table = parents();
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const next = [...table].filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    found.push(...next);
    frontier = next;
  }
  return found;
}

export function argv(pid: number): string[] {
  return (read(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean);
}

/** The worker itself: the Node runtime running the sandbox worker script (not bwrap, not prlimit). */
export function isWorker(pid: number): boolean {
  const args = argv(pid);
  return args[0] === process.execPath && args.at(-1) === WORKER_PATH;
}

/** Peak resident memory in bytes (VmHWM), or null once the process is gone. */
export function peakRss(pid: number): number | null {
  const kb = /VmHWM:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`) ?? '')?.[1];
  return kb ? Number(kb) * 1024 : null;
}

/** Gone, or a zombie nobody has reaped yet (it runs nothing and holds no memory). */
export function isGone(pid: number): boolean {
  const stat = read(`/proc/${pid}/stat`);
  return stat === null || stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
}

