/**
 * Where the wabt package is, for a worker that compiles WebAssembly text: its entry as a URL to
 * import, and its folder, which the worker is allowed to read (and which bwrap binds). The real
 * path, so that a symlinked node_modules resolves to a folder that exists inside the sandbox.
 */
import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

let cached: { url: string; dir: string } | undefined;

export function wabtLocation(): { url: string; dir: string } {
  if (!cached) {
    const entry = realpathSync(createRequire(import.meta.url).resolve('wabt'));
    cached = { url: pathToFileURL(entry).href, dir: dirname(entry) };
  }
  return cached;
}
