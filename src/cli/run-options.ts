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
  /** Run in this process's own sandbox even when a daemon runs. */
  noDaemon: boolean;
}

type Section = 'input' | 'limits' | 'output';

/**
 * Where else an option's setting lives: the JobOverrides key it fills (what the SDK and the TUI
 * set too), the config key that gives its default, the manifest key, and the SDK Job method. A
 * test checks each exists (test/cli/run-options.test.ts), so a new option is one entry here
 * plus its implementation.
 */
interface Reaches {
  override?: keyof JobOverrides;
  config?: string;
  manifest?: string;
  sdk?: string;
}

interface RunOption extends Reaches {
  flag: { type: 'string' | 'boolean'; multiple?: boolean; short?: string };
  section: Section;
  /** How it is written, in help and in the README's table. */
  usage: string;
  /** Its line in `run --help` (a \n continues it in the same column). */
  help: string;
  /** Its row in the README's table (`scripts/run-options-table.mjs` prints it; a test compares). */
  readme: string;
  /** For a limit: the flag's value as the number it sets (a usage error otherwise). */
  number?: (value: string | undefined, flag: string) => number | undefined;
}

/**
 * Every `plasm-tui run` option, declared once: its parseArgs flag, its line in `run --help`
 * (help.ts renders them in this order, by section), its row in the README, and where else it
 * reaches (override, config, manifest, SDK).
 */
