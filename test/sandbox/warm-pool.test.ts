// Warm sandboxes: pre-started, single-use workers. A spare is used for one job and never again,
// a spare that dies is replaced, idle spares cost no CPU and keep no program alive, and every
// limit, grant and layer holds on the warm path as on a fresh start.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { loadOrCreateNodeKey } from '../../src/core/keys.js';
import { createEngine, createWarmPool, jobFromModule, type Engine, type WarmPool } from '../../src/engine/index.js';
import { EXAMPLES, ROOT, WAT } from '../helpers/cli.js';
import { MODES } from '../helpers/modes.js';
import { descendants, isGone, isWorker } from '../helpers/procs.js';
import { until as poll } from '../helpers/poll.js';
import { ceiling } from '../helpers/ceiling.js';

const key = loadOrCreateNodeKey();
const HELLO = join(EXAMPLES, 'hello', 'hello.wasm');
const open: { engine: Engine; pool: WarmPool }[] = [];

afterEach(async () => {
  for (const { engine } of open.splice(0)) await engine.close();
});

function warmEngine(mode: string) {
  process.env.PLASM_OS_SANDBOX = mode;
  const pool = createWarmPool();
  const engine = createEngine({ config: DEFAULT_CONFIG, key, sandbox: pool });
  open.push({ engine, pool });
  return { engine, pool };
}

/** This test process's sandbox worker processes, by PID (the node process, below bwrap/prlimit). */
const workers = (): number[] => descendants(process.pid).filter(isWorker);
/** The worker process of each spare the pool holds (its launch may wrap it in prlimit and bwrap). */
const spareWorkers = (pool: WarmPool): number[] => pool.stats().sparePids.flatMap((pid) => (isWorker(pid) ? [pid] : descendants(pid).filter(isWorker)));

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

