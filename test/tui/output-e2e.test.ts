/**
 * Output past what the pane keeps, in a real terminal: the notice sits above the lines it is
 * about, and the whole output, saved beside the receipt, opens in $PAGER.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countingWat } from '../helpers/counting-wat.js';
import { KEYS } from '../helpers/pty.js';
import { tuiFixtures } from '../helpers/tui-folders.js';

const { folderWith, open } = tuiFixtures();
const scratch = mkdtempSync(join(tmpdir(), 'plasm-tui-pager-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('long output', () => {
  it('keeps all of it beside the receipt, says so above the lines it shows, and opens it in $PAGER with p', async () => {
    const dir = folderWith();
    writeFileSync(join(dir, 'many.wat'), countingWat(6000, 0, 1000));
    const pager = join(scratch, 'pager.sh');
    const seen = join(scratch, 'seen.txt');
    writeFileSync(pager, `#!/bin/sh\ncp "$1" '${seen}'\n`);
    chmodSync(pager, 0o755);
    const tui = open(dir, { env: { PAGER: pager } });
    await tui.waitForText('▶ many');
    await tui.press(KEYS.enter);
    await tui.waitFor((s) => s.includes('line 5999') && s.includes('✓ verified'), 'the end of the run');
    await tui.press('g');
    const top = await tui.waitForText('earlier lines are not kept here');
    const rows = top.split('\n');
    const noteRow = rows.findIndex((row) => row.includes('… '));
    const firstLine = rows.findIndex((row) => /line \d{4}/.test(row));
    // The notice is above the lines, on whole words, and says where the rest is.
    expect(noteRow).toBeGreaterThan(0);
    expect(noteRow).toBeLessThan(firstLine);
    expect(top).toMatch(/p opens all of it/);
    await tui.press('p');
    await tui.waitFor(() => {
      try {
        return readFileSync(seen, 'utf8').length > 0;
      } catch {
        return false;
      }
    }, 'the pager to be given the file');
    const text = readFileSync(seen, 'utf8').split('\n');
    expect(text).toHaveLength(6001);
    expect(text[0]).toBe('line 0001');
    expect(text.at(-1)).toBe('');
    // stdout's lines in order, stderr's marked (how the two interleave is the pipes' business).
    expect(text.filter((line) => line.startsWith('line '))).toEqual(Array.from({ length: 6000 }, (_, i) => `line ${String(i + 1).padStart(4, '0')}`).filter((_, i) => (i + 1) % 1000 !== 0));
    expect(text.filter((line) => line.startsWith('▌ '))).toEqual(['▌ err  1000', '▌ err  2000', '▌ err  3000', '▌ err  4000', '▌ err  5000', '▌ err  6000']);
    // The screen is back whole after the pager had the terminal.
    await tui.waitForText('Jobs (1)');
    expect(readFileSync(join(dir, '.plasm', 'receipts', 'many.wat', '0001.output.txt'), 'utf8')).toBe(text.join('\n'));
  });
});

describe('the header notice', () => {
  it('names the file that changed, and goes away after a few seconds', async () => {
    const dir = folderWith('hello.wat');
    writeFileSync(join(dir, 'greet.manifest.json'), JSON.stringify({ version: '0.2', name: 'greet', module: 'hello.wat' }));
    const tui = open(dir);
    await tui.waitForText('▶ greet');
    await tui.press(KEYS.enter);
    await tui.waitFor((s) => s.includes('✓ verified'), 'the first run');
    writeFileSync(join(dir, 'hello.wat'), readFileSync(join(dir, 'hello.wat'), 'utf8').replaceAll('hello from wat', 'HELLO FROM WAT'));
    await tui.waitForText('hello.wat changed: rerunning greet');
    await tui.waitForText('HELLO FROM WAT');
    await tui.waitForNoText('changed: rerunning', 8000);
  });
});

describe('comparing runs', () => {
  it('D shows how the output differs from the run before, through $PAGER', async () => {
    const pager = join(scratch, 'diff-pager.sh');
    const seen = join(scratch, 'diff.txt');
    writeFileSync(pager, `#!/bin/sh\ncat > '${seen}'\n`);
    chmodSync(pager, 0o755);
    const tui = open(folderWith('echo.wat'), { env: { PAGER: pager } });
    await tui.waitForText('▶ echo');
    await tui.press('i');
    await tui.typeKeys('one');
    await tui.press(KEYS.enter);
    await tui.waitFor((s) => s.includes('✓ verified') && s.includes('run #1'), 'run #1');
    await tui.press('i', '\x7f', '\x7f', '\x7f');
    await tui.typeKeys('two');
    await tui.press(KEYS.enter);
    await tui.waitFor((s) => s.includes('✓ verified') && s.includes('run #2 ≠'), 'run #2');
    await tui.press('D');
    await tui.waitFor(() => {
      try {
        return readFileSync(seen, 'utf8').includes('+two');
      } catch {
        return false;
      }
    }, 'the diff in the pager');
    expect(readFileSync(seen, 'utf8')).toMatch(/^-one$/m);
    await tui.waitForText('Jobs (1)');
  });
});
