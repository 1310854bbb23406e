/**
 * Fuel in the worker: meter a module before it is compiled, then read back what a run used,
 * however it ended (returned, exited, trapped, or trapped while instantiating).
 */
import { isPlasmError } from '../../core/errors.js';
import { instrumentFuel, withBudget, type FuelInstrumented } from './instrument.js';
import { fuelUsage, isFuelTrap, type FuelUsage } from './usage.js';

/** A metered module as it can be kept and reused, whatever the budget (see metered-cache.ts). */
export type MeteredModule = Pick<FuelInstrumented, 'bytes' | 'budget' | 'budgetOffset' | 'exportName' | 'exhaustionSites'>;

export interface FuelMeter {
  bytes: Uint8Array;
  /** What can be kept to meter the same module again without instrumenting it. */
  metered: MeteredModule;
  /** The fuel a run used; `error` is what the run threw, if anything. Null if it never started. */
  usage(instance: WebAssembly.Instance | undefined, error?: unknown): FuelUsage | null;
}

/**
 * `invalid` when the module is not valid as written: it is not metered, for metering adds a
 * local to every function and a global after the last, and a module naming those indices would
 * become valid with its own code on the fuel. Compiling it unmetered says what is wrong, in the
 * same words as a run without fuel.
 */
export function meterFuel(wasm: Uint8Array, budget: number): FuelMeter | { problem: string } | 'invalid' {
  if (!WebAssembly.validate(wasm as Uint8Array<ArrayBuffer>)) return 'invalid';
  let metered: FuelInstrumented;
  try {
    metered = instrumentFuel(wasm, budget);
  } catch (error) {
    return { problem: isPlasmError(error) ? error.message : `The module cannot be metered for fuel: ${String(error).split('\n')[0]}.` };
  }
  return meterOf(metered);
}

/** A module metered before (by a worker, for the same module bytes), with this job's budget. */
export function meterFromCache(cached: MeteredModule, budget: number): FuelMeter {
  return meterOf(withBudget(cached, budget));
}

function meterOf(metered: MeteredModule): FuelMeter {
  const { bytes, budget, budgetOffset, exportName, exhaustionSites } = metered;
  return {
    bytes,
    metered: { bytes, budget, budgetOffset, exportName, exhaustionSites },
    usage: (instance, error) => {
      if (instance) return fuelUsage(instance, metered);
      // Instantiation threw: a start function that ran out of fuel used it all; after any other
      // failure there is no instance to read, so the fuel used is not known (null, not a guess).
      if (error !== undefined && isFuelTrap(error, metered)) return { consumed: metered.budget, exhausted: true };
      return null;
    },
  };
}
