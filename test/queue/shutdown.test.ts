// SIGTERM to a queue worker mid-job: it takes no new job, finishes the one it has (the client
// gets that job's result, signed by this worker), exits 0 and leaves no sandbox process behind;
// and with Redis gone, neither a worker nor a client waits for it to come back to stop.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client, PlasmError, QueueTransport } from '../../src/sdk/index.js';
import { WAT } from '../helpers/cli.js';
import { until } from '../helpers/poll.js';
import { allGone, keyFile, startWorker, type WorkerProcess } from '../helpers/queue-worker.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

const QUEUE = 'shutdown';
let redis: RedisServer;
let worker: WorkerProcess | undefined;
let client: Client | undefined;
let dir: string;

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'plasm-queue-shutdown-'));
});

afterAll(async () => {
  await client?.close();
  await worker?.stop('SIGKILL');
  await redis?.stop();
});

it('SIGTERM lets the job in flight finish, then the worker exits 0 and leaves no process behind', async () => {
  // sleep.wat, sleeping 2 s instead of 60: a job that is surely in flight when the signal comes.
  const nap = join(dir, 'nap.wat');
  writeFileSync(nap, readFileSync(join(WAT, 'sleep.wat'), 'utf8').replace('(i64.const 60000000000)', '(i64.const 2000000000)'));
  worker = await startWorker({ redis: redis.url, keyFile: keyFile(dir, 'worker'), queue: QUEUE, concurrency: 1 });
  client = new Client({ transport: new QueueTransport({ redis: redis.url, workerKeys: [worker.key], queue: QUEUE, pollMs: 100 }) });
  const result = client.createJob(nap).withTimeout(120).submit(undefined, { id: 'in-flight' });

  const inspectorRedis = new Redis(redis.url, { maxRetriesPerRequest: null });
  const inspector = new Queue(QUEUE, { connection: inspectorRedis });
  try {
    await until(async () => (await inspector.getJobState('in-flight')) === 'active', 'the job to be taken');
    const children = worker.children();
    expect(children.length).toBeGreaterThan(0);
    const exited = worker.stop('SIGTERM');
    const finished = await result;
    expect(finished.status(), finished.message()).toBe('ok');
    expect(finished.receipt().verify(worker.key).ok).toBe(true);
    expect(await exited, worker.stderr()).toBe(0);
    expect(worker.stderr()).toContain('plasm-tui: worker stopping: finishing the jobs in flight');
    expect(await inspector.getJobState('in-flight')).toBe('completed');
    await allGone(children, 'the sandbox processes of the stopped worker');
  } finally {
    await inspector.close();
    inspectorRedis.disconnect();
  }
});

it('with Redis gone, SIGTERM still stops a worker (exit 0) and a client still closes, its waiting submit rejected in one sentence', async () => {
  const idle = await startWorker({ redis: redis.url, keyFile: keyFile(dir, 'idle-worker'), queue: 'gone', concurrency: 1 });
  const client = new Client({ transport: new QueueTransport({ redis: redis.url, workerKeys: [idle.key], queue: 'gone', pollMs: 100 }) });
  try {
    await redis.stop('SIGKILL');
    await until(() => idle.stderr().includes('is not answering'), 'the worker to notice Redis is gone');
    const waiting = client.createJob(join(WAT, 'hello.wat')).submit('hi', { id: 'never-sent' }).catch((error: unknown) => error);
    await client.close();
    const error = await waiting;
    expect(error).toBeInstanceOf(PlasmError);
    expect((error as PlasmError).message).toBe('The queue transport was closed before job never-sent ended.');
    const children = idle.children();
    expect(await idle.stop('SIGTERM'), idle.stderr()).toBe(0);
    await allGone(children, 'the sandbox processes of the stopped worker');
  } finally {
    await client.close();
    await idle.stop('SIGKILL');
  }
});
