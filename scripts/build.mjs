#!/usr/bin/env node
// `npm run build`: compiles src/ with tsc and bundles the CLI and the sandbox worker
// (scripts/bundle.mjs) into a fresh folder beside dist/, then renames it into place. A program
// already running from dist/ (a TUI, a test, a project that depends on this clone) never sees a
// half-built or missing dist/, and a file deleted from src/ never lingers in the package.
// A dist/ built from exactly the same inputs (sources, lock file, build scripts, Node major) is
// left as it is: `npm install` in a project that depends on this folder, or `npm test` twice,
// does not rebuild for 20 s. `--force` rebuilds anyway.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
// Beside dist/, two folders above every built file like dist/ itself (src/core/paths.ts).
const fresh = join(ROOT, `.dist-build-${process.pid}`);
const old = join(ROOT, `.dist-old-${process.pid}`);

const STAMP = '.build-inputs';

/** A hash of everything the build reads, file names and contents, in a fixed order. */
function inputsHash() {
  const hash = createHash('sha256');
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  walk(join(ROOT, 'src'));
  walk(join(ROOT, 'schemas'));
  files.push(...['tsconfig.json', 'package.json', 'package-lock.json', 'scripts/build.mjs', 'scripts/bundle.mjs', 'scripts/schema-validators.mjs'].map((f) => join(ROOT, f)).filter(existsSync));
  hash.update(`node ${process.versions.node.split('.')[0]}\n`);
  for (const file of files.sort()) hash.update(`${relative(ROOT, file)}\n`).update(readFileSync(file)).update('\n');
  return hash.digest('hex');
}

const inputs = inputsHash();
const built = existsSync(join(DIST, STAMP)) ? readFileSync(join(DIST, STAMP), 'utf8').trim() : null;
if (built === inputs && !process.argv.includes('--force')) {
  console.log('dist/ is up to date with src/ (npm run build -- --force rebuilds it)');
  process.exit(0);
}
console.error('plasm-tui: building dist/ (compiling and bundling, about 20 s the first time)…');

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--outDir', fresh], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), fresh], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'schema-validators.mjs'), fresh], { cwd: ROOT, stdio: 'inherit' });
} catch {
  rmSync(fresh, { recursive: true, force: true });
  process.exit(1);
}
writeFileSync(join(fresh, STAMP), `${inputs}\n`);
// Two renames: dist/ is missing only between them, for a few microseconds, never half-written.
if (existsSync(DIST)) renameSync(DIST, old);
renameSync(fresh, DIST);
rmSync(old, { recursive: true, force: true });
