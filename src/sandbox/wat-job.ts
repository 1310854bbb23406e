/**
 * A .wat job compiled inside the worker, so that the wall-clock limit and the kernel's memory
 * limits cover compiling it too. wabt is imported from the URL the parent resolved (the worker
 * may read that folder and nothing else of node_modules).
 *
 * wabt is itself a wasm module, and `--wasm-max-mem-pages` caps every wasm memory in the
 * process: its 16 MiB heap would not fit a 16 MiB job. So the cap is lifted while wabt runs
 * (RLIMIT_DATA still bounds it) and put back, and checked, before the guest is compiled.
 */
import { setFlagsFromString } from 'node:v8';
import { capPages, initialMemoryOverCap, MIB } from '../core/limits.js';
import { inspectWasm } from '../core/wasm-info.js';
import { compileWat, type Wabt } from '../core/wat-text.js';
import type { JobMessage, WorkerMessage } from './protocol.js';

type Refusal = Omit<Extract<WorkerMessage, { type: 'result' }>, 'type'>;

/** The job's wasm bytes, or the result that refuses it (invalid text, initial memory over the cap). */
export async function watJobBytes(job: JobMessage & { wat: NonNullable<JobMessage['wat']> }): Promise<Uint8Array | Refusal> {
  const { fileName, wabtUrl } = job.wat;
  const refuse = (outcome: Refusal['outcome'], message: string): Refusal => ({ outcome, exit_code: null, message, run_ms: 0, memory_bytes: null });
  let compiled: Uint8Array | string;
  const wabt = await loadWabt(wabtUrl, job.memoryCapBytes);
  setFlagsFromString('--wasm-max-mem-pages=65536');
  try {
    compiled = compileWat(wabt, fileName, Buffer.from(job.module).toString('utf8'));
  } finally {
    setFlagsFromString(`--wasm-max-mem-pages=${capPages(job.memoryCapBytes)}`);
  }
  if (!capHolds(job.memoryCapBytes)) return refuse('error', 'The sandbox could not restore the memory cap after compiling the text; the job was not run.');
  // wabt aborts (an Emscripten abort, no message) when its heap cannot grow under RLIMIT_DATA.
  if (typeof compiled === 'string' && /^Aborted\(\)/.test(compiled)) {
    return refuse('memory_limit', `Compiling ${fileName} needed more memory than the job's ${job.memoryCapBytes / MIB} MiB cap and the runtime's allowance.`);
  }
  if (typeof compiled === 'string') return refuse('invalid', `${fileName} is not valid WebAssembly text: ${compiled}`);

  const overCap = initialMemoryOverCap(inspectWasm(compiled).initialPages, job.memoryCapBytes);
  if (overCap) return refuse('memory_limit', overCap);
  return compiled;
}

let wabtLoading: Promise<Wabt> | undefined;

/**
 * wabt, loaded once: by an idle spare ahead of its job (a load-wabt message), else by the job.
 * Its 16 MiB heap is made with the cap lifted; the cap is back before this resolves.
 */
export function loadWabt(wabtUrl: string, memoryCapBytes: number): Promise<Wabt> {
  wabtLoading ??= (async () => {
    const wabt = (await import(wabtUrl)) as { default: () => Promise<Wabt> };
    setFlagsFromString('--wasm-max-mem-pages=65536');
    try {
      return await wabt.default();
    } finally {
      setFlagsFromString(`--wasm-max-mem-pages=${capPages(memoryCapBytes)}`);
    }
  })();
  return wabtLoading;
}

/** True when a memory one page over the cap is refused, as the guest's will be. */
function capHolds(memoryCapBytes: number): boolean {
  const pages = capPages(memoryCapBytes);
  if (pages >= 65536) return true;
  try {
    new WebAssembly.Memory({ initial: pages + 1 });
    return false;
  } catch {
    return true;
  }
}
