// `plasm-tui verify`: receipts made by a real `run` of wasm-examples/hello, checked with the key
// that `plasm-tui key` prints — and every way of changing them afterwards must be caught.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { sha256 } from '../../src/core/hash.js';
import { schemaErrors } from '../../src/core/schemas.js';
import { cli, EXAMPLES } from '../helpers/cli.js';

const HELLO = join(EXAMPLES, 'hello', 'hello.wasm');
const INPUT = 'Hello, World';
const SUCCESS = /: verified$/m;
const STACK_TRACE = /\n\s+at /;

let dir: string;
let pubkey: string;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plasm-tui-verify-'));
  const key = await cli(['key']);
  expect(key.exitCode).toBe(0);
  pubkey = String(key.stdout).trim();
  expect(pubkey).toMatch(/^[a-f0-9]{64}$/);
});

let counter = 0;
function tempPath(name: string): string {
  return join(dir, `${++counter}-${name}`);
}

/** Runs hello.wasm for real and keeps its receipt, input and output as files. */
async function runHello(version?: '0.1' | '0.2') {
  const receipt = tempPath('receipt.json');
  const args = ['run', '--receipt', receipt, '--stdin', INPUT, ...(version ? ['--receipt-version', version] : []), HELLO];
  const run = await cli(args, { stripFinalNewline: false });
  expect(run.exitCode, String(run.stderr)).toBe(0);
  expect(run.stdout).toBe('dlroW ,olleH');
  const stdin = tempPath('stdin.txt');
  const stdout = tempPath('stdout.txt');
  writeFileSync(stdin, INPUT);
  writeFileSync(stdout, String(run.stdout));
  const text = readFileSync(receipt, 'utf8');
  return { receipt, text, data: JSON.parse(text) as Record<string, Json>, stdin, stdout };
}

