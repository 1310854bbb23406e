#!/usr/bin/env node
/**
 * How long a watch-mode rerun takes, as a user sees it: from the end of writing a rebuilt
 * module to its new output on the TUI's screen. Runs the real bin in a pseudo-terminal and
 * reads the screen with a headless xterm, like test/tui/e2e.test.ts.
 *
 *   node scripts/rerun-latency.mjs [--runs N] [--json]      (needs dist/: `npm run build`)
 *
 * Each round rewrites the module (a .wasm built from test/fixtures/wat/hello.wat with a new
 * message, and the .wat itself) in one write — or, as most build tools and editors save, writes
 * a temp file beside it and renames it into place — then waits for the new message on screen.
 * `measureRerun(kind, how, rounds)` is what `npm run bench` uses.
 */
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'plasm-tui.js');
const HELLO_WAT = readFileSync(join(ROOT, 'test', 'fixtures', 'wat', 'hello.wat'), 'utf8');
const COLS = 100;
const ROWS = 30;

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

function session(dir, config) {
  const term = new xterm.Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
  const child = pty.spawn(process.execPath, [BIN, dir], {
    name: 'xterm-256color',
    cols: COLS,
    rows: ROWS,
    cwd: ROOT,
    env: { XDG_CONFIG_HOME: config, TERM: 'xterm-256color', PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
  });
  const waiters = new Set();
  const screen = () => {
    const lines = [];
    for (let i = 0; i < ROWS; i++) lines.push(term.buffer.active.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n');
  };
  // Checked after xterm has parsed each chunk, so the time is when the text is on screen.
  child.onData((data) => term.write(data, () => waiters.forEach((check) => check())));
  const waitFor = (text, timeoutMs = 15_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (!screen().includes(text)) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(performance.now());
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no "${text}" on screen after ${timeoutMs} ms:\n${screen()}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { child, waitFor, close: () => child.kill() };
}

/** Write → screen times, in ms, of `rounds` rebuilds of a .wasm or .wat module, written in place or renamed into place. */
export async function measureRerun(kind, how = 'in-place', rounds = 7) {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-tui-latency-'));
  const config = mkdtempSync(join(tmpdir(), 'plasm-tui-latency-config-'));
  const file = join(dir, `hello.${kind}`);
  const build = async (text) => (kind === 'wat' ? watWith(text) : await wasmWith(text));
  writeFileSync(file, await build(message(kind, 0)));
  const tui = session(dir, config);
  try {
    await tui.waitFor('▶ hello');
    tui.child.write('\r');
    await tui.waitFor(message(kind, 0));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const times = [];
    for (let round = 1; round <= rounds; round++) {
      const text = message(kind, round);
      const bytes = await build(text);
      const shown = tui.waitFor(text);
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
    tui.close();
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
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, json: { type: 'boolean', default: false } } });
  const rounds = Math.max(1, Number(values.runs));
  const results = {};
  for (const kind of ['wasm', 'wat']) {
    for (const how of ['in-place', 'rename']) {
      const times = await measureRerun(kind, how, rounds);
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
