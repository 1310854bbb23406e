import { readJsonFile } from '../core/json-file.js';
import { resolve } from 'node:path';
import { loadConfig, type Config } from '../core/config.js';
import { PlasmError } from '../core/errors.js';
import { createEngine } from '../engine/index.js';
import { notReplayable, replayReceipt } from '../engine/replay.js';
import { bindsOutput, replayable, parseReceipt, verifyReceipt, type Bindings, type Receipt as ReceiptData, type ReceiptVersion, type VerifyReport } from '../core/receipt.js';
import { writeReceiptFile } from '../engine/index.js';
import { anObject, bytes, checkOptions, checkPath, checkPublicKey, checkPublicKeys, type Rule } from './check-arguments.js';

const aPath: Rule = { expected: 'a path', test: (v) => typeof v === 'string' && v.length > 0 };

/** What `Receipt.replay` runs the job from. */
export interface ReplayOptions {
  /** The module file; its hash must be the receipt's. */
  module: string;
  /** The job's stdin (default: none); its hash must be the receipt's. */
  stdin?: string | Uint8Array;
  /** A host folder for each of the job's dirs, by guest path: `{ '/data': './data' }`. */
  dirs?: Record<string, string>;
  /** Limits and paths as this machine runs jobs (default: the user's config). */
  config?: Config;
}
import { VerifyError } from './verify-error.js';

/** A signed receipt: what ran, on what input, with what result. */
export class Receipt {
  private constructor(readonly data: ReceiptData) {}

  /** Reads and checks a receipt file against its schema (throws a PlasmError if it is not one). */
  static load(path: string): Receipt {
    checkPath('Receipt.load', 'the receipt file', path);
    return new Receipt(parseReceipt(readJsonFile(path).data, path));
  }

  /** A receipt already parsed from JSON (checked against its schema). */
  static from(data: unknown, name = 'receipt'): Receipt {
    checkPath('Receipt.from', 'a name for the receipt in messages', name);
    return new Receipt(parseReceipt(data, name));
  }

  get version(): ReceiptVersion {
    return this.data.version;
  }

  /** v0.2 binds the input (stdin) and the captured stdout and stderr; v0.1 binds neither. */
  get bindsInputAndOutput(): boolean {
    return bindsOutput(this.data);
  }

  /** The key that signed it (64 hex). Verify against a key you pinned, not this one. */
  get signer(): string {
    return this.data.node_pubkey;
  }

  /**
   * Checks the signature against `publicKey` — a key you trust, e.g. `client.publicKey()` — and,
   * when given, that the module, manifest, stdin, stdout and stderr bytes are the ones it binds.
   * Several keys (a queue's workers, `client.publicKeys()`): the one of them that signed it; a
   * receipt signed by none of them fails the signer check. A v0.1 receipt fails any input or
   * output binding, since it records none. Returns the report when every check passes; otherwise
   * throws a VerifyError carrying it (`error.report`), so a failure cannot be ignored.
   * `verifyReceipt(receipt.toJSON(), { pubkey, bindings })` returns the report either way.
   */
  verify(publicKey: string | readonly string[], bindings: Bindings = {}): VerifyReport {
    checkPublicKeys('Receipt.verify', publicKey);
    checkOptions('Receipt.verify', bindings, { module: bytes, manifest: bytes, stdin: bytes, stdout: bytes, stderr: bytes }, 'bindings');
    const keys = typeof publicKey === 'string' ? [publicKey] : publicKey;
    const pinned = keys.find((key) => key.trim().toLowerCase() === this.data.node_pubkey);
    const report = verifyReceipt(this.data, { pubkey: pinned ?? (keys[0] as string), bindings });
    if (!pinned && keys.length > 1) {
      report.checks = report.checks.map((check) => (check.name === 'signer' ? { ...check, detail: `signed by ${this.data.node_pubkey}, which is none of the ${keys.length} pinned keys` } : check));
    }
    if (!report.ok) throw new VerifyError(report);
    return report;
  }

  /** Whether it is a deterministic run's receipt (v0.3), which `replay` can check. */
  get replayable(): boolean {
    return replayable(this.data);
  }

  /**
   * Checks the signature against `publicKey`, then runs the receipt's job again in deterministic
   * mode from `inputs` — the module file, the stdin, a host folder for each of its dirs (by guest
   * path) — signing nothing, and compares status, exit code, stdout, stderr and fuel bit for bit.
   * Returns the report when everything matches; otherwise throws a VerifyError naming each field
   * that differs, with both values. A receipt that is not replayable is a PlasmError ("usage").
   */
  async replay(publicKey: string, inputs: ReplayOptions): Promise<VerifyReport> {
    checkPublicKey('Receipt.replay', publicKey);
    checkOptions('Receipt.replay', inputs, { module: aPath, stdin: { expected: 'a string or a Uint8Array', test: (v) => typeof v === 'string' || v instanceof Uint8Array }, dirs: anObject, config: anObject }, 'inputs');
    checkPath('Receipt.replay', 'the module file', inputs.module);
    const why = notReplayable(this.data);
    if (why) throw new PlasmError('usage', why);
    const report = verifyReceipt(this.data, { pubkey: publicKey });
    if (!report.ok) throw new VerifyError(report);
    const engine = createEngine({ config: inputs.config ?? loadConfig(), key: () => { throw new Error('a replay signs nothing'); } });
    try {
      const stdin = typeof inputs.stdin === 'string' ? Buffer.from(inputs.stdin, 'utf8') : inputs.stdin;
      const dirs = Object.entries(inputs.dirs ?? {}).map(([guest, host]) => ({ guest, host: resolve(host) }));
      const replayed = await replayReceipt(engine, this.data, { module: inputs.module, stdin, dirs });
      const full: VerifyReport = { ...report, ok: replayed.ok, checks: [...report.checks, ...replayed.checks] };
      if (!full.ok) throw new VerifyError(full);
      return full;
    } finally {
      await engine.close();
    }
  }

  /** Writes it to `path` atomically; an existing file is never overwritten. */
  save(path: string): void {
    checkPath('Receipt.save', 'the file to write', path);
    writeReceiptFile(path, this.data);
  }

  toJSON(): ReceiptData {
    return this.data;
  }
}
