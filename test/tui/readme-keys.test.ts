// The README's key table is generated from the same table as the help screen and the dispatch.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HELP_SECTIONS, KEYS } from '../../src/tui/keys.js';
import { ROOT } from '../helpers/cli.js';

describe('README key table', () => {
  it('lists every binding of src/tui/keys.ts, as scripts/keys-table.mjs prints it', async () => {
    const { keysTable } = await import('../../scripts/keys-table.mjs');
    const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
    expect(readme).toContain(keysTable(HELP_SECTIONS));
    for (const binding of KEYS) expect(readme).toContain(`\`${binding.key}\` | ${binding.description} |`);
  });
});
