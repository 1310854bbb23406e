#!/usr/bin/env node
/**
 * The TUI opened on a big tree, as `npx plasm-tui` in a home folder would be: how long until the
 * job list is usable, how much memory the TUI holds, and how long `q` takes to give the terminal
 * back. Builds a tree of --files files (default 100,000) in a temp folder, a few of them modules,
 * runs the real bin in a pseudo-terminal and reads the screen with a headless xterm.
 *
 *   node scripts/big-tree.mjs [--files N] [--dir PATH] [--json]     (needs dist/: `npm run build`)
 *
 * With --dir, the given folder is opened instead of a generated one (e.g. /usr).
 */
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'plasm-tui.js');
const { values } = parseArgs({ options: { files: { type: 'string', default: '100000' }, dir: { type: 'string' }, json: { type: 'boolean', default: false } } });
const COLS = 100;
const ROWS = 30;

/** 100 top folders × 10 subfolders × N files; one module per top folder, the rest plain files. */
function makeTree(files) {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-big-tree-'));
  const perLeaf = Math.max(1, Math.ceil(files / 1000));
  let made = 0;
  for (let a = 0; a < 100 && made < files; a++) {
    for (let b = 0; b < 10 && made < files; b++) {
      const leaf = join(dir, `d${String(a).padStart(3, '0')}`, `s${b}`);
      mkdirSync(leaf, { recursive: true });
      for (let c = 0; c < perLeaf && made < files; c++, made++) {
        if (b === 0 && c === 0) copyFileSync(join(ROOT, 'test', 'fixtures', 'wat', 'hello.wat'), join(leaf, `m${a}.wat`));
        else writeFileSync(join(leaf, `f${c}.txt`), 'x');
      }
    }
  }
  return { dir, made };
}

function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const generated = values.dir ? null : makeTree(Number(values.files));
  const dir = values.dir ?? generated.dir;
  const config = mkdtempSync(join(tmpdir(), 'plasm-big-tree-config-'));
  const term = new xterm.Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
  const began = performance.now();
  const child = pty.spawn(process.execPath, [BIN, dir], {
    name: 'xterm-256color',
    cols: COLS,
    rows: ROWS,
    cwd: ROOT,
    env: { XDG_CONFIG_HOME: config, TERM: 'xterm-256color', PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
  });
  let exited = null;
  child.onData((data) => term.write(data));
  child.onExit(() => (exited = performance.now()));
  const screen = () => {
    const lines = [];
    for (let i = 0; i < ROWS; i++) lines.push(term.buffer.active.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n');
  };
  const waitFor = async (predicate, timeoutMs) => {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (predicate(screen())) return performance.now();
      if (exited !== null) break;
      await sleep(10);
    }
    return null;
  };
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(child.pid).peak)), 50);
  // Usable: the list shows a job that can be picked and run.
  const usableAt = await waitFor((s) => /▶ \S/.test(s) || s.includes('no modules or manifests here'), 60_000);
  // The generated tree holds one module per top folder: all listed means the walk is done.
  const scannedAt = generated ? await waitFor((s) => s.includes('Jobs (100)'), 60_000) : null;
  await sleep(300);
  const rss = rssOf(child.pid);
  peak = Math.max(peak, rss.peak);
  const header = screen().split('\n')[0]?.trim();
  const jobs = /Jobs \((\d+)/.exec(screen())?.[1];
  const quitAt = performance.now();
  child.write('q');
  const deadline = performance.now() + 30_000;
  while (exited === null && performance.now() < deadline) await sleep(5);
  clearInterval(sampler);
  if (exited === null) child.kill('SIGKILL');
  const report = {
    files: generated?.made ?? null,
    dir: values.dir ?? '(generated)',
    jobs: jobs === undefined ? null : Number(jobs),
    header,
    usable_ms: usableAt === null ? null : Math.round(usableAt - began),
    all_listed_ms: scannedAt === null ? null : Math.round(scannedAt - began),
    rss_mb: Math.round(rss.rss / 1048576),
    peak_rss_mb: Math.round(peak / 1048576),
    quit_ms: exited === null ? null : Math.round(exited - quitAt),
  };
  if (generated) rmSync(generated.dir, { recursive: true, force: true });
  rmSync(config, { recursive: true, force: true });
  if (values.json) console.log(JSON.stringify(report));
  else for (const [name, value] of Object.entries(report)) console.log(`${name.padEnd(13)} ${value}`);
  const ok = report.usable_ms !== null && report.usable_ms < 2000 && report.quit_ms !== null && report.quit_ms < 1000 && report.peak_rss_mb < 300;
  console.log(ok ? 'within the bounds (usable < 2 s, quit < 1 s, RSS < 300 MB)' : 'OUTSIDE the bounds (usable < 2 s, quit < 1 s, RSS < 300 MB)');
  process.exitCode = ok ? 0 : 1;
}

await main();
