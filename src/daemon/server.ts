/**
 * The daemon (`plasm-tui serve`): keeps warm sandboxes (the warm pool, per profile) and runs
 * prepared jobs for clients on this machine over a Unix socket in the user's runtime dir
 * (socket-path.ts). It is a `Sandbox` at a distance: each client prepares its job (reads and
 * pins the module, holds its grants open) and signs the receipt itself, so the signing key never
 * reaches the daemon; the daemon only runs what it is sent, in the OS-sandbox mode and with the
 * limits the job carries.
 *
 * Granted dirs stay held by descriptor across the socket: the client names its open descriptor
 * (its pid and fd) and the directory it checked (device, inode); the daemon opens that
 * descriptor through /proc (the open directory itself, not its name) and runs the job only if it
 * is that same directory. A client that goes away takes its jobs with it; stopping the daemon
 * (SIGTERM, `serve --stop`) cancels its jobs and stops every worker before it exits.
 */
import { closeSync, chmodSync, constants, fstatSync, openSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { sha256 } from '../core/hash.js';
import { PlasmError } from '../core/errors.js';
import { schemaErrors } from '../core/schemas.js';
import type { GrantedDir } from '../sandbox/granted-dir.js';
import type { SandboxRequest, SandboxResult, WarmPool } from '../sandbox/sandbox.js';
import { sandboxResult } from '../sandbox/sandbox-result.js';
import type { DaemonPlace } from './socket-path.js';
import { preparePlace } from './socket-path.js';
import { DAEMON_VERSION, PROTOCOL, readMessages, resultMessage, send, type DaemonMessage, type DaemonRun } from './wire.js';

export interface DaemonOptions {
  place: DaemonPlace;
  pool: WarmPool;
  /** One line at a time, for the daemon's log (stderr). */
  log?: (line: string) => void;
}

export interface RunningDaemon {
  /** Jobs running now. */
  jobs(): number;
  /** Cancels the jobs, stops the workers, removes the socket; resolves when all of that is done. */
  stop(why: string): Promise<void>;
  /** Settles once the daemon has stopped (by `stop` or a client's stop message). */
  readonly stopped: Promise<void>;
}

/** Whether a daemon answers on `socket` (a live one), within a short wait. */
export function daemonAnswers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(socket);
    const done = (live: boolean): void => {
      probe.destroy();
      resolve(live);
    };
    probe.once('connect', () => done(true));
    probe.once('error', () => done(false));
  });
}

export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const { place, pool } = options;
  const log = options.log ?? (() => {});
  preparePlace(place);
  if (await daemonAnswers(place.socket)) {
    throw new PlasmError('usage', `A daemon is already running on ${place.socket}; stop it with \`plasm-tui serve --stop\` first.`);
  }
  try {
    unlinkSync(place.socket); // a stale socket of a daemon that is gone
  } catch {
    // none
  }

  /** Every job running, for every client. */
  const runs = new Set<{ cancel: () => void; done: Promise<void> }>();
  const sockets = new Set<Socket>();
  let stopping: Promise<void> | null = null;
  let stoppedResolve!: () => void;
  const stopped = new Promise<void>((resolve) => {
    stoppedResolve = resolve;
  });

  const server: Server = createServer((socket) => serve(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(place.socket, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(place.socket, 0o600);

  const stop = (why: string): Promise<void> => {
    stopping ??= (async () => {
      log(`stopping (${why}): cancelling ${runs.size} job${runs.size === 1 ? '' : 's'}`);
      server.close();
      for (const run of runs) run.cancel();
      await Promise.all([...runs].map((run) => run.done));
      await pool.close();
      for (const socket of sockets) socket.end();
      try {
        unlinkSync(place.socket);
      } catch {
        // already gone
      }
      log('stopped; no worker is left');
      stoppedResolve();
    })();
    return stopping;
  };

  function serve(socket: Socket): void {
    sockets.add(socket);
    let greeted = false;
    /** This client's jobs, by its ids. */
    const mine = new Map<number, AbortController>();
    const refuse = (message: string): void => {
      send(socket, { type: 'refused', message, version: DAEMON_VERSION, pid: process.pid });
      socket.end();
    };
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      // A client that went away takes its jobs with it.
      for (const controller of mine.values()) controller.abort();
    });
    readMessages(
      socket,
      (raw) => {
        const errors = schemaErrors('daemon', raw, 'message');
        if (errors.length > 0) return refuse(`The daemon cannot take this message: ${errors[0]}.`);
        const message = raw as DaemonMessage;
        if (message.type === 'hello') {
          if (message.protocol !== PROTOCOL || message.version !== DAEMON_VERSION) {
            return refuse(`The daemon (pid ${process.pid}) is plasm-tui ${DAEMON_VERSION} (protocol ${PROTOCOL}), this is ${message.version} (protocol ${message.protocol}); stop it with \`plasm-tui serve --stop\` and start this version's.`);
          }
          greeted = true;
          send(socket, { type: 'welcome', protocol: PROTOCOL, version: DAEMON_VERSION, pid: process.pid, jobs: runs.size });
          return;
        }
        if (!greeted) return refuse('The daemon expects a hello first.');
        switch (message.type) {
          case 'run': {
            if (mine.has(message.id)) return refuse(`The client sent run ${message.id} twice.`);
            const controller = new AbortController();
            mine.set(message.id, controller);
            const run = { cancel: () => controller.abort(), done: Promise.resolve() };
            run.done = runMessageJob(message, pool, controller.signal, (event) => send(socket, { type: 'event', id: message.id, event }))
              .then((result) => send(socket, resultMessage(message.id, stopping && result.status === 'cancelled' ? { ...result, message: 'The daemon was stopped before the job finished, so the job was cancelled.' } : result)))
              .catch((error: unknown) => {
                log(`job ${message.id} failed: ${(error as Error).stack ?? String(error)}`);
                send(socket, resultMessage(message.id, { ...refusedResult(`The daemon failed to run the job: ${(error as Error).message}.`), status: 'error' }));
              })
              .finally(() => {
                runs.delete(run);
                mine.delete(message.id);
              });
            runs.add(run);
            if (stopping) controller.abort();
            return;
          }
          case 'cancel':
            mine.get(message.id)?.abort();
            return;
          case 'stop':
            void stop(`asked by a client`);
            return;
          default:
            return refuse(`The daemon does not take "${message.type}" messages.`);
        }
      },
      (why) => refuse(`The daemon cannot read ${why}.`),
    );
  }

  log(`listening on ${place.socket} (pid ${process.pid}, plasm-tui ${DAEMON_VERSION}, protocol ${PROTOCOL})${place.fallback ? `; ${place.fallback}` : ''}`);
  return { jobs: () => runs.size, stop, stopped };
}

