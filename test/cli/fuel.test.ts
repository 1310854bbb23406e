// Fuel through the real binary and the SDK: a budget meters the guest's executed instructions,
// the count is the same on every run of the same module and input, and running out ends the job
// with fuel_exhausted (exit 125) wherever it happens — a loop, a start function, mid-output.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import wabt from 'wabt';
import { compileWat, type Wabt } from '../../src/core/wat-text.js';
import { Client } from '../../src/sdk/index.js';
import { ceiling } from '../helpers/ceiling.js';
import { cli, EXAMPLES, WAT } from '../helpers/cli.js';
import { envFor, MODES } from '../helpers/modes.js';

const SIEVE = join(EXAMPLES, 'sieve', 'sieve.wasm');

async function json(args: string[]) {
  const r = await cli(['run', '--json', ...args]);
  return { exitCode: r.exitCode, report: JSON.parse(r.stdout) as { status: string; message: string; stdout: string; usage: { fuel_consumed: number | null }; receipt: { fuel_consumed: number | null; limits: { fuel: number | null } } } };
}

describe('fuel', () => {
  it('counts the same instructions on every run of the same module and input, into the report and the receipt', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => json(['--fuel', '1000000000', '--stdin', '100000', SIEVE])));
    const counts = runs.map((r) => r.report.usage.fuel_consumed);
    expect(runs.every((r) => r.report.status === 'ok' && r.report.stdout === '9592 primes <= 100000, largest 99991\n')).toBe(true);
    expect(counts[0]).toBeGreaterThan(1000);
    expect(new Set(counts).size).toBe(1);
    expect(runs[0]?.report.receipt.fuel_consumed).toBe(counts[0]);
    expect(runs[0]?.report.receipt.limits.fuel).toBe(1000000000);
    // More work, more fuel.
    const bigger = await json(['--fuel', '1000000000', '--stdin', '200000', SIEVE]);
    expect(bigger.report.usage.fuel_consumed).toBeGreaterThan(counts[0] as number);
    // The exact need passes; one less runs out.
    const need = counts[0] as number;
    const exact = await json(['--fuel', String(need), '--stdin', '100000', SIEVE]);
    expect(exact.report.status).toBe('ok');
    const short = await json(['--fuel', String(need - 1), '--stdin', '100000', SIEVE]);
    expect(short.report.status).toBe('fuel_exhausted');
    expect(short.exitCode).toBe(125);
  });

  it.each(['loop-then-oob.wat', 'div-zero.wat', 'oob.wat'])('%s: a run that traps reports the fuel it needs, and that budget gives the same trap', async (file) => {
    const free = await json(['--fuel', '1000000000', join(WAT, file)]);
    expect(free.report.status).toBe('trap');
    const need = free.report.usage.fuel_consumed as number;
    expect(need).toBeGreaterThan(file === 'loop-then-oob.wat' ? 8_000_000 : 0);
    expect(free.report.receipt.fuel_consumed).toBe(need);
    const exact = await json(['--fuel', String(need), join(WAT, file)]);
    expect(exact.report).toMatchObject({ status: 'trap', message: free.report.message, usage: { fuel_consumed: need } });
    const short = await json(['--fuel', String(need - 1), join(WAT, file)]);
    expect(short.report.status).toBe('fuel_exhausted');
  });

  it('counts the same for the same stdin however it arrives: from a file, or a pipe in pieces with pauses', async () => {
    // 1 MiB read in 64 KiB reads: 16 reads that return bytes, each as long as asked for.
    const dir = mkdtempSync(join(tmpdir(), 'plasm-fuel-stdin-'));
    const input = Buffer.alloc(1 << 20);
    for (let i = 0; i < input.length; i++) input[i] = (i * 7919) & 0xff;
    writeFileSync(join(dir, 'in.bin'), input);
    const args = ['run', '--json', '--fuel', '1000000000', join(WAT, 'read-chunks.wat')];
    const fromFile = await cli(args, { input: undefined, inputFile: join(dir, 'in.bin') });
    async function* paced() {
      for (let at = 0; at < input.length; at += 100_000) {
        yield input.subarray(at, at + 100_000);
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    }
    const fromPipe = await cli(args, { input: Readable.from(paced()) });
    const reports = [fromFile, fromPipe].map((r) => JSON.parse(String(r.stdout)) as { status: string; stdout: string; usage: { fuel_consumed: number } });
    for (const report of reports) expect(report).toMatchObject({ status: 'ok', stdout: '.'.repeat(16) });
    expect(reports[1]?.usage.fuel_consumed).toBe(reports[0]?.usage.fuel_consumed);
  });

  it('a valid module the meter cannot take ends unmeterable (69), saying so; it runs without fuel', async () => {
    // 50,000 locals in one function is V8's limit: the metered form's one more is past it.
    const dir = mkdtempSync(join(tmpdir(), 'plasm-fuel-locals-'));
    const module = join(dir, 'many-locals.wat');
    writeFileSync(module, `(module (memory (export "memory") 1) (func (export "_start") (local ${'i32 '.repeat(50_000)})))`);
    const metered = await json(['--fuel', '1000', module]);
    expect(metered.exitCode).toBe(69);
    expect(metered.report.status).toBe('unmeterable');
    expect(metered.report.message).toMatch(/^Fuel metering cannot be applied to this module: its metered form is past a limit of the WebAssembly engine \(.*local count too large.*\); the module itself is valid and runs without fuel\.$/);
    expect(metered.report.receipt).toMatchObject({ status: 'unmeterable', fuel_consumed: null });
    const plain = await json([module]);
    expect(plain.report.status).toBe('ok');
  });

  it('a module using exception handling, which the meter does not know, ends unmeterable too', async () => {
    const wabt = await (await import('wabt')).default();
    const parsed = wabt.parseWat('try.wat', '(module (memory (export "memory") 1) (func (export "_start") (try (do) (catch_all))))', { exceptions: true });
    const module = join(mkdtempSync(join(tmpdir(), 'plasm-fuel-try-')), 'try.wasm');
    writeFileSync(module, parsed.toBinary({}).buffer);
    parsed.destroy();
    const metered = await json(['--fuel', '1000', module]);
    expect(metered.exitCode).toBe(69);
    expect(metered.report).toMatchObject({ status: 'unmeterable', message: expect.stringMatching(/exception handling/) });
    expect((await json([module])).report.status).toBe('ok');
    // Deterministic mode counts time in fuel: such a module cannot run in it, and is told so.
    const deterministic = await json(['--deterministic', module]);
    expect(deterministic.exitCode).toBe(69);
    expect(deterministic.report.message).toMatch(/exception handling.* Deterministic mode counts time in fuel, so this module runs only without --deterministic\.$/);
  });

  it('a module over its memory cap is still memory_limit under fuel, not unmeterable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-fuel-big-'));
    const module = join(dir, 'big.wat');
    writeFileSync(module, '(module (memory (export "memory") 2048) (func (export "_start")))');
    const metered = await json(['--fuel', '1000', '--memory', '64', module]);
    expect(metered.report.status).toBe('memory_limit');
  });

  it('stops a tight infinite loop long before its time limit, and a start section that never returns', async () => {
    const started = Date.now();
    const loop = await json(['--fuel', '1000000', '--timeout', '30', join(WAT, 'loop.wat')]);
    expect(loop.exitCode).toBe(125);
    expect(loop.report.status).toBe('fuel_exhausted');
    expect(loop.report.message).toBe('The job ran out of fuel: it used its whole budget of 1000000 instructions.');
    expect(loop.report.usage.fuel_consumed).toBe(1000000);
    const start = await json(['--fuel', '1000000', '--timeout', '30', join(WAT, 'start-loop.wat')]);
    expect(start.report.status).toBe('fuel_exhausted');
    expect(Date.now() - started).toBeLessThan(ceiling(10_000)); // a guard, scaled for the machine
  });

  it('does not lower how deep a module can recurse: the deepest recursion that runs unmetered runs metered too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-tui-recursion-'));
    const wat = (await wabt()) as unknown as Wabt;
    const recursion = (depth: number): string => {
      const file = join(dir, `rec-${depth}.wasm`);
      const binary = compileWat(
        wat,
        'rec.wat',
        `(module (memory (export "memory") 1)
          (func $rec (param $n i32) (result i32)
            (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
              (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get $n) (i32.const 1)))))))
          (func (export "_start") (drop (call $rec (i32.const ${depth})))))`,
      );
      if (typeof binary === 'string') throw new Error(binary);
      writeFileSync(file, binary);
      return file;
    };
    // The deepest that runs without fuel, to within 2% (a stack overflow traps, exit 134).
    let low = 2000;
    let high = 128_000;
    while (high - low > low / 50) {
      const middle = Math.floor((low + high) / 2);
      const r = await cli(['run', '-q', recursion(middle)]);
      if (r.exitCode === 0) low = middle;
      else {
        expect(r.stderr + r.stdout).not.toMatch(/plasm-tui failed|sandbox failed/);
        high = middle;
      }
    }
    expect(low).toBeGreaterThan(5000);
    const metered = await json(['--fuel', '1000000000000', recursion(low)]);
    expect(metered.report.status, metered.report.message).toBe('ok');
    const deterministic = await json(['--deterministic', recursion(low)]);
    expect(deterministic.report.status, deterministic.report.message).toBe('ok');
    rmSync(dir, { recursive: true, force: true });
  });

  it('without a budget nothing is metered: fuel_consumed is null', async () => {
    const r = await json(['--stdin', '10', SIEVE]);
    expect(r.report.status).toBe('ok');
    expect(r.report.usage.fuel_consumed).toBeNull();
    expect(r.report.receipt.limits.fuel).toBeNull();
  });

  it('comes from a manifest, or from the config as a default; a bad budget is a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-fuel-'));
    writeFileSync(join(dir, 'loop.wat'), '(module (memory (export "memory") 1) (func (export "_start") (loop (br 0))))');
    writeFileSync(join(dir, 'plasm.json'), JSON.stringify({ version: '0.2', module: 'loop.wat', fuel: 5000 }));
    const manifest = await json([join(dir, 'plasm.json')]);
    expect(manifest.report.status).toBe('fuel_exhausted');
    expect(manifest.report.usage.fuel_consumed).toBe(5000);
    const config = join(dir, 'config');
    mkdirSync(join(config, 'plasm-tui'), { recursive: true });
    writeFileSync(join(config, 'plasm-tui', 'config.json'), JSON.stringify({ fuel: 7000 }));
    const fromConfig = await cli(['run', '--json', join(dir, 'loop.wat')], { env: { XDG_CONFIG_HOME: config } });
    expect(JSON.parse(fromConfig.stdout).usage.fuel_consumed).toBe(7000);
    const zero = await cli(['run', '--fuel', '0', join(dir, 'loop.wat')]);
    expect(zero.exitCode).toBe(2);
    expect(zero.stderr).toMatch(/--fuel takes a whole number of at least 1/);
  });

  it('the SDK meters with withFuel and reports exhaustion', async () => {
    const client = new Client();
    const out = await client.createJob(join(WAT, 'loop.wat')).withFuel(20000).submit();
    expect(out.status()).toBe('fuel_exhausted');
    expect(out.processExitCode()).toBe(125);
    expect(out.usage().fuelConsumed).toBe(20000);
    const ok = await client.createJob(join(EXAMPLES, 'hello', 'hello.wasm')).withFuel(1_000_000).submit('abc');
    expect(ok.stdout()).toBe('cba');
    expect(ok.usage().fuelConsumed).toBeGreaterThan(0);
    expect(ok.receipt().data).toMatchObject({ fuel_consumed: ok.usage().fuelConsumed });
  });
});

