/**
 * Directories held by descriptor. A name checked at one moment and used at a later one can be
 * swapped for a symlink in between (by another job sharing the folder, or the folder's owner);
 * a descriptor cannot: it stays on the directory it was opened on, whatever has its name now.
 *
 * Node has no `openat`, but on Linux `/proc/self/fd/N/rest` resolves `rest` from the directory
 * that descriptor N has open (a "magic link"), so every later step below an opened directory
 * goes through its descriptor, never through its name. Each component is opened with
 * O_NOFOLLOW: a symlink anywhere on the way is refused, not followed (the paths given here are
 * real paths, resolved when the grant was made, so a symlink now means something changed).
 */
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import { PlasmError, describeError } from './errors.js';

/** A directory, and only if the last component is not a symlink (ELOOP then). */
export const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/** The path that reaches `names` below the directory open as `fd` (Linux's /proc magic link). */
export function fdPath(fd: number, ...names: string[]): string {
  return [`/proc/self/fd/${fd}`, ...names].join('/');
}

/** Where descriptors can be used as directories by path: Linux with /proc mounted. */
export function canAnchor(): boolean {
  try {
    const fd = openSync('/proc/self/fd', DIR_FLAGS);
    closeSync(fd);
    return true;
  } catch {
    return false;
  }
}

/**
 * Opens the absolute `path` one component at a time from `/`, each below the descriptor of the
 * one before, none of them a symlink. Returns the directory's descriptor (the caller closes it).
 */
export function openDirectory(path: string): number {
  if (!path.startsWith('/')) throw new PlasmError('internal', `${path} is not an absolute path.`);
  let fd = openSync('/', DIR_FLAGS);
  try {
    for (const name of path.split('/').filter((n) => n !== '' && n !== '.')) {
      if (name === '..') throw new PlasmError('invalid', `${path} has a .. in it; a granted folder is given by its real path.`);
      const next = openDirBelow(fd, name, path);
      closeSync(fd);
      fd = next;
    }
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Opens the directory `name` below the directory open as `parent`; `whole` names it in errors. */
export function openDirBelow(parent: number, name: string, whole: string): number {
  try {
    return openSync(fdPath(parent, name), DIR_FLAGS);
  } catch (error) {
    throw changedError(error, whole);
  }
}

/** Identity of what a descriptor has open: the same device and inode is the same directory. */
export function identityOf(fd: number): { dev: number; ino: number } {
  const stat = fstatSync(fd);
  return { dev: stat.dev, ino: stat.ino };
}

function changedError(error: unknown, path: string): PlasmError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ELOOP' || code === 'ENOTDIR') {
    return new PlasmError('invalid', `${path} is no longer the directory it was (a part of it is now a symlink or a file); refusing to use it.`);
  }
  if (code === 'ENOENT') return new PlasmError('not_found', `${path} does not exist any more.`);
  if (code === 'EACCES' || code === 'EPERM') return new PlasmError('io', `Permission denied while opening ${path}.`);
  return new PlasmError('io', `Could not open ${path}: ${describeError(error)}.`);
}
