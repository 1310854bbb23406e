import { PlasmError } from '../core/errors.js';
import type { VerifyReport } from '../core/receipt.js';

/**
 * A receipt that failed verification, thrown by `receipt.verify` (as jose's `jwtVerify` throws) so
 * that a failure cannot pass unnoticed. A PlasmError of kind "verify": `details` has one line per
 * failed check, and `report` is the whole report, every check and warning.
 */
export class VerifyError extends PlasmError {
  constructor(readonly report: VerifyReport) {
    const failed = report.checks.filter((check) => !check.ok);
    super('verify', `The receipt does not verify: ${failed.map((check) => `${check.name} (${check.detail})`).join('; ')}.`, failed.map((check) => `${check.name}: ${check.detail}`));
    this.name = 'VerifyError';
  }
}
