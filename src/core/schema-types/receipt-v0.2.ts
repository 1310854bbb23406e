/* Generated from schemas/receipt-v0.2.schema.json by scripts/schema-types.mjs: do not edit. */

export type Hash = `sha256:${string}`;

/**
 * Receipt v0.2: a signed record of what ran, on what input, with what result
 */
export interface ReceiptV02 {
  version: '0.2';
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
  limits: {
    memory_mb: number;
    timeout_seconds: number;
    max_output_bytes: number;
    fuel: number | null;
    cpu_cores: number;
  };
  timestamp: string;
  runtime: {
    name: string;
    version: string;
    node: string;
  };
  /**
   * Each containment layer and whether it held this job: os_sandbox (bubblewrap namespaces), kernel_limits (rlimits), die_with_parent, node_permissions, wasi_paths.
   *
   * @maxItems 16
   */
  containment: {
    name: 'os_sandbox' | 'kernel_limits' | 'die_with_parent' | 'node_permissions' | 'wasi_paths';
    active: boolean;
    detail: string;
  }[];
  node_pubkey: string;
  signature: string;
}
