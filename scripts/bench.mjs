#!/usr/bin/env node
// `npm run bench`: plasm-tui against baselines measured in the same run, side by side
// (interleaved samples, medians), printed as a table of ratios and written as JSON.
//   1. hello through the engine with a warm spare      vs a fresh `node -e 0`
//   2. `plasm-tui run hello.wasm`, the whole command     vs a bare node process with plain node:wasi
//   3. sha256 (a real ~1 s program), engine and CLI     vs plain node:wasi; fuel on vs fuel off
//   4. a TUI watch rerun, end of write → output on screen, in a pty: in place and by rename
//   5. peak RSS of an engine process while a module floods its output (16 MiB cap)
//   6. 200 hello jobs through the SDK, concurrency 2    vs 200 sequential plain node processes
//   7. a 16 MiB flood of line breaks: TUI (⏎ → status on screen, in a pty) vs `plasm-tui run` (the command)
//   8. `plasm-tui run cat-file.wasm --ro-dir data::/data` (a grant held by descriptor) vs the same command granting nothing
//   9. `plasm-tui validate` on a manifest (validators compiled at build time) vs a fresh `node -e 0`
//  10. QuickJS fib(27) and the SQLite workload, warm: fuel on vs fuel off (the whole job, and the guest's run alone)
//  11. the same, warm: deterministic mode (fuel, virtual clock, input-tree hash) vs a normal run
//  12. `plasm-tui run hello.wasm` through a running daemon (plasm-tui serve) vs a bare node process with plain node:wasi
//  13. 1,000 hello jobs through 2 queue workers (private Redis) vs the local pool, same concurrency;
//      one job at a time, submit → verified result, and the queue's overhead per job
//  14. the TUI's start, spawn → its job listed (a one-file folder, in a pty) vs a fresh `node -e 0`;
//      importing Ink and React from node_modules (what the TUI's bundle spares it) vs the same
//  15. QuickJS fib(33), `plasm-tui run` (no daemon, and through one) vs a bare node:wasi process
// Usage: npm run bench [-- --runs N] [--json PATH] [--only 1,2,…]
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, json: { type: 'string', default: join(ROOT, 'bench-results.json') }, only: { type: 'string' } } });
const RUNS = Math.max(3, Number(values.runs));
const ONLY = values.only ? new Set(values.only.split(',').map(Number)) : null;
const want = (n) => !ONLY || ONLY.has(n);
const HELLO = join(ROOT, 'wasm-examples', 'hello', 'hello.wasm');
const SHA = join(ROOT, 'wasm-examples', 'sha256', 'sha256.wasm');
const BIN = join(ROOT, 'bin', 'plasm-tui.js');
process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'plasm-bench-config-'));
// A runtime dir of its own: no daemon the user runs is measured by a row that says "no daemon".
process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'plasm-bench-run-'));

const { DEFAULT_CONFIG } = await import(join(ROOT, 'dist/core/config.js'));
const { loadOrCreateNodeKey } = await import(join(ROOT, 'dist/core/keys.js'));
const { createEngine, createWarmPool, jobFromModule } = await import(join(ROOT, 'dist/engine/index.js'));
const { Client } = await import(join(ROOT, 'dist/sdk/index.js'));

const scratch = mkdtempSync(join(tmpdir(), 'plasm-bench-'));
const plainRunner = join(scratch, 'plain-wasi.mjs');
writeFileSync(
  plainRunner,
  `import { WASI } from 'node:wasi'; import { readFileSync } from 'node:fs'; import { basename } from 'node:path';
const wasi = new WASI({ version: 'preview1', args: [basename(process.argv[2]), ...process.argv.slice(3)], env: {}, returnOnExit: true });
const instance = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(process.argv[2])), wasi.getImportObject());
process.exitCode = wasi.start(instance);\n`,
);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Times `subject` and `baseline` alternately (`runs` each, after one warm-up of each), `between` before each. */
async function sideBySide(runs, subject, baseline, between = async () => {}) {
  await subject();
  await baseline();
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    await between();
    let t = performance.now();
    await subject();
    a.push(performance.now() - t);
    await between(); // what one left running (a spare starting) is not timed against the other
    t = performance.now();
    await baseline();
    b.push(performance.now() - t);
  }
  return { subject: median(a), baseline: median(b) };
}

