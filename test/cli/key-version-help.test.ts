// `plasm-tui key`, `version`, `--help`, and what happens with no command or a wrong one.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cli, EXAMPLES, ROOT } from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const configHome = process.env.XDG_CONFIG_HOME as string;
const keyFile = join(configHome, 'plasm-tui', 'node.key');

describe('plasm-tui key', () => {
  // The tests in this block run in order: the first call creates this file's key.
  let first: string;

  test('prints the public key as 64 hex characters, creating the key on first use', async () => {
    const result = await cli(['key']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^[a-f0-9]{64}\n$/);
    expect(result.stderr).toBe(`plasm-tui: created a new node key at ${keyFile}\n`);
    first = String(result.stdout);
  });

  test('prints the same key the second time, quietly', async () => {
    const result = await cli(['key']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(first);
    expect(result.stderr).toBe('');
  });

  test('the key file is readable by its owner only (0600), in a 0700 folder', () => {
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(configHome, 'plasm-tui')).mode & 0o777).toBe(0o700);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  test('--path prints where the key file is', async () => {
    const result = await cli(['key', '--path']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`${keyFile}\n`);
  });

  test('an unknown flag is a usage error', async () => {
    const result = await cli(['key', '--private']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(String(result.stderr).trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain("Unknown option '--private'");
    expect(result.stderr).toContain('plasm-tui key --help');
  });
});

describe('version', () => {
  test.each(['version', '--version', '-V'])('`plasm-tui %s` prints the package version and Node\'s', async (arg) => {
    const result = await cli([arg]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`plasm-tui ${pkg.version} (node ${process.version})\n`);
    expect(result.stdout).toMatch(/^plasm-tui \d+\.\d+\.\d+\S* \(node v\d+\.\d+\.\d+\)\n$/);
    expect(result.stderr).toBe('');
  });
});

describe('help', () => {
  test.each(['--help', '-h', 'help'])('`plasm-tui %s` lists every command', async (arg) => {
    const result = await cli([arg]);
    expect(result.exitCode).toBe(0);
    const help = String(result.stdout);
    for (const command of ['run', 'verify', 'validate', 'key', 'version']) {
      expect(help, command).toMatch(new RegExp(`^  plasm-tui ${command}\\b`, 'm'));
    }
    expect(help).toMatch(/^ {2}plasm-tui \[DIR\]/m);
    expect(result.stderr).toBe('');
  });

  test('`run --help` lists the run options', async () => {
    const result = await cli(['run', '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Usage: plasm-tui run \[options\] <module\.wasm\|module\.wat\|manifest\.json> \[-- args…\]\n/);
    for (const flag of ['--stdin', '--stdin-file', '--env', '--dir', '--memory', '--timeout', '--receipt', '--receipt-version', '--json', '--quiet']) {
      expect(result.stdout, flag).toMatch(new RegExp(`^ +(-\\w, )?${flag}\\b`, 'm'));
    }
  });

  test.each([
    ['verify', /^Usage: plasm-tui verify <receipt\.json> \(--pubkey HEX \| --trust-embedded-key\)/],
    ['validate', /^Usage: plasm-tui validate \[--kind manifest\|receipt\|config\] <file\.json>…/],
    ['key', /^Usage: plasm-tui key \[--path\]/],
  ])('`%s --help` shows its usage', async (command, usage) => {
    const result = await cli([command, '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(usage);
  });
});

describe('no command, or a wrong one', () => {
  test('an unknown command is a usage error (exit 2) in one line', async () => {
    const result = await cli(['frobnicate']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('plasm-tui: "frobnicate" is neither a command nor a folder. See `plasm-tui --help`.\n');
  });

  test('an unknown option is a usage error too', async () => {
    const result = await cli(['--frobnicate']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('plasm-tui: Unknown command or option "--frobnicate". See `plasm-tui --help`.\n');
  });

  test.each([[[] as string[]], [[EXAMPLES]]])('`plasm-tui %j` without a terminal says how to use `run` (exit 2)', async (args) => {
    const result = await cli(args, { cwd: ROOT });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    const lines = String(result.stderr).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^plasm-tui: .*needs an interactive terminal/);
    expect(lines[0]).toContain('plasm-tui run');
  });
});

describe('the examples of `run --help`', () => {
  test('each works as printed, from the plasm-tui folder', async () => {
    const help = String((await cli(['run', '--help'])).stdout);
    const examples = help.slice(help.indexOf('Examples:\n')).split('\n').slice(1).map((line) => line.trim()).filter(Boolean);
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const example of examples) {
      // `echo "TEXT" | plasm-tui run …`: the echo is the stdin; the rest has no quotes.
      const piped = /^echo "([^"]*)" \| (.*)$/.exec(example);
      const command = piped ? (piped[2] as string) : example;
      const [bin, ...args] = command.split(/\s+/);
      expect(bin).toBe('plasm-tui');
      const result = await cli(args, { cwd: ROOT, input: piped ? `${piped[1]}\n` : '' });
      expect(result.exitCode, `${example}\n${String(result.stderr)}`).toBe(0);
    }
  });
});
