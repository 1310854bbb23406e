import { readJsonFile } from '../core/json-file.js';
import { bindsOutput, parseReceipt, verifyReceipt, type Bindings, type Receipt as ReceiptData, type ReceiptVersion, type VerifyReport } from '../core/receipt.js';
import { writeReceiptFile } from '../engine/index.js';
import { bytes, checkOptions, checkPath, checkPublicKey } from './check-arguments.js';
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
   * A v0.1 receipt fails any input or output binding, since it records none. Returns the report
   * when every check passes; otherwise throws a VerifyError carrying it (`error.report`), so a
   * failure cannot be ignored. `verifyReceipt(receipt.toJSON(), { pubkey, bindings })` returns
   * the report either way.
   */
  verify(publicKey: string, bindings: Bindings = {}): VerifyReport {
    checkPublicKey('Receipt.verify', publicKey);
    checkOptions('Receipt.verify', bindings, { module: bytes, manifest: bytes, stdin: bytes, stdout: bytes, stderr: bytes }, 'bindings');
    const report = verifyReceipt(this.data, { pubkey: publicKey, bindings });
    if (!report.ok) throw new VerifyError(report);
    return report;
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
