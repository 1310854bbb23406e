// `plasm-tui watch --json` as a child process: its events as they arrive, and a stop that never
// waits forever (a watcher stuck at 100% CPU is killed, so a regression fails instead of hanging).
import { execa, type ResultPromise } from 'execa';
import type { WatchEvent } from '../../src/sdk/index.js';
import { BIN } from './cli.js';

export interface WatchProcess {
  child: ResultPromise;
  events(): WatchEvent[];
  /** Every event about the job whose id (path relative to the folder) is `id`. */
  about(id: string): WatchEvent[];
  stop(): Promise<void>;
}

export function watchJson(dir: string, flags: string[] = [], env: Record<string, string | undefined> = {}): WatchProcess {
  const child = execa(process.execPath, [BIN, 'watch', dir, '--json', ...flags], {
    reject: false,
    env: { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, PLASM_OS_SANDBOX: process.env.PLASM_OS_SANDBOX, ...env },
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const events = (): WatchEvent[] =>
    out
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as WatchEvent);
  return {
    child,
    events,
    about: (id) => events().filter((e) => 'job' in e && e.job.id === id),
    stop: async () => {
      child.kill('SIGKILL');
      await child;
    },
  };
}
