/* Generated from schemas/queue.schema.json by scripts/schema-types.mjs: do not edit. */

/**
 * What travels on a plasm-tui job queue (BullMQ on Redis): a job for a worker, or a worker's result
 *
 * A job message is a BullMQ job's data; a result message is its return value. Module and stdin bytes are not in either: they are stored once in Redis by content hash (key plasm-tui:blob:<hash>), and a worker checks the bytes against the hash before it runs anything. Host paths never travel: a read-only dir is an input tree by tree hash, which a worker serves only from a folder its operator allowed.
 */
export type QueueMessage = QueueJobMessage | QueueResultMessage;
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

export interface QueueJobMessage {
  type: 'job';
  version: 1;
  /**
   * The job's name, recorded in its receipt (not part of the job's hash).
   */
  name: string;
  job: PortableJob;
  /**
   * The job's hash as the client made it: the worker's receipt must bind this very hash.
   */
  job_hash: `sha256:${string}`;
}
/**
 * The portable job; a worker ignores its sources and reads the bytes by hash.
 */
export interface PortableJob {
  version: '0.1';
  module: {
    hash: `sha256:${string}`;
    source?:
      | {
          /**
           * The bytes, base64.
           */
          bytes: string;
        }
      | {
          path: string;
        };
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
    hash: `sha256:${string}`;
    source?:
      | {
          /**
           * The bytes, base64.
           */
          bytes: string;
        }
      | {
          path: string;
        };
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
    tree_hash: `sha256:${string}` | null;
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
export interface QueueResultMessage {
  type: 'result';
  version: 1;
  /**
   * The public key of the worker that ran the job (its receipt's signer).
   */
  worker: string;
  report: Run;
}
/**
 * The run as `plasm-tui run --json` reports it, the exact output bytes and the signed receipt included.
 */
export interface Run {
  report_version: 1;
  job: string;
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
  /**
   * The module's exit code; null when it did not exit.
   */
  exit_code: number | null;
  /**
   * One sentence saying what happened.
   */
  message: string;
  /**
   * Captured stdout as UTF-8 text (lossy when stdout_base64 is present).
   */
  stdout: string;
  stderr: string;
  /**
   * The exact stdout bytes, present only when they are not valid UTF-8.
   */
  stdout_base64?: string;
  stderr_base64?: string;
  stdout_truncated: boolean;
  stderr_truncated: boolean;
  timing: {
    /**
     * Starting the sandbox process (0 for a warm one).
     */
    start_ms: number;
    compile_ms: number;
    run_ms: number;
    total_ms: number;
  };
  usage: {
    memory_peak_bytes: number | null;
    fuel_consumed: number | null;
  };
  module_hash: `sha256:${string}` | null;
  input_hash: `sha256:${string}`;
  /**
   * The containment layers that held the job; empty when it never started.
   */
  containment: Layer[];
  receipt: ReceiptV03 | ReceiptV02 | ReceiptV01 | null;
  /**
   * Where --receipt wrote it.
   */
  receipt_path: string | null;
  /**
   * Whether the job ran in a daemon's warm sandbox (plasm-tui serve) or in one of this command's own, and why. `plasm-tui run` always says; the SDK says when its client was made to use a daemon.
   */
  daemon?:
    | {
        used: true;
        pid: number;
        socket: string;
        version: string;
      }
    | {
        used: false;
        detail: string;
      };
}
export interface Layer {
  name: 'os_sandbox' | 'kernel_limits' | 'die_with_parent' | 'node_permissions' | 'wasi_paths';
  active: boolean;
  detail: string;
}
export interface ReceiptV03 {
  version: '0.3';
  job: string;
  module_hash: `sha256:${string}`;
  manifest_hash: `sha256:${string}` | null;
  input_hash: `sha256:${string}`;
  /**
   * Hash of the captured stdout (up to the output cap).
   */
  stdout_hash: `sha256:${string}`;
  stderr_hash: `sha256:${string}`;
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
  limits: Limits1;
  env: Env;
  /**
   * The dirs the guest saw, read-only input trees by content hash.
   */
  dirs: {
    guest: string;
    readonly: boolean;
    tree_hash: `sha256:${string}` | null;
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
export interface Limits1 {
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
export interface ReceiptV02 {
  version: '0.2';
  job: string;
  module_hash: `sha256:${string}`;
  manifest_hash: `sha256:${string}` | null;
  input_hash: `sha256:${string}`;
  /**
   * Hash of the captured stdout (up to the output cap).
   */
  stdout_hash: `sha256:${string}`;
  stderr_hash: `sha256:${string}`;
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
  limits: Limits1;
  timestamp: string;
  runtime: Runtime;
  containment: Containment;
  node_pubkey: string;
  signature: string;
}
export interface ReceiptV01 {
  version: '0.1';
  module_hash: `sha256:${string}`;
  exit_code: number;
  wall_time_ms: number;
  timestamp: string;
  node_pubkey: string;
  signature: string;
}
