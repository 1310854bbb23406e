/**
 * The worker thread behind `watToWasm` (engine/wat.ts): compiles WebAssembly text with wabt, one
 * text at a time, away from the thread that draws the TUI and handles signals. The parent stops
 * it (terminate) when a text takes too long; V8's `resourceLimits` bound its JS heap, and wabt's
 * own heap (a wasm memory it grows from JS) is capped here: a grow past the cap fails, wabt
 * aborts, and the parent reports the text as needing too much memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileWat, type Wabt } from '../core/wat-text.js';

export interface WatRequest {
  id: number;
  fileName: string;
  text: string;
}

export type WatReply = { id: number; wasm: Uint8Array } | { id: number; error: string; outOfMemory: boolean };

const { wasmHeapBytes } = workerData as { wasmHeapBytes: number };

// This thread's realm only: no other code's memories are affected.
const grow = WebAssembly.Memory.prototype.grow;
WebAssembly.Memory.prototype.grow = function capped(this: WebAssembly.Memory, pages: number): number {
  if (this.buffer.byteLength + pages * 65536 > wasmHeapBytes) throw new RangeError('over the compile memory cap');
  return grow.call(this, pages);
};

const wabt: Promise<Wabt> = import('wabt').then((m) => (m.default as unknown as () => Promise<Wabt>)());

parentPort?.on('message', (request: WatRequest) => {
  void wabt.then((tools) => {
    const compiled = compileWat(tools, request.fileName, request.text);
    // wabt aborts (an Emscripten abort, no message) when its heap cannot grow.
    const reply: WatReply =
      typeof compiled === 'string' ? { id: request.id, error: compiled, outOfMemory: /^Aborted\(/.test(compiled) } : { id: request.id, wasm: compiled };
    parentPort?.postMessage(reply, 'wasm' in reply ? [reply.wasm.buffer as ArrayBuffer] : []);
  });
});