const rows = [];
const row = (n, what, subject, baseline, unit, target, extra = {}) => {
  const ratio = subject / baseline;
  rows.push({ n, what, subject: Math.round(subject * 10) / 10, baseline: Math.round(baseline * 10) / 10, unit, ratio: Math.round(ratio * 1000) / 1000, target, ...extra });
};
const input = 'Hello, World\n';
const expectOut = (result, text) => {
  if (result.stdout.toString() !== text) throw new Error(`unexpected output: ${result.status} ${result.message}`);
};

console.log(`plasm-tui bench · node ${process.version} · ${RUNS} runs each, medians · PLASM_OS_SANDBOX=${process.env.PLASM_OS_SANDBOX ?? 'auto'}\n`);
const key = loadOrCreateNodeKey();

if (want(1)) {
  const pool = createWarmPool();
  const engine = createEngine({ config: DEFAULT_CONFIG, key, sandbox: pool });
  engine.warm();
  const spec = jobFromModule(HELLO, DEFAULT_CONFIG);
  // Between samples the next spare boots (a user's next keypress is further away than that).
  const r = await sideBySide(RUNS, async () => expectOut(await engine.run(spec, { stdin: input }), 'dlroW ,olleH\n'), () => execa(process.execPath, ['-e', '0']), () => pause(250));
  const stats = pool.stats();
  await engine.close();
  row(1, 'hello, engine with a warm spare  vs  node -e 0', r.subject, r.baseline, 'ms', '≤ 0.1', { warm: stats.warm, cold: stats.cold });
  // The same through the SDK (what a program calls), its p50 (the median) as the issue states it.
  const client = new Client();
  const job = client.createJob(HELLO);
  await job.submit('warm-up');
  const viaSdk = await sideBySide(RUNS, async () => {
    const result = await job.submit(input);
    if (result.stdout() !== 'dlroW ,olleH\n') throw new Error(`unexpected output: ${result.status()} ${result.message()}`);
  }, () => execa(process.execPath, ['-e', '0']), () => pause(250));
  await client.close();
  row(1, 'hello, SDK job with a warm spare (p50)  vs  node -e 0', viaSdk.subject, viaSdk.baseline, 'ms', '≤ 0.1');
}

if (want(2)) {
  const r = await sideBySide(
    RUNS,
    () => execa(process.execPath, [BIN, 'run', '-q', HELLO], { input }),
    () => execa(process.execPath, ['--no-warnings', plainRunner, HELLO], { input }),
  );
  row(2, 'plasm-tui run hello.wasm  vs  bare node + node:wasi', r.subject, r.baseline, 'ms', '≤ 2.0');
}

if (want(3)) {
  const runs = Math.max(3, Math.ceil(RUNS / 4));
  const pool = createWarmPool();
  const engine = createEngine({ config: DEFAULT_CONFIG, key, sandbox: pool });
  const sha = jobFromModule(SHA, DEFAULT_CONFIG);
  const metered = jobFromModule(SHA, DEFAULT_CONFIG, { fuel: Number.MAX_SAFE_INTEGER });
  engine.warm(sha);
  const plain = () => execa(process.execPath, ['--no-warnings', plainRunner, SHA], { input: '' });
  const viaEngine = await sideBySide(runs, async () => {
    const result = await engine.run(sha);
    if (result.status !== 'ok') throw new Error(result.message);
  }, plain, () => pause(250));
  row(3, 'sha256 128 MiB, engine (warm)  vs  plain node:wasi process', viaEngine.subject, viaEngine.baseline, 'ms', '≤ 1.05');
  const viaCli = await sideBySide(runs, () => execa(process.execPath, [BIN, 'run', '-q', SHA], { input: '' }), plain);
  row(3, 'sha256 128 MiB, plasm-tui run  vs  plain node:wasi process', viaCli.subject, viaCli.baseline, 'ms', '≤ 1.05');
  let fuel = null;
  const fuelOnOff = await sideBySide(runs, async () => {
    const result = await engine.run(metered);
    if (result.status !== 'ok') throw new Error(result.message);
    fuel = result.usage.fuel_consumed;
  }, async () => {
    const result = await engine.run(sha);
    if (result.status !== 'ok') throw new Error(result.message);
  }, () => pause(250));
  row(3, 'sha256 128 MiB, fuel on  vs  fuel off (engine)', fuelOnOff.subject, fuelOnOff.baseline, 'ms', '≤ 1.3', { fuel_consumed: fuel });
  await engine.close();
}

