#!/usr/bin/env node
// Measures plasm-tui against baselines taken in the same run and prints ratios:
//   - a job through the engine (its own sandboxed process) vs. the same module in a plain
//     `node` process running node:wasi with no sandboxing (the floor for a fresh process),
//   - `plasm-tui run` from the shell vs. that plain process and vs. `node -e 0`,
//   - the caller's memory while a module writes without end, vs. the output cap.
// Usage: npm run bench [-- --runs N]
import { execa } from 'execa';
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
process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'plasm-bench-config-'));

const { DEFAULT_CONFIG } = await import(join(ROOT, 'dist/core/config.js'));
const { loadOrCreateNodeKey } = await import(join(ROOT, 'dist/core/keys.js'));
const { jobFromModule, startRun } = await import(join(ROOT, 'dist/engine/index.js'));

const plainRunner = join(mkdtempSync(join(tmpdir(), 'plasm-bench-')), 'plain-wasi.mjs');
writeFileSync(
  plainRunner,
  `import { WASI } from 'node:wasi'; import { readFileSync } from 'node:fs';
const wasi = new WASI({ version: 'preview1', args: ['hello.wasm'], env: {}, returnOnExit: true });
const instance = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(process.argv[2])), wasi.getImportObject());
process.exitCode = wasi.start(instance);\n`,
);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(label, fn) {
  await fn(); // warm-up
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  const m = median(samples);
  console.log(`${label.padEnd(58)} median ${m.toFixed(1).padStart(7)} ms  (min ${Math.min(...samples).toFixed(1)}, n=${RUNS})`);
  return m;
}

console.log(`plasm-tui bench · node ${process.version} · ${RUNS} runs each · hello.wasm reversing "Hello, World"\n`);
const key = loadOrCreateNodeKey();
const spec = jobFromModule(HELLO, DEFAULT_CONFIG);
const input = 'Hello, World\n';

const nodeStart = await time('baseline: node -e 0', () => execa(process.execPath, ['-e', '0']));
const plain = await time('baseline: plain node:wasi process (no sandbox, no receipt)', () => execa(process.execPath, ['--no-warnings', plainRunner, HELLO], { input }));
const engine = await time('plasm-tui engine: startRun (sandbox process + receipt)', async () => {
  const result = await startRun(spec, { key, stdin: input }).result;
  if (result.stdout.toString() !== 'dlroW ,olleH\n') throw new Error(`unexpected output: ${result.status} ${result.message}`);
});
const cliRun = await time('plasm-tui CLI: plasm-tui run (whole command)', () => execa(process.execPath, [BIN, 'run', '-q', HELLO], { input }));

const phases = (await startRun(spec, { key, stdin: input }).result).timing;
console.log(`\none engine run: start ${phases.start_ms.toFixed(1)} ms · compile ${phases.compile_ms.toFixed(1)} ms · run ${phases.run_ms.toFixed(1)} ms · total ${phases.total_ms.toFixed(1)} ms`);

const cap = 16 * 1024 * 1024;
const before = process.memoryUsage();
const spew = jobFromModule(join(ROOT, 'test/fixtures/wat/spew-stdout.wat'), { ...DEFAULT_CONFIG, max_output_bytes: cap, timeout_seconds: 30 });
const spewResult = await startRun(spew, { key }).result;
const after = process.memoryUsage();
const grew = after.arrayBuffers - before.arrayBuffers;

console.log('\nratios (lower is better):');
console.log(`  engine job / plain node:wasi process   ${(engine / plain).toFixed(2)}×`);
console.log(`  engine job / node -e 0                 ${(engine / nodeStart).toFixed(2)}×`);
console.log(`  plasm-tui run / plain node:wasi process ${(cliRun / plain).toFixed(2)}×`);
console.log(`  caller buffer growth / output cap (endless stdout, ${spewResult.status}) ${(grew / cap).toFixed(2)}× (${(grew / 1048576).toFixed(1)} MiB for a ${cap / 1048576} MiB cap)`);
