/**
 * A granted directory as the sandbox receives it: already open. The engine opened it once,
 * without following a symlink anywhere on its path (core/open-dir.ts), when the job was about to
 * run; from then on only that descriptor is used. The worker process inherits it as fd 4, 5, …
 * (after stdin, stdout, stderr and the IPC channel): bubblewrap binds the descriptor itself
 * (`--bind-fd`), and without bubblewrap the worker preopens `/proc/self/fd/N`. Nothing binds or
 * opens the directory's name again, so swapping that name for a symlink after the grant was
 * checked changes nothing for this job.
 */
import type { Preopen } from './protocol.js';

export interface GrantedDir extends Preopen {
  /** The open directory, in this (the parent) process. */
  fd: number;
  /** What `fd` has open: a spare started for one job serves another only for the very same dirs. */
  dev: number;
  ino: number;
}

/** The worker's descriptor for the i-th granted dir: after stdin, stdout, stderr and IPC (3). */
export function childFd(index: number): number {
  return 4 + index;
}

/**
 * The path the worker preopens the i-th dir at: inside bubblewrap the dir is bound at its host
 * path (a mount in the sandbox's own namespace, which nobody outside can swap); without it, the
 * inherited descriptor's magic link.
 */
export function workerPath(dir: Preopen, index: number, bound: boolean): string {
  return bound ? dir.host : `/proc/self/fd/${childFd(index)}`;
}
