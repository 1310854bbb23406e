/**
 * The sandbox worker: one process per job, started by ../sandbox/spawn.ts under Node's
 * permission model with an empty environment. It waits for one job over IPC, runs it under
 * node:wasi with stdio on the pipes the parent owns, reports one result, and exits.
 * Everything it sends is checked by the parent; nothing here is trusted after the module runs.
 */
import { WASI } from 'node:wasi';
import { performance } from 'node:perf_hooks';
import type { JobMessage, PrimeMessage, WabtMessage, WorkerMessage } from './protocol.js';
import { compileMessage, stackOverflowMessage, trapMessage } from './trap-message.js';
import { dropWriteRights } from './readonly-dirs.js';
import { withSockCalls } from './wasi/sock-calls.js';
import { countOutput, type OutputCounts } from './wasi/count-output.js';
import { wholeStdinReads } from './wasi/whole-reads.js';
import { unsignedArgs } from './wasi/unsigned-args.js';
import { preopenFds } from './wasi/preopen-fds.js';
import { confinePaths } from './wasi/confine-paths.js';
import { loadWabt, watJobBytes } from './wat-job.js';
import { meterFromCache, meterFuel, type FuelMeter } from './fuel/meter.js';
import { watchProcCalls, type ProcEnding } from './wasi/proc-calls.js';
import { raisedMessage } from './exit-status.js';
import { deterministicCalls } from './wasi/deterministic.js';

type Result = Extract<WorkerMessage, { type: 'result' }>;

function send(message: WorkerMessage): void {
  process.send?.(message);
}

/** Bytes the guest wrote to stdout and stderr, reported with the result (see count-output.ts). */
const written: OutputCounts = { stdout: 0, stderr: 0, order: [] };
/** Set once the job's WASI imports go through the path layer; reported with the result. */
let wasiPaths = false;
/** Set when the job is metered: every ending reads its fuel back, and exhaustion wins. */
let meter: FuelMeter | null = null;
/** How the guest asked to end (proc_exit, proc_raise): a raised signal ends the run as raised, whatever follows. */
const ending: ProcEnding = { exit: null, raised: null };

function finish(result: Omit<Result, 'type'>, error?: unknown): void {
  const fuel = meter?.usage(instance, error) ?? null;
  const ended = fuel?.exhausted
    ? { outcome: 'fuel_exhausted' as const, exit_code: null, message: `The job ran out of fuel: it used its whole budget of ${fuel.consumed} instructions.` }
    : ending.raised !== null
      ? { outcome: 'raised' as const, exit_code: null, message: raisedMessage(ending.raised) }
      : {};
  process.send?.({ type: 'result', ...result, ...ended, wasi_paths: wasiPaths, fuel_consumed: fuel?.consumed ?? null, written } satisfies Result, () => process.disconnect());
}

/** The job's instance, once instantiated (module scope: `finish` reads its fuel and memory). */
let instance: WebAssembly.Instance | undefined;

