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
import { capPages, MIB, WASM_PAGE } from '../core/limits.js';
import { inspectWasm } from '../core/wasm-info.js';
import type { JobMessage, WorkerMessage } from './protocol.js';

type Refusal = Omit<Extract<WorkerMessage, { type: 'result' }>, 'type'>;

type Wabt = {
  parseWat: (name: string, text: string, features?: Record<string, boolean>) => {
    resolveNames(): void;
    validate(): void;
    toBinary(options: object): { buffer: Uint8Array };
    destroy(): void;
  };
};

const FEATURES = { bulk_memory: true, mutable_globals: true, sign_extension: true, sat_float_to_int: true, multi_value: true };

/** The job's wasm bytes, or the result that refuses it (invalid text, initial memory over the cap). */
export async function watJobBytes(job: JobMessage & { wat: NonNullable<JobMessage['wat']> }): Promise<Uint8Array | Refusal> {
  const { fileName, wabtUrl } = job.wat;
  const refuse = (outcome: Refusal['outcome'], message: string): Refusal => ({ outcome, exit_code: null, message, run_ms: 0, memory_bytes: null });
  let compiled: Uint8Array | string;
  setFlagsFromString('--wasm-max-mem-pages=65536');
  try {
    const wabt = (await import(wabtUrl)) as { default: () => Promise<Wabt> };
    compiled = compile(await wabt.default(), fileName, Buffer.from(job.module).toString('utf8'));
  } finally {
    setFlagsFromString(`--wasm-max-mem-pages=${capPages(job.memoryCapBytes)}`);
  }
  if (!capHolds(job.memoryCapBytes)) return refuse('error', 'The sandbox could not restore the memory cap after compiling the text; the job was not run.');
  // wabt aborts (an Emscripten abort, no message) when its heap cannot grow under RLIMIT_DATA.
  if (typeof compiled === 'string' && /^Aborted\(\)/.test(compiled)) {
    return refuse('memory_limit', `Compiling ${fileName} needed more memory than the job's ${job.memoryCapBytes / MIB} MiB cap and the runtime's allowance.`);
  }
  if (typeof compiled === 'string') return refuse('invalid', `${fileName} is not valid WebAssembly text: ${compiled}`);

  const pages = inspectWasm(compiled).initialPages;
  if (pages !== null && pages * WASM_PAGE > job.memoryCapBytes) {
    const asked = Math.ceil((pages * WASM_PAGE) / MIB);
    return refuse('memory_limit', `The module asks for ${asked} MiB of initial memory, over its ${job.memoryCapBytes / MIB} MiB cap; raise the memory limit to run it.`);
  }
  return compiled;
}

/** The binary, or wabt's first error line. */
function compile(tools: Wabt, fileName: string, text: string): Uint8Array | string {
  let parsed: ReturnType<Wabt['parseWat']> | undefined;
  try {
    parsed = tools.parseWat(fileName, text, FEATURES);
    parsed.resolveNames();
    parsed.validate();
    return parsed.toBinary({}).buffer;
  } catch (error) {
    const message = String(error instanceof Error ? error.message : error);
    const first = message.split('\n').find((l) => l.includes('error')) ?? message;
    return first.replace(/^parseWat failed:\s*/, '').trim();
  } finally {
    parsed?.destroy();
  }
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
