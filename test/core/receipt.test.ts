// Receipts in process: the canonical encoding, what exactly is signed, the receipts the engine
// builds, and how they are stored.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { canonicalJson } from '../../src/core/canonical.js';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { PlasmError } from '../../src/core/errors.js';
import { sha256 } from '../../src/core/hash.js';
import { parseJson } from '../../src/core/json-file.js';
import { loadOrCreateNodeKey, signBytes, verifyBytes, type NodeKey } from '../../src/core/keys.js';
import { loadManifest } from '../../src/core/manifest.js';
import { bindsOutput, parseReceipt, signingMessage, signReceipt, verifyReceipt, type Receipt, type ReceiptV01, type ReceiptV02 } from '../../src/core/receipt.js';
import { schemaErrors } from '../../src/core/schemas.js';
import { STATUSES } from '../../src/core/status.js';
import { jobFromManifest, jobFromModule } from '../../src/engine/job.js';
import { attest as buildReceipt, type ReceiptFacts } from '../../src/engine/attest.js';
import { saveReceipt, writeReceiptFile } from '../../src/engine/receipt-store.js';
import { EXAMPLES } from '../helpers/cli.js';

const HELLO = join(EXAMPLES, 'hello', 'hello.wasm');

let key: NodeKey;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'plasm-tui-receipt-'));
  key = loadOrCreateNodeKey(join(dir, 'key', 'node.key'));
});

function facts(overrides: Partial<ReceiptFacts> = {}): ReceiptFacts {
  const spec = jobFromModule(HELLO, { ...DEFAULT_CONFIG });
  const moduleHash = sha256(readFileSync(HELLO));
  return {
    spec,
    moduleHash,
    inputHash: sha256('Hello, World'),
    job: { version: '0.1', module: { hash: moduleHash }, argv: ['hello.wasm'], env: {}, stdin: { hash: sha256('Hello, World') }, limits: spec.limits, mode: 'normal', seed: null, dirs: [] },
    argv: ['hello.wasm'],
    status: 'ok',
    exitCode: 0,
    stdout: Buffer.from('dlroW ,olleH'),
    stderr: Buffer.alloc(0),
    wallTimeMs: 4.1234,
    memoryPeakBytes: 1_114_112,
    containment: [{ name: 'os_sandbox', active: true, detail: 'bwrap 0.8.0' }],
    ...overrides,
  };
}

describe('canonical JSON (RFC 8785)', () => {
  test('sorts keys and drops whitespace', () => {
    expect(canonicalJson(JSON.parse('{"b":1,"a":[1,"x"]}'))).toBe('{"a":[1,"x"],"b":1}');
    expect(canonicalJson(JSON.parse('{\n  "b" : 1,\n  "a" : [ 1 , "x" ]\n}'))).toBe('{"a":[1,"x"],"b":1}');
  });

  test('does not depend on key order, at any depth', () => {
    const one = { z: { y: 1, x: [{ b: 2, a: 1 }] }, a: null, m: 'text with spaces' };
    const two = { m: 'text with spaces', a: null, z: { x: [{ a: 1, b: 2 }], y: 1 } };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
    expect(canonicalJson(one)).toBe('{"a":null,"m":"text with spaces","z":{"x":[{"a":1,"b":2}],"y":1}}');
  });

  test('writes numbers in their shortest ECMAScript form and keeps array order', () => {
    expect(canonicalJson(JSON.parse('[1.0, 1e21, 0.000001, -0, 4.50]'))).toBe('[1,1e+21,0.000001,0,4.5]');
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
  });

  test('sorts keys by UTF-16 code units', () => {
    expect(canonicalJson({ é: 1, z: 2, A: 3, '\u20ac': 4 })).toBe('{"A":3,"z":2,"é":1,"€":4}');
  });
});

