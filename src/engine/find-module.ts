import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PlasmError } from '../core/errors.js';
import { sha256, type Hash } from '../core/hash.js';
import { DEFAULT_MAX_MODULE_BYTES, readModuleFileSync } from './module-file.js';

/** Folders never searched for modules: dependencies, VCS data, build trees and our own state. */
export const IGNORED_DIRS = new Set(['node_modules', '.git', 'target', 'dist', '.plasm']);

const MAX_FILES = 5000;

/**
 * A v0.1 manifest names its module only by hash: the module is the `.wasm` file under the
 * manifest's folder whose SHA-256 matches. Only regular files up to the module size cap are
 * read (a bigger one could not run anyway).
 */
export function findModuleByHash(root: string, hash: Hash, manifestPath: string, maxModuleBytes = DEFAULT_MAX_MODULE_BYTES): string {
  let seen = 0;
  const walk = (dir: string): string | null => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return null;
    }
    for (const entry of entries) {
      if (++seen > MAX_FILES) return null;
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !IGNORED_DIRS.has(entry.name)) {
        const found = walk(path);
        if (found) return found;
      } else if (entry.isFile() && entry.name.endsWith('.wasm') && hashOf(path, maxModuleBytes) === hash) {
        return path;
      }
    }
    return null;
  };
  const found = walk(root);
  if (!found) {
    throw new PlasmError('not_found', `${manifestPath}: no .wasm file under ${root} has the hash ${hash}; pass the module with --module.`);
  }
  return found;
}

function hashOf(path: string, maxBytes: number): Hash | null {
  const read = readModuleFileSync(path, maxBytes);
  return read.ok ? sha256(read.bytes) : null;
}
