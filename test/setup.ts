// Every test file gets a temporary folder of its own, removed when the file is done: TMPDIR
// points there, so every mkdtemp a test makes (os.tmpdir()) lands inside it and goes with it,
// whether or not the test cleans up after itself. Its config dir is in there too, so tests never
// touch the user's node key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'plasm-tui-test-'));
process.env.TMPDIR = root;
process.env.XDG_CONFIG_HOME = mkdtempSync(join(root, 'config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
// The daemon's socket (plasm-tui serve) goes in the file's own runtime dir: a test never uses a
// daemon the user, or another test file, has running.
process.env.XDG_RUNTIME_DIR = mkdtempSync(join(root, 'run-'));

// PLASM_TEST_DAEMON=1: every file runs with a daemon (plasm-tui serve) of its own in that runtime
// dir, so the same attacks are tried on jobs that cross its socket (CI runs the containment
// tests this way too).
if (process.env.PLASM_TEST_DAEMON === '1') {
  const { execa } = await import('execa');
  const { BIN } = await import('./helpers/cli.js');
  const { until } = await import('./helpers/poll.js');
  const { beforeAll } = await import('vitest');
  let daemon: ReturnType<typeof execa> | undefined;
  let log = '';
  beforeAll(async () => {
    daemon = execa(process.execPath, [BIN, 'serve'], { reject: false, stdin: 'ignore' });
    daemon.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    await until(() => log.includes('listening on') || daemon?.exitCode !== null, 'the test daemon to listen', 20_000);
    if (!log.includes('listening on')) throw new Error(`the test daemon did not start: ${log}`);
  });
  afterAll(async () => {
    daemon?.kill('SIGTERM');
    await daemon;
  });
}
