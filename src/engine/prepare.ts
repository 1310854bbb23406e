/**
 * The prepare stage: everything about a job that can be checked before a sandbox starts — read
 * the module, check a pinned hash, turn WebAssembly text into a module, inspect the header
 * (initial memory against the cap). What fails here is refused with a classified status.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { describeError, fsError, isPlasmError } from '../core/errors.js';
import { sha256, type Hash } from '../core/hash.js';
import { MIB } from '../core/limits.js';
import type { Status } from '../core/status.js';
import { inspectWasm } from '../core/wasm-info.js';
import type { JobSpec } from './job.js';
import { watToWasm } from './wat.js';

export interface PreparedJob {
  spec: JobSpec;
  moduleHash: Hash;
  /** The module as the sandbox receives it. */
  wasm: Uint8Array;
  /** Guest argv; argv[0] is the module's file name (wasi-libc programs need one). */
  argv: string[];
}

export type Prepared =
  | { ok: true; job: PreparedJob }
  /** Refused before a sandbox started; `moduleHash` is null when the module could not be read. */
  | { ok: false; status: Status; message: string; moduleHash: Hash | null };

export async function prepare(spec: JobSpec): Promise<Prepared> {
  let fileBytes: Buffer;
  try {
    fileBytes = readFileSync(spec.modulePath);
  } catch (error) {
    return { ok: false, status: 'invalid', message: fsError(error, spec.modulePath, 'read').message, moduleHash: null };
  }
  const moduleHash = sha256(fileBytes);
  const refuse = (status: Status, message: string): Prepared => ({ ok: false, status, message, moduleHash });
  if (spec.pinnedHash && spec.pinnedHash !== moduleHash) {
    return refuse('invalid', `${spec.modulePath} has hash ${moduleHash}, but ${spec.manifestPath ?? 'the job'} pins ${spec.pinnedHash}; refusing to run it.`);
  }
  const name = basename(spec.modulePath);
  let wasm: Uint8Array = fileBytes;
  if (extname(spec.modulePath).toLowerCase() === '.wat') {
    try {
      wasm = await watToWasm(fileBytes.toString('utf8'), name);
    } catch (error) {
      return refuse('invalid', isPlasmError(error) ? error.message : describeError(error));
    }
  }
  const header = inspectWasm(wasm);
  if (header.problem) return refuse('invalid', `${name}: ${header.problem}.`);
  const capBytes = spec.limits.memory_mb * MIB;
  if (header.initialPages !== null && header.initialPages * 65536 > capBytes) {
    const askedMb = Math.ceil((header.initialPages * 65536) / MIB);
    return refuse('memory_limit', `The module asks for ${askedMb} MiB of initial memory, over its ${spec.limits.memory_mb} MiB cap; raise the memory limit to run it.`);
  }
  return { ok: true, job: { spec, moduleHash, wasm, argv: [name, ...spec.args] } };
}