async function run(job: JobMessage): Promise<void> {
  const compileStart = performance.now();
  if (job.primed) {
    if (!primed) return finish({ outcome: 'error', exit_code: null, message: 'The sandbox failed: the job named a module it was never sent.', run_ms: 0, memory_bytes: null });
    job = { ...job, module: primed.bytes };
  }
  const source = job.wat ? await watJobBytes({ ...job, wat: job.wat }) : job.module;
  if (!(source instanceof Uint8Array)) return finish(source);
  let bytes = source;
  if (job.fuel !== null && job.metered) {
    // Metered before, from the same bytes: only the budget is written in.
    meter = meterFromCache(job.metered, job.fuel);
    bytes = meter.bytes;
  } else if (job.fuel !== null) {
    // A module invalid as written is not metered: compiling it as it is (below) says why.
    const metered = meterFuel(source, job.fuel);
    if (metered !== 'invalid' && 'problem' in metered) return finish({ outcome: 'unmeterable', exit_code: null, message: unmeterable(metered.problem, job), run_ms: 0, memory_bytes: null });
    if (metered !== 'invalid') {
      meter = metered;
      bytes = metered.bytes;
      // For the parent to keep, before anything of the module has run.
      if (!job.wat) send({ type: 'metered', metered: metered.metered });
    }
  }
  let module: WebAssembly.Module;
  try {
    // Compiled while this worker waited, from the same bytes: used as it is. (A module that did
    // not compile is compiled again below, for the error to say why.)
    const early = primed !== null && !job.wat && meter === null && Buffer.from(primed.bytes).equals(bytes) ? await primed.compiled : null;
    module = early ?? (await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>));
  } catch (error) {
    let text = error instanceof Error ? error.message : String(error);
    if (meter !== null) {
      // Metered, it does not compile. If the module as written does, what its metered form broke
      // is a limit of the engine (V8 allows 50,000 locals a function, for one), not a fault of
      // the module: say so. Else the module's own error (a memory cap, say) is the answer.
      const asWritten = await WebAssembly.compile(source as Uint8Array<ArrayBuffer>).then(
        () => null,
        (plain: unknown) => (plain instanceof Error ? plain.message : String(plain)),
      );
      if (asWritten === null) {
        meter = null;
        return finish({ outcome: 'unmeterable', exit_code: null, message: unmeterable(`Fuel metering cannot be applied to this module: its metered form is past a limit of the WebAssembly engine (${text.replace(/^WebAssembly\.compile\(\): /, '').split('\n')[0]}); the module itself is valid and runs without fuel.`, job), run_ms: 0, memory_bytes: null });
      }
      text = asWritten;
    }
    const overCap = /larger than implementation limit|maximum memory size|initial memory size/.test(text);
    return finish({
      outcome: overCap ? 'memory_limit' : 'invalid',
      exit_code: null,
      message: overCap ? `The module asks for more initial memory than its ${job.memoryCapBytes / 1048576} MiB cap.` : compileMessage(text),
      run_ms: 0,
      memory_bytes: null,
    });
  }
  // Should the engine compile what it did not validate, a job with a budget still never runs unmetered.
  if ((job.fuel !== null || job.deterministic) && meter === null) return finish({ outcome: 'invalid', exit_code: null, message: 'The WebAssembly module is not valid.', run_ms: 0, memory_bytes: null });
  send({ type: 'compiled', compile_ms: performance.now() - compileStart });

  const problem = checkShape(module);
  if (problem) return finish({ outcome: 'invalid', exit_code: null, message: problem, run_ms: 0, memory_bytes: null });

  const preopens = Object.fromEntries(job.preopens.map((p) => [p.guest, p.host]));
  const wasi = new WASI({
    version: 'preview1',
    args: job.argv,
    env: job.env,
    preopens,
    returnOnExit: true,
    stdin: 0,
    stdout: 1,
    stderr: 2,
  });
  const fds = preopenFds(preopens, job.preopens);
  // The path layer wraps uvwasi's own functions. It reads guest memory from `instance`, which a
  // start section's WASI calls come before: those fail, as node:wasi's own do before start().
  const memory = () => instance?.exports.memory;
  const confined = confinePaths(wasi.getImportObject() as Record<string, Record<string, unknown>>, fds, memory, { deterministic: Boolean(job.deterministic) });
  const settled = job.deterministic && meter
    ? deterministicCalls(confined, { seed: job.deterministic.seed, memory, fuelNow: () => (instance ? (meter?.usage(instance)?.consumed ?? 0) : 0) })
    : confined;
  const wasiImports = countOutput(wholeStdinReads(withSockCalls(settled), memory), memory, written);
  wasiPaths = true;
  const missing = WebAssembly.Module.imports(module).find((i) => wasiImports[i.module]?.[i.name] === undefined);
  if (missing) {
    return finish({
      outcome: 'invalid',
      exit_code: null,
      message: `The module imports ${missing.module}.${missing.name} (a ${missing.kind}), which plasm-tui does not provide: only WASI preview 1 (wasi_snapshot_preview1) is available.`,
      run_ms: 0,
      memory_bytes: null,
    });
  }
  const readonlyFds = fds.flatMap((p) => (p.readonly ? [p.fd] : []));
  const imports = unsignedArgs(watchProcCalls(readonlyFds.length > 0 ? dropWriteRights(wasiImports, readonlyFds) : wasiImports, ending));

  const runStart = performance.now();
  const memoryBytes = (): number | null => {
    const memory = instance?.exports.memory;
    return memory instanceof WebAssembly.Memory ? memory.buffer.byteLength : null;
  };
  try {
    instance = new WebAssembly.Instance(module, imports as WebAssembly.Imports); // runs a start section
    const code = wasi.start(instance);
    finish({ outcome: 'exit', exit_code: code, message: '', run_ms: performance.now() - runStart, memory_bytes: memoryBytes() });
  } catch (error) {
    // proc_exit in a start function: node:wasi's throw escapes before start() could catch it.
    if (ending.exit && error === ending.exit.thrown) {
      return finish({ outcome: 'exit', exit_code: ending.exit.code, message: '', run_ms: performance.now() - runStart, memory_bytes: memoryBytes() }, error);
    }
    finish({ ...classify(error, job, memoryBytes()), run_ms: performance.now() - runStart, memory_bytes: memoryBytes() }, error);
  }
}

