/**
 * How the way a guest ended itself becomes a run's status. The guest chooses its exit code, but
 * only 0–255 fits a process's exit code (a shell keeps the low byte: 256 would read as success),
 * so a code past 255 is `bad_exit`, its own status with its own process exit code. A signal the
 * guest raises on itself never reaches the sandbox process (./wasi/proc-calls.ts): the run is
 * `raised`, never the limit, kill or stop the signal names.
 */
import type { Status } from '../core/status.js';
import type { WorkerMessage } from './protocol.js';

/** The largest exit code a process can pass on. */
export const MAX_EXIT_CODE = 255;

export interface Ending {
  status: Status;
  exitCode: number | null;
  message: string;
}

/** The status of a run whose worker reported a result. */
export function resultEnding(result: Extract<WorkerMessage, { type: 'result' }>): Ending {
  if (result.outcome !== 'exit') return { status: result.outcome, exitCode: null, message: result.message };
  const code = result.exit_code ?? 0;
  if (code === 0) return { status: 'ok', exitCode: 0, message: 'The job exited with code 0.' };
  if (code > MAX_EXIT_CODE || code < 0) {
    return { status: 'bad_exit', exitCode: code, message: `The job exited with code ${code}, outside the 0–${MAX_EXIT_CODE} a process exit code can carry.` };
  }
  return { status: 'exit', exitCode: code, message: `The job exited with code ${code}.` };
}

/** WASI preview 1's signal numbers (its own, not the host's): `none` is 0. */
const WASI_SIGNALS = [
  'none', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1',
  'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN',
  'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGPOLL', 'SIGPWR', 'SIGSYS',
];

export function raisedMessage(signal: number): string {
  const name = Number.isInteger(signal) && signal > 0 ? (WASI_SIGNALS[signal] ?? `signal ${signal}`) : `signal ${signal}`;
  return `The module raised ${name} on itself (proc_raise); plasm-tui does not deliver a guest's signals and ended the run there.`;
}
