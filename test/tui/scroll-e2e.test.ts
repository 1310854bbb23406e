/**
 * Scrolling the output while it streams, in a real terminal: a view scrolled back stays on the
 * lines it shows as more arrive, `g` stays at the top, `G` follows the end again.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countingWat } from '../helpers/counting-wat.js';
import { KEYS, type TuiSession } from '../helpers/pty.js';
import { tuiFixtures } from '../helpers/tui-folders.js';

const { folderWith, open } = tuiFixtures();

/** The `line NNNN` rows the output pane shows, top to bottom. */
const shown = (screen: string): string[] => screen.match(/line \d{4}/g) ?? [];
/** The `↑ N` rows-above-the-end figure in the output pane's title, 0 when following. */
const above = (screen: string): number => Number(/↑ (\d+)/.exec(screen)?.[1] ?? 0);

async function streaming(): Promise<TuiSession> {
  const dir = folderWith();
  // Lines until the test ends, however slow the machine: every wait below has more to come
  // (the manifest gives the job all the time the test may take).
  writeFileSync(join(dir, 'count.wat'), countingWat(1_000_000, 10));
  writeFileSync(join(dir, 'count.manifest.json'), JSON.stringify({ version: '0.2', name: 'count', module: 'count.wat', timeout_seconds: 600 }));
  const tui = open(dir);
  await tui.waitForText('▶ count');
  await tui.press(KEYS.enter);
  // A few screens of output, whichever lines a busy machine happens to draw.
  await tui.waitFor((s) => Math.max(0, ...shown(s).map((line) => Number(line.slice(5)))) >= 40, 'line 40 or later');
  return tui;
}

describe('scrolling streaming output', () => {
  it('holds a view scrolled back while lines keep arriving', async () => {
    const tui = await streaming();
    // One key: the view is held from the moment it is handled (↑ shows), whatever the machine's pace.
    await tui.press('u');
    const before = await tui.waitFor((s) => above(s) >= 1, 'the view scrolled up');
    const rows = shown(before);
    expect(rows.length).toBeGreaterThan(5);
    // More output arrives below (the distance to the end grows), the view stays put.
    const later = await tui.waitFor((s) => above(s) >= above(before) + 40, '40 more rows below the view');
    expect(shown(later)).toEqual(rows);
    await tui.press('G');
    await tui.waitFor((s) => above(s) === 0 && (shown(s).at(-1) ?? '') > (rows.at(-1) ?? ''), 'following the end again');
  });

  it('keeps g at the top of the output while lines keep arriving', async () => {
    const tui = await streaming();
    await tui.press('g');
    const top = await tui.waitFor((s) => shown(s)[0] === 'line 0001', 'the top of the output');
    await tui.waitFor((s) => above(s) >= above(top) + 40, '40 more rows below the view');
    expect(shown(tui.screen())[0]).toBe('line 0001');
  });
});

describe('stderr in the output pane', () => {
  it('marks stderr rows with a gutter that shows without colour', async () => {
    const dir = folderWith();
    writeFileSync(join(dir, 'mixed.wat'), countingWat(6, 20, 3));
    const tui = open(dir, { env: { NO_COLOR: '1' } });
    await tui.waitForText('▶ mixed');
    await tui.press(KEYS.enter);
    const screen = await tui.waitForText('✓ verified');
    expect(screen).toMatch(/│ line 0001\s+│/);
    expect(screen).toMatch(/│ ▌ err {2}0003\s+│/);
    expect(screen).toMatch(/│ ▌ err {2}0006\s+│/);
    expect(screen).toMatch(/│ line 0005\s+│/);
    // In the order the module wrote them, though they came on two pipes.
    const rows = screen.split('\n').map((row) => /│ (?:▌ )?(line|err) {1,2}(\d{4})\s+│/.exec(row)?.[2]).filter(Boolean);
    expect(rows).toEqual(['0001', '0002', '0003', '0004', '0005', '0006']);
  });
});
