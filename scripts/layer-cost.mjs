#!/usr/bin/env node
// What each containment layer costs a job: median wall time of `plasm-tui run` on the hello
// example with the OS sandbox (bwrap + prlimit), plain with prlimit + setpriv, and bare node
// (no launcher chain at all), interleaved in one run. Usage: npm run build && node scripts/layer-cost.mjs [runs]
import { execa } from 'execa';
import { performance } from 'node:perf_hooks';
import { runInSandbox } from '../dist/sandbox/spawn.js';
import { WORKER_PATH, workerNodeFlags } from '../dist/sandbox/node-flags.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 20);
const hello = readFileSync(fileURLToPath(new URL('../wasm-examples/hello/hello.wasm', import.meta.url)));
const job = { module: hello, argv: ['hello.wasm'], env: {}, preopens: [], stdin: Buffer.from('Hello, World\n'), memoryCapBytes: 128 << 20, timeoutMs: 10_000, maxOutputBytes: 1 << 20, stackKb: 984, fuel: null };

/** The worker started as before the launcher: node and its flags, no exec chain. */
async function bare() {
  const began = performance.now();
  const child = execa(process.execPath, [...workerNodeFlags(job), WORKER_PATH], { ipc: true, serialization: 'advanced', env: { PATH: '' }, extendEnv: false, input: job.stdin, reject: false });
  child.on('message', (m) => m.type === 'ready' && child.send({ type: 'job', ...job }));
  const r = await child;
  if (r.stdout !== 'dlroW ,olleH') throw new Error(`bare: ${r.stderr}`);
  return { status: 'ok', stdout: Buffer.from('dlroW ,olleH\n'), timing: { total_ms: performance.now() - began } };
}

const modes = { bwrap: 'bwrap', 'plain+prlimit+setpriv': 'off', 'plain (bare node)': bare };
const times = Object.fromEntries(Object.keys(modes).map((m) => [m, []]));
for (let i = 0; i < runs + 2; i++) {
  for (const [name, mode] of Object.entries(modes)) {
    process.env.PLASM_OS_SANDBOX = typeof mode === 'string' ? mode : 'off';
    const result = typeof mode === 'string' ? await runInSandbox(job) : await mode();
    if (result.status !== 'ok' || result.stdout.toString() !== 'dlroW ,olleH\n') throw new Error(`${name}: ${result.status} ${result.message}`);
    if (i >= 2) times[name].push(result.timing.total_ms); // the first two warm the disk cache
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, xs] of Object.entries(times)) console.log(`${name.padEnd(24)} median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)}, n=${xs.length})`);
