import { canonicalJson } from './canonical.js';
import { PlasmError } from './errors.js';
import { sha256 } from './hash.js';
import { publicKeyFromHex, signBytes, verifyBytes, type NodeKey } from './keys.js';
import { jobFromFields, jobHash } from './portable-job.js';
import { schemaErrors } from './schemas.js';
import type { ReceiptV01 } from './schema-types/receipt-v0.1.js';
import type { ReceiptV02 } from './schema-types/receipt-v0.2.js';
import type { ReceiptV03 } from './schema-types/receipt-v0.3.js';

/**
 * The receipts of schemas/receipt-v0.1, v0.2 and v0.3 (types generated from the schemas): v0.1
 * is the seed's format and binds no input or output; v0.2 binds them and the containment layers;
 * v0.3 binds the rest of the portable job it ran (env, dirs with their tree hashes, mode, seed)
 * and that job's hash.
 */
export type { ReceiptV01, ReceiptV02, ReceiptV03 };

export type Receipt = ReceiptV01 | ReceiptV02 | ReceiptV03;
export const RECEIPT_VERSIONS = ['0.1', '0.2', '0.3'] as const;
export type ReceiptVersion = (typeof RECEIPT_VERSIONS)[number];

/**
 * Whether a receipt binds the job's input and output (stdin, stdout, stderr, the manifest):
 * asked by what it can do, not by its version number, so a later version that binds them too
 * is one edit here, not a hunt through every `version === …`.
 */
export function bindsOutput(receipt: Receipt): receipt is ReceiptV02 | ReceiptV03 {
  return receipt.version !== '0.1';
}

/** Whether a receipt binds a whole portable job (so its job hash can be checked). */
export function bindsJob(receipt: Receipt): receipt is ReceiptV03 {
  return receipt.version === '0.3';
}

/** Whether running the receipt's job again must give the very same result: `verify --replay`. */
export function replayable(receipt: Receipt): receipt is ReceiptV03 {
  return bindsJob(receipt) && receipt.mode === 'deterministic';
}
export type Unsigned<R extends Receipt> = Omit<R, 'signature' | 'node_pubkey'>;

/** Domain separation: a receipt signature can never be replayed as a signature of anything else. */
const DOMAIN = { '0.1': 'plasm-tui/receipt/v0.1\n', '0.2': 'plasm-tui/receipt/v0.2\n', '0.3': 'plasm-tui/receipt/v0.3\n' } as const;

/** The exact bytes that are signed: the domain tag, then every field but `signature`, canonical JSON. */
export function signingMessage(receipt: Omit<Receipt, 'signature'>): Buffer {
  const { signature: _ignored, ...body } = receipt as Receipt;
  return Buffer.from(DOMAIN[receipt.version] + canonicalJson(body), 'utf8');
}

export function signReceipt<R extends Receipt>(body: Unsigned<R>, key: NodeKey): R {
  const withKey = { ...body, node_pubkey: key.publicKeyHex } as Omit<R, 'signature'>;
  return { ...withKey, signature: signBytes(signingMessage(withKey), key.privateKey) } as R;
}

/** Checks a parsed JSON value against the receipt schema of its version. */
export function parseReceipt(data: unknown, file: string): Receipt {
  const version = (data as { version?: unknown } | null)?.version;
  if (!RECEIPT_VERSIONS.includes(version as ReceiptVersion)) {
    throw new PlasmError('invalid', `${file} is not a plasm-tui receipt: "version" must be one of ${RECEIPT_VERSIONS.map((v) => `"${v}"`).join(', ')}.`);
  }
  const errors = schemaErrors(`receipt-v${version as ReceiptVersion}`, data, file);
  if (errors.length > 0) throw new PlasmError('invalid', `${file} is not a valid v${version} receipt.`, errors);
  return data as Receipt;
}

/** Files whose hashes a receipt may be checked against. */
export interface Bindings {
  module?: Uint8Array;
  manifest?: Uint8Array;
  stdin?: Uint8Array;
  stdout?: Uint8Array;
  stderr?: Uint8Array;
}

export interface VerifyOptions {
  /** The signer's public key (64 hex), pinned by the caller. */
  pubkey?: string;
  /** Accept the key inside the receipt instead: proves integrity, not who signed. */
  trustEmbeddedKey?: boolean;
  bindings?: Bindings;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  version: Receipt['version'];
  signer: string;
  checks: Check[];
  warnings: string[];
}

export function verifyReceipt(receipt: Receipt, options: VerifyOptions): VerifyReport {
  const warnings: string[] = [];
  const checks: Check[] = [];
  if (!options.pubkey && !options.trustEmbeddedKey) {
    throw new PlasmError('usage', 'Give the signer\'s public key with --pubkey HEX (see `plasm-tui key`), or pass --trust-embedded-key to trust the key inside the receipt.');
  }
  let keyHex = receipt.node_pubkey;
  if (options.pubkey) {
    keyHex = options.pubkey.trim().toLowerCase();
    const sameKey = keyHex === receipt.node_pubkey;
    checks.push({ name: 'signer', ok: sameKey, detail: sameKey ? `signed by the pinned key ${keyHex}` : `signed by ${receipt.node_pubkey}, not the pinned key ${keyHex}` });
  } else {
    warnings.push('The signature was checked against the key inside the receipt: this proves the receipt is intact, not who signed it.');
  }
  const signatureOk = verifyBytes(signingMessage(receipt), receipt.signature, publicKeyFromHex(keyHex));
  checks.push({ name: 'signature', ok: signatureOk, detail: signatureOk ? 'Ed25519 signature is valid' : 'Ed25519 signature does not match the receipt\'s contents' });
  if (bindsJob(receipt)) {
    const rebuilt = jobHash(jobFromFields(receipt));
    const same = rebuilt === receipt.job_hash;
    checks.push({ name: 'job', ok: same, detail: same ? `the receipt's job fields hash to its job_hash ${rebuilt}` : `the receipt's job fields hash to ${rebuilt}, but its job_hash says ${receipt.job_hash}` });
  }
  if (!bindsOutput(receipt)) warnings.push(`This is a v${receipt.version} receipt: it binds the module and exit code, but no input or output.`);

  const bound: [keyof Bindings, string, string | null | undefined][] = [
    ['module', 'module', receipt.module_hash],
    ['manifest', 'manifest', bindsOutput(receipt) ? receipt.manifest_hash : undefined],
    ['stdin', 'input', bindsOutput(receipt) ? receipt.input_hash : undefined],
    ['stdout', 'stdout', bindsOutput(receipt) ? receipt.stdout_hash : undefined],
    ['stderr', 'stderr', bindsOutput(receipt) ? receipt.stderr_hash : undefined],
  ];
  for (const [key, label, expected] of bound) {
    const bytes = options.bindings?.[key];
    if (bytes === undefined) continue;
    const actual = sha256(bytes);
    if (expected === undefined) checks.push({ name: label, ok: false, detail: `a v${receipt.version} receipt does not bind the ${label}` });
    else if (expected === null) checks.push({ name: label, ok: false, detail: `the receipt records no ${label} (the job ran without one)` });
    else checks.push({ name: label, ok: actual === expected, detail: actual === expected ? `${label} matches ${expected}` : `${label} is ${actual}, the receipt says ${expected}` });
  }
  return { ok: checks.every((check) => check.ok), version: receipt.version, signer: receipt.node_pubkey, checks, warnings };
}
