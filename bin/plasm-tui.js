#!/usr/bin/env node
// The plasm-tui command. The code lives in dist/ (compiled from src/ by `npm ci` / `npm run build`):
// the command line is bundled into one file, so a run starts with a handful of module reads.
// Node 22+ keeps the bundle's compiled code between runs (in the system's temporary dir): a
// command starts without compiling it again. Node 20 has no such cache.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
let main;
try {
  ({ main } = await import('../dist/cli/bundle.js'));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  process.stderr.write('plasm-tui: not built yet; run `npm ci` (or `npm run build`) in the plasm-tui folder.\n');
  process.exit(70);
}
process.exitCode = await main(process.argv.slice(2));
