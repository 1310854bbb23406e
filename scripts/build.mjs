#!/usr/bin/env node
// `npm run build`: compiles src/ with tsc and bundles the CLI and the sandbox worker
// (scripts/bundle.mjs) into a fresh folder beside dist/, then renames it into place. A program
// already running from dist/ (a TUI, a test, a project that depends on this clone) never sees a
// half-built or missing dist/, and a file deleted from src/ never lingers in the package.
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
// Beside dist/, two folders above every built file like dist/ itself (src/core/paths.ts).
const fresh = join(ROOT, `.dist-build-${process.pid}`);
const old = join(ROOT, `.dist-old-${process.pid}`);

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--outDir', fresh], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), fresh], { cwd: ROOT, stdio: 'inherit' });
} catch {
  rmSync(fresh, { recursive: true, force: true });
  process.exit(1);
}
// Two renames: dist/ is missing only between them, for a few microseconds, never half-written.
if (existsSync(DIST)) renameSync(DIST, old);
renameSync(fresh, DIST);
rmSync(old, { recursive: true, force: true });
