// Every test file gets its own config dir, so tests never touch the user's node key.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'plasm-tui-test-config-'));
