/**
 * Stopping a worker so that every process of the launch is reaped. Under bwrap the process we
 * started is bwrap, the worker is its grandchild: SIGKILL to bwrap orphans its children, and
 * they linger as zombies of PID 1 (a container's init may never reap them). Killing bwrap's
 * children instead (its init in the sandbox's PID namespace, which takes the worker with it)
 * lets bwrap reap them and exit on its own; bwrap itself is killed only if it has not gone a
 * moment later.
 */
import { readdirSync, readFileSync } from 'node:fs';

const GRACE_MS = 500;

export function stopLaunch(pid: number | undefined, nested: boolean, killOuter: () => void): void {
  const inner = nested && pid !== undefined ? childrenOf(pid) : [];
  if (inner.length === 0) return killOuter();
  for (const child of inner) {
    try {
      process.kill(child, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  setTimeout(killOuter, GRACE_MS).unref();
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return children;
}
