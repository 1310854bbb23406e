// Fuel metering by instrumentation: the metered module still validates and behaves the same,
// its count is exact and the same on every run, a tight loop cannot outrun it, and bad input
// is refused with one sentence.
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { beforeAll, describe, expect, test } from 'vitest';
import { ceiling } from '../helpers/ceiling.js';
import { isPlasmError } from '../../src/core/errors.js';
import { watToWasm } from '../../src/engine/wat.js';
import { FUEL_EXPORT, instrumentFuel } from '../../src/sandbox/fuel/instrument.js';
import { meterFuel } from '../../src/sandbox/fuel/meter.js';
import { fuelUsage, isFuelTrap } from '../../src/sandbox/fuel/usage.js';
import { EXAMPLES, WAT } from '../helpers/cli.js';

const example = (name: string): Uint8Array => readFileSync(join(EXAMPLES, name, `${name}.wasm`));
const HELLO = example('hello');
const SIEVE = example('sieve');
const BIG = 1e15;

let wabt: Awaited<ReturnType<typeof import('wabt')>>;
beforeAll(async () => {
  wabt = await (await import('wabt')).default();
});

/** WAT → wasm with every feature the instrumenter claims to handle. */
function wat(text: string): Uint8Array {
  const module = wabt.parseWat('inline.wat', text, {
    simd: true, threads: true, tail_call: true, reference_types: true, multi_value: true, bulk_memory: true,
    sat_float_to_int: true, sign_extension: true, mutable_globals: true,
  });
  try {
    module.resolveNames();
    module.validate();
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** WAT → wasm as written, without validation: what a hostile module may be. */
function unvalidated(text: string): Uint8Array {
  const module = wabt.parseWat('inline.wat', text);
  try {
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

interface Run {
  stdout: string;
  exitCode: number | null;
  error: unknown;
  instance: WebAssembly.Instance | undefined;
}

/** A WASI command run in this process, stdin and stdout through files. */
async function runWasi(bytes: Uint8Array, stdin = ''): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-fuel-'));
  writeFileSync(join(dir, 'in'), stdin);
  const fds = [openSync(join(dir, 'in'), 'r'), openSync(join(dir, 'out'), 'w'), openSync(join(dir, 'err'), 'w')] as const;
  const wasi = new WASI({ version: 'preview1', args: ['guest.wasm'], env: {}, returnOnExit: true, stdin: fds[0], stdout: fds[1], stderr: fds[2] });
  let instance: WebAssembly.Instance | undefined;
  let exitCode: number | null = null;
  let error: unknown;
  try {
    const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
    instance = await WebAssembly.instantiate(module, wasi.getImportObject() as WebAssembly.Imports);
    exitCode = wasi.start(instance);
  } catch (caught) {
    error = caught;
  } finally {
    fds.forEach((fd) => closeSync(fd));
  }
  const stdout = readFileSync(join(dir, 'out'), 'utf8');
  rmSync(dir, { recursive: true });
  return { stdout, exitCode, error, instance };
}

async function runMetered(wasm: Uint8Array, budget: number, stdin = '') {
  const metered = instrumentFuel(wasm, budget);
  const run = await runWasi(metered.bytes, stdin);
  const usage = run.instance ? fuelUsage(run.instance, metered) : undefined;
  return { ...run, metered, usage };
}

describe('the metered module', () => {
  test('validates for every example and every WAT fixture', async () => {
    const modules: [string, Uint8Array][] = ['hello', 'sieve', 'args-env', 'cat-file'].map((name) => [name, example(name)]);
    for (const file of readdirSync(WAT).filter((f) => f.endsWith('.wat'))) {
      modules.push([file, await watToWasm(readFileSync(join(WAT, file), 'utf8'), file)]);
    }
    for (const [name, wasm] of modules) {
      const metered = instrumentFuel(wasm, 1000);
      expect(WebAssembly.validate(metered.bytes as Uint8Array<ArrayBuffer>), name).toBe(true);
      const exports = WebAssembly.Module.exports(new WebAssembly.Module(metered.bytes as Uint8Array<ArrayBuffer>));
      expect(exports, name).toContainEqual({ name: FUEL_EXPORT, kind: 'global' });
      expect(metered.checks, name).toBeGreaterThan(0);
    }
  });

  test('runs hello and the sieve with the same output and exit code as the original', async () => {
    for (const [wasm, stdin, expected] of [
      [HELLO, 'Hello, World\n', 'dlroW ,olleH\n'],
      [SIEVE, '100000', undefined],
    ] as const) {
      const plain = await runWasi(wasm, stdin);
      const metered = await runMetered(wasm, BIG, stdin);
      if (expected) expect(plain.stdout).toBe(expected);
      expect(metered.stdout).toBe(plain.stdout);
      expect(metered.exitCode).toBe(plain.exitCode);
      expect(metered.usage?.exhausted).toBe(false);
      expect(metered.usage?.consumed).toBeGreaterThan(0);
    }
  });

  test('consumes the same fuel on every run of the same module and input', async () => {
    for (const [wasm, stdin] of [[HELLO, 'abc'], [SIEVE, '100000']] as const) {
      const consumed = new Set<number>();
      for (let i = 0; i < 5; i++) consumed.add((await runMetered(wasm, BIG, stdin)).usage!.consumed);
      expect(consumed.size).toBe(1);
    }
    // More work, more fuel.
    const small = (await runMetered(SIEVE, BIG, '1000')).usage!.consumed;
    const large = (await runMetered(SIEVE, BIG, '100000')).usage!.consumed;
    expect(large).toBeGreaterThan(small * 10);
  });

  test('keeps exports, imports and the start function as they were', () => {
    const before = new WebAssembly.Module(HELLO as Uint8Array<ArrayBuffer>);
    const after = new WebAssembly.Module(instrumentFuel(HELLO, 1).bytes as Uint8Array<ArrayBuffer>);
    expect(WebAssembly.Module.imports(after)).toEqual(WebAssembly.Module.imports(before));
    expect(WebAssembly.Module.exports(after)).toEqual([...WebAssembly.Module.exports(before), { name: FUEL_EXPORT, kind: 'global' }]);
  });
});

describe('custom sections', () => {
  test('keeps the name section byte for byte (no function index moved) and drops stale DWARF', () => {
    const named = wabt.parseWat('named.wat', '(module (func $helper (param $x i32) (local $y i64)) (func $main (call $helper (i32.const 1))))');
    named.resolveNames();
    const wasm = new Uint8Array(named.toBinary({ write_debug_names: true }).buffer);
    named.destroy();
    // Append a DWARF-style custom section: id 0, size, name ".debug_info", payload.
    const name = new TextEncoder().encode('.debug_info');
    const withDwarf = Uint8Array.from([...wasm, 0, 1 + name.length + 3, name.length, ...name, 1, 2, 3]);
    const before = new WebAssembly.Module(withDwarf);
    const after = new WebAssembly.Module(instrumentFuel(withDwarf, 10).bytes as Uint8Array<ArrayBuffer>);
    expect(WebAssembly.Module.customSections(after, 'name')).toEqual(WebAssembly.Module.customSections(before, 'name'));
    expect(WebAssembly.Module.customSections(before, '.debug_info')).toHaveLength(1);
    expect(WebAssembly.Module.customSections(after, '.debug_info')).toHaveLength(0);
  });
});

describe('the cost model', () => {
  // Each original instruction counts 1, structure and no-ops 0 (block, loop, else, end, nop, drop,
  // unreachable, return), as in wasmtime; a block is charged when it is entered.
  function meteredExports(text: string) {
    const metered = instrumentFuel(wat(text), BIG);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(metered.bytes as Uint8Array<ArrayBuffer>), {});
    const fuel = instance.exports[FUEL_EXPORT] as WebAssembly.Global;
    return (name: string, ...args: number[]) => {
      fuel.value = BigInt(BIG); // the global is mutable: a host may refill it between calls
      const result = (instance.exports[name] as (...a: number[]) => unknown)(...args);
      return { result, consumed: fuelUsage(instance, metered).consumed };
    };
  }

  test('a counted loop: its body per iteration; the loop and its ends are free', () => {
    const call = meteredExports(`(module (func (export "count") (param $n i32) (local $i i32)
      (loop $l
        local.get $i
        i32.const 1
        i32.add
        local.tee $i
        local.get $n
        i32.lt_u
        br_if $l)))`);
    expect(call('count', 10).consumed).toBe(10 * 7);
    expect(call('count', 1000).consumed).toBe(1000 * 7);
  });

  test('branches, if/else and calls: only the instructions on the path taken', () => {
    const call = meteredExports(`(module
      (func $one (result i32) i32.const 1)
      (func (export "pick") (param $x i32) (result i32)
        (block $skip
          local.get $x
          br_if $skip
          nop)
        local.get $x
        (if (result i32) (then call $one) (else i32.const 2))))`);
    // local.get br_if | local.get if | i32.const (block, nop and the ends free)
    expect(call('pick', 0)).toEqual({ result: 2, consumed: 2 + 2 + 1 });
    // local.get br_if | local.get if | call | [$one: i32.const] (else and the ends free)
    expect(call('pick', 1)).toEqual({ result: 1, consumed: 2 + 2 + 1 + 1 });
  });

  test("an interpreter's switch costs its dispatch, not its nesting: 100 nested blocks, one br_table", () => {
    const labels = Array.from({ length: 100 }, (_, i) => `$b${i}`);
    const call = meteredExports(`(module (func (export "dispatch") (param $op i32) (result i32)
      ${labels.map((l) => `(block ${l}`).join(' ')}
        (br_table ${labels.join(' ')} (local.get $op))
      ${')'.repeat(100)}
      i32.const 7))`);
    // local.get br_table | i32.const: whichever case, the 100 blocks and their ends are free.
    for (const op of [0, 42, 99]) expect(call('dispatch', op)).toEqual({ result: 7, consumed: 3 });
  });

  test('recursion is charged per call and checked at every entry', () => {
    const call = meteredExports(`(module (func $down (export "down") (param $n i32) (result i32)
      local.get $n
      i32.eqz
      (if (result i32) (then i32.const 0)
        (else local.get $n i32.const 1 i32.sub call $down))))`);
    // The base case: local.get i32.eqz if | i32.const (else and end free).
    // Each other level: local.get i32.eqz if | local.get i32.const i32.sub call.
    expect(call('down', 0).consumed).toBe(4);
    expect(call('down', 5).consumed).toBe(5 * 7 + 4);
  });
});

describe('a run that ends in a trap', () => {
  // Each traps after some work; the fuel it reports is what it needs: with exactly that budget it
  // traps the same way, with one less it runs out of fuel instead.
  const traps: [string, string, RegExp][] = [
    ['divide by zero', '(func (export "_start") (drop (i32.div_u (i32.const 1) (i32.const 0))))', /divi/],
    [
      'an out-of-bounds store after a million turns of a loop',
      `(func (export "_start") (local $i i32)
         (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (i32.const 1000000))))
         (i32.store (i32.const 70000) (i32.const 1)))`,
      /out of bounds/,
    ],
    ['a float that has no integer', '(func (export "_start") (drop (i32.trunc_f32_s (f32.const nan))))', /float unrepresentable|invalid conversion/i],
    ['memory.fill past the end', '(func (export "_start") (memory.fill (i32.const 65530) (i32.const 0) (i32.const 100)))', /out of bounds/],
  ];
  test.each(traps)('%s: reports the fuel it needs, and that budget gives the same trap', async (_name, func, message) => {
    const wasm = wat(`(module (memory (export "memory") 1) ${func})`);
    const free = await runMetered(wasm, BIG);
    expect(String(free.error)).toMatch(message);
    const needed = free.usage!.consumed;
    expect(needed).toBeGreaterThan(0);
    const exact = await runMetered(wasm, needed);
    expect(String(exact.error)).toMatch(message);
    expect(exact.usage).toMatchObject({ consumed: needed, exhausted: false });
    const short = await runMetered(wasm, needed - 1);
    expect(short.usage?.exhausted).toBe(true);
  });

  test('counts the work before the trap: a million turns of a loop are not lost', async () => {
    const wasm = wat(`(module (memory (export "memory") 1) ${traps[1]![1]})`);
    expect((await runMetered(wasm, BIG)).usage!.consumed).toBeGreaterThan(1_000_000 * 8);
  });
});

describe('exhaustion', () => {
  test('stops a tight infinite loop quickly and reads as exhausted', async () => {
    const loop = await watToWasm(readFileSync(join(WAT, 'loop.wat'), 'utf8'), 'loop.wat');
    const started = performance.now();
    const run = await runMetered(loop, 1e6);
    // A hang guard, not a pace (what metering costs is npm run bench's row 3).
    expect(performance.now() - started).toBeLessThan(ceiling(2000));
    expect(run.error).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(String(run.error)).toMatch(/unreachable/);
    expect((run.instance!.exports[FUEL_EXPORT] as WebAssembly.Global).value).toBeLessThan(0n);
    expect(run.usage).toEqual({ consumed: 1e6, exhausted: true });
    expect(isFuelTrap(run.error, run.metered)).toBe(true);
  });

  test('stops a start function that loops forever, during instantiation', async () => {
    const startLoop = await watToWasm(readFileSync(join(WAT, 'start-loop.wat'), 'utf8'), 'start-loop.wat');
    const run = await runMetered(startLoop, 1e6);
    expect(run.instance).toBeUndefined(); // no global to read: the trap's place tells
    expect(isFuelTrap(run.error, run.metered)).toBe(true);
  });

  test('tells a trap of the guest apart from running out', async () => {
    const unreachable = await watToWasm(readFileSync(join(WAT, 'unreachable.wat'), 'utf8'), 'unreachable.wat');
    const run = await runMetered(unreachable, 1e6);
    expect(String(run.error)).toMatch(/unreachable/);
    expect(isFuelTrap(run.error, run.metered)).toBe(false);
    expect(run.usage).toEqual({ consumed: 0, exhausted: false }); // unreachable is free, as in wasmtime
  });

  test('the exact need passes and one less is exhausted', async () => {
    for (const [wasm, stdin] of [[SIEVE, '10000'], [HELLO, 'Hello, World\n']] as const) {
      const full = await runMetered(wasm, BIG, stdin);
      const need = full.usage!.consumed;
      const enough = await runMetered(wasm, need, stdin);
      expect(enough.usage).toEqual({ consumed: need, exhausted: false });
      expect(enough.stdout).toBe(full.stdout);
      expect(enough.exitCode).toBe(full.exitCode);
      const short = await runMetered(wasm, need - 1, stdin);
      expect(short.usage).toEqual({ consumed: need - 1, exhausted: true });
    }
  });

  test('a budget of zero stops at the first instruction', async () => {
    const run = await runMetered(SIEVE, 0, '10');
    expect(run.usage).toEqual({ consumed: 0, exhausted: true });
    expect(run.stdout).toBe('');
  });
});

describe('instructions beyond the MVP', () => {
  test('multi-value, reference types, bulk memory, saturating conversions, SIMD and tail calls', () => {
    const wasm = wat(`(module
      (type $pair (func (param i32) (result i32 i32)))
      (memory 1) (table $t 2 funcref) (elem declare func $id)
      (func $id (param i32) (result i32) local.get 0)
      (func $swap (param i32 i32) (result i32 i32) local.get 1 local.get 0)
      (func (export "mix") (param $x i32) (result i32)
        (local $r funcref)
        ;; multi-value block with a type index
        local.get $x
        (block (type $pair) i32.const 3)
        call $swap
        i32.sub
        ;; reference types
        (table.set $t (i32.const 0) (ref.func $id))
        (local.set $r (table.get $t (i32.const 0)))
        (i32.add (ref.is_null (local.get $r)))
        (i32.add (select (result i32) (i32.const 5) (i32.const 6) (ref.is_null (ref.null func))))
        ;; bulk memory and saturating / sign-extending conversions
        (memory.fill (i32.const 0) (i32.const 7) (i32.const 16))
        (memory.copy (i32.const 32) (i32.const 0) (i32.const 16))
        (i32.add (i32.load8_u (i32.const 40)))
        (i32.add (i32.trunc_sat_f64_s (f64.const 1e30)))
        (i32.add (i32.extend8_s (i32.const 0xff)))
        ;; SIMD: a lane of a sum
        (i32.add (i32x4.extract_lane 2 (i32x4.add (v128.const i32x4 1 2 3 4) (i32x4.splat (i32.const 10)))))
        ;; br_table
        (block $a (block $b (br_table $a $b $a (i32.and (local.get $x) (i32.const 1)))))
        ;; a tail call
        (return_call $id))
    )`);
    const results = (bytes: Uint8Array) => {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), {});
      return [0, 1, 7, -5].map((x) => (instance.exports.mix as (x: number) => number)(x));
    };
    const metered = instrumentFuel(wasm, BIG);
    expect(WebAssembly.validate(metered.bytes as Uint8Array<ArrayBuffer>)).toBe(true);
    expect(results(metered.bytes)).toEqual(results(wasm));
  });

  test('modules without globals or exports get both sections, in order', () => {
    const metered = instrumentFuel(wat('(module (func (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))'), 5);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(metered.bytes as Uint8Array<ArrayBuffer>), {});
    expect((instance.exports[FUEL_EXPORT] as WebAssembly.Global).value).toBe(5n);
  });

  test('an imported global keeps its index; the fuel global comes after every defined one', () => {
    const wasm = wat(`(module (import "env" "g" (global $g i32)) (global $h (mut i32) (i32.const 2))
      (func (export "f") (result i32) (i32.add (global.get $g) (global.get $h))))`);
    const metered = instrumentFuel(wasm, 100);
    expect(metered.globalIndex).toBe(2);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(metered.bytes as Uint8Array<ArrayBuffer>), { env: { g: 40 } });
    expect((instance.exports.f as () => number)()).toBe(42);
    expect(fuelUsage(instance, metered)).toEqual({ consumed: 3, exhausted: false }); // global.get ×2, i32.add; end is free
  });
});

