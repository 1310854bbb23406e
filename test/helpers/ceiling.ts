/**
 * How long a wait may last before a test gives up. A ceiling, never a pace: a passing test goes
 * on the moment its state shows. Two busy cores (CI, a second `npm test` beside this one) start
 * processes and draw frames several times slower than a quiet machine, so every ceiling is
 * scaled by the machine: PLASM_TEST_WAIT_SCALE sets the factor by hand.
 */
import { availableParallelism } from 'node:os';

export const WAIT_SCALE = Number(process.env.PLASM_TEST_WAIT_SCALE) || (availableParallelism() <= 2 ? 4 : 2);

/** `ms` as measured on a quiet machine, scaled for this one. */
export function ceiling(ms: number): number {
  return ms * WAIT_SCALE;
}
