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
