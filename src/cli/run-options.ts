import { resolve } from 'node:path';
import { PlasmError } from '../core/errors.js';
import { RECEIPT_VERSIONS, type ReceiptVersion } from '../core/receipt.js';
import type { JobDir, JobOverrides } from '../engine/index.js';
import { nonNegativeInteger, parseCommand, positiveInteger, positiveNumber } from './parse.js';
import { receiptTarget, type ReceiptTarget } from './receipt-target.js';

/** `plasm-tui run` flags, parsed into a plain options object before anything runs. */
export interface RunCommandOptions {
  target: string;
  overrides: JobOverrides;
  stdinText?: string;
  stdinFile?: string;
  /** Where the signed receipt goes besides the result: a file, or the next number in a folder or a {n} pattern. */
  receipt?: ReceiptTarget;
  receiptVersion?: ReceiptVersion;
  json: boolean;
  quiet: boolean;
  /** On a terminal, the module's output byte for byte instead of sanitised. */
  raw: boolean;
  help: boolean;
  /** Run with a manifest's requested dirs and env this once, without remembering them. */
  allowGrants: boolean;
}

type Section = 'input' | 'limits' | 'output';

/**
 * Every `plasm-tui run` option, declared once: its parseArgs flag, its line in `run --help`
 * (help.ts renders them in this order, by section) and, below, the options key it fills.
 */
export const RUN_OPTIONS = {
  stdin: { flag: { type: 'string' }, section: 'input', usage: '--stdin TEXT', help: "the job's stdin" },
  'stdin-file': {
    flag: { type: 'string' },
    section: 'input',
    usage: '--stdin-file PATH',
    help: "the job's stdin from a file (- for this process's stdin)\n(otherwise piped stdin is used; an empty pipe keeps a manifest's stdin)",
  },
  env: { flag: { type: 'string', multiple: true }, section: 'input', usage: '--env KEY=VALUE', help: 'grant an environment variable (repeatable); nothing else is visible' },
  dir: { flag: { type: 'string', multiple: true }, section: 'input', usage: '--dir HOST[::GUEST]', help: 'preopen a host directory, read-write (repeatable)' },
  'ro-dir': { flag: { type: 'string', multiple: true }, section: 'input', usage: '--ro-dir HOST[::GUEST]', help: 'preopen a host directory, read-only (repeatable)' },
  module: { flag: { type: 'string' }, section: 'input', usage: '--module PATH', help: 'the module for a v0.1 manifest (else found by its hash beside the manifest)' },
  'allow-grants': {
    flag: { type: 'boolean' },
    section: 'input',
    usage: '--allow-grants',
    help: "run with the dirs and env the manifest asks for, this once; otherwise a\nmanifest's grants must be allowed first with `plasm-tui allow` (exit 77)",
  },
  deterministic: {
    flag: { type: 'boolean' },
    section: 'input',
    usage: '--deterministic',
    help: 'a virtual clock run by fuel, seeded random, sorted dirs, stat from content:\nthe same job gives the same output and fuel, and a v0.3 receipt that\n`plasm-tui verify --replay` checks by running it again; read-only dirs only',
  },
  seed: { flag: { type: 'string' }, section: 'input', usage: '--seed HEX', help: "deterministic mode's random seed, 1-64 hex digits (default: from the job)" },
  memory: { flag: { type: 'string' }, section: 'limits', usage: '--memory MB', help: 'memory cap; memory.grow past it fails' },
  timeout: { flag: { type: 'string' }, section: 'limits', usage: '--timeout SECONDS', help: 'wall-clock limit; the job is killed when it passes' },
  'max-output': { flag: { type: 'string' }, section: 'limits', usage: '--max-output BYTES', help: 'cap on captured stdout and on stderr, each' },
  cpu: { flag: { type: 'string' }, section: 'limits', usage: '--cpu N', help: 'recorded in the receipt (WASI preview 1 guests use one core)' },
  fuel: {
    flag: { type: 'string' },
    section: 'limits',
    usage: '--fuel N',
    help: "meter the guest's executed wasm instructions; past N the job ends\nfuel_exhausted (125); fuel_consumed is the same on every run",
  },
  json: {
    flag: { type: 'boolean' },
    section: 'output',
    usage: '--json',
    help: 'print one JSON report on stdout instead (status, exit_code, message,\nstdout, stderr, timing, usage, receipt)',
  },
  receipt: {
    flag: { type: 'string' },
    section: 'output',
    usage: '--receipt PATH',
    help: 'also write the signed receipt to PATH (never overwritten); into a folder\n(DIR/) as its next NNNN.json; PATH with {n} (out/{n}.json): the next number',
  },
  'receipt-version': { flag: { type: 'string' }, section: 'output', usage: '--receipt-version V', help: '0.2 (default), 0.3 (binds the whole job; always so with\n--deterministic) or 0.1 (the seed format; binds no input or output)' },
  raw: {
    flag: { type: 'boolean' },
    section: 'output',
    usage: '--raw',
    help: "on a terminal, write the module's output byte for byte, escape sequences\nincluded (otherwise they are dropped and controls shown as ^X there)",
  },
  quiet: { flag: { type: 'boolean', short: 'q' }, section: 'output', usage: '-q, --quiet', help: 'no summary line on stderr' },
  help: { flag: { type: 'boolean', short: 'h' }, section: 'output', usage: '-h, --help', help: 'this help' },
} as const satisfies Record<string, { flag: { type: 'string' | 'boolean'; multiple?: boolean; short?: string }; section: Section; usage: string; help: string }>;

