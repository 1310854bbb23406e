/**
 * Kernel resource limits for one worker, set with prlimit(1) in the exec chain so they hold
 * whether or not the OS sandbox is available, and even after the parent is gone.
 */
import { readFileSync } from 'node:fs';
import { MIB } from '../../core/limits.js';

/**
 * What the worker's Node runtime needs beyond the job's memory cap, measured on Node 20.20:
 * a WASI module growing to a 16 MiB cap needs RLIMIT_DATA of 128 MiB, to 64 MiB 160 MiB, to
 * 256 MiB about 400 MiB (V8's heap, code space and wasm bookkeeping all count). 256 MiB leaves
 * room for compiling a large .wat with wabt; a table bomb under a 64 MiB cap stops at ~290 MB RSS.
 */
export const RUNTIME_OVERHEAD_BYTES = 256 * MIB;

/**
 * What V8 reserves up front and RLIMIT_DATA counts differs by Node version: about 43 MiB on Node
 * 20 and 22, about 550 MiB on Node 24 (its code range), which then cannot even start under the
 * Node 20 figure. The worker runs this same runtime (process.execPath), so this process's own
 * reservation (its data size less its JavaScript heap), measured once, tells how much to add.
 */
const BASE_RESERVATION_BYTES = 48 * MIB;
let reservation: number | undefined;

export function runtimeReservationBytes(): number {
  if (reservation === undefined) {
    let data = 0;
    try {
      const kb = /VmData:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
      data = kb ? Number(kb) * 1024 : 0;
    } catch {
      data = 0;
    }
    reservation = Math.max(0, data - process.memoryUsage().heapTotal);
  }
  return reservation;
}

/** The largest file a job may write into a read-write dir by default; past it a write fails with EFBIG. */
export const MAX_FILE_BYTES = 1024 * MIB;

/** Open files: Node itself uses about 20; the rest is for the guest's own files. */
export const MAX_OPEN_FILES = 512;

/** CPU seconds beyond the wall-clock limit: the parent's timer always comes first while it lives. */
const CPU_MARGIN_SECONDS = 10;

export interface KernelLimits {
  /** RLIMIT_DATA: the job's memory cap plus the runtime's own. RLIMIT_AS would break V8's wasm. */
  dataBytes: number;
  fileBytes: number;
  openFiles: number;
  /** RLIMIT_CPU soft limit (SIGXCPU); the hard limit, a few seconds later, is SIGKILL. */
  cpuSeconds: number;
}

export function kernelLimits(job: { memoryCapBytes: number; timeoutMs: number; maxFileBytes?: number }): KernelLimits {
  const timeoutSeconds = Math.min(Math.ceil(job.timeoutMs / 1000), 2 ** 31 - 1 - 2 * CPU_MARGIN_SECONDS);
  return {
    dataBytes: job.memoryCapBytes + RUNTIME_OVERHEAD_BYTES + Math.max(0, runtimeReservationBytes() - BASE_RESERVATION_BYTES),
    fileBytes: job.maxFileBytes ?? MAX_FILE_BYTES,
    openFiles: MAX_OPEN_FILES,
    cpuSeconds: timeoutSeconds + CPU_MARGIN_SECONDS,
  };
}

/**
 * prlimit's options for these limits. Plain byte counts: util-linux 2.38 reads `--data=1G` as
 * one byte, not one gibibyte.
 */
export function prlimitArgs(limits: KernelLimits): string[] {
  return [
    `--data=${limits.dataBytes}`,
    `--fsize=${limits.fileBytes}`,
    `--nofile=${limits.openFiles}`,
    `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 5}`,
  ];
}

/** One phrase for the layer report. */
export function describeLimits(limits: KernelLimits): string {
  const mib = (bytes: number): string => `${Math.round(bytes / MIB)} MiB`;
  return (
    `RLIMIT_DATA ${mib(limits.dataBytes)}, FSIZE ${mib(limits.fileBytes)}, NOFILE ${limits.openFiles}, ` +
    `CPU ${limits.cpuSeconds} s; no RLIMIT_NPROC (it counts all of the user's processes and is not enforced for root)`
  );
}
