/**
 * Opening the TUI in a real terminal: before Ink and React have loaded, the terminal already says
 * what is happening, and that line is gone once the app has the screen (and after it quits).
 */
import { describe, expect, it } from 'vitest';
import { KEYS } from '../helpers/pty.js';
import { tuiFixtures } from '../helpers/tui-folders.js';

const { folderWith, open } = tuiFixtures();

describe('opening the TUI', () => {
  it('says it is opening the folder before the first frame, and erases that line when the app takes the screen', async () => {
    const dir = folderWith('hello.wasm');
    const tui = open(dir);
    await tui.waitForText('▶ hello');
    const opening = `plasm-tui: opening ${dir}…`;
    expect(tui.raw.startsWith(opening)).toBe(true);
    // Erased, then the alternate screen: nothing of it is left below the app.
    expect(tui.raw.slice(opening.length).startsWith('\r\x1b[2K\x1b[?1049h')).toBe(true);
    await tui.press(KEYS.ctrlC);
    await tui.waitForExit();
    expect(tui.screen()).not.toContain('plasm-tui: opening');
  });
});
