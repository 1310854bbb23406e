#!/usr/bin/env node
/**
 * The screen the README shows: `plasm-tui wasm-examples` at 100×30, after picking hello, pressing
 * `i`, typing `Hello, World` and Enter. Runs the real bin in a pseudo-terminal on a copy of the
 * examples (receipts go there, not into the repo) and prints the screen as text; a test checks
 * that the README shows the same screen (times, hashes and keys aside: see `comparable`).
 *
 *   node scripts/readme-screen.mjs [--cols C] [--rows R]     (needs dist/: `npm run build`)
 */
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function readmeScreen(cols = 100, rows = 30) {
  const work = mkdtempSync(join(tmpdir(), 'plasm-readme-'));
  cpSync(join(ROOT, 'wasm-examples'), join(work, 'wasm-examples'), { recursive: true });
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  const child = pty.spawn(process.execPath, [join(ROOT, 'bin', 'plasm-tui.js'), 'wasm-examples'], {
    name: 'xterm-256color',
    cols,
    rows,
    cwd: work,
    env: { XDG_CONFIG_HOME: join(work, 'config'), TERM: 'xterm-256color', PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
  });
  // Ink brackets each frame with the synchronized-output marks; a pty may hand a frame over in
  // several reads, and the screen is read only between whole frames.
  let raw = '';
  let inFrame = false;
  let pending = 0;
  child.onData((data) => {
    raw = (raw + data).slice(-(data.length + 8));
    const begin = raw.lastIndexOf('\x1b[?2026h');
    const end = raw.lastIndexOf('\x1b[?2026l');
    if (begin !== end) inFrame = begin > end;
    pending++;
    term.write(data, () => pending--);
  });
  const screen = () => Array.from({ length: rows }, (_, i) => term.buffer.active.getLine(i)?.translateToString(true) ?? '').join('\n');
  const waitFor = async (...texts) => {
    // A ceiling for a loaded machine, not a pace: it goes on as soon as the texts show.
    const deadline = Date.now() + 120_000;
    while (inFrame || pending > 0 || !texts.every((text) => screen().includes(text))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${texts.join(', ')}:\n${screen()}`);
      await sleep(20);
    }
  };
  const waitUntil = async (ready, what) => {
    const deadline = Date.now() + 120_000;
    while (inFrame || pending > 0 || !ready()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${screen()}`);
      await sleep(20);
    }
  };
  const press = async (...keys) => {
    for (const key of keys) {
      child.write(key);
      await sleep(80);
    }
  };
  try {
    await waitFor('▶ args-env');
    // Down to hello, however many examples sort before it.
    const selected = () => /▶ (\S+)/.exec(screen())?.[1];
    for (let i = 0; i < 30 && selected() !== 'hello'; i++) {
      const before = selected();
      await press('\x1b[B');
      await waitUntil(() => selected() !== before, 'the next job');
    }
    await waitFor('▶ hello ');
    await press('i', ...'Hello, World', '\r');
    // The run has ended and every pane says so: output, exit, timing, receipt.
    await waitFor('dlroW ,olleH', '✓ 0 · ok', 'held:', 'start ', '✓ verified');
    return screen().replace(/\s+$/, '');
  } finally {
    child.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

/** The screen with what changes from run to run (times, hashes, keys, the sparkline) made alike. */
export function comparable(screen) {
  return screen
    // The Timing pane packs its phases onto as few lines as fit, so where they wrap depends on
    // their digits: the phases are left out (views and pane tests check them).
    .replace(/\b(start|compile|run|other) \d+(\.\d+)?( ms| s)?( ·)?/g, '')
    .replace(/[0-9a-f]{4,}…[0-9a-f]{2,}|[0-9a-f]{64}/g, 'H')
    // A duration is a duration whatever its unit: a loaded machine turns "4.1 ms" into "1.2 s".
    .replace(/\d+(\.\d+)? (ms|s)\b/g, 'T')
    .replace(/\d+(\.\d+)?/g, 'N')
    .replace(/[▁▂▃▄▅▆▇█]+/g, 'S')
    .replace(/─+/g, '─')
    .replace(/ +/g, ' ');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { cols: { type: 'string', default: '100' }, rows: { type: 'string', default: '30' } } });
  console.log(await readmeScreen(Number(values.cols), Number(values.rows)));
}
