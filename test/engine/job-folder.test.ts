import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { sha256 } from '../../src/core/hash.js';
import { JobFolder } from '../../src/engine/folder/job-folder.js';
import { isWholeModule, settleModule } from '../../src/engine/folder/settle-module.js';
import { Slots } from '../../src/engine/folder/slots.js';
import { ceiling } from '../helpers/ceiling.js';
import { EXAMPLES, WAT } from '../helpers/cli.js';
import { until } from '../helpers/poll.js';

let dir: string;
let folder: JobFolder | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plasm-tui-folder-'));
});
afterEach(async () => {
  await folder?.close();
  folder = undefined;
  rmSync(dir, { recursive: true, force: true });
});


const names = () => folder?.snapshot().jobs.map((job) => job.name) ?? [];

describe('JobFolder', () => {
  it('does not follow symlinks: a link to / is not walked, linked modules and manifests are not jobs', async () => {
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'hello.wat'));
    symlinkSync('/', join(dir, 'r'));
    // A folder outside the watched one, holding a module: reachable only through the link.
    const outside = mkdtempSync(join(tmpdir(), 'plasm-tui-outside-'));
    copyFileSync(join(WAT, 'echo.wat'), join(outside, 'echo.wat'));
    symlinkSync(outside, join(dir, 'linked-dir'));
    symlinkSync(join(outside, 'echo.wat'), join(dir, 'linked.wat'));
    writeFileSync(join(outside, 'secret.json'), JSON.stringify({ version: '0.2', module: 'echo.wat', env: { TOKEN: 'x' } }));
    symlinkSync(join(outside, 'secret.json'), join(dir, 'plasm.json'));
    folder = new JobFolder(dir, DEFAULT_CONFIG);
    folder.start();
    const started = Date.now();
    await until(() => folder?.snapshot().ready, 'the first scan');
    // Walking / would take minutes and find thousands of files; the scan sees only the folder.
    expect(Date.now() - started).toBeLessThan(ceiling(5000)); // a guard, scaled for the machine
    expect(names()).toEqual(['hello']);
    rmSync(outside, { recursive: true, force: true });
  });

  it('lists jobs live as files are added, changed and removed, skipping ignored folders', async () => {
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'hello.wat'));
    mkdirSync(join(dir, 'node_modules'));
    mkdirSync(join(dir, '.plasm'));
    copyFileSync(join(WAT, 'echo.wat'), join(dir, 'node_modules', 'echo.wat'));
    writeFileSync(join(dir, '.plasm', 'x.manifest.json'), '{}');
    folder = new JobFolder(dir, DEFAULT_CONFIG);
    folder.start();
    await until(() => folder?.snapshot().ready && names().length === 1, 'the first scan');
    expect(names()).toEqual(['hello']);

    mkdirSync(join(dir, 'deep', 'er'), { recursive: true });
    copyFileSync(join(WAT, 'exit-42.wat'), join(dir, 'deep', 'er', 'exit-42.wat'));
    await until(() => names().includes('exit-42'), 'a module in a subfolder');

    writeFileSync(join(dir, 'exit.manifest.json'), JSON.stringify({ version: '0.2', name: 'forty-two', module: 'deep/er/exit-42.wat' }));
    await until(() => names().includes('forty-two') && !names().includes('exit-42'), 'the manifest to cover its module');

    writeFileSync(join(dir, 'exit.manifest.json'), '{ broken');
    await until(() => folder?.snapshot().jobs.find((job) => job.name === 'exit.manifest.json')?.error, 'the broken manifest');
    expect(names()).toContain('exit-42');

    unlinkSync(join(dir, 'exit.manifest.json'));
    rmSync(join(dir, 'deep'), { recursive: true });
    await until(() => names().length === 1, 'removals');
    expect(names()).toEqual(['hello']);
  });

  it('reports a rebuilt module only once its bytes are whole, never half written', async () => {
    const full = readFileSync(join(EXAMPLES, 'hello', 'hello.wasm'));
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'other.wat'));
    writeFileSync(join(dir, 'app.wasm'), readFileSync(join(EXAMPLES, 'sieve', 'sieve.wasm')));
    folder = new JobFolder(dir, DEFAULT_CONFIG);
    const seen = new Set<string | null>();
    folder.subscribe(() => seen.add(folder?.snapshot().jobs.find((job) => job.name === 'app')?.moduleHash ?? null));
    folder.start();
    await until(() => folder?.snapshot().ready && names().includes('app'), 'the first scan');
    seen.clear();

    const half = full.subarray(0, Math.floor(full.length / 2));
    writeFileSync(join(dir, 'app.wasm'), half);
    await new Promise((resolve) => setTimeout(resolve, 400)); // well past the watcher's settle time
    writeFileSync(join(dir, 'app.wasm'), full);
    await until(() => folder?.snapshot().jobs.find((job) => job.name === 'app')?.moduleHash === sha256(full), 'the whole module');
    expect(seen.has(sha256(half))).toBe(false);
  });
});

