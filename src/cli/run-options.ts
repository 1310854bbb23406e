import { resolve } from 'node:path';
import { PlasmError } from '../core/errors.js';
import type { JobDir, JobOverrides } from '../engine/index.js';
import { nonNegativeInteger, parseCommand, positiveInteger, positiveNumber } from './parse.js';

/** `plasm-tui run` flags, parsed into a plain options object before anything runs. */
export interface RunCommandOptions {
  target: string;
  overrides: JobOverrides;
  stdinText?: string;
  stdinFile?: string;
  receiptPath?: string;
  receiptVersion?: '0.1' | '0.2';
  json: boolean;
  quiet: boolean;
  help: boolean;
  /** Run with a manifest's requested dirs and env this once, without remembering them. */
  allowGrants: boolean;
}

export const RUN_FLAGS = {
  dir: { type: 'string', multiple: true },
  'ro-dir': { type: 'string', multiple: true },
  env: { type: 'string', multiple: true },
  stdin: { type: 'string' },
  'stdin-file': { type: 'string' },
  memory: { type: 'string' },
  timeout: { type: 'string' },
  fuel: { type: 'string' },
  cpu: { type: 'string' },
  'max-output': { type: 'string' },
  module: { type: 'string' },
  receipt: { type: 'string' },
  'receipt-version': { type: 'string' },
  json: { type: 'boolean' },
  'allow-grants': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseRunOptions(argv: string[]): RunCommandOptions {
  // Everything after `--` belongs to the guest, untouched.
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const guest = split === -1 ? [] : argv.slice(split + 1);
  const { values, positionals } = parseCommand('run', own, RUN_FLAGS);
  const [target, ...moreArgs] = positionals;
  if (values.help) return { target: '', overrides: {}, json: false, quiet: false, help: true, allowGrants: false };
  if (!target) throw new PlasmError('usage', 'run needs a module (.wasm, .wat) or a manifest (.json). See `plasm-tui run --help`.');
  if (values.stdin !== undefined && values['stdin-file'] !== undefined) {
    throw new PlasmError('usage', '--stdin and --stdin-file cannot be used together.');
  }
  const receiptVersion = values['receipt-version'];
  if (receiptVersion !== undefined && receiptVersion !== '0.1' && receiptVersion !== '0.2') {
    throw new PlasmError('usage', `--receipt-version is 0.1 or 0.2, not "${receiptVersion}".`);
  }
  const dirs: JobDir[] = [
    ...(values.dir ?? []).map((spec) => parseDir(spec, false)),
    ...(values['ro-dir'] ?? []).map((spec) => parseDir(spec, true)),
  ];
  const args = [...moreArgs, ...guest];
  const overrides: JobOverrides = {
    ...(args.length > 0 || split !== -1 ? { args } : {}),
    ...(values.env ? { env: Object.fromEntries(values.env.map(parseEnv)) } : {}),
    ...(dirs.length > 0 ? { dirs } : {}),
    memory_mb: positiveInteger(values.memory, '--memory'),
    timeout_seconds: positiveNumber(values.timeout, '--timeout'),
    fuel: positiveInteger(values.fuel, '--fuel'),
    cpu_cores: positiveInteger(values.cpu, '--cpu'),
    max_output_bytes: nonNegativeInteger(values['max-output'], '--max-output'),
    module: values.module,
  };
  for (const key of Object.keys(overrides) as (keyof JobOverrides)[]) if (overrides[key] === undefined) delete overrides[key];
  return {
    target,
    overrides,
    stdinText: values.stdin,
    stdinFile: values['stdin-file'],
    receiptPath: values.receipt,
    receiptVersion,
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    help: false,
    allowGrants: values['allow-grants'] ?? false,
  };
}

/** `HOST[::GUEST]`, as wasmtime spells it; the guest path defaults to the host path as given. */
function parseDir(spec: string, readonly: boolean): JobDir {
  const [host, guest, extra] = spec.split('::');
  if (!host || guest === '' || extra !== undefined) {
    throw new PlasmError('usage', `--dir takes HOST or HOST::GUEST (e.g. --dir ./data::/data), not "${spec}".`);
  }
  return { host: resolve(host), guest: guest ?? host, readonly };
}

function parseEnv(spec: string): [string, string] {
  const at = spec.indexOf('=');
  if (at <= 0) throw new PlasmError('usage', `--env takes KEY=VALUE, not "${spec}".`);
  return [spec.slice(0, at), spec.slice(at + 1)];
}
