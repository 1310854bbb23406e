// `plasm-tui validate`: manifests, receipts and configs against schemas/, with errors that name
// the file, the JSON path and the rule.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli, EXAMPLES } from '../helpers/cli.js';

const HELLO = join(EXAMPLES, 'hello', 'hello.wasm');
const HELLO_HASH = 'sha256:771a7ecb07083addee698dbdcd6cffe987b229b0e2a1fdef8db24ec0c9c2fc79';
const SEED = { version: '0.1', module_hash: HELLO_HASH, cpu_cores: 1, memory_mb: 64, timeout_seconds: 5 };
const STACK_TRACE = /\n\s+at /;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'plasm-tui-validate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  return path;
}

/** The one error line `validate` prints for a single bad file. */
async function refusal(path: string, ...flags: string[]) {
  const result = await cli(['validate', ...flags, path]);
  expect(result.exitCode, String(result.stdout)).toBe(65);
  expect(result.stdout).toBe('');
  expect(result.stderr).not.toMatch(STACK_TRACE);
  return String(result.stderr).trim().split('\n');
}

/**
 * The manifests under `root`: regular files named `*.manifest.json`, outside dot folders. What a
 * user's runs leave in the checkout (`.plasm/receipts/<job>.manifest.json/`, a folder) is not one.
 */
function manifestsUnder(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.manifest.json')) found.push(path);
    }
  };
  walk(root);
  return found.sort();
}

