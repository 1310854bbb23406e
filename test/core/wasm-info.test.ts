// inspectWasm: the quick look at a module's header and initial memory, before any sandbox starts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { inspectWasm } from '../../src/core/wasm-info.js';
import { EXAMPLES, WAT } from '../helpers/cli.js';

const HELLO = readFileSync(join(EXAMPLES, 'hello', 'hello.wasm'));

let wat2wasm: (name: string, text: string) => Uint8Array;
beforeAll(async () => {
  const wabt = await (await import('wabt')).default();
  wat2wasm = (name, text) => {
    const module = wabt.parseWat(name, text);
    try {
      return new Uint8Array(module.toBinary({}).buffer);
    } finally {
      module.destroy();
    }
  };
});

describe('not a usable wasm binary', () => {
  test('an empty file', () => {
    expect(inspectWasm(new Uint8Array())).toEqual({ problem: 'the file is empty', initialPages: null });
  });

  test('a text file', () => {
    const info = inspectWasm(Buffer.from('(module)\n;; this is WAT, not a binary\n'));
    expect(info.problem).toMatch(/not a WebAssembly binary.*magic/);
    expect(info.initialPages).toBeNull();
  });

  test('fewer than eight bytes, even with the magic', () => {
    expect(inspectWasm(Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01])).problem).toMatch(/magic/);
  });

  test('a wrong version', () => {
    const bytes = Buffer.from(HELLO);
    bytes[4] = 2;
    const info = inspectWasm(bytes);
    expect(info.problem).toMatch(/unsupported version/);
    expect(info.initialPages).toBeNull();
  });
});

describe('initial memory', () => {
  test('hello.wasm: no problem, a positive number of pages', () => {
    const info = inspectWasm(HELLO);
    expect(info.problem).toBeNull();
    expect(info.initialPages).toBeGreaterThan(0);
    expect(Number.isInteger(info.initialPages)).toBe(true);
    // Cross-check with the engine: the instance's memory starts at that size.
    const memory = new WebAssembly.Memory({ initial: info.initialPages as number });
    expect(memory.buffer.byteLength).toBe((info.initialPages as number) * 65536);
  });

  test('every example module: the pages V8 gives its memory when instantiated', async () => {
    const modules = ['hello', 'args-env', 'cat-file', 'sieve'].map((name) => join(EXAMPLES, name, `${name}.wasm`));
    for (const path of modules) {
      const module = new WebAssembly.Module(readFileSync(path));
      // Every import stubbed: instantiating runs no guest code (these modules have no start section).
      const imports: Record<string, Record<string, () => number>> = {};
      for (const { module: from, name } of WebAssembly.Module.imports(module)) (imports[from] ??= {})[name] = () => 0;
      const instance = new WebAssembly.Instance(module, imports);
      const memory = instance.exports.memory as WebAssembly.Memory;
      expect(inspectWasm(readFileSync(path)), path).toEqual({ problem: null, initialPages: memory.buffer.byteLength / 65536 });
    }
  });

  test('a WASI module (with imports) that asks for 4096 pages', () => {
    const bytes = wat2wasm('big-wasi.wat', '(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32))) (memory (export "memory") 4096) (func (export "_start")))');
    expect(inspectWasm(bytes)).toEqual({ problem: null, initialPages: 4096 });
  });

  test('big-initial.wat declares 4096 pages (256 MiB)', () => {
    const bytes = wat2wasm('big-initial.wat', readFileSync(join(WAT, 'big-initial.wat'), 'utf8'));
    expect(inspectWasm(bytes)).toEqual({ problem: null, initialPages: 4096 });
  });

  test('an imported memory counts, with or without a maximum', () => {
    const imported = wat2wasm('imported.wat', '(module (import "env" "memory" (memory 17)) (func (export "_start")))');
    expect(inspectWasm(imported).initialPages).toBe(17);
    const bounded = wat2wasm('bounded.wat', '(module (import "env" "f" (func)) (import "env" "t" (table 1 10 funcref)) (import "env" "g" (global i32)) (memory 3 9))');
    expect(inspectWasm(bounded).initialPages).toBe(3);
  });

  test('a module without memory has no initial pages to report', () => {
    expect(inspectWasm(wat2wasm('none.wat', '(module (func (export "_start")))'))).toEqual({ problem: null, initialPages: null });
  });

  test('a memory behind a custom section is still found', () => {
    const plain = wat2wasm('m.wat', '(module (memory 5))');
    const custom = Uint8Array.from([0x00, 0x04, 0x03, 0x61, 0x62, 0x63]); // id 0, size 4, name "abc"
    const withCustom = Uint8Array.from([...plain.subarray(0, 8), ...custom, ...plain.subarray(8)]);
    expect(WebAssembly.validate(withCustom)).toBe(true);
    expect(inspectWasm(withCustom).initialPages).toBe(5);
  });
});

describe('damaged bytes never crash it', () => {
  test('every truncation of hello.wasm', () => {
    for (let length = 0; length <= HELLO.length; length += length < 4096 ? 1 : 97) {
      const info = inspectWasm(HELLO.subarray(0, length));
      if (length >= 8) expect(info.problem, `length ${length}`).toBeNull();
      else expect(info.problem, `length ${length}`).not.toBeNull();
      expect(info.initialPages === null || info.initialPages >= 0, `length ${length}`).toBe(true);
    }
  });

  test('every truncation of big-initial.wat\'s binary', () => {
    const bytes = wat2wasm('big-initial.wat', readFileSync(join(WAT, 'big-initial.wat'), 'utf8'));
    for (let length = 8; length < bytes.length; length++) {
      expect(() => inspectWasm(bytes.subarray(0, length)), `length ${length}`).not.toThrow();
    }
  });

  test('random bytes after a valid header', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let round = 0; round < 2000; round++) {
      const body = Uint8Array.from({ length: random() % 64 }, () => random() % 256);
      const bytes = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...body]);
      const info = inspectWasm(bytes);
      expect(info.problem).toBeNull();
    }
  });
});
