// A watched folder may hold files made to cost the watcher: a `.gitignore` whose globs would
// backtrack forever, modules far too big to read, a manifest pointing at a device. Through the
// real binary, `watch` must finish its scan, list what it can and say why it skips the rest.
import { closeSync, copyFileSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WAT } from '../helpers/cli.js';
import { until } from '../helpers/poll.js';
import { watchJson, type WatchProcess } from '../helpers/watch-json.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function start(dir: string, flags: string[] = []): WatchProcess {
  const watch = watchJson(dir, flags);
  cleanup.push(() => watch.stop());
  return watch;
}

const added = (watch: WatchProcess): string[] =>
  watch
    .events()
    .filter((e) => e.type === 'job_added')
    .map((e) => ('job' in e ? e.job.id : ''))
    .sort();

describe('watch and .gitignore', () => {
  it('finishes its scan past a .gitignore of nested stars and a 60-letter folder, and honours character classes', { timeout: 60_000 }, async () => {
    const dir = tempDir('plasm-watch-gitignore-');
    // 26 bytes that a backtracking glob matcher takes years to rule out against 60 letters.
    writeFileSync(join(dir, '.gitignore'), 'a*a*a*a*a*a*a*a*a*a*a*a*b\n[Bb]in/\n');
    const long = 'a'.repeat(60);
    mkdirSync(join(dir, long));
    copyFileSync(join(WAT, 'hello.wat'), join(dir, long, 'hello.wat'));
    mkdirSync(join(dir, 'Bin'));
    copyFileSync(join(WAT, 'echo.wat'), join(dir, 'Bin', 'echo.wat'));
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(WAT, 'echo.wat'), join(dir, 'bin', 'echo.wat'));
    copyFileSync(join(WAT, 'exit-42.wat'), join(dir, 'exit-42.wat'));

    const watch = start(dir, ['--no-initial']);
    const watching = await until(() => watch.events().find((e) => e.type === 'watching'), 'the end of the first scan');
    expect(watching).toMatchObject({ jobs: 2 });
    expect(added(watch)).toEqual([`${long}/hello.wat`, 'exit-42.wat']);
  });
});
