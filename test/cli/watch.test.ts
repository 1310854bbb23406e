// `plasm-tui watch --json` and the SDK's client.watch(): the event stream is a contract. Every
// line of a real session validates against schemas/event.schema.json; a rebuilt module reruns
// its job; a manifest asking for grants is reported, not run; SIGTERM stops it cleanly.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { schemaErrors } from '../../src/core/schemas.js';
import { Client, type WatchEvent } from '../../src/sdk/index.js';
import { BIN, EXAMPLES, WAT } from '../helpers/cli.js';
import { until } from '../helpers/poll.js';
import { watchJson } from '../helpers/watch-json.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-watch-'));
  made.push(dir);
  copyFileSync(join(WAT, 'hello.wat'), join(dir, 'hello.wat'));
  copyFileSync(join(EXAMPLES, 'cat-file', 'cat-file.wasm'), join(dir, 'cat-file.wasm'));
  writeFileSync(join(dir, 'greedy.manifest.json'), JSON.stringify({ version: '0.2', name: 'greedy', module: 'cat-file.wasm', dirs: [{ host: '..', guest: '/up' }] }));
  return dir;
}

describe('plasm-tui watch --json', () => {
  it('reports jobs and runs as schema-valid JSON lines, reruns a rebuilt module, never runs ungranted grants, and stops on SIGTERM', async () => {
    const dir = folder();
    const watch = execa(process.execPath, [BIN, 'watch', dir, '--json'], { reject: false, env: { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME }, buffer: true, lines: false });
    let out = '';
    watch.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const events = (): WatchEvent[] => out.split('\n').filter(Boolean).map((line) => JSON.parse(line) as WatchEvent);
    const finished = (id: string) => events().filter((e): e is Extract<WatchEvent, { type: 'run_finished' }> => e.type === 'run_finished' && e.job.id === id);
    await until(() => finished('hello.wat').length === 1 && finished('cat-file.wasm').length === 1, 'the first runs');
    expect(finished('hello.wat')[0]).toMatchObject({ status: 'ok', exit_code: 0, stdout_bytes: 15, run: 1 });
    const receipt = finished('hello.wat')[0]?.receipt_path as string;
    expect(JSON.parse(readFileSync(join(dir, receipt), 'utf8'))).toMatchObject({ status: 'ok', job: 'hello' });
    const grants = events().find((e) => e.type === 'grants_needed');
    expect(grants).toMatchObject({ job: { id: 'greedy.manifest.json' }, dirs: [{ guest: '/up', readonly: false }], allow_with: expect.stringContaining('plasm-tui allow') });
    expect(events().some((e) => e.type === 'run_started' && e.job.id === 'greedy.manifest.json')).toBe(false);

    // A rebuild (another message, as long) reruns the job.
    writeFileSync(join(dir, 'hello.wat'), readFileSync(join(WAT, 'hello.wat'), 'utf8').replace('hello from wat', 'HELLO FROM WAT'));
    await until(() => finished('hello.wat').length === 2, 'the rerun');
    expect(events().some((e) => e.type === 'job_changed' && e.job.id === 'hello.wat')).toBe(true);
    expect(events().some((e) => e.type === 'run_started' && e.job.id === 'hello.wat' && e.why === 'rebuild')).toBe(true);
    expect(finished('hello.wat')[1]).toMatchObject({ run: 2, status: 'ok', stdout_bytes: 15 });

    watch.kill('SIGTERM');
    const result = await watch;
    expect(result.exitCode).toBe(0);
    expect(events().at(-1)).toMatchObject({ type: 'stopped', reason: 'SIGTERM' });
    for (const event of events()) expect(schemaErrors('event', event, event.type)).toEqual([]);
    const types = new Set(events().map((e) => e.type));
    expect([...types].sort()).toEqual(['grants_needed', 'job_added', 'job_changed', 'run_finished', 'run_started', 'stopped', 'watching'].sort());
  });
});

describe('client.watch()', () => {
  it('yields the same events from a program, until closed', async () => {
    const dir = folder();
    const client = new Client();
    const watcher = client.watch(dir);
    const seen: WatchEvent[] = [];
    for await (const event of watcher.events()) {
      seen.push(event);
      expect(schemaErrors('event', JSON.parse(JSON.stringify(event)), event.type)).toEqual([]);
      if (event.type === 'run_finished' && event.job.id === 'hello.wat') void watcher.close();
    }
    expect(seen.at(-1)).toMatchObject({ type: 'stopped' });
    expect(seen.find((e) => e.type === 'run_finished' && e.job.id === 'hello.wat')).toMatchObject({ status: 'ok', exit_code: 0 });
    await client.close();
  });
});

