/**
 * The bubblewrap command line for one worker. The sandbox starts from an empty root: the Node
 * runtime and its shared libraries, the worker's own code and the job's granted dirs are bound
 * in at their host paths (the worker preopens host paths), and nothing else of the host is.
 */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import type { Preopen } from '../protocol.js';

/** Where the Node runtime's shared libraries live; a merged-/usr system has symlinks here. */
const LIBRARY_DIRS = ['/usr/lib', '/usr/lib64', '/lib', '/lib64', '/lib32'];

/**
 * Node's IPC channel is found through these variables; execa sets them, and `--clearenv` would
 * drop them. The channel is the fourth stdio slot (stdin, stdout, stderr, ipc), see spawn.ts.
 */
const IPC_ENV = { NODE_CHANNEL_FD: '3', NODE_CHANNEL_SERIALIZATION_MODE: 'advanced' };

export interface BwrapMounts {
  /** Read-only folders the worker needs: its own code, and wabt when it compiles text. */
  readDirs: string[];
  dirs: Preopen[];
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
    ...mounts.dirs.flatMap((dir) => [dir.readonly ? '--ro-bind' : '--bind', dir.host, dir.host]),
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
