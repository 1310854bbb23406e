/* Generated from schemas/job.schema.json by scripts/schema-types.mjs: do not edit. */

export type Hash = `sha256:${string}`;
export type Source =
  | {
      /**
       * The bytes, base64.
       */
      bytes: string;
    }
  | {
      path: string;
    };

/**
 * A portable job: everything a run depends on, by content, independent of the machine that made it
 *
 * Its hash (job_hash: SHA-256 of its RFC 8785 canonical JSON with every `source` left out) names the job. Sources say where the bytes may be found; they are not part of the job.
 */
export interface PortableJob {
  version: '0.1';
  module: {
    hash: Hash;
    source?: Source;
  };
  /**
   * Guest argv, argv[0] included.
   *
   * @minItems 1
   */
  argv: string[];
  env: {
    [k: string]: string;
  };
  stdin: {
    hash: Hash;
    source?: Source;
  };
  limits: Limits;
  /**
   * deterministic: clocks, randomness, directory order and stat answers are functions of this job (README, Deterministic mode).
   */
  mode: 'normal' | 'deterministic';
  /**
   * random_get's seed in deterministic mode; null otherwise.
   */
  seed: string | null;
  dirs: {
    guest: string;
    readonly: boolean;
    /**
     * The content hash of a read-only input tree (README, Input trees); null for a read-write dir, which is not content.
     */
    tree_hash: Hash | null;
    source?: {
      path: string;
    };
  }[];
}
export interface Limits {
  memory_mb: number;
  timeout_seconds: number;
  max_output_bytes: number;
  fuel: number | null;
  cpu_cores: number;
}
