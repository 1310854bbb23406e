/**
 * The TUI as a person at a terminal gets it: the real bin in a pseudo-terminal, the screen read
 * back through a headless xterm. Needs dist/ (`npm test` builds first).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLES, WAT } from '../helpers/cli.js';
import { until } from '../helpers/poll.js';
import { KEYS, TuiSession, descendants, isAlive, sleep } from '../helpers/pty.js';

const sessions: TuiSession[] = [];
const folders: string[] = [];

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.kill()));
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder holding the named fixtures: `hello.wasm` from the examples, `*.wat` from test/fixtures/wat. */
function folderWith(...files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-tui-e2e-'));
  folders.push(dir);
  for (const file of files) copyFileSync(file === 'hello.wasm' ? join(EXAMPLES, 'hello', 'hello.wasm') : join(WAT, file), join(dir, file));
  return dir;
}

function open(dir: string, options: ConstructorParameters<typeof TuiSession>[1] = {}): TuiSession {
  const session = new TuiSession(dir, options);
  sessions.push(session);
  return session;
}

/** Selects a job through the filter: `/`, its name, ⏎ keeps the filter and goes back to the list. */
async function pick(tui: TuiSession, name: string): Promise<void> {
  await tui.press('/');
  await tui.type(name);
  await tui.press(KEYS.enter);
  await tui.waitForText(new RegExp(`▶ ${name.replace(/\./g, '\\.')}`));
}

/** The job list row of `name` (left pane), trimmed. */
function row(screen: string, name: string): string {
  const line = screen.split('\n').find((l) => new RegExp(`^│ [▶ ] ${name}\\b`).test(l)) ?? '';
  return line.slice(1, line.indexOf('│', 1)).trim();
}