describe.each(MODES)('warm pool, PLASM_OS_SANDBOX=%s', (mode) => {
  it('uses a spare for one job only, starts the next one in the background, and never reuses a worker', async () => {
    const { engine, pool } = warmEngine(mode);
    engine.warm();
    const [first] = await poll(() => (spareWorkers(pool).length === 1 ? spareWorkers(pool) : undefined), 'the first spare');
    const spec = jobFromModule(HELLO, DEFAULT_CONFIG);
    const a = await engine.run(spec, { stdin: 'abc' });
    expect(a.stdout.toString()).toBe('cba');
    expect(pool.stats()).toMatchObject({ warm: 1, cold: 0 });
    await poll(() => isGone(first as number), 'the used worker to be gone');
    const [second] = await poll(() => (spareWorkers(pool).length === 1 ? spareWorkers(pool) : undefined), 'the next spare');
    expect(second).not.toBe(first);
    const b = await engine.run(spec, { stdin: 'xyz' });
    expect(b.stdout.toString()).toBe('zyx');
    expect(pool.stats()).toMatchObject({ warm: 2, cold: 0 });
    await poll(() => isGone(second as number), 'the second worker to be gone');
    expect(workers()).not.toContain(first);
  });

  it('starts the next spare when a warm job is over, not while it runs (the start would compete with it)', async () => {
    const { engine, pool } = warmEngine(mode);
    const spec = jobFromModule(join(WAT, 'sleep.wat'), DEFAULT_CONFIG);
    engine.warm(spec);
    await poll(() => (spareWorkers(pool).length === 1 ? true : undefined), 'the spare');
    let running = false;
    const handle = engine.start(spec, { onEvent: (event) => void (event.type === 'phase' && event.phase === 'running' && (running = true)) });
    await poll(() => running || undefined, 'the job to run');
    // The job holds the spare it took; none is starting beside it.
    expect(pool.stats()).toMatchObject({ warm: 1, cold: 0, spares: 0 });
    handle.cancel();
    expect((await handle.result).status).toBe('cancelled');
    await poll(() => (spareWorkers(pool).length === 1 ? true : undefined), 'the next spare, once the job is over');
  });

  it('has the next spare compile the module its last job ran; the same module again uses it, another module compiles its own', async () => {
    const { engine, pool } = warmEngine(mode);
    const hello = jobFromModule(HELLO, DEFAULT_CONFIG);
    const echo = jobFromModule(join(WAT, 'echo.wat'), DEFAULT_CONFIG);
    const argsEnv = jobFromModule(join(EXAMPLES, 'args-env', 'args-env.wasm'), DEFAULT_CONFIG);
    expect((await engine.run(hello, { stdin: 'abc' })).stdout.toString()).toBe('cba');
    await poll(() => (pool.stats().sparesPrimed === 1 ? true : undefined), 'a spare primed with hello');
    expect((await engine.run(hello, { stdin: 'xyz' })).stdout.toString()).toBe('zyx');
    expect(pool.stats()).toMatchObject({ primed: 1 });
    // The spare now waiting was primed with hello too; a job of other bytes never runs hello.
    await poll(() => (pool.stats().sparesPrimed === 1 ? true : undefined), 'the next primed spare');
    const other = await engine.run(argsEnv, { stdin: 'abc' });
    expect(other.stdout.toString()).toBe('argv[0]=args-env.wasm\n');
    expect(pool.stats()).toMatchObject({ primed: 1 });
    // Text is compiled from its own bytes in its own profile: never primed.
    expect((await engine.run(echo, { stdin: 'same' })).stdout.toString()).toBe('same');
    expect(pool.stats()).toMatchObject({ primed: 1 });
  });

  it('replaces a spare that died, and the next job still runs warm', async () => {
    const { engine, pool } = warmEngine(mode);
    engine.warm();
    const spec = jobFromModule(HELLO, DEFAULT_CONFIG);
    await engine.run(spec, { stdin: 'x' }); // the profile is now one the pool keeps spares for
    const [spare] = await poll(() => (spareWorkers(pool).length === 1 ? spareWorkers(pool) : undefined), 'a spare');
    process.kill(spare as number, 'SIGKILL');
    // The pool notices the death (the launch has exited), counts it and starts another spare.
    await poll(() => pool.stats().replaced === 1 || undefined, 'the pool to count the dead spare');
    const [replacement] = await poll(() => (spareWorkers(pool).length === 1 && !spareWorkers(pool).includes(spare as number) ? spareWorkers(pool) : undefined), 'a replacement spare');
    expect(replacement).not.toBe(spare);
    expect(pool.stats().replaced).toBe(1);
    const r = await engine.run(spec, { stdin: 'ok' });
    expect(r.stdout.toString()).toBe('ko');
    expect(pool.stats().warm).toBe(2);
  });

  it('keeps spares per profile: a job with other limits or grants starts fresh, with its own binds and flags', async () => {
    const { engine, pool } = warmEngine(mode);
    engine.warm();
    await poll(() => spareWorkers(pool).length === 1 || undefined, 'the default spare');
    const data = mkdtempSync(join(tmpdir(), 'plasm-warm-'));
    writeFileSync(join(data, 'f.txt'), 'granted');
    const cat = jobFromModule(join(EXAMPLES, 'cat-file', 'cat-file.wasm'), DEFAULT_CONFIG, { dirs: [{ host: data, guest: '/d', readonly: true }], args: ['/d/f.txt'] });
    const read = await engine.run(cat);
    expect(read.stdout.toString()).toBe('granted');
    expect(pool.stats()).toMatchObject({ warm: 0, cold: 1 });
    // A job with grants is not topped up from an old profile (its descriptors were the last
    // job's); prestarted for the job itself, it runs warm, and the read-only grant still holds.
    await poll(() => spareWorkers(pool).length === 1 || undefined, 'the default spare alone');
    const write = jobFromModule(join(EXAMPLES, 'cat-file', 'cat-file.wasm'), DEFAULT_CONFIG, { dirs: [{ host: data, guest: '/d', readonly: true }], args: ['--write', '/d/f.txt', 'changed'] });
    engine.warm(write);
    expect(pool.stats().spares).toBe(2);
    const refused = await engine.run(write);
    expect(pool.stats().warm).toBe(1);
    expect(refused.exit_code).toBe(1);
    expect(readFileSync(join(data, 'f.txt'), 'utf8')).toBe('granted');
    // A spare started for a folder serves only that very folder: one swapped in under its name
    // later (renamed away, another put in its place) gets a fresh worker bound to the new one.
    engine.warm(cat);
    renameSync(data, `${data}.old`);
    mkdirSync(data);
    writeFileSync(join(data, 'f.txt'), 'the new folder');
    const again = await engine.run(cat);
    expect(again.stdout.toString()).toBe('the new folder');
    expect(pool.stats()).toMatchObject({ warm: 1, cold: 2 });
    rmSync(`${data}.old`, { recursive: true, force: true });
    // A different memory cap is a different profile too: its flags are fixed at start.
    const small = jobFromModule(join(WAT, 'grow.wat'), DEFAULT_CONFIG, { memory_mb: 16 });
    const grown = await engine.run(small);
    expect(grown.stdout.toString()).toContain('256');
    expect(pool.stats().cold).toBe(3);
  });

  it('limits, layers and fuel hold on the warm path as on a fresh start', async () => {
    const { engine, pool } = warmEngine(mode);
    const loop = jobFromModule(join(WAT, 'loop.wat'), DEFAULT_CONFIG, { timeout_seconds: 1 });
    await engine.run(loop); // cold: teaches the pool this profile
    await poll(() => pool.stats().spares >= 1 || undefined, 'a spare');
    const timedOut = await engine.run(loop);
    expect(pool.stats().warm).toBe(1);
    expect(timedOut.status).toBe('timeout');
    // The limit covers compiling (the .wat, in the worker) and running: it held its full second.
    expect(timedOut.timing.compile_ms + timedOut.timing.run_ms).toBeGreaterThanOrEqual(950);
    const layers = Object.fromEntries(timedOut.containment.map((l) => [l.name, l.active]));
    expect(layers).toMatchObject({ os_sandbox: mode === 'bwrap', kernel_limits: true, die_with_parent: true, node_permissions: true, wasi_paths: true });
    // Fuel: the same count warm and cold.
    const metered = jobFromModule(join(EXAMPLES, 'sieve', 'sieve.wasm'), DEFAULT_CONFIG, { fuel: 1e9 });
    const cold = await engine.run(metered, { stdin: '5000' });
    await poll(() => pool.stats().spares >= 1 || undefined, 'a spare for the metered profile');
    const warmBefore = pool.stats().warm;
    const warm = await engine.run(metered, { stdin: '5000' });
    expect(pool.stats().warm).toBe(warmBefore + 1);
    expect(warm.usage.fuel_consumed).toBe(cold.usage.fuel_consumed);
    expect(warm.usage.fuel_consumed).toBeGreaterThan(0);
  });

  it('idle spares use no CPU', async () => {
    const { engine, pool } = warmEngine(mode);
    engine.warm();
    const [spare] = await poll(() => (spareWorkers(pool).length === 1 ? spareWorkers(pool) : undefined), 'a spare');
    // Booting takes CPU, for longer on a busy machine: wait until a quarter second goes by
    // without any, then it is idle and must stay so.
    await poll(async () => {
      const start = cpuTicks(spare as number);
      await new Promise((resolve) => setTimeout(resolve, 250));
      return cpuTicks(spare as number) - start === 0 || undefined;
    }, 'the spare to finish booting');
    const before = cpuTicks(spare as number);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(cpuTicks(spare as number) - before).toBeLessThanOrEqual(1); // clock ticks are 10 ms
  });
});

