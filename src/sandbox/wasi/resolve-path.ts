/**
 * Resolves a guest path against a directory descriptor one component at a time, the way
 * wasmtime's cap-std does, so that uvwasi is only ever handed a path with no `..` and no
 * symlink it would have to judge: uvwasi checks a symlink's target lexically from the guest
 * path (`..` clamps at the guest `/`, the kernel does not), checks only the last component,
 * and tests "inside" with a string prefix. Here every symlink is read and followed by us, and
 * any step above the descriptor's directory — by `..`, an absolute path or a link — is EPERM
 * (wasmtime's answer; the wasi-testsuite accepts EPERM or ENOTCAPABLE).
 *
 * It looks at the host with `lstat`/`readlink` on host paths (the worker is granted read access
 * to its preopens for this). The alternative, asking uvwasi about each prefix, would need
 * scratch space in guest memory for every step and would still go through uvwasi's own
 * resolution; host calls on paths we build from checked components are simpler to reason about.
 * Every path built here is a directory already seen to be a real directory (not a link) plus
 * one plain name, so the kernel follows nothing we have not checked — as long as nobody else
 * changes the tree meanwhile (see the race note in confine-paths.ts).
 */
import { lstatSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { ERRNO, errnoOf } from './errno.js';

/** Linux's limit, and cap-std's: more expansions than this in one lookup is ELOOP. */
const MAX_SYMLINK_EXPANSIONS = 40;
/** Linux's PATH_MAX, counting the NUL a C string ends with. */
const PATH_MAX = 4096;

export interface Resolved {
  /** Relative to the descriptor's directory, `..`- and link-free; "." for the directory itself. */
  path: string;
  /** What is at the path now (not followed if it is a link), or null if nothing is. */
  stat: Stats | null;
}

export type Resolution = { ok: true; value: Resolved } | { ok: false; errno: number };

const fail = (errno: number): Resolution => ({ ok: false, errno });

/**
 * `base` is the descriptor's host directory (itself checked by the caller); `follow` says
 * whether a symlink as the last component is followed (LOOKUPFLAGS_SYMLINK_FOLLOW).
 * Intermediate components are always followed, as in wasmtime, when that stays inside.
 */
export function resolvePath(base: string, guestPath: string, follow: boolean): Resolution {
  if (guestPath === '') return fail(ERRNO.NOENT);
  // The host kernel refuses a path this long before looking at any of it, and so does this.
  if (Buffer.byteLength(guestPath) >= PATH_MAX) return fail(ERRNO.NAMETOOLONG);
  if (guestPath.includes('\0')) return fail(ERRNO.INVAL);
  if (guestPath.startsWith('/')) return fail(ERRNO.PERM);
  // A trailing slash asks for a directory and follows a final link, as POSIX has it.
  const trailingSlash = guestPath.endsWith('/');
  const pending = guestPath.split('/').filter((c) => c !== '' && c !== '.');
  const done: string[] = [];
  let stat: Stats | null = null;
  let expansions = 0;
  // True when the last step was `..` or a link ending in one: `stat` is not of where we are.
  let stale = true;

  while (pending.length > 0) {
    const name = pending.shift() as string;
    if (name === '..') {
      if (done.length === 0) return fail(ERRNO.PERM);
      done.pop();
      stale = true;
      continue;
    }
    const last = pending.length === 0;
    const host = `${base}/${[...done, name].join('/')}`;
    try {
      stat = lstatSync(host, { throwIfNoEntry: false }) ?? null;
    } catch (error) {
      return fail(errnoOf(error));
    }
    stale = false;
    if (stat === null) {
      if (!last) return fail(ERRNO.NOENT);
      done.push(name);
      break;
    }
    if (stat.isSymbolicLink() && (!last || follow || trailingSlash)) {
      if (++expansions > MAX_SYMLINK_EXPANSIONS) return fail(ERRNO.LOOP);
      let target: string;
      try {
        target = readlinkSync(host, 'utf8');
      } catch (error) {
        return fail(errnoOf(error));
      }
      if (target.startsWith('/')) return fail(ERRNO.PERM);
      // The link's target is taken from the directory that holds the link, which is `done`.
      pending.unshift(...target.split('/').filter((c) => c !== '' && c !== '.'));
      stale = true;
      continue;
    }
    if (!last && !stat.isDirectory()) return fail(ERRNO.NOTDIR);
    done.push(name);
  }
  if (stale) {
    try {
      // The descriptor's own directory is followed: its path may be a magic link (/proc/self/fd/N).
      stat = (done.length === 0 ? statSync(base, { throwIfNoEntry: false }) : lstatSync(`${base}/${done.join('/')}`, { throwIfNoEntry: false })) ?? null;
    } catch (error) {
      return fail(errnoOf(error));
    }
  }
  return resolveFinal(done, stat, trailingSlash);
}

function resolveFinal(done: string[], stat: Stats | null, trailingSlash: boolean): Resolution {
  if (trailingSlash && stat !== null && !stat.isDirectory()) return fail(ERRNO.NOTDIR);
  const path = done.length === 0 ? '.' : done.join('/') + (trailingSlash ? '/' : '');
  return { ok: true, value: { path, stat } };
}