describe('plasm-tui in a terminal', () => {
  it('runs hello with typed stdin: reversed output, exit 0, a verified receipt saved next to the jobs', async () => {
    const dir = folderWith('hello.wasm', 'exit-42.wat', 'escape.wat');
    const tui = open(dir);
    await tui.waitForText('Jobs (3)');
    // Sorted by name: escape, exit-42, hello. Pick hello with the arrow keys.
    await tui.press(KEYS.down, KEYS.down);
    await tui.waitForText('▶ hello');
    await tui.press('i');
    await tui.waitForText('esc done');
    // Typed fast, one key per write: none may be lost or reordered.
    await tui.typeKeys('Hello, World');
    await tui.waitForText('› Hello, World');
    await tui.press(KEYS.enter);
    const screen = await tui.waitForText('✓ verified');
    expect(screen).toContain('dlroW ,olleH');
    expect(screen).toContain('✓ 0 · ok');
    expect(row(screen, 'hello')).toMatch(/^▶ hello\s+✓ 0\s+[\d.]+ m?s$/);
    expect(screen).toContain('run #1');
    expect(screen).toContain('.plasm/receipts/hello.wasm/0001.json');
    const receipt = JSON.parse(readFileSync(join(dir, '.plasm', 'receipts', 'hello.wasm', '0001.json'), 'utf8')) as { status: string; exit_code: number };
    expect(receipt).toMatchObject({ status: 'ok', exit_code: 0 });
    // ⏎ ran and went back to the list; the stdin is kept, and ⏎ there runs again: same input, same output.
    await tui.press(KEYS.enter);
    await tui.waitForText('run #2 =');
  });

  it('shows a timeout for a looping job and stays usable while it runs', async () => {
    const dir = folderWith('hello.wasm', 'loop.wat');
    // 3 s: long enough that hello surely runs while loop spins, even on a loaded machine.
    writeFileSync(join(dir, 'loop.manifest.json'), JSON.stringify({ version: '0.2', module: 'loop.wat', timeout_seconds: 3 }));
    const tui = open(dir);
    // loop.wat runs under its manifest, and is listed under it as a job of its own.
    await tui.waitForText('Jobs (3)');
    await tui.waitForText('↳ loop.wat');
    await pick(tui, 'loop');
    await tui.press(KEYS.enter);
    await tui.waitForText(/▶ loop\s+● /);
    // While loop spins, pick hello (esc clears the filter) and run it.
    await tui.press(KEYS.esc, KEYS.up);
    await tui.waitForText('▶ hello');
    await tui.press(KEYS.enter);
    const during = await tui.waitForText(/▶ hello\s+✓ 0/);
    expect(during).toMatch(/loop\s+● /);
    const after = await tui.waitForText(/loop\s+⏱ timeout/, 15_000);
    expect(after).toContain('▶ hello');
    await tui.press(KEYS.down);
    const loop = await tui.waitForText('⏱ — · timeout');
    expect(loop).toContain('The job ran past its 3 s');
    // The outcome is drawn first; the receipt, saved and checked, a moment later.
    expect(await tui.waitForText('✓ verified')).toContain('⏱ — · timeout');
  });

  it('reruns a job by itself when its module is rewritten, slowly, and marks the changed output', async () => {
    const dir = folderWith('hello.wat');
    const tui = open(dir);
    await tui.waitForText('▶ hello');
    await tui.press(KEYS.enter);
    await tui.waitFor((s) => s.includes('hello from wat') && s.includes('✓ verified') && s.includes('run #1'), 'the first run to end');
    // A new build written in two chunks with a pause between: the half-written file must not run.
    const source = readFileSync(join(WAT, 'hello.wat'), 'utf8').replaceAll('hello from wat', 'HELLO FROM WAT');
    const half = Math.floor(source.length / 2);
    // The pause is the build's, not a wait for a state: the folder re-reads the file every 25 ms
    // and takes a file unchanged for 1.5 s as a broken build, which then runs (as invalid). 150 ms
    // leaves a busy machine room to stretch it (at 400 ms a paired run once went past 1.5 s).
    const wroteHalf = performance.now();
    writeFileSync(join(dir, 'hello.wat'), source.slice(0, half));
    await sleep(150);
    writeFileSync(join(dir, 'hello.wat'), source);
    const pause = performance.now() - wroteHalf;
    const screen = await tui.waitForText('HELLO FROM WAT');
    expect(pause, 'the pause between the two writes stayed inside the folder\'s 1.5 s wait for a whole module').toBeLessThan(1500);
    // The run's outcome is drawn first, its receipt (saved, then checked) a moment later.
    await tui.waitFor((s) => s.includes('run #2 ≠') && s.includes('✓ verified'), 'the rerun\'s receipt');
    expect(screen).not.toContain('invalid');
    // Exactly two runs happened, both ok: no bogus run of the half-written file.
    const receipts = readdirSync(join(dir, '.plasm', 'receipts', 'hello.wat')).filter((name) => name.endsWith('.json')).sort();
    expect(receipts).toEqual(['0001.json', '0002.json']);
    // Each run's whole output sits beside its receipt.
    expect(readFileSync(join(dir, '.plasm', 'receipts', 'hello.wat', '0002.output.txt'), 'utf8')).toBe('HELLO FROM WAT\n');
    for (const file of receipts) {
      expect(JSON.parse(readFileSync(join(dir, '.plasm', 'receipts', 'hello.wat', file), 'utf8'))).toMatchObject({ status: 'ok' });
    }
    // Watch off: a further rebuild is left alone.
    await tui.press('w');
    await tui.waitForText('watch ○');
    writeFileSync(join(dir, 'hello.wat'), readFileSync(join(WAT, 'hello.wat'), 'utf8'));
    await sleep(1000);
    expect(tui.screen()).toContain('HELLO FROM WAT');
    expect(tui.screen()).toContain('run #2 ≠');
  });

  it('follows the folder: modules appear and vanish, a broken manifest is listed with its error', async () => {
    const dir = folderWith('hello.wasm');
    const tui = open(dir);
    await tui.waitForText('Jobs (1)');
    copyFileSync(join(WAT, 'exit-42.wat'), join(dir, 'exit-42.wat'));
    await tui.waitForText('Jobs (2)');
    expect(tui.screen()).toMatch(/exit-42/);
    unlinkSync(join(dir, 'exit-42.wat'));
    await tui.waitForText('Jobs (1)');
    expect(tui.screen()).not.toMatch(/exit-42/);
    writeFileSync(join(dir, 'broken.manifest.json'), JSON.stringify({ version: '0.2', module: 'hello.wasm', timeout_seconds: -1 }));
    await tui.waitForText('Jobs (2)');
    await tui.waitForText(/broken\.manifest\S*\s+✗ invalid/);
    await pick(tui, 'broken');
    const screen = await tui.waitForText('timeout_seconds');
    expect(screen).toContain('✗ — · invalid');
    // Running it explains instead of crashing; the app is still there.
    await tui.press(KEYS.enter);
    await tui.waitForText('cannot run');
    // Subfolders are watched; ignored folders (node_modules, .plasm…) are not.
    mkdirSync(join(dir, 'nested'));
    mkdirSync(join(dir, 'node_modules'));
    copyFileSync(join(WAT, 'exit-42.wat'), join(dir, 'node_modules', 'exit-42.wat'));
    copyFileSync(join(WAT, 'echo.wat'), join(dir, 'nested', 'echo.wat'));
    await tui.press(KEYS.esc);
    await tui.waitForText('Jobs (3)');
    expect(tui.screen()).toContain('echo');
    expect(tui.screen()).not.toContain('exit-42');
  });

  it('neutralises escape sequences a module prints: no clearing, no retitling, the text remains', async () => {
    const dir = folderWith('escape.wat', 'hello.wasm');
    const tui = open(dir);
    await tui.waitForText('▶ escape');
    await tui.press(KEYS.enter);
    // Output streams in before the run ends: wait for the end too.
    const screen = await tui.waitFor((s) => s.includes('red ok') && s.includes('✓ verified'), 'the output and the receipt');
    expect(screen).toContain('Jobs (2)');
    expect(screen).toMatch(/hello/);
    expect(screen).toContain('✓ 0 · ok');
    expect(tui.titles).not.toContain('pwned');
    expect(tui.raw).not.toContain('\x1b]0;pwned');
    expect(tui.raw).not.toContain('pwned');
  });

  it('caps a job that prints megabytes and stays responsive while it streams', async () => {
    const tui = open(folderWith('spew-stdout.wat', 'hello.wasm'));
    await tui.waitForText('Jobs (2)');
    await tui.press(KEYS.down);
    await tui.waitForText('▶ spew-stdout');
    await tui.press(KEYS.enter, KEYS.up);
    // The key right after Enter is handled while 16 MiB pour in.
    await tui.waitForText('▶ hello', 3000);
    await tui.press(KEYS.down);
    const screen = await tui.waitForText('⚠ — · output limit', 15_000);
    expect(screen).toMatch(/stdout was cut at the output limit \(16\.0 MiB kept\)/);
    expect(screen).toMatch(/AAAAAAAAAA/);
    expect(await tui.waitForText('✓ verified')).toContain('⚠ — · output limit');
  });

  it('cancels a running job with x', async () => {
    const tui = open(folderWith('sleep.wat'));
    await tui.waitForText('▶ sleep');
    await tui.press(KEYS.enter);
    await tui.waitForText(/sleep\s+● /);
    await tui.press('x');
    const screen = await tui.waitForText('⊘ — · cancelled');
    expect(screen).toMatch(/sleep\s+⊘ cancelled/);
    expect(await tui.waitForText('✓ verified')).toContain('⊘ — · cancelled');
  });

  it('quits with q: exit 0, cursor shown, alternate screen left', async () => {
    const tui = open(folderWith('hello.wasm'));
    await tui.waitForText('▶ hello');
    expect(tui.raw).toContain('\x1b[?1049h');
    await tui.press('q');
    expect(await tui.waitForExit()).toMatchObject({ exitCode: 0 });
    const tail = tui.raw.slice(tui.raw.lastIndexOf('\x1b[?1049h'));
    expect(tail).toContain('\x1b[?25h');
    expect(tail).toContain('\x1b[?1049l');
  });

  it('quits with Ctrl-C while a job runs, leaving no sandbox process behind', async () => {
    const dir = folderWith('loop.wat');
    const tui = open(dir);
    await tui.waitForText('▶ loop');
    await tui.press(KEYS.enter);
    await tui.waitForText(/loop\s+● /);
    // The row says the run started; its sandbox process follows (the sandbox code loads on the
    // first job, on a busy machine a moment after the row).
    const workers = await until(() => {
      const now = descendants(tui.pty.pid);
      return now.length > 0 ? now : undefined;
    }, 'the job\'s sandbox processes');
    // In the stdin field `q` is text; Ctrl-C still quits.
    await tui.press('i');
    await tui.waitForText('esc done');
    await tui.press('q');
    await tui.waitForText('› q');
    await tui.press(KEYS.ctrlC);
    expect(await tui.waitForExit()).toMatchObject({ exitCode: 0 });
    expect(tui.raw).toContain('\x1b[?1049l');
    await until(() => workers.filter(isAlive).length === 0 || undefined, 'no sandbox process left behind');
  });

  it('fits 80×24 without overlap and redraws on resize to 100×30', async () => {
    const dir = folderWith('hello.wasm', 'exit-42.wat');
    const tui = open(dir, { cols: 80, rows: 24 });
    await tui.waitForText('▶ exit-42');
    await tui.press(KEYS.enter);
    let screen = await tui.waitForText('✓ verified');
    let lines = screen.split('\n');
    expect(lines).toHaveLength(24);
    expect(lines[0]).toContain('plasm-tui');
    expect(lines[1]).toMatch(/^╭ Jobs \(2\) ─+╮╭ Output · exit-42 ─+ run #1 · in: \(empty\) ─╮$/);
    // The last row stays free: then Ink rewrites only the lines that change (see app.tsx).
    expect(lines[19]).toMatch(/^╭ stdin ─+ for exit-42 ─╮$/);
    expect(lines[21]).toMatch(/^╰─+╯$/);
    expect(lines[22]).toContain('q quit');
    expect(lines[23]).toBe('');
    for (const line of lines.slice(1, 22)) expect(line).toMatch(/^[╭│╰].*[╮│╯]$/);
    expect(screen).toContain('✗ 42 · exit');

    tui.resize(100, 30);
    screen = await tui.waitFor((s) => s.split('\n')[25]?.startsWith('╭ stdin') === true, 'the stdin pane at row 26');
    lines = screen.split('\n');
    expect(lines[1]).toHaveLength(100);
    expect(lines[1]).toMatch(/^╭ Jobs \(2\) ─+╮╭ Output · exit-42 ─+ run #1 · in: \(empty\) ─╮$/);
    for (const line of lines.slice(1, 28)) expect(line).toMatch(/^[╭│╰].*[╮│╯]$/);
    expect(lines[28]).toContain('q quit');

    // Too small to lay out: it says so, and recovers when the terminal grows again.
    tui.resize(50, 12);
    await tui.waitForText('plasm-tui needs 60×18; this terminal is 50×12.');
    tui.resize(80, 24);
    screen = await tui.waitFor((s) => s.split('\n')[19]?.startsWith('╭ stdin') === true, 'the stdin pane at row 20');
    expect(screen).toContain('✗ 42 · exit');
    expect(screen).not.toContain('plasm-tui needs');
  });

  it('adds no colour with NO_COLOR set, and does colour without it', async () => {
    const colourCode = /\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/;
    const plain = open(folderWith('hello.wasm'), { env: { NO_COLOR: '1' } });
    await plain.waitForText('▶ hello');
    await plain.press(KEYS.enter);
    await plain.waitForText('✓ verified');
    expect(plain.raw).not.toMatch(colourCode);
    const coloured = open(folderWith('hello.wasm'));
    await coloured.waitForText('▶ hello');
    await coloured.press(KEYS.enter);
    await coloured.waitForText('✓ verified');
    expect(coloured.raw).toMatch(colourCode);
  });

  it('shows help from the key table and filters the list', async () => {
    const dir = folderWith('hello.wasm', 'exit-42.wat', 'escape.wat');
    const tui = open(dir);
    await tui.waitForText('Jobs (3)');
    await tui.press('?');
    const help = await tui.waitForText('Help · keys');
    expect(help).toContain('rerun with last input');
    expect(help).toContain('watch: rerun on change');
    await tui.press(KEYS.esc);
    await tui.waitForText('Jobs (3)');
    await tui.press('/');
    await tui.type('ex');
    const filtered = await tui.waitForText('Jobs (1 of 3)');
    expect(filtered).toContain('exit-42');
    expect(filtered).not.toMatch(/│ [▶ ] hello/);
    await tui.press(KEYS.esc);
    await tui.waitForText('Jobs (3)');
    expect(existsSync(join(dir, '.plasm'))).toBe(false);
  });
});
