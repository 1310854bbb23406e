import { describeError, isPlasmError } from '../core/errors.js';
import { sanitizeLabel } from '../core/sanitize.js';
import { ERROR_EXIT_CODES } from './exit-codes.js';

/** One line, or a line and its details, on stderr; never a stack trace. Returns the exit code. */
export function reportError(error: unknown): number {
  if (isPlasmError(error)) {
    // Messages quote file names and contents an attacker may have chosen: no escapes reach the terminal.
    process.stderr.write(`plasm-tui: ${sanitizeLabel(error.message)}\n`);
    for (const detail of error.details) process.stderr.write(`  ${sanitizeLabel(detail)}\n`);
    return ERROR_EXIT_CODES[error.kind];
  }
  process.stderr.write(`plasm-tui: internal error: ${sanitizeLabel(describeError(error))}\n`);
  return ERROR_EXIT_CODES.internal;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Waits for stdout to drain, so that a large output is not cut when the process exits. */
export function flushStdout(): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.writableLength === 0) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}
