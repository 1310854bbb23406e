#!/usr/bin/env node
/**
 * How long a watch-mode rerun takes, as a user sees it: from the end of writing a rebuilt
 * module to its new output on the TUI's screen. Runs the real bin in a pseudo-terminal and
 * reads the screen with a headless xterm, like test/tui/e2e.test.ts.
 *
 *   node scripts/rerun-latency.mjs [--runs N] [--json] [--only 'wasm rename'] [--prof DIR]   (needs dist/)
 *
 * --prof writes a CPU profile of the TUI (node --cpu-prof) into DIR.
 *
 * Each round rewrites the module (a .wasm built from test/fixtures/wat/hello.wat with a new
 * message, and the .wat itself) in one write — or, as most build tools and editors save, writes
 * a temp file beside it and renames it into place — then waits for the new message on screen.
 * `measureRerun(kind, how, rounds)` is what `npm run bench` uses.
 */
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ptyScreen } from './pty-screen.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'plasm-tui.js');
const HELLO_WAT = readFileSync(join(ROOT, 'test', 'fixtures', 'wat', 'hello.wat'), 'utf8');

/** hello.wat prints exactly 15 bytes: every message is 14 characters and a newline. */
const message = (kind, round) => `${kind} build ${String(round).padStart(4, '0')}`.padEnd(14, '.');
const watWith = (text) => HELLO_WAT.replaceAll('hello from wat', text);

let wabt;
async function wasmWith(text) {
  wabt ??= await (await import('wabt')).default();
  const parsed = wabt.parseWat('hello.wat', watWith(text));
  try {
    parsed.resolveNames();
    parsed.validate();
    return Buffer.from(parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
}

/** Write → screen times, in ms, of `rounds` rebuilds of a .wasm or .wat module, written in place or renamed into place. */
/** Round `round`'s rebuilt hello.wasm (each prints its own 14-character message), for other measurements. */
export const measureRerunBuild = Object.assign((round) => wasmWith(message('wasm', round)), { message: (round) => message('wasm', round) });

export async function measureRerun(kind, how = 'in-place', rounds = 7, { prof } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-tui-latency-'));
  const config = mkdtempSync(join(tmpdir(), 'plasm-tui-latency-config-'));
  const file = join(dir, `hello.${kind}`);
  const build = async (text) => (kind === 'wat' ? watWith(text) : await wasmWith(text));
  writeFileSync(file, await build(message(kind, 0)));
  const nodeFlags = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [];
  const tui = ptyScreen([...nodeFlags, BIN, dir], { cwd: ROOT, env: { XDG_CONFIG_HOME: config } });
  try {
    await tui.waitFor('▶ hello', 'the job list', 15_000);
    tui.child.write('\r');
    await tui.waitFor(message(kind, 0), 'the first output', 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const times = [];
    for (let round = 1; round <= rounds; round++) {
      const text = message(kind, round);
      const bytes = await build(text);
      const shown = tui.waitFor(text, `"${text}"`, 15_000);
      let written;
      if (how === 'rename') {
        writeFileSync(`${file}.tmp`, bytes);
        renameSync(`${file}.tmp`, file);
        written = performance.now();
      } else {
        writeFileSync(file, bytes);
        written = performance.now();
      }
      times.push((await shown) - written);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return times;
  } finally {
    await tui.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(config, { recursive: true, force: true });
  }
}

export const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, json: { type: 'boolean', default: false }, only: { type: 'string' }, prof: { type: 'string' } } });
  const rounds = Math.max(1, Number(values.runs));
  const results = {};
  for (const kind of ['wasm', 'wat']) {
    for (const how of ['in-place', 'rename']) {
      if (values.only && values.only !== `${kind} ${how}`) continue;
      const times = await measureRerun(kind, how, rounds, { prof: values.prof });
      results[`${kind} ${how}`] = { median_ms: Math.round(median(times)), min_ms: Math.round(Math.min(...times)), max_ms: Math.round(Math.max(...times)), runs_ms: times.map(Math.round) };
    }
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(results)}\n`);
  } else {
    for (const [what, r] of Object.entries(results)) {
      process.stdout.write(`rerun latency (.${what}, write → new output on screen): median ${r.median_ms} ms, min ${r.min_ms}, max ${r.max_ms} over ${r.runs_ms.length} runs [${r.runs_ms.join(', ')}]\n`);
    }
  }
  process.exit(0);
}
