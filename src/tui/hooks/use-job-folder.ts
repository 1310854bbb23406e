import { useCallback, useSyncExternalStore } from 'react';
import type { FolderSnapshot } from '../../engine/index.js';
import { pacer } from './use-throttled.js';

/** What the app needs of the watched folder (JobFolder, or a stand-in in tests). */
export interface FolderSource {
  subscribe(listener: () => void): () => void;
  snapshot(): FolderSnapshot;
}

/** How often the job list redraws while files keep changing (a scan, a build writing many files). */
const FOLDER_REDRAW_MS = 33;

/**
 * The folder's jobs, redrawn at a pace (see use-throttled.ts), a task after a change: a change
 * that starts a rerun (use-watch-reruns.ts) lets the run reach its sandbox first.
 */
export function useJobFolder(folder: FolderSource): FolderSnapshot {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const pace = pacer(onChange, FOLDER_REDRAW_MS);
      const unsubscribe = folder.subscribe(() => pace.change());
      return () => {
        pace.stop();
        unsubscribe();
      };
    },
    [folder],
  );
  return useSyncExternalStore(subscribe, folder.snapshot);
}
