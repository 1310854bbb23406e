// What a queue worker refuses, and what a client refuses to believe: one private Redis, real
// `plasm-tui worker` processes, the SDK's QueueTransport. A job id runs once however often it is
// submitted; a module that cannot run, a blob that is not there, a folder the worker's operator
// did not allow (or one asked for read-write) end in the failed set with their reason, tried
// once; a receipt from a worker key the client did not pin, or one that does not bind what came
// back, is rejected.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, PlasmError, QueueTransport, VerifyError, jobHash, loadConfig, type PortableJob } from '../../src/sdk/index.js';
import { createEngine } from '../../src/engine/index.js';
import { BlobStore } from '../../src/queue/blob-store.js';
import { checkResult } from '../../src/queue/check-result.js';
import { planJob } from '../../src/queue/plan-job.js';
import { sha256 } from '../../src/core/hash.js';
import { EXAMPLES } from '../helpers/cli.js';
import { until } from '../helpers/poll.js';
import { keyFile, startWorker, type WorkerProcess } from '../helpers/queue-worker.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

const HELLO = join(EXAMPLES, 'hello', 'hello.wasm');
const CAT = join(EXAMPLES, 'cat-file', 'cat-file.wasm');
const QUEUE = 'refusals';

let redis: RedisServer;
let worker: WorkerProcess;
let dir: string;
let servedData: string;
let queue: Queue;
let queueRedis: Redis;
const clients: Client[] = [];

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'plasm-queue-jobs-'));
  // The worker's own copy of the example's folder: input trees match by content, not by path.
  servedData = join(dir, 'served-data');
  cpSync(join(EXAMPLES, 'cat-file', 'data'), servedData, { recursive: true });
  worker = await startWorker({ redis: redis.url, keyFile: keyFile(dir, 'worker'), queue: QUEUE, concurrency: 2, allowDirs: [`${servedData}::/data`] });
  queueRedis = new Redis(redis.url, { maxRetriesPerRequest: null });
  queueRedis.on('error', () => {});
  queue = new Queue(QUEUE, { connection: queueRedis });
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await queue?.close();
  queueRedis?.disconnect();
  await worker?.stop('SIGTERM');
  await redis?.stop();
});

function clientFor(workerKeys: string[], queueName = QUEUE): Client {
  const client = new Client({ transport: new QueueTransport({ redis: redis.url, workerKeys, queue: queueName, pollMs: 100 }) });
  clients.push(client);
  return client;
}

/** Puts a job message on the queue by hand, as a client that skipped the SDK's checks could. */
async function addByHand(id: string, job: PortableJob): Promise<void> {
  await queue.add('run', { type: 'job', version: 1, name: 'by-hand', job, job_hash: jobHash(job) }, { jobId: id, attempts: 3, backoff: { type: 'fixed', delay: 100 } });
}

async function failedJob(id: string): Promise<{ reason: string; attempts: number }> {
  await until(async () => (await queue.getJobState(id)) === 'failed', `job ${id} in the failed set`);
  const job = await queue.getJob(id);
  return { reason: job?.failedReason ?? '', attempts: job?.attemptsMade ?? -1 };
}

function helloJob(stdinHash: PortableJob['stdin']['hash'], moduleHash = sha256(readFileSync(HELLO)), dirs: PortableJob['dirs'] = []): PortableJob {
  return {
    version: '0.1',
    module: { hash: moduleHash },
    argv: ['hello.wasm'],
    env: {},
    stdin: { hash: stdinHash },
    limits: { memory_mb: 64, timeout_seconds: 10, max_output_bytes: 1024, fuel: null, cpu_cores: 1 },
    mode: 'normal',
    seed: null,
    dirs,
  };
}

