/** How a job ended. Every run gets exactly one; see README "Statuses and exit codes". */
export const STATUSES = [
  'ok', // exit code 0
  'exit', // non-zero exit code
  'trap', // a WebAssembly trap (unreachable, divide by zero, out of bounds, stack overflow…)
  'timeout', // wall-clock limit reached; the sandbox process was killed
  'fuel_exhausted', // fuel limit reached
  'memory_limit', // the memory cap refused the module or stopped it
  'output_limit', // stdout or stderr passed its byte cap
  'invalid', // not a usable module or manifest
  'killed', // the sandbox process died from a signal it was not sent by plasm-tui
  'cancelled', // cancelled by the caller
  'error', // plasm-tui itself failed
] as const;

export type Status = (typeof STATUSES)[number];
