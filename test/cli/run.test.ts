import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, EXAMPLES, WAT } from '../helpers/cli.js';

const hello = join(EXAMPLES, 'hello', 'hello.wasm');
const noStackTrace = /\n\s+at /;

describe('plasm-tui run', () => {
  it('reverses piped stdin with the hello example, as in the README', async () => {
    const r = await cli(['run', hello], { input: 'Hello, World\n' });
    expect(r.stdout).toBe('dlroW ,olleH\n');
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/^plasm-tui: hello · exit 0 · [\d.]+ ms\n$/);
  });

  it('is Unicode aware and takes --stdin', async () => {
    const r = await cli(['run', '-q', '--stdin', 'héllo wörld 👋', hello]);
    expect(r.stdout).toBe('👋 dlröw olléh');
    expect(r.stderr).toBe('');
  });

  it('takes stdin from a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-run-'));
    writeFileSync(join(dir, 'in.txt'), 'abc\n');
    const r = await cli(['run', '-q', '--stdin-file', join(dir, 'in.txt'), hello]);
    expect(r.stdout).toBe('cba\n');
  });

  it('prints one JSON report with --json', async () => {
    const r = await cli(['run', '--json', hello], { input: 'Hello, World\n' });
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ job: 'hello', status: 'ok', exit_code: 0, stdout: 'dlroW ,olleH\n', stderr: '', stdout_truncated: false, stderr_truncated: false });
    expect(report.message).toMatch(/exited with code 0/);
    for (const key of ['start_ms', 'compile_ms', 'run_ms', 'total_ms']) expect(report.timing[key]).toBeGreaterThanOrEqual(0);
    expect(report.usage.memory_peak_bytes).toBeGreaterThan(0);
    expect(report.receipt).toMatchObject({ version: '0.2', job: 'hello', status: 'ok', exit_code: 0, args: ['hello.wasm'] });
    expect(report.receipt.input_hash).toBe(report.input_hash);
    expect(r.stderr).toBe('');
  });

  it('passes args and granted env from a v0.2 manifest; argv[0] is the module name', async () => {
    const r = await cli(['run', '-q', '--allow-grants', join(EXAMPLES, 'args-env', 'args-env.manifest.json')]);
    expect(r.stdout).toBe('argv[0]=args-env.wasm\nargv[1]=--greeting\nargv[2]=hello world\nGREETING=hi\nLANG=C.UTF-8\n');
    expect(r.exitCode).toBe(0);
  });

  it('lets flags override a manifest: args after --, extra env, and the exit code passes through', async () => {
    const r = await cli(['run', '-q', '--allow-grants', '--env', 'EXIT_CODE=3', join(EXAMPLES, 'args-env', 'args-env.manifest.json'), '--', 'one', '--two']);
    expect(r.stdout).toContain('argv[1]=one\nargv[2]=--two\n');
    expect(r.stdout).toContain('EXIT_CODE=3');
    expect(r.exitCode).toBe(3);
  });

  it('runs a v0.1 manifest by finding the module whose hash it names', async () => {
    const r = await cli(['run', '--json', '--stdin', 'abc', join(EXAMPLES, 'hello', 'hello.manifest.json')]);
    const report = JSON.parse(r.stdout);
    expect(report.stdout).toBe('cba');
    expect(report.receipt.limits).toMatchObject({ memory_mb: 64, timeout_seconds: 5, cpu_cores: 1 });
    expect(report.receipt.manifest_hash).toMatch(/^sha256:[a-f0-9]{64}$/);
  });

  it('uses a manifest default stdin when the pipe is empty', async () => {
    const r = await cli(['run', '-q', join(EXAMPLES, 'sieve', 'sieve.manifest.json')]);
    expect(r.stdout).toBe('78498 primes <= 1000000, largest 999983\n');
  });

  it('reads a preopened dir, and refuses writes to a read-only one', async () => {
    const read = await cli(['run', '-q', '--allow-grants', join(EXAMPLES, 'cat-file', 'cat-file.manifest.json')]);
    expect(read.stdout).toBe('Hello from a preopened dir\n');
    const data = mkdtempSync(join(tmpdir(), 'plasm-ro-'));
    writeFileSync(join(data, 'keep.txt'), 'original');
    const module = join(EXAMPLES, 'cat-file', 'cat-file.wasm');
    const write = await cli(['run', '-q', '--ro-dir', `${data}::/data`, module, '--', '--write', '/data/keep.txt', 'changed']);
    expect(write.exitCode).toBe(1);
    expect(write.stderr).toMatch(/Capabilities insufficient/);
    const created = await cli(['run', '-q', '--ro-dir', `${data}::/data`, module, '--', '--write', '/data/new.txt', 'x']);
    expect(created.exitCode).toBe(1);
    const { readdirSync, readFileSync } = await import('node:fs');
    expect(readdirSync(data)).toEqual(['keep.txt']);
    expect(readFileSync(join(data, 'keep.txt'), 'utf8')).toBe('original');
    const writable = await cli(['run', '-q', '--dir', `${data}::/data`, module, '--', '--write', '/data/new.txt', 'x']);
    expect(writable.exitCode).toBe(0);
    expect(readFileSync(join(data, 'new.txt'), 'utf8')).toBe('x');
  });

  it('runs WebAssembly text (.wat) directly', async () => {
    const r = await cli(['run', '-q', join(WAT, 'hello.wat')]);
    expect(r.stdout).toBe('hello from wat\n');
  });

  it('passes the module stderr through and reports a non-zero exit', async () => {
    const r = await cli(['run', join(WAT, 'stderr-and-exit.wat')]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^something went wrong\nplasm-tui: stderr-and-exit · exit 3 · /);
  });

  it.each([
    [['run'], /needs a module/],
    [['run', '--memory', 'lots', hello], /--memory takes a whole number/],
    [['run', '--timeout', '0', hello], /--timeout takes a number greater than 0/],
    [['run', '--bogus', hello], /Unknown option '--bogus'/],
    [['run', '--env', 'NOEQUALS', hello], /--env takes KEY=VALUE/],
    [['run', '--stdin', 'a', '--stdin-file', 'b', hello], /cannot be used together/],
    [['run', 'README.md'], /neither a module/],
    [['run', '--fuel', '1.5', hello], /--fuel takes a whole number of at least 1/],
  ])('refuses bad usage %j with exit 2 and one clear line', async (args, message) => {
    const r = await cli(args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('reports a missing module as invalid (65), in --json too', async () => {
    const r = await cli(['run', '/nonexistent/x.wasm']);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toMatch(/\/nonexistent\/x\.wasm does not exist/);
    const json = await cli(['run', '--json', '/nonexistent/x.wasm']);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'invalid', exit_code: null });
    expect(json.stderr).not.toMatch(noStackTrace);
  });

  it('stops the job, without a crash, when its reader goes away (`| head`)', async () => {
    const run = cli(['run', join(WAT, 'spew-stdout.wat')]);
    run.stdout?.once('data', () => run.stdout?.destroy());
    const r = await run;
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toMatch(/stdout was closed, so the job was stopped/);
    expect(r.stderr).not.toMatch(noStackTrace);
  });

  it('accepts a time limit longer than a timer can hold', async () => {
    const r = await cli(['run', '--json', '--timeout', '1e10', '--stdin', 'x', hello]);
    expect(JSON.parse(r.stdout as string)).toMatchObject({ status: 'ok', stdout: 'x' });
    expect(r.stderr).toBe('');
  });
});

