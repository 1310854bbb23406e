/**
 * Replaying a deterministic run from the TUI, in a real terminal: the receipt pane of a run whose
 * manifest asks for deterministic mode says it is replayable, `v` runs the job again and shows
 * that it gave the same output and fuel, and after an input file changes, the replay names the
 * input tree that differs.
 */
import { copyFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ceiling } from '../helpers/ceiling.js';
import { EXAMPLES } from '../helpers/cli.js';
import { KEYS, TuiSession } from '../helpers/pty.js';

const sessions: TuiSession[] = [];
const folders: string[] = [];

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.kill()));
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it('shows a deterministic run as replayable, replays it with v, and names the input tree that changed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-tui-replay-'));
  folders.push(dir);
  copyFileSync(join(EXAMPLES, 'clock-random', 'clock-random.wasm'), join(dir, 'clock-random.wasm'));
  cpSync(join(EXAMPLES, 'clock-random', 'data'), join(dir, 'data'), { recursive: true });
  const manifest = { version: '0.2', name: 'clock', module: 'clock-random.wasm', args: ['/data'], dirs: [{ host: 'data', guest: '/data', readonly: true }], deterministic: true };
  writeFileSync(join(dir, 'clock.manifest.json'), JSON.stringify(manifest));
  const tui = new TuiSession(dir, { cols: 140, rows: 34 });
  sessions.push(tui);
  await tui.waitForText('▶ clock');
  await tui.press(KEYS.enter);
  await tui.waitForText('asks for:');
  await tui.press('a');
  let screen = await tui.waitForText('replayable (v)', ceiling(20_000));
  expect(screen).toContain('time() 946684800');
  await tui.press('v');
  screen = await tui.waitForText('✓ replayed', ceiling(20_000));
  expect(screen).toContain('✓ verified · ✓ replayed');
  // The job's input changes: the replay runs on what is there now, and says which tree differs.
  writeFileSync(join(dir, 'data', 'a.txt'), 'changed\n');
  await tui.press('v');
  screen = await tui.waitForText('✗ replay', ceiling(20_000));
  expect(screen.replace(/[│\s]+/g, ' ')).toMatch(/✗ replay: the input tree at \/data is sha256:\w+ on replay/);
});
