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
import { scriptedEngine } from '../helpers/fake-engine.js';

export { scriptedEngine, type ScriptedRun } from '../helpers/fake-engine.js';

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