/** Deterministic mode stands on fuel: a module that cannot be metered cannot run in it. */
function unmeterable(problem: string, job: JobMessage): string {
  return job.deterministic ? `${problem} Deterministic mode counts time in fuel, so this module runs only without --deterministic.` : problem;
}

function checkShape(module: WebAssembly.Module): string | null {
  const exports = WebAssembly.Module.exports(module);
  const names = exports.map((e) => e.name);
  if (!exports.some((e) => e.name === '_start' && e.kind === 'function')) {
    const listed = names.length > 0 ? `it exports ${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}` : 'it exports nothing';
    return `The module has no _start function, so it is not a WASI command (${listed}).`;
  }
  if (!exports.some((e) => e.name === 'memory' && e.kind === 'memory')) {
    return 'The module does not export its memory as "memory", which WASI needs to pass data in and out.';
  }
  return null;
}

function classify(error: unknown, job: JobMessage, memory: number | null): Pick<Result, 'outcome' | 'exit_code' | 'message'> {
  const text = error instanceof Error ? error.message : String(error);
  const capMb = job.memoryCapBytes / 1048576;
  if (error instanceof RangeError && /Maximum call stack size/.test(text)) {
    return { outcome: 'trap', exit_code: null, message: stackOverflowMessage(job.stackKb) };
  }
  if (error instanceof RangeError && /Out of memory|Cannot allocate Wasm memory|could not allocate memory/i.test(text)) {
    return { outcome: 'memory_limit', exit_code: null, message: `The module needs more memory than its ${capMb} MiB cap allows.` };
  }
  if (error instanceof WebAssembly.RuntimeError) {
    // A guest that aborts when an allocation fails at the cap (Rust does) is a memory limit, not a bug.
    const atCap = memory !== null && memory + 2 * 65536 > job.memoryCapBytes;
    if (atCap) return { outcome: 'memory_limit', exit_code: null, message: `The module stopped after its memory reached the ${capMb} MiB cap (${trapMessage(text).replace(/^The module trapped: /, 'trap: ').replace(/\.$/, '')}).` };
    return { outcome: 'trap', exit_code: null, message: trapMessage(text) };
  }
  if (error instanceof WebAssembly.LinkError) {
    return { outcome: 'invalid', exit_code: null, message: `The module could not be linked: ${text.replace(/^[\w.]+\(\): /, '')}.` };
  }
  return { outcome: 'error', exit_code: null, message: `The sandbox failed while running the module: ${text.split('\n')[0]}.` };
}

/** The module a prime message brought, compiling (see PrimeMessage in protocol.ts). */
let primed: { bytes: Uint8Array; compiled: Promise<WebAssembly.Module | null> } | null = null;

const onMessage = (message: JobMessage | PrimeMessage | WabtMessage): void => {
  if (message.type === 'load-wabt') {
    loadWabt(message.wabtUrl, message.memoryCapBytes).catch(() => {}); // the job's own load says why
    return;
  }
  if (message.type === 'prime') {
    primed ??= { bytes: message.module, compiled: WebAssembly.compile(message.module as Uint8Array<ArrayBuffer>).catch(() => null) };
    return;
  }
  process.off('message', onMessage); // one job
  run(message).catch((error: unknown) => {
    finish({ outcome: 'error', exit_code: null, message: `The sandbox failed: ${String(error).split('\n')[0]}.`, run_ms: 0, memory_bytes: null });
  });
};
process.on('message', onMessage);
send({ type: 'ready' });