describe('a job id', () => {
  it('runs once however often it is submitted: every submit gets the one result', async () => {
    const client = clientFor([worker.key]);
    const job = client.createJob(HELLO);
    const [first, second] = await Promise.all([job.submit('same input', { id: 'twice' }), job.submit('same input', { id: 'twice' })]);
    const third = await job.submit('same input', { id: 'twice' });
    expect(first.stdout()).toBe('tupni emas');
    const signature = first.receipt().toJSON().signature;
    expect(second.receipt().toJSON().signature).toBe(signature);
    expect(third.receipt().toJSON().signature).toBe(signature);
    const queued = await queue.getJob('twice');
    expect(queued?.attemptsStarted).toBe(1);
    expect(queued?.attemptsMade).toBe(1);
  });

  it('that names another job is refused, and the first job is left as it was', async () => {
    const client = clientFor([worker.key]);
    await client.createJob(HELLO).submit('one', { id: 'taken' });
    const error = await client.createJob(HELLO).submit('another', { id: 'taken' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlasmError);
    expect((error as PlasmError).message).toMatch(/^The job id taken is taken by another job on the queue \(sha256:[0-9a-f]{64}\); give this one an id of its own\.$/);
  });
});

describe('a job that cannot run goes to the failed set with its reason, tried once', () => {
  it('a module that does not compile', async () => {
    const broken = join(dir, 'broken.wasm');
    writeFileSync(broken, Buffer.from('0061736d01000000' + '01ffffff00' + '676172626167', 'hex'));
    const result = await clientFor([worker.key]).createJob(broken).submit('x', { id: 'broken-module' });
    expect(result.status()).toBe('invalid');
    expect(result.message()).toMatch(/truncated or corrupt/);
    expect(result.hasReceipt()).toBe(false);
    const failed = await failedJob('broken-module');
    expect(failed.reason).toMatch(/^invalid: .*truncated or corrupt/);
    expect(failed.attempts).toBe(1);
  });

  it('limits past the worker\'s ceilings', async () => {
    const result = await clientFor([worker.key]).createJob(HELLO).withMemory(4096).submit('x', { id: 'too-much' });
    expect(result.status()).toBe('invalid');
    expect(result.message()).toBe("The job asks for memory_mb 4096, over this worker's ceiling of 1024 (ceilings.memory_mb in its config).");
    expect((await failedJob('too-much')).attempts).toBe(1);
  });

  it('a module that is not in Redis', async () => {
    const stdin = Buffer.from('hi');
    await new BlobStore(queueRedis).put(stdin, 1024, 'The stdin');
    await addByHand('missing-module', helloJob(sha256(stdin), sha256('never uploaded')));
    const failed = await failedJob('missing-module');
    expect(failed.reason).toBe(`invalid: The module ${sha256('never uploaded')} is not in Redis (never uploaded, or expired).`);
    expect(failed.attempts).toBe(1);
  });
});

describe('folders: input trees by content, served only where the worker allowed them', () => {
  it('a read-only dir the worker serves runs when its tree is the same, from another copy', async () => {
    const mine = join(dir, 'client-data');
    cpSync(join(EXAMPLES, 'cat-file', 'data'), mine, { recursive: true });
    const result = await clientFor([worker.key]).createJob(CAT).withArgs('/data/greeting.txt').withDir(mine, '/data', { readonly: true }).submit();
    expect(result.status(), result.message()).toBe('ok');
    expect(result.stdout()).toBe(readFileSync(join(EXAMPLES, 'cat-file', 'data', 'greeting.txt'), 'utf8'));
    expect(result.receipt().toJSON()).toMatchObject({ dirs: [{ guest: '/data', readonly: true }] });
  });

  it('a manifest asking for the dir runs once its grants are allowed', async () => {
    const result = await clientFor([worker.key]).createJob(join(EXAMPLES, 'cat-file', 'cat-file.manifest.json')).allowingManifestGrants().submit();
    expect(result.status(), result.message()).toBe('ok');
  });

  it('a tree that differs from the folder the worker serves is refused', async () => {
    const other = join(dir, 'other-data');
    cpSync(join(EXAMPLES, 'cat-file', 'data'), other, { recursive: true });
    writeFileSync(join(other, 'greeting.txt'), 'not the same\n');
    const result = await clientFor([worker.key]).createJob(CAT).withArgs('/data/greeting.txt').withDir(other, '/data', { readonly: true }).submit(undefined, { id: 'other-tree' });
    expect(result.status()).toBe('invalid');
    expect(result.message()).toMatch(/^The input tree at \/data is sha256:[0-9a-f]{64}, but the job is for sha256:[0-9a-f]{64}; nothing was run\.$/);
    expect((await failedJob('other-tree')).attempts).toBe(1);
  });

  it('a folder the worker does not serve is refused in one sentence', async () => {
    const result = await clientFor([worker.key]).createJob(CAT).withArgs('/elsewhere/greeting.txt').withDir(join(dir, 'client-data'), '/elsewhere', { readonly: true }).submit(undefined, { id: 'not-served' });
    expect(result.status()).toBe('invalid');
    expect(result.message()).toBe('The job asks for the folder /elsewhere, which this worker does not serve (its operator allows folders with --allow-dir HOST::GUEST).');
    expect((await failedJob('not-served')).attempts).toBe(1);
  });

  it('a read-write dir is refused by the client, and by the worker when a job asks for one anyway', async () => {
    const error = await clientFor([worker.key]).createJob(CAT).withDir(join(dir, 'client-data'), '/data').submit().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlasmError);
    expect((error as PlasmError).message).toMatch(/\(for \/data\) is read-write, but a queued job takes read-only input trees only/);

    const stdin = Buffer.from('');
    const blobs = new BlobStore(queueRedis);
    await blobs.put(readFileSync(HELLO), 1 << 30, 'The module');
    await blobs.put(stdin, 1024, 'The stdin');
    await addByHand('read-write', helloJob(sha256(stdin), undefined, [{ guest: '/data', readonly: false, tree_hash: null }]));
    const failed = await failedJob('read-write');
    expect(failed.reason).toBe('invalid: The job asks for /data read-write, and a worker serves read-only input trees only.');
    expect(failed.attempts).toBe(1);
  });
});