// Metering adds one i64 local to every function (after its last local) and one mutable i64
// global (after the last global): the fuel. A module that names the index one past the end is
// invalid as written, and used to become valid once metered, its out-of-range index now naming
// the fuel. Both modules below forged their fuel that way; now they are refused as written.
describe.each(MODES)('a module invalid as written cannot reach the fuel (OS sandbox %s)', (mode) => {
  let dir: string;
  let wabt: Awaited<ReturnType<typeof import('wabt')>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plasm-fuel-forge-'));
    wabt = await (await import('wabt')).default();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** WAT → wasm bytes as written: no name resolution, no validation (wat2wasm would refuse these). */
  function unvalidated(name: string, text: string): string {
    const module = wabt.parseWat(`${name}.wat`, text);
    try {
      const path = join(dir, `${name}.wasm`);
      writeFileSync(path, module.toBinary({}).buffer);
      return path;
    } finally {
      module.destroy();
    }
  }

  const HEAD = '(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32))) (memory (export "memory") 1)';
  it.each([
    [
      // `_start` has one local (0, the loop counter); local 1 would be the fuel. It refilled
      // the fuel, ran a million iterations on a budget of 1000, and then set what was left so
      // that the receipt said it used 1 instruction.
      'local',
      `${HEAD} (func (export "_start") (local i32)
        (local.set 1 (i64.const 0x7fffffffffffffff))
        (loop (local.set 0 (i32.add (local.get 0) (i32.const 1))) (br_if 0 (i32.lt_u (local.get 0) (i32.const 1000000))))
        (local.set 1 (i64.const 999))))`,
      /invalid local index: 1/,
    ],
    [
      // No globals: global 0 would be the fuel. It set the fuel below zero and trapped, and the
      // run was reported as having run out of fuel (the status it chose), not as the trap it was.
      'global',
      `${HEAD} (func (export "_start")
        (global.set 0 (i64.const -1))
        (drop (i32.div_u (i32.const 1) (i32.load (i32.const 0))))))`,
      /invalid global index: 0/i,
    ],
  ])('an index one past its %ss: invalid (65) with or without fuel, in the same words', async (name, text, words) => {
    const module = unvalidated(name, text);
    const run = async (args: string[]) => {
      const r = await cli(['run', '--json', ...args, module], { env: envFor(mode) });
      return { exitCode: r.exitCode, report: JSON.parse(r.stdout) as { status: string; message: string; usage: { fuel_consumed: number | null }; receipt: { status: string; fuel_consumed: number | null } } };
    };
    const plain = await run([]);
    expect(plain.report.status).toBe('invalid');
    expect(plain.report.message).toMatch(words);
    expect(plain.exitCode).toBe(65);
    const metered = await run(['--fuel', '1000']);
    expect(metered.report.status).toBe('invalid');
    expect(metered.exitCode).toBe(65);
    expect(metered.report.message).toBe(plain.report.message);
    expect(metered.report.usage.fuel_consumed).toBeNull();
    expect(metered.report.receipt).toMatchObject({ status: 'invalid', fuel_consumed: null });
  });
});
