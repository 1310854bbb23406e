import { execa, type Options, type ResultPromise } from 'execa';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/plasm-tui.js', import.meta.url));
export const EXAMPLES = fileURLToPath(new URL('../../wasm-examples', import.meta.url));
export const WAT = fileURLToPath(new URL('../fixtures/wat', import.meta.url));

/** Runs the real `bin/plasm-tui.js` and never rejects: tests assert on what a user would see. */
/** Text output (stdout/stderr are strings) unless a test asks for `encoding: 'buffer'`. */
export function cli(args: string[], options: Options = {}): ResultPromise<{ reject: false; stripFinalNewline: false }> {
  return execa(process.execPath, [BIN, ...args], {
    reject: false,
    input: '',
    stripFinalNewline: false,
    // PLASM_OS_SANDBOX passes through, so the suite can run with the OS sandbox required or off.
    env: { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, PLASM_OS_SANDBOX: process.env.PLASM_OS_SANDBOX },
    ...options,
  } as Options & { reject: false }) as unknown as ResultPromise<{ reject: false; stripFinalNewline: false }>;
}
