import { describeError, isPlasmError } from '../core/errors.js';
import { createStreamSanitizer, sanitizeLabel, toSafeJson } from '../core/sanitize.js';
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

/** Every JSON the CLI prints: strings quote file names and module output, so C1 and bidi are escaped too. */
export function printJson(value: unknown, space = 2): void {
  process.stdout.write(`${toSafeJson(value, space)}\n`);
}

/** Waits for stdout to drain, so that a large output is not cut when the process exits. */
export function flushStdout(): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.writableLength === 0) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}

/**
 * Where a module's stdout or stderr goes. A pipe or a file gets it byte for byte; a terminal gets
 * it sanitised chunk by chunk (no guest clears the screen, retitles the window or writes the
 * clipboard), unless `raw` asks for the bytes there too.
 */
export function moduleOutput(stream: NodeJS.WriteStream, raw: boolean): { write(chunk: Uint8Array): void; end(): void } {
  if (raw || !stream.isTTY) return { write: (chunk) => void stream.write(chunk), end: () => {} };
  const sanitizer = createStreamSanitizer();
  const put = (text: string): void => {
    if (text) stream.write(text);
  };
  return { write: (chunk) => put(sanitizer.write(chunk)), end: () => put(sanitizer.end()) };
}
