/** A shared harness for the app tests in this folder: a stand-in folder and engine, keys in, frames out. */
import { render } from 'ink-testing-library';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { sha256 } from '../../src/core/hash.js';
import { loadOrCreateNodeKey } from '../../src/core/keys.js';
import { jobFromModule, type Engine, type GrantRequest, type RunEvent, type RunHandle, type RunOptions, type RunResult } from '../../src/engine/index.js';
import type { JobEntry } from '../../src/engine/folder/job-entry.js';
import type { FolderSnapshot } from '../../src/engine/folder/job-folder.js';
import { App, type AppProps } from '../../src/tui/app.js';
import { RunStore, type RunStoreOptions } from '../../src/tui/runs/run-store.js';
import { WAT } from '../helpers/cli.js';
import { ceiling } from '../helpers/ceiling.js';

export const ROOT = WAT;
export const key = loadOrCreateNodeKey();
export const ENTER = '\r';
export const ESC = '\x1b';

export class FakeFolder {
  constructor(readonly root = ROOT) {}
  private readonly listeners = new Set<() => void>();
  private current: FolderSnapshot = { jobs: [], ready: true, error: null };
  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  snapshot = () => this.current;
  set(jobs: JobEntry[], ready = true, notice: string | null = null): void {
    this.current = { jobs, ready, error: null, notice };
    for (const listener of this.listeners) listener();
  }
}

export function moduleJob(name: string, root = ROOT): JobEntry {
  const path = join(root, `${name}.wat`);
  return { id: path, name, relPath: `${name}.wat`, kind: 'module', spec: jobFromModule(path, DEFAULT_CONFIG), error: null, warning: null, moduleHash: `sha256:${name}` as never, manifestHash: null };
}

export interface ScriptedRun {
  name: string;
  options: RunOptions;
  cancelled: boolean;
  emit: (event: RunEvent) => void;
  end: (result: Partial<RunResult>) => void;
}

/** An engine whose runs end when the test says, with the result it gives. */
export function scriptedEngine(pending: (spec: { manifestPath?: string | null }) => GrantRequest | null = () => null) {
  const runs: ScriptedRun[] = [];
  const allowed: GrantRequest[] = [];
  const start = (spec: { name?: string }, options: RunOptions = {}): RunHandle => {
    let resolve!: (result: RunResult) => void;
    const result = new Promise<RunResult>((r) => {
      resolve = r;
    });
    const name = spec.name ?? 'fake';
    const run: ScriptedRun = {
      name,
      options,
      cancelled: false,
      emit: (event) => options.onEvent?.(event),
      end: (extra) =>
        resolve({
          job: name,
          status: 'ok',
          exit_code: 0,
          message: 'The job exited with code 0.',
          stdout: Buffer.alloc(0),
          stderr: Buffer.alloc(0),
          stdout_truncated: false,
          stderr_truncated: false,
          timing: { start_ms: 1, compile_ms: 2, run_ms: 3, total_ms: 6 },
          usage: { memory_peak_bytes: null, fuel_consumed: null },
          module_hash: null,
          input_hash: sha256(''),
          containment: [],
          output_order: null,
          receipt: null,
          ...extra,
        }),
    };
    runs.push(run);
    return {
      result,
      cancel: () => {
        run.cancelled = true;
        run.end({ status: 'cancelled', exit_code: null, message: 'Cancelled.' });
      },
    };
  };
  const engine = {
    runs,
    allowed,
    start: start as never as Engine['start'],
    pendingGrants: (spec: never) => {
      const request = pending(spec);
      return request && !allowed.some((a) => a.hash === request.hash) ? request : null;
    },
    allow: (request: GrantRequest): void => {
      allowed.push(request);
    },
  };
  return engine;
}

const instances: ReturnType<typeof render>[] = [];
afterEach(() => {
  for (const instance of instances.splice(0)) instance.unmount();
});

export interface SetupOptions {
  columns?: number;
  rows?: number;
  engine?: ReturnType<typeof scriptedEngine>;
  store?: Partial<RunStoreOptions>;
  root?: string;
  props?: Partial<AppProps>;
}

export function setup(jobs: JobEntry[], options: SetupOptions = {}) {
  const folder = new FakeFolder(options.root ?? ROOT);
  folder.set(jobs);
  const engine = options.engine ?? scriptedEngine();
  const store = new RunStore({ root: folder.root, engine, publicKeyHex: key.publicKeyHex, ...options.store });
  const instance = render(<App folder={folder} store={store} dirLabel="fixtures" {...options.props} />);
  instances.push(instance);
  // ink-testing-library's stdout is 100 columns; the app reads its size from there.
  if (options.columns !== undefined || options.rows !== undefined) {
    const stdout = instance.stdout as unknown as NodeJS.EventEmitter;
    Object.defineProperty(stdout, 'columns', { value: options.columns ?? 100, configurable: true });
    Object.defineProperty(stdout, 'rows', { value: options.rows ?? 24, configurable: true });
    stdout.emit('resize');
  }
  const frame = () => (instance.lastFrame() ?? '').replace(/\x1b\[[0-9;]*m/g, '');
  const waitFor = async (check: (frame: string) => boolean, what: string) => {
    const deadline = Date.now() + ceiling(3000);
    while (!check(frame())) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. Frame:\n${frame()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return frame();
  };
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      instance.stdin.write(k);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const input = instance as { stdin: { write(data: string): void } };
  return { folder, engine, store, frame, waitFor, press, instance: input };
}
