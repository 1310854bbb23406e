import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { sha256 } from '../../src/core/hash.js';
import { IGNORED_DIRS } from '../../src/engine/index.js';
import { deriveJobs } from '../../src/engine/folder/derive-jobs.js';
import { candidateKind, jsonFact, moduleFact, type FileFact } from '../../src/engine/folder/file-facts.js';
import { EXAMPLES, WAT } from '../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plasm-tui-jobs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** What the watcher would know about every file under `root` (ignored folders skipped, as it does). */
function facts(root: string): FileFact[] {
  const out: FileFact[] = [];
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (statSync(path).isDirectory()) {
      if (!IGNORED_DIRS.has(name)) out.push(...facts(path));
    }
    else if (candidateKind(path) === 'module') out.push(moduleFact(path, readFileSync(path)));
    else if (candidateKind(path) === 'json') {
      const fact = jsonFact(path);
      if (fact) out.push(fact);
    }
  }
  return out;
}

const jobs = () => deriveJobs(facts(dir), dir, DEFAULT_CONFIG);

describe('deriveJobs', () => {
  it('lists the examples folder: each manifest, with the module it runs right under it', () => {
    const list = deriveJobs(facts(EXAMPLES), EXAMPLES, DEFAULT_CONFIG);
    expect(list.map((job) => [job.name, job.kind])).toEqual([
      ['args-env', 'manifest'],
      ['args-env.wasm', 'module'],
      ['cat-file', 'manifest'],
      ['cat-file.wasm', 'module'],
      ['clock-random', 'module'],
      ['hello', 'manifest'],
      ['hello.wasm', 'module'],
      ['quickjs', 'manifest'],
      ['quickjs.wasm', 'module'],
      ['read-dir', 'manifest'],
      ['read-dir.wasm', 'module'],
      ['sha256', 'module'],
      ['sieve', 'manifest'],
      ['sieve.wasm', 'module'],
      ['sqlite', 'manifest'],
      ['sqlite.wasm', 'module'],
    ]);
    expect(list[1]?.parent).toBe(list[0]?.id);
    const hello = list.find((job) => job.name === 'hello');
    // hello's manifest is v0.1: it finds its module by hash.
    expect(hello?.spec?.modulePath).toBe(join(EXAMPLES, 'hello', 'hello.wasm'));
    expect(hello?.moduleHash).toBe(sha256(readFileSync(join(EXAMPLES, 'hello', 'hello.wasm'))));
    expect(list.every((job) => job.error === null && job.warning === null)).toBe(true);
  });

  it('lists JSON that only looks like a manifest with its error (why .plasm, where receipts live, is never watched)', () => {
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'hello.wat'));
    mkdirSync(join(dir, 'receipts'));
    writeFileSync(join(dir, 'receipts', '0001.json'), JSON.stringify({ version: '0.2', module_hash: sha256('x'), job: 'hello' }));
    // A receipt has a version and a module_hash, so by content it passes for a manifest.
    expect(jobs().map((job) => [job.name, job.spec === null])).toEqual([
      ['0001.json', true],
      ['hello', false],
    ]);
  });

  it('keeps a module a manifest runs as a job of its own, under the manifest, runnable with its own limits', () => {
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'hello.wat'));
    copyFileSync(join(WAT, 'echo.wat'), join(dir, 'echo.wat'));
    writeFileSync(join(dir, 'echo.manifest.json'), JSON.stringify({ version: '0.2', name: 'echoer', module: 'echo.wat', timeout_seconds: 1 }));
    const list = jobs();
    expect(list.map((job) => [job.name, job.kind, job.relPath])).toEqual([
      ['echoer', 'manifest', 'echo.manifest.json'],
      ['echo.wat', 'module', 'echo.wat'],
      ['hello', 'module', 'hello.wat'],
    ]);
    expect(list[1]?.parent).toBe(join(dir, 'echo.manifest.json'));
    expect(list[1]?.spec?.modulePath).toBe(join(dir, 'echo.wat'));
    expect(list[0]?.spec?.limits.timeout_seconds).toBe(1);
    expect(list[1]?.spec?.limits.timeout_seconds).toBe(DEFAULT_CONFIG.timeout_seconds);
  });

  it('recognises a manifest by its content when its name does not say so, and ignores other JSON', () => {
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'hello.wat'));
    writeFileSync(join(dir, 'job.json'), JSON.stringify({ version: '0.2', module: 'hello.wat', args: ['x'] }));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'not-a-job', version: '1.0.0' }));
    writeFileSync(join(dir, 'data.json'), '{ not json');
    const list = jobs();
    expect(list.map((job) => job.relPath)).toEqual(['job.json', 'hello.wat']);
    expect(list[0]?.spec?.args).toEqual(['x']);
  });

  it('lists broken manifests with their errors instead of hiding them', () => {
    writeFileSync(join(dir, 'syntax.manifest.json'), '{ "version": "0.2", ');
    writeFileSync(join(dir, 'schema.manifest.json'), JSON.stringify({ version: '0.2', module: 'x.wasm', timeout_seconds: 0 }));
    writeFileSync(join(dir, 'v01.manifest.json'), JSON.stringify({ version: '0.1', module_hash: `sha256:${'0'.repeat(64)}`, cpu_cores: 1, memory_mb: 64, timeout_seconds: 5 }));
    const list = jobs();
    expect(list.map((job) => job.name)).toEqual(['schema.manifest.json', 'syntax.manifest.json', 'v01.manifest.json']);
    expect(list.every((job) => job.spec === null)).toBe(true);
    expect(list[0]?.error?.message).toMatch(/timeout_seconds/);
    expect(list[1]?.error?.message).toMatch(/not valid JSON/);
    expect(list[2]?.error?.message).toMatch(/no \.wasm file .* has the hash/);
  });

  it('warns about a manifest whose module file is missing, but still lists it as runnable', () => {
    writeFileSync(join(dir, 'ghost.manifest.json'), JSON.stringify({ version: '0.2', module: 'ghost.wasm' }));
    const [ghost] = jobs();
    expect(ghost?.spec).not.toBeNull();
    expect(ghost?.warning).toMatch(/ghost\.wasm does not exist/);
  });

  it('names jobs by path when two share a name', () => {
    mkdirSync(join(dir, 'sub'));
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'hello.wat'));
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'sub', 'hello.wat'));
    copyFileSync(join(WAT, 'echo.wat'), join(dir, 'echo.wat'));
    expect(jobs().map((job) => job.name)).toEqual(['echo', 'hello.wat', join('sub', 'hello.wat')]);
  });
});
