#!/usr/bin/env node
/**
 * The watch rerun's latency as tmux shows it: the real bin in a tmux window (110×32), a rebuilt
 * hello.wasm renamed into place, then `tmux capture-pane` read in a loop until the new message is
 * on tmux's screen. tmux redraws on its own schedule, and each capture is a process start (a few
 * ms), so this reads a little higher than scripts/rerun-latency.mjs (a pty read directly).
 *
 *   node scripts/rerun-latency-tmux.mjs [--runs N]     (needs tmux and dist/)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'plasm-tui.js');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' } } });
const rounds = Math.max(1, Number(values.runs));
const { measureRerunBuild } = await import('./rerun-latency.mjs');

const dir = mkdtempSync(join(tmpdir(), 'plasm-tui-tmux-'));
const config = mkdtempSync(join(tmpdir(), 'plasm-tui-tmux-config-'));
const name = `plasm-rerun-${process.pid}`;
const tmux = (...args) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', name);
/** Captures every 5 ms: back to back, the captures (each a process) would take a core from the TUI. */
const nap = new Int32Array(new SharedArrayBuffer(4));
const until = (text, timeoutMs = 15_000) => {
  const end = performance.now() + timeoutMs;
  for (;;) {
    if (screen().includes(text)) return performance.now();
    if (performance.now() > end) throw new Error(`no "${text}" in tmux after ${timeoutMs} ms:\n${screen()}`);
    Atomics.wait(nap, 0, 0, 5);
  }
};
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
try {
  const file = join(dir, 'hello.wasm');
  writeFileSync(file, await measureRerunBuild(0));
  tmux('new-session', '-d', '-s', name, '-x', '110', '-y', '32', `env XDG_CONFIG_HOME=${config} ${process.execPath} ${BIN} ${dir}`);
  until('▶ hello');
  tmux('send-keys', '-t', name, 'Enter');
  until(measureRerunBuild.message(0));
  await pause(300);
  const times = [];
  for (let round = 1; round <= rounds; round++) {
    const bytes = await measureRerunBuild(round);
    writeFileSync(`${file}.tmp`, bytes);
    renameSync(`${file}.tmp`, file);
    const written = performance.now();
    times.push(until(measureRerunBuild.message(round)) - written);
    await pause(300);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  process.stdout.write(`rerun latency in tmux (.wasm rename, write → new output in tmux's pane): median ${Math.round(median)} ms over ${times.length} runs [${times.map(Math.round).join(', ')}]\n`);
} finally {
  try {
    tmux('kill-session', '-t', name);
  } catch {
    // gone already
  }
  rmSync(dir, { recursive: true, force: true });
  rmSync(config, { recursive: true, force: true });
}
