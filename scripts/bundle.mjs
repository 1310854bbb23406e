#!/usr/bin/env node
// The two programs that start on every `plasm-tui run`, each bundled into one file so that
// starting one is a single module read instead of dozens (execa alone is ~80 files):
//   - dist/cli/bundle.js: the command line (src/cli/main.ts) with its dependencies inlined. The
//     TUI stays out: `import('../tui/start.js')` is left as it is, so it loads the tsc-built
//     dist/tui/ (and Ink, React, chokidar from node_modules) only when the TUI opens.
//   - dist/sandbox/worker.bundle.mjs: the sandbox worker, the only file of the package it may read.
// Both sit two folders below the package root, like every tsc-built file, so the paths derived
// from `import.meta.url` (src/core/paths.ts) hold in them too. Runs after tsc (`npm run build`).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

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

await build({
  ...common,
  entryPoints: { 'cli/bundle': 'src/cli/main.ts' },
  outdir: 'dist',
  banner: requireInEsm,
  plugins: [tuiStaysOut],
});

await build({
  ...common,
  entryPoints: { 'sandbox/worker.bundle': 'src/sandbox/worker.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
});
