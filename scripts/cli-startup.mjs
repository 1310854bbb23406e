#!/usr/bin/env node
// How long `plasm-tui run` takes as a whole process, against a bare `node` process running the
// same module with plain node:wasi (no sandbox, no receipt). The two are interleaved, run by
// run, so both see the same machine load; prints both medians and their ratio.
// Usage: node scripts/cli-startup.mjs [--runs N]   (after `npm run build`)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const RUNS = Number(values.runs);
const HELLO = join(ROOT, 'wasm-examples', 'hello', 'hello.wasm');
const BIN = join(ROOT, 'bin', 'plasm-tui.js');
const scratch = mkdtempSync(join(tmpdir(), 'plasm-cli-startup-'));

const plainRunner = join(scratch, 'plain-wasi.mjs');
writeFileSync(
  plainRunner,
  `import { WASI } from 'node:wasi'; import { readFileSync } from 'node:fs';
const wasi = new WASI({ version: 'preview1', args: ['hello.wasm'], env: {}, returnOnExit: true });
const instance = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(process.argv[2])), wasi.getImportObject());
process.exitCode = wasi.start(instance);\n`,
);

// A fresh config folder: the node key is created by the warm-up, not inside a timed run.
const env = { ...process.env, XDG_CONFIG_HOME: join(scratch, 'config') };
const commands = {
  plain: [process.execPath, ['--no-warnings', plainRunner, HELLO], 'hi\n'],
  cli: [process.execPath, [BIN, 'run', '--stdin', 'hi', HELLO], undefined],
};
const expected = { plain: 'ih\n', cli: 'ih' };

function timed(name) {
  const [file, args, input] = commands[name];
  const start = process.hrtime.bigint();
  const stdout = execFileSync(file, args, { input, env, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (stdout !== expected[name]) throw new Error(`${name}: unexpected output ${JSON.stringify(stdout)}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
timed('plain');
timed('cli'); // warm-up: the disk cache, and the node key
const samples = { plain: [], cli: [] };
for (let i = 0; i < RUNS; i++) {
  samples.plain.push(timed('plain'));
  samples.cli.push(timed('cli'));
}
const plain = median(samples.plain);
const cli = median(samples.cli);
console.log(`node ${process.version} · ${RUNS} interleaved runs each · hello.wasm`);
console.log(`bare node + node:wasi        median ${plain.toFixed(1).padStart(7)} ms  (min ${Math.min(...samples.plain).toFixed(1)})`);
console.log(`plasm-tui run --stdin hi     median ${cli.toFixed(1).padStart(7)} ms  (min ${Math.min(...samples.cli).toFixed(1)})`);
console.log(`ratio (plasm-tui run / bare) ${(cli / plain).toFixed(2)}×`);
