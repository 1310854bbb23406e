// The engine API the TUI and SDK build on: events stream while a job runs, runs can be
// cancelled, results carry signed receipts, and output never piles up in the caller's memory.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../../src/core/hash.js';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { loadOrCreateNodeKey } from '../../src/core/keys.js';
import { verifyReceipt } from '../../src/core/receipt.js';
import { createEngine, jobFromModule, type RunEvent } from '../../src/engine/index.js';
import { ceiling } from '../helpers/ceiling.js';
import { meteredCacheSize } from '../../src/sandbox/fuel/metered-cache.js';
import { EXAMPLES, WAT } from '../helpers/cli.js';

const key = loadOrCreateNodeKey();
const engine = createEngine({ config: DEFAULT_CONFIG, key });
const startRun = engine.start;
const job = (path: string, limits: Partial<typeof DEFAULT_CONFIG> = {}) => jobFromModule(path, { ...DEFAULT_CONFIG, ...limits });

describe('engine runs', () => {
  it('streams stdout as the job writes it, with phases in order', async () => {
    const events: (RunEvent & { at: number })[] = [];
    const started = performance.now();
    const run = startRun(job(join(WAT, 'ticks.wat')), { onEvent: (event) => events.push({ ...event, at: performance.now() - started }) });
    const result = await run.result;
    const finished = performance.now() - started;
    expect(result.status).toBe('ok');
    expect(result.stdout.toString()).toBe('tick\ntick\ntick\n');
    const chunks = events.filter((e) => e.type === 'stdout');
    expect(chunks.map((e) => (e.type === 'stdout' ? e.chunk.toString() : '')).join('')).toBe('tick\ntick\ntick\n');
    // The first tick arrives while the job still has two 300 ms sleeps to go.
    expect(finished - (chunks[0]?.at ?? Infinity)).toBeGreaterThan(450);
    const phases = events.flatMap((e) => (e.type === 'phase' ? [e.phase] : []));
    expect(phases).toEqual(['reading', 'starting', 'compiling', 'running', 'done']);
  });

  it('cancels a running job promptly', async () => {
    const run = startRun(job(join(WAT, 'loop.wat')), {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cancelledAt = performance.now();
    run.cancel();
    const result = await run.result;
    expect(result.status).toBe('cancelled');
    expect(result.message).toMatch(/cancelled/);
    expect(performance.now() - cancelledAt).toBeLessThan(ceiling(2000)); // a hang guard, scaled for the machine
    expect(result.receipt).toMatchObject({ version: '0.2', status: 'cancelled' });
  });

  it('honours an AbortSignal given by the caller', async () => {
    const controller = new AbortController();
    const run = startRun(job(join(WAT, 'sleep.wat')), { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    expect((await run.result).status).toBe('cancelled');
  });

  it('signs a receipt that verifies against the node key and binds input and output', async () => {
    const result = await startRun(job(join(EXAMPLES, 'hello', 'hello.wasm')), { stdin: 'abc' }).result;
    expect(result.stdout.toString()).toBe('cba');
    const report = verifyReceipt(result.receipt!, {
      pubkey: key.publicKeyHex,
      bindings: { stdin: Buffer.from('abc'), stdout: result.stdout, stderr: result.stderr },
    });
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(['signer', 'signature', 'input', 'stdout', 'stderr']);
  });

  it('keeps the caller\'s memory bounded while a module writes without end', async () => {
    const cap = 4 * 1024 * 1024;
    const before = process.memoryUsage().arrayBuffers;
    let streamed = 0;
    const result = await startRun(job(join(WAT, 'spew-stdout.wat'), { max_output_bytes: cap, timeout_seconds: 20 }), {
      onEvent: (event) => {
        if (event.type === 'stdout') streamed += event.chunk.length;
      },
    }).result;
    expect(result.status).toBe('output_limit');
    expect(result.stdout.length).toBe(cap);
    expect(streamed).toBe(cap);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(4 * cap);
  });
});

describe('a watcher\'s run, for the build it saw', () => {
  it('runs that build when the file still holds it, and ends cancelled, unrun, when a newer one has landed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-expect-'));
    const path = join(dir, 'app.wasm');
    const seen = readFileSync(join(EXAMPLES, 'hello', 'hello.wasm'));
    writeFileSync(path, seen);
    const same = await engine.run(job(path), { stdin: 'ab', expectModuleHash: sha256(seen) });
    expect(same).toMatchObject({ status: 'ok', module_hash: sha256(seen) });
    // The watcher saw `seen`; by the time the run reads the file, another build is there.
    writeFileSync(path, readFileSync(join(EXAMPLES, 'sieve', 'sieve.wasm')));
    const replaced = await engine.run(job(path), { stdin: '10', expectModuleHash: sha256(seen) });
    expect(replaced.status).toBe('cancelled');
    expect(replaced.message).toBe('A newer build of the module landed before this run read it; that build runs instead.');
    expect(replaced.stdout.length).toBe(0);
    expect(replaced.receipt).toBeNull();
  });
});

describe('metered modules kept by module hash', () => {
  it('instruments a module once per engine process: a second run with fuel reuses it, any budget, with the same counts and the exact threshold', async () => {
    const engine = createEngine({ config: DEFAULT_CONFIG, key: loadOrCreateNodeKey(join(mkdtempSync(join(tmpdir(), 'plasm-tui-meter-cache-')), 'node.key')) });
    const sieve = (fuel: number) => jobFromModule(join(EXAMPLES, 'sieve', 'sieve.wasm'), DEFAULT_CONFIG, { fuel });
    const before = meteredCacheSize();
    const first = await engine.run(sieve(1_000_000_000), { stdin: '20000' });
    expect(first.status, first.message).toBe('ok');
    expect(meteredCacheSize()).toBe(before + 1);
    const need = first.usage.fuel_consumed as number;
    // From the kept module, written with other budgets: the same count, and exactly as much is enough.
    const again = await engine.run(sieve(need), { stdin: '20000' });
    expect([again.status, again.usage.fuel_consumed, again.stdout.toString()]).toEqual(['ok', need, first.stdout.toString()]);
    const short = await engine.run(sieve(need - 1), { stdin: '20000' });
    expect(short.status).toBe('fuel_exhausted');
    expect(meteredCacheSize()).toBe(before + 1);
    await engine.close();
  });
});
