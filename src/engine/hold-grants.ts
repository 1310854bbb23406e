/**
 * Granted dirs, from consent to use. A dir is allowed by its real path; when its job is about to
 * run, the path is opened once, component by component, none of them a symlink (see
 * core/open-dir.ts), and from then on only that descriptor is used: the sandbox binds or
 * preopens it, never the name. Whatever swaps the name later (another job sharing the folder,
 * the folder's owner) swaps it for nobody.
 *
 * Some sets of grants are refused before anything opens: a folder inside another the job may
 * write (the job could rename it away and put a symlink in its place, through the outer one),
 * and a folder that holds or is a pseudo-filesystem (/proc, /sys, /dev: the sandbox's own /proc
 * would give the module its worker's memory).
 */
import { closeSync } from 'node:fs';
import { describeError, PlasmError } from '../core/errors.js';
import { identityOf, openDirectory } from '../core/open-dir.js';
import type { GrantedDir } from '../sandbox/granted-dir.js';
import type { JobDir } from './job.js';

const PSEUDO_FILESYSTEMS = ['/proc', '/sys', '/dev'];

export interface HeldGrants {
  dirs: GrantedDir[];
  /** Closes every descriptor (the worker has its own copies once started). */
  close(): void;
}

/** Why this set of grants cannot be given, in one sentence; null when it can. */
export function grantProblem(dirs: readonly JobDir[]): string | null {
  for (const dir of dirs) {
    const pseudo = PSEUDO_FILESYSTEMS.find((fs) => inside(dir.host, fs) || inside(fs, dir.host));
    if (pseudo) {
      return `${dir.host} (for ${dir.guest}) ${dir.host === pseudo || inside(dir.host, pseudo) ? 'is in' : 'holds'} ${pseudo}, which would let the module reach the sandbox's own process; grant a folder that holds no system files instead.`;
    }
  }
  for (const outer of dirs) {
    if (outer.readonly) continue;
    const nested = dirs.find((dir) => dir !== outer && inside(dir.host, outer.host));
    if (nested) {
      return `${nested.host} (for ${nested.guest}) lies inside the read-write grant ${outer.host} (for ${outer.guest}), through which the module could replace it; grant one of them, not both.`;
    }
  }
  return null;
}

/** Opens every granted dir; throws a PlasmError naming the dir that is not what was allowed. */
export function holdGrants(dirs: readonly JobDir[]): HeldGrants {
  const held: GrantedDir[] = [];
  const close = (): void => {
    for (const dir of held.splice(0)) closeSync(dir.fd);
  };
  try {
    for (const dir of dirs) {
      const fd = openDirectory(dir.host);
      held.push({ host: dir.host, guest: dir.guest, readonly: dir.readonly, fd, ...identityOf(fd) });
    }
  } catch (error) {
    close();
    throw error instanceof PlasmError ? error : new PlasmError('io', `Could not open a granted folder: ${describeError(error)}.`);
  }
  return { dirs: held, close };
}

/** `path` is `dir` or below it. */
function inside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);
}
