#!/usr/bin/env node
/**
 * How long the TUI takes to start, as a user sees it: from spawning `plasm-tui DIR` in a
 * pseudo-terminal (a one-file folder) to its job listed on screen, against a fresh `node -e 0`
 * in the same run, interleaved. Also: how long importing Ink and React alone takes (a fresh
 * node importing them from node_modules, module by module), against the same `node -e 0`.
 *
 *   node scripts/tui-start.mjs [--runs N] [--json] [--prof DIR]   (needs dist/: `npm run build`)
 *
 * --prof writes a CPU profile of each TUI start (node --cpu-prof) into DIR.
 * `measureTuiStart(rounds)` is what `npm run bench` uses.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { ptyScreen } from './pty-screen.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'plasm-tui.js');
const run = promisify(execFile);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** Spawn → "▶ hello" on screen, in ms; the TUI is then quit with q. */
async function tuiStart(dir, config, nodeFlags) {
  const started = performance.now();
  const tui = ptyScreen([...nodeFlags, BIN, dir], { cwd: ROOT, env: { XDG_CONFIG_HOME: config } });
  try {
    return (await tui.waitFor('▶ hello', 'the job list', 60_000)) - started;
  } finally {
    await tui.close();
  }
}

async function timed(args) {
  const started = performance.now();
  await run(process.execPath, args, { cwd: ROOT });
  return performance.now() - started;
}

/** Medians, in ms, of `rounds` TUI starts, `node -e 0` runs and Ink + React imports, interleaved. */
export async function measureTuiStart(rounds = 10, { prof } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-tui-start-'));
  const config = mkdtempSync(join(tmpdir(), 'plasm-tui-start-config-'));
  copyFileSync(join(ROOT, 'wasm-examples', 'hello', 'hello.wasm'), join(dir, 'hello.wasm'));
  const nodeFlags = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [];
  const inkReact = ['--input-type=module', '-e', "await import('ink'); await import('react');"];
  try {
    // One of each first: the node key is made, and the file cache is warm for both.
    await tuiStart(dir, config, []);
    await timed(['-e', '0']);
    await timed(inkReact);
    const tui = [];
    const node = [];
    const ink = [];
    for (let i = 0; i < rounds; i++) {
      tui.push(await tuiStart(dir, config, nodeFlags));
      node.push(await timed(['-e', '0']));
      ink.push(await timed(inkReact));
    }
    return { tui_ms: median(tui), node_ms: median(node), ink_react_ms: median(ink), tui_runs_ms: tui.map(Math.round) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(config, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, json: { type: 'boolean', default: false }, prof: { type: 'string' } } });
  const r = await measureTuiStart(Math.max(1, Number(values.runs)), { prof: values.prof });
  if (values.json) process.stdout.write(`${JSON.stringify(r)}\n`);
  else {
    process.stdout.write(`TUI start → job listed: median ${Math.round(r.tui_ms)} ms [${r.tui_runs_ms.join(', ')}]\n`);
    process.stdout.write(`node -e 0: median ${Math.round(r.node_ms)} ms; ratio ${(r.tui_ms / r.node_ms).toFixed(2)}× (target ≤ 4)\n`);
    process.stdout.write(`importing ink + react from node_modules: median ${Math.round(r.ink_react_ms)} ms (${(r.ink_react_ms / r.node_ms).toFixed(2)}× node -e 0)\n`);
  }
  process.exit(0);
}
