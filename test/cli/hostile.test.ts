// Bad input gets a clear answer and loses nothing: every hostile or broken module, manifest and
// file ends in a classified status, a one-sentence message, the documented exit code, and no
// stack trace; the sandbox process never outlives its job.
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, EXAMPLES, WAT } from '../helpers/cli.js';

const noStackTrace = /\n\s+at /;
const hello = join(EXAMPLES, 'hello', 'hello.wasm');
const wat = (name: string): string => join(WAT, `${name}.wat`);

async function runJson(args: string[], input = '') {
  const r = await cli(['run', '--json', ...args], { input });
  expect(r.stderr).not.toMatch(noStackTrace);
  return { ...r, report: JSON.parse(r.stdout) as Record<string, any> };
}

/** Child PIDs of `pid`, read from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('time limits', () => {
  it('kills an infinite loop near the limit and leaves no process behind', async () => {
    const started = performance.now();
    // The sandbox process is looked for below this command: its own, even when a daemon runs
    // (test/daemon checks the daemon's workers go with their jobs).
    const run = cli(['run', '--json', '--no-daemon', '--timeout', '1.5', wat('loop')]);
    const seen = new Set<number>();
    while (run.exitCode === null && performance.now() - started < 10_000) {
      for (const child of childrenOf(run.pid as number)) seen.add(child);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const r = await run;
    const elapsed = performance.now() - started;
    const report = JSON.parse(r.stdout as string);
    expect(report.status).toBe('timeout');
    expect(report.message).toMatch(/1\.5 s time limit/);
    expect(r.exitCode).toBe(124);
    expect(elapsed).toBeGreaterThanOrEqual(1500);
    // The limit covers compiling the .wat (in the worker) and running it.
    expect(report.timing.compile_ms + report.timing.run_ms).toBeGreaterThanOrEqual(1450);
    expect(report.timing.compile_ms + report.timing.run_ms).toBeLessThan(4000);
    expect(seen.size).toBeGreaterThan(0); // the sandbox process was seen while it ran…
    for (const pid of seen) expect(alive(pid)).toBe(false); // …and is gone now
  });

  it.each(['start-loop', 'sleep'])('times out a module that never returns (%s)', async (name) => {
    const { report, exitCode } = await runJson(['--timeout', '1', wat(name)]);
    expect(report.status).toBe('timeout');
    expect(exitCode).toBe(124);
    expect(report.receipt.status).toBe('timeout');
    expect(report.receipt.exit_code).toBeNull();
  });
});

describe('memory', () => {
  it('stops memory.grow at the cap', async () => {
    const capped = await runJson(['--memory', '16', wat('grow')]);
    expect(capped.report.stdout).toBe('256\n'); // 16 MiB / 64 KiB pages
    expect(capped.report.usage.memory_peak_bytes).toBe(16 * 1024 * 1024);
    const defaults = await runJson([wat('grow')]);
    expect(defaults.report.stdout).toBe('2048\n'); // the 128 MiB default
  });

  it('refuses a module whose initial memory is over the cap, saying so', async () => {
    const { report, exitCode } = await runJson([wat('big-initial')]);
    expect(report.status).toBe('memory_limit');
    expect(report.message).toMatch(/asks for 256 MiB of initial memory, over its 128 MiB cap/);
    expect(exitCode).toBe(125);
    const raised = await runJson(['--memory', '300', wat('big-initial')]);
    expect(raised.report.status).toBe('ok');
  });
});

describe('traps', () => {
  it.each([
    ['recurse', /stack overflow/],
    ['unreachable', /unreachable instruction/],
    ['div-zero', /divide by zero/],
    ['oob', /out-of-bounds memory access/],
  ])('%s → trap naming it', async (name, message) => {
    const { report, exitCode } = await runJson([wat(name)]);
    expect(report.status).toBe('trap');
    expect(report.message).toMatch(message);
    expect(report.message.split('\n')).toHaveLength(1);
    expect(exitCode).toBe(134);
  });
});

describe('output limits', () => {
  it.each([
    ['spew-stdout', 'stdout'],
    ['spew-stderr', 'stderr'],
  ])('%s → output_limit, output cut exactly at the cap', async (name, stream) => {
    const { report, exitCode } = await runJson(['--max-output', '1000000', '--timeout', '20', wat(name)]);
    expect(report.status).toBe('output_limit');
    expect(report.message).toMatch(new RegExp(`more than 1000000 bytes to ${stream}`));
    expect(report[stream]).toHaveLength(1_000_000);
    expect(report[`${stream}_truncated`]).toBe(true);
    expect(exitCode).toBe(125);
  });

  it('keeps at most the default 16 MiB of an endless stream', async () => {
    const r = await cli(['run', '-q', '--timeout', '20', wat('spew-stdout')], { encoding: 'buffer' });
    expect(r.exitCode).toBe(125);
    expect((r.stdout as unknown as Buffer).length).toBe(16 * 1024 * 1024);
  });
});

describe('isolation', () => {
  it('gives the guest no host files without a preopen', async () => {
    const { report } = await runJson([wat('read-host-file')]);
    expect(report.stdout).toBe('errno=8\n'); // EBADF: there is no directory to open from
    expect(report.status).toBe('ok');
  });

  it('keeps host paths out of reach even with a preopen', async () => {
    const module = join(EXAMPLES, 'cat-file', 'cat-file.wasm');
    const data = join(EXAMPLES, 'cat-file', 'data');
    const r = await cli(['run', '--dir', `${data}::/data`, module, '--', '/etc/passwd', '/data/../../hello/main.rs']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/\/etc\/passwd: Capabilities insufficient/);
    expect(r.stderr).not.toMatch(/root:/);
  });

  it('hides the parent environment from the guest', async () => {
    const r = await cli(['run', '--json', '--env', 'GRANTED=yes', wat('print-env')], {
      env: { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, SECRET_TOKEN: 'hunter2', PATH: process.env.PATH },
    });
    const report = JSON.parse(r.stdout as string);
    expect(report.stdout).toBe('GRANTED=yes\ncount=1\n');
  });

  it('passes proc_exit(42) through as exit 42', async () => {
    const { report, exitCode } = await runJson([wat('exit-42')]);
    expect(report).toMatchObject({ status: 'exit', exit_code: 42 });
    expect(exitCode).toBe(42);
  });
});

describe('invalid modules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-invalid-'));
  const file = (name: string, bytes: string | Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it.each([
    ['no-start', /no _start function/],
    ['unknown-import', /imports env\.host_secret \(a function\)/],
    ['unknown-wasi-import', /imports wasi_snapshot_preview1\.fd_teleport/],
  ])('%s → invalid, naming what is missing', async (name, message) => {
    const { report, exitCode } = await runJson([wat(name)]);
    expect(report.status).toBe('invalid');
    expect(report.message).toMatch(message);
    expect(exitCode).toBe(65);
  });

  it.each([
    ['empty.wasm', '', /the file is empty/],
    ['text.wasm', 'just some text, not wasm\n', /not a WebAssembly binary/],
    ['truncated.wasm', () => readFileSync(hello).subarray(0, 1000), /truncated or corrupt|not valid/],
    ['broken.wat', '(module (func $f (result i32) i64.const 1))', /not valid WebAssembly text/],
  ] as const)('%s → invalid with one sentence', async (name, bytes, message) => {
    const path = file(name, typeof bytes === 'function' ? bytes() : bytes);
    const { report, exitCode } = await runJson([path]);
    expect(report.status).toBe('invalid');
    expect(report.message).toMatch(message);
    expect(exitCode).toBe(65);
    const plain = await cli(['run', path]);
    expect(plain.stderr).toMatch(message);
    expect(plain.stderr).not.toMatch(noStackTrace);
  });
});

describe('broken manifests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-manifests-'));
  copyFileSync(hello, join(dir, 'hello.wasm'));
  const manifest = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it.each([
    ['malformed.json', '{"version": "0.2",\n  "module": "hello.wasm",,\n}', /malformed\.json is not valid JSON at line 2, column \d+/],
    ['wrong-type.json', '{"version":"0.2","module":"hello.wasm","memory_mb":"lots"}', /wrong-type\.json: \/memory_mb must be integer \(rule: type\)/],
    ['unknown-key.json', '{"version":"0.2","module":"hello.wasm","memroy_mb":64}', /has unknown key "memroy_mb" \(rule: additionalProperties\)/],
    ['no-version.json', '{"module":"hello.wasm"}', /\/version is missing; it must be "0\.1" or "0\.2"/],
    ['v01-extra.json', `{"version":"0.1","module_hash":"sha256:${'0'.repeat(64)}","cpu_cores":1,"memory_mb":64,"timeout_seconds":5,"args":[]}`, /unknown key "args"/],
    ['missing-module.json', '{"version":"0.2","module":"nope.wasm"}', /nope\.wasm does not exist/],
    ['v01-no-match.json', `{"version":"0.1","module_hash":"sha256:${'ab'.repeat(32)}","cpu_cores":1,"memory_mb":64,"timeout_seconds":5}`, /no \.wasm file under .* has the hash sha256:abab/],
  ])('%s → a clear error and exit 65', async (name, text, message) => {
    const r = await cli(['run', manifest(name, text)]);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(noStackTrace);
    expect(r.stdout).toBe('');
  });

  it('refuses a module whose hash does not match the pin, naming both hashes', async () => {
    const pinned = `sha256:${'1'.repeat(64)}`;
    const path = manifest('pinned.json', JSON.stringify({ version: '0.2', module: 'hello.wasm', module_hash: pinned }));
    const { report, exitCode } = await runJson([path]);
    expect(report.status).toBe('invalid');
    expect(report.message).toContain(pinned);
    expect(report.message).toMatch(/has hash sha256:[a-f0-9]{64}, but .*pinned\.json pins/);
    expect(exitCode).toBe(65);
  });
});

describe('escape sequences from a module never reach the terminal through plasm-tui\'s own lines', () => {
  it('an import name carrying OSC and CSI sequences is neutralised in the summary line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-escape-'));
    const path = join(dir, 'evil.wat');
    writeFileSync(path, '(module (import "env" "\\1b]0;pwned\\07\\1b[2Jx" (func)) (memory (export "memory") 1) (func (export "_start")))');
    const r = await cli(['run', path]);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toMatch(/^plasm-tui: evil · invalid · .*The module imports env\..*x \(a function\)/);
    expect(r.stderr).not.toMatch(/[\x1b\x07\x9b\x9d]/);
  });
});
