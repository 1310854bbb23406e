/** Resource limits of one job, as recorded in its receipt. */
export interface Limits {
  memory_mb: number;
  timeout_seconds: number;
  max_output_bytes: number;
  fuel: number | null;
  cpu_cores: number;
}

export const MIB = 1024 * 1024;
export const WASM_PAGE = 64 * 1024;
