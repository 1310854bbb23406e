/**
 * What the TUI writes to the terminal while output streams: only the lines that changed, never a
 * clear of the screen and scrollback per frame (heavy over SSH, flicker without synchronized output).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countingWat } from '../helpers/counting-wat.js';
import { KEYS, sleep } from '../helpers/pty.js';
import { tuiFixtures } from '../helpers/tui-folders.js';

const { folderWith, open } = tuiFixtures();
const FRAME_START = '\x1b[?2026h';

describe('drawing the screen', () => {
  it('writes under 2 KB a frame on average, without clearing the screen, while a job prints 5 lines a second', async () => {
    const dir = folderWith();
    writeFileSync(join(dir, 'five.wat'), countingWat(60, 200));
    const tui = open(dir);
    await tui.waitForText('▶ five');
    await tui.press(KEYS.enter);
    await tui.waitForText('line 0002');
    const from = tui.raw.length;
    await sleep(2000);
    const written = tui.raw.slice(from);
    const frames = written.split(FRAME_START).length - 1;
    expect(frames).toBeGreaterThan(5);
    expect(written).not.toContain('\x1b[2J');
    expect(written).not.toContain('\x1b[3J');
    expect(Buffer.byteLength(written) / frames).toBeLessThan(2048);
    // And what is on screen is right: the frame where it belongs, the latest lines in it.
    const screen = await tui.waitFor((s) => /line 00[1-9]\d/.test(s), 'more output');
    expect(screen.split('\n')[0]).toContain('plasm-tui');
    expect(screen.split('\n')[1]).toMatch(/^╭ Jobs \(1\)/);
  });
});
