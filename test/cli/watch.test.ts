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
  it('reports jobs and runs as schema-valid JSON lines, reruns a rebuilt module, never runs ungranted grants, and stops on SIGTERM', { timeout: 60_000 }, async () => {
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
  it('yields the same events from a program, until closed', { timeout: 30_000 }, async () => {
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
  it('does not walk a symlink to / nor take linked files for jobs: the scan ends at once with the folder\'s own job', { timeout: 30_000 }, async () => {
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
