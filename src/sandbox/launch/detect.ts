/**
 * What this machine offers for containing a worker: bubblewrap (and whether user namespaces
 * let it run), prlimit and setpriv. Probed once per process (about 17 ms, synchronously, so
 * that the first job's worker starts in the same tick as every later one); the answer is cached.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type OsSandboxMode = 'auto' | 'bwrap' | 'off';
export const OS_SANDBOX_MODES: readonly OsSandboxMode[] = ['auto', 'bwrap', 'off'];
export const OS_SANDBOX_ENV = 'PLASM_OS_SANDBOX';

export type Bwrap = { ok: true; path: string; version: string } | { ok: false; problem: string };

export interface HostTools {
  bwrap: Bwrap;
  prlimit: string | null;
  setpriv: string | null;
}

/** The mode asked for in PLASM_OS_SANDBOX (default auto), or why its value is not one. */
export function osSandboxMode(env: NodeJS.ProcessEnv = process.env): OsSandboxMode | { problem: string } {
  const value = env[OS_SANDBOX_ENV]?.trim().toLowerCase() || 'auto';
  if ((OS_SANDBOX_MODES as readonly string[]).includes(value)) return value as OsSandboxMode;
  return { problem: `${OS_SANDBOX_ENV} must be auto, bwrap or off, not "${env[OS_SANDBOX_ENV]}".` };
}

let cached: HostTools | undefined;
let withoutBwrap: HostTools | undefined;

/** The tools; `mode` off skips the bwrap probe, whose answer would go unused. */
export function hostTools(mode: OsSandboxMode = 'auto'): HostTools {
  if (mode === 'off' && !cached) {
    withoutBwrap ??= { bwrap: { ok: false, problem: 'not probed (the OS sandbox is off)' }, prlimit: findTool('prlimit'), setpriv: findTool('setpriv') };
    return withoutBwrap;
  }
  cached ??= probe();
  return cached;
}

function probe(): HostTools {
  const bwrapPath = findTool('bwrap');
  return {
    bwrap: bwrapPath ? probeBwrap(bwrapPath) : { ok: false, problem: 'bwrap is not installed' },
    prlimit: findTool('prlimit'),
    setpriv: findTool('setpriv'),
  };
}

/** The tool's absolute path: the worker runs with an empty PATH, so it must be spelled out. */
function findTool(name: string): string | null {
  const dirs = ['/usr/bin', '/bin', ...(process.env.PATH ?? '').split(delimiter).filter((d) => d.startsWith('/'))];
  for (const dir of dirs) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // next
    }
  }
  return null;
}

/** A trivial sandbox with every namespace the worker gets: it fails where user namespaces are off. */
function probeBwrap(path: string): Bwrap {
  // One process: bwrap inside the trial sandbox prints its own version (one spawn, not two).
  const trial = run(path, ['--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL', '--ro-bind', '/', '/', path, '--version']);
  if (trial.ok) return { ok: true, path, version: trial.stdout.trim() || 'bwrap' };
  const why = trial.stderr.trim().split('\n')[0] ?? '';
  if (/namespace|uid map|Operation not permitted|Permission denied/i.test(why)) return { ok: false, problem: 'user namespaces are disabled' };
  return { ok: false, problem: `bwrap failed to start a sandbox (${why.replace(/^bwrap: /, '') || 'no reason given'})` };
}

function run(file: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync(file, args, { env: { PATH: '/usr/bin:/bin' }, timeout: 5000, encoding: 'utf8' });
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
}
