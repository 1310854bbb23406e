// The module a manifest names is followed wherever it is in the watched folder, even in a folder
// the walk skips (cargo's target/): a build run once at start, rebuilt in place, or after a
// `cargo clean`, reruns its job. A module outside the folder is reported as not followed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { schemaErrors } from '../../src/core/schemas.js';
import type { WatchEvent } from '../../src/sdk/index.js';
import { cargoBuild, helloBuild } from '../helpers/hello-build.js';
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

type Finished = Extract<WatchEvent, { type: 'run_finished' }>;
const finished = (watch: WatchProcess, id: string): Finished[] => watch.about(id).filter((e): e is Finished => e.type === 'run_finished');

describe('watch follows the module a manifest names under target/', () => {
  it('runs it at start, reruns it after a rebuild and after a clean build, and says which module it cannot follow', async () => {
    const dir = tempDir('plasm-watch-target-');
    const outside = tempDir('plasm-watch-outside-');
    const app = join(dir, 'target', 'wasm32-wasi', 'debug', 'app.wasm');
    mkdirSync(dirname(app), { recursive: true });
    cargoBuild(app, await helloBuild(1), 1);
    writeFileSync(join(dir, 'target', 'y.wasm'), await helloBuild(1));
    writeFileSync(join(outside, 'far.wasm'), await helloBuild(1));
    writeFileSync(join(dir, 'app.manifest.json'), JSON.stringify({ version: '0.2', name: 'app', module: 'target/wasm32-wasi/debug/app.wasm' }));
    writeFileSync(join(dir, 'y.manifest.json'), JSON.stringify({ version: '0.2', name: 'y', module: 'target/y.wasm' }));
    writeFileSync(join(dir, 'far.manifest.json'), JSON.stringify({ version: '0.2', name: 'far', module: join(outside, 'far.wasm') }));

    const watch = watchJson(dir, ['--concurrency', '1']);
    cleanup.push(() => watch.stop());
    await until(() => finished(watch, 'app.manifest.json').length === 1 && finished(watch, 'y.manifest.json').length === 1, 'the first runs of both manifests');
    expect(finished(watch, 'y.manifest.json')[0]).toMatchObject({ status: 'ok', stdout_bytes: 15 });
    expect(watch.about('far.manifest.json')).toContainEqual(
      expect.objectContaining({ type: 'job_unwatched', message: `The module ${join(outside, 'far.wasm')} is outside the watched folder, so rebuilds of it are not seen and it is not run automatically.` }),
    );

    cargoBuild(app, await helloBuild(2), 2);
    await until(() => finished(watch, 'app.manifest.json').length === 2, 'the rerun after a rebuild');
    expect(watch.about('app.manifest.json')).toContainEqual(expect.objectContaining({ type: 'run_started', run: 2, why: 'rebuild' }));

    // `cargo clean`, then a build that makes every folder again.
    rmSync(join(dir, 'target'), { recursive: true });
    await until(() => watch.events().some((e) => e.type === 'job_removed' && e.job.id === 'target/wasm32-wasi/debug/app.wasm'), 'the clean');
    mkdirSync(dirname(app), { recursive: true });
    cargoBuild(app, await helloBuild(3), 3);
    await until(() => finished(watch, 'app.manifest.json').length === 3, 'the rerun after a clean build');
    expect(finished(watch, 'app.manifest.json').map((e) => e.status)).toEqual(['ok', 'ok', 'ok']);

    for (const event of watch.events()) expect(schemaErrors('event', event, event.type)).toEqual([]);
  });
});