describe('the examples', () => {
  const manifests = manifestsUnder(EXAMPLES);

  test('what runs leave in the folder is not taken for a manifest', () => {
    const root = mkdtempSync(join(tmpdir(), 'plasm-tui-examples-'));
    try {
      mkdirSync(join(root, 'hello'));
      writeFileSync(join(root, 'hello', 'hello.manifest.json'), '{}');
      mkdirSync(join(root, '.plasm', 'receipts', 'hello_2fhello.manifest.json'), { recursive: true });
      writeFileSync(join(root, '.plasm', 'receipts', 'hello_2fhello.manifest.json', '0001.json'), '{}');
      mkdirSync(join(root, 'odd', 'folder.manifest.json'), { recursive: true });
      expect(manifestsUnder(root).map((path) => relative(root, path))).toEqual([join('hello', 'hello.manifest.json')]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('there are manifests of both versions to check', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(4);
  });

  test.each(manifests)('%s is valid', async (manifest) => {
    const result = await cli(['validate', manifest]);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(result.stdout).toBe(`ok ${manifest} (manifest)\n`);
    expect(result.stderr).toBe('');
  });

  test('all of them at once, with --json', async () => {
    const result = await cli(['validate', '--json', ...manifests]);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(String(result.stdout))).toEqual(manifests.map((path) => ({ file: path, kind: 'manifest', ok: true, errors: [] })));
  });
});

describe('malformed JSON names the file, the line and the column, on one line', () => {
  const cases: [string, string, string][] = [
    ['a bare word', '{\n  "version": "0.2",\n  "module": hello.wasm\n}\n', 'line 3, column 13: unexpected "h"'],
    ['a trailing comma', '{\n  "version": "0.2",\n  "module": "hello.wasm",\n}\n', 'line 4, column 1: Expected double-quoted property name'],
    ['a missing comma', '{\n  "version": "0.2"\n  "module": "hello.wasm"\n}\n', 'line 3, column 3: Expected \',\' or \'}\' after property value'],
    ['single quotes', "{'version': '0.2'}", 'line 1, column 2: Expected property name or \'}\''],
    ['a cut-off file', '{\n  "version": ', 'line 2, column 14: unexpected end of input'],
    ['a file cut off inside a string', '{\n  "version": "0.2",\n  "mod', 'line 3, column 7: Unterminated string'],
    ['an escape byte', '{\n  "version": \u001b[31m"0.2"}', 'line 2, column 14: unexpected "\\u001b"'],
  ];

  test.each(cases)('%s', async (_name, text, where) => {
    const path = file('broken.manifest.json', text);
    const lines = await refusal(path);
    expect(lines).toEqual([`plasm-tui: ${path} is not valid JSON at ${where}.`]);
  });

  test('an empty file says so', async () => {
    const path = file('empty.json', '');
    expect(await refusal(path)).toEqual([`plasm-tui: ${path} is empty; expected a JSON object.`]);
  });
});

describe('schema violations name the file, the JSON path and the rule', () => {
  test('a wrong type', async () => {
    const path = file('type.json', { version: '0.2', module: HELLO, memory_mb: '64' });
    expect(await refusal(path)).toEqual([`plasm-tui: ${path}: /memory_mb must be integer (rule: type)`]);
  });

  test('a wrong type deep inside', async () => {
    const path = file('deep.json', { version: '0.2', module: HELLO, dirs: [{ host: '.', guest: 'data' }] });
    expect(await refusal(path)).toEqual([`plasm-tui: ${path}: /dirs/0/guest must match pattern "^/" (rule: pattern)`]);
  });

  test('an unknown key', async () => {
    const path = file('unknown.json', { version: '0.2', module: HELLO, colour: 'red' });
    expect(await refusal(path)).toEqual([`plasm-tui: ${path}: / has unknown key "colour" (rule: additionalProperties)`]);
  });

  test('v0.1 is the seed\'s schema exactly: one extra key is refused', async () => {
    expect((await cli(['validate', file('seed.json', SEED)])).exitCode).toBe(0);
    const path = file('seed-plus.json', { ...SEED, name: 'hello' });
    expect(await refusal(path)).toEqual([`plasm-tui: ${path}: / has unknown key "name" (rule: additionalProperties)`]);
  });

  test('v0.1 with a key missing', async () => {
    const { timeout_seconds: _dropped, ...rest } = SEED;
    const path = file('seed-minus.json', rest);
    expect(await refusal(path)).toEqual([`plasm-tui: ${path}: / must have required property 'timeout_seconds' (rule: required)`]);
  });

  test.each([
    ['0.1', 'upper-case hex', { ...SEED, module_hash: HELLO_HASH.toUpperCase().replace('SHA256', 'sha256') }],
    ['0.1', 'no prefix', { ...SEED, module_hash: HELLO_HASH.slice('sha256:'.length) }],
    ['0.2', 'too short', { version: '0.2', module: HELLO, module_hash: HELLO_HASH.slice(0, -1) }],
  ])('a v%s module_hash with %s', async (_version, _what, manifest) => {
    const path = file('bad-hash.json', manifest);
    expect(await refusal(path)).toEqual([`plasm-tui: ${path}: /module_hash must match pattern "^sha256:[a-f0-9]{64}$" (rule: pattern)`]);
  });

  test('an unknown version', async () => {
    const path = file('v3.json', { version: '0.3', module: HELLO });
    expect(await refusal(path)).toEqual([`plasm-tui: ${path}: /version is "0.3"; it must be "0.1" or "0.2" (rule: enum)`]);
  });

  test('every problem is listed, one per line', async () => {
    const path = file('many.json', { version: '0.2', module: HELLO, memory_mb: 0, fuel: 'lots', extra: true });
    const lines = await refusal(path);
    expect(lines).toHaveLength(3);
    expect(lines).toContain(`plasm-tui: ${path}: /memory_mb must be >= 1 (rule: minimum)`);
    expect(lines).toContain(`plasm-tui: ${path}: /fuel must be integer (rule: type)`);
    expect(lines).toContain(`plasm-tui: ${path}: / has unknown key "extra" (rule: additionalProperties)`);
  });
});

test('a v0.2 manifest whose module file is missing is refused, naming the module path', async () => {
  const path = file('orphan.manifest.json', { version: '0.2', module: 'gone.wasm' });
  expect(await refusal(path)).toEqual([`plasm-tui: ${path}: /module names ${join(dir, 'gone.wasm')}, which does not exist`]);
});

test('a missing file is reported, not thrown, with 66 (file not found)', async () => {
  const path = join(dir, 'nowhere.json');
  const result = await cli(['validate', path]);
  expect(result.exitCode).toBe(66);
  expect(result.stdout).toBe('');
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect(String(result.stderr).trim().split('\n')).toEqual([`plasm-tui: ${path} does not exist.`]);
});

describe('receipts', () => {
  let receipt: string;
  beforeAll(async () => {
    receipt = join(dir, 'hello.receipt.json');
    const run = await cli(['run', '--quiet', '--receipt', receipt, '--stdin', 'Hello', HELLO]);
    expect(run.exitCode, String(run.stderr)).toBe(0);
  });

  test('a receipt from `run` is recognised and valid', async () => {
    const result = await cli(['validate', receipt]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`ok ${receipt} (receipt)\n`);
  });

  test('a receipt with a field of the wrong shape names the field', async () => {
    const data = JSON.parse(readFileSync(receipt, 'utf8')) as Record<string, unknown>;
    const path = file('bad.receipt.json', { ...data, stdout_hash: 'sha256:nope' });
    const lines = await refusal(path);
    expect(lines[0]).toBe(`plasm-tui: ${path} is not a valid v0.2 receipt.`);
    expect(lines.slice(1)).toEqual([`plasm-tui: ${path}: /stdout_hash must match pattern "^sha256:[a-f0-9]{64}$" (rule: pattern)`]);
  });
});

describe('configs, with --kind config', () => {
  test('a valid config', async () => {
    const path = file('config.json', { memory_mb: 256, timeout_seconds: 2.5, receipt_version: '0.1' });
    const result = await cli(['validate', '--kind', 'config', path]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`ok ${path} (config)\n`);
  });

  test('an empty object is a valid config (every key is optional)', async () => {
    const result = await cli(['validate', '--kind', 'config', file('empty-config.json', {})]);
    expect(result.exitCode).toBe(0);
  });

  test('an invalid config names each problem', async () => {
    const path = file('bad-config.json', { memory_mb: 0, receipt_version: '0.4', colour: 'red' });
    const lines = await refusal(path, '--kind', 'config');
    expect(lines).toHaveLength(3);
    expect(lines).toContain(`plasm-tui: ${path}: /memory_mb must be >= 1 (rule: minimum)`);
    expect(lines).toContain(`plasm-tui: ${path}: /receipt_version must be one of "0.1", "0.2", "0.3" (rule: enum)`);
    expect(lines).toContain(`plasm-tui: ${path}: / has unknown key "colour" (rule: additionalProperties)`);
  });

  test('without --kind a config is read as a manifest and refused for its missing version', async () => {
    const path = file('config-as-manifest.json', { memory_mb: 64 });
    expect(await refusal(path)).toEqual([`plasm-tui: ${path}: /version is missing; it must be "0.1" or "0.2" (rule: enum)`]);
  });

  test('--kind takes manifest, receipt or config only', async () => {
    const result = await cli(['validate', '--kind', 'schema', file('x.json', {})]);
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr).trim()).toBe('plasm-tui: --kind is manifest, receipt or config, not "schema".');
  });
});

