/** Resource limits of one job, as recorded in its receipt (generated from schemas/receipt-v0.2.schema.json). */
import type { ReceiptV02 } from './schema-types/receipt-v0.2.js';
export type Limits = ReceiptV02['limits'];

export const MIB = 1024 * 1024;
export const WASM_PAGE = 64 * 1024;

/** A memory cap in whole wasm pages, as V8's `--wasm-max-mem-pages` takes it (at least one). */
export function capPages(memoryCapBytes: number): number {
  return Math.max(1, Math.floor(memoryCapBytes / WASM_PAGE));
}

/** Why a module whose initial memory is over the cap is refused before it runs, or null. */
export function initialMemoryOverCap(initialPages: number | null, capBytes: number): string | null {
  if (initialPages === null || initialPages * WASM_PAGE <= capBytes) return null;
  const asked = Math.ceil((initialPages * WASM_PAGE) / MIB);
  return `The module asks for ${asked} MiB of initial memory, over its ${capBytes / MIB} MiB cap; raise the memory limit to run it.`;
}
