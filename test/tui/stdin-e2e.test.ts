/**
 * Stdin that fits real input, in a real terminal: a bracketed paste keeps its newlines (shown as
 * ↵), a paste without brackets too, `e` opens $VISUAL/$EDITOR on the job's stdin, and a manifest's
 * multi-line stdin shows its line breaks.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KEYS } from '../helpers/pty.js';
import { tuiFixtures } from '../helpers/tui-folders.js';

const { folderWith, open } = tuiFixtures();
const scratch = mkdtempSync(join(tmpdir(), 'plasm-tui-editor-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('stdin in the TUI', () => {
  it('keeps the newlines of a bracketed paste, shows them as ↵ and sends them', async () => {
    const tui = open(folderWith('echo.wat'));
    await tui.waitForText('▶ echo');
    await tui.waitFor(() => tui.raw.includes('\x1b[?2004h'), 'bracketed paste switched on');
    await tui.press('i');
    await tui.waitForText('esc done');
    await tui.type('\x1b[200~first line\rsecond line\rthird\x1b[201~');
    await tui.waitForText('› first line↵second line↵third');
    await tui.press(KEYS.enter);
    const screen = await tui.waitForText('✓ verified');
    expect(screen).toMatch(/│ first line\s+│/);
    expect(screen).toMatch(/│ second line\s+│/);
    expect(screen).toMatch(/│ third\s+│/);
  });

  it('takes a paste without brackets as text with its newlines, not as ⏎', async () => {
    const tui = open(folderWith('echo.wat'));
    await tui.waitForText('▶ echo');
    await tui.press('i');
    await tui.waitForText('esc done');
    await tui.type('one\rtwo');
    await tui.waitForText('› one↵two');
    expect(tui.screen()).toContain('esc done');
  });

  it('edits the stdin in $EDITOR with e, as git does, and runs with what was saved', async () => {
    const editor = join(scratch, 'editor.sh');
    const seen = join(scratch, 'seen.txt');
    // Records what the file held, then writes two lines, as a person would in their editor.
    writeFileSync(editor, `#!/bin/sh\ncat "$1" > '${seen}'\nprintf 'from the editor\\nline two\\n' > "$1"\n`);
    chmodSync(editor, 0o755);
    const tui = open(folderWith('echo.wat'), { env: { EDITOR: `${editor}`, VISUAL: '' } });
    await tui.waitForText('▶ echo');
    await tui.press('i');
    await tui.typeKeys('old');
    await tui.press(KEYS.esc);
    await tui.waitForText('› old');
    await tui.press('e');
    await tui.waitForText('› from the editor↵line two↵');
    expect(readFileSync(seen, 'utf8')).toBe('old');
    // The whole screen is back after the editor had the terminal.
    expect(tui.screen()).toMatch(/╭ Jobs \(1\)/);
    await tui.press(KEYS.enter);
    const screen = await tui.waitForText('✓ verified');
    expect(screen).toMatch(/│ from the editor\s+│/);
    expect(screen).toMatch(/│ line two\s+│/);
  });

  it("shows a manifest's multi-line stdin with its line breaks", async () => {
    const dir = folderWith('echo.wat');
    writeFileSync(join(dir, 'two.manifest.json'), JSON.stringify({ version: '0.2', name: 'two', module: 'echo.wat', stdin: 'alpha\nbeta\n' }));
    const tui = open(dir);
    await tui.waitForText('Jobs (');
    await tui.press('/');
    await tui.type('two');
    await tui.press(KEYS.enter);
    await tui.waitForText('▶ two');
    await tui.waitForText('› alpha↵beta↵');
  });
});
