import { useSyncExternalStore } from 'react';
import type { FolderSnapshot } from '../../engine/index.js';

/** What the app needs of the watched folder (JobFolder, or a stand-in in tests). */
export interface FolderSource {
  subscribe(listener: () => void): () => void;
  snapshot(): FolderSnapshot;
}

export function useJobFolder(folder: FolderSource): FolderSnapshot {
  return useSyncExternalStore(folder.subscribe, folder.snapshot);
}
