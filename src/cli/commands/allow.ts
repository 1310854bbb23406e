import { loadConfig } from '../../core/config.js';
import { loadOrCreateNodeKey } from '../../core/keys.js';
import { sanitizeLabel } from '../../core/sanitize.js';
import { createEngine, describeGrants, grantRequest } from '../../engine/index.js';
import { ALLOW_HELP } from '../help.js';
import { reportError } from '../output.js';
import { parseCommand } from '../parse.js';
import { PlasmError } from '../../core/errors.js';

/**
 * `plasm-tui allow <manifest>…`: shows what each manifest asks for (host paths resolved, read-only
 * or read-write, env names) and remembers the user's consent to exactly that; `--revoke` forgets it.
 */
export function allowCommand(argv: string[]): number {
  try {
    const { values, positionals } = parseCommand('allow', argv, { revoke: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      process.stdout.write(ALLOW_HELP);
      return 0;
    }
    if (positionals.length === 0) throw new PlasmError('usage', 'allow needs a manifest. See `plasm-tui allow --help`.');
    const engine = createEngine({ config: loadConfig(), key: () => loadOrCreateNodeKey() });
    for (const target of positionals) {
      const spec = engine.resolve(target);
      const request = grantRequest(spec);
      const name = sanitizeLabel(target);
      if (!request) {
        process.stdout.write(`${name} asks for no dirs or env: it needs no allowing.\n`);
        continue;
      }
      if (values.revoke) {
        const revoked = engine.revoke(request);
        process.stdout.write(revoked ? `${name}: its grants are no longer allowed.\n` : `${name}: its grants were not allowed; nothing to revoke.\n`);
        continue;
      }
      process.stdout.write(`${name} asks for:\n${describeGrants(request).map((line) => `  ${sanitizeLabel(line)}\n`).join('')}`);
      engine.allow(request);
      process.stdout.write(`allowed: it runs with these grants until the manifest asks for something else.\n`);
    }
    return 0;
  } catch (error) {
    return reportError(error);
  }
}
