// The SDK as a program uses it: the fluent Client and Job on real modules, results, receipts
// verified against a pinned key, streaming, cancelling, batches, and consent for manifest grants.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, PlasmError, Receipt, VerifyError, type RunEvent } from '../../src/sdk/index.js';
import { ceiling } from '../helpers/ceiling.js';
import { EXAMPLES, WAT } from '../helpers/cli.js';

const HELLO = join(EXAMPLES, 'hello', 'hello.wasm');
const client = new Client();
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Sandbox worker processes that are children of this test process. */
function workers(): number[] {
  return readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return parent === process.pid ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

describe('Client and Job', () => {
  it('runs hello fluently, as the README shows, and its receipt verifies against the pinned key', async () => {
    const result = await client.createJob(HELLO).withCpu(1).withMemory(128).withTimeout(30).submit('Hello, World');
    expect(result.stdout()).toBe('dlroW ,olleH');
    expect(result.exitCode()).toBe(0);
    expect(result.status()).toBe('ok');
    expect(result.ok()).toBe(true);
    expect(result.timing().totalMs).toBeGreaterThan(0);
    const report = result.receipt().verify(client.publicKey(), { module: readFileSync(HELLO), stdin: Buffer.from('Hello, World'), stdout: result.stdoutBytes() });
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(['signer', 'signature', 'module', 'input', 'stdout']);
    // toJSON is the `run --json` report, snake_case.
    expect(result.toJSON()).toMatchObject({ status: 'ok', exit_code: 0, stdout: 'dlroW ,olleH' });
  });

  it('a receipt signed by another key does not verify against the pinned one', async () => {
    const result = await client.createJob(HELLO).submit('x');
    const other = 'ab'.repeat(32);
    expect(() => result.receipt().verify(other)).toThrow(VerifyError);
    expect(() => result.receipt().verify(other)).toThrow(expect.objectContaining({ report: expect.objectContaining({ ok: false }) }));
    expect(() => result.receipt().verify('not-a-key')).toThrow(PlasmError);
  });

  it('classifies a trap, a timeout and an invalid module', async () => {
    const trap = await client.createJob(join(WAT, 'unreachable.wat')).submit();
    expect(trap.status()).toBe('trap');
    expect(trap.exitCode()).toBeNull();
    expect(trap.processExitCode()).toBe(134);
    const timeout = await client.createJob(join(WAT, 'loop.wat')).withTimeout(0.5).submit();
    expect(timeout.status()).toBe('timeout');
    expect(timeout.message()).toMatch(/0\.5 s time limit/);
    const dir = tempDir('plasm-sdk-');
    writeFileSync(join(dir, 'junk.wasm'), 'not wasm at all');
    const invalid = await client.createJob(join(dir, 'junk.wasm')).submit();
    expect(invalid.status()).toBe('invalid');
    expect(invalid.processExitCode()).toBe(65);
  });

  it('passes args, env and dirs set on the job; each with… returns a new job', async () => {
    const base = client.createJob(join(EXAMPLES, 'args-env', 'args-env.wasm'));
    const withArgs = base.withArgs('one', 'two').withEnv({ A: '1' });
    const plain = await base.submit();
    const full = await withArgs.submit();
    expect(plain.stdout()).toBe('argv[0]=args-env.wasm\n');
    expect(full.stdout()).toBe('argv[0]=args-env.wasm\nargv[1]=one\nargv[2]=two\nA=1\n');
    const data = tempDir('plasm-sdk-dir-');
    writeFileSync(join(data, 'f.txt'), 'from a dir');
    const cat = await client.createJob(join(EXAMPLES, 'cat-file', 'cat-file.wasm')).withDir(data, '/d', { readonly: true }).withArgs('/d/f.txt').submit();
    expect(cat.stdout()).toBe('from a dir');
  });

  it('streams events while the job runs, through an async iterator', async () => {
    const running = client.createJob(join(WAT, 'ticks.wat')).start();
    const seen: RunEvent[] = [];
    for await (const event of running.events()) seen.push(event);
    const result = await running.result;
    expect(result.status()).toBe('ok');
    const stdout = seen.flatMap((e) => (e.type === 'stdout' ? [e.chunk.toString()] : [])).join('');
    expect(stdout).toBe('tick\ntick\ntick\n');
    expect(seen.flatMap((e) => (e.type === 'phase' ? [e.phase] : []))).toEqual(['reading', 'starting', 'compiling', 'running', 'done']);
  });

  it('cancels a job through an AbortSignal', async () => {
    const controller = new AbortController();
    const pending = client.createJob(join(WAT, 'loop.wat')).withTimeout(30).submit(undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const result = await pending;
    expect(result.status()).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(ceiling(5000)); // a guard, scaled for the machine
  });

  it('refuses a manifest\'s grants unless they were allowed or the program says so', async () => {
    const dir = tempDir('plasm-sdk-grants-');
    copyFileSync(join(EXAMPLES, 'cat-file', 'cat-file.wasm'), join(dir, 'cat-file.wasm'));
    writeFileSync(join(dir, 'secret.txt'), 'S');
    writeFileSync(join(dir, 'plasm.json'), JSON.stringify({ version: '0.2', module: 'cat-file.wasm', args: ['/d/secret.txt'], dirs: [{ host: '.', guest: '/d', readonly: true }] }));
    const job = client.createJob(join(dir, 'plasm.json'));
    await expect(job.submit()).rejects.toMatchObject({ kind: 'consent' });
    const allowed = await job.allowingManifestGrants().submit();
    expect(allowed.stdout()).toBe('S');
  });

  it('loads a receipt file and says what a v0.1 receipt does not bind', async () => {
    const result = await client.createJob(HELLO).submit('abc');
    const dir = tempDir('plasm-sdk-receipt-');
    result.receipt().save(join(dir, 'r.json'));
    const loaded = Receipt.load(join(dir, 'r.json'));
    expect(loaded.version).toBe('0.2');
    expect(loaded.bindsInputAndOutput).toBe(true);
    expect(loaded.verify(client.publicKey(), { stdin: Buffer.from('abc') }).ok).toBe(true);
    expect(() => loaded.verify(client.publicKey(), { stdin: Buffer.from('abd') })).toThrow(expect.objectContaining({ report: expect.objectContaining({ ok: false }) }));
    expect(() => result.receipt().save(join(dir, 'r.json'))).toThrow(/never overwrites/);
  });

  it('runs 60 jobs with concurrency 2, in order, leaving no worker process and no open descriptor behind', async () => {
    await client.close(); // the other tests' client, and its spares: this test counts processes
    expect(workers()).toEqual([]);
    const fdsBefore = readdirSync('/proc/self/fd').length;
    const batch = new Client();
    const job = batch.createJob(HELLO);
    const inputs = Array.from({ length: 60 }, (_, i) => `job ${i}`);
    const results = await batch.submitAll(
      inputs.map((stdin) => ({
        job: job.withEnv({}),
        stdin,
      })),
      { concurrency: 2 },
    );
    expect(results).toHaveLength(60);
    results.forEach((result, i) => expect(result.stdout()).toBe([...(inputs[i] as string)].reverse().join('')));
    // Warm spares wait for more jobs until the client is closed; then nothing is left.
    await batch.close();
    expect(workers()).toEqual([]);
    expect(readdirSync('/proc/self/fd').length).toBeLessThanOrEqual(fdsBefore);
  });
});

describe('examples/local-test.mjs', () => {
  it('runs with one command and checks its receipt', async () => {
    const { execa } = await import('execa');
    const r = await execa(process.execPath, [join(EXAMPLES, '..', 'examples', 'local-test.mjs')], { reject: false, env: { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('stdout:    dlroW ,olleH');
    expect(r.stdout).toContain('receipt:   ✓ signature: Ed25519 signature is valid');
  });
});