export const RUN_OPTIONS = {
  stdin: { flag: { type: 'string' }, section: 'input', usage: '--stdin TEXT', help: "the job's stdin", readme: "the job's stdin as text" },
  'stdin-file': {
    flag: { type: 'string' },
    section: 'input',
    usage: '--stdin-file PATH',
    help: "the job's stdin from a file (- for this process's stdin)\n(otherwise piped stdin is used; an empty pipe keeps a manifest's stdin)",
    readme: "the job's stdin from a file (`-` = this process's stdin). Otherwise piped stdin is used; an empty pipe (e.g. `</dev/null`) keeps a manifest's default `stdin`",
    manifest: 'stdin',
  },
  env: {
    flag: { type: 'string', multiple: true },
    section: 'input',
    usage: '--env KEY=VALUE',
    help: 'grant an environment variable (repeatable); nothing else is visible',
    readme: 'grant an environment variable (repeatable). The guest sees nothing else',
    override: 'env',
    manifest: 'env',
    sdk: 'withEnv',
  },
  dir: {
    flag: { type: 'string', multiple: true },
    section: 'input',
    usage: '--dir HOST[::GUEST]',
    help: 'preopen a host directory, read-write (repeatable)',
    readme: 'preopen a host directory read-write (repeatable; GUEST defaults to HOST as written)',
    override: 'dirs',
    manifest: 'dirs',
    sdk: 'withDir',
  },
  'ro-dir': {
    flag: { type: 'string', multiple: true },
    section: 'input',
    usage: '--ro-dir HOST[::GUEST]',
    help: 'preopen a host directory, read-only (repeatable)',
    readme: 'preopen a host directory read-only (the SDK: `withDir(host, guest, { readonly: true })`)',
    override: 'dirs',
    manifest: 'dirs',
    sdk: 'withDir',
  },
  module: {
    flag: { type: 'string' },
    section: 'input',
    usage: '--module PATH',
    help: 'the module for a v0.1 manifest (else found by its hash beside the manifest)',
    readme: 'the module of a v0.1 manifest (else found beside the manifest by its hash)',
    override: 'module',
  },
  'allow-grants': {
    flag: { type: 'boolean' },
    section: 'input',
    usage: '--allow-grants',
    help: "run with the dirs and env the manifest asks for, this once; otherwise a\nmanifest's grants must be allowed first with `plasm-tui allow` (exit 77)",
    readme: "run with the dirs and env the manifest asks for, this once, remembering nothing; otherwise a manifest's grants must be allowed first with `plasm-tui allow` (exit 77)",
    sdk: 'allowingManifestGrants',
  },
  deterministic: {
    flag: { type: 'boolean' },
    section: 'input',
    usage: '--deterministic',
    help: 'a virtual clock run by fuel, seeded random, sorted dirs, stat from content:\nthe same job gives the same output and fuel, and a v0.3 receipt that\n`plasm-tui verify --replay` checks by running it again; read-only dirs only',
    readme: 'deterministic mode: a virtual clock run by fuel, seeded random bytes, sorted directories, stat answers from content; the same job gives the same output and fuel, and its v0.3 receipt can be replayed (`verify --replay`). Read-only dirs only; see "Deterministic mode"',
    override: 'deterministic',
    manifest: 'deterministic',
    sdk: 'deterministic',
  },
  seed: {
    flag: { type: 'string' },
    section: 'input',
    usage: '--seed HEX',
    help: "deterministic mode's random seed, 1-64 hex digits (default: from the job)",
    readme: "deterministic mode's random seed, 1–64 hex digits (default: derived from the job)",
    override: 'seed',
    manifest: 'seed',
    sdk: 'deterministic',
  },
  memory: {
    flag: { type: 'string' },
    section: 'limits',
    usage: '--memory MB',
    help: 'memory cap; memory.grow past it fails',
    readme: 'memory cap; `memory.grow` past it fails (default 128)',
    override: 'memory_mb',
    config: 'memory_mb',
    manifest: 'memory_mb',
    sdk: 'withMemory',
    number: positiveInteger,
  },
  timeout: {
    flag: { type: 'string' },
    section: 'limits',
    usage: '--timeout SECONDS',
    help: 'wall-clock limit; the job is killed when it passes',
    readme: 'wall-clock limit; the job is killed when it passes (default 30)',
    override: 'timeout_seconds',
    config: 'timeout_seconds',
    manifest: 'timeout_seconds',
    sdk: 'withTimeout',
    number: positiveNumber,
  },
  'max-output': {
    flag: { type: 'string' },
    section: 'limits',
    usage: '--max-output BYTES',
    help: 'cap on captured stdout and on stderr, each',
    readme: 'cap on captured stdout and on stderr, each (default 16 MiB)',
    override: 'max_output_bytes',
    config: 'max_output_bytes',
    manifest: 'max_output_bytes',
    sdk: 'withMaxOutput',
    number: nonNegativeInteger,
  },
  cpu: {
    flag: { type: 'string' },
    section: 'limits',
    usage: '--cpu N',
    help: 'recorded in the receipt (WASI preview 1 guests use one core)',
    readme: 'recorded in the receipt; a WASI preview 1 guest is single-threaded and uses one core',
    override: 'cpu_cores',
    config: 'cpu_cores',
    manifest: 'cpu_cores',
    sdk: 'withCpu',
    number: positiveInteger,
  },
  fuel: {
    flag: { type: 'string' },
    section: 'limits',
    usage: '--fuel N',
    help: "meter the guest's executed wasm instructions; past N the job ends\nfuel_exhausted (125); fuel_consumed is the same on every run",
    readme: 'meter the guest\'s executed instructions: past N the job ends `fuel_exhausted` (exit 125). The count (`fuel_consumed`) is the same on every run of the same module and input; see "Fuel"',
    override: 'fuel',
    config: 'fuel',
    manifest: 'fuel',
    sdk: 'withFuel',
    number: positiveInteger,
  },
  'no-daemon': {
    flag: { type: 'boolean' },
    section: 'output',
    usage: '--no-daemon',
    help: 'run the job in a sandbox of this command even when a daemon\n(plasm-tui serve) runs; config "daemon": false does so always',
    readme: 'run the job in a sandbox of this command even when a daemon (`plasm-tui serve`) runs; `"daemon": false` in the config does so always. `run --json` says which ran it (`daemon`)',
    config: 'daemon',
  },
  json: {
    flag: { type: 'boolean' },
    section: 'output',
    usage: '--json',
    help: 'print one JSON report on stdout instead (status, exit_code, message,\nstdout, stderr, timing, usage, receipt)',
    readme: "print one JSON report on stdout instead of the module's output (see \"run --json\")",
  },
  receipt: {
    flag: { type: 'string' },
    section: 'output',
    usage: '--receipt PATH',
    help: 'also write the signed receipt to PATH (never overwritten); into a folder\n(DIR/) as its next NNNN.json; PATH with {n} (out/{n}.json): the next number',
    readme: 'also write the signed receipt to PATH (atomically; an existing file is never overwritten). For runs in a loop: a folder (`--receipt receipts/`, or a folder that exists) gets its next `NNNN.json`; a path with `{n}` (`--receipt out/run-{n}.json`) gets the next free number in its place (`run-0001.json`, …). `run --json` gives the file written as `receipt_path`',
  },
  'receipt-version': {
    flag: { type: 'string' },
    section: 'output',
    usage: '--receipt-version V',
    help: '0.2 (default), 0.3 (binds the whole job; always so with\n--deterministic) or 0.1 (the seed format; binds no input or output)',
    readme: 'receipt format: 0.2 (default), 0.3 (binds the whole job; always so for a deterministic run) or 0.1 (the seed format; binds no input or output)',
    config: 'receipt_version',
  },
  raw: {
    flag: { type: 'boolean' },
    section: 'output',
    usage: '--raw',
    help: "on a terminal, write the module's output byte for byte, escape sequences\nincluded (otherwise they are dropped and controls shown as ^X there)",
    readme: "on a terminal, write the module's stdout and stderr byte for byte, escape sequences included (by default they are sanitised there; a pipe or a file always gets the exact bytes)",
  },
  quiet: { flag: { type: 'boolean', short: 'q' }, section: 'output', usage: '-q, --quiet', help: 'no summary line on stderr', readme: 'no summary line on stderr' },
  help: { flag: { type: 'boolean', short: 'h' }, section: 'output', usage: '-h, --help', help: 'this help', readme: 'the options, as here' },
} as const satisfies Record<string, RunOption>;

