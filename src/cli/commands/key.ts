import { existsSync } from 'node:fs';
import { keyPath, loadOrCreateNodeKey } from '../../core/keys.js';
import { KEY_HELP } from '../help.js';
import { reportError } from '../output.js';
import { parseCommand } from '../parse.js';

export function keyCommand(argv: string[]): number {
  try {
    const { values } = parseCommand('key', argv, { path: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      process.stdout.write(KEY_HELP);
      return 0;
    }
    const path = keyPath();
    const existed = existsSync(path);
    const key = loadOrCreateNodeKey(path);
    if (!existed) process.stderr.write(`plasm-tui: created a new node key at ${path}\n`);
    process.stdout.write(`${values.path ? key.path : key.publicKeyHex}\n`);
    return 0;
  } catch (error) {
    return reportError(error);
  }
}
