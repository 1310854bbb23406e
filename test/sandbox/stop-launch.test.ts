// Stopping a worker while it starts: every process of its launch goes, and nothing it started is
// left holding this program's pipes. bwrap clones the sandbox's init early in its start-up, and
// that child asks to die with bwrap only a moment later: killing bwrap alone in between left the
// child blocked for ever, holding the worker's stdio and IPC channel, so `watch` never ended.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { osSandboxMode } from '../../src/sandbox/launch/detect.js';
import { WorkerProcess, type WorkerProfile } from '../../src/sandbox/worker-process.js';
import { ceiling } from '../helpers/ceiling.js';
import { until } from '../helpers/poll.js';

const profile: WorkerProfile = { memoryCapBytes: 64 << 20, stackKb: 984, preopens: [], timeoutMs: 30_000, wat: false, osSandbox: osSandboxMode() };

/** Processes (pid → command line) whose process group is one of `groups`. */
function membersOf(groups: Set<number>): Map<number, string> {
  const found = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z' && groups.has(Number(pgid))) found.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

describe(`a worker stopped while it starts (${String(osSandboxMode())})`, () => {
  it('leaves no process of its launch behind, and gives its pipes back', async () => {
    const start = (): WorkerProcess => {
      const worker = WorkerProcess.start(profile);
      if (!(worker instanceof WorkerProcess)) throw new Error(worker.problem);
      workers.push(worker);
      return worker;
    };
    const workers: WorkerProcess[] = [];
    // How long a start-up takes here, now.
    const first = start();
    await first.ready;
    const bootMs = (first.readyAt as number) - first.startedAt;
    first.kill();
    // Eight at a time (a busy machine), killed at 40 moments spread over the start-up, twice: before bwrap has cloned, while it clones,
    // while its child sets up the sandbox, while node boots.
    for (let i = 0; i < 80; i++) {
      const worker = start();
      setTimeout(() => worker.kill(), (bootMs * (i % 40)) / 40);
      if (i % 8 === 7) await Promise.all(workers.slice(-8).map((w) => w.exited));
    }
    // `exited` settles once the process is gone and its stdio has closed: nobody holds them.
    const all = Promise.all(workers.map((w) => w.exited));
    await expect(Promise.race([all.then(() => 'all gone'), new Promise((resolve) => setTimeout(resolve, ceiling(30_000), 'still held'))])).resolves.toBe('all gone');
    const groups = new Set(workers.map((w) => w.subprocess.pid as number));
    await until(() => membersOf(groups).size === 0, 'no process left in any launch group');
    expect([...membersOf(groups).values()]).toEqual([]);
  });
});
