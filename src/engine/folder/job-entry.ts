import type { Hash } from '../../core/hash.js';
import type { JobSpec } from '../job.js';

/** One row of the job list: a manifest or a module no manifest covers. */
export interface JobEntry {
  /** The manifest's or module's absolute path: stable while the file exists. */
  id: string;
  /** Display name (the job's name; its relative path when two jobs share a name). */
  name: string;
  /** Path relative to the watched folder. */
  relPath: string;
  kind: 'module' | 'manifest';
  /** For a module a manifest runs: that manifest's id (the row is shown under it). */
  parent?: string | null;
  /** Null when the manifest cannot be turned into a job; `error` says why. */
  spec: JobSpec | null;
  error: { message: string; details: string[] } | null;
  /** Runnable, but something is already known to be wrong (e.g. the module file is missing). */
  warning: string | null;
  /** Why a rebuild of the module this manifest names is not seen (outside the folder, behind a symlink…); null when it is. */
  unwatched?: string | null;
  /** Current bytes on disk, when the module is inside the watched folder. */
  moduleHash: Hash | null;
  manifestHash: Hash | null;
}
