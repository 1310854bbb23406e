/**
 * Metered modules kept by the engine's process, by the hash of the module they were made from,
 * so that a module run again with fuel (a watch rerun, an SDK batch, a replay) is not
 * instrumented again in every fresh worker (130–300 ms for QuickJS or SQLite). A worker
 * instruments a module it is given without one and sends the result back *before* the module
 * runs — while the worker is still only plasm-tui's own code — and the parent accepts it only
 * then (spawn.ts). The budget is not part of what is kept: it is written into the bytes per job
 * (instrument.ts withBudget). Bounded by total bytes; the least recently used go first.
 */
import type { MeteredModule } from './meter.js';

const MAX_BYTES = 128 * 1024 * 1024;

const entries = new Map<string, MeteredModule>();
let total = 0;

export function cachedMetered(moduleHash: string): MeteredModule | undefined {
  const entry = entries.get(moduleHash);
  if (entry) {
    entries.delete(moduleHash);
    entries.set(moduleHash, entry);
  }
  return entry;
}

export function keepMetered(moduleHash: string, metered: MeteredModule): void {
  if (entries.has(moduleHash) || metered.bytes.length > MAX_BYTES / 4) return;
  entries.set(moduleHash, metered);
  total += metered.bytes.length;
  for (const [key, entry] of entries) {
    if (total <= MAX_BYTES) break;
    entries.delete(key);
    total -= entry.bytes.length;
  }
}

/** How many are kept (for tests and the benchmark). */
export function meteredCacheSize(): number {
  return entries.size;
}
