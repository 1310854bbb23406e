import type { JobEntry } from '../../engine/index.js';
import type { RunRecord } from '../runs/run-record.js';

/**
 * Jobs whose module or manifest on disk differs from what their latest run started with. Only
 * jobs that have run in this session qualify: a rebuild reruns what you are working on, it does
 * not start every job in the folder. Comparing hashes (not file events) makes a rename-over, an
 * editor's delete-and-recreate or a duplicate event all count once, and a `touch` not at all.
 */
export function jobsToRerun(jobs: readonly JobEntry[], latest: (jobId: string) => RunRecord | undefined): JobEntry[] {
  return jobs.filter((job) => {
    if (!job.spec || job.moduleHash === null) return false;
    const run = latest(job.id);
    if (!run) return false;
    return run.moduleHash !== job.moduleHash || run.manifestHash !== job.manifestHash;
  });
}
