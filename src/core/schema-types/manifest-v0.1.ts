/* Generated from schemas/manifest-v0.1.schema.json by scripts/schema-types.mjs: do not edit. */

/**
 * Job manifest v0.1 (the Phase Milestone 1 format, accepted verbatim)
 */
export interface ManifestV01 {
  version: '0.1';
  module_hash: `sha256:${string}`;
  cpu_cores: number;
  memory_mb: number;
  timeout_seconds: number;
}