test('several files: the good ones are listed, the bad ones explained, and the exit says 65', async () => {
  const good = join(EXAMPLES, 'sieve', 'sieve.manifest.json');
  const bad = file('mixed-bad.json', { version: '0.2' });
  const result = await cli(['validate', good, bad]);
  expect(result.exitCode).toBe(65);
  expect(result.stdout).toBe(`ok ${good} (manifest)\n`);
  expect(String(result.stderr).trim()).toBe(`plasm-tui: ${bad}: / must have required property 'module' (rule: required)`);
});

test('no file at all is a usage error', async () => {
  const result = await cli(['validate']);
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain('validate needs at least one file');
});

describe('exit codes, as the README has them outside a run', () => {
  test('a file that does not exist is 66, in one line', async () => {
    const result = await cli(['validate', join(dir, 'missing.json')]);
    expect(result.exitCode).toBe(66);
    expect(String(result.stderr).trim().split('\n')).toEqual([`plasm-tui: ${join(dir, 'missing.json')} does not exist.`]);
    expect(result.stdout).toBe('');
  });

  test('an invalid file among missing ones is 65; valid and missing ones are 66', async () => {
    const invalid = file('exit-invalid.json', { version: '0.2', name: 'x' });
    const valid = file('exit-valid.json', { ...SEED });
    expect((await cli(['validate', join(dir, 'missing.json'), invalid])).exitCode).toBe(65);
    expect((await cli(['validate', valid, join(dir, 'missing.json')])).exitCode).toBe(66);
  });
});
