// `plasm-tui verify`: receipts made by a real `run` of wasm-examples/hello, checked with the key
// that `plasm-tui key` prints — and every way of changing them afterwards must be caught.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { sha256 } from '../../src/core/hash.js';
import { schemaErrors } from '../../src/core/schemas.js';
import { PlasmError } from '../../src/core/errors.js';
import { parseJson } from '../../src/core/json-file.js';
import { parseReceipt, verifyReceipt } from '../../src/core/receipt.js';
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


function expectNotVerified(result: { exitCode?: number; stdout: unknown; stderr: unknown }, what: string): void {
  expect(result.exitCode, `${what}: ${String(result.stdout)}${String(result.stderr)}`).not.toBe(0);
  expect(String(result.stdout), what).not.toMatch(SUCCESS);
  expect(String(result.stderr), what).not.toMatch(SUCCESS);
  expect(String(result.stderr), what).not.toMatch(STACK_TRACE);
}

/**
 * What `verify` decides for a receipt file's text, in process (the same functions the command
 * calls): 65 when it is not a receipt (bad JSON, schema), 1 when a check fails, 0 when verified.
 * The field-by-field and byte-by-byte loops use this; smoke tests below run the real command.
 */
function verdict(text: string, how: { pubkey?: string; trustEmbeddedKey?: boolean }): { exitCode: 0 | 1 | 65; failed: string[] } {
  let receipt;
  try {
    receipt = parseReceipt(parseJson(text, 'receipt.json'), 'receipt.json');
  } catch (error) {
    expect(error).toBeInstanceOf(PlasmError);
    return { exitCode: 65, failed: ['schema'] };
  }
  const report = verifyReceipt(receipt, how);
  return { exitCode: report.ok ? 0 : 1, failed: report.checks.filter((c) => !c.ok).map((c) => c.name) };
}

/** Tampers each field in turn and checks it fails with both the pinned and the embedded key. */
function expectEveryFieldTamperFails(data: Record<string, Json>, schema: 'receipt-v0.1' | 'receipt-v0.2'): string[] {
  const caught: string[] = [];
  for (const field of Object.keys(data)) {
    const copy = { ...data, [field]: tamper(data[field] as Json, field) };
    expect(copy[field], field).not.toEqual(data[field]);
    const schemaValid = schemaErrors(schema, copy, field).length === 0;
    if (!schemaValid) caught.push(field);
    for (const how of [{ pubkey }, { trustEmbeddedKey: true }]) {
      const what = `${field} changed, verify ${how.pubkey ? '--pubkey' : '--trust-embedded-key'}`;
      const result = verdict(JSON.stringify(copy), how);
      // Still a well-formed receipt: only the signature can tell.
      if (schemaValid) expect(result, what).toEqual({ exitCode: 1, failed: field === 'node_pubkey' && how.pubkey ? ['signer', 'signature'] : ['signature'] });
      else expect(result.exitCode, what).toBe(65);
    }
  }
  return caught;
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

  test('a changed value in ANY field fails, with the pinned key and with the embedded one', () => {
    expect(Object.keys(hello.data).sort()).toEqual(
      ['args', 'containment', 'exit_code', 'fuel_consumed', 'input_hash', 'job', 'limits', 'manifest_hash', 'memory_peak_bytes', 'module_hash', 'node_pubkey',
        'runtime', 'signature', 'status', 'stderr_hash', 'stdout_hash', 'timestamp', 'version', 'wall_time_ms'].sort(),
    );
    const caughtBySchema = expectEveryFieldTamperFails(hello.data, 'receipt-v0.2');
    // One character cannot turn "0.2", "ok" or a layer name ("os_sandbox") into another valid
    // value; everything else stays a well-formed receipt that only the signature catches.
    expect(caughtBySchema.sort()).toEqual(['containment', 'status', 'version']);
  });

  test('a flipped bit in ANY byte of the file fails', () => {
    const bytes = Buffer.from(hello.text, 'utf8');
    for (let position = 0; position < bytes.length; position++) {
      const flipped = Buffer.from(bytes);
      flipped[position] = (flipped[position] as number) ^ 0x01;
      const text = flipped.toString('utf8');
      // Some flips only change JSON whitespace or escape a character the same way: the receipt
      // is then the same value, which must (and does) still verify.
      let same = false;
      try {
        same = JSON.stringify(JSON.parse(text)) === JSON.stringify(JSON.parse(hello.text));
      } catch {
        same = false;
      }
      const result = verdict(text, { pubkey });
      const what = `byte ${position} (${JSON.stringify(hello.text[position])}) flipped`;
      if (same) expect(result.exitCode, what).toBe(0);
      else expect([1, 65], what).toContain(result.exitCode);
    }
  });

  test('through the real command: a changed field fails with 1 (signature), a broken one with 65 (schema)', async () => {
    const signed = writeJson('tampered-exit.json', { ...hello.data, exit_code: 1 });
    const bySignature = await cli(['verify', signed, '--pubkey', pubkey]);
    expectNotVerified(bySignature, 'exit_code changed');
    expect(bySignature.exitCode).toBe(1);
    expect(String(bySignature.stdout)).toContain('✗ signature: Ed25519 signature does not match');
    expect(String(bySignature.stdout)).toMatch(/: verification FAILED$/m);
    const broken = writeJson('tampered-status.json', { ...hello.data, status: 'ol' });
    const bySchema = await cli(['verify', broken, '--trust-embedded-key']);
    expectNotVerified(bySchema, 'status broken');
    expect(bySchema.exitCode).toBe(65);
    expect(String(bySchema.stderr)).toMatch(/is not a valid v0\.2 receipt/);
    const flipped = Buffer.from(hello.text, 'utf8');
    flipped[10] = (flipped[10] as number) ^ 0x01;
    const path = tempPath('flipped.json');
    writeFileSync(path, flipped);
    expectNotVerified(await cli(['verify', path, '--pubkey', pubkey]), 'a flipped byte');
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

  test('a changed value in any field fails', () => {
    const caughtBySchema = expectEveryFieldTamperFails(seed.data, 'receipt-v0.1');
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

describe('what verify prints on a terminal', () => {
  test('names a receipt file without the escapes in its name', async () => {
    const { text } = await runHello();
    const hostile = join(dir, 'r\x1b]0;pwned\x07\x1b[2J\u202e.json');
    writeFileSync(hostile, text);
    const result = await cli(['verify', hostile, '--pubkey', pubkey]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toMatch(/[\x1b\x07\u202e]/);
    expect(result.stdout).toMatch(/\/r[^/\n]*\.json: verified$/m);
    expect(result.stdout).not.toContain('pwned'); // the title it would have set
  });
});
