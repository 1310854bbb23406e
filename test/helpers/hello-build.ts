// Real modules for "a build wrote this": hello.wat with another 15-byte message, compiled to a
// binary as a compiler would leave it in target/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import wabt from 'wabt';
import { compileWat, type Wabt } from '../../src/core/wat-text.js';
import { WAT } from './cli.js';

/** hello.wat printing `build number N\n` (N one digit), as a wasm binary. */
export async function helloBuild(n: number): Promise<Uint8Array> {
  const text = readFileSync(join(WAT, 'hello.wat'), 'utf8').replaceAll('"hello from wat\\n"', `"build number ${n}\\n"`);
  const binary = compileWat((await wabt()) as unknown as Wabt, 'hello.wat', text);
  if (typeof binary === 'string') throw new Error(binary);
  return binary;
}
