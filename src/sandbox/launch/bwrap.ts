/**
 * The bubblewrap command line for one worker. The sandbox starts from an empty root: the Node
 * runtime and its shared libraries, the worker's own code and the job's granted dirs are bound
 * in at their host paths (the worker preopens host paths), and nothing else of the host is.
 * Granted dirs are bound from the descriptors the worker inherits (`--bind-fd`), never by name:
 * a name is resolved when bwrap starts, which may be after someone swapped it for a symlink.
 */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';

/** Where the Node runtime's shared libraries live; a merged-/usr system has symlinks here. */
const LIBRARY_DIRS = ['/usr/lib', '/usr/lib64', '/lib', '/lib64', '/lib32'];

/**
 * Node's IPC channel is found through these variables; execa sets them, and `--clearenv` would
 * drop them. The channel is the fourth stdio slot (stdin, stdout, stderr, ipc), see spawn.ts.
 */
const IPC_ENV = { NODE_CHANNEL_FD: '3', NODE_CHANNEL_SERIALIZATION_MODE: 'advanced' };

/** A granted dir as bwrap binds it: the worker's descriptor for it, and where it shows. */
export interface BoundDir {
  fd: number;
  host: string;
  readonly: boolean;
}

export interface BwrapMounts {
  /** Read-only folders the worker needs: its own code, and wabt when it compiles text. */
  readDirs: string[];
  dirs: BoundDir[];
}

export function bwrapArgs(mounts: BwrapMounts): string[] {
  const args = [
    '--unshare-all', // user, mount, network, PID, IPC, UTS and cgroup namespaces
    '--die-with-parent',
    '--new-session',
    '--cap-drop', 'ALL',
    '--clearenv',
    ...Object.entries(IPC_ENV).flatMap(([key, value]) => ['--setenv', key, value]),
    // Before any bind: a tmpfs mounted later would hide the binds under /tmp (test dirs live there).
    '--tmpfs', '/tmp',
    // The sandbox's own PID namespace: libuv reads /proc/self for the RSS and the executable path.
    '--proc', '/proc',
    '--dev', '/dev',
    ...LIBRARY_DIRS.flatMap(libraryMount),
    ...roBind(process.execPath),
    ...mounts.readDirs.flatMap(roBind),
    // Outer folders first: a bind listed after one inside it would hide it.
    ...outerFirst(mounts.dirs).flatMap((dir) => [dir.readonly ? '--ro-bind-fd' : '--bind-fd', String(dir.fd), dir.host]),
    '--chdir', '/',
  ];
  return args;
}

/** Bound at its own path, and at its real path when that differs (a symlinked node_modules). */
function roBind(path: string): string[] {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    // missing: bwrap will say so when it starts
  }
  return real === path ? ['--ro-bind', path, path] : ['--ro-bind', real, real, '--ro-bind', real, path];
}

function libraryMount(path: string): string[] {
  try {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return ['--symlink', readlinkSync(path), path];
    if (stat.isDirectory()) return ['--ro-bind', path, path];
  } catch {
    // not on this system
  }
  return [];
}

/** Granted dirs ordered so that a folder comes before any folder inside it. */
function outerFirst(dirs: BoundDir[]): BoundDir[] {
  const depth = (dir: BoundDir): number => dir.host.split('/').filter(Boolean).length;
  return [...dirs].sort((a, b) => depth(a) - depth(b));
}