if (want(4)) {
  const { measureRerun } = await import('./rerun-latency.mjs');
  const rounds = Math.max(5, Math.ceil(RUNS / 3));
  for (const [kind, target] of [['wasm', '≤ 100 ms'], ['wat', '≤ 150 ms']]) {
    for (const how of ['in-place', 'rename']) {
      const times = await measureRerun(kind, how, rounds);
      const m = median(times);
      rows.push({ n: 4, what: `TUI watch rerun (.${kind}, ${how}), write → new output on screen`, subject: Math.round(m), baseline: null, unit: 'ms', ratio: null, target, runs_ms: times.map(Math.round) });
    }
  }
}

if (want(5)) {
  const probe = join(scratch, 'flood-rss.mjs');
  writeFileSync(
    probe,
    `const { DEFAULT_CONFIG } = await import(${JSON.stringify(join(ROOT, 'dist/core/config.js'))});
const { createEngine, jobFromModule } = await import(${JSON.stringify(join(ROOT, 'dist/engine/index.js'))});
const { loadOrCreateNodeKey } = await import(${JSON.stringify(join(ROOT, 'dist/core/keys.js'))});
let peak = process.memoryUsage().rss;
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
const engine = createEngine({ config: DEFAULT_CONFIG, key: loadOrCreateNodeKey() });
const spec = jobFromModule(${JSON.stringify(join(ROOT, 'test/fixtures/wat/spew-stdout.wat'))}, DEFAULT_CONFIG, { max_output_bytes: 16 * 1024 * 1024, timeout_seconds: 30 });
const result = await engine.run(spec);
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().rss);
console.log(JSON.stringify({ status: result.status, peak }));\n`,
  );
  const flood = JSON.parse((await execa(process.execPath, [probe])).stdout);
  const idle = JSON.parse((await execa(process.execPath, ['-e', `import(${JSON.stringify(join(ROOT, 'dist/engine/index.js'))}).then(() => console.log(JSON.stringify({ peak: process.memoryUsage().rss })))`])).stdout);
  rows.push({ n: 5, what: `engine process peak RSS while a module floods stdout (${flood.status})  vs  the engine loaded, idle`, subject: Math.round(flood.peak / 1048576), baseline: Math.round(idle.peak / 1048576), unit: 'MiB', ratio: Math.round((flood.peak / idle.peak) * 100) / 100, target: '< 200 MiB' });
}

if (want(6)) {
  const client = new Client();
  const job = client.createJob(HELLO);
  await job.submit('warm-up');
  let t = performance.now();
  const results = await client.submitAll(Array.from({ length: 200 }, (_, i) => ({ job, stdin: `job ${i}` })), { concurrency: 2 });
  const sdkSeconds = (performance.now() - t) / 1000;
  if (results.some((r) => r.status() !== 'ok')) throw new Error('an SDK job failed');
  await client.close();
  t = performance.now();
  for (let i = 0; i < 200; i++) await execa(process.execPath, ['--no-warnings', plainRunner, HELLO], { input: `job ${i}` });
  const plainSeconds = (performance.now() - t) / 1000;
  rows.push({ n: 6, what: '200 hello jobs: SDK, concurrency 2  vs  200 sequential plain node processes', subject: Math.round((200 / sdkSeconds) * 10) / 10, baseline: Math.round((200 / plainSeconds) * 10) / 10, unit: 'jobs/s', ratio: Math.round((plainSeconds / sdkSeconds) * 100) / 100, target: 'higher is better' });
}