describe('a program with spares', () => {
  it('exits on its own when it is done, without closing the pool, and leaves no worker behind', async () => {
    const script = join(mkdtempSync(join(tmpdir(), 'plasm-warm-exit-')), 'use.mjs');
    // The program says which spares it holds, then waits for a word from the test (so the test
    // can see them booted) and ends without closing anything.
    writeFileSync(
      script,
      `import { Client } from ${JSON.stringify(join(ROOT, 'dist', 'sdk', 'index.js'))};
import { createEngine, createWarmPool, jobFromModule } from ${JSON.stringify(join(ROOT, 'dist', 'engine', 'index.js'))};
import { DEFAULT_CONFIG } from ${JSON.stringify(join(ROOT, 'dist', 'core', 'config.js'))};
import { loadOrCreateNodeKey } from ${JSON.stringify(join(ROOT, 'dist', 'core', 'keys.js'))};
const r = await new Client().createJob(${JSON.stringify(HELLO)}).submit('bye');
const pool = createWarmPool();
const engine = createEngine({ config: DEFAULT_CONFIG, key: loadOrCreateNodeKey(), sandbox: pool });
await engine.run(jobFromModule(${JSON.stringify(HELLO)}, DEFAULT_CONFIG), { stdin: 'x' });
while (pool.stats().spares === 0) await new Promise((resolve) => setTimeout(resolve, 10));
console.log(JSON.stringify({ stdout: r.stdout(), spares: pool.stats().sparePids }));
process.stdin.resume();
await new Promise((resolve) => process.stdin.once('end', resolve));
`,
    );
    // A ceiling, not a pace: a program that an idle spare kept alive would be killed here, and fail.
    const program = execa(process.execPath, [script], { reject: false, env: { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME }, timeout: ceiling(60_000) });
    let out = '';
    program.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const said = await poll(() => (out.includes('\n') ? (JSON.parse(out) as { stdout: string; spares: number[] }) : undefined), 'the program to hold a spare');
    expect(said.stdout).toBe('eyb');
    expect(said.spares.length).toBeGreaterThanOrEqual(1);
    // The spares' worker processes (below prlimit and bwrap), once booted.
    const spareWorkers = await poll(() => {
      const found = said.spares.flatMap((pid) => (isWorker(pid) ? [pid] : descendants(pid).filter(isWorker)));
      return found.length >= said.spares.length ? found : undefined;
    }, 'the spares to boot');
    program.stdin?.end();
    const r = await program;
    expect(r.exitCode).toBe(0);
    await poll(() => [...said.spares, ...spareWorkers].every(isGone) || undefined, 'its spares to go with it');
  });
});

