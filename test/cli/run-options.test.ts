// `plasm-tui run`'s options are declared once (src/cli/run-options.ts): parsing, `run --help` and
// the README's table come from that declaration, and each option's reach — the override it fills,
// the config key giving its default, the manifest key, the SDK method — exists. Adding an option
// that the help, the README, the config, a manifest or the SDK misses fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_HELP } from '../../src/cli/help.js';
import { parseRunOptions, RUN_OPTIONS, runOptionsTable } from '../../src/cli/run-options.js';
import { Job } from '../../src/sdk/index.js';
import { ROOT } from '../helpers/cli.js';

const schema = (name: string): { properties: Record<string, { default?: unknown }> } => JSON.parse(readFileSync(join(ROOT, 'schemas', `${name}.schema.json`), 'utf8'));
const options = Object.entries(RUN_OPTIONS) as [string, (typeof RUN_OPTIONS)[keyof typeof RUN_OPTIONS] & { override?: string; config?: string; manifest?: string; sdk?: string }][];

describe('run options, declared once', () => {
  it('the README shows every option, as the declaration says', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(runOptionsTable());
    for (const [, option] of options) expect(readme).toContain(`| \`${option.usage}\` |`);
  });

  it('run --help shows every option with its help', () => {
    for (const [, option] of options) {
      expect(RUN_HELP).toContain(`  ${option.usage}`);
      expect(RUN_HELP).toContain(option.help.split('\n')[0]);
    }
  });

  it('each option reaches what it says: a config default, a manifest key, an SDK method', () => {
    const config = schema('config').properties;
    const manifest = schema('manifest-v0.2').properties;
    for (const [name, option] of options) {
      if (option.config) expect(Object.keys(config[option.config] ?? {}), `${name}: config ${option.config}`).toContain('default');
      if (option.manifest) expect(manifest, `${name}: manifest ${option.manifest}`).toHaveProperty(option.manifest);
      if (option.sdk) expect(typeof (Job.prototype as unknown as Record<string, unknown>)[option.sdk], `${name}: Job.${option.sdk}`).toBe('function');
    }
  });

  it('parses each limit into the override it declares', () => {
    const parsed = parseRunOptions(['--memory', '64', '--timeout', '1.5', '--max-output', '0', '--cpu', '2', '--fuel', '9', 'm.wasm']);
    expect(parsed.overrides).toEqual({ memory_mb: 64, timeout_seconds: 1.5, max_output_bytes: 0, cpu_cores: 2, fuel: 9 });
    expect(() => parseRunOptions(['--memory', '0', 'm.wasm'])).toThrow('--memory takes a whole number of at least 1, not "0".');
  });
});

describe('watch --help', () => {
  it('names every event type of schemas/event.schema.json', async () => {
    const { WATCH_HELP } = await import('../../src/cli/help.js');
    const events = JSON.parse(readFileSync(join(ROOT, 'schemas', 'event.schema.json'), 'utf8')) as { oneOf: { properties: { type: { const?: string; enum?: string[] } } }[] };
    const types = events.oneOf.flatMap((variant) => variant.properties.type.enum ?? [variant.properties.type.const as string]);
    expect(types.length).toBeGreaterThan(8);
    for (const type of types) expect(WATCH_HELP, type).toMatch(new RegExp(`\\b${type}\\b`));
  });
});
