/**
 * Grants held by descriptor, attacked with time: a name checked (or allowed) at one moment and
 * used at a later one, while something else swaps it for a symlink. Each case runs the real
 * binary with a decoy secret outside every grant. The swaps run in a tight loop for as long as
 * the runs they race (many runs, each with a window of tens of milliseconds between resolving a
 * grant and starting its sandbox): long enough that, when grants were bound or preopened by
 * name, a run read the decoy within a few tries.
 */
import { execa, type ResultPromise } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { loadOrCreateNodeKey } from '../../src/core/keys.js';
import { createEngine, jobFromModule, openReceiptFolder, saveReceipt } from '../../src/engine/index.js';
import { cli, EXAMPLES, WAT } from '../helpers/cli.js';
import { countingWat } from '../helpers/counting-wat.js';
import { MODES, envFor } from '../helpers/modes.js';
import { ceiling } from '../helpers/ceiling.js';
import { until } from '../helpers/poll.js';
import { watchJson } from '../helpers/watch-json.js';
import { sha256 } from '../../src/core/hash.js';

const CAT = join(EXAMPLES, 'cat-file', 'cat-file.wasm');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A project with a `data` folder, a decoy secret outside it and `evil`, a symlink to the decoy shipped in the project. */
function project() {
  const root = mkdtempSync(join(tmpdir(), 'plasm-races-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const secret = `DECOY-SECRET-${Math.random().toString(36).slice(2)}`;
  const decoy = join(root, 'decoy');
  const proj = join(root, 'proj');
  mkdirSync(decoy);
  mkdirSync(join(proj, 'data'), { recursive: true });
  writeFileSync(join(decoy, 'f.txt'), secret);
  writeFileSync(join(proj, 'data', 'f.txt'), 'genuine');
  symlinkSync(decoy, join(proj, 'evil'));
  return { root, proj, decoy, secret };
}

/**
 * Another process with write access to the project (another job's guest, its owner) swapping
 * `name` and `evil` back and forth until stopped: half of the time `name` is the symlink.
 */
function swapper(folder: string, name: string, holdMs = 0): { swapping: () => Promise<void>; stop: () => Promise<number> } {
  const script = `
    const { renameSync } = require('node:fs');
    const at = (n) => require('node:path').join(${JSON.stringify(folder)}, n);
    const hold = () => ${holdMs} > 0 && Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs});
    let swaps = 0, stop = false;
    process.on('SIGTERM', () => { stop = true; });
    const loop = () => {
      for (let i = 0; i < 200 && !stop; i++) {
        try { renameSync(at(${JSON.stringify(name)}), at('moved')); renameSync(at('evil'), at(${JSON.stringify(name)})); } catch {}
        hold();
        try { renameSync(at(${JSON.stringify(name)}), at('evil')); renameSync(at('moved'), at(${JSON.stringify(name)})); if (++swaps === 1) process.stdout.write('swapping\\n'); } catch {}
        hold();
        if (${holdMs} > 0) break;
      }
      if (stop) { console.log(swaps); process.exit(0); }
      setImmediate(loop);
    };
    loop();`;
  const child: ResultPromise = execa(process.execPath, ['-e', script], { reject: false });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return {
    // On a busy machine the swapper's own start can outlast the runs: wait until it is at work.
    swapping: () => until(() => out.includes('swapping'), 'the swapper to swap').then(() => undefined),
    stop: async () => {
      child.kill('SIGTERM');
      await child;
      return Number(out.trim().split('\n').at(-1));
    },
  };
}

describe.each(MODES.filter((mode) => mode === 'bwrap'))('a grant bound by descriptor (PLASM_OS_SANDBOX=%s)', (mode) => {
  // Without the OS sandbox uvwasi opens files by path strings under the preopen's real path,
  // so a process outside plasm-tui that swaps names inside a granted folder can still redirect
  // it (the README's security section says so); jobs of one plasm-tui take turns instead (below).
  it('a run allowed only `data` reads the allowed folder or is refused, never the decoy its name is swapped for', async () => {
    const { root, proj, secret } = project();
    const manifest = join(root, 'job.manifest.json');
    writeFileSync(manifest, JSON.stringify({ version: '0.2', name: 'reader', module: CAT, args: ['/data/f.txt'], dirs: [{ host: join(proj, 'data'), guest: '/data', readonly: true }] }));
    expect((await cli(['allow', manifest], { env: envFor(mode) })).exitCode).toBe(0);
    // A swap every 5 ms: each name holds long enough that some runs meet the real folder.
    const swaps = swapper(proj, 'data', 5);
    const seen = new Map<string, number>();
    try {
      await swaps.swapping();
      // 26 runs, two at a time (several jobs at once is the threat, not one).
      for (let i = 0; i < 13; i++) {
        for (const r of await Promise.all([1, 2].map(() => cli(['run', '--json', manifest], { env: envFor(mode) })))) {
          expect(r.stdout).not.toContain(secret);
          expect(r.stderr).not.toContain(secret);
          // Allowed and held: it read the genuine file. Resolved while `data` was the link: not
          // what was allowed (77). Opened while it was: refused, naming the folder (65).
          // Resolved while `data` was missing (between two renames): refused before anything (66).
          const outcome = r.exitCode === 77 ? 'not allowed' : r.stdout === '' ? `${r.exitCode}: ${String(r.stderr).trim()}` : `${r.exitCode}: ${JSON.parse(String(r.stdout))[r.exitCode === 0 ? 'stdout' : 'message']}`;
          seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
        }
      }
    } finally {
      expect(await swaps.stop()).toBeGreaterThan(0);
    }
    // Any other outcome is a refusal before the module ran, naming the folder (65 or 66), or
    // bubblewrap's own: it binds the descriptor's current path, then compares what it mounted
    // with the descriptor and gives up if they differ (or if the path moved meanwhile).
    const refusal = new RegExp(`^6[56]: .*${join(proj, 'data').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
    const bwrapRefusal = /^70: The sandbox could not start \(exit code 1\)(: bwrap: (Race condition binding dirfd|Can't get type of source .*|Can't find source path .*))?\.$/;
    expect([...seen.keys()].filter((outcome) => outcome !== '0: genuine' && outcome !== 'not allowed' && !refusal.test(outcome) && !bwrapRefusal.test(outcome)), JSON.stringify([...seen])).toEqual([]);
    expect(seen.get('0: genuine') ?? 0).toBeGreaterThan(0);
  });

});

describe.each(MODES)('grants by descriptor while a name is swapped (PLASM_OS_SANDBOX=%s)', (mode) => {
  it('keeps a warm spare to the very folder it was started for', async () => {
    const { proj, secret } = project();
    const engine = createEngine({ config: DEFAULT_CONFIG, key: loadOrCreateNodeKey(join(proj, '..', 'node.key')), sandbox: (await import('../../src/sandbox/sandbox.js')).createWarmPool({ spares: 0 }) });
    const previous = process.env.PLASM_OS_SANDBOX;
    process.env.PLASM_OS_SANDBOX = mode;
    try {
      const job = jobFromModule(CAT, DEFAULT_CONFIG, { dirs: [{ host: join(proj, 'data'), guest: '/data', readonly: true }], args: ['/data/f.txt'] });
      // Prestarted on `data`, then `data` is swapped for the link to the decoy before the run.
      engine.warm(job);
      const { renameSync } = await import('node:fs');
      renameSync(join(proj, 'data'), join(proj, 'moved'));
      renameSync(join(proj, 'evil'), join(proj, 'data'));
      const r = await engine.run(job);
      expect(r.stdout.toString()).not.toContain(secret);
      expect(r.status).toBe('invalid');
      expect(r.message).toMatch(/is no longer the directory it was/);
    } finally {
      process.env.PLASM_OS_SANDBOX = previous;
      await engine.close();
    }
  });

  it('writes every receipt into the receipts folder while its name is swapped for a symlink', async () => {
    const { proj, decoy, secret } = project();
    const key = loadOrCreateNodeKey(join(proj, '..', 'node.key'));
    const engine = createEngine({ config: DEFAULT_CONFIG, key });
    const result = await engine.run(jobFromModule(join(WAT, 'hello.wat'), DEFAULT_CONFIG));
    saveReceipt(proj, 'job', result.receipt as never);
    // The receipts folder's parent holds the link the swapper puts in the folder's place.
    symlinkSync(decoy, join(proj, '.plasm', 'receipts', 'evil'));
    const swaps = swapper(join(proj, '.plasm', 'receipts'), 'job');
    let saved = 0;
    let refused = 0;
    try {
      await swaps.swapping();
      for (let i = 0; i < 300; i++) {
        try {
          const receipts = openReceiptFolder(proj, 'job');
          try {
            receipts.save(result.receipt as never);
            // The files beside a receipt go through the same descriptor, however long after.
            await new Promise((resolve) => setTimeout(resolve, 1));
            receipts.writeNew(`extra-${i}.txt`, 'beside the receipt');
            saved++;
          } finally {
            receipts.close();
          }
        } catch (error) {
          // Refused on the way in, or (a folder made while the real one was moved away, then replaced
          // by it) written into a folder deleted meanwhile: an error, never a write elsewhere.
          expect(String(error)).toMatch(/is a symlink; plasm-tui does not write receipts through symlinks|was moved away while plasm-tui opened it|is not a directory; plasm-tui cannot keep receipts there|\/0\d{3}\.json does not exist\./);
          refused++;
        }
      }
    } finally {
      expect(await swaps.stop()).toBeGreaterThan(0);
    }
    expect(readdirSync(decoy)).toEqual(['f.txt']);
    expect(readFileSync(join(decoy, 'f.txt'), 'utf8')).toBe(secret);
    // Every file written is in a real folder under receipts/ (the swaps leave the receipts
    // folder named `job` or `moved`, and the folder made when neither was there), none lost.
    const receipts = join(proj, '.plasm', 'receipts');
    const names = readdirSync(receipts, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => readdirSync(join(receipts, entry.name)));
    expect(names.filter((name) => name.startsWith('extra-'))).toHaveLength(saved);
    expect(names.filter((name) => name.endsWith('.json'))).toHaveLength(saved + 1);
    expect(saved + refused).toBe(300);
    expect(saved).toBeGreaterThan(0);
  });

  it('watch writes each receipt into the job\'s receipts folder while its name is swapped for a symlink', async () => {
    const { proj, decoy, secret } = project();
    const source = readFileSync(join(WAT, 'hello.wat'), 'utf8');
    writeFileSync(join(proj, 'hello.wat'), source);
    const watch = watchJson(proj, [], envFor(mode));
    cleanups.push(() => void watch.stop());
    const finished = () => watch.about('hello.wat').filter((event) => event.type === 'run_finished').length;
    await until(() => finished() >= 1, 'the first run and its receipt', 60_000);
    // Another job with write access to the folder swaps the receipts folder for a link to the
    // decoy, again and again, while rebuilds make watch save more receipts.
    symlinkSync(decoy, join(proj, '.plasm', 'receipts', 'evil'));
    const swaps = swapper(join(proj, '.plasm', 'receipts'), 'hello.wat');
    try {
      await swaps.swapping();
      for (let n = 1; n <= 5; n++) {
        writeFileSync(join(proj, 'hello.wat'), source.replace('hello from wat', `hello ${n}`));
        await until(() => finished() >= n + 1, `run ${n + 1}`, 60_000);
      }
    } finally {
      expect(await swaps.stop()).toBeGreaterThan(0);
      await watch.stop();
    }
    expect(readdirSync(decoy)).toEqual(['f.txt']);
    expect(readFileSync(join(decoy, 'f.txt'), 'utf8')).toBe(secret);
  });

  it('refuses a grant nested inside a read-write grant, and says so when asking', async () => {
    const { proj, secret } = project();
    const manifest = join(proj, 'nested.manifest.json');
    writeFileSync(manifest, JSON.stringify({ version: '0.2', name: 'nested', module: CAT, args: ['/data/f.txt'], dirs: [{ host: '.', guest: '/work' }, { host: 'data', guest: '/data', readonly: true }] }));
    const allowed = await cli(['allow', manifest], { env: envFor(mode) });
    expect(allowed.stdout).toContain(`refused    ${join(proj, 'data')} (for /data) lies inside the read-write grant ${proj} (for /work)`);
    const r = await cli(['run', '--json', manifest], { env: envFor(mode) });
    expect(r.exitCode).toBe(65);
    const report = JSON.parse(String(r.stdout));
    expect(report.status).toBe('invalid');
    expect(report.message).toBe(`${join(proj, 'data')} (for /data) lies inside the read-write grant ${proj} (for /work), through which the module could replace it; grant one of them, not both.`);
    expect(r.stdout).not.toContain(secret);
  });

  it('refuses grants that are or hold /proc, /sys or /dev: the sandbox\'s own /proc is never offered', async () => {
    const root = await cli(['run', '--json', '--ro-dir', '/::/host', CAT, '--', '/host/proc/self/status'], { env: envFor(mode) });
    expect(root.exitCode).toBe(65);
    expect(JSON.parse(String(root.stdout)).message).toBe("/ (for /host) holds /proc, which would let the module reach the sandbox's own process; grant a folder that holds no system files instead.");
    const proc = await cli(['run', '--json', '--dir', '/proc/self::/me', CAT, '--', '/me/status'], { env: envFor(mode) });
    expect(proc.exitCode).toBe(65);
    expect(JSON.parse(String(proc.stdout)).message).toMatch(/^\/proc\/\d+ \(for \/me\) is in \/proc,/);
  });
});

/** A guest that swaps `data` and `evil` (a symlink) in its folder `rounds` times, as fast as WASI lets it. */
function swappingWat(rounds: number): string {
  const rename = (from: [number, number], to: [number, number]) => `(drop (call $rename (i32.const 3) (i32.const ${from[0]}) (i32.const ${from[1]}) (i32.const 3) (i32.const ${to[0]}) (i32.const ${to[1]})))`;
  const data: [number, number] = [0, 4];
  const moved: [number, number] = [8, 5];
  const evil: [number, number] = [16, 4];
  return `(module
  (import "wasi_snapshot_preview1" "path_rename" (func $rename (param i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "data") (data (i32.const 8) "moved") (data (i32.const 16) "evil")
  (func (export "_start") (local $i i32)
    (loop $again
      ${rename(data, moved)} ${rename(evil, data)} ${rename(data, evil)} ${rename(moved, data)}
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (i32.const ${rounds}))))))`;
}

describe.each(MODES.filter((mode) => mode === 'off'))('jobs sharing a read-write grant without the OS sandbox (PLASM_OS_SANDBOX=%s)', (mode) => {
  it('take turns: a job that swaps a folder for a symlink to a secret cannot redirect the jobs reading it', async () => {
    const { root, proj, secret } = project();
    // One job swaps for a few seconds; five read the file, all six started at once in one
    // plasm-tui process. Run together, each reader would meet the link about half the time.
    writeFileSync(join(root, 'swap.wat'), swappingWat(20_000));
    writeFileSync(join(root, 'swap.manifest.json'), JSON.stringify({ version: '0.2', name: 'swap', module: 'swap.wat', dirs: [{ host: 'proj', guest: '/' }] }));
    writeFileSync(join(root, 'cat-file.wasm'), readFileSync(CAT));
    const readers = ['r1', 'r2', 'r3', 'r4', 'r5'];
    for (const name of readers) writeFileSync(join(root, `${name}.manifest.json`), JSON.stringify({ version: '0.2', name, module: 'cat-file.wasm', args: ['/data/f.txt'], dirs: [{ host: 'proj/data', guest: '/data', readonly: true }] }));
    for (const name of ['swap', ...readers]) expect((await cli(['allow', join(root, `${name}.manifest.json`)], { env: envFor(mode) })).exitCode).toBe(0);
    const watch = watchJson(root, ['--concurrency', '6'], envFor(mode));
    cleanups.push(() => void watch.stop());
    type Finished = { status: string; receipt_path: string; containment: { name: string; detail: string }[] };
    const finished = (name: string) => watch.about(`${name}.manifest.json`).find((event) => event.type === 'run_finished') as Finished | undefined;
    const all = await until(() => {
      const done = ['swap', ...readers].map(finished);
      return done.every(Boolean) ? (done as Finished[]) : undefined;
    }, 'every job to finish', 60_000);
    await watch.stop();
    expect(all.map((event) => event.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    for (const event of all.slice(1)) {
      const receipt = JSON.parse(readFileSync(join(root, event.receipt_path), 'utf8'));
      expect(receipt.stdout_hash).toBe(sha256('genuine'));
      expect(receipt.stdout_hash).not.toBe(sha256(secret));
    }
    // The swapping job ran alone: either it waited for the readers, or they waited for it.
    const waited = (event: Finished) => /waited \d+ ms for a job sharing its folders/.test(event.containment.find((layer) => layer.name === 'wasi_paths')?.detail ?? '');
    expect(waited(all[0] as Finished) || all.slice(1).every(waited)).toBe(true);
  });

  it('take turns across plasm-tui processes: `run` in two terminals', async () => {
    const { root, proj } = project();
    // One terminal: a job reading `data` for a few seconds. Another, meanwhile: a job that may
    // write the whole project (it swaps `data` for the link). The second waits for the first.
    // It reads for 2 s on a quiet machine, longer on a slow one (ceiling.ts), so it is still
    // reading when the second terminal's job, itself slower to start there, asks for its turn.
    writeFileSync(join(root, 'slow-reader.wat'), countingWat(Math.round(ceiling(2000) / 100), 100));
    writeFileSync(join(root, 'swap.wat'), swappingWat(100));
    const reading = cli(['run', '--json', '--ro-dir', `${join(proj, 'data')}::/data`, join(root, 'slow-reader.wat')], { env: envFor(mode) });
    // The reader holds its turn once its entry is in the registry of running jobs.
    const running = join(String(process.env.XDG_CONFIG_HOME), 'plasm-tui', 'running');
    await until(() => existsSync(running) && readdirSync(running).some((name) => name.endsWith('.json')), 'the reading job to hold its turn');
    const swapping = cli(['run', '--json', '--dir', `${proj}::/`, join(root, 'swap.wat')], { env: envFor(mode) });
    const [read, swap] = (await Promise.all([reading, swapping])).map((r) => JSON.parse(String(r.stdout)));
    expect(read.status).toBe('ok');
    expect(swap.status).toBe('ok');
    const detail = swap.containment.find((layer: { name: string }) => layer.name === 'wasi_paths').detail;
    expect(detail).toMatch(/waited \d+ ms for a job sharing its folders/);
    // It ended after the reader did (receipts are signed as a run ends).
    expect(Date.parse(swap.receipt.timestamp)).toBeGreaterThanOrEqual(Date.parse(read.receipt.timestamp));
    expect(readdirSync(running).filter((name) => name.endsWith('.json'))).toEqual([]);
  });
});
