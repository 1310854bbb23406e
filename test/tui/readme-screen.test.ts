// The README's screen is what the app shows for the flow it describes (scripts/readme-screen.mjs),
// times, hashes and keys aside.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

describe('README screen', () => {
  it('matches the app at 100×30 after hello runs with Hello, World', async () => {
    const { readmeScreen, comparable } = await import('../../scripts/readme-screen.mjs');
    const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
    const start = readme.indexOf('```\n plasm-tui · wasm-examples') + 4;
    const shown = readme.slice(start, readme.indexOf('```', start)).replace(/\s+$/, '');
    expect(comparable(await readmeScreen(100, 30))).toBe(comparable(shown));
  });
});
