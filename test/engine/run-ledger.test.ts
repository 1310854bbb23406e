// The run ledger (src/engine/ledger/run-ledger.ts) holds the rules the TUI and `watch` used to
// keep in two copies: one run per job (a new one cancels the old, marked superseded), numbering,
// the build a run really used, receipts saved once. Here one ledger is driven directly, and then
// shared by the TUI's run store and a watch of the same folder: each sees and numbers the
// other's runs, and a run started in one supersedes the other's.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { sha256 } from '../../src/core/hash.js';
import { loadOrCreateNodeKey } from '../../src/core/keys.js';
import { createEngine, FolderRunner, jobFromModule, receiptFolder, type WatchEvent } from '../../src/engine/index.js';
import { RunLedger, type LedgerRun } from '../../src/engine/ledger/run-ledger.js';
import { RunStore } from '../../src/tui/runs/run-store.js';
import { EXAMPLES } from '../helpers/cli.js';
import { fakeEngine } from '../helpers/fake-engine.js';
import { until } from '../helpers/poll.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const scratch = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-ledger-'));
  made.push(dir);
  return dir;
};
const key = loadOrCreateNodeKey(join(mkdtempSync(join(tmpdir(), 'plasm-ledger-key-')), 'node.key'));
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('RunLedger', () => {
  it('runs one run per job: a new one cancels the old, which is marked superseded; runs are numbered per job', async () => {
    const engine = fakeEngine();
    const ledger = new RunLedger({ engine, root: scratch(), saveReceipts: false });
    const job = { id: 'a.wasm', spec: {} as never, moduleHash: sha256('1'), manifestHash: null };
    const first = ledger.start(job) as LedgerRun;
    const second = ledger.start(job) as LedgerRun;
    expect(engine.runs[0]?.cancelled).toBe(true);
    expect([first.superseded, second.superseded]).toEqual([true, false]);
    expect([first.no, second.no]).toEqual([1, 2]);
    expect(ledger.isRunning('a.wasm')).toBe(true);
    engine.runs[1]?.finish('done');
    await ledger.whenIdle();
    expect(ledger.isRunning('a.wasm')).toBe(false);
    expect(ledger.latest('a.wasm')?.result?.stdout.toString()).toBe('done');
    // Numbers go on after runs saved before.
    ledger.numberFrom('b.wasm', 41);
    expect(ledger.start({ ...job, id: 'b.wasm' })?.no).toBe(42);
    engine.runs[2]?.finish('');
    await ledger.whenIdle();
  });

  it('numbers a job\'s runs after the receipts kept for it before (run N is NNNN.json), for the TUI and watch alike', async () => {
    const root = scratch();
    mkdirSync(join(root, '.plasm', 'receipts', 'a.wasm'), { recursive: true });
    writeFileSync(join(root, '.plasm', 'receipts', 'a.wasm', '0007.json'), '{}');
    const engine = fakeEngine();
    const ledger = new RunLedger({ engine, root });
    expect(ledger.start({ id: join(root, 'a.wasm'), spec: {} as never, moduleHash: sha256('1'), manifestHash: null })?.no).toBe(8);
    expect(ledger.start({ id: join(root, 'b.wasm'), spec: {} as never, moduleHash: sha256('1'), manifestHash: null })?.no).toBe(1);
    for (const run of engine.runs) run.finish('');
    await ledger.whenIdle();
  });

  it('knows the build a run really used: the bytes the engine read, not the listing', async () => {
    const engine = fakeEngine();
    const ledger = new RunLedger({ engine, root: scratch(), saveReceipts: false });
    const listed = { id: 'a.wasm', spec: {} as never, moduleHash: sha256('1'), manifestHash: null };
    ledger.start(listed, { why: 'rebuild' });
    expect(engine.runs[0]?.options.expectModuleHash).toBe(sha256('1'));
    expect(ledger.ranBuild(listed)).toBe(true);
    // The run read a newer build than the listing knew: that build has run, the listed one not.
    engine.runs[0]?.emit({ type: 'phase', phase: 'starting', at_ms: 1, module_hash: sha256('2') });
    expect(ledger.ranBuild({ ...listed, moduleHash: sha256('2') })).toBe(true);
    expect(ledger.ranBuild(listed)).toBe(false);
    engine.runs[0]?.finish('');
    await settle();
  });
});

