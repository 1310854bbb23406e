/**
 * The prepare stage: everything about a job that can be checked before a sandbox starts — read
 * the module (a regular file under the size cap, checked before reading: module-file.ts), check a pinned hash, inspect a binary's header (initial memory against the cap).
 * WebAssembly text is not parsed here: the worker compiles it, under the job's time and memory
 * limits. What fails here is refused with a classified status.
 */
import { basename, extname } from 'node:path';
import { sha256, type Hash } from '../core/hash.js';
import { initialMemoryOverCap, MIB } from '../core/limits.js';
import type { Status } from '../core/status.js';
import { inspectWasm } from '../core/wasm-info.js';
import type { JobSpec } from './job.js';
import { DEFAULT_MAX_MODULE_BYTES, readModuleFileSync } from './module-file.js';

export interface PreparedJob {
  spec: JobSpec;
  moduleHash: Hash;
  /** The module as the sandbox receives it: a wasm binary, or WebAssembly text when `wat` is set. */
  wasm: Uint8Array;
  wat?: { fileName: string };
  /** Guest argv; argv[0] is the module's file name (wasi-libc programs need one). */
  argv: string[];
}

export type Prepared =
  | { ok: true; job: PreparedJob }
  /** Refused before a sandbox started; `moduleHash` is null when the module could not be read. */
  | { ok: false; status: Status; message: string; moduleHash: Hash | null };

export function prepare(spec: JobSpec, maxModuleBytes = DEFAULT_MAX_MODULE_BYTES): Prepared {
  const read = readModuleFileSync(spec.modulePath, maxModuleBytes);
  if (!read.ok) return { ok: false, status: 'invalid', message: read.message, moduleHash: null };
  const fileBytes = read.bytes;
  const moduleHash = sha256(fileBytes);
  const refuse = (status: Status, message: string): Prepared => ({ ok: false, status, message, moduleHash });
  if (spec.pinnedHash && spec.pinnedHash !== moduleHash) {
    return refuse('invalid', `${spec.modulePath} has hash ${moduleHash}, but ${spec.manifestPath ?? 'the job'} pins ${spec.pinnedHash}; refusing to run it.`);
  }
  const name = basename(spec.modulePath);
  if (extname(spec.modulePath).toLowerCase() === '.wat') {
    return { ok: true, job: { spec, moduleHash, wasm: fileBytes, wat: { fileName: name }, argv: [spec.argv0 ?? name, ...spec.args] } };
  }
  const wasm: Uint8Array = fileBytes;
  const header = inspectWasm(wasm);
  if (header.problem) return refuse('invalid', `${name}: ${header.problem}.`);
  const overCap = initialMemoryOverCap(header.initialPages, spec.limits.memory_mb * MIB);
  if (overCap) return refuse('memory_limit', overCap);
  return { ok: true, job: { spec, moduleHash, wasm, argv: [spec.argv0 ?? name, ...spec.args] } };
}