describe('the OS sandbox a spare was started with', () => {
  it('is part of its profile: a spare started without bwrap is never handed to a job that asks for it', async () => {
    const previous = process.env.PLASM_OS_SANDBOX;
    try {
      const { engine, pool } = warmEngine('off');
      const hello = jobFromModule(HELLO, DEFAULT_CONFIG);
      engine.warm();
      await poll(() => pool.stats().spares >= 1 || undefined, 'a spare, started without bwrap');
      // Control: a job under the same mode takes it.
      const same = await engine.run(hello, { stdin: 'ab' });
      expect(pool.stats().warm).toBe(1);
      expect(same.containment.find((l) => l.name === 'os_sandbox')?.active).toBe(false);
      await poll(() => pool.stats().spares >= 1 || undefined, 'the next spare, started without bwrap');
      // Now bwrap is asked for: the spare at hand was started without it.
      process.env.PLASM_OS_SANDBOX = 'bwrap';
      const asked = await engine.run(hello, { stdin: 'cd' });
      expect(asked.stdout.toString()).toBe('dc');
      expect(pool.stats().warm).toBe(1);
      expect(asked.containment.find((l) => l.name === 'os_sandbox')?.active).toBe(true);
    } finally {
      process.env.PLASM_OS_SANDBOX = previous;
    }
  });
});
