/**
 * `plasm-tui serve`: the local daemon (daemon/server.ts) in the foreground, logging to stderr;
 * `--detach` starts it in the background and returns once it answers; `--stop` stops a running
 * one (of any version) and waits until it is gone; `--status` says whether one runs.
 */
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { loadConfig } from '../../core/config.js';
import { PlasmError } from '../../core/errors.js';
import { MIB } from '../../core/limits.js';
import { PACKAGE_ROOT } from '../../core/paths.js';
import { connectDaemon } from '../../daemon/client.js';
import { daemonAnswers, startDaemon } from '../../daemon/server.js';
import { daemonPlace, preparePlace, socketProblem, type DaemonPlace } from '../../daemon/socket-path.js';
import { DAEMON_VERSION, PROTOCOL, readMessages, send, type DaemonMessage } from '../../daemon/wire.js';
import { createWarmPool, osSandboxMode } from '../../sandbox/sandbox.js';
import { SERVE_HELP } from '../help.js';
import { reportError } from '../output.js';
import { parseCommand } from '../parse.js';

/** How long `--stop` and `--detach` wait for the daemon to be gone, or to answer. */
const WAIT_LIMIT_MS = 30_000;

export async function serveCommand(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommand('serve', argv, {
      stop: { type: 'boolean' },
      status: { type: 'boolean' },
      detach: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      process.stdout.write(SERVE_HELP);
      return 0;
    }
    if (positionals.length > 0) throw new PlasmError('usage', `serve takes no arguments, not "${positionals[0] ?? ''}". See \`plasm-tui serve --help\`.`);
    const chosen = [values.stop, values.status, values.detach].filter(Boolean).length;
    if (chosen > 1) throw new PlasmError('usage', 'Give one of --stop, --status and --detach. See `plasm-tui serve --help`.');
    const place = daemonPlace();
    if (values.stop) return await stopDaemon(place);
    if (values.status) return await daemonStatus(place);
    if (values.detach) return await detach(place);
    return await foreground(place);
  } catch (error) {
    return reportError(error);
  }
}

async function foreground(place: DaemonPlace): Promise<number> {
  const config = loadConfig();
  const log = (line: string): void => {
    process.stderr.write(`plasm-tui serve: ${line}\n`);
  };
  // Warm from the start for a job with the config's defaults; later, for the profiles jobs use.
  const pool = createWarmPool({
    spares: 1,
    profiles: 4,
    initial: [{ memoryCapBytes: config.memory_mb * MIB, stackKb: config.stack_kb, preopens: [], timeoutMs: config.timeout_seconds * 1000, maxFileBytes: config.max_file_bytes, wat: false, osSandbox: osSandboxMode() }],
  });
  let daemon;
  try {
    daemon = await startDaemon({ place, pool, log });
  } catch (error) {
    await pool.close();
    throw error;
  }
  const onSignal = (signal: string) => (): void => void daemon.stop(signal);
  process.once('SIGTERM', onSignal('SIGTERM'));
  process.once('SIGINT', onSignal('SIGINT'));
  process.once('SIGHUP', onSignal('SIGHUP'));
  await daemon.stopped;
  return 0;
}

/** Asks the daemon to stop: by message when it is this version, else by SIGTERM to the pid it gave. */
async function stopDaemon(place: DaemonPlace): Promise<number> {
  const problem = socketProblem(place);
  if (problem === 'missing' || !(await daemonAnswers(place.socket))) {
    process.stderr.write('plasm-tui: no daemon is running.\n');
    return 0;
  }
  if (problem) throw new PlasmError('invalid', `Not touching the daemon's socket: ${problem}.`);
  const answer = await hello(place);
  if (answer.type === 'welcome') {
    await new Promise<void>((resolve) => {
      const socket = createConnection(place.socket);
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
      socket.once('connect', () => {
        send(socket, { type: 'hello', protocol: PROTOCOL, version: DAEMON_VERSION });
        send(socket, { type: 'stop' });
      });
      socket.resume();
    });
  } else if (answer.type === 'refused' && answer.pid !== undefined) {
    process.kill(answer.pid, 'SIGTERM');
  } else {
    throw new PlasmError('internal', `The daemon on ${place.socket} did not say who it is; stop it by its pid.`);
  }
  const pid = answer.type === 'welcome' || answer.type === 'refused' ? answer.pid : undefined;
  const gone = await waitFor(async () => !(await daemonAnswers(place.socket)) && (pid === undefined || !alive(pid)));
  if (!gone) throw new PlasmError('internal', `The daemon (pid ${String(pid)}) did not stop within ${WAIT_LIMIT_MS / 1000} s.`);
  process.stderr.write(`plasm-tui: stopped the daemon (pid ${String(pid)}); its jobs were cancelled and its workers stopped.\n`);
  return 0;
}

async function daemonStatus(place: DaemonPlace): Promise<number> {
  const connected = await connectDaemon(place);
  if ('sandbox' in connected) {
    const { pid, socket, version, jobs } = connected.sandbox.use;
    await connected.sandbox.close();
    process.stdout.write(`running: pid ${pid}, plasm-tui ${version} on ${socket}, ${jobs} job${jobs === 1 ? '' : 's'} running\n`);
    return 0;
  }
  process.stdout.write(`${connected.unavailable}\n`);
  return 1;
}

/** Starts `plasm-tui serve` in the background (its log in the socket's folder) and waits until it answers. */
async function detach(place: DaemonPlace): Promise<number> {
  preparePlace(place);
  if (await daemonAnswers(place.socket)) {
    process.stderr.write(`plasm-tui: a daemon is already running on ${place.socket}.\n`);
    return 0;
  }
  const logPath = join(place.dir, 'daemon.log');
  const log = openSync(logPath, 'a', 0o600);
  const bin = join(PACKAGE_ROOT, 'bin', 'plasm-tui.js');
  const child = spawn(process.execPath, [bin, 'serve'], { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  const up = await waitFor(async () => child.exitCode === null && (await daemonAnswers(place.socket)));
  if (!up) throw new PlasmError('internal', `The daemon did not start within ${WAIT_LIMIT_MS / 1000} s; see ${logPath}.`);
  process.stderr.write(`plasm-tui: started the daemon (pid ${String(child.pid)}) on ${place.socket}; its log is ${logPath}.\n`);
  return 0;
}

async function hello(place: DaemonPlace): Promise<DaemonMessage> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(place.socket);
    socket.once('error', (error) => reject(new PlasmError('io', `Cannot reach the daemon on ${place.socket}: ${error.message}.`)));
    readMessages(
      socket,
      (message) => {
        socket.destroy();
        resolve(message as DaemonMessage);
      },
      (why) => reject(new PlasmError('internal', `The daemon sent ${why}.`)),
    );
    socket.once('connect', () => send(socket, { type: 'hello', protocol: PROTOCOL, version: DAEMON_VERSION }));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
