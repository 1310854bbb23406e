/* Generated from schemas/manifest-v0.2.schema.json by scripts/schema-types.mjs: do not edit. */

/**
 * Job manifest v0.2 (a WASI job: module by path, args, env, dirs, stdin, limits)
 */
export interface ManifestV02 {
  version: '0.2';
  /**
   * A plain name (it names the job's receipts folder): no slashes or control characters, not . or ..
   */
  name?: string;
  /**
   * Path of the .wasm or .wat file, relative to the manifest.
   */
  module: string;
  /**
   * Optional pin: the run is refused if the module's SHA-256 differs.
   */
  module_hash?: `sha256:${string}`;
  /**
   * @maxItems 1024
   */
  args?: string[];
  env?: {
    [k: string]: string;
  };
  dirs?: {
    /**
     * Host directory, relative to the manifest.
     */
    host: string;
    guest: string;
    readonly?: boolean;
  }[];
  /**
   * Default stdin when the caller gives none.
   */
  stdin?: string;
  fuel?: number;
  /**
   * Run in deterministic mode: a virtual clock driven by fuel, seeded random, sorted directories; read-only dirs only. The receipt (v0.3) can be replayed.
   */
  deterministic?: boolean;
  /**
   * Deterministic mode's random seed (1-64 hex digits); by default derived from the job.
   */
  seed?: string;
  max_output_bytes?: number;
  cpu_cores?: number;
  memory_mb?: number;
  timeout_seconds?: number;
}