describe('a hostile folder, watched through the real binary', () => {
  it('does not walk a symlink to / nor take linked files for jobs: the scan ends at once with the folder\'s own job', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-watch-links-'));
    made.push(dir);
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'hello.wat'));
    const { symlinkSync } = await import('node:fs');
    symlinkSync('/', join(dir, 'r'));
    symlinkSync(join(EXAMPLES, 'sieve', 'sieve.wasm'), join(dir, 'linked.wasm'));
    const watch = execa(process.execPath, [BIN, 'watch', dir, '--json', '--no-initial'], { reject: false, env: { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME } });
    let out = '';
    watch.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const events = (): WatchEvent[] => out.split('\n').filter(Boolean).map((line) => JSON.parse(line) as WatchEvent);
    const watching = await until(() => events().find((e) => e.type === 'watching'), 'the end of the first scan', 5000);
    expect(watching).toMatchObject({ jobs: 1 });
    expect(events().filter((e) => e.type === 'job_added').map((e) => ('job' in e ? e.job.id : ''))).toEqual(['hello.wat']);
    watch.kill('SIGINT');
    expect((await watch).exitCode).toBe(0);
  });
});

/** A .wat that writes `text` (under 256 bytes) to stdout and exits 0. */
function printer(dir: string, name: string, text: string): void {
  const bytes = Buffer.from(text);
  const data = [...bytes].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  writeFileSync(
    join(dir, name),
    `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\\10\\00\\00\\00\\${bytes.length.toString(16).padStart(2, '0')}\\00\\00\\00")
  (data (i32.const 16) "${data}")
  (func (export "_start") (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
`,
  );
}

type Started = Extract<WatchEvent, { type: 'run_started' }>;
type Finished = Extract<WatchEvent, { type: 'run_finished' }>;

describe('watch --json, from start to stop', () => {
  it('says nothing at start-up that did not happen: no rebuild, no invalid job, a manifest found by its module\'s hash runs once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-watch-start-'));
    made.push(dir);
    // A v0.1 manifest finds its module by hash: listed before the module is read, it is not yet runnable.
    for (const name of ['hello.manifest.json', 'hello.wasm']) copyFileSync(join(EXAMPLES, 'hello', name), join(dir, name));
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'hello.wat'));
    writeFileSync(join(dir, 'wat.manifest.json'), JSON.stringify({ version: '0.2', name: 'wat', module: 'hello.wat' }));
    const watch = watchJson(dir);
    try {
      const ids = ['hello.manifest.json', 'hello.wasm', 'hello.wat', 'wat.manifest.json'];
      await until(() => ids.every((id) => watch.about(id).some((e) => e.type === 'run_finished')), 'every first run');
      const events = watch.events();
      expect(events.filter((e) => e.type === 'job_changed' || e.type === 'job_invalid')).toEqual([]);
      expect(events.filter((e): e is Started => e.type === 'run_started').map((e) => [e.job.id, e.run, e.why]).sort()).toEqual(ids.map((id) => [id, 1, 'initial']));
      expect(events.filter((e): e is Finished => e.type === 'run_finished').map((e) => [e.job.id, e.status])).toEqual(expect.arrayContaining(ids.map((id) => [id, 'ok'])));
      expect(events.filter((e): e is Finished => e.type === 'run_finished').length).toBe(4);
    } finally {
      await watch.stop();
    }
  });

  it('ends every run it started exactly once, a run cut by SIGINT as cancelled, before `stopped`; timings to 0.1 ms', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-watch-stop-'));
    made.push(dir);
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'hello.wat'));
    copyFileSync(join(WAT, 'sleep.wat'), join(dir, 'sleep.wat'));
    const watch = watchJson(dir, ['--concurrency', '2']);
    try {
      await until(() => watch.about('hello.wat').some((e) => e.type === 'run_finished') && watch.about('sleep.wat').some((e) => e.type === 'run_started'), 'hello to end and sleep to start');
      watch.child.kill('SIGINT');
      const result = await watch.child;
      expect(result.exitCode).toBe(0);
      const events = watch.events();
      expect(events.at(-1)).toMatchObject({ type: 'stopped', reason: 'SIGINT' });
      const started = events.filter((e): e is Started => e.type === 'run_started');
      const finished = events.filter((e): e is Finished => e.type === 'run_finished');
      expect(started.length).toBeGreaterThanOrEqual(2);
      for (const run of started) expect(finished.filter((e) => e.job.id === run.job.id && e.run === run.run)).toHaveLength(1);
      expect(finished).toHaveLength(started.length);
      expect(finished.find((e) => e.job.id === 'sleep.wat')).toMatchObject({ status: 'cancelled', exit_code: null });
      for (const event of finished) {
        for (const ms of Object.values(event.timing)) expect(Math.round(ms * 10) / 10).toBe(ms);
        expect(schemaErrors('event', event, event.type)).toEqual([]);
      }
    } finally {
      await watch.stop();
    }
  });
});

