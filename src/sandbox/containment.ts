/**
 * The containment layers a job ran under, reported in `run --json`, the TUI and receipts v0.2.
 * Each layer says whether it held this job and, in one phrase, why or why not: a layer that is
 * unavailable on this machine is reported as such, never silently left out.
 */
export type LayerName =
  /** bubblewrap: user, mount, network, PID, IPC namespaces; only the granted dirs are visible. */
  | 'os_sandbox'
  /** Kernel resource limits on the worker process (RLIMIT_DATA, FSIZE, NOFILE, CPU …). */
  | 'kernel_limits'
  /** The worker dies with its parent (PR_SET_PDEATHSIG or bwrap --die-with-parent). */
  | 'die_with_parent'
  /** Node's permission model on the worker's own JavaScript. */
  | 'node_permissions'
  /** plasm-tui's WASI path checks: component-wise resolution, no escaping symlinks or `..`. */
  | 'wasi_paths';

export interface Layer {
  name: LayerName;
  active: boolean;
  /** One phrase: what it is here ("bwrap 0.8.0"), or why it is off ("bwrap is not installed"). */
  detail: string;
}

export const LAYER_NAMES: readonly LayerName[] = ['os_sandbox', 'kernel_limits', 'die_with_parent', 'node_permissions', 'wasi_paths'];
