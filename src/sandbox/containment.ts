/**
 * The containment layers a job ran under, reported in `run --json`, the TUI and receipts v0.2.
 * Each layer says whether it held this job and, in one phrase, why or why not: a layer that is
 * unavailable on this machine is reported as such, never silently left out.
 */
import type { ReceiptV02 } from '../core/schema-types/receipt-v0.2.js';

/**
 * One layer (its type generated from schemas/receipt-v0.2.schema.json): `name` is os_sandbox
 * (bubblewrap: user, mount, network, PID, IPC namespaces; only the granted dirs are visible),
 * kernel_limits (RLIMIT_DATA, FSIZE, NOFILE, CPU …), die_with_parent (PR_SET_PDEATHSIG or bwrap
 * --die-with-parent), node_permissions (Node's permission model on the worker's own JavaScript)
 * or wasi_paths (plasm-tui's WASI path checks); `detail` is one phrase: what it is here ("bwrap
 * 0.8.0"), or why it is off ("bwrap is not installed").
 */
export type Layer = ReceiptV02['containment'][number];
export type LayerName = Layer['name'];

export const LAYER_NAMES: readonly LayerName[] = ['os_sandbox', 'kernel_limits', 'die_with_parent', 'node_permissions', 'wasi_paths'];
