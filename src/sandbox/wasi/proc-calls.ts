/**
 * proc_exit and proc_raise, the guest's own ways to end, seen before uvwasi and recorded before
 * anything unwinds the guest's stack.
 *
 * proc_raise never reaches uvwasi, which sends the signal to the sandbox process itself: the
 * guest could then pass for a limit (SIGXCPU reads as the kernel's CPU limit), a kill from
 * outside (SIGKILL), or stop the process until the time limit (SIGSTOP). The call ends the run
 * instead, as the status `raised` (../exit-status.ts), whatever the guest does next: one that
 * catches the throw (exception handling) and exits 0 is still `raised`.
 *
 * proc_exit goes on to node:wasi, which throws to unwind the guest; `wasi.start()` catches that,
 * but in a start function (before `start()` runs) it escapes as is: the recorded throw tells it
 * apart from a failure.
 */
type WasiFunction = (...args: unknown[]) => unknown;
type Imports = Record<string, Record<string, unknown>>;

export interface ProcEnding {
  /** The last proc_exit (as node:wasi keeps it): its code, and what node:wasi threw to unwind the guest. */
  exit: { code: number; thrown: unknown } | null;
  /** The first signal the guest raised on itself (WASI's numbering). */
  raised: number | null;
}

/** What unwinds the guest's stack from its proc_raise call. */
export class GuestRaised extends Error {
  constructor(readonly signal: number) {
    super(`the guest raised signal ${signal}`);
  }
}

export function watchProcCalls(imports: Imports, ending: ProcEnding): Imports {
  const wasi = imports.wasi_snapshot_preview1 as Record<string, WasiFunction> | undefined;
  if (!wasi) return imports;
  const exit = wasi.proc_exit;
  const procExit = (code: unknown): unknown => {
    try {
      return exit?.(code);
    } catch (thrown) {
      ending.exit = { code: typeof code === 'number' ? code : Number.NaN, thrown };
      throw thrown;
    }
  };
  const procRaise = (signal: unknown): never => {
    const number = typeof signal === 'number' ? signal : Number.NaN;
    ending.raised ??= number;
    throw new GuestRaised(number);
  };
  return { ...imports, wasi_snapshot_preview1: { ...wasi, proc_exit: procExit, proc_raise: procRaise } };
}
