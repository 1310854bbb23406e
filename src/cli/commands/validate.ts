import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PlasmError, isPlasmError } from '../../core/errors.js';
import { readJsonFile } from '../../core/json-file.js';
import { validateManifest } from '../../core/manifest.js';
import { parseReceipt } from '../../core/receipt.js';
import { sanitizeLabel } from '../../core/sanitize.js';
import { schemaErrors } from '../../core/schemas.js';
import { VALIDATE_HELP } from '../help.js';
import { printJson, reportError } from '../output.js';
import { parseCommand } from '../parse.js';
import { ERROR_EXIT_CODES } from '../exit-codes.js';

type Kind = 'manifest' | 'receipt' | 'config';

interface Verdict {
  file: string;
  kind: Kind | null;
  ok: boolean;
  errors: string[];
}

/** Exit 0 when every file is valid; 65 when one is invalid; else 66 when one does not exist (README, outside a run). */
const INVALID = ERROR_EXIT_CODES.invalid;
const MISSING = ERROR_EXIT_CODES.not_found;

export function validateCommand(argv: string[]): number {
  try {
    const { values, positionals } = parseCommand('validate', argv, {
      kind: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      process.stdout.write(VALIDATE_HELP);
      return 0;
    }
    const forced = values.kind;
    if (forced !== undefined && forced !== 'manifest' && forced !== 'receipt' && forced !== 'config') {
      throw new PlasmError('usage', `--kind is manifest, receipt or config, not "${forced}".`);
    }
    if (positionals.length === 0) throw new PlasmError('usage', 'validate needs at least one file. See `plasm-tui validate --help`.');
    const missing = new Set<string>();
    const verdicts = positionals.map((file) => validateFile(file, forced, missing));
    if (values.json) printJson(verdicts);
    // File names and schema errors quote what the files hold (keys, paths): no escapes reach the terminal.
    for (const verdict of values.json ? [] : verdicts) {
      if (verdict.ok) process.stdout.write(`ok ${sanitizeLabel(verdict.file)} (${verdict.kind ?? 'file'})\n`);
      else for (const error of verdict.errors) process.stderr.write(`plasm-tui: ${sanitizeLabel(error)}\n`);
    }
    if (verdicts.every((v) => v.ok)) return 0;
    return verdicts.some((v) => !v.ok && !missing.has(v.file)) ? INVALID : MISSING;
  } catch (error) {
    return reportError(error);
  }
}

function validateFile(file: string, forced: Kind | undefined, missing: Set<string>): Verdict {
  let kind: Kind | null = forced ?? null;
  try {
    const data = readJsonFile(file).data;
    kind ??= typeof data === 'object' && data !== null && 'signature' in data ? 'receipt' : 'manifest';
    if (kind === 'receipt') parseReceipt(data, file);
    else if (kind === 'config') {
      const errors = schemaErrors('config', data, file);
      if (errors.length > 0) return { file, kind, ok: false, errors };
    } else {
      const manifest = validateManifest(data, file);
      if (manifest.version === '0.2') {
        const module = resolve(dirname(file), manifest.module);
        if (!existsSync(module)) return { file, kind, ok: false, errors: [`${file}: /module names ${module}, which does not exist`] };
      }
    }
    return { file, kind, ok: true, errors: [] };
  } catch (error) {
    if (!isPlasmError(error)) throw error;
    if (error.kind === 'not_found') missing.add(file);
    return { file, kind, ok: false, errors: [error.message, ...error.details] };
  }
}