describe('plasm-tui watch (text)', () => {
  /** Runs text-mode watch on `dir` until `done(stdout)`, then stops it with SIGINT. */
  async function watchText(dir: string, done: (out: string) => boolean, flags: string[] = []): Promise<{ out: string; err: string }> {
    const watch = execa(process.execPath, [BIN, 'watch', dir, ...flags], { reject: false, env: { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, PLASM_OS_SANDBOX: process.env.PLASM_OS_SANDBOX } });
    let out = '';
    watch.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await until(() => done(out), 'the runs', 30_000);
    watch.kill('SIGINT');
    const result = await watch;
    expect(result.exitCode).toBe(0);
    return { out: String(result.stdout), err: String(result.stderr) };
  }

  it("prints each run's output, sanitised, between its header and its result line, and no line twice", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-watch-text-'));
    made.push(dir);
    copyFileSync(join(WAT, 'escape.wat'), join(dir, 'escape.wat'));
    printer(dir, 'partial.wat', 'no newline at the end');
    const { out, err } = await watchText(dir, (text) => /escape\.wat #1: ok/.test(text) && /partial\.wat #1: ok/.test(text), ['--concurrency', '1']);
    const lines = out.split('\n');
    const at = (pattern: RegExp): number => lines.findIndex((line) => pattern.test(line));
    // The guest's escape sequences are dropped; what it printed between them stays.
    expect(lines.slice(at(/^plasm-tui: escape\.wat #1: running \(initial\)$/), at(/^plasm-tui: escape\.wat #1: ok 0 · /) + 1)).toEqual([
      'plasm-tui: escape.wat #1: running (initial)',
      'red ok',
      expect.stringMatching(/^plasm-tui: escape\.wat #1: ok 0 · [\d.]+ ms · \.plasm\/receipts\/escape\.wat\/0001\.json$/),
    ]);
    expect(out).not.toContain('\x1b');
    // Output with no final newline: the result line still starts a line of its own.
    expect(lines.slice(at(/partial\.wat #1: running/), at(/partial\.wat #1: ok/) + 1)).toEqual([
      'plasm-tui: partial.wat #1: running (initial)',
      'no newline at the end',
      expect.stringMatching(/^plasm-tui: partial\.wat #1: ok 0 · /),
    ]);
    const said = lines.filter(Boolean);
    expect(new Set(said).size).toBe(said.length);
    expect(out).not.toMatch(/: added$|: changed$/m);
    expect(err).toBe('');
  });

  it('keeps the output of runs at once apart, each framed whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-watch-text-'));
    made.push(dir);
    const names = ['a', 'b', 'c', 'd'];
    for (const name of names) printer(dir, `${name}.wat`, `${name}1\n${name}2\n${name}3\n`);
    const { out } = await watchText(dir, (text) => names.every((name) => new RegExp(`${name}\\.wat #1: ok`).test(text)), ['--concurrency', '4']);
    const lines = out.split('\n');
    for (const name of names) {
      const header = lines.indexOf(`plasm-tui: ${name}.wat #1: running (initial)`);
      expect(header).toBeGreaterThanOrEqual(0);
      expect(lines.slice(header + 1, header + 5)).toEqual([`${name}1`, `${name}2`, `${name}3`, expect.stringMatching(new RegExp(`^plasm-tui: ${name}\\.wat #1: ok 0 · `))]);
    }
  });

  it('shows a rebuild once, as its run: no `changed` line before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-watch-text-'));
    made.push(dir);
    printer(dir, 'p.wat', 'first\n');
    const watch = execa(process.execPath, [BIN, 'watch', dir], { reject: false, env: { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, PLASM_OS_SANDBOX: process.env.PLASM_OS_SANDBOX } });
    let out = '';
    watch.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await until(() => /p\.wat #1: ok/.test(out), 'the first run', 30_000);
    printer(dir, 'p.wat', 'second\n');
    await until(() => /p\.wat #2: ok/.test(out), 'the rerun', 30_000);
    watch.kill('SIGINT');
    expect((await watch).exitCode).toBe(0);
    const lines = out.split('\n');
    const rerun = lines.indexOf('plasm-tui: p.wat #2: running (rebuild)');
    expect(lines.slice(rerun - 1, rerun + 3)).toEqual([expect.stringMatching(/^plasm-tui: p\.wat #1: ok 0 · /), 'plasm-tui: p.wat #2: running (rebuild)', 'second', expect.stringMatching(/^plasm-tui: p\.wat #2: ok 0 · /)]);
  });
});