describe('what is signed', () => {
  test('the domain tag, then the canonical JSON of every field but the signature', () => {
    const receipt = buildReceipt(facts(), key, '0.2') as ReceiptV02;
    const message = signingMessage(receipt).toString('utf8');
    expect(message.startsWith('plasm-tui/receipt/v0.2\n')).toBe(true);
    const { signature: _signature, ...body } = receipt;
    expect(message).toBe(`plasm-tui/receipt/v0.2\n${canonicalJson(body)}`);
    expect(message).toContain(`"node_pubkey":"${key.publicKeyHex}"`);
    expect(message).not.toContain(receipt.signature);
    expect(message).not.toMatch(/\n\s/); // nothing after the tag's newline is whitespace-formatted
  });

  test('v0.1 has its own tag', () => {
    const receipt = buildReceipt(facts(), key, '0.1');
    expect(signingMessage(receipt).toString('utf8').startsWith('plasm-tui/receipt/v0.1\n{')).toBe(true);
  });

  test('a v0.1 and a v0.2 signature are not interchangeable', () => {
    // The same body fields under both versions: only the version differs.
    const body = { module_hash: sha256('m'), exit_code: 0, wall_time_ms: 3, timestamp: '2026-01-01T00:00:00.000Z' };
    const v01 = signReceipt<ReceiptV01>({ version: '0.1', ...body }, key);
    const asV02 = { ...v01, version: '0.2' } as unknown as Receipt;
    expect(verifyBytes(signingMessage(v01), v01.signature, key.publicKey)).toBe(true);
    expect(verifyBytes(signingMessage(asV02), v01.signature, key.publicKey)).toBe(false);
    // Nor is a signature over the bare canonical JSON (no domain tag) a receipt signature.
    const { signature: _signature, ...unsigned } = v01;
    const bare = signBytes(Buffer.from(canonicalJson(unsigned)), key.privateKey);
    expect(verifyReceipt({ ...v01, signature: bare }, { pubkey: key.publicKeyHex }).ok).toBe(false);
    // And the v0.1 receipt itself verifies.
    expect(verifyReceipt(v01, { pubkey: key.publicKeyHex }).ok).toBe(true);
  });

  test('verifying needs a pinned key or the explicit trust flag', () => {
    const receipt = buildReceipt(facts(), key, '0.2');
    expect(() => verifyReceipt(receipt, {})).toThrow(PlasmError);
    try {
      verifyReceipt(receipt, {});
    } catch (error) {
      expect((error as PlasmError).kind).toBe('usage');
    }
    const trusted = verifyReceipt(receipt, { trustEmbeddedKey: true });
    expect(trusted.ok).toBe(true);
    expect(trusted.warnings.join(' ')).toContain('not who signed it');
  });
});

describe('receipts built by the engine', () => {
  const manifestJob = () => jobFromManifest(loadManifest(join(EXAMPLES, 'sieve', 'sieve.manifest.json')), { ...DEFAULT_CONFIG });

  test.each(STATUSES)('status %s: valid against receipt-v0.2 and receipt-v0.1, and verifiable', (status) => {
    const exitCode = status === 'ok' ? 0 : status === 'exit' ? 3 : null;
    for (const spec of [facts().spec, manifestJob()]) {
      const v02 = buildReceipt(facts({ spec, status, exitCode }), key, '0.2') as ReceiptV02;
      expect(schemaErrors('receipt-v0.2', v02, 'v0.2')).toEqual([]);
      expect(v02.status).toBe(status);
      expect(v02.exit_code).toBe(exitCode);
      expect(v02.manifest_hash).toBe(spec.manifestHash);
      expect(verifyReceipt(v02, { pubkey: key.publicKeyHex }).ok).toBe(true);

      const v01 = buildReceipt(facts({ spec, status, exitCode }), key, '0.1') as ReceiptV01;
      expect(schemaErrors('receipt-v0.1', v01, 'v0.1')).toEqual([]);
      expect(Number.isInteger(v01.exit_code)).toBe(true);
      expect(verifyReceipt(v01, { pubkey: key.publicKeyHex }).ok).toBe(true);
    }
  });

  test('a v0.2 receipt records the run\'s hashes, limits and runtime', () => {
    const receipt = buildReceipt(facts(), key, '0.2') as ReceiptV02;
    expect(receipt).toMatchObject({
      version: '0.2',
      job: 'hello',
      module_hash: sha256(readFileSync(HELLO)),
      manifest_hash: null,
      input_hash: sha256('Hello, World'),
      stdout_hash: sha256('dlroW ,olleH'),
      stderr_hash: sha256(''),
      args: ['hello.wasm'],
      limits: { memory_mb: 128, timeout_seconds: 30, max_output_bytes: 16 * 1024 * 1024, fuel: null, cpu_cores: 1 },
      runtime: { name: 'plasm-tui', node: process.version },
      node_pubkey: key.publicKeyHex,
    });
    expect(receipt.signature).toMatch(/^[a-f0-9]{128}$/);
  });

  test('every single flipped byte of a saved receipt fails: parse, schema or signature', () => {
    const text = `${JSON.stringify(buildReceipt(facts(), key, '0.2'), null, 2)}\n`;
    const verified = (source: string): boolean => {
      try {
        return verifyReceipt(parseReceipt(parseJson(source, 'r.json'), 'r.json'), { pubkey: key.publicKeyHex }).ok;
      } catch (error) {
        expect(error).toBeInstanceOf(PlasmError);
        return false;
      }
    };
    expect(verified(text)).toBe(true);
    const bytes = Buffer.from(text, 'utf8');
    const passed: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const copy = Buffer.from(bytes);
      copy[i] = (copy[i] as number) ^ 0x01;
      if (verified(copy.toString('utf8'))) passed.push(i);
    }
    expect(passed).toEqual([]);
  });
});