if (want(7)) {
  const { measureFlood } = await import('./flood-time.mjs');
  const rounds = Math.max(3, Math.ceil(RUNS / 7));
  const flood = await measureFlood('\n', rounds);
  const statuses = [...new Set([...flood.cli_statuses, ...flood.tui_statuses])].join(', ');
  rows.push({ n: 7, what: `16 MiB of line breaks (${statuses}): TUI, ⏎ → status on screen  vs  plasm-tui run, the whole command`, subject: Math.round(flood.tui_screen_ms), baseline: Math.round(flood.cli_wall_ms), unit: 'ms', ratio: Math.round((flood.tui_screen_ms / flood.cli_wall_ms) * 100) / 100, target: '≤ 1.5', statuses: { cli: flood.cli_statuses, tui: flood.tui_statuses } });
  rows.push({ n: 7, what: '16 MiB of line breaks: the job\'s own time, TUI  vs  plasm-tui run', subject: Math.round(flood.tui_job_ms), baseline: Math.round(flood.cli_job_ms), unit: 'ms', ratio: Math.round((flood.tui_job_ms / flood.cli_job_ms) * 100) / 100, target: '≤ 1.5' });
}

if (want(8)) {
  const CAT = join(ROOT, 'wasm-examples', 'cat-file', 'cat-file.wasm');
  const DATA = join(ROOT, 'wasm-examples', 'cat-file', 'data');
  const r = await sideBySide(
    RUNS,
    async () => {
      const run = await execa(process.execPath, [BIN, 'run', '-q', '--ro-dir', `${DATA}::/data`, CAT, '--', '/data/greeting.txt'], { reject: false, input: '' });
      if (run.exitCode !== 0) throw new Error(`cat-file with a grant: exit ${run.exitCode}: ${run.stderr}`);
    },
    // The same module and command, no grant: it finds no file and says so (exit 1).
    () => execa(process.execPath, [BIN, 'run', '-q', CAT, '--', '/data/greeting.txt'], { reject: false, input: '' }),
  );
  row(8, 'plasm-tui run cat-file, a read-only dir granted  vs  the same, nothing granted', r.subject, r.baseline, 'ms', '≤ 1.1');
}

if (want(9)) {
  const manifest = join(ROOT, 'wasm-examples', 'sieve', 'sieve.manifest.json');
  const r = await sideBySide(
    RUNS,
    () => execa(process.execPath, [BIN, 'validate', manifest]),
    () => execa(process.execPath, ['-e', '0']),
  );
  row(9, 'plasm-tui validate a manifest  vs  node -e 0', r.subject, r.baseline, 'ms', '≤ 2.5');
}

/** A real program as a job: QuickJS on fib.js, SQLite on queries.sql over a read-only database. */
const WORKLOADS = [
  {
    name: 'QuickJS fib(27)',
    module: join(ROOT, 'wasm-examples', 'quickjs', 'quickjs.wasm'),
    stdin: readFileSync(join(ROOT, 'wasm-examples', 'quickjs', 'fib.js')),
    overrides: {},
  },
  {
    name: 'SQLite queries.sql',
    module: join(ROOT, 'wasm-examples', 'sqlite', 'sqlite.wasm'),
    stdin: readFileSync(join(ROOT, 'wasm-examples', 'sqlite', 'queries.sql')),
    overrides: { args: ['/data/shop.db'], dirs: [{ host: join(ROOT, 'wasm-examples', 'sqlite', 'data'), guest: '/data', readonly: true }] },
  },
];

/** Each workload two ways, each on its own warm pool; `whole` and `run_ms` medians side by side. */
async function workloadPair(n, label, subjectOverrides, target) {
  const runs = Math.max(3, Math.ceil(RUNS / 4));
  for (const w of WORKLOADS) {
    const engines = [0, 1].map(() => createEngine({ config: DEFAULT_CONFIG, key, sandbox: createWarmPool() }));
    const specs = [jobFromModule(w.module, DEFAULT_CONFIG, { ...w.overrides, ...subjectOverrides }), jobFromModule(w.module, DEFAULT_CONFIG, w.overrides)];
    engines.forEach((engine, i) => engine.warm(specs[i]));
    const guest = [[], []];
    let fuel = null;
    const once = (i) => async () => {
      const result = await engines[i].run(specs[i], { stdin: w.stdin });
      if (result.status !== 'ok') throw new Error(`${w.name}: ${result.status}: ${result.message}`);
      guest[i].push(result.timing.run_ms);
      if (i === 0) fuel = result.usage.fuel_consumed;
    };
    const r = await sideBySide(runs, once(0), once(1), () => pause(250));
    row(n, `${w.name}, ${label} (whole job, warm)`, r.subject, r.baseline, 'ms', target, { fuel_consumed: fuel });
    row(n, `${w.name}, ${label} (the guest's run alone)`, median(guest[0]), median(guest[1]), 'ms', target);
    await Promise.all(engines.map((engine) => engine.close()));
  }
}

