import type { RunStore } from '../runs/run-store.js';
import { useThrottledVersion } from './use-throttled.js';

/** ~30 redraws a second at most while output streams (Ink's own frame rate); see use-throttled.ts. */
export const RUN_REDRAW_MS = 33;

/** Re-renders the caller when runs change; the returned number changes with each redraw. */
export function useRuns(store: RunStore): number {
  return useThrottledVersion(store.subscribe, RUN_REDRAW_MS);
}
