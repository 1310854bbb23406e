#!/usr/bin/env node
// The two programs that start on every `plasm-tui run`, each bundled into one file so that
// starting one is a single module read instead of dozens (the CLI's graph is ~200 modules, execa
// alone 106):
//   - dist/cli/bundle.js: the command line (src/cli/main.ts) with its dependencies inlined. The
//     TUI stays out: `import('../tui/start.js')` is left as it is, so it loads the tsc-built
//     dist/tui/ (and Ink and React from node_modules) only when the TUI opens. ajv stays
//     in node_modules too: src/core/schemas.ts requires it on first use (createRequire, which
//     esbuild leaves alone), so a run that validates nothing never loads it.
//   - dist/sandbox/worker.bundle.mjs: the sandbox worker, the only file of the package it may read.
// Both sit two folders below the package root, like every tsc-built file, so the paths derived
// from `import.meta.url` (src/core/paths.ts) hold in them too. Runs after tsc (scripts/build.mjs).
import { build } from 'esbuild';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where tsc put its output: scripts/build.mjs passes a fresh folder beside dist/. */
const OUT = process.argv[2] ?? join(ROOT, 'dist');
const outdir = relative(ROOT, OUT);

const common = {
  absWorkingDir: ROOT,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
};

/** Bundled CommonJS dependencies (cross-spawn, under execa) require Node's built-ins: ESM has no `require`. */
const requireInEsm = { js: "import { createRequire as __plasmCreateRequire } from 'node:module'; const require = __plasmCreateRequire(import.meta.url);" };

/** Leaves the TUI's entry out of the CLI bundle, imported at run time from dist/tui/. */
const tuiStaysOut = {
  name: 'tui-stays-out',
  setup(build) {
    build.onResolve({ filter: /\/tui\/start\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

const cli = await build({
  ...common,
  entryPoints: { 'cli/bundle': 'src/cli/main.ts' },
  outdir,
  banner: requireInEsm,
  plugins: [tuiStaysOut],
  metafile: true,
});
writeLicenses(cli.metafile, join(OUT, 'cli', 'bundle.licenses.txt'));

await build({
  ...common,
  entryPoints: { 'sandbox/worker.bundle': 'src/sandbox/worker.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
});

/** The bundle holds copies of its dependencies' code: their license texts go with it. */
function writeLicenses(metafile, file) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packages.set(match[1], join(ROOT, match[1]));
  }
  const notices = [...packages.values()].sort().map((dir) => {
    const { name, version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const text = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    if (!text) throw new Error(`${name} has no license file to ship with the bundle`);
    return `${name} ${version} (${license})\n\n${readFileSync(join(dir, text), 'utf8').trim()}\n`;
  });
  writeFileSync(file, `Third-party code bundled into dist/cli/bundle.js:\n\n${notices.join('\n' + '-'.repeat(72) + '\n\n')}`);
}
