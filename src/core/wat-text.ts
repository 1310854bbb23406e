/**
 * WebAssembly text → binary with an instance of the `wabt` package, one way for everyone who
 * compiles text: the sandbox worker (a .wat job, under the job's limits) and the folder watcher
 * (is a rebuilt .wat whole yet?). Loading wabt is left to the caller: the worker imports it from
 * a URL its permissions allow, the watcher from node_modules.
 */
export type Wabt = {
  parseWat: (name: string, text: string, features?: Record<string, boolean>) => {
    resolveNames(): void;
    validate(): void;
    toBinary(options: object): { buffer: Uint8Array };
    destroy(): void;
  };
};

/** The proposals a .wat may use (the same set the engine runs). */
const FEATURES = { bulk_memory: true, mutable_globals: true, sign_extension: true, sat_float_to_int: true, multi_value: true };

/** The binary, or wabt's first error line (one sentence for the user, no stack). */
export function compileWat(tools: Wabt, fileName: string, text: string): Uint8Array | string {
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
