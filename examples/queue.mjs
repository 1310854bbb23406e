#!/usr/bin/env node
// hello.wasm on workers elsewhere: 100 jobs through a queue on Redis, each receipt checked
// against the keys of the workers you started. Start Redis and one or more workers first:
//
//   redis-server --port 6379 --appendonly yes &
//   plasm-tui worker --redis redis://127.0.0.1:6379 --key w1.key    # prints its public key
//   plasm-tui worker --redis redis://127.0.0.1:6379 --key w2.key
//
// then run it with the Redis URL and the workers' keys, comma-separated:
//
//   REDIS_URL=redis://127.0.0.1:6379 WORKER_KEYS=<key 1>,<key 2> node examples/queue.mjs
//
// QUEUE=name picks another queue than "plasm-tui" (the workers' --queue). It ends with the line
// `N passed, N failed` and exits 0 only when every job passed.
import { fileURLToPath } from 'node:url';
import { Client, QueueTransport, VerifyError } from 'plasm-tui';

const JOBS = 100;
const AT_ONCE = 20;
const hello = fileURLToPath(new URL('../wasm-examples/hello/hello.wasm', import.meta.url));
const redis = process.env.REDIS_URL;
const workerKeys = (process.env.WORKER_KEYS ?? '').split(',').map((key) => key.trim()).filter(Boolean);
if (!redis || workerKeys.length === 0) {
  console.error('examples/queue.mjs: set REDIS_URL (redis://HOST:PORT) and WORKER_KEYS (the workers\' public keys, comma-separated).');
  process.exit(2);
}

const client = new Client({ transport: new QueueTransport({ redis, workerKeys, ...(process.env.QUEUE ? { queue: process.env.QUEUE } : {}) }) });
const job = client.createJob(hello).withMemory(64).withTimeout(30);
const run = `${process.pid}-${Date.now()}`;
let passed = 0;
let failed = 0;
const bySigner = new Map();

/** One job: submitted, its output checked, its receipt verified against the pinned worker keys. */
async function one(n) {
  const stdin = `Hello from job ${n}`;
  try {
    const result = await job.submit(stdin, { id: `example-${run}-${n}` });
    const expected = [...stdin].reverse().join('');
    if (!result.ok() || result.stdout() !== expected) throw new Error(`${result.status()}: ${result.message()} (stdout ${JSON.stringify(result.stdout())})`);
    const receipt = result.receipt();
    receipt.verify(client.publicKeys(), { stdin: Buffer.from(stdin), stdout: result.stdoutBytes() });
    bySigner.set(receipt.signer, (bySigner.get(receipt.signer) ?? 0) + 1);
    passed++;
  } catch (error) {
    failed++;
    console.log(`job ${n}: ${error instanceof VerifyError ? error.message : error instanceof Error ? error.message : String(error)}`);
  }
}

let next = 0;
await Promise.all(Array.from({ length: AT_ONCE }, async () => {
  while (next < JOBS) await one(next++);
}));
for (const [signer, count] of bySigner) console.log(`worker ${signer.slice(0, 16)}…: ${count} jobs, receipts verified`);
console.log(`${passed} passed, ${failed} failed`);
await client.close();
process.exit(failed === 0 && passed === JOBS ? 0 : 1);
