/** How a job ended. Every run gets exactly one; see README "Statuses and exit codes". */
export const STATUSES = [
  'ok', // exit code 0
  'exit', // non-zero exit code
  'bad_exit', // an exit code outside 0–255, which no process exit code can carry
  'raised', // the module raised a signal on itself (proc_raise); it is not delivered
  'trap', // a WebAssembly trap (unreachable, divide by zero, out of bounds, stack overflow…)
  'timeout', // wall-clock limit reached; the sandbox process was killed
  'fuel_exhausted', // fuel limit reached
  'unmeterable', // a valid module that fuel metering cannot be applied to (it runs without fuel)
  'memory_limit', // the memory cap refused the module or stopped it
  'output_limit', // stdout or stderr passed its byte cap
  'invalid', // not a usable module or manifest
  'killed', // the sandbox process died from a signal it was not sent by plasm-tui
  'cancelled', // cancelled by the caller
  'error', // plasm-tui itself failed
] as const;

export type Status = (typeof STATUSES)[number];

/**
 * Process exit codes for each status (`ok` and `exit` pass the module's own code through).
 * Chosen after the conventions of timeout(1), sysexits(3) and a shell's 128+signal (`unmeterable`
 * is EX_UNAVAILABLE: what was asked for, metering, is not available for this module); `bad_exit`
 * is bash's 128 for an exit argument out of range, and `raised` stays out of the 128+signal
 * range on purpose: the signal was asked for, not delivered.
 */
export const STATUS_EXIT_CODES: Readonly<Record<Exclude<Status, 'ok' | 'exit'>, number>> = {
  bad_exit: 128,
  raised: 126,
  trap: 134,
  timeout: 124,
  fuel_exhausted: 125,
  unmeterable: 69,
  memory_limit: 125,
  output_limit: 125,
  invalid: 65,
  killed: 137,
  cancelled: 130,
  error: 70,
};

export const USAGE_EXIT_CODE = 2;
export const VERIFY_FAILED_EXIT_CODE = 1;
/** A run refused because a manifest asks for grants nobody allowed (sysexits EX_NOPERM). */
export const CONSENT_EXIT_CODE = 77;

export function exitCodeFor(status: Status, moduleExitCode: number | null): number {
  if (status === 'ok' || status === 'exit') return moduleExitCode ?? 0;
  return STATUS_EXIT_CODES[status];
}
