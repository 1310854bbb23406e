/* Generated from schemas/config.schema.json by scripts/schema-types.mjs: do not edit. */

/**
 * plasm-tui configuration ($XDG_CONFIG_HOME/plasm-tui/config.json); every key optional
 */
export interface ConfigFile {
  memory_mb?: number;
  timeout_seconds?: number;
  max_output_bytes?: number;
  cpu_cores?: number;
  /**
   * V8 stack cap for the sandbox process; deep recursion past it is a trap.
   */
  stack_kb?: number;
  receipt_version?: '0.1' | '0.2' | '0.3';
  /**
   * The largest file a job may write into a read-write dir (RLIMIT_FSIZE): past it a write fails with EFBIG.
   */
  max_file_bytes?: number;
  /**
   * The largest module file plasm-tui reads, to run it or to list it in a watched folder; a bigger one (or anything but a regular file) is refused before a byte is read.
   */
  max_module_bytes?: number;
  /**
   * A fuel budget (wasm instructions) for every job that sets none; null meters nothing. The seed derived fuel from the timeout; here it is explicit.
   */
  fuel?: number | null;
  /**
   * Run jobs through a running daemon (plasm-tui serve) when there is one; false runs each job in a sandbox of the command's own (as run --no-daemon does).
   */
  daemon?: boolean;
  /**
   * The most a manifest may ask for; a manifest over a ceiling is refused. Flags typed on the command line are not held to them.
   */
  ceilings?: {
    memory_mb?: number;
    timeout_seconds?: number;
    max_output_bytes?: number;
  };
}
