/* Generated from schemas/daemon.schema.json by scripts/schema-types.mjs: do not edit. */

/**
 * One message of the daemon's wire protocol (plasm-tui serve), one JSON object per line on its Unix socket
 *
 * Protocol 1. A client says hello and gets welcome (or refused, for another version); then it sends run, cancel or stop, and the daemon sends event and result messages for each run id. Prepare and attest stay in the client: the daemon gets a prepared portable job and sends back what the sandbox saw, never a receipt; the signing key never leaves the client.
 */
export type DaemonMessage =
  DaemonHello | DaemonWelcome | DaemonRefused | DaemonRun | DaemonCancel | DaemonStop | DaemonEvent | DaemonResult;
export type Id = number;
export type Base64 = string;
/**
 * The OS-sandbox mode the client asked for (PLASM_OS_SANDBOX in its environment): it travels with each job, not from the daemon's environment.
 */
export type OsSandbox =
  | ('auto' | 'bwrap' | 'off')
  | {
      problem: string;
    };

/**
 * client → daemon, first: its protocol and plasm-tui version.
 */
export interface DaemonHello {
  type: 'hello';
  protocol: number;
  version: string;
}
/**
 * daemon → client: the same version; jobs may be sent.
 */
export interface DaemonWelcome {
  type: 'welcome';
  protocol: number;
  version: string;
  pid: number;
  /**
   * Jobs running now.
   */
  jobs: number;
}
/**
 * daemon → client, then it closes the connection: another version, or a message it cannot take.
 */
export interface DaemonRefused {
  type: 'refused';
  message: string;
  version?: string;
  pid?: number;
}
/**
 * client → daemon: run a prepared job. The module and stdin must hash to the job's; the sandbox parameters are the client's (its config, limits and OS-sandbox mode).
 */
export interface DaemonRun {
  type: 'run';
  id: Id;
  job: PortableJob;
  module: Base64;
  stdin: Base64;
  /**
   * WebAssembly text to compile in the sandbox, under this file name; null for a binary.
   */
  wat_file: string | null;
  sandbox: {
    memory_cap_bytes: number;
    timeout_ms: number;
    max_output_bytes: number;
    stack_kb: number;
    max_file_bytes: number;
    fuel: number | null;
    os_sandbox: OsSandbox;
  };
  dirs: Dir[];
}
/**
 * Its hash (job_hash: SHA-256 of its RFC 8785 canonical JSON with every `source` left out) names the job. Sources say where the bytes may be found; they are not part of the job.
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
/**
 * A granted dir, held open by the client: the daemon opens the client's own descriptor (/proc/PID/fd/FD, the open directory, not its name) and uses it only if it is the directory (device, inode) the client checked.
 */
export interface Dir {
  host: string;
  guest: string;
  readonly: boolean;
  pid: number;
  fd: number;
  dev: number;
  ino: number;
}
/**
 * client → daemon: stop this run (it ends cancelled).
 */
export interface DaemonCancel {
  type: 'cancel';
  id: Id;
}
/**
 * client → daemon: stop the daemon (plasm-tui serve --stop): its runs end cancelled, its workers are stopped.
 */
export interface DaemonStop {
  type: 'stop';
}
/**
 * daemon → client: a run's phase, or a chunk of its output as it comes.
 */
export interface DaemonEvent {
  type: 'event';
  id: Id;
  event:
    | {
        phase: 'started' | 'compiled' | 'running';
      }
    | {
        stream: 'stdout' | 'stderr';
        data: Base64;
      };
}
/**
 * daemon → client: the run is over.
 */
export interface DaemonResult {
  type: 'result';
  id: Id;
  result: Result;
}
/**
 * What the sandbox saw (sandbox/spawn.ts SandboxResult): the client signs its receipt from it.
 */
export interface Result {
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
  exit_code: number | null;
  message: string;
  stdout: Base64;
  stderr: Base64;
  stdout_truncated: boolean;
  stderr_truncated: boolean;
  timing: {
    start_ms: number;
    compile_ms: number;
    run_ms: number;
    total_ms: number;
  };
  memory_peak_bytes: number | null;
  fuel_consumed: number | null;
  output_order:
    | null
    | {
        stream: 'stdout' | 'stderr';
        bytes: number;
      }[];
  layers: Layer[];
}
export interface Layer {
  name: 'os_sandbox' | 'kernel_limits' | 'die_with_parent' | 'node_permissions' | 'wasi_paths';
  active: boolean;
  detail: string;
}
