/**
 * The portable job (schemas/job.schema.json): one content-addressed description of a run that
 * does not depend on the machine that made it. Paths are resolved into one at the edge (CLI,
 * TUI, SDK); its hash names the job, and a v0.3 receipt carries every field of it.
 */
import { canonicalJson } from './canonical.js';
import { sha256, type Hash } from './hash.js';
import type { Limits } from './limits.js';
import type { PortableJob, Source } from './schema-types/job.js';

export type { PortableJob, Source };

export type JobMode = PortableJob['mode'];

/** A dir of the job without where it came from. */
export type PortableDir = Omit<PortableJob['dirs'][number], 'source'>;

/** The job's identity: SHA-256 of its canonical JSON, sources left out. */
export function jobHash(job: PortableJob): Hash {
  const { module, stdin, dirs, ...rest } = job;
  return sha256(
    canonicalJson({
      ...rest,
      module: { hash: module.hash },
      stdin: { hash: stdin.hash },
      dirs: dirs.map(({ guest, readonly, tree_hash }) => ({ guest, readonly, tree_hash })),
    }),
  );
}

/** The fields of a receipt that make up its job (a v0.3 receipt has them all). */
export interface JobFields {
  module_hash: Hash;
  args: string[];
  env: Record<string, string>;
  input_hash: Hash;
  limits: Limits;
  mode: JobMode;
  seed: string | null;
  dirs: PortableDir[];
}

export function jobFromFields(fields: JobFields): PortableJob {
  return {
    version: '0.1',
    module: { hash: fields.module_hash },
    argv: fields.args,
    env: fields.env,
    stdin: { hash: fields.input_hash },
    limits: fields.limits,
    mode: fields.mode,
    seed: fields.seed,
    dirs: fields.dirs.map(({ guest, readonly, tree_hash }) => ({ guest, readonly, tree_hash })),
  };
}

export const SEED_PATTERN = /^[a-f0-9]{64}$/;

/**
 * A deterministic job's seed when none is given: derived from the job itself (its hash with no
 * seed), so the same job draws the same numbers and different jobs different ones.
 */
export function defaultSeed(job: Omit<PortableJob, 'seed'>): string {
  return jobHash({ ...job, seed: null }).slice('sha256:'.length);
}

/** `--seed` as given (1–64 hex digits) in its recorded form: 64 lowercase hex digits. */
export function normalizeSeed(text: string): string | null {
  const hex = text.trim().toLowerCase().replace(/^0x/, '');
  return /^[a-f0-9]{1,64}$/.test(hex) ? hex.padStart(64, '0') : null;
}
