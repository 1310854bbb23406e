import { PlasmError } from '../../core/errors.js';
import { readJsonFile } from '../../core/json-file.js';
import { parseReceipt, verifyReceipt, type Bindings } from '../../core/receipt.js';
import { VERIFY_FAILED_EXIT_CODE } from '../../core/status.js';
import { sanitizeLabel } from '../../core/sanitize.js';
import { VERIFY_HELP } from '../help.js';
import { printJson, reportError } from '../output.js';
import { parseCommand } from '../parse.js';
import { readInputFile } from '../read-input.js';
import { loadConfig } from '../../core/config.js';
import { loadOrCreateNodeKey } from '../../core/keys.js';
import { createEngine, createWarmPool } from '../../engine/index.js';
import { notReplayable, replayReceipt, type ReplayReport } from '../../engine/replay.js';
import type { Receipt } from '../../core/receipt.js';
import { parseDir } from '../run-options.js';

/** Runs the receipt's job again (deterministic mode, nothing signed) and compares. */
async function replay(receipt: Receipt, module: string, stdinFile: string | undefined, dirs: string[]): Promise<ReplayReport> {
  const engine = createEngine({ config: loadConfig(), key: loadOrCreateNodeKey, sandbox: createWarmPool({ spares: 0 }) });
  const controller = new AbortController();
  const cancel = (): void => controller.abort();
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  try {
    return await replayReceipt(engine, receipt, {
      module,
      stdin: stdinFile === undefined ? undefined : readInputFile(stdinFile),
      dirs: dirs.map((spec) => parseDir(spec, true)),
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
    await engine.close();
  }
}

const BINDING_FLAGS = ['module', 'manifest', 'stdin', 'stdout', 'stderr'] as const;

export async function verifyCommand(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommand('verify', argv, {
      pubkey: { type: 'string' },
      'trust-embedded-key': { type: 'boolean' },
      module: { type: 'string' },
      manifest: { type: 'string' },
      stdin: { type: 'string' },
      stdout: { type: 'string' },
      stderr: { type: 'string' },
      replay: { type: 'boolean' },
      dir: { type: 'string', multiple: true },
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
    if (values.dir && !values.replay) throw new PlasmError('usage', '--dir gives a replay its input trees: use it with --replay.');
    if (values.replay) {
      const why = notReplayable(receipt);
      if (why) throw new PlasmError('usage', `${file}: ${why}`);
      if (values.module === undefined) throw new PlasmError('usage', '--replay needs the module: --module FILE (its hash must be the receipt\'s module_hash).');
    }
    const bindings: Bindings = {};
    // A replay checks the module and stdin itself, before it runs them.
    for (const flag of BINDING_FLAGS.filter((f) => !values.replay || (f !== 'module' && f !== 'stdin'))) {
      const path = values[flag];
      if (path !== undefined) bindings[flag] = readInputFile(path);
    }
    const report = verifyReceipt(receipt, { pubkey: values.pubkey, trustEmbeddedKey: values['trust-embedded-key'], bindings });
    if (values.replay && report.ok) {
      const replayed = await replay(receipt, values.module as string, values.stdin, values.dir ?? []);
      report.checks.push(...replayed.checks);
      report.ok = replayed.ok;
    } else if (values.replay) {
      report.warnings.push('The receipt failed its own checks, so its job was not replayed.');
    }
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
