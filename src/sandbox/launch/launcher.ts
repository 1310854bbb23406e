/**
 * How a worker process is started: an exec chain around `node <flags> worker.js`. Each link
 * adds one containment layer and works alone when the others are missing:
 *
 *   [setpriv --pdeathsig KILL --]  [prlimit <limits> --]  [bwrap <namespaces, binds>]  node …
 *
 * bwrap's --die-with-parent ends the sandbox with bwrap; setpriv ends bwrap (or, without it, the
 * worker) with this program, whatever kills it. The launch says which layers hold, and why a
 * missing one does not.
 */
import type { Layer } from '../containment.js';
import { bwrapArgs, type BoundDir } from './bwrap.js';
import { OS_SANDBOX_ENV, type HostTools, type OsSandboxMode } from './detect.js';
import { plainCommand } from './plain.js';
import { describeLimits, prlimitArgs, type KernelLimits } from './rlimits.js';

export interface LaunchRequest {
  nodeFlags: string[];
  workerPath: string;
  /** Read-only folders the worker needs besides the runtime: its code, and wabt for text. */
  readDirs: string[];
  /** The job's granted dirs, as the worker's descriptors: bwrap binds them at their host paths. */
  dirs: BoundDir[];
  limits: KernelLimits;
}

export interface Launch {
  file: string;
  args: string[];
  /** The worker is not the process started (bwrap is): see stop.ts. */
  nested: boolean;
  layers: Layer[];
}

export type LaunchPlan = Launch | { problem: string; layers: Layer[] };

export function planLaunch(request: LaunchRequest, tools: HostTools, mode: OsSandboxMode): LaunchPlan {
  const bwrap = mode !== 'off' && tools.bwrap.ok ? tools.bwrap : null;
  const layers: Layer[] = [
    osSandboxLayer(tools, mode),
    tools.prlimit
      ? { name: 'kernel_limits', active: true, detail: describeLimits(request.limits) }
      : { name: 'kernel_limits', active: false, detail: 'prlimit is not installed' },
    bwrap
      ? { name: 'die_with_parent', active: true, detail: tools.setpriv ? 'bwrap --die-with-parent; bwrap itself by PR_SET_PDEATHSIG SIGKILL, set by setpriv' : 'bwrap --die-with-parent' }
      : tools.setpriv
        ? { name: 'die_with_parent', active: true, detail: 'PR_SET_PDEATHSIG SIGKILL, set by setpriv' }
        : { name: 'die_with_parent', active: false, detail: 'neither bwrap nor setpriv is installed' },
    {
      name: 'node_permissions',
      active: true,
      detail: 'reads limited to the worker\'s code; no writes, child processes, worker threads or addons',
    },
  ];
  if (mode === 'bwrap' && !tools.bwrap.ok) {
    return { problem: `${OS_SANDBOX_ENV}=bwrap asks for the bubblewrap sandbox, but ${tools.bwrap.problem}; refusing to run without it.`, layers };
  }

  let command = plainCommand(request.nodeFlags, request.workerPath);
  if (bwrap) command = [bwrap.path, ...bwrapArgs({ readDirs: request.readDirs, dirs: request.dirs }), ...command];
  if (tools.prlimit) command = [tools.prlimit, ...prlimitArgs(request.limits), '--', ...command];
  if (tools.setpriv) command = [tools.setpriv, '--pdeathsig', 'KILL', '--', ...command];
  const [file, ...args] = command as [string, ...string[]];
  return { file, args, nested: bwrap !== null, layers };
}

function osSandboxLayer(tools: HostTools, mode: OsSandboxMode): Layer {
  if (mode === 'off') return { name: 'os_sandbox', active: false, detail: `turned off (${OS_SANDBOX_ENV}=off)` };
  if (!tools.bwrap.ok) return { name: 'os_sandbox', active: false, detail: tools.bwrap.problem };
  return {
    name: 'os_sandbox',
    active: true,
    detail: `${tools.bwrap.version}: user, mount, network, PID, IPC, UTS and cgroup namespaces; only the granted dirs are visible`,
  };
}
