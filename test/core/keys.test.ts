// The node key: created once, atomically, private to its owner; the same key every time after.
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { PlasmError } from '../../src/core/errors.js';
import { keyPath, loadOrCreateNodeKey, publicKeyFromHex, rawPublicKeyHex, signBytes, verifyBytes } from '../../src/core/keys.js';
import { ROOT } from '../helpers/cli.js';

const fresh = (): string => mkdtempSync(join(tmpdir(), 'plasm-tui-keys-'));

function thrownBy(fn: () => unknown): PlasmError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(PlasmError);
  return thrown as PlasmError;
}

describe('loadOrCreateNodeKey', () => {
  test('creates the key once: file 0600, folder 0700, and nothing else left behind', () => {
    const dir = join(fresh(), 'config', 'plasm-tui');
    const path = keyPath(dir);
    const key = loadOrCreateNodeKey(path);
    expect(key.path).toBe(path);
    expect(key.publicKeyHex).toMatch(/^[a-f0-9]{64}$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, '..')).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['node.key']);
    expect(readFileSync(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/);
  });

  test('a second call returns the same key and leaves the file alone', () => {
    const path = keyPath(fresh());
    const first = loadOrCreateNodeKey(path);
    const pem = readFileSync(path);
    const second = loadOrCreateNodeKey(path);
    expect(second.publicKeyHex).toBe(first.publicKeyHex);
    expect(readFileSync(path)).toEqual(pem);
    // And it is a working key pair: what one signs, the other's public key verifies.
    const signature = signBytes(Buffer.from('message'), first.privateKey);
    expect(verifyBytes(Buffer.from('message'), signature, publicKeyFromHex(second.publicKeyHex))).toBe(true);
  });

  test('four processes creating it at the same moment all end up with one key', async () => {
    const dir = join(fresh(), 'plasm-tui');
    const keys = pathToFileURL(join(ROOT, 'dist', 'core', 'keys.js')).href;
    const startAt = Date.now() + 1500; // each process spins until then, so they race for real
    const script = `
      const { loadOrCreateNodeKey, keyPath } = await import(${JSON.stringify(keys)});
      while (Date.now() < ${startAt}) {}
      process.stdout.write(loadOrCreateNodeKey(keyPath(${JSON.stringify(dir)})).publicKeyHex);
    `;
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => execa(process.execPath, ['--input-type=module', '-e', script], { reject: false })),
    );
    for (const run of runs) expect(run.exitCode, String(run.stderr)).toBe(0);
    const printed = runs.map((run) => String(run.stdout));
    expect(printed[0]).toMatch(/^[a-f0-9]{64}$/);
    expect(new Set(printed).size).toBe(1);
    expect(loadOrCreateNodeKey(keyPath(dir)).publicKeyHex).toBe(printed[0]);
    expect(readdirSync(dir)).toEqual(['node.key']); // no temp files from the losers
  });

  test('a corrupt key file is a PlasmError that says what to do', () => {
    const path = keyPath(fresh());
    writeFileSync(path, 'this is not a key\n', { mode: 0o600 });
    const error = thrownBy(() => loadOrCreateNodeKey(path));
    expect(error.kind).toBe('invalid');
    expect(error.message).toBe(`${path} is not a PEM private key; move it away to let plasm-tui create a new one.`);
    expect(readFileSync(path, 'utf8')).toBe('this is not a key\n'); // never overwritten
  });

  test('a key of another type is refused by name', () => {
    const path = keyPath(fresh());
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    writeFileSync(path, pem, { mode: 0o600 });
    const error = thrownBy(() => loadOrCreateNodeKey(path));
    expect(error.kind).toBe('invalid');
    expect(error.message).toBe(`${path} holds a ec key; plasm-tui signs with Ed25519.`);
  });

  test('a key path that is a folder is a PlasmError, not a crash', () => {
    const path = keyPath(fresh());
    mkdirSync(path);
    const error = thrownBy(() => loadOrCreateNodeKey(path));
    expect(error.kind).toBe('invalid');
    expect(error.message).toBe(`${path} is a directory, not a file.`);
  });
});

describe('publicKeyFromHex', () => {
  test('accepts what `plasm-tui key` prints, in either case and with spaces around', () => {
    const key = loadOrCreateNodeKey(keyPath(fresh()));
    for (const form of [key.publicKeyHex, key.publicKeyHex.toUpperCase(), ` ${key.publicKeyHex}\n`]) {
      expect(rawPublicKeyHex(publicKeyFromHex(form))).toBe(key.publicKeyHex);
    }
  });

  test.each([
    ['too short', 'ab'.repeat(31)],
    ['too long', 'ab'.repeat(33)],
    ['not hex', 'zz'.repeat(32)],
    ['empty', ''],
    ['a PEM', '-----BEGIN PUBLIC KEY-----'],
  ])('rejects %s with a usage error', (_what, hex) => {
    const error = thrownBy(() => publicKeyFromHex(hex));
    expect(error.kind).toBe('usage');
    expect(error.message).toMatch(/^A public key is 64 hex characters \(what `plasm-tui key` prints\); got "/);
  });
});

describe('verifyBytes', () => {
  test('a malformed signature is simply not valid', () => {
    const key = loadOrCreateNodeKey(keyPath(fresh()));
    const message = Buffer.from('message');
    const good = signBytes(message, key.privateKey);
    expect(verifyBytes(message, good, key.publicKey)).toBe(true);
    expect(verifyBytes(message, good.slice(2), key.publicKey)).toBe(false);
    expect(verifyBytes(message, good.toUpperCase(), key.publicKey)).toBe(false);
    expect(verifyBytes(message, 'not hex at all', key.publicKey)).toBe(false);
    expect(verifyBytes(Buffer.from('messagf'), good, key.publicKey)).toBe(false);
  });
});
