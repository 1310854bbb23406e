/**
 * Where the daemon's socket lives, and the checks that keep it the user's own: the socket is
 * `$XDG_RUNTIME_DIR/plasm-tui/daemon.sock`. Its folder must be a real directory (no symlink)
 * owned by this user with no access for anyone else (0700), and so must the runtime dir: the
 * daemon refuses to listen, and a client refuses to connect, on a socket anyone else can reach
 * or could have put there. Without XDG_RUNTIME_DIR (a container, a CI job), a private folder in
 * the system's temporary dir is used, and both sides say so.
 */
import { lstatSync, mkdirSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlasmError } from '../core/errors.js';

export interface DaemonPlace {
  dir: string;
  socket: string;
  /** Why this folder and not $XDG_RUNTIME_DIR/plasm-tui, when it is not; null when it is. */
  fallback: string | null;
}

const uid = (): number => process.getuid?.() ?? -1;

export function daemonPlace(env: NodeJS.ProcessEnv = process.env): DaemonPlace {
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && runtime.startsWith('/')) {
    const dir = join(runtime, 'plasm-tui');
    return { dir, socket: join(dir, 'daemon.sock'), fallback: null };
  }
  const dir = join(tmpdir(), `plasm-tui-${uid()}`);
  return { dir, socket: join(dir, 'daemon.sock'), fallback: `XDG_RUNTIME_DIR is not set, so the daemon's socket is in ${dir}` };
}

/** Why `path` is not a folder only this user can reach, or null when it is. */
export function privateDirProblem(path: string): string | null {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    return `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  if (stats.isSymbolicLink()) return `${path} is a symbolic link`;
  if (!stats.isDirectory()) return `${path} is not a directory`;
  if (stats.uid !== uid()) return `${path} belongs to user ${stats.uid}, not to you (${uid()})`;
  if ((stats.mode & 0o077) !== 0) return `${path} can be reached by other users (mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')}; it must be 0700)`;
  return null;
}

/**
 * The socket's folder, made if missing (0700), checked with its parent: a PlasmError naming
 * what is wrong otherwise. Used by `serve` before it listens.
 */
export function preparePlace(place: DaemonPlace): void {
  const parent = join(place.dir, '..');
  // The runtime dir itself is the user's (XDG: 0700); the temporary dir is shared (sticky).
  if (place.fallback === null) {
    const problem = privateDirProblem(parent);
    if (problem) throw new PlasmError('invalid', `The runtime dir is not private: ${problem}; refusing to put the daemon's socket there.`);
  }
  try {
    mkdirSync(place.dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new PlasmError('io', `Cannot create ${place.dir}: ${(error as Error).message}.`);
  }
  const problem = privateDirProblem(place.dir);
  if (problem) throw new PlasmError('invalid', `Refusing to use ${place.dir} for the daemon's socket: ${problem}.`);
}

/** Why a client must not connect to the socket at `place` (not private, not a socket), or null. */
export function socketProblem(place: DaemonPlace): string | null {
  try {
    lstatSync(place.dir);
  } catch {
    return 'missing'; // no daemon ever ran here
  }
  const problem = privateDirProblem(place.dir);
  if (problem) return problem;
  let stats: Stats;
  try {
    stats = lstatSync(place.socket);
  } catch {
    return 'missing';
  }
  if (!stats.isSocket()) return `${place.socket} is not a socket`;
  if (stats.uid !== uid()) return `${place.socket} belongs to user ${stats.uid}, not to you`;
  return null;
}
