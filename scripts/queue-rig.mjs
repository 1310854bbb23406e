// A private queue for scripts (CI's example check, the bench): a redis-server on 127.0.0.1 on a
// free port, in a temp folder of its own, and N `plasm-tui worker` processes, each with its own
// key, each waited for until it says its public key. `stop()` stops them all (SIGTERM, waiting
// for each to exit) and removes the folder. Needs /usr/bin/redis-server and a built dist/.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'plasm-tui.js');
const CEILING_MS = 120_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function pong(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      reply += data;
      if (reply.includes('\r\n')) socket.end();
    });
    socket.on('close', () => resolve(reply.startsWith('+PONG')));
    socket.on('error', () => resolve(false));
  });
}

/** Polls `check` until it returns something, or fails after the ceiling. */
async function until(check, what) {
  const end = Date.now() + CEILING_MS;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A child process whose output (stdout and stderr) is kept, with a promise of its end. */
export function startProcess(command, args, env = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  child.output = '';
  child.stdout.on('data', (data) => (child.output += data));
  child.stderr.on('data', (data) => (child.output += data));
  child.done = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return child;
}

/**
 * Starts Redis and `workers` workers taking `concurrency` jobs each; returns the Redis URL, the
 * workers' keys, the environment they run in (XDG_CONFIG_HOME in the rig's folder) and `stop()`.
 */
export async function startQueueRig({ workers = 2, concurrency = 2 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-queue-rig-'));
  const started = [];
  const stop = async () => {
    for (const child of started.reverse()) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await child.done;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    let port = null;
    for (let attempt = 0; attempt < 5 && port === null; attempt++) {
      const candidate = await freePort();
      const redis = startProcess('redis-server', ['--port', String(candidate), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '']);
      started.push(redis);
      let exited = false;
      void redis.done.then(() => (exited = true));
      await until(async () => exited || (await pong(candidate)), 'redis-server to answer');
      if (!exited) port = candidate;
    }
    if (port === null) throw new Error('redis-server would not start on a free port');
    const redis = `redis://127.0.0.1:${port}`;
    const env = { XDG_CONFIG_HOME: join(dir, 'config') };
    const children = Array.from({ length: workers }, (_, n) =>
      startProcess(process.execPath, [BIN, 'worker', '--redis', redis, '--concurrency', String(concurrency), '--key', join(dir, `worker-${n + 1}.key`)], env),
    );
    started.push(...children);
    const keys = await Promise.all(
      children.map((worker) =>
        until(() => {
          if (worker.exitCode !== null) throw new Error(`a worker exited:\n${worker.output}`);
          return /worker ([0-9a-f]{64}) takes jobs/.exec(worker.output)?.[1];
        }, 'a worker to say its key'),
      ),
    );
    return { redis, keys, env, stop, track: (child) => started.push(child) };
  } catch (error) {
    await stop();
    throw error;
  }
}