describe('one ledger shared by the TUI and watch', () => {
  it('tells of a run\'s end before its receipt is written, and of the finish once it is; the store shows the outcome first', async () => {
    const root = scratch();
    copyFileSync(join(EXAMPLES, 'hello', 'hello.wasm'), join(root, 'hello.wasm'));
    const engine = createEngine({ config: DEFAULT_CONFIG, key });
    const ledger = new RunLedger({ engine, root });
    const store = new RunStore({ root, engine, publicKeyHex: key.publicKeyHex, ledger });
    const id = join(root, 'hello.wasm');
    const receipts = () => {
      try {
        return readdirSync(join(root, '.plasm', 'receipts', receiptFolder(root, id))).filter((f) => f.endsWith('.json'));
      } catch {
        return [];
      }
    };
    const seen: string[] = [];
    ledger.listen({
      ended: (run) => {
        const record = store.latest(id);
        seen.push(`ended: result ${run.result?.status}, receipts on disk ${receipts().length}, shown ${record?.outcome?.status} (receipt ${record?.receiptPending ? 'pending' : 'not pending'})`);
      },
      finished: (run) => {
        const record = store.latest(id);
        seen.push(`finished: saved as ${run.receiptPath}, receipts on disk ${receipts().length}, shown ${record?.outcome?.status} (receipt ${record?.receipt?.verified ? 'verified' : 'not yet'})`);
      },
    });
    store.start({ id, spec: jobFromModule(id, DEFAULT_CONFIG), moduleHash: sha256(''), manifestHash: null }, 'hi');
    await ledger.whenIdle();
    expect(seen).toEqual([
      'ended: result ok, receipts on disk 0, shown ok (receipt pending)',
      'finished: saved as .plasm/receipts/hello.wasm/0001.json, receipts on disk 1, shown ok (receipt verified)',
    ]);
    expect(store.latest(id)).toMatchObject({ receiptPending: false, receipt: { verified: true }, fullOutput: '.plasm/receipts/hello.wasm/0001.output.txt' });
    await store.close();
    await engine.close();
  });

  it('each sees the other\'s runs, numbers them in one sequence, saves each receipt once, and a run in one supersedes the other\'s', async () => {
    const root = scratch();
    copyFileSync(join(EXAMPLES, 'hello', 'hello.wasm'), join(root, 'hello.wasm'));
    const engine = createEngine({ config: DEFAULT_CONFIG, key });
    const ledger = new RunLedger({ engine, root });
    const store = new RunStore({ root, engine, publicKeyHex: key.publicKeyHex, ledger });
    const events: WatchEvent[] = [];
    const watch = new FolderRunner(engine, root, (event) => events.push(event), { ledger });
    watch.start();
    const finished = () => events.filter((e): e is Extract<WatchEvent, { type: 'run_finished' }> => e.type === 'run_finished');
    // The watch's first run: the TUI's store shows it, as run #1, with its verified receipt.
    await until(() => finished().length === 1, 'the watch\'s first run');
    const id = join(root, 'hello.wasm');
    await until(() => store.latest(id)?.outcome != null, 'the store to hear of it');
    expect(store.latest(id)).toMatchObject({ no: 1, outcome: { status: 'ok' }, receipt: { verified: true, savedTo: '.plasm/receipts/hello.wasm/0001.json' } });
    // The TUI starts the job twice: the watch reports both, the first cancelled by the second.
    const job = { id, spec: jobFromModule(join(root, 'hello.wasm'), DEFAULT_CONFIG), moduleHash: sha256(''), manifestHash: null };
    const a = store.start(job, 'one');
    const b = store.start(job, 'two');
    expect([a?.no, b?.no]).toEqual([2, 3]);
    await ledger.whenIdle();
    await until(() => finished().length === 3, 'both runs reported by the watch');
    expect(events.filter((e) => e.type === 'run_started').map((e) => (e as { why: string }).why)).toEqual(['initial', 'user', 'user']);
    expect(finished().map((e) => [e.run, e.status])).toEqual([[1, 'ok'], [2, 'cancelled'], [3, 'ok']]);
    expect(a?.superseded).toBe(true);
    expect(b?.output.view()).toEqual([{ stream: 'stdout', text: 'owt' }]);
    // One receipt per signed run, each saved once, by the ledger.
    const saved = readdirSync(join(root, '.plasm', 'receipts', receiptFolder(root, id))).filter((f) => f.endsWith('.json'));
    expect(saved.length).toBe(finished().filter((e) => e.receipt_path !== null).length);
    expect(new Set(finished().flatMap((e) => (e.receipt_path ? [e.receipt_path] : []))).size).toBe(saved.length);
    await watch.close();
    await store.close();
    await engine.close();
  });
});
