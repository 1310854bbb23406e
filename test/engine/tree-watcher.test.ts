// The tree watcher against folders replaced under it: deleted and made again at once, or another
// folder renamed into place (what build tools and `git checkout` do). The new folder's files must
// be listed, the old folder's forgotten.
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { JobFolder } from '../../src/engine/folder/job-folder.js';
import { WAT } from '../helpers/cli.js';
import { until } from '../helpers/poll.js';

let dir: string;
let folder: JobFolder | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plasm-tree-'));
});
afterEach(async () => {
  await folder?.close();
  folder = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const names = (): string[] => (folder?.snapshot().jobs.map((job) => job.name) ?? []).sort();

async function watching(): Promise<void> {
  folder = new JobFolder(dir, DEFAULT_CONFIG);
  folder.start();
  await until(() => folder?.snapshot().ready && names().includes('hello'), 'the first scan');
}

describe('the tree watcher and replaced folders', () => {
  it('lists the files of a folder deleted and made again at once', async () => {
    mkdirSync(join(dir, 'sub'));
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'sub', 'hello.wat'));
    await watching();
    rmSync(join(dir, 'sub'), { recursive: true });
    mkdirSync(join(dir, 'sub'));
    copyFileSync(join(WAT, 'echo.wat'), join(dir, 'sub', 'echo.wat'));
    await until(() => names().join() === 'echo', 'the new folder\'s module, and only it');
    // And it is watched: a file added to it later shows too.
    copyFileSync(join(WAT, 'exit-42.wat'), join(dir, 'sub', 'exit-42.wat'));
    await until(() => names().join() === 'echo,exit-42', 'a module added to the new folder');
  });

  it('lists the files of a folder renamed into the place of a watched one', async () => {
    mkdirSync(join(dir, 'sub'));
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'sub', 'hello.wat'));
    mkdirSync(join(dir, '.staging'));
    copyFileSync(join(WAT, 'echo.wat'), join(dir, '.staging', 'echo.wat'));
    await watching();
    renameSync(join(dir, 'sub'), join(dir, '.old'));
    renameSync(join(dir, '.staging'), join(dir, 'sub'));
    await until(() => names().join() === 'echo', 'the swapped-in folder\'s module, and only it');
    copyFileSync(join(WAT, 'exit-42.wat'), join(dir, 'sub', 'exit-42.wat'));
    await until(() => names().join() === 'echo,exit-42', 'a module added to the swapped-in folder');
    expect(folder?.snapshot().error).toBeNull();
  });
});
