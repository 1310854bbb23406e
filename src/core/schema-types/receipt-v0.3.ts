/* Generated from schemas/receipt-v0.3.schema.json by scripts/schema-types.mjs: do not edit. */

export type Hash = `sha256:${string}`;
/**
 * Each containment layer and whether it held this job: os_sandbox (bubblewrap namespaces), kernel_limits (rlimits), die_with_parent, node_permissions, wasi_paths.
 *
 * @maxItems 16
 */
export type Containment = {
  name: 'os_sandbox' | 'kernel_limits' | 'die_with_parent' | 'node_permissions' | 'wasi_paths';
  active: boolean;
  detail: string;
}[];

/**
 * Receipt v0.3: a receipt that binds the portable job it ran, so anyone can replay it
 */
export interface ReceiptV03 {
  version: '0.3';
  job: string;
  module_hash: Hash;
  manifest_hash: Hash | null;
  input_hash: Hash;
  /**
   * Hash of the captured stdout (up to the output cap).
   */
  stdout_hash: `sha256:${string}`;
  stderr_hash: Hash;
  /**
   * Guest argv, argv[0] included.
   */
  args: string[];
  /**
   * The module's exit code; null when it did not exit (trap, limit, cancel).
   */
  exit_code: number | null;
  status:
    | 'ok'
    | 'exit'
    | 'bad_exit'
    | 'raised'
    | 'trap'
    | 'timeout'
    | 'fuel_exhausted'
    | 'unmeterable'
    | 'memory_limit'
    | 'output_limit'
    | 'invalid'
    | 'killed'
    | 'cancelled'
    | 'error';
  wall_time_ms: number;
  fuel_consumed: number | null;
  memory_peak_bytes: number | null;
  limits: Limits;
  env: Env;
  /**
   * The dirs the guest saw, read-only input trees by content hash.
   */
  dirs: {
    guest: string;
    readonly: boolean;
    tree_hash: Hash | null;
  }[];
  /**
   * deterministic: clocks, randomness, directory order and stat answers are functions of this job (README, Deterministic mode).
   */
  mode: 'normal' | 'deterministic';
  /**
   * random_get's seed in deterministic mode; null otherwise.
   */
  seed: string | null;
  /**
   * The portable job's hash, as rebuilt from this receipt's module_hash, args, env, input_hash, limits, mode, seed and dirs.
   */
  job_hash: `sha256:${string}`;
  timestamp: string;
  runtime: Runtime;
  containment: Containment;
  node_pubkey: string;
  signature: string;
}
export interface Limits {
  memory_mb: number;
  timeout_seconds: number;
  max_output_bytes: number;
  fuel: number | null;
  cpu_cores: number;
}
/**
 * The environment the guest saw (the portable job's): a receipt of a replayable run carries it in the clear.
 */
export interface Env {
  [k: string]: string;
}
export interface Runtime {
  name: string;
  version: string;
  node: string;
}
