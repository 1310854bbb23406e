#!/usr/bin/env node
/**
 * How long a 16 MiB output flood takes in the CLI and in the TUI, on the same module in the same
 * run. The CLI: the job's own time from `plasm-tui run`'s summary line (its stdout to a pipe that
 * is read and discarded). The TUI: from ⏎ to the run's status on screen (the real bin in a
 * pseudo-terminal, read with a headless xterm), and the job's own time as the timing pane shows it.
 *
 *   node scripts/flood-time.mjs [--runs N] [--pattern nl|lines|A|utf8] [--json] [--prof DIR]   (needs dist/)
 *
 * --prof writes a CPU profile of the TUI process (node --cpu-prof) into DIR.
 *
 * `measureFlood(pattern, rounds)` is what `npm run bench` uses.
 */
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { floodWat } from './flood-wat.mjs';
import { ptyScreen } from './pty-screen.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'plasm-tui.js');
const COLS = 100;
const ROWS = 30;
export const PATTERNS = { nl: '\n', lines: 'flood line\n', A: 'A', utf8: 'ünïcödé ✓ flood\n' };

function session(dir, config, nodeFlags = []) {
  const env = { XDG_CONFIG_HOME: config, ...(process.env.FLOOD_TUI_NODE_ENV ? { NODE_ENV: process.env.FLOOD_TUI_NODE_ENV } : {}) };
  return ptyScreen([...nodeFlags, BIN, dir], { cols: COLS, rows: ROWS, cwd: ROOT, env });
}

/** `plasm-tui run`: the job's status and its own time in ms, from the summary line. */
async function cliFlood(file) {
  const started = performance.now();
  const result = await execa(process.execPath, [BIN, 'run', file], { reject: false, input: '', stdout: 'ignore' });
  const wall = performance.now() - started;
  const m = / · (\w+) · ([\d.]+) ms/.exec(result.stderr);
  if (!m) throw new Error(`no summary line: ${result.stderr}`);
  return { status: m[1], job_ms: Number(m[2]), wall_ms: wall };
}

const STATUS = /[✓✗⏱⚠⊘] (ok|exit|output limit|timeout|killed|error|trap): /;
const LABEL = /run #(\d+)(?: of \d+)?(?: [=≠])?( ●)? · in:/;

/** The job's phases as the timing pane shows them (`13.8 s`, `start 842 · compile 756`, `run 11859 · other 331 ms`). */
function timingOf(screen) {
  const rows = screen.split('\n');
  const at = rows.findIndex((row) => row.includes('╭ Timing'));
  const pane = rows.slice(at + 1, at + 4).map((row) => row.slice(0, row.indexOf('╮╭') > 0 ? row.indexOf('╮╭') : undefined)).join(' ');
  const total = /│ ([\d.]+) (ms|s)\b/.exec(pane);
  const part = (name) => Number(new RegExp(`${name} (\\d+)`).exec(pane)?.[1] ?? NaN);
  return { job_ms: total ? Number(total[1]) * (total[2] === 's' ? 1000 : 1) : NaN, start_ms: part('start'), compile_ms: part('compile'), run_ms: part('run') };
}

/**
 * The TUI, `rounds` runs in one session: ⏎ → the run's status in its output and its receipt
 * verified; the job's own time from the timing pane.
 */
async function tuiFlood(dir, config, nodeFlags, rounds) {
  const tui = session(dir, config, nodeFlags);
  const results = [];
  try {
    await tui.waitFor((s) => s.includes('▶ flood'), 'the job list');
    for (let i = 0; i < rounds; i++) {
      const before = Number(LABEL.exec(tui.screen())?.[1] ?? 0);
      const started = performance.now();
      tui.child.write('\r');
      const ended = await tui.waitFor((s) => {
        const label = LABEL.exec(s);
        return label !== null && Number(label[1]) > before && label[2] === undefined && STATUS.test(s) && s.includes('✓ verified');
      }, 'the end of the run');
      const screen = tui.screen();
      results.push({ status: (STATUS.exec(screen)?.[1] ?? '?').replace(' ', '_'), screen_ms: ended - started, ...timingOf(screen) });
    }
    return results;
  } finally {
    await tui.close();
  }
}

