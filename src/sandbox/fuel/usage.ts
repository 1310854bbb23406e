/**
 * Reading a metered run's fuel back: how much was consumed and whether it ran out. The rule is
 * the global alone (remaining < 0 → exhausted), so it holds whether the run returned, called
 * proc_exit or trapped — see ./instrument.ts for why that makes the threshold exact.
 */
import type { FuelInstrumented } from './instrument.js';

export interface FuelUsage {
  /** Instructions charged, at most the budget (an overdraft is reported as the whole budget). */
  consumed: number;
  exhausted: boolean;
}

type Metered = Pick<FuelInstrumented, 'budget' | 'exportName' | 'exhaustionSites'>;

/** The fuel used by a run, read from the instance after `_start` returned, exited or trapped. */
export function fuelUsage(instance: WebAssembly.Instance, metered: Metered): FuelUsage {
  const global = instance.exports[metered.exportName];
  if (!(global instanceof WebAssembly.Global)) throw new Error(`The instance has no ${metered.exportName} global: was the module metered?`);
  return usageFromRemaining(global.value as bigint, metered.budget);
}

export function usageFromRemaining(remaining: bigint, budget: number): FuelUsage {
  if (remaining < 0n) return { consumed: budget, exhausted: true };
  return { consumed: budget - Number(remaining), exhausted: false };
}

/**
 * Whether an error thrown while instantiating (a start function) or running is a fuel check's
 * trap. Needed only when there is no instance to read — instantiation threw — in which case an
 * exhausted run consumed its whole budget. V8 names the trapping instruction's module offset in
 * the first wasm frame of the stack (`wasm-function[3]:0x6d`); only the checks' own
 * `unreachable`s are at the recorded offsets.
 */
export function isFuelTrap(error: unknown, metered: Metered): boolean {
  if (!(error instanceof WebAssembly.RuntimeError)) return false;
  const frame = /wasm-function\[\d+\]:0x([0-9a-f]+)/.exec(error.stack ?? '');
  if (!frame) return false;
  const offset = Number.parseInt(frame[1]!, 16);
  const sites = metered.exhaustionSites;
  let low = 0;
  let high = sites.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const site = sites[middle]!;
    if (site === offset) return true;
    if (site < offset) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}
