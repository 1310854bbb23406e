/** Help uses the width: whole descriptions, columns as wide as their lines, more pages when needed. */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { HelpOverlay } from '../../src/tui/components/HelpOverlay.js';
import { KEYS } from '../../src/tui/keys.js';
import { helpPages } from '../../src/tui/state/help-pages.js';
import { ESC, moduleJob, setup } from './tui-harness.js';

describe('help layout', () => {
  it('shows every description whole at 80×24, over as many pages as it takes, each page using the width', () => {
    // 80×24: the overlay is 80×21, its inside 76×19.
    const pages = helpPages(76, 19);
    expect(pages.length).toBeGreaterThan(1);
    const shown: string[] = [];
    for (let page = 0; page < pages.length; page++) {
      const frame = render(<HelpOverlay width={80} height={21} page={page} />).lastFrame() ?? '';
      expect(frame.split('\n')).toHaveLength(21);
      shown.push(frame);
      // No column is cut: each page is as wide as the screen allows, none of it wasted on a near-empty column.
      const used = (pages[page] ?? []).reduce((sum, column, i) => sum + column.width + (i > 0 ? 3 : 0), 0);
      expect(used).toBeLessThanOrEqual(76);
      if (page < pages.length - 1) expect(used).toBeGreaterThan(76 / 2);
    }
    const all = shown.join('\n');
    for (const binding of KEYS) expect(all, binding.key).toContain(`${binding.key.padEnd(8)}${binding.description}`);
    expect(shown[0]).toContain(`page 1/${pages.length}`);
  });

  it('fits on one page where there is room (100×30)', () => {
    expect(helpPages(96, 25)).toHaveLength(1);
  });

  it('turns the page with space in the app, and back to the first after the last', async () => {
    const { waitFor, press } = setup([moduleJob('alpha')], { columns: 80, rows: 24 });
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press('?');
    const first = await waitFor((f) => f.includes('page 1/'), 'help, page 1');
    expect(first).toContain('run (asks if running)');
    await press(' ');
    const second = await waitFor((f) => f.includes('page 2/'), 'page 2');
    expect(second).toContain('quit, cancelling runs');
    const count = helpPages(76, 19).length;
    for (let i = 2; i < count; i++) await press(' ');
    await press(' ');
    await waitFor((f) => f.includes('page 1/'), 'the first page again');
    await press(ESC);
    await waitFor((f) => f.includes('▶ alpha'), 'the list again');
  });
});
