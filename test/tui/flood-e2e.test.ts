/**
 * A module that floods its output gets the same status in the CLI and in the TUI: the output cap
 * ends it (`output_limit`), never the time limit, alone or while every job runs at once; and the
 * TUI comes through it showing the end of the run and answering keys.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { floodWat } from '../helpers/flood-wat.js';
import { KEYS } from '../helpers/pty.js';
import { row, tuiFixtures } from '../helpers/tui-folders.js';

const { folderWith, open } = tuiFixtures();
const CAP = 16 * 1024 * 1024;

/** A folder with `breaks.wat` (nothing but line breaks, forever) and `endless.wat` (one endless line). */
function floods(): string {
  const dir = folderWith();
  writeFileSync(join(dir, 'breaks.wat'), floodWat('\n'));
  writeFileSync(join(dir, 'endless.wat'), floodWat('A'));
  return dir;
}

describe('an output flood', () => {
  it('ends output_limit through plasm-tui run, with exactly the cap kept', async () => {
    const dir = floods();
    for (const name of ['breaks.wat', 'endless.wat']) {
      const result = await cli(['run', join(dir, name)], { encoding: 'buffer' });
      const summary = Buffer.from(result.stderr as unknown as Uint8Array).toString('utf8');
      expect(summary).toContain('output_limit');
      expect(result.exitCode).toBe(125);
      expect((result.stdout as unknown as Uint8Array).length).toBe(CAP);
    }
  });

  it('ends output_limit in the TUI too, alone and with every job running, and the TUI shows the end and answers keys', async () => {
    const dir = floods();
    const tui = open(dir);
    await tui.waitForText('▶ breaks');
    await tui.press(KEYS.enter);
    // The end of the run: its reason as the output's last line, the exit pane, the receipt.
    const end = await tui.waitFor((s) => s.includes('⚠ output limit: The job wrote more than') && s.includes('✓ verified') && !/run #1 ●/.test(s), 'the end of the flood');
    expect(end).not.toMatch(/timeout|⏱/);
    expect(end).toMatch(/│ ⚠ — · output limit/);
    // All 16 MiB of line breaks are in the saved text `p` opens, the reason after them.
    const saved = readFileSync(join(dir, '.plasm', 'receipts', 'breaks.wat', '0001.output.txt'));
    expect(saved.subarray(0, CAP).every((byte) => byte === 10)).toBe(true);
    expect(saved.subarray(CAP).toString('utf8')).toMatch(/^⚠ output limit: The job wrote more than 16777216 bytes to stdout/);
    // Keys still work: g goes to the top of what is kept, where a note says where the rest is.
    await tui.press('g');
    await tui.waitFor((s) => /… \d+ earlier lines are not kept here: p opens all of/.test(s), 'the top of the kept output');

    // Both floods at once (a, then yes).
    await tui.press('a');
    await tui.press('y');
    const both = await tui.waitFor((s) => /run #2( [=≠])? · in:/.test(s) && row(s, 'endless').includes('output limit') && row(s, 'breaks').includes('output limit'), 'both floods to end');
    expect(both).not.toMatch(/timeout|⏱/);
    await tui.press(KEYS.down);
    await tui.waitFor((s) => /▶ endless/.test(s) && s.includes('⚠ output limit: The job wrote more than'), 'the endless line flood, selected');
  });
});
