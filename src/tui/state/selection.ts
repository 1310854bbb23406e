/** Filtering, selecting and windowing the job list: pure functions of the list and UI state. */
import type { JobEntry } from '../../engine/index.js';
import { clamp, type UiState } from './ui-state.js';

export function filterJobs(jobs: readonly JobEntry[], filter: string): readonly JobEntry[] {
  const needle = filter.trim().toLowerCase();
  if (needle === '') return jobs;
  return jobs.filter((job) => job.name.toLowerCase().includes(needle) || job.relPath.toLowerCase().includes(needle));
}

/**
 * Index of the selected job in `visible`; if it is gone, the job now nearest its old place.
 * Nothing is selected while the first scan runs and nobody has picked a job (-1): the top row
 * would change under the user as files are found, and ⏎ would run a job they did not pick.
 */
export function selectedIndex(visible: readonly JobEntry[], state: Pick<UiState, 'selectedId' | 'selectedIndex'>, ready = true): number {
  if (visible.length === 0) return -1;
  if (state.selectedId === null && !ready) return -1;
  const found = state.selectedId === null ? -1 : visible.findIndex((job) => job.id === state.selectedId);
  return found >= 0 ? found : clamp(state.selectedIndex, 0, visible.length - 1);
}

/** The index `delta` rows away, stopping at the ends. */
export function moveSelection(visible: readonly JobEntry[], from: number, delta: number): number {
  if (visible.length === 0) return -1;
  return clamp(from + delta, 0, visible.length - 1);
}

/** First row to show so that `index` stays visible in `height` rows, roughly centred. */
export function windowStart(index: number, count: number, height: number): number {
  if (count <= height || index < 0) return 0;
  return clamp(index - Math.floor(height / 2), 0, count - height);
}