if (want(10)) await workloadPair(10, 'fuel on  vs  fuel off', { fuel: Number.MAX_SAFE_INTEGER }, '≤ 1.25');
if (want(11)) await workloadPair(11, 'deterministic  vs  normal', { deterministic: true }, 'lower is better');

if (want(12)) {
  const daemon = execa(process.execPath, [BIN, 'serve'], { reject: false, stdin: 'ignore' });
  let log = '';
  daemon.stderr.on('data', (chunk) => (log += chunk));
  while (!log.includes('listening on') && daemon.exitCode === null) await pause(20);
  const report = JSON.parse((await execa(process.execPath, [BIN, 'run', '--json', HELLO], { input })).stdout);
  if (!report.daemon?.used) throw new Error(`row 12: the run did not use the daemon: ${JSON.stringify(report.daemon)}`);
  const r = await sideBySide(
    RUNS,
    () => execa(process.execPath, [BIN, 'run', '-q', HELLO], { input }),
    () => execa(process.execPath, ['--no-warnings', plainRunner, HELLO], { input }),
    // As commands typed or scripted one after another: the daemon's spares are back meanwhile.
    () => pause(400),
  );
  row(12, 'plasm-tui run hello.wasm through a running daemon  vs  bare node + node:wasi', r.subject, r.baseline, 'ms', '≤ 1.3');
  daemon.kill('SIGTERM');
  await daemon;
}

if (want(13)) {
  // Two real `plasm-tui worker` processes, 2 jobs at a time each, on a private Redis, against
  // this process's own warm pool (LocalTransport) 4 at a time: the same 1,000 jobs each way, and
  // single jobs one at a time (interleaved) for the latency the queue adds to a job. Every queued
  // result is a verified receipt: QueueTransport checks it against the pinned worker keys.
  const { startQueueRig } = await import('./queue-rig.mjs');
  const { QueueTransport } = await import(join(ROOT, 'dist/sdk/index.js'));
  const JOBS = 1000;
  const AT_ONCE = 4;
  const tag = `${process.pid}-${Date.now()}`;
  const rig = await startQueueRig({ workers: 2, concurrency: AT_ONCE / 2 });
  const queued = new Client({ transport: new QueueTransport({ redis: rig.redis, workerKeys: rig.keys }) });
  const local = new Client();
  const check = (result, stdin) => {
    if (result.status() !== 'ok' || result.stdout() !== [...stdin].reverse().join('')) throw new Error(`a hello job failed: ${result.status()}: ${result.message()}`);
  };
  const batch = async (client, name) => {
    const job = client.createJob(HELLO);
    const items = Array.from({ length: JOBS }, (_, i) => ({ job, stdin: `job ${i}`, id: `bench-${tag}-${name}-${i}` }));
    const t = performance.now();
    const results = await client.submitAll(items, { concurrency: AT_ONCE });
    const seconds = (performance.now() - t) / 1000;
    results.forEach((result, i) => check(result, items[i].stdin));
    return seconds;
  };
  const around = { queue: [], local: [] };
  let latency;
  let queueSeconds;
  let localSeconds;
  try {
    let n = 0;
    const one = (client, name) => async () => {
      const stdin = `one ${n++}`;
      const t = performance.now();
      const result = await client.createJob(HELLO).submit(stdin, { id: `bench-${tag}-${name}-one-${n}` });
      check(result, stdin);
      // Everything but the job's own time in its engine (a warm spare's wait included there).
      around[name].push(performance.now() - t - result.timing().totalMs);
    };
    latency = await sideBySide(RUNS, one(queued, 'queue'), one(local, 'local'));
    queueSeconds = await batch(queued, 'queue');
    localSeconds = await batch(local, 'local');
  } finally {
    await Promise.all([queued.close(), local.close()]);
    await rig.stop();
  }
  // The queue's own cost per job: what a job spends outside its engine, through the queue and here.
  const overhead = Math.round((median(around.queue) - median(around.local)) * 10) / 10;
  rows.push({ n: 13, what: `1,000 hello jobs: 2 queue workers on Redis, 2 at a time each  vs  the local warm pool, ${AT_ONCE} at a time`, subject: Math.round((JOBS / queueSeconds) * 10) / 10, baseline: Math.round((JOBS / localSeconds) * 10) / 10, unit: 'jobs/s', ratio: Math.round((localSeconds / queueSeconds) * 100) / 100, target: 'higher is better', queue_overhead_ms_per_job: overhead });
  row(13, 'one hello job, submit → verified result: through the queue  vs  the local warm pool (the queue\'s overhead per job)', latency.subject, latency.baseline, 'ms', 'lower is better', { queue_overhead_ms_per_job: overhead });
}

