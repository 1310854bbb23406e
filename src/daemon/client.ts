/**
 * A client of the daemon (server.ts): a `Sandbox` whose jobs run in the daemon's warm workers.
 * The engine in the client prepares each job and signs its receipt as always; only the sandbox
 * step crosses the socket. `connectDaemon` finds a running daemon of this very version, or says
 * why there is none: quietly when none is running, loudly when one is there but cannot be used
 * (another version, a socket others could reach, no answer).
 */
import { createConnection, type Socket } from 'node:net';
import { PlasmError } from '../core/errors.js';
import type { Sandbox, SandboxRequest, SandboxResult } from '../sandbox/sandbox.js';
import { sandboxResult } from '../sandbox/sandbox-result.js';
import { daemonPlace, socketProblem, type DaemonPlace } from './socket-path.js';
import { DAEMON_VERSION, fromResultMessage, PROTOCOL, readMessages, runMessage, send, type DaemonMessage } from './wire.js';

/** Whether a job ran through the daemon, as `run --json` reports it. */
export type DaemonUse = { used: true; pid: number; socket: string; version: string } | { used: false; detail: string };

export interface DaemonSandbox extends Sandbox {
  readonly use: Extract<DaemonUse, { used: true }> & { /** Jobs the daemon was running when this client connected. */ jobs: number };
  /** Resolves when the connection is gone (the daemon stopped, or `close`). */
  readonly closed: Promise<void>;
  /** Asks the daemon to stop (`serve --stop`). */
  stopDaemon(): void;
  close(): Promise<void>;
}

export type Connected = { sandbox: DaemonSandbox } | { unavailable: string; /** Worth saying: a daemon is there but cannot be used. */ loud: boolean };

/** How long a daemon may take to answer hello: it answers at once unless it is stuck. */
const HELLO_LIMIT_MS = 5000;

export async function connectDaemon(place: DaemonPlace = daemonPlace()): Promise<Connected> {
  const problem = socketProblem(place);
  if (problem === 'missing') return { unavailable: 'no daemon is running', loud: false };
  if (problem) return { unavailable: `not using the daemon: ${problem}`, loud: true };
  const socket = createConnection(place.socket);
  const answer = await new Promise<DaemonMessage | { failed: string }>((resolve) => {
    const timer = setTimeout(() => resolve({ failed: `the daemon on ${place.socket} did not answer within ${HELLO_LIMIT_MS / 1000} s` }), HELLO_LIMIT_MS);
    const settle = (value: DaemonMessage | { failed: string }): void => {
      clearTimeout(timer);
      resolve(value);
    };
    socket.once('error', (error: NodeJS.ErrnoException) => settle({ failed: error.code === 'ECONNREFUSED' ? 'stale' : `cannot connect to ${place.socket} (${error.code ?? error.message})` }));
    readMessages(socket, (message) => settle(message as DaemonMessage), (why) => settle({ failed: `the daemon sent ${why}` }));
    socket.once('connect', () => send(socket, { type: 'hello', protocol: PROTOCOL, version: DAEMON_VERSION }));
  });
  if ('failed' in answer) {
    socket.destroy();
    if (answer.failed === 'stale') return { unavailable: 'no daemon is running', loud: false };
    return { unavailable: `not using the daemon: ${answer.failed}`, loud: true };
  }
  if (answer.type === 'refused') {
    socket.destroy();
    return { unavailable: `not using the daemon: ${answer.message}`, loud: true };
  }
  if (answer.type !== 'welcome') {
    socket.destroy();
    return { unavailable: `not using the daemon: it answered "${answer.type}" to hello`, loud: true };
  }
  return { sandbox: daemonSandbox(socket, { used: true, pid: answer.pid, socket: place.socket, version: answer.version, jobs: answer.jobs }) };
}

function daemonSandbox(socket: Socket, use: DaemonSandbox['use']): DaemonSandbox {
  let nextId = 1;
  const pending = new Map<number, { request: SandboxRequest; resolve: (result: SandboxResult) => void }>();
  let gone = false;
  let closedResolve!: () => void;
  const closed = new Promise<void>((resolve) => {
    closedResolve = resolve;
  });
  // Idle, the connection keeps no program alive; a job waiting for its result does.
  const holdOpen = (): void => {
    if (pending.size > 0) socket.ref();
    else socket.unref();
  };
  holdOpen();

  readMessages(
    socket,
    (raw) => {
      const message = raw as DaemonMessage;
      if (message.type === 'event') {
        const run = pending.get(message.id);
        if (!run) return;
        const event = message.event;
        if ('phase' in event) run.request.onPhase?.(event.phase);
        else (event.stream === 'stdout' ? run.request.onStdout : run.request.onStderr)?.(Buffer.from(event.data, 'base64'));
      } else if (message.type === 'result') {
        const run = pending.get(message.id);
        if (!run) return;
        pending.delete(message.id);
        holdOpen();
        run.resolve(fromResultMessage(message));
      }
    },
    () => socket.destroy(),
  );
  socket.on('error', () => {});
  socket.on('close', () => {
    gone = true;
    for (const run of pending.values()) run.resolve(lostResult(use.pid));
    pending.clear();
    closedResolve();
  });

  return {
    use,
    closed,
    run: (request) => {
      if (!request.job) throw new PlasmError('internal', 'A job for the daemon must carry its portable job.');
      if (gone) return Promise.resolve(lostResult(use.pid));
      const id = nextId++;
      return new Promise<SandboxResult>((resolve) => {
        pending.set(id, { request, resolve });
        holdOpen();
        send(socket, runMessage(id, request, request.job as NonNullable<SandboxRequest['job']>));
        const onAbort = (): void => send(socket, { type: 'cancel', id });
        if (request.signal?.aborted) onAbort();
        else request.signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    stopDaemon: () => send(socket, { type: 'stop' }),
    close: async () => {
      socket.ref(); // until it is closed
      socket.end();
      if (!gone) await closed;
    },
  };
}

function lostResult(pid: number): SandboxResult {
  return sandboxResult({ status: 'error', message: `The daemon (pid ${pid}) went away before the job finished.`, layers: [] });
}
