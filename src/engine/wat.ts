/**
 * WebAssembly text → binary for the host (the folder watcher asks whether a rebuilt .wat is whole
 * yet). wabt is a synchronous C++ parser: some texts (200 nested `block`s) send it into a loop
 * that never ends. So it runs in a worker thread, under a time limit (the worker is terminated)
 * and a memory limit, and the caller's thread stays free to draw, read keys and take signals.
 * The worker is kept between texts (loading wabt costs ~100 ms), one text at a time, and never
 * holds the process open: a program that has stopped waiting for it can exit.
 * (.wat jobs are compiled again inside the sandbox, under the job's own limits: sandbox/wat-job.ts.)
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { PlasmError } from '../core/errors.js';
import { MIB } from '../core/limits.js';
import { PACKAGE_ROOT } from '../core/paths.js';
import type { WatReply, WatRequest } from './wat-compile-worker.js';

export interface WatLimits {
  /** Wall-clock time for one text, loading wabt included. */
  timeoutMs?: number;
  /** wabt's heap (a wasm memory); its JS heap gets a fixed, smaller allowance. */
  memoryMb?: number;
  /** Stops waiting (and stops the compile) when aborted. */
  signal?: AbortSignal;
}

export const WAT_COMPILE_TIMEOUT_MS = 5_000;
export const WAT_COMPILE_MEMORY_MB = 256;
/** The worker's JS heap: the text (a string), wabt's glue and the bytes handed back. */
const JS_HEAP_MB = 64;

const WORKER_PATH = join(PACKAGE_ROOT, 'dist', 'engine', 'wat-compile-worker.js');

let current: { worker: Worker; memoryMb: number } | undefined;
let queue: Promise<unknown> = Promise.resolve();
let nextId = 1;

/** WebAssembly text → binary; a text that is invalid, too slow or too big is a PlasmError('invalid'). */
export function watToWasm(text: string, fileName: string, limits: WatLimits = {}): Promise<Uint8Array> {
  const result = queue.then(() => compileInWorker(text, fileName, limits));
  queue = result.catch(() => undefined);
  return result;
}

function compileInWorker(text: string, fileName: string, limits: WatLimits): Promise<Uint8Array> {
  const { timeoutMs = WAT_COMPILE_TIMEOUT_MS, memoryMb = WAT_COMPILE_MEMORY_MB, signal } = limits;
  if (signal?.aborted) return Promise.reject(new PlasmError('invalid', `Compiling ${fileName} was cancelled.`));
  if (current && current.memoryMb !== memoryMb) stopWorker();
  const { worker } = (current ??= { worker: startWorker(memoryMb), memoryMb });
  const id = nextId++;
  return new Promise<Uint8Array>((resolve, reject) => {
    const finish = (error: PlasmError | null, wasm?: Uint8Array): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (error) reject(error);
      else resolve(wasm as Uint8Array);
    };
    const fail = (message: string): void => {
      stopWorker(worker);
      finish(new PlasmError('invalid', message));
    };
    const onMessage = (reply: WatReply): void => {
      if (reply.id !== id) return;
      if ('wasm' in reply) finish(null, reply.wasm);
      else if (reply.outOfMemory) fail(`${fileName} needed more than ${memoryMb} MiB to compile as WebAssembly text.`);
      else finish(new PlasmError('invalid', `${fileName} is not valid WebAssembly text: ${reply.error}`));
    };
    // resourceLimits exceeded (ERR_WORKER_OUT_OF_MEMORY), or wabt failed to load.
    const onError = (error: Error & { code?: string }): void =>
      fail(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `${fileName} needed more than ${JS_HEAP_MB} MiB of JavaScript heap to compile as WebAssembly text.` : `${fileName} could not be compiled: ${error.message.split('\n')[0] ?? ''}`);
    const onExit = (): void => fail(`${fileName} could not be compiled: the compiler stopped.`);
    const onAbort = (): void => fail(`Compiling ${fileName} was cancelled.`);
    const timer = setTimeout(() => fail(`${fileName} took longer than ${timeoutMs / 1000} s to compile as WebAssembly text.`), timeoutMs);
    timer.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ id, fileName, text } satisfies WatRequest);
  });
}

function startWorker(memoryMb: number): Worker {
  const worker = new Worker(WORKER_PATH, {
    workerData: { wasmHeapBytes: memoryMb * MIB },
    resourceLimits: { maxOldGenerationSizeMb: JS_HEAP_MB, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    // Plain JavaScript: none of the host program's Node options (a loader, --input-type) apply.
    execArgv: [],
    // What wabt prints (one abort message) must not reach the terminal the TUI draws on: its
    // streams are taken and never read (reading them would hold the process open).
    stdout: true,
    stderr: true,
  });
  // A worker that dies between texts is simply replaced by the next one.
  const forget = (): void => {
    if (current?.worker === worker) current = undefined;
  };
  worker.on('error', forget);
  worker.on('exit', forget);
  worker.unref();
  return worker;
}

/** Stops the worker (the one given, if it is still the current one); the next text starts a fresh one. */
function stopWorker(worker = current?.worker): void {
  if (!worker) return;
  if (current?.worker === worker) current = undefined;
  void worker.terminate();
}