/** The JobOverrides keys the options fill. */
type Overridden = { [K in keyof typeof RUN_OPTIONS]: (typeof RUN_OPTIONS)[K] extends { override: infer O } ? O : never }[keyof typeof RUN_OPTIONS];
/** A JobOverrides key no option fills (args come after the module, not from a flag): must be none, or this does not compile. */
type Unfilled = Exclude<keyof JobOverrides, Overridden | 'args'>;
const EVERY_OVERRIDE_HAS_A_FLAG: [Unfilled] extends [never] ? true : Unfilled = true;
void EVERY_OVERRIDE_HAS_A_FLAG;

/** The README's table of `run` options, in declaration order (scripts/run-options-table.mjs prints it). */
export function runOptionsTable(): string {
  const rows = ['| option | meaning |', '| --- | --- |'];
  for (const option of Object.values(RUN_OPTIONS as Record<string, RunOption>)) rows.push(`| \`${option.usage}\` | ${option.readme.replaceAll('|', '\\|')} |`);
  return rows.join('\n');
}

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
  if (values.help) return { target: '', overrides: {}, json: false, quiet: false, raw: false, help: true, allowGrants: false, noDaemon: false };
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
    ...limitsFrom(values),
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
    noDaemon: values['no-daemon'] ?? false,
  };
}

/** The limits given as flags, each parsed as its declaration says. */
function limitsFrom(values: Record<string, unknown>): JobOverrides {
  const limits: Record<string, number> = {};
  for (const [name, option] of Object.entries(RUN_OPTIONS as Record<string, RunOption>)) {
    if (!option.number || !option.override) continue;
    const value = option.number(values[name] as string | undefined, `--${name}`);
    if (value !== undefined) limits[option.override] = value;
  }
  return limits as JobOverrides;
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