describe('settleModule', () => {
  it('accepts whole modules at once, in binary and text form', async () => {
    const wasm = readFileSync(join(EXAMPLES, 'hello', 'hello.wasm'));
    expect(await isWholeModule('x.wasm', wasm)).toBe(true);
    expect(await isWholeModule('x.wasm', wasm.subarray(0, 100))).toBe(false);
    const wat = readFileSync(join(WAT, 'hello.wat'));
    expect(await isWholeModule('x.wat', wat)).toBe(true);
    expect(await isWholeModule('x.wat', wat.subarray(0, wat.length - 10))).toBe(false);
  });

  it('takes a broken file as it is after the deadline, so the run can say what is wrong', async () => {
    const path = join(dir, 'broken.wasm');
    writeFileSync(path, 'not wasm at all');
    const started = Date.now();
    const settled = await settleModule(path, { retryMs: 20, deadlineMs: 200 });
    expect(settled?.bytes?.toString()).toBe('not wasm at all');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it('past the deadline, reads again before taking an invalid file: a build that paused may have finished meanwhile', async () => {
    // On a busy machine checking the first half can outlast the deadline (here: no deadline at all).
    const whole = readFileSync(join(EXAMPLES, 'hello', 'hello.wasm'));
    const path = join(dir, 'paused.wasm');
    writeFileSync(path, whole.subarray(0, 100));
    let reads = 0;
    let letSecondRead!: () => void;
    const secondRead = new Promise<void>((resolve) => (letSecondRead = resolve));
    const slots = new Slots(1);
    const gate = { acquire: async () => (++reads === 2 ? secondRead.then(() => slots.acquire()) : slots.acquire()) } as Slots;
    const settled = settleModule(path, { retryMs: 1, deadlineMs: 0, slots: gate });
    await until(() => reads === 2, 'the second read');
    writeFileSync(path, whole);
    letSecondRead();
    expect((await settled)?.bytes?.equals(whole)).toBe(true);
  });

  it('gives null for a file that vanished or a wait that was aborted', async () => {
    expect(await settleModule(join(dir, 'nope.wasm'))).toBeNull();
    const path = join(dir, 'slow.wasm');
    writeFileSync(path, 'partial');
    const controller = new AbortController();
    const settled = settleModule(path, { retryMs: 20, deadlineMs: 5000, signal: controller.signal });
    controller.abort();
    expect(await settled).toBeNull();
  });
});

describe('JobFolder in a big tree', () => {
  it('walks a bounded number of folders and says so, instead of scanning for ever', async () => {
    for (let i = 0; i < 60; i++) mkdirSync(join(dir, `d${String(i).padStart(2, '0')}`, 'sub'), { recursive: true });
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'hello.wat'));
    copyFileSync(join(WAT, 'echo.wat'), join(dir, 'd59', 'sub', 'echo.wat'));
    folder = new JobFolder(dir, DEFAULT_CONFIG, { maxDirs: 40 });
    folder.start();
    await until(() => folder?.snapshot().ready, 'the bounded scan');
    expect(names()).toEqual(['hello']);
    expect(folder.snapshot().notice).toMatch(/first 40 folders/);
  });

  it('stops at the depth limit, and skips hidden folders and what .gitignore names', async () => {
    mkdirSync(join(dir, 'a', 'b', 'c'), { recursive: true });
    mkdirSync(join(dir, '.cache'));
    mkdirSync(join(dir, 'build'));
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'a', 'hello.wat'));
    copyFileSync(join(WAT, 'echo.wat'), join(dir, 'a', 'b', 'c', 'echo.wat'));
    copyFileSync(join(WAT, 'exit-42.wat'), join(dir, '.cache', 'exit-42.wat'));
    copyFileSync(join(WAT, 'loop.wat'), join(dir, 'build', 'loop.wat'));
    copyFileSync(join(WAT, 'sleep.wat'), join(dir, 'a', 'sleep.wat'));
    writeFileSync(join(dir, '.gitignore'), '# build output\nbuild/\n/a/sleep.wat\n');
    folder = new JobFolder(dir, DEFAULT_CONFIG, { maxDepth: 2 });
    folder.start();
    await until(() => folder?.snapshot().ready && names().length > 0, 'the scan');
    expect(names()).toEqual(['hello']);
    expect(folder.snapshot().notice).toMatch(/more than 2 levels deep/);
    // Files appearing later obey the same rules.
    copyFileSync(join(WAT, 'exit-42.wat'), join(dir, 'build', 'exit-42.wat'));
    copyFileSync(join(WAT, 'echo.wat'), join(dir, 'a', 'b', 'echo.wat'));
    await until(() => names().includes('echo'), 'a module added at depth 2');
    expect(names()).toEqual(['echo', 'hello']);
  });
});