describe('the sha256 example', () => {
  it('hashes stdin like sha256sum and its own xorshift64 stream like node:crypto', async () => {
    const { createHash } = await import('node:crypto');
    const module = join(EXAMPLES, 'sha256', 'sha256.wasm');
    const abc = await cli(['run', '-q', '--stdin', 'abc', module, '--', '-']);
    expect(abc.stdout).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -\n');
    // The same stream in JavaScript: 1 MiB of xorshift64 words, little-endian.
    const data = Buffer.alloc(1 << 20);
    let x = 0x9e3779b97f4a7c15n;
    const mask = (1n << 64n) - 1n;
    for (let i = 0; i < data.length; i += 8) {
      x ^= (x << 13n) & mask;
      x ^= x >> 7n;
      x ^= (x << 17n) & mask;
      data.writeBigUInt64LE(x, i);
    }
    const one = await cli(['run', '-q', module, '--', '1']);
    expect(one.stdout).toBe(`${createHash('sha256').update(data).digest('hex')}  1 MiB of xorshift64\n`);
    const bad = await cli(['run', '-q', module, '--', 'lots']);
    expect(bad.exitCode).toBe(2);
  });
});

describe('run --receipt, in a loop', () => {
  it('into a folder (DIR/) writes the next NNNN.json there, one per run, never over another', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-receipts-'));
    const folder = join(dir, 'receipts');
    const paths: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await cli(['run', '--json', '--stdin', `run ${i}`, '--receipt', `${folder}/`, hello]);
      expect(r.exitCode, String(r.stderr)).toBe(0);
      paths.push(JSON.parse(String(r.stdout)).receipt_path);
    }
    expect(paths).toEqual(['0001.json', '0002.json', '0003.json'].map((name) => join(folder, name)));
    expect(readdirSync(folder).sort()).toEqual(['0001.json', '0002.json', '0003.json']);
    // A folder that exists needs no slash; the summary names the file written.
    const again = await cli(['run', '--stdin', 'x', '--receipt', folder, hello]);
    expect(again.stderr).toMatch(new RegExp(`receipt ${join(folder, '0004.json').replaceAll('/', '\\/')}\\n$`));
    expect(JSON.parse(readFileSync(join(folder, '0001.json'), 'utf8'))).toMatchObject({ job: 'hello', status: 'ok' });
  });

  it('with {n} in the name writes the next number in its place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-receipts-'));
    writeFileSync(join(dir, 'hello-0007.json'), 'not a receipt, kept');
    const r = await cli(['run', '-q', '--stdin', 'x', '--receipt', join(dir, 'hello-{n}.json'), hello]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['hello-0007.json', 'hello-0008.json']);
    expect(readFileSync(join(dir, 'hello-0007.json'), 'utf8')).toBe('not a receipt, kept');
    const twice = await cli(['run', '-q', '--stdin', 'x', '--receipt', join(dir, '{n}-{n}.json'), hello]);
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr).toMatch(/--receipt takes one \{n\} in the file name/);
  });

  it('into a file that exists is still refused before the job runs (74)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-receipts-'));
    writeFileSync(join(dir, 'r.json'), 'kept');
    const r = await cli(['run', '--stdin', 'x', '--receipt', join(dir, 'r.json'), hello]);
    expect(r.exitCode).toBe(74);
    expect(r.stdout).toBe('');
    expect(readFileSync(join(dir, 'r.json'), 'utf8')).toBe('kept');
  });
});

describe('run --json timings', () => {
  it('are given to 0.1 ms, without float noise', async () => {
    const r = await cli(['run', '--json', '--stdin', 'x', hello]);
    const { timing } = JSON.parse(String(r.stdout)) as { timing: Record<string, number> };
    expect(Object.keys(timing).sort()).toEqual(['compile_ms', 'run_ms', 'start_ms', 'total_ms']);
    for (const ms of Object.values(timing)) expect(Math.round(ms * 10) / 10).toBe(ms);
  });
});
