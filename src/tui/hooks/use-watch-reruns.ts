import { useEffect } from 'react';
import type { JobEntry } from '../../engine/index.js';
import type { RunStore } from '../runs/run-store.js';
import { jobsToRerun } from '../state/watch-reruns.js';

/**
 * With watch on, reruns each job whose module or manifest changed since its latest run, with
 * the same stdin; the store cancels the run in flight first. A job whose manifest now asks for
 * grants the user has not allowed is never rerun on its own: `onRerun` hears about each, and
 * `asks` says it was held back for that.
 */
export function useWatchReruns(jobs: readonly JobEntry[], store: RunStore, watch: boolean, onRerun: (job: JobEntry, asks: boolean, changed: 'module' | 'manifest') => void): void {
  useEffect(() => {
    if (!watch) return;
    for (const job of jobsToRerun(jobs, (id) => store.latest(id))) {
      if (!job.spec) continue;
      const changed = store.latest(job.id)?.manifestHash !== job.manifestHash ? 'manifest' : 'module';
      if (store.pendingGrants(job.spec)) {
        onRerun(job, true, changed);
        continue;
      }
      const stdin = store.latest(job.id)?.stdin ?? '';
      store.start({ id: job.id, spec: job.spec, moduleHash: job.moduleHash, manifestHash: job.manifestHash }, stdin, 'watch');
      onRerun(job, false, changed);
    }
    // onRerun is a notification; a new function identity is not a reason to look again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [jobs, store, watch]);
}
