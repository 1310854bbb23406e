import { useEffect, useRef } from 'react';
import type { JobEntry } from '../../engine/index.js';
import type { RunStore } from '../runs/run-store.js';
import { jobsToRerun } from '../state/watch-reruns.js';
import type { FolderSource } from './use-job-folder.js';

/**
 * With watch on, reruns each job whose module or manifest changed since its latest run, with
 * the same stdin; the store cancels the run in flight first. A job whose manifest now asks for
 * grants the user has not allowed is never rerun on its own: `onRerun` hears about each, and
 * `asks` says it was held back for that.
 *
 * It listens to the folder itself, not to the app's renders: a rebuilt module starts its run the
 * moment the folder has read it, not after a frame has been drawn (tens of milliseconds).
 */
export function useWatchReruns(folder: FolderSource, store: RunStore, watch: boolean, onRerun: (job: JobEntry, asks: boolean, changed: 'module' | 'manifest') => void): void {
  // onRerun is a notification; a new function identity is not a reason to subscribe again.
  const notify = useRef(onRerun);
  notify.current = onRerun;
  // Read by the folder's listener: once a frame says watch is off, no change reruns anything.
  const watching = useRef(watch);
  watching.current = watch;
  useEffect(() => {
    const rerun = (): void => {
      if (!watching.current) return;
      for (const job of jobsToRerun(folder.snapshot().jobs, (id) => store.latest(id))) {
        if (!job.spec) continue;
        const changed = store.latest(job.id)?.manifestHash !== job.manifestHash ? 'manifest' : 'module';
        if (store.pendingGrants(job.spec)) {
          notify.current(job, true, changed);
          continue;
        }
        const stdin = store.latest(job.id)?.stdin ?? '';
        store.start({ id: job.id, spec: job.spec, moduleHash: job.moduleHash, manifestHash: job.manifestHash }, stdin, 'watch');
        notify.current(job, false, changed);
      }
    };
    const unsubscribe = folder.subscribe(rerun);
    rerun(); // what changed while watch was off
    return unsubscribe;
  }, [folder, store, watch]);
}
