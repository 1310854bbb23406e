/**
 * Messages between the engine (parent) and a sandbox worker process, over Node's IPC channel
 * with structured-clone ("advanced") serialization. The worker is untrusted once a module runs
 * in it, so the parent checks every message it receives with `isWorkerMessage`.
 */
import type { MeteredModule } from './fuel/meter.js';

export interface Preopen {
  host: string;
  guest: string;
  readonly: boolean;
}

export interface JobMessage {
  type: 'job';
  /** The module's bytes: a wasm binary, or WebAssembly text in UTF-8 when `wat` is set. */
  module: Uint8Array;
  /** The module is the one this worker was primed with (PrimeMessage): `module` is left empty. */
  primed?: boolean;
  /** Text to compile in the worker, under the job's limits, with the wabt package at this URL. */
  wat?: { fileName: string; wabtUrl: string };
  /** Guest argv; argv[0] is the module's file name. */
  argv: string[];
  env: Record<string, string>;
  preopens: Preopen[];
  memoryCapBytes: number;
  stackKb: number;
  /** A fuel budget: the worker meters the module's instructions (sandbox/fuel/); null = off. */
  fuel: number | null;
  /** The module metered before (fuel/metered-cache.ts): used with `fuel` as the budget instead of instrumenting. */
  metered?: MeteredModule | null;
  /** Deterministic mode (wasi/deterministic.ts), with its seed (64 hex digits); needs `fuel`. */
  deterministic?: { seed: string } | null;
}

/**
 * Sent to an idle spare: the module its profile's last job ran, to compile while it waits. A job
 * whose module is byte for byte the same (and runs without fuel, from a binary) uses that
 * compilation; any other job compiles its own. A compiled module can be shared by threads of one
 * process, never sent to another: each spare compiles its own copy, off the job's path.
 */
export interface PrimeMessage {
  type: 'prime';
  module: Uint8Array;
}

/** Sent to an idle spare of a .wat profile: load wabt (100 ms) while it waits, not when its job comes. */
export interface WabtMessage {
  type: 'load-wabt';
  wabtUrl: string;
  /** The profile's memory cap, put back (--wasm-max-mem-pages) once wabt's heap is made. */
  memoryCapBytes: number;
}

export type Outcome = 'exit' | 'raised' | 'trap' | 'invalid' | 'memory_limit' | 'fuel_exhausted' | 'unmeterable' | 'error';

export type WorkerMessage =
  | { type: 'ready' }
  /** The module as metered, sent before it runs, for the parent to keep (fuel/metered-cache.ts). */
  | { type: 'metered'; metered: MeteredModule }
  | { type: 'compiled'; compile_ms: number }
  | {
      type: 'result';
      outcome: Outcome;
      exit_code: number | null;
      message: string;
      run_ms: number;
      memory_bytes: number | null;
      /** Whether the WASI path layer (sandbox/wasi/confine-paths.ts) wrapped this job's calls. */
      wasi_paths?: boolean;
      /** Instructions charged when the job was metered; null when it was not (or never ran). */
      fuel_consumed?: number | null;
      /** Bytes the guest wrote to stdout and stderr (and in what order): the parent need not wait for the exit. */
      written?: { stdout: number; stderr: number; order?: [number, number][] | null };
    };

const OUTCOMES: readonly string[] = ['exit', 'raised', 'trap', 'invalid', 'memory_limit', 'fuel_exhausted', 'unmeterable', 'error'];

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  const finiteOrNull = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isFinite(v));
  switch (m.type) {
    case 'ready':
      return true;
    case 'compiled':
      return typeof m.compile_ms === 'number' && Number.isFinite(m.compile_ms);
    case 'metered':
      return isMetered(m.metered);
    case 'result':
      return (
        typeof m.outcome === 'string' && OUTCOMES.includes(m.outcome) &&
        (m.exit_code === null || Number.isSafeInteger(m.exit_code)) &&
        typeof m.message === 'string' && m.message.length <= 2000 &&
        typeof m.run_ms === 'number' && Number.isFinite(m.run_ms) && finiteOrNull(m.memory_bytes) &&
        (m.wasi_paths === undefined || typeof m.wasi_paths === 'boolean') &&
        (m.written === undefined || isWritten(m.written)) &&
        (m.fuel_consumed === undefined || m.fuel_consumed === null || (Number.isSafeInteger(m.fuel_consumed) && (m.fuel_consumed as number) >= 0))
      );
    default:
      return false;
  }
}

function isMetered(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    m.bytes instanceof Uint8Array &&
    Number.isSafeInteger(m.budget) &&
    Number.isSafeInteger(m.budgetOffset) && (m.budgetOffset as number) >= 0 && (m.budgetOffset as number) + 10 <= m.bytes.length &&
    typeof m.exportName === 'string' && m.exportName.length < 100 &&
    Array.isArray(m.exhaustionSites) && m.exhaustionSites.every((site) => Number.isSafeInteger(site))
  );
}

function isWritten(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const w = value as Record<string, unknown>;
  if (!Number.isSafeInteger(w.stdout) || !Number.isSafeInteger(w.stderr)) return false;
  if (w.order === undefined || w.order === null) return true;
  return (
    Array.isArray(w.order) &&
    w.order.length <= 20_000 &&
    w.order.every((run) => Array.isArray(run) && run.length === 2 && (run[0] === 1 || run[0] === 2) && Number.isSafeInteger(run[1]) && (run[1] as number) > 0)
  );
}
