/**
 * Stopping a worker so that every process of the launch goes. A launch is started as a process
 * group of its own (the `detached` spawn in worker-process.ts): under bwrap the process we start
 * is bwrap, and the worker is the grandchild of bwrap's own child (the init of the sandbox's PID
 * namespace, which takes the worker with it when it dies).
 *
 * Killing only the bwrap we started races with its start-up: a child it is cloning at that
 * moment has not yet asked to die with its parent (bwrap sets that after the clone), lives on as
 * an orphan blocked forever, and holds the worker's pipes and IPC channel open, so the program
 * that started it never ends. A signal to the whole group reaches such a child too (the kernel
 * hands a group signal sent during a fork to the new child as well).
 *
 * The children are killed first so bwrap can reap them (an orphaned zombie waits on PID 1, which
 * in a container may never reap it); the group is killed a moment later, and again whenever the
 * launch's first process has exited (see `killGroup`), which takes any straggler with it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const GRACE_MS = 500;

export function stopLaunch(pid: number | undefined, nested: boolean): void {
  if (pid === undefined) return;
  const inner = nested ? childrenOf(pid) : [];
  if (inner.length === 0) return killGroup(pid);
  for (const child of inner) {
    try {
      process.kill(child, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  setTimeout(() => killGroup(pid), GRACE_MS).unref();
}

/** SIGKILL to every process left in the launch's group (none, usually: then it does nothing). */
export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

/**
 * The launch's children. The kernel lists a task's children in one file (bwrap is one thread);
 * a kernel built without that file has /proc read whole (a few ms on a busy machine, each job).
 */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    // the launch is gone (nothing to list), or the kernel has no such file: then the scan
  }
  return existsSync(`/proc/${pid}`) ? scanForChildren(pid) : [];
}

function scanForChildren(pid: number): number[] {
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
