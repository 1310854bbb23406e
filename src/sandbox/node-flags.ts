import { join } from 'node:path';
import { capPages } from '../core/limits.js';
import { PACKAGE_ROOT } from '../core/paths.js';

/**
 * The worker, bundled into one file by scripts/bundle.mjs (from the CLI bundle, the tsc-built
 * SDK and the sources under test alike): it starts with a single module read.
 */
export const WORKER_PATH = join(PACKAGE_ROOT, 'dist', 'sandbox', 'worker.bundle.mjs');

/** What the worker may read of the package (`--allow-fs-read`, bwrap binds): that one file. */
export const WORKER_CODE_DIRS = [WORKER_PATH];

/** Node ≥ 22.13 calls it --permission; older releases only know --experimental-permission. */
const PERMISSION_FLAG = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';

/** V8's own default; real modules use tables of a few thousand entries. */
const V8_MAX_TABLE_ENTRIES = 10_000_000;

/**
 * Metering adds a local to every function and a few instructions to its blocks, so each frame of
 * a metered module is larger: measured on a one-line recursion, the deepest recursion that runs
 * fell by 11% (15,610 → 13,857 frames). A metered job's V8 stack is this much larger, so fuel
 * never lowers the recursion a module can do (test/cli/fuel.test.ts).
 */
export const METERED_STACK_FACTOR = 1.25;

export interface WorkerLimits {
  memoryCapBytes: number;
  stackKb: number;
  /** Metered for fuel: the stack is METERED_STACK_FACTOR larger. */
  metered?: boolean;
  /** Where the worker preopens its granted dirs: its WASI path layer reads them (lstat/readlink). */
  preopenPaths?: string[];
}

/**
 * The flags a sandbox worker starts with. File reads are limited to `readDirs` (the module's
 * bytes arrive over IPC), no child processes or worker threads, and V8 caps every wasm memory
 * at the job's limit so `memory.grow` fails (returns -1) instead of passing it.
 */
export function workerNodeFlags(limits: WorkerLimits, readDirs: string[] = WORKER_CODE_DIRS): string[] {
  return [
    PERMISSION_FLAG,
    ...readDirs.map((dir) => `--allow-fs-read=${dir}`),
    ...[...new Set(limits.preopenPaths ?? [])].map((dir) => `--allow-fs-read=${dir}`),
    '--allow-wasi',
    '--no-warnings',
    '--disallow-code-generation-from-strings',
    `--wasm-max-mem-pages=${capPages(limits.memoryCapBytes)}`,
    `--wasm-max-table-size=${maxTableEntries(limits.memoryCapBytes)}`,
    `--stack-size=${limits.metered ? Math.ceil(limits.stackKb * METERED_STACK_FACTOR) : limits.stackKb}`,
  ];
}

/**
 * Tables live outside linear memory, so the memory cap does not see them: a funcref entry costs
 * V8 about 40–50 bytes. One table may hold as many entries as the cap has 8-byte words (64 MiB:
 * 8 Mi entries), within V8's default; RLIMIT_DATA bounds what several tables add up to.
 */
export function maxTableEntries(memoryCapBytes: number): number {
  return Math.min(V8_MAX_TABLE_ENTRIES, Math.max(65_536, Math.floor(memoryCapBytes / 8)));
}
