/**
 * Running a portable job (core/portable-job.ts): the job says what runs by content — module and
 * stdin by hash, input trees by tree hash, argv, env, limits, mode, seed — and the caller gives
 * where those bytes are (the module's file or bytes, the stdin, a folder per dir). Everything is
 * checked against the job before anything runs: the module by its pinned hash, the stdin by its
 * hash, each input tree through the descriptor the run will use. A replay (replay.ts) and a
 * remote transport run jobs this way; the CLI, TUI and SDK make a job from paths at their edge.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlasmError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import type { PortableJob } from '../core/portable-job.js';
import type { Engine } from './engine.js';
import type { JobDir } from './job.js';
import type { RunOptions, RunResult } from './run.js';

export interface PortableSources {
  /** The module: a file, or its bytes. */
  module: string | Uint8Array;
  /** The stdin the job's `stdin.hash` names (default: none). */
  stdin?: Uint8Array;
  /** A host folder for each of the job's dirs, by guest path. */
  dirs?: Record<string, string>;
}

export async function runPortable(engine: Pick<Engine, 'resolve' | 'run'>, job: PortableJob, sources: PortableSources, options: RunOptions & { name?: string } = {}): Promise<RunResult> {
  const stdin = sources.stdin ?? new Uint8Array(0);
  if (sha256(stdin) !== job.stdin.hash) throw new PlasmError('invalid', `The stdin given has hash ${sha256(stdin)}, but the job is for ${job.stdin.hash}.`);
  const dirs: JobDir[] = job.dirs.map((d) => {
    const host = sources.dirs?.[d.guest];
    if (host === undefined) throw new PlasmError('usage', `The job has a folder at ${d.guest}${d.tree_hash ? ` (input tree ${d.tree_hash})` : ''}: give its host folder.`);
    return { host, guest: d.guest, readonly: d.readonly };
  });
  const extra = Object.keys(sources.dirs ?? {}).find((guest) => !job.dirs.some((d) => d.guest === guest));
  if (extra) throw new PlasmError('usage', `The job has no folder at ${extra}.`);
  // Bytes are run from a private file of their own (a module is read from a file, as it is hashed).
  let scratch: string | null = null;
  let modulePath: string;
  if (typeof sources.module === 'string') modulePath = sources.module;
  else {
    scratch = mkdtempSync(join(tmpdir(), 'plasm-job-'));
    const isBinary = sources.module[0] === 0 && sources.module[1] === 0x61 && sources.module[2] === 0x73 && sources.module[3] === 0x6d;
    modulePath = join(scratch, isBinary ? 'module.wasm' : 'module.wat');
    writeFileSync(modulePath, sources.module, { mode: 0o600 });
  }
  try {
    const spec = engine.resolve(modulePath, {
      args: job.argv.slice(1),
      env: job.env,
      dirs,
      deterministic: job.mode === 'deterministic',
      ...(job.seed === null ? {} : { seed: job.seed }),
    });
    // Exactly the job: its module (pinned by hash), argv[0], limits (no config default in between).
    spec.pinnedHash = job.module.hash;
    spec.argv0 = job.argv[0] ?? null;
    spec.limits = { ...job.limits };
    if (options.name) spec.name = options.name;
    const trees = Object.fromEntries(job.dirs.filter((d) => d.readonly).map((d) => [d.guest, d.tree_hash]));
    return await engine.run(spec, { ...options, stdin, allowGrants: true, expectTrees: trees });
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}