if (want(14)) {
  const { measureTuiStart } = await import('./tui-start.mjs');
  const r = await measureTuiStart(Math.max(5, Math.ceil(RUNS / 2)));
  row(14, 'TUI start, spawn → job listed (one-file folder, pty)  vs  node -e 0', r.tui_ms, r.node_ms, 'ms', '≤ 4', { runs_ms: r.tui_runs_ms });
  row(14, 'importing Ink + React from node_modules (the TUI loads them bundled)  vs  node -e 0', r.ink_react_ms, r.node_ms, 'ms', 'not on the TUI\'s path');
}

if (want(15)) {
  // A real program long enough that starting is a small part: fib(33) is about 11 million calls.
  const QUICKJS = join(ROOT, 'wasm-examples', 'quickjs', 'quickjs.wasm');
  const fib33 = readFileSync(join(ROOT, 'wasm-examples', 'quickjs', 'fib.js'), 'utf8').replace('const n = 27;', 'const n = 33;');
  if (!fib33.includes('const n = 33;')) throw new Error('row 15: fib.js no longer sets n = 27');
  const runs = Math.max(3, Math.ceil(RUNS / 4));
  const expectFib = (result) => {
    if (!result.stdout.toString().startsWith('fib(33) = 3524578')) throw new Error(`row 15: unexpected output: ${result.stdout}${result.stderr}`);
  };
  const plain = async () => expectFib(await execa(process.execPath, ['--no-warnings', plainRunner, QUICKJS], { input: fib33 }));
  const viaRun = async () => expectFib(await execa(process.execPath, [BIN, 'run', '-q', '--timeout', '120', QUICKJS], { input: fib33 }));
  const alone = await sideBySide(runs, viaRun, plain);
  row(15, 'QuickJS fib(33), plasm-tui run (no daemon)  vs  bare node + node:wasi', alone.subject, alone.baseline, 'ms', '≤ 1.05');
  const daemon = execa(process.execPath, [BIN, 'serve'], { reject: false, stdin: 'ignore' });
  let log = '';
  daemon.stderr.on('data', (chunk) => (log += chunk));
  while (!log.includes('listening on') && daemon.exitCode === null) await pause(20);
  const served = await sideBySide(runs, viaRun, plain, () => pause(400));
  row(15, 'QuickJS fib(33), plasm-tui run through a running daemon  vs  bare node + node:wasi', served.subject, served.baseline, 'ms', '≤ 1.05');
  daemon.kill('SIGTERM');
  await daemon;
}

const fmt = (v) => (v === null || v === undefined ? '—' : String(v));
console.log('| # | measure | plasm-tui | baseline | unit | ratio | target |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.n} | ${r.what} | ${fmt(r.subject)} | ${fmt(r.baseline)} | ${r.unit} | ${r.ratio === null ? '—' : `${r.ratio}×`} | ${r.target} |`);
writeFileSync(values.json, `${JSON.stringify({ node: process.version, runs: RUNS, os_sandbox: process.env.PLASM_OS_SANDBOX ?? 'auto', date: new Date().toISOString(), rows }, null, 2)}\n`);
console.log(`\nwritten to ${values.json}`);
rmSync(scratch, { recursive: true, force: true });
rmSync(process.env.XDG_CONFIG_HOME, { recursive: true, force: true });
rmSync(process.env.XDG_RUNTIME_DIR, { recursive: true, force: true });
process.exit(0);
