// `plasm-tui worker` at its edge: what it needs, said in one sentence before it connects anywhere.
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

describe('plasm-tui worker', () => {
  it('--help says how to start one and what it serves', async () => {
    const result = await cli(['worker', '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Usage: plasm-tui worker --redis redis:\/\/HOST:PORT/);
    expect(result.stdout).toContain('--allow-dir H::G');
    expect((await cli(['--help'])).stdout).toContain('plasm-tui worker --redis redis://HOST:PORT');
  });

  it.each([
    [[], 2, 'plasm-tui: worker needs --redis redis://HOST:PORT (the Redis its queue lives on). See `plasm-tui worker --help`.\n'],
    [['--redis', 'http://127.0.0.1:6379'], 2, 'plasm-tui: --redis takes a Redis URL like redis://127.0.0.1:6379, not "http://127.0.0.1:6379".\n'],
    [['--redis', 'redis://127.0.0.1:1', '--concurrency', '0'], 2, 'plasm-tui: --concurrency takes a whole number of at least 1, not "0".\n'],
    [['--redis', 'redis://127.0.0.1:1', '--allow-dir', '/no/such/folder::/data'], 66, 'plasm-tui: --allow-dir: /no/such/folder is not a folder.\n'],
    [['--redis', 'redis://127.0.0.1:1', '--allow-dir', '/tmp'], 2, 'plasm-tui: --allow-dir takes HOST::GUEST (e.g. --allow-dir ./data::/data), not "/tmp".\n'],
    [['--redis', 'redis://127.0.0.1:1', 'extra'], 2, 'plasm-tui: worker takes no arguments, only options, not "extra". See `plasm-tui worker --help`.\n'],
  ])('refuses %j with one sentence', async (args, code, message) => {
    const result = await cli(['worker', ...args]);
    expect(result.stderr).toBe(message);
    expect(result.exitCode).toBe(code);
  });
});
