// A watched folder may hold files made to cost the watcher: a `.gitignore` whose globs would
// backtrack forever, modules far too big to read, a manifest pointing at a device. Through the
// real binary, `watch` must finish its scan, list what it can and say why it skips the rest.
import { closeSync, copyFileSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  it('finishes its scan past a .gitignore of nested stars and a 60-letter folder, and honours character classes', async () => {
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

/** The most memory the process has held (VmHWM), in bytes. */
function peakMemory(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB$/m);
  return Number(line?.[1] ?? 0) * 1024;
}

describe('watch and modules too big to read', () => {
  it('lists three sparse 600 MB modules with the reason they are not read, without reading them', async () => {
    const dir = tempDir('plasm-watch-big-');
    for (const name of ['a.wasm', 'b.wasm', 'c.wasm']) {
      const fd = openSync(join(dir, name), 'w');
      ftruncateSync(fd, 600 * 1024 * 1024);
      closeSync(fd);
    }
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'hello.wat'));
    writeFileSync(join(dir, 'big.manifest.json'), JSON.stringify({ version: '0.2', name: 'big', module: 'a.wasm' }));

    const watch = start(dir, ['--no-initial']);
    const watching = await until(() => watch.events().find((e) => e.type === 'watching'), 'the end of the first scan');
    expect(watching).toMatchObject({ jobs: 5 });
    for (const name of ['a.wasm', 'b.wasm', 'c.wasm']) {
      expect(watch.about(name)).toContainEqual(
        expect.objectContaining({
          type: 'job_invalid',
          message: `${join(dir, name)} is 600 MiB, over the 256 MiB cap on a module's size (max_module_bytes in plasm-tui's config.json); refusing to read it.`,
        }),
      );
    }
    // Reading them whole took the watcher past 1.8 GB; a plain watch stays well under 300 MB.
    expect(peakMemory(watch.child.pid as number)).toBeLessThan(300 * 1024 * 1024);
  });
});
