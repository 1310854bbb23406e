import { PlasmError } from '../core/errors.js';

type Wabt = {
  parseWat: (name: string, text: string, features?: Record<string, boolean>) => {
    resolveNames(): void;
    validate(): void;
    toBinary(options: object): { buffer: Uint8Array };
    destroy(): void;
  };
};

let wabt: Promise<Wabt> | undefined;

/** WebAssembly text → binary, with wabt (loaded only when a .wat file is run). */
export async function watToWasm(text: string, fileName: string): Promise<Uint8Array> {
  wabt ??= import('wabt').then((m) => (m.default as unknown as () => Promise<Wabt>)());
  const tools = await wabt;
  let parsed;
  try {
    parsed = tools.parseWat(fileName, text, { bulk_memory: true, mutable_globals: true, sign_extension: true, sat_float_to_int: true, multi_value: true });
    parsed.resolveNames();
    parsed.validate();
    return parsed.toBinary({}).buffer;
  } catch (error) {
    const first = String(error instanceof Error ? error.message : error).split('\n').find((l) => l.includes('error')) ?? String(error);
    throw new PlasmError('invalid', `${fileName} is not valid WebAssembly text: ${first.replace(/^parseWat failed:\s*/, '').trim()}`);
  } finally {
    parsed?.destroy();
  }
}
