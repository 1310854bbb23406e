/**
 * proc_raise, answered without uvwasi, which sends the signal to the sandbox process itself: the
 * guest could then pass for a limit (SIGXCPU reads as the kernel's CPU limit), a kill from
 * outside (SIGKILL), or stop the process until the time limit (SIGSTOP). Here the call ends the
 * run instead, as the status `raised` (../exit-status.ts). The signal is recorded before the
 * throw unwinds the guest, so a guest that catches the throw (exception handling) still ends
 * as raised, whatever it does next.
 */
type WasiFunction = (...args: unknown[]) => unknown;
type Imports = Record<string, Record<string, unknown>>;

/** What unwinds the guest's stack from its proc_raise call. */
export class GuestRaised extends Error {
  constructor(readonly signal: number) {
    super(`the guest raised signal ${signal}`);
  }
}

export function withoutRaise(imports: Imports, onRaise: (signal: number) => void): Imports {
  const wasi = imports.wasi_snapshot_preview1 as Record<string, WasiFunction> | undefined;
  if (!wasi) return imports;
  const raise = (signal: unknown): never => {
    const number = typeof signal === 'number' ? signal : Number.NaN;
    onRaise(number);
    throw new GuestRaised(number);
  };
  return { ...imports, wasi_snapshot_preview1: { ...wasi, proc_raise: raise } };
}