describe('a result the client does not believe', () => {
  it('a receipt signed by a worker key that was not pinned is rejected with a VerifyError', async () => {
    const stranger = 'ab'.repeat(32);
    const error = await clientFor([stranger]).createJob(HELLO).submit('who signed this?').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VerifyError);
    expect((error as VerifyError).message).toBe(`The receipt does not verify: signer (signed by ${worker.key}, which is not one of the 1 pinned worker keys).`);
  });

  it('a result whose output or job is not what the receipt binds is rejected', async () => {
    const client = clientFor([worker.key]);
    await client.createJob(HELLO).submit('honest', { id: 'to-tamper' });
    const sent = (await queue.getJob('to-tamper'))?.returnvalue as { report: { stdout: string } };
    const engine = createEngine({ config: loadConfig(), key: () => { throw new Error('signs nothing'); } });
    const plan = planJob(engine, { target: HELLO, overrides: {}, stdin: Buffer.from('honest'), allowGrants: false });
    if (!plan.ok) throw new Error(plan.result.message);
    expect(checkResult(sent, plan.planned, [worker.key], 'to-tamper').ok).toBe(true);

    const tampered = checkResult({ ...sent, report: { ...sent.report, stdout: 'forged' } }, plan.planned, [worker.key], 'to-tamper');
    expect(tampered.ok).toBe(false);
    if (!tampered.ok) expect(tampered.report.checks.filter((check) => !check.ok).map((check) => check.name)).toEqual(['stdout']);

    const otherPlan = planJob(engine, { target: HELLO, overrides: { memory_mb: 32 }, stdin: Buffer.from('honest'), allowGrants: false });
    if (!otherPlan.ok) throw new Error(otherPlan.result.message);
    const otherJob = checkResult(sent, otherPlan.planned, [worker.key], 'to-tamper');
    expect(otherJob.ok).toBe(false);
    if (!otherJob.ok) expect(otherJob.report.checks.filter((check) => !check.ok).map((check) => check.name)).toEqual(['job_hash']);
    await engine.close();
  });
});

describe('cancelling', () => {
  it('a job no worker has taken yet is removed from the queue and ends "cancelled"', async () => {
    // No worker takes jobs from this queue.
    const client = clientFor([worker.key], 'nobody-here');
    const controller = new AbortController();
    const events: string[] = [];
    const running = client.createJob(HELLO).start('never run', { signal: controller.signal, id: 'to-cancel', onEvent: (event) => event.type === 'phase' && events.push(event.phase) });
    await until(() => events.includes('starting'), 'the job to be queued');
    controller.abort();
    const result = await running.result;
    expect(result.status()).toBe('cancelled');
    expect(result.message()).toBe('The job was cancelled before a worker took it.');
    const idle = new Queue('nobody-here', { connection: queueRedis });
    expect(await idle.getJobState('to-cancel')).toBe('unknown');
    await idle.close();
  });

  it('a job whose signal was aborted already is not queued at all', async () => {
    const result = await clientFor([worker.key]).createJob(HELLO).submit('never queued', { signal: AbortSignal.abort(), id: 'aborted-already' });
    expect(result.status()).toBe('cancelled');
    expect(await queue.getJobState('aborted-already')).toBe('unknown');
  });
});
