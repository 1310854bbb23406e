/**
 * Where the keyboard goes, in a real terminal: after ⏎ in the stdin field the job list has it
 * again, so shortcut letters act instead of becoming the next run's input.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WAT } from '../helpers/cli.js';
import { KEYS } from '../helpers/pty.js';
import { tuiFixtures } from '../helpers/tui-folders.js';

const { folderWith, open } = tuiFixtures();

describe('focus in the TUI', () => {
  it('⏎ in the stdin field runs and gives the keys back to the list: x cancels, nothing is typed', async () => {
    const tui = open(folderWith('sleep.wat'));
    await tui.waitForText('▶ sleep');
    await tui.press('i');
    await tui.waitForText('esc done');
    await tui.typeKeys('ab');
    await tui.waitForText('› ab');
    await tui.press(KEYS.enter);
    await tui.waitForText(/sleep\s+● /);
    // The footer shows the list's keys again.
    await tui.waitForText('x cancel');
    await tui.press('x');
    const screen = await tui.waitForText('⊘ — · cancelled');
    expect(screen).toContain('› ab');
    expect(screen).not.toContain('› abx');
  });

  it('takes Esc and the key after it as two presses when they arrive in one read', async () => {
    const tui = open(folderWith('hello.wasm', 'exit-42.wat'));
    await tui.waitForText('▶ exit-42');
    await tui.press('/');
    await tui.type('hel');
    await tui.waitForText('▶ hello');
    // Esc clears the filter, ↓ then moves in the list: one write, as a busy terminal delivers it.
    await tui.type(`${KEYS.esc}${KEYS.up}`);
    await tui.waitForText('Jobs (2)');
    await tui.waitForText('▶ exit-42');
    await tui.press('i');
    await tui.waitForText('esc done');
    await tui.type(`${KEYS.esc}q`);
    expect(await tui.waitForExit()).toMatchObject({ exitCode: 0 });
  });

  it('keeps the selection on its job when a file that sorts before it appears', async () => {
    const dir = folderWith('exit-42.wat');
    const tui = open(dir);
    await tui.waitForText('▶ exit-42');
    copyFileSync(join(WAT, 'echo.wat'), join(dir, 'echo.wat'));
    await tui.waitForText('Jobs (2)');
    expect(tui.screen()).toContain('▶ exit-42');
    await tui.press(KEYS.enter);
    await tui.waitForText('✗ 42 · exit');
  });
});

describe('r and ⏎', () => {
  it('r reruns the selected job with the input of its last run, and the output says which input made it', async () => {
    const tui = open(folderWith('echo.wat', 'exit-42.wat'));
    await tui.waitForText('▶ echo');
    await tui.press('i');
    await tui.typeKeys('first input');
    await tui.press(KEYS.enter);
    await tui.waitFor((s) => s.includes('✓ verified') && /run #1 · in: first input/.test(s), 'echo run #1 with its input named');
    // The field changes; r still repeats the run on screen, ⏎ takes the field.
    await tui.press('i');
    await tui.typeKeys(' and more');
    await tui.press(KEYS.esc);
    await tui.press('r');
    await tui.waitFor((s) => /run #2 = · in: first input/.test(s) && s.includes('✓ verified'), 'echo run #2 with the same input');
    await tui.press(KEYS.enter);
    await tui.waitFor((s) => /run #3 ≠ · in: first input and mo/.test(s) && s.includes('✓ verified'), 'echo run #3 with the field');
    // Another job selected: r runs that one, not the last one run.
    await tui.press(KEYS.down);
    await tui.waitForText('▶ exit-42');
    await tui.press('r');
    const screen = await tui.waitForText('✗ 42 · exit');
    expect(screen).toMatch(/Output · exit-42 .*run #1/);
  });
});

describe('the environment', () => {
  it('draws its screen with CI=true in the environment (Ink would draw nothing)', async () => {
    const tui = open(folderWith('hello.wasm'), { env: { CI: 'true' } });
    await tui.waitForText('▶ hello');
    await tui.waitForText('q quit');
  });
});
