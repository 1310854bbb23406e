/**
 * A burst of rebuilds in watch mode, in a real terminal: every build that is seen runs at most
 * once, a run still going when a newer build lands is cancelled, and the last build's run is
 * the one on screen.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/core/hash.js';
import { countingWat } from '../helpers/counting-wat.js';
import { KEYS, sleep } from '../helpers/pty.js';
import { tuiFixtures } from '../helpers/tui-folders.js';

const { folderWith, open } = tuiFixtures();

describe('watch mode under a burst of rebuilds', () => {
  it('runs each build at most once, cancels what a newer build replaced, and ends on the last build', async () => {
    const dir = folderWith();
    // Builds 1–4 print forever, so a run of one ends only when a newer build cancels it, however
    // slow the machine; the first and the last print three lines and end.
    const build = (n: number): string => countingWat(n === 0 || n === 5 ? 3 : 1_000_000, 100).replaceAll('"line 0000\\n"', `"b${n}   0000\\n"`);
    writeFileSync(join(dir, 'app.wat'), build(0));
    const tui = open(dir);
    await tui.waitForText('▶ app');
    await tui.press(KEYS.enter);
    await tui.waitFor((s) => s.includes('✓ verified'), 'the first run');
    // Five builds, 150 ms apart: each lands while the run before may still be going.
    for (let n = 1; n <= 5; n++) {
      writeFileSync(join(dir, 'app.wat'), build(n));
      await sleep(150);
    }
    await tui.waitFor((s) => s.includes('b5   0003') && s.includes('✓ verified'), 'the last build run to its end');
    await sleep(500);
    const folder = join(dir, '.plasm', 'receipts', 'app.wat');
    const receipts = readdirSync(folder)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => JSON.parse(readFileSync(join(folder, name), 'utf8')) as { module_hash: string; status: string });
    const hashes = receipts.map((receipt) => receipt.module_hash);
    // No build ran twice.
    expect(new Set(hashes).size).toBe(hashes.length);
    // The last build ran, last, to its end; every run it replaced was cancelled, not left running.
    expect(receipts.at(-1)).toMatchObject({ module_hash: sha256(build(5)), status: 'ok' });
    const okRuns = receipts.filter((receipt) => receipt.status === 'ok').map((receipt) => receipt.module_hash);
    expect(okRuns.at(-1)).toBe(sha256(build(5)));
    const replaced = receipts.slice(1, -1);
    expect(replaced.map((receipt) => receipt.status)).toEqual(replaced.map(() => 'cancelled'));
  });
});
