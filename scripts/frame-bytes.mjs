#!/usr/bin/env node
/**
 * What the TUI writes to the terminal while a job prints 5 lines a second: bytes per frame and
 * frames per second, as an SSH link would carry them. Runs the real bin in a pseudo-terminal,
 * starts the job, and counts what the TUI writes over --seconds (frames are what Ink wraps in
 * synchronized-output markers, or one write each where there are none).
 *
 *   node scripts/frame-bytes.mjs [--seconds N] [--cols C] [--rows R] [--json]   (needs dist/)
 */
import pty from '@lydell/node-pty';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { countingWat } from './counting-wat.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'plasm-tui.js');
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, cols: { type: 'string', default: '100' }, rows: { type: 'string', default: '30' }, json: { type: 'boolean', default: false } } });
const SECONDS = Number(values.seconds);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const BSU = '\x1b[?2026h';

const dir = mkdtempSync(join(tmpdir(), 'plasm-frame-bytes-'));
const config = mkdtempSync(join(tmpdir(), 'plasm-frame-bytes-config-'));
// 5 lines a second for longer than we measure.
writeFileSync(join(dir, 'five.wat'), countingWat(5 * (SECONDS + 10), 200));
const child = pty.spawn(process.execPath, [BIN, dir], {
  name: 'xterm-256color',
  cols: Number(values.cols),
  rows: Number(values.rows),
  cwd: ROOT,
  env: { XDG_CONFIG_HOME: config, TERM: 'xterm-256color', PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
});
let raw = '';
child.onData((data) => (raw += data));
const deadline = performance.now() + 15_000;
while (!raw.includes('▶ five') && performance.now() < deadline) await sleep(20);
child.write('\r');
while (!raw.includes('line 0003') && performance.now() < deadline) await sleep(20);
const from = raw.length;
await sleep(SECONDS * 1000);
const written = raw.slice(from);
child.write('q');
await sleep(300);
child.kill();
rmSync(dir, { recursive: true, force: true });
rmSync(config, { recursive: true, force: true });

const bytes = Buffer.byteLength(written, 'utf8');
const frames = written.includes(BSU) ? written.split(BSU).length - 1 : 1;
const report = {
  seconds: SECONDS,
  bytes,
  frames,
  frames_per_s: Number((frames / SECONDS).toFixed(1)),
  bytes_per_frame: Math.round(bytes / Math.max(1, frames)),
  bytes_per_s: Math.round(bytes / SECONDS),
  clears_screen: (written.match(/\x1b\[2J/g) ?? []).length,
};
if (values.json) console.log(JSON.stringify(report));
else for (const [name, value] of Object.entries(report)) console.log(`${name.padEnd(16)} ${value}`);
console.log(report.bytes_per_frame < 2048 ? 'within the bound (< 2 KB per frame on average)' : 'OUTSIDE the bound (< 2 KB per frame on average)');
process.exitCode = report.bytes_per_frame < 2048 ? 0 : 1;
