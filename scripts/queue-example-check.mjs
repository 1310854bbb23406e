#!/usr/bin/env node
// CI's check of examples/queue.mjs: starts a private redis-server (127.0.0.1, a free port, its
// own temp folder) and two `plasm-tui worker` processes with keys of their own, runs the example
// against them, prints its output and exits with its exit code. Everything it started is stopped
// and its temp folder removed, however it ends. Needs redis-server and a built dist/.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'plasm-tui.js');
const CEILING_MS = 120_000;
const dir = mkdtempSync(join(tmpdir(), 'plasm-queue-example-'));
const started = [];

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

function start(command, args, env = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  child.output = '';
  child.stdout.on('data', (data) => (child.output += data));
  child.stderr.on('data', (data) => (child.output += data));
  child.done = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  started.push(child);
  return child;
}

async function startRedis() {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const redis = start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '']);
    let exited = false;
    void redis.done.then(() => (exited = true));
    await until(async () => exited || (await pong(port)), 'redis-server to answer');
    if (!exited) return port;
  }
  throw new Error('redis-server would not start on a free port');
}

let code = 1;
try {
  const port = await startRedis();
  const redis = `redis://127.0.0.1:${port}`;
  const env = { XDG_CONFIG_HOME: join(dir, 'config') };
  const workers = [1, 2].map((n) => start(process.execPath, [BIN, 'worker', '--redis', redis, '--concurrency', '2', '--key', join(dir, `worker-${n}.key`)], env));
  const keys = await Promise.all(workers.map((worker) => until(() => {
    if (worker.exitCode !== null) throw new Error(`a worker exited:\n${worker.output}`);
    return /worker ([0-9a-f]{64}) takes jobs/.exec(worker.output)?.[1];
  }, 'a worker to say its key')));
  const example = start(process.execPath, [join(ROOT, 'examples', 'queue.mjs')], { ...env, REDIS_URL: redis, WORKER_KEYS: keys.join(',') });
  code = await example.done;
  process.stdout.write(example.output);
} catch (error) {
  console.error(`queue-example-check: ${error.message}`);
  code = 1;
} finally {
  for (const child of started.reverse()) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await child.done;
    }
  }
  rmSync(dir, { recursive: true, force: true });
}
process.exit(typeof code === 'number' ? code : 1);
