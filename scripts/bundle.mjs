#!/usr/bin/env node
// The programs that start on every `plasm-tui` command, bundled so that starting one is a few
// module reads instead of hundreds (the CLI's graph is ~200 modules, execa alone 106; the TUI's
// ~400, Ink and React among them):
//   - dist/cli/bundle.js: the command line (src/cli/main.ts), split (esbuild `splitting`) at its
//     dynamic imports into chunks in dist/chunks/: each command, the TUI (Ink and React inside),
//     the local sandbox (execa) are loaded only by what uses them, and code they share is loaded
//     once. `plasm-tui run` never loads Ink or React; the TUI does not load the engine twice.
//     ajv stays in node_modules: src/core/schemas.ts uses the validators compiled at build time
//     (scripts/schema-validators.mjs) and requires ajv only without them.
//   - dist/sandbox/worker.bundle.mjs: the sandbox worker, the only file of the package it may read.
// All sit two folders below the package root, like every tsc-built file, so the paths derived
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

/**
 * Ink connects to React DevTools when DEV=true, importing react-devtools-core (not a dependency).
 * Left as an import of a file that is not there, it fails as Ink expects, and Ink says what to install.
 */
const inkDevtoolsStaysOut = {
  name: 'ink-devtools-stays-out',
  setup(build) {
    build.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) => (args.importer.includes('/node_modules/ink/') ? { path: './ink-devtools.js', external: true } : undefined));
  },
};

/**
 * Small changes to bundled dependencies, each checked: a new version without the text replaced
 * fails the build rather than bundling the file unchanged.
 */
function patched(name, file, replacements) {
  return {
    name,
    setup(build) {
      build.onLoad({ filter: file }, (args) => {
        let source = readFileSync(args.path, 'utf8');
        for (const [from, to] of replacements) {
          if (!source.includes(from)) throw new Error(`${args.path} no longer holds ${JSON.stringify(from)}: see ${name} in scripts/bundle.mjs`);
          source = source.replace(from, to);
        }
        return { contents: source, loader: 'js' };
      });
    },
  };
}

/**
 * yoga-layout (Ink's layout engine) carries its WebAssembly as a base64 data: URL and, where a
 * global `fetch` exists, loads it with `fetch(dataURL)`. In Node that first loads undici, Node's
 * fetch (60 ms of a TUI start on a 2-core machine), to decode bytes it already has. Its own
 * synchronous path (the one it takes where there is no fetch) gives the same bytes.
 */
const yogaWithoutFetch = patched('yoga-without-fetch', /yoga-layout\/dist\/binaries\/yoga-wasm-base64-esm\.js$/, [['"function"!=typeof fetch', '!0']]);

/**
 * Ink turns each line of a frame into styled cells (tokenizing its escape codes, measuring each
 * grapheme) through caches that live for one frame: every frame measured the whole screen again,
 * 10-40 ms on a 2-core machine. One cache kept across frames (bounded: emptied past 20,000
 * entries) does each line once while it stays on screen. The cells are only read, never changed.
 */
const inkCachesAcrossFrames = patched('ink-caches-across-frames', /\/node_modules\/ink\/build\/output\.js$/, [
  ['    caches = new OutputCaches();', '    caches = sharedOutputCaches();'],
  [
    'export default class Output {',
    `let shared;
const sharedOutputCaches = () => {
    if (!shared || shared.styledChars.size + shared.widths.size + shared.blockWidths.size > 20_000) shared = new OutputCaches();
    return shared;
};
export default class Output {`,
  ],
]);

/**
 * The queue's packages (BullMQ, ioredis: ~1 MB) stay in node_modules: only `plasm-tui worker`
 * loads them, and every other command would otherwise parse them at each start.
 */
const QUEUE_PACKAGES = ['bullmq', 'ioredis'];

// React's production build only (src/tui/interactive-env.ts picks it at run time too): the
// development build (1 MB of react-reconciler) is left out rather than parsed at each start.
const result = await build({
  ...common,
  entryPoints: { 'cli/bundle': 'src/cli/main.ts', 'tui/bundle': 'src/tui/start.ts' },
  outdir,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  banner: requireInEsm,
  plugins: [inkDevtoolsStaysOut, yogaWithoutFetch, inkCachesAcrossFrames],
  external: QUEUE_PACKAGES,
  define: { 'process.env.NODE_ENV': '"production"' },
  metafile: true,
});
writeLicenses(result.metafile, join(OUT, 'cli', 'bundle.licenses.txt'), 'dist/cli/bundle.js and dist/chunks/');

await build({
  ...common,
  entryPoints: { 'sandbox/worker.bundle': 'src/sandbox/worker.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
});

/** The bundle holds copies of its dependencies' code: their license texts go with it. */
function writeLicenses(metafile, file, bundle) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packages.set(match[1], join(ROOT, match[1]));
  }
  const notices = [...packages.values()].sort().map((dir) => {
    const { name, version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const text = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    if (text) return `${name} ${version} (${license})\n\n${readFileSync(join(dir, text), 'utf8').trim()}\n`;
    // yoga-layout ships no license file: its package says MIT, its sources name the holder.
    const holder = license === 'MIT' ? copyrightIn(dir) : null;
    if (!holder) throw new Error(`${name} has no license file to ship with the bundle`);
    return `${name} ${version} (MIT; the package has no license file, its sources say "${holder}")\n\n${mitLicense(holder)}\n`;
  });
  writeFileSync(file, `Third-party code bundled into ${bundle}:\n\n${notices.join('\n' + '-'.repeat(72) + '\n\n')}`);
}

/** The first "Copyright (c) …" line in a package's files, without comment marks. */
function copyrightIn(dir) {
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!/\.(js|mjs|cjs)$/.test(file) || file.includes('node_modules')) continue;
    const match = /Copyright \(c\)[^\n*]*/.exec(readFileSync(join(dir, file), 'utf8'));
    if (match) return match[0].trim();
  }
  return null;
}

function mitLicense(holder) {
  return `MIT License

${holder}

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;
}
