/**
 * Why a worker died without reporting a result, when the kernel's limits explain it: V8 aborts
 * when an allocation fails under RLIMIT_DATA ("Fatal process out of memory", std::bad_alloc),
 * and RLIMIT_CPU ends a process with SIGXCPU. Under bwrap the worker is not our child: bwrap
 * passes its death on as exit code 128 + signal. The guest cannot send the worker a signal
 * (proc_raise never reaches uvwasi: ./wasi/proc-calls.ts), so a signal read here came from the
 * kernel or from outside, never from the module itself.
 */
import { constants } from 'node:os';
import type { Status } from '../core/status.js';

const OUT_OF_MEMORY = /Fatal process out of memory|Allocation failed|std::bad_alloc|Cannot allocate Wasm memory|FATAL ERROR: .*out of memory/i;

export interface Death {
  signal?: string;
  exitCode?: number;
}

/** The signal that ended the worker, directly or as bwrap reports it. */
export function deathSignal(death: Death): string | null {
  if (death.signal) return death.signal;
  const code = death.exitCode;
  if (code === undefined || code <= 128 || code >= 128 + 65) return null;
  return Object.entries(constants.signals).find(([, number]) => number === code - 128)?.[0] ?? null;
}

export function limitDeath(death: Death, stderr: Buffer, job: { memoryCapBytes: number; cpuSeconds: number }): { status: Status; message: string } | null {
  const signal = deathSignal(death);
  if (signal === 'SIGXCPU') {
    return { status: 'timeout', message: `The job used more than ${job.cpuSeconds} s of CPU time and was stopped by the kernel's limit.` };
  }
  if (signal !== null && OUT_OF_MEMORY.test(stderr.toString('utf8'))) {
    const capMb = job.memoryCapBytes / (1024 * 1024);
    return { status: 'memory_limit', message: `The job needed more memory than its ${capMb} MiB cap allows (tables and the runtime's own included) and was stopped.` };
  }
  return null;
}
