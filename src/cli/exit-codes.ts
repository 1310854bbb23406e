import type { ErrorKind } from '../core/errors.js';
import { CONSENT_EXIT_CODE, USAGE_EXIT_CODE, VERIFY_FAILED_EXIT_CODE } from '../core/status.js';

/** Exit codes for errors outside a run (sysexits(3) where one fits). */
export const ERROR_EXIT_CODES: Readonly<Record<ErrorKind, number>> = {
  usage: USAGE_EXIT_CODE,
  invalid: 65, // EX_DATAERR
  not_found: 66, // EX_NOINPUT
  io: 74, // EX_IOERR
  verify: VERIFY_FAILED_EXIT_CODE,
  consent: CONSENT_EXIT_CODE, // EX_NOPERM: refused before anything starts
  internal: 70, // EX_SOFTWARE
};
