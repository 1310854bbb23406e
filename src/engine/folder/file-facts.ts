/**
 * What the watcher knows about each interesting file: a module's hash (or why it is not read:
 * too big, not a regular file), or a manifest as loaded (or the error it failed with). Reading
 * happens here and in settle-module.ts; turning facts into jobs is pure (see derive-jobs.ts).
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { isPlasmError, describeError } from '../../core/errors.js';
import { sha256, type Hash } from '../../core/hash.js';
import { isManifestFileName, loadManifest, looksLikeManifest, type LoadedManifest } from '../../core/manifest.js';
import { isModulePath } from '../job.js';
import { formatBytes } from '../module-file.js';

export type FileFact =
  /** `hash` is null when the file is not read; `problem` says why, in one sentence. */
  | { kind: 'module'; path: string; hash: Hash | null; problem: string | null }
  | { kind: 'manifest'; path: string; loaded: LoadedManifest | null; error: { message: string; details: string[] } | null };

/** JSON bigger than this is data, not a manifest; it is not read to find out. */
const MAX_SNIFF_BYTES = 1024 * 1024;

export type Candidate = 'module' | 'json' | null;

export function candidateKind(path: string): Candidate {
  if (isModulePath(path)) return 'module';
  if (extname(path).toLowerCase() === '.json') return 'json';
  return null;
}

export function moduleFact(path: string, bytes: Uint8Array): FileFact {
  return { kind: 'module', path, hash: sha256(bytes), problem: null };
}

export function unreadModuleFact(path: string, problem: string): FileFact {
  return { kind: 'module', path, hash: null, problem };
}

/**
 * A JSON file is a manifest if its name says so or its content looks like one; anything else
 * (package.json, data) is not a job and gives null. Broken manifests become facts with an error.
 */
export function jsonFact(path: string): FileFact | null {
  const named = isManifestFileName(basename(path));
  let size: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return null;
    size = stats.size;
  } catch {
    return null; // gone
  }
  if (named && size > MAX_SNIFF_BYTES) {
    return { kind: 'manifest', path, loaded: null, error: { message: `${path} is ${formatBytes(size)}, too big for a manifest (at most ${formatBytes(MAX_SNIFF_BYTES)}); it is not read.`, details: [] } };
  }
  if (!named) {
    try {
      if (size > MAX_SNIFF_BYTES) return null;
      if (!looksLikeManifest(JSON.parse(readFileSync(path, 'utf8')))) return null;
    } catch {
      return null; // unreadable or not JSON, and not named as a manifest: not ours
    }
  }
  try {
    return { kind: 'manifest', path, loaded: loadManifest(path), error: null };
  } catch (error) {
    return { kind: 'manifest', path, loaded: null, error: errorView(error) };
  }
}

export function errorView(error: unknown): { message: string; details: string[] } {
  return isPlasmError(error) ? { message: error.message, details: error.details } : { message: describeError(error), details: [] };
}