type Event = Extract<DaemonMessage, { type: 'event' }>['event'];

/** Runs one `run` message on the pool: checks its bytes against its job, holds its dirs, streams its events. */
async function runMessageJob(message: DaemonRun, pool: WarmPool, signal: AbortSignal, emit: (event: Event) => void): Promise<SandboxResult> {
  const { job } = message;
  const module = Buffer.from(message.module, 'base64');
  const stdin = Buffer.from(message.stdin, 'base64');
  if (sha256(module) !== job.module.hash) return refusedResult(`The module sent has hash ${sha256(module)}, but the job is for ${job.module.hash}; nothing was run.`);
  if (sha256(stdin) !== job.stdin.hash) return refusedResult(`The stdin sent has hash ${sha256(stdin)}, but the job is for ${job.stdin.hash}; nothing was run.`);
  const held: GrantedDir[] = [];
  try {
    for (const dir of message.dirs) {
      let fd: number;
      try {
        // The client's open descriptor: /proc's magic link is the directory it has open.
        fd = openSync(`/proc/${dir.pid}/fd/${dir.fd}`, constants.O_RDONLY | constants.O_DIRECTORY);
      } catch (error) {
        return refusedResult(`The daemon cannot reach the folder the client holds for ${dir.guest} (${(error as NodeJS.ErrnoException).code ?? 'error'}); nothing was run.`);
      }
      const stats = fstatSync(fd);
      held.push({ host: dir.host, guest: dir.guest, readonly: dir.readonly, fd, dev: stats.dev, ino: stats.ino });
      if (stats.dev !== dir.dev || stats.ino !== dir.ino) {
        return refusedResult(`The folder the client holds for ${dir.guest} is not ${dir.host} as it was checked (it changed); nothing was run.`);
      }
    }
    const request: SandboxRequest = {
      module,
      ...(message.wat_file === null ? {} : { wat: { fileName: message.wat_file } }),
      argv: job.argv,
      env: job.env,
      preopens: held,
      stdin,
      memoryCapBytes: message.sandbox.memory_cap_bytes,
      timeoutMs: message.sandbox.timeout_ms,
      maxOutputBytes: message.sandbox.max_output_bytes,
      stackKb: message.sandbox.stack_kb,
      maxFileBytes: message.sandbox.max_file_bytes,
      fuel: message.sandbox.fuel,
      moduleHash: job.module.hash,
      deterministic: job.mode === 'deterministic' && job.seed !== null ? { seed: job.seed } : null,
      osSandbox: message.sandbox.os_sandbox,
      job,
      signal,
      onStdout: (chunk) => emit({ stream: 'stdout', data: chunk.toString('base64') }),
      onStderr: (chunk) => emit({ stream: 'stderr', data: chunk.toString('base64') }),
      onPhase: (phase) => emit({ phase }),
    };
    return await pool.run(request);
  } finally {
    for (const dir of held) closeSync(dir.fd);
  }
}

function refusedResult(message: string): SandboxResult {
  return sandboxResult({ status: 'invalid', message, layers: [] });
}