describe('refusals', () => {
  const refusal = (wasm: Uint8Array, budget = 100): string => {
    try {
      instrumentFuel(wasm, budget);
    } catch (error) {
      expect(isPlasmError(error) && error.kind).toBe('invalid');
      const message = (error as Error).message;
      expect(message).toMatch(/^The module cannot be metered for fuel: [^\n]+\.$/);
      return message;
    }
    throw new Error('expected a refusal');
  };

  test('bytes that are not a module', () => {
    expect(refusal(new Uint8Array())).toMatch(/not a WebAssembly binary/);
    expect(refusal(Buffer.from('(module)'))).toMatch(/magic number/);
    expect(refusal(Uint8Array.from([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]))).toMatch(/unsupported version/);
  });

  test('a bad budget', () => {
    expect(refusal(SIEVE, -1)).toMatch(/budget must be a whole number/);
    expect(refusal(SIEVE, 1.5)).toMatch(/budget/);
    expect(refusal(SIEVE, 2 ** 60)).toMatch(/budget/);
  });

  test('a module that already has the fuel export', () => {
    expect(refusal(wat(`(module (global (export "${FUEL_EXPORT}") i32 (i32.const 0)))`))).toMatch(/already exports __plasm_fuel/);
  });

  test('code naming the local or the global the fuel takes: one past the last, params and imports counted', () => {
    const local = (text: string) => unvalidated(`(module (func ${text}))`);
    expect(refusal(local('(param i32) (drop (local.get 1))'))).toMatch(/names a local the function does not have/);
    expect(refusal(local('(param i32) (local i64) (local.set 2 (i64.const 1))'))).toMatch(/names a local/);
    expect(refusal(local('(local i32 i32) (drop (local.tee 2 (i32.const 1)))'))).toMatch(/names a local/);
    expect(() => instrumentFuel(local('(param i32) (local i64) (drop (local.get 1))'), 100)).not.toThrow();
    const global = (text: string) => unvalidated(`(module (import "env" "g" (global i32)) (global (mut i64) (i64.const 0)) (func ${text}))`);
    expect(refusal(global('(drop (global.get 2))'))).toMatch(/names a global the module does not have/);
    expect(refusal(global('(global.set 2 (i64.const -1))'))).toMatch(/names a global/);
    expect(() => instrumentFuel(global('(global.set 1 (i64.const -1)) (drop (global.get 0))'), 100)).not.toThrow();
  });

  test('meterFuel meters only a module valid as written', () => {
    // Each of these becomes valid once a local and a global are appended, with the guest on the fuel.
    for (const text of ['(func (local.set 0 (i64.const 1)))', '(func (global.set 0 (i64.const 1)))', '(func (result i64) (local.get 0))']) {
      expect(meterFuel(unvalidated(`(module ${text})`), 100)).toBe('invalid');
    }
    expect(meterFuel(unvalidated('(module (func (result i32) (i64.const 1)))'), 100)).toBe('invalid');
    const metered = meterFuel(HELLO, 100);
    expect(metered !== 'invalid' && 'bytes' in metered && WebAssembly.validate(metered.bytes as Uint8Array<ArrayBuffer>)).toBe(true);
  });

  test('an instruction of a proposal it does not decode', () => {
    // (func) whose body is `try` … : 0x06 is exception handling's try.
    const wasm = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 7, 1, 5, 0, 0x06, 0x40, 0x0b, 0x0b]);
    expect(refusal(wasm)).toMatch(/exception handling \(instruction 0x06 at byte 23\)/);
  });

  test('every truncation and many corruptions of a real module end in a sentence or a module, never a hang', () => {
    const started = performance.now();
    for (let length = 0; length < SIEVE.length; length += 97) refusal(SIEVE.subarray(0, length));
    let seed = 1;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 300; i++) {
      const bytes = Uint8Array.from(SIEVE);
      for (let flips = 0; flips < 4; flips++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      try {
        instrumentFuel(bytes, 100);
      } catch (error) {
        expect(isPlasmError(error), String(error)).toBe(true);
      }
    }
    expect(performance.now() - started).toBeLessThan(ceiling(10_000));
  });
});
