/**
 * A private redis-server for a test file: on 127.0.0.1, on a free port (redis cannot be asked
 * for port 0 and still listen on TCP: the port is found with node:net, and taken again on a
 * collision), in a temp folder of its own, with every write fsynced to its append-only file
 * (`--appendonly yes --appendfsync always`), so `restart()` — a stop, even a SIGKILL, then a
 * start on the same port and folder — loses nothing Redis acknowledged.
 */
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './poll.js';

export const REDIS_SERVER = '/usr/bin/redis-server';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** Stops it (SIGTERM: a clean shutdown; SIGKILL: a crash) and waits until it has exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same port and folder, from its append-only file. */
  start(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether something on `port` answers PING with +PONG. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      reply += data.toString();
      if (reply.includes('\r\n')) socket.end();
    });
    socket.on('close', () => resolve(reply.startsWith('+PONG')));
    socket.on('error', () => resolve(false));
  });
}

export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-redis-'));
  let proc: ResultPromise | null = null;
  let port = 0;
  let log = '';

  /** Starts redis on `port`; false when it exited first (the port was taken). */
  const launch = async (onPort: number): Promise<boolean> => {
    const child = execa(REDIS_SERVER, ['--port', String(onPort), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--protected-mode', 'no'], { reject: false, cleanup: true, stdin: 'ignore', buffer: false });
    let exited = false;
    void child.then(() => (exited = true));
    child.stdout?.on('data', (data: Buffer) => (log += data.toString()));
    await until(async () => exited || (await pong(onPort)), `redis-server to answer on port ${onPort}`, 15_000, 20);
    if (exited) return false;
    proc = child;
    return true;
  };

  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    if (await launch(port)) break;
    if (attempt >= 5) throw new Error(`redis-server would not start:\n${log}`);
  }

  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> => {
    const child = proc;
    proc = null;
    if (!child) return;
    child.kill(signal);
    await child;
  };
  const start = async (): Promise<void> => {
    // The same port: taken by someone else in between only by bad luck, so it is tried until free.
    await until(() => launch(port), `redis-server to start again on port ${port}`, 30_000, 100);
  };
  return {
    port,
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    dir,
    stop,
    start,
  };
}
