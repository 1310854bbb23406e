// Three real `plasm-tui worker` processes, each with its own key, and a client (QueueTransport)
// on one private Redis: 200 hello jobs go through while one worker is killed (kill -9) in the
// middle of a job and Redis itself is killed and started again from its append-only file.
// Nothing is lost (every job has its result), nothing is doubled (one result per job id, one
// completed job per id on the queue), and every receipt verifies against the worker key that
// signed it — the job the killed worker held was finished by another worker.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, QueueTransport, type Result } from '../../src/sdk/index.js';
import { EXAMPLES } from '../helpers/cli.js';
import { until } from '../helpers/poll.js';
import { allGone, keyFile, startWorker, type WorkerProcess } from '../helpers/queue-worker.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

const HELLO = join(EXAMPLES, 'hello', 'hello.wasm');
const QUEUE = 'many';
const JOBS = 200;

let redis: RedisServer;
let workers: WorkerProcess[] = [];
let client: Client | undefined;
let inspector: Queue | undefined;
let inspectorRedis: Redis | undefined;

beforeAll(async () => {
  redis = await startRedis();
  const dir = mkdtempSync(join(tmpdir(), 'plasm-queue-keys-'));
  workers = await Promise.all([0, 1, 2].map((n) => startWorker({ redis: redis.url, keyFile: keyFile(dir, `worker-${n}`), queue: QUEUE, concurrency: 2, lockSeconds: 3 })));
  inspectorRedis = new Redis(redis.url, { maxRetriesPerRequest: null });
  inspectorRedis.on('error', () => {});
  inspector = new Queue(QUEUE, { connection: inspectorRedis });
  inspector.on('error', () => {});
});

afterAll(async () => {
  await client?.close();
  await inspector?.close();
  inspectorRedis?.disconnect();
  await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
  await redis?.stop();
});

/** Freezes `worker` while it holds a job, checks it still holds it, then kills it: mid-job for sure. */
async function killMidJob(worker: WorkerProcess, queue: Queue): Promise<{ id: string; children: number[] }> {
  return until(async () => {
    const active = await queue.getActive();
    const held = active.find((job) => job.processedBy?.endsWith(`:${worker.pid}`));
    if (!held?.id) return null;
    process.kill(worker.pid, 'SIGSTOP');
    const still = (await queue.getJobState(held.id)) === 'active' && (await queue.getJob(held.id))?.processedBy === held.processedBy;
    if (!still) {
      process.kill(worker.pid, 'SIGCONT');
      return null;
    }
    const children = worker.children();
    await worker.stop('SIGKILL');
    return { id: held.id, children };
  }, 'a job held by the worker to kill', 60_000, 5);
}

describe('three workers on one queue', () => {
  it('run 200 hello jobs through a worker killed mid-job and a Redis restart: none lost, none doubled, every receipt verified', async () => {
    const keys = workers.map((worker) => worker.key);
    expect(new Set(keys).size).toBe(3);
    client = new Client({ transport: new QueueTransport({ redis: redis.url, workerKeys: keys, queue: QUEUE, pollMs: 200 }) });
    const queue = inspector as Queue;
    const stdins = Array.from({ length: JOBS }, (_, n) => `hello job ${n} ✓`);
    const items = stdins.map((stdin, n) => ({ job: client!.createJob(HELLO).withMemory(64), stdin, id: `hello-${n}` }));
    let failure: unknown = null;
    const all = client.submitAll(items, { concurrency: 40 }).catch((error: unknown) => {
      failure = error;
      return [] as Result[];
    });
    const completed = async (): Promise<number> => (await queue.getJobCounts('completed')).completed ?? 0;

    // A worker killed in the middle of a job, a fifth of the way in.
    await until(async () => failure !== null || (await completed()) >= 40, '40 jobs completed');
    const [victim, ...others] = workers as [WorkerProcess, ...WorkerProcess[]];
    const killed = await killMidJob(victim, queue);
    await allGone(killed.children, "the killed worker's sandbox processes to go with it");

    // Redis killed and started again from its append-only file, half-way.
    await until(async () => failure !== null || (await completed()) >= 100, '100 jobs completed');
    await redis.stop('SIGKILL');
    await redis.start();

    await until(async () => failure !== null || (await completed()) >= JOBS, `all ${JOBS} jobs completed`, 120_000, 50);
    const results = await all;
    expect(failure).toBeNull();

    // Every result: present, right, signed by one of the three workers and verified against it.
    expect(results).toHaveLength(JOBS);
    const module = readFileSync(HELLO);
    results.forEach((result, n) => {
      const stdin = stdins[n] as string;
      expect(result.status(), result.message()).toBe('ok');
      expect(result.stdout()).toBe([...stdin].reverse().join(''));
      const receipt = result.receipt();
      expect(keys).toContain(receipt.signer);
      // Against the pinned keys: the one of them that signed it.
      const report = receipt.verify(keys, { module, stdin: Buffer.from(stdin), stdout: result.stdoutBytes(), stderr: result.stderrBytes() });
      expect(report.ok).toBe(true);
    });
    // The job the killed worker held was finished by another worker.
    const rescued = results[Number(killed.id.replace('hello-', ''))] as Result;
    expect(rescued.receipt().signer).not.toBe(victim.key);
    expect(others.map((worker) => worker.key)).toContain(rescued.receipt().signer);

    // On the queue: exactly one completed job per id, nothing failed, nothing left.
    const counts = await queue.getJobCounts('completed', 'failed', 'active', 'waiting', 'delayed');
    expect(counts).toEqual({ completed: JOBS, failed: 0, active: 0, waiting: 0, delayed: 0 });
    const done = await queue.getCompleted(0, JOBS);
    expect(new Set(done.map((job) => job.id))).toEqual(new Set(items.map((item) => item.id)));
    // The one result of each id is the one the client got (the same signed receipt).
    for (const job of done) {
      const n = Number((job.id as string).replace('hello-', ''));
      const sent = (job.returnvalue as { report: { receipt: { signature: string } } }).report.receipt.signature;
      expect(sent).toBe((results[n] as Result).receipt().toJSON().signature);
    }

    // The other two stop cleanly, and leave no sandbox process behind.
    for (const worker of others) {
      const children = worker.children();
      expect(await worker.stop('SIGTERM'), worker.stderr()).toBe(0);
      await allGone(children, 'the sandbox processes of a worker that stopped');
    }
  });
});
