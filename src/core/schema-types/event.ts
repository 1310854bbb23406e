/* Generated from schemas/event.schema.json by scripts/schema-types.mjs: do not edit. */

/**
 * One event of a watched folder: a line of `plasm-tui watch --json`, or an event of the SDK's client.watch()
 */
export type WatchEvent = Base &
  (
    | {
        event_version?: unknown;
        at?: unknown;
        type: 'watching';
        dir: string;
        jobs: number;
      }
    | {
        event_version?: unknown;
        at?: unknown;
        type: 'job_added' | 'job_changed' | 'job_removed';
        job: Job;
      }
    | {
        event_version?: unknown;
        at?: unknown;
        type: 'job_invalid';
        job: Job;
        message: string;
        details: string[];
      }
    | {
        event_version?: unknown;
        at?: unknown;
        type: 'job_unwatched';
        job: Job;
        /**
         * Why rebuilds of the module the job's manifest names are not seen (outside the watched folder, reached through a symlink, out of file watches).
         */
        message: string;
      }
    | {
        event_version?: unknown;
        at?: unknown;
        type: 'grants_needed';
        job: Job;
        manifest: string;
        dirs: {
          host: string;
          guest: string;
          readonly: boolean;
        }[];
        env: string[];
        /**
         * The command that allows them.
         */
        allow_with: string;
      }
    | {
        event_version?: unknown;
        at?: unknown;
        type: 'run_started';
        job: Job;
        run: number;
        /**
         * initial: the first run after the folder was scanned; rebuild: its module or manifest changed; user: started by hand (e.g. in the TUI, on the same run ledger).
         */
        why: 'initial' | 'rebuild' | 'user';
      }
    | {
        event_version?: unknown;
        at?: unknown;
        type: 'run_finished';
        job: Job;
        run: number;
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
        timing: {
          start_ms: number;
          compile_ms: number;
          run_ms: number;
          total_ms: number;
        };
        fuel_consumed: number | null;
        stdout_bytes: number;
        stderr_bytes: number;
        containment: Layer[];
        receipt_path: string | null;
      }
    | {
        event_version?: unknown;
        at?: unknown;
        type: 'stopped';
        reason: string;
      }
  );

export interface Base {
  event_version: 1;
  at: string;
  type: string;
}
export interface Job {
  /**
   * The job's file (module or manifest), relative to the watched folder.
   */
  id: string;
  name: string;
  kind: 'module' | 'manifest';
}
export interface Layer {
  name: 'os_sandbox' | 'kernel_limits' | 'die_with_parent' | 'node_permissions' | 'wasi_paths';
  active: boolean;
  detail: string;
}