type RunFlags = { [K in keyof typeof RUN_OPTIONS]: (typeof RUN_OPTIONS)[K]['flag'] };

/** The parseArgs options, taken from the declarations above. */
export const RUN_FLAGS = Object.fromEntries(Object.entries(RUN_OPTIONS).map(([name, option]) => [name, option.flag])) as RunFlags;

export function parseRunOptions(argv: string[]): RunCommandOptions {
  // Everything after `--` belongs to the guest, untouched.
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const guest = split === -1 ? [] : argv.slice(split + 1);
  const { values, positionals } = parseCommand('run', own, RUN_FLAGS);
  const [target, ...moreArgs] = positionals;
  if (values.help) return { target: '', overrides: {}, json: false, quiet: false, raw: false, help: true, allowGrants: false };
  if (!target) throw new PlasmError('usage', 'run needs a module (.wasm, .wat) or a manifest (.json). See `plasm-tui run --help`.');
  if (values.stdin !== undefined && values['stdin-file'] !== undefined) {
    throw new PlasmError('usage', '--stdin and --stdin-file cannot be used together.');
  }
  const receiptVersion = values['receipt-version'] as ReceiptVersion | undefined;
  if (receiptVersion !== undefined && !RECEIPT_VERSIONS.includes(receiptVersion)) {
    throw new PlasmError('usage', `--receipt-version is 0.1, 0.2 or 0.3, not "${receiptVersion}".`);
  }
  if (values.deterministic && receiptVersion !== undefined && receiptVersion !== '0.3') {
    throw new PlasmError('usage', `a deterministic run's receipt is v0.3 (the first to bind the whole job), not v${receiptVersion}.`);
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
    deterministic: values.deterministic,
    seed: values.seed,
  };
  for (const key of Object.keys(overrides) as (keyof JobOverrides)[]) if (overrides[key] === undefined) delete overrides[key];
  return {
    target,
    overrides,
    stdinText: values.stdin,
    stdinFile: values['stdin-file'],
    receipt: values.receipt === undefined ? undefined : receiptTarget(values.receipt),
    receiptVersion,
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    raw: values.raw ?? false,
    help: false,
    allowGrants: values['allow-grants'] ?? false,
  };
}

/** `HOST[::GUEST]`, as wasmtime spells it; the guest path defaults to the host path as given. */
export function parseDir(spec: string, readonly: boolean): JobDir {
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