function writeJson(name: string, value: unknown): string {
  const path = tempPath(name);
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

/** The next character of the same kind: a digit stays a digit, a hex digit stays hex, a letter a letter. */
function bump(char: string, hex: boolean): string {
  if (hex) return ((parseInt(char, 16) + 1) % 16).toString(16);
  if (/[0-9]/.test(char)) return String((Number(char) + 1) % 10);
  if (char === 'z') return 'a';
  if (char === 'Z') return 'A';
  return String.fromCharCode(char.charCodeAt(0) + 1);
}

/** One small change to a JSON value, keeping its format valid where one character allows. */
function tamper(value: Json, field: string): Json {
  if (typeof value === 'string') {
    const hex = /^(sha256:)?[a-f0-9]+$/.test(value);
    // The last hex digit of a hash or key, else the last digit (a timestamp stays a date), else the last letter.
    const at = hex ? value.length - 1 : /[0-9]/.test(value) ? value.search(/[0-9](?=[^0-9]*$)/) : value.search(/[A-Za-z](?=[^A-Za-z]*$)/);
    expect(at, `no character to change in ${field}`).toBeGreaterThanOrEqual(0);
    return value.slice(0, at) + bump(value.charAt(at), hex) + value.slice(at + 1);
  }
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (value === null) return field.endsWith('_hash') ? sha256('not what ran') : 0;
  if (Array.isArray(value)) return value.length === 0 ? ['x'] : [tamper(value[0] as Json, `${field}/0`), ...value.slice(1)];
  const [first] = Object.keys(value);
  expect(first, `${field} is an empty object`).toBeDefined();
  return { ...value, [first as string]: tamper(value[first as string] as Json, `${field}/${String(first)}`) };
}

/** Runs `fn` over `items`, two at a time (the CLI is a process each). */
async function mapLimited<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

function expectNotVerified(result: { exitCode?: number; stdout: unknown; stderr: unknown }, what: string): void {
  expect(result.exitCode, `${what}: ${String(result.stdout)}${String(result.stderr)}`).not.toBe(0);
  expect(String(result.stdout), what).not.toMatch(SUCCESS);
  expect(String(result.stderr), what).not.toMatch(SUCCESS);
  expect(String(result.stderr), what).not.toMatch(STACK_TRACE);
}

/** Tampers each field in turn and checks `verify` with both the pinned and the embedded key. */
async function expectEveryFieldTamperFails(data: Record<string, Json>, schema: 'receipt-v0.1' | 'receipt-v0.2') {
  const fields = Object.keys(data);
  const outcomes = await mapLimited(fields, async (field) => {
    const copy = { ...data, [field]: tamper(data[field] as Json, field) };
    expect(copy[field], field).not.toEqual(data[field]);
    const path = writeJson(`tampered-${field}.json`, copy);
    const pinned = await cli(['verify', path, '--pubkey', pubkey]);
    const embedded = await cli(['verify', path, '--trust-embedded-key']);
    return { field, schemaValid: schemaErrors(schema, copy, path).length === 0, pinned, embedded };
  });
  for (const { field, schemaValid, pinned, embedded } of outcomes) {
    for (const [how, result] of [['--pubkey', pinned], ['--trust-embedded-key', embedded]] as const) {
      const what = `${field} changed, verify ${how}`;
      expectNotVerified(result, what);
      if (schemaValid) {
        // Still a well-formed receipt: only the signature can tell.
        expect(result.exitCode, what).toBe(1);
        expect(String(result.stdout), what).toContain('✗ signature: Ed25519 signature does not match');
        expect(String(result.stdout), what).toMatch(/: verification FAILED$/m);
      } else {
        expect(result.exitCode, what).toBe(65);
        expect(String(result.stderr), what).toMatch(/is not a (plasm-tui|valid v0\.[12]) receipt/);
      }
    }
  }
  return outcomes.filter((outcome) => !outcome.schemaValid).map((outcome) => outcome.field);
}

describe('a v0.2 receipt (the default)', () => {
  let hello: Awaited<ReturnType<typeof runHello>>;
  beforeAll(async () => {
    hello = await runHello();
  });

  test('verifies against the pinned key that `plasm-tui key` prints', async () => {
    const result = await cli(['verify', hello.receipt, '--pubkey', pubkey]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`✓ signer: signed by the pinned key ${pubkey}`);
    expect(result.stdout).toContain('✓ signature: Ed25519 signature is valid');
    expect(result.stdout).toMatch(new RegExp(`^${hello.receipt}: verified$`, 'm'));
    expect(result.stderr).toBe('');
  });

  test('the key may be given in capitals', async () => {
    const result = await cli(['verify', hello.receipt, '--pubkey', pubkey.toUpperCase()]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(SUCCESS);
  });

  test('binds the real module, input and output', async () => {
    const result = await cli(['verify', hello.receipt, '--pubkey', pubkey, '--module', HELLO, '--stdin', hello.stdin, '--stdout', hello.stdout]);
    expect(result.exitCode, String(result.stdout)).toBe(0);
    expect(result.stdout).toContain(`✓ module: module matches ${sha256(readFileSync(HELLO))}`);
    expect(result.stdout).toContain(`✓ input: input matches ${sha256(INPUT)}`);
    expect(result.stdout).toContain(`✓ stdout: stdout matches ${sha256('dlroW ,olleH')}`);
    expect(result.stdout).toMatch(SUCCESS);
  });

  test('a different stdout fails and says it is the stdout', async () => {
    const wrong = tempPath('wrong-stdout.txt');
    writeFileSync(wrong, 'dlroW ,olleh');
    const result = await cli(['verify', hello.receipt, '--pubkey', pubkey, '--stdout', wrong]);
    expect(result.exitCode, `${String(result.stdout)}${String(result.stderr)}`).toBe(1);
    expect(result.stdout).toContain(`✗ stdout: stdout is ${sha256('dlroW ,olleh')}, the receipt says ${sha256('dlroW ,olleH')}`);
    expect(result.stdout).toContain('✓ signature');
    expectNotVerified(result, 'wrong stdout');
  });

  test('a different module or input fails too', async () => {
    const other = join(EXAMPLES, 'sieve', 'sieve.wasm');
    const wrongModule = await cli(['verify', hello.receipt, '--pubkey', pubkey, '--module', other]);
    expect(wrongModule.exitCode).toBe(1);
    expect(wrongModule.stdout).toContain('✗ module: module is ');
    const input = tempPath('other-input.txt');
    writeFileSync(input, `${INPUT}\n`);
    const wrongInput = await cli(['verify', hello.receipt, '--pubkey', pubkey, '--stdin', input]);
    expect(wrongInput.exitCode).toBe(1);
    expect(wrongInput.stdout).toContain('✗ input: input is ');
  });

  test('a changed value in ANY field fails, with the pinned key and with the embedded one', { timeout: 120_000 }, async () => {
    expect(Object.keys(hello.data).sort()).toEqual(
      ['args', 'containment', 'exit_code', 'fuel_consumed', 'input_hash', 'job', 'limits', 'manifest_hash', 'memory_peak_bytes', 'module_hash', 'node_pubkey',
        'runtime', 'signature', 'status', 'stderr_hash', 'stdout_hash', 'timestamp', 'version', 'wall_time_ms'].sort(),
    );
    const caughtBySchema = await expectEveryFieldTamperFails(hello.data, 'receipt-v0.2');
    // One character cannot turn "0.2", "ok" or a layer name ("os_sandbox") into another valid
    // value; everything else stays a well-formed receipt that only the signature catches.
    expect(caughtBySchema.sort()).toEqual(['containment', 'status', 'version']);
  });

  test('a flipped byte anywhere in the file fails', { timeout: 60_000 }, async () => {
    const bytes = Buffer.from(hello.text, 'utf8');
    const positions = Array.from({ length: 12 }, (_, k) => Math.floor((k * (bytes.length - 1)) / 11));
    const results = await mapLimited(positions, async (position) => {
      const flipped = Buffer.from(bytes);
      flipped[position] = (flipped[position] as number) ^ 0x01;
      const path = tempPath(`flipped-${position}.json`);
      writeFileSync(path, flipped);
      return { position, result: await cli(['verify', path, '--pubkey', pubkey]) };
    });
    for (const { position, result } of results) {
      const what = `byte ${position} (${JSON.stringify(hello.text[position])}) flipped`;
      expectNotVerified(result, what);
      expect([1, 65], what).toContain(result.exitCode);
    }
  });

  test('against another machine\'s key it fails and says the signer differs', async () => {
    const otherHome = mkdtempSync(join(tmpdir(), 'plasm-tui-other-config-'));
    const other = await cli(['key'], { env: { XDG_CONFIG_HOME: otherHome } });
    expect(other.exitCode).toBe(0);
    const otherKey = String(other.stdout).trim();
    expect(otherKey).toMatch(/^[a-f0-9]{64}$/);
    expect(otherKey).not.toBe(pubkey);
    const result = await cli(['verify', hello.receipt, '--pubkey', otherKey]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`✗ signer: signed by ${pubkey}, not the pinned key ${otherKey}`);
    expectNotVerified(result, 'another key');
  });

  test('--trust-embedded-key verifies, with a note that this proves integrity, not origin', async () => {
    const result = await cli(['verify', hello.receipt, '--trust-embedded-key']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(SUCCESS);
    expect(result.stderr).toMatch(/^plasm-tui: note: .*proves the receipt is intact, not who signed it/m);
  });

  test('without --pubkey or --trust-embedded-key it is a usage error', async () => {
    const result = await cli(['verify', hello.receipt]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(String(result.stderr).trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('--pubkey');
    expect(result.stderr).toContain('--trust-embedded-key');
  });

  test('a --pubkey that is not 64 hex characters is a usage error', async () => {
    const result = await cli(['verify', hello.receipt, '--pubkey', 'abc123']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^plasm-tui: A public key is 64 hex characters/);
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });

  test('`run --receipt` refuses a path that exists and leaves the file as it was', async () => {
    const before = readFileSync(hello.receipt);
    const result = await cli(['run', '--receipt', hello.receipt, '--stdin', 'something else', HELLO]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toBe(''); // refused before the module ran
    expect(result.stderr).toContain(`${hello.receipt} already exists; plasm-tui never overwrites a receipt`);
    expect(readFileSync(hello.receipt)).toEqual(before);
  });
});

describe('a v0.1 receipt (--receipt-version 0.1, the seed format)', () => {
  let seed: Awaited<ReturnType<typeof runHello>>;
  beforeAll(async () => {
    seed = await runHello('0.1');
  });

  test('has exactly the seed\'s keys', () => {
    expect(Object.keys(seed.data).sort()).toEqual(['version', 'module_hash', 'exit_code', 'wall_time_ms', 'timestamp', 'node_pubkey', 'signature'].sort());
    expect(seed.data.version).toBe('0.1');
    expect(seed.data.node_pubkey).toBe(pubkey);
    expect(schemaErrors('receipt-v0.1', seed.data, seed.receipt)).toEqual([]);
  });

  test('verifies, binds the module, and notes that it binds no input or output', async () => {
    const result = await cli(['verify', seed.receipt, '--pubkey', pubkey, '--module', HELLO]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('✓ module: module matches');
    expect(result.stdout).toMatch(SUCCESS);
    expect(result.stderr).toContain('This is a v0.1 receipt: it binds the module and exit code, but no input or output.');
  });

  test('--stdout fails: a v0.1 receipt does not bind it', async () => {
    const result = await cli(['verify', seed.receipt, '--pubkey', pubkey, '--stdout', seed.stdout]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('✗ stdout: a v0.1 receipt does not bind the stdout');
    expectNotVerified(result, 'v0.1 with --stdout');
  });

  test('a changed value in any field fails', { timeout: 60_000 }, async () => {
    const caughtBySchema = await expectEveryFieldTamperFails(seed.data, 'receipt-v0.1');
    expect(caughtBySchema).toEqual(['version']);
  });

  test('a v0.1 signature does not verify as a v0.2 receipt', async () => {
    // Relabelled receipts must not pass: the version is in the signed domain tag.
    const relabelled = writeJson('relabelled.json', { ...seed.data, version: '0.2' });
    const result = await cli(['verify', relabelled, '--pubkey', pubkey]);
    expectNotVerified(result, 'v0.1 relabelled as v0.2');
  });
});

describe('files that are not receipts', () => {
  const cases: [string, string | Buffer][] = [
    ['truncated.json', '{"version": "0.2", "job": "hel'],
    ['broken.json', '{\n  "version": "0.2",\n  "job": hello\n}\n'],
    ['other.json', '{"hello": "world"}\n'],
    ['array.json', '[1, 2, 3]\n'],
    ['notes.txt', 'This is not JSON at all.\n'],
    ['empty.json', ''],
  ];

  test.each(cases)('%s: exit 65 with one line naming the file, no stack trace', async (name, content) => {
    const path = tempPath(name);
    writeFileSync(path, content);
    const result = await cli(['verify', path, '--pubkey', pubkey]);
    expect(result.exitCode).toBe(65);
    expect(result.stdout).toBe('');
    const lines = String(result.stderr).trim().split('\n');
    expect(lines, String(result.stderr)).toHaveLength(1);
    expect(lines[0]).toMatch(/^plasm-tui: /);
    expect(lines[0]).toContain(path);
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });

  test('a wasm module given as a receipt: one line naming the file', async () => {
    const result = await cli(['verify', HELLO, '--pubkey', pubkey]);
    expect(result.exitCode).toBe(65);
    const lines = String(result.stderr).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${HELLO} is not valid JSON at line 1, column 1`);
  });

  test('a manifest given as a receipt: names the file, then each schema problem', async () => {
    const manifest = join(EXAMPLES, 'hello', 'hello.manifest.json');
    const result = await cli(['verify', manifest, '--pubkey', pubkey]);
    expect(result.exitCode).toBe(65);
    const [first, ...details] = String(result.stderr).trim().split('\n');
    expect(first).toBe(`plasm-tui: ${manifest} is not a valid v0.1 receipt.`);
    expect(details.length).toBeGreaterThan(0);
    for (const line of details) expect(line).toMatch(new RegExp(`^  ${manifest}: /\\S* .* \\(rule: \\w+\\)$`));
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });

  test('a missing file: exit 66 naming it', async () => {
    const path = join(dir, 'nowhere.json');
    const result = await cli(['verify', path, '--pubkey', pubkey]);
    expect(result.exitCode).toBe(66);
    expect(String(result.stderr).trim()).toBe(`plasm-tui: ${path} does not exist.`);
  });
});