describe('the receipt store', () => {
  test('saveReceipt numbers 0001.json, 0002.json… and never overwrites', () => {
    const root = mkdtempSync(join(tmpdir(), 'plasm-tui-store-'));
    const receipts = join(root, '.plasm', 'receipts', 'hello');
    const first = buildReceipt(facts(), key, '0.2');
    expect(saveReceipt(root, 'hello', first)).toBe(join(receipts, '0001.json'));
    expect(saveReceipt(root, 'hello', buildReceipt(facts(), key, '0.2'))).toBe(join(receipts, '0002.json'));
    writeFileSync(join(receipts, '0003.json'), 'not mine\n');
    expect(saveReceipt(root, 'hello', buildReceipt(facts(), key, '0.2'))).toBe(join(receipts, '0004.json'));
    expect(readFileSync(join(receipts, '0003.json'), 'utf8')).toBe('not mine\n');
    expect(JSON.parse(readFileSync(join(receipts, '0001.json'), 'utf8'))).toEqual(first);
    expect(readFileSync(join(receipts, '0001.json'), 'utf8').endsWith('}\n')).toBe(true);
    expect(readdirSync(receipts).sort()).toEqual(['0001.json', '0002.json', '0003.json', '0004.json']); // no temp files left
  });

  test('saveReceipt never writes through a symlink: .plasm, receipts or the job folder linked elsewhere', () => {
    for (const linked of [['.plasm'], ['.plasm', 'receipts'], ['.plasm', 'receipts', 'hello']]) {
      const root = mkdtempSync(join(dir, 'links-'));
      const elsewhere = mkdtempSync(join(dir, 'elsewhere-'));
      mkdirSync(join(root, ...linked.slice(0, -1)), { recursive: true });
      symlinkSync(elsewhere, join(root, ...linked));
      expect(() => saveReceipt(root, 'hello', buildReceipt(facts(), key, '0.2'))).toThrow(/is a symlink; plasm-tui does not write receipts through symlinks/);
      expect(readdirSync(elsewhere)).toEqual([]);
    }
  });

  test('saveReceipt keeps jobs named . or .. inside the receipts folder', () => {
    const root = mkdtempSync(join(dir, 'dots-'));
    for (const name of ['..', '.']) {
      const path = saveReceipt(root, name, buildReceipt(facts(), key, '0.2'));
      expect(path.startsWith(join(root, '.plasm', 'receipts') + '/')).toBe(true);
      expect(dirname(path)).not.toBe(join(root, '.plasm', 'receipts'));
    }
    expect(readdirSync(root)).toEqual(['.plasm']);
  });

  test('saveReceipt keeps a job name with slashes inside its folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'plasm-tui-store-'));
    const path = saveReceipt(root, '../../escape/me', buildReceipt(facts(), key, '0.2'));
    expect(path.startsWith(join(root, '.plasm', 'receipts') + '/')).toBe(true);
    expect(existsSync(join(root, 'escape'))).toBe(false);
  });

  test('writeReceiptFile writes a new file and refuses an existing one, leaving it as it was', () => {
    const folder = join(dir, 'written');
    mkdirSync(folder);
    const path = join(folder, 'receipt.json');
    const receipt = buildReceipt(facts(), key, '0.1');
    writeReceiptFile(path, receipt);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(receipt);
    const before = readFileSync(path);
    let thrown: unknown;
    try {
      writeReceiptFile(path, buildReceipt(facts({ exitCode: 1, status: 'exit' }), key, '0.1'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PlasmError);
    expect((thrown as PlasmError).kind).toBe('io');
    expect((thrown as PlasmError).message).toBe(`${path} already exists; plasm-tui never overwrites a receipt.`);
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(folder)).toEqual(['receipt.json']);
  });
});

describe('what a receipt can do, asked of the receipt, not its version', () => {
  test('bindsOutput: a v0.2 receipt binds stdin, stdout and stderr; a v0.1 receipt binds neither', () => {
    expect(bindsOutput({ version: '0.2' } as Receipt)).toBe(true);
    expect(bindsOutput({ version: '0.1' } as Receipt)).toBe(false);
  });
});
