import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeNewFile } from './atomic-file.js';
import { PlasmError, fsError } from './errors.js';
import { configDir } from './paths.js';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface NodeKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The raw public key as 64 hex characters, the form receipts and `verify --pubkey` use. */
  publicKeyHex: string;
  path: string;
}

export function keyPath(dir = configDir()): string {
  return join(dir, 'node.key');
}

/** Loads the node's Ed25519 key, creating it (mode 0600, atomically, never overwriting) on first use. */
export function loadOrCreateNodeKey(path = keyPath()): NodeKey {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(error, path, 'read');
    pem = createKeyFile(path);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new PlasmError('invalid', `${path} is not a PEM private key; move it away to let plasm-tui create a new one.`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new PlasmError('invalid', `${path} holds a ${privateKey.asymmetricKeyType ?? 'non-Ed25519'} key; plasm-tui signs with Ed25519.`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyHex: rawPublicKeyHex(publicKey), path };
}

function createKeyFile(path: string): string {
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw fsError(error, dirname(path), 'create');
  }
  // If another process created the key first, theirs wins and ours is dropped.
  return writeNewFile(path, pem, 0o600) ? pem : readFileSync(path, 'utf8');
}

export function rawPublicKeyHex(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'der' }).subarray(ED25519_SPKI_PREFIX.length).toString('hex');
}

/** Accepts a 64-hex raw Ed25519 public key (what `plasm-tui key` prints). */
export function publicKeyFromHex(hex: string): KeyObject {
  const clean = hex.trim().toLowerCase();
  if (!/^[a-f0-9]{64}$/.test(clean)) {
    throw new PlasmError('usage', `A public key is 64 hex characters (what \`plasm-tui key\` prints); got "${hex.slice(0, 80)}".`);
  }
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(clean, 'hex')]), format: 'der', type: 'spki' });
}

export function signBytes(message: Uint8Array, key: KeyObject): string {
  return sign(null, message, key).toString('hex');
}

export function verifyBytes(message: Uint8Array, signatureHex: string, key: KeyObject): boolean {
  if (!/^[a-f0-9]{128}$/.test(signatureHex)) return false;
  return verify(null, message, key, Buffer.from(signatureHex, 'hex'));
}
