import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASM_PAGE } from '../core/limits.js';
import { PACKAGE_ROOT } from '../core/paths.js';

const here = fileURLToPath(import.meta.url);
/** The compiled worker; when this file runs from source (tests), the built one in dist/. */
export const WORKER_PATH = here.endsWith('.ts') ? join(PACKAGE_ROOT, 'dist', 'sandbox', 'worker.js') : join(dirname(here), 'worker.js');

/** Node ≥ 22.13 calls it --permission; older releases only know --experimental-permission. */
const PERMISSION_FLAG = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';

export interface WorkerLimits {
  memoryCapBytes: number;
  stackKb: number;
  /** The worker's WASI path layer reads the granted dirs (lstat/readlink) to resolve paths. */
  preopens?: { host: string }[];
}

/**
 * The flags a sandbox worker starts with. File reads are limited to the worker's own folder
 * (the module's bytes arrive over IPC), no child processes or worker threads, and V8 caps every
 * wasm memory at the job's limit so `memory.grow` fails (returns -1) instead of passing it.
 */
export function workerNodeFlags(limits: WorkerLimits): string[] {
  return [
    PERMISSION_FLAG,
    `--allow-fs-read=${dirname(WORKER_PATH)}`,
    ...preopenReads(limits.preopens ?? []),
    '--allow-wasi',
    '--no-warnings',
    '--disallow-code-generation-from-strings',
    `--wasm-max-mem-pages=${Math.max(1, Math.floor(limits.memoryCapBytes / WASM_PAGE))}`,
    `--stack-size=${limits.stackKb}`,
  ];
}

/** Both the path as given and its real path: uvwasi (and so the path layer) works on the latter. */
function preopenReads(preopens: { host: string }[]): string[] {
  return [...new Set(preopens.flatMap((p) => [p.host, realOrSame(p.host)]))].map((dir) => `--allow-fs-read=${dir}`);
}

function realOrSame(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}
