// A portable job runs from content: the module (from a file or from bytes) must have the job's
// hash, the stdin its hash, each read-only input tree its tree hash — checked through the very
// descriptor the run uses, and refused unrun otherwise — and the job that ran is the job given.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { sha256 } from '../../src/core/hash.js';
import { loadOrCreateNodeKey } from '../../src/core/keys.js';
import { jobHash, type PortableJob } from '../../src/core/portable-job.js';
import { createEngine, jobFromModule, runPortable } from '../../src/engine/index.js';
import { EXAMPLES } from '../helpers/cli.js';

const CLOCK = join(EXAMPLES, 'clock-random', 'clock-random.wasm');
const DATA = join(EXAMPLES, 'clock-random', 'data');
const engine = createEngine({ config: DEFAULT_CONFIG, key: loadOrCreateNodeKey(join(mkdtempSync(join(tmpdir(), 'plasm-portable-key-')), 'node.key')) });

describe('runPortable', () => {
  it('runs a job made elsewhere from its bytes and input trees, the same as where it was made', async () => {
    // The job as a deterministic run here makes it.
    const made = await engine.run(jobFromModule(CLOCK, DEFAULT_CONFIG, { args: ['/data'], dirs: [{ host: DATA, guest: '/data', readonly: true }], deterministic: true }));
    expect(made.status, made.message).toBe('ok');
    const job = made.portable as PortableJob;
    expect(job.dirs[0]?.tree_hash).toMatch(/^sha256:/);
    // Elsewhere: the module as bytes (no path), the tree in another folder with the same contents.
    const copy = mkdtempSync(join(tmpdir(), 'plasm-portable-data-'));
    cpSync(DATA, copy, { recursive: true });
    const again = await runPortable(engine, job, { module: readFileSync(CLOCK), dirs: { '/data': copy } });
    expect([again.status, again.stdout.toString(), again.usage.fuel_consumed]).toEqual(['ok', made.stdout.toString(), made.usage.fuel_consumed]);
    expect(jobHash(again.portable as PortableJob)).toBe(jobHash(job));
    expect(again.receipt?.version).toBe('0.3');
  });

  it('refuses, unrun, a module, a stdin or an input tree that is not the job\'s', async () => {
    const made = await engine.run(jobFromModule(CLOCK, DEFAULT_CONFIG, { args: ['/data'], dirs: [{ host: DATA, guest: '/data', readonly: true }], deterministic: true }));
    const job = made.portable as PortableJob;
    const hello = readFileSync(join(EXAMPLES, 'hello', 'hello.wasm'));
    const otherModule = await runPortable(engine, job, { module: hello, dirs: { '/data': DATA } });
    expect(otherModule.status).toBe('invalid');
    expect(otherModule.message).toContain(`has hash ${sha256(hello)}, but the job pins ${job.module.hash}; refusing to run it.`);
    await expect(runPortable(engine, job, { module: CLOCK, stdin: Buffer.from('x'), dirs: { '/data': DATA } })).rejects.toThrow(`The stdin given has hash ${sha256('x')}, but the job is for ${job.stdin.hash}.`);
    const changed = mkdtempSync(join(tmpdir(), 'plasm-portable-changed-'));
    cpSync(DATA, changed, { recursive: true });
    writeFileSync(join(changed, 'm.txt'), 'not the same\n');
    const otherTree = await runPortable(engine, job, { module: CLOCK, dirs: { '/data': changed } });
    expect(otherTree.status).toBe('invalid');
    expect(otherTree.message).toMatch(new RegExp(`^The input tree at /data is sha256:\\w+, but the job is for ${job.dirs[0]!.tree_hash}; nothing was run\\.$`));
    expect(otherTree.stdout.length).toBe(0);
    await expect(runPortable(engine, job, { module: CLOCK })).rejects.toThrow(/The job has a folder at \/data \(input tree sha256:\w+\): give its host folder\./);
  });
});
