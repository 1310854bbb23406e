import { PlasmError } from '../../core/errors.js';
import { readJsonFile } from '../../core/json-file.js';
import { parseReceipt, verifyReceipt, type Bindings } from '../../core/receipt.js';
import { VERIFY_FAILED_EXIT_CODE } from '../../core/status.js';
import { sanitizeLabel } from '../../core/sanitize.js';
import { VERIFY_HELP } from '../help.js';
import { printJson, reportError } from '../output.js';
import { parseCommand } from '../parse.js';
import { readInputFile } from '../read-input.js';

const BINDING_FLAGS = ['module', 'manifest', 'stdin', 'stdout', 'stderr'] as const;

export function verifyCommand(argv: string[]): number {
  try {
    const { values, positionals } = parseCommand('verify', argv, {
      pubkey: { type: 'string' },
      'trust-embedded-key': { type: 'boolean' },
      module: { type: 'string' },
      manifest: { type: 'string' },
      stdin: { type: 'string' },
      stdout: { type: 'string' },
      stderr: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      process.stdout.write(VERIFY_HELP);
      return 0;
    }
    if (positionals.length !== 1) throw new PlasmError('usage', 'verify takes one receipt file. See `plasm-tui verify --help`.');
    const file = positionals[0] as string;
    const receipt = parseReceipt(readJsonFile(file).data, file);
    const bindings: Bindings = {};
    for (const flag of BINDING_FLAGS) {
      const path = values[flag];
      if (path !== undefined) bindings[flag] = readInputFile(path);
    }
    const report = verifyReceipt(receipt, { pubkey: values.pubkey, trustEmbeddedKey: values['trust-embedded-key'], bindings });
    if (values.json) {
      printJson({ file, ...report });
    } else {
      // The file name is the user's, the details quote what the receipt holds: no escapes reach the terminal.
      for (const check of report.checks) process.stdout.write(`${check.ok ? '✓' : '✗'} ${sanitizeLabel(check.name)}: ${sanitizeLabel(check.detail)}\n`);
      for (const warning of report.warnings) process.stderr.write(`plasm-tui: note: ${sanitizeLabel(warning)}\n`);
      process.stdout.write(`${sanitizeLabel(file)}: ${report.ok ? 'verified' : 'verification FAILED'}\n`);
    }
    return report.ok ? 0 : VERIFY_FAILED_EXIT_CODE;
  } catch (error) {
    return reportError(error);
  }
}