async function floodWasm(pattern) {
  const wabt = await (await import('wabt')).default();
  const parsed = wabt.parseWat('flood.wat', floodWat(pattern), { bulk_memory: true });
  try {
    parsed.resolveNames();
    parsed.validate();
    return Buffer.from(parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/**
 * The same flood module through `plasm-tui run` and in the TUI, alternately, `rounds` times
 * each; medians. The TUI's first run in a session shares the process with the TUI's own start-up
 * (the modules it loads after the first frame), so each TUI sample is a second run in a session.
 */
export async function measureFlood(pattern = PATTERNS.nl, rounds = 3, nodeFlags = []) {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-flood-'));
  const config = mkdtempSync(join(tmpdir(), 'plasm-flood-config-'));
  try {
    // A .wasm: compiling text (wabt) is the same work in both and not what is measured here.
    const file = join(dir, 'flood.wasm');
    writeFileSync(file, await floodWasm(pattern));
    const cli = [];
    const first = [];
    const tui = [];
    for (let i = 0; i < rounds; i++) {
      cli.push(await cliFlood(file));
      const [one, two] = await tuiFlood(dir, config, nodeFlags, 2);
      first.push(one);
      tui.push(two);
    }
    const m = (list, key) => median(list.map((r) => r[key]));
    return {
      cli_statuses: cli.map((r) => r.status),
      tui_statuses: [...first, ...tui].map((r) => r.status),
      cli_job_ms: m(cli, 'job_ms'),
      cli_wall_ms: m(cli, 'wall_ms'),
      tui_job_ms: m(tui, 'job_ms'),
      tui_phases_ms: { start: m(tui, 'start_ms'), compile: m(tui, 'compile_ms'), run: m(tui, 'run_ms') },
      tui_screen_ms: m(tui, 'screen_ms'),
      tui_first_job_ms: m(first, 'job_ms'),
      tui_first_screen_ms: m(first, 'screen_ms'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(config, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, pattern: { type: 'string', default: 'nl' }, json: { type: 'boolean', default: false }, prof: { type: 'string' } } });
  const pattern = PATTERNS[values.pattern] ?? values.pattern;
  const r = await measureFlood(pattern, Number(values.runs), values.prof ? ['--cpu-prof', `--cpu-prof-dir=${values.prof}`] : []);
  if (values.json) console.log(JSON.stringify(r));
  else {
    console.log(`flood ${JSON.stringify(pattern)}, 16 MiB cap, ${values.runs} runs, medians`);
    console.log(`  CLI  job ${r.cli_job_ms.toFixed(0)} ms, the whole command ${r.cli_wall_ms.toFixed(0)} ms   statuses ${r.cli_statuses.join(' ')}`);
    console.log(`  TUI  job ${r.tui_job_ms.toFixed(0)} ms (start ${r.tui_phases_ms.start}, compile ${r.tui_phases_ms.compile}, run ${r.tui_phases_ms.run}), ⏎ → status on screen ${r.tui_screen_ms.toFixed(0)} ms   statuses ${r.tui_statuses.join(' ')}`);
    console.log(`  TUI, first run in a session: job ${r.tui_first_job_ms.toFixed(0)} ms, ⏎ → status on screen ${r.tui_first_screen_ms.toFixed(0)} ms`);
    console.log(`  TUI job / CLI job: ${(r.tui_job_ms / r.cli_job_ms).toFixed(2)}×   TUI ⏎ → on screen / the CLI command: ${(r.tui_screen_ms / r.cli_wall_ms).toFixed(2)}×  (target ≤ 1.5×)`);
  }
  process.exit(0);
}
