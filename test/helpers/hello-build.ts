// Real modules for "a build wrote this": hello.wat with another 15-byte message, compiled to a
// binary as a compiler would leave it in target/.
import { linkSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

/** As cargo does: the build lands in deps/ and is hard-linked over the old output. */
export function cargoBuild(path: string, bytes: Uint8Array, n: number): void {
  const deps = join(dirname(path), 'deps');
  mkdirSync(deps, { recursive: true });
  const built = join(deps, `app-${n}.wasm`);
  writeFileSync(built, bytes);
  rmSync(path, { force: true });
  linkSync(built, path);
  unlinkSync(built);
}
