/* Generated from schemas/receipt-v0.1.schema.json by scripts/schema-types.mjs: do not edit. */

/**
 * Receipt v0.1 (the Phase Milestone 1 format; binds the module and exit code, not input or output)
 */
export interface ReceiptV01 {
  version: '0.1';
  module_hash: `sha256:${string}`;
  exit_code: number;
  wall_time_ms: number;
  timestamp: string;
  node_pubkey: string;
  signature: string;
}
