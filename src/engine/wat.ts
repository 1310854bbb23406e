import { PlasmError } from '../core/errors.js';
import { compileWat, type Wabt } from '../core/wat-text.js';

let wabt: Promise<Wabt> | undefined;

/** WebAssembly text → binary, with wabt (loaded only when a .wat file is looked at). */
export async function watToWasm(text: string, fileName: string): Promise<Uint8Array> {
  wabt ??= import('wabt').then((m) => (m.default as unknown as () => Promise<Wabt>)());
  const compiled = compileWat(await wabt, fileName, text);
  if (typeof compiled === 'string') throw new PlasmError('invalid', `${fileName} is not valid WebAssembly text: ${compiled}`);
  return compiled;
}
