/**
 * The TUI in a hostile folder, in a real terminal: a manifest's grants wait for the user's
 * consent in a dialog, watch mode never reruns a job whose grants changed, and receipts are
 * never written through a symlinked `.plasm`.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../helpers/cli.js';
import { KEYS, TuiSession } from '../helpers/pty.js';

const sessions: TuiSession[] = [];
const folders: string[] = [];

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.kill()));
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-tui-hostile-'));
  folders.push(dir);
  return dir;
}

function open(dir: string): TuiSession {
  const session = new TuiSession(dir);
  sessions.push(session);
  return session;
}

describe('grants in the TUI', () => {
  it('asks before a manifest gets a folder, runs only once allowed, and never reruns on its own when the grants change', async () => {
    const home = scratch();
    const proj = join(home, 'proj');
    mkdirSync(proj);
    writeFileSync(join(home, 'secret.txt'), 'TOP-SECRET-DECOY');
    copyFileSync(join(EXAMPLES, 'cat-file', 'cat-file.wasm'), join(proj, 'cat-file.wasm'));
    const manifest = { version: '0.2', name: 'greedy', module: 'cat-file.wasm', args: ['/h/secret.txt'], dirs: [{ host: '..', guest: '/h', readonly: true }] };
    writeFileSync(join(proj, 'plasm.json'), JSON.stringify(manifest));
    const tui = open(proj);
    await tui.waitForText('▶ greedy');
    await tui.press(KEYS.enter);
    let screen = await tui.waitForText('asks for:');
    expect(screen).toContain(`read-only  ${home}  (as /h)`);
    expect(screen).toMatch(/a allow\s+esc deny/);
    // Denied: nothing runs, nothing is saved, the secret never shows.
    await tui.press(KEYS.esc);
    await tui.waitForText('not run: nothing was allowed');
    expect(tui.screen()).not.toContain('TOP-SECRET-DECOY');
    expect(existsSync(join(proj, '.plasm'))).toBe(false);
    // Asked again, and allowed: it runs.
    await tui.press(KEYS.enter);
    await tui.waitForText('asks for:');
    await tui.press('a');
    screen = await tui.waitFor((s) => s.includes('TOP-SECRET-DECOY') && s.includes('✓ verified'), 'the allowed run');
    // Remembered: Enter runs it straight away now.
    await tui.press(KEYS.enter);
    await tui.waitForText('run #2');
    await tui.waitForText('✓ verified');
    // The manifest now asks for the folder read-write: watch mode must not rerun it.
    writeFileSync(join(proj, 'plasm.json'), JSON.stringify({ ...manifest, dirs: [{ host: '..', guest: '/h', readonly: false }] }));
    await tui.waitForText('asks for other grants now');
    const kept = ['json', 'output.txt', 'stderr', 'stdin', 'stdout'];
    expect(readdirSync(join(proj, '.plasm', 'receipts', 'plasm.json')).sort()).toEqual(['0001', '0002'].flatMap((run) => kept.map((ext) => `${run}.${ext}`)));
    expect(tui.screen()).not.toContain('run #3');
    // Pressing Enter shows the new request, read-write this time.
    await tui.press(KEYS.enter);
    screen = await tui.waitForText('asks for:');
    expect(screen).toContain(`read-write ${home}  (as /h)`);
    await tui.press('n');
    await tui.waitForText('not run');
    expect(readdirSync(join(proj, '.plasm', 'receipts', 'plasm.json'))).toHaveLength(2 * kept.length);
  });
});

describe('receipts in a hostile folder', () => {
  it('are not written through a .plasm symlink: the receipt pane says why, the target stays empty', async () => {
    const dir = scratch();
    const elsewhere = scratch();
    copyFileSync(join(EXAMPLES, 'hello', 'hello.wasm'), join(dir, 'hello.wasm'));
    symlinkSync(elsewhere, join(dir, '.plasm'));
    const tui = open(dir);
    await tui.waitForText('▶ hello');
    await tui.press(KEYS.enter);
    const screen = await tui.waitForText('symlink');
    expect(screen).toContain('✓ 0 · ok');
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readFileSync(join(EXAMPLES, 'hello', 'hello.wasm')).length).toBeGreaterThan(0);
  });
});
