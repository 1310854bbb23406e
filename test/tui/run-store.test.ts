import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { fakeEngine } from '../helpers/fake-engine.js';
import { sha256 } from '../../src/core/hash.js';
import { loadOrCreateNodeKey } from '../../src/core/keys.js';
import { createEngine, jobFromModule, type RunEvent } from '../../src/engine/index.js';
import { RunStore } from '../../src/tui/runs/run-store.js';
import { receiptFolder } from '../../src/engine/receipt-store.js';
import { WAT, cli } from '../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plasm-tui-runs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const key = loadOrCreateNodeKey(join(mkdtempSync(join(tmpdir(), 'plasm-tui-key-')), 'node.key'));

const job = (id = '/w/job') => ({ id, spec: {} as never, moduleHash: sha256('m'), manifestHash: null });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('RunStore', () => {
  it('streams output into the running record and records the outcome', async () => {
    const engine = fakeEngine();
    const store = new RunStore({ root: dir, engine, publicKeyHex: key.publicKeyHex });
    let notified = 0;
    store.subscribe(() => notified++);
    const record = store.start(job(), 'input');
    expect(engine.runs[0]?.options.stdin).toBe('input');
    expect(store.isRunning('/w/job')).toBe(true);
    const emit = engine.runs[0]?.options.onEvent as (event: RunEvent) => void;
    emit({ type: 'phase', phase: 'running', at_ms: 5 });
    emit({ type: 'stdout', chunk: Buffer.from('hello\n') });
    expect(record?.phase).toBe('running');
    expect(record?.output.view()).toEqual([{ stream: 'stdout', text: 'hello' }]);
    engine.runs[0]?.finish('hello\n');
    await settle();
    expect(store.isRunning('/w/job')).toBe(false);
    expect(record?.outcome).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(record?.changed).toBeNull();
    expect(notified).toBeGreaterThanOrEqual(4);
  });

  it('numbers runs per job and tells whether the output changed since the last finished run', async () => {
    const engine = fakeEngine();
    const store = new RunStore({ root: dir, engine, publicKeyHex: key.publicKeyHex });
    const outputs = ['a', 'a', 'b'];
    const records = [];
    for (const [i, output] of outputs.entries()) {
      records.push(store.start(job(), ''));
      engine.runs[i]?.finish(output);
      await settle();
    }
    expect(records.map((r) => r?.no)).toEqual([1, 2, 3]);
    expect(records.map((r) => r?.changed)).toEqual([null, false, true]);
    expect(store.start(job('/w/other'), '')?.no).toBe(1);
  });

  it('cancels the run in flight when the job is started again, and marks it superseded', async () => {
    const engine = fakeEngine();
    const store = new RunStore({ root: dir, engine, publicKeyHex: key.publicKeyHex });
    const first = store.start(job(), '');
    const second = store.start(job(), '');
    await settle();
    expect(engine.runs[0]?.cancelled).toBe(true);
    expect(first).toMatchObject({ superseded: true, changed: null });
    expect(first?.outcome?.status).toBe('cancelled');
    expect(store.latest('/w/job')).toBe(second);
    expect(store.isRunning('/w/job')).toBe(true);
    // `≠` compares with the last run that finished, not the cancelled one.
    engine.runs[1]?.finish('x');
    await settle();
    expect(second?.changed).toBeNull();
  });

  it('cancels on request and on close, and starts nothing once closed', async () => {
    const engine = fakeEngine();
    const store = new RunStore({ root: dir, engine, publicKeyHex: key.publicKeyHex });
    expect(store.cancel('/w/job')).toBe(false);
    store.start(job('/w/a'), '');
    store.start(job('/w/b'), '');
    expect(store.cancel('/w/a')).toBe(true);
    expect(store.runningCount()).toBe(2);
    await store.close();
    expect(engine.runs.every((run) => run.cancelled)).toBe(true);
    expect(store.runningCount()).toBe(0);
    expect(store.start(job(), '')).toBeNull();
  });

  it('shows an engine failure as an error outcome instead of throwing', async () => {
    const store = new RunStore({
      root: dir,
      engine: { ...fakeEngine(), start: () => ({ result: Promise.reject(new Error('boom')), cancel: () => {} }) },
      publicKeyHex: key.publicKeyHex,
    });
    const record = store.start(job(), '');
    await settle();
    await settle();
    expect(record?.outcome).toMatchObject({ status: 'error' });
    expect(record?.outcome?.message).toContain('boom');
  });

  it('with the real engine: keeps stdout and stderr in the order the module wrote them, in the log and the saved output', async () => {
    copyFileSync(join(WAT, 'interleave.wat'), join(dir, 'interleave.wat'));
    const store = new RunStore({ root: dir, engine: createEngine({ config: DEFAULT_CONFIG, key }), publicKeyHex: key.publicKeyHex });
    const spec = jobFromModule(join(dir, 'interleave.wat'), DEFAULT_CONFIG);
    // Several runs: the two pipes race each other differently each time; the order must not.
    for (let i = 0; i < 5; i++) {
      const record = store.start({ id: spec.modulePath, spec, moduleHash: null, manifestHash: null }, '');
      await store.whenIdle();
      expect(record?.output.view()).toEqual([
        { stream: 'stdout', text: 'out1' },
        { stream: 'stderr', text: 'err1' },
        { stream: 'stdout', text: 'out2' },
        { stream: 'stderr', text: 'err2' },
      ]);
    }
    const saved = readFileSync(join(dir, '.plasm', 'receipts', 'interleave.wat', '0005.output.txt'), 'utf8');
    expect(saved.split('\n').map((line) => line.replace(/^\W+ ?/, ''))).toEqual(['out1', 'err1', 'out2', 'err2', '']);
  });

  it('with the real engine: saves each receipt under .plasm/receipts and verifies it against the node key', async () => {
    copyFileSync(join(WAT, 'echo.wat'), join(dir, 'echo.wat'));
    const store = new RunStore({ root: dir, engine: createEngine({ config: DEFAULT_CONFIG, key }), publicKeyHex: key.publicKeyHex });
    const spec = jobFromModule(join(dir, 'echo.wat'), DEFAULT_CONFIG);
    const record = store.start({ id: spec.modulePath, spec, moduleHash: null, manifestHash: null }, 'ping');
    await store.whenIdle();
    expect(record?.outcome).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(record?.output.view()).toEqual([{ stream: 'stdout', text: 'ping' }]);
    expect(record?.receipt).toMatchObject({ verified: true, problem: '', savedTo: join('.plasm', 'receipts', 'echo.wat', '0001.json'), signer: key.publicKeyHex });
    expect(record?.receipt?.inputHash).toBe(sha256('ping'));
    const saved = JSON.parse(readFileSync(join(dir, '.plasm', 'receipts', 'echo.wat', '0001.json'), 'utf8')) as { input_hash: string };
    expect(saved.input_hash).toBe(sha256('ping'));
  });

  it('does not call a receipt verified when another key signed it', async () => {
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'hello.wat'));
    const other = loadOrCreateNodeKey(join(mkdtempSync(join(tmpdir(), 'plasm-tui-key-')), 'node.key'));
    // The engine signs with `other`; the store checks against its own key.
    const store = new RunStore({ root: dir, engine: createEngine({ config: DEFAULT_CONFIG, key: other }), publicKeyHex: key.publicKeyHex });
    const spec = jobFromModule(join(dir, 'hello.wat'), DEFAULT_CONFIG);
    const record = store.start({ id: spec.modulePath, spec, moduleHash: null, manifestHash: null }, '');
    await store.whenIdle();
    expect(record?.receipt?.verified).toBe(false);
    expect(record?.receipt?.problem).toMatch(/not the pinned key/);
    expect(existsSync(join(dir, '.plasm', 'receipts', 'hello.wat', '0001.json'))).toBe(true);
  });

  it('saves the exact stdin, stdout and stderr beside the receipt, and verify passes on them', async () => {
    copyFileSync(join(WAT, 'echo.wat'), join(dir, 'echo.wat'));
    const store = new RunStore({ root: dir, engine: createEngine({ config: DEFAULT_CONFIG, key }), publicKeyHex: key.publicKeyHex });
    const spec = jobFromModule(join(dir, 'echo.wat'), DEFAULT_CONFIG);
    store.start({ id: spec.modulePath, spec, moduleHash: null, manifestHash: null }, 'tab\there, \x1b[2J and é');
    await store.whenIdle();
    const folder = join(dir, '.plasm', 'receipts', 'echo.wat');
    expect(readFileSync(join(folder, '0001.stdin'), 'utf8')).toBe('tab\there, \x1b[2J and é');
    expect(readFileSync(join(folder, '0001.stdout'), 'utf8')).toBe('tab\there, \x1b[2J and é');
    const files = ['--stdin', '0001.stdin', '--stdout', '0001.stdout', '--stderr', '0001.stderr'].map((arg) => (arg.startsWith('--') ? arg : join(folder, arg)));
    const verified = await cli(['verify', '--pubkey', key.publicKeyHex, join(folder, '0001.json'), ...files]);
    expect(verified.stdout).toContain('0001.json: verified');
    expect(verified.exitCode).toBe(0);
    // The display text is not the bytes: it is what the pager shows.
    const display = await cli(['verify', '--pubkey', key.publicKeyHex, join(folder, '0001.json'), '--stdout', join(folder, '0001.output.txt')]);
    expect(display.exitCode).not.toBe(0);
  });

  it('keeps the receipts of same-name jobs apart: one folder per job path, flattened one to one', async () => {
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    copyFileSync(join(WAT, 'echo.wat'), join(dir, 'a', 'main.wat'));
    copyFileSync(join(WAT, 'echo.wat'), join(dir, 'b', 'main.wat'));
    copyFileSync(join(WAT, 'echo.wat'), join(dir, 'a_main.wat'));
    const store = new RunStore({ root: dir, engine: createEngine({ config: DEFAULT_CONFIG, key }), publicKeyHex: key.publicKeyHex });
    for (const path of [join(dir, 'a', 'main.wat'), join(dir, 'b', 'main.wat'), join(dir, 'a_main.wat')]) {
      const spec = jobFromModule(path, DEFAULT_CONFIG);
      store.start({ id: path, spec, moduleHash: null, manifestHash: null }, path);
    }
    await store.whenIdle();
    expect(readdirSync(join(dir, '.plasm', 'receipts')).sort()).toEqual(['a_2fmain.wat', 'a_5fmain.wat', 'b_2fmain.wat']);
    for (const folder of ['a_2fmain.wat', 'a_5fmain.wat', 'b_2fmain.wat']) expect(readdirSync(join(dir, '.plasm', 'receipts', folder)).sort()).toEqual(['0001.json', '0001.output.txt', '0001.stderr', '0001.stdin', '0001.stdout']);
    expect(receiptFolder(dir, join(dir, '..'))).toBe('_2e_2e');
  });
});
