// The SDK called from plain JavaScript: no compiler stands between the caller and the job, so
// every public method checks its arguments itself, and a wrong one is a one-sentence usage error
// naming the method and what it expected — never a guest with mangled args or Node's own error.
// Calls go through `any`, as a .js file makes them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, LocalTransport, PlasmError, Receipt } from '../../src/sdk/index.js';
import { EXAMPLES } from '../helpers/cli.js';

const ARGS_ENV = join(EXAMPLES, 'args-env', 'args-env.wasm');
const HELLO = join(EXAMPLES, 'hello', 'hello.wasm');
const client = new Client({ warm: false });
const made: string[] = [];
afterAll(async () => {
  await client.close();
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-sdk-args-'));
  made.push(dir);
  return dir;
}

/** The error a call throws (or its promise rejects with); a call that is accepted fails the test. */
async function refusal(call: () => unknown): Promise<PlasmError> {
  let accepted: unknown;
  try {
    accepted = await call();
  } catch (error) {
    return error as PlasmError;
  }
  // An accepted client would keep its workers: close it before failing.
  if (accepted instanceof Client || accepted instanceof LocalTransport) await accepted.close();
  throw new Error('the call was accepted');
}

/** A usage error whose message is one sentence starting with the method's name. */
async function expectRefused(call: () => unknown, method: string, message?: string | RegExp): Promise<void> {
  const error = await refusal(call);
  expect(error).toBeInstanceOf(PlasmError);
  expect(error.kind).toBe('usage');
  expect(error.message.startsWith(`${method} expects `), error.message).toBe(true);
  expect(error.message).toMatch(/\.$/);
  expect(error.message).not.toContain('\n');
  if (message !== undefined) expect(error.message).toMatch(message);
}

describe('plain JavaScript callers', () => {
  it('withEnv and withArgs called the wrong way are refused; the right way reaches the guest', async () => {
    const job: any = client.createJob(ARGS_ENV);
    expect((await refusal(() => job.withEnv('WHO', 'sdk'))).message).toBe("Job.withEnv expects one object of names and string values, like withEnv({ WHO: 'sdk' }), not the string \"WHO\".");
    expect((await refusal(() => job.withArgs(['x', 'y']))).message).toBe("Job.withArgs expects each guest argument as its own string, like withArgs('x', 'y'), not an array of 2 (spread an array: withArgs(...list)).");
    const result = await job.withEnv({ WHO: 'sdk' }).withArgs('x', 'y').submit();
    expect(result.stdout()).toBe('argv[0]=args-env.wasm\nargv[1]=x\nargv[2]=y\nWHO=sdk\n');
  });

  it('env names and values WASI cannot carry are refused', async () => {
    const job: any = client.createJob(ARGS_ENV);
    await expectRefused(() => job.withEnv({ N: 1 }), 'Job.withEnv', 'the value of N as a string without NUL, not the number 1');
    await expectRefused(() => job.withEnv({ 'A=B': 'x' }), 'Job.withEnv', 'variable names without "=" or NUL');
    await expectRefused(() => job.withEnv({ A: 'x\0y' }), 'Job.withEnv');
    await expectRefused(() => job.withEnv(['A=1']), 'Job.withEnv');
    await expectRefused(() => job.withEnv(null), 'Job.withEnv');
    await expectRefused(() => job.withArgs('x', 2), 'Job.withArgs', 'not the number 2 (argument 2)');
  });

  it('limits are numbers in range, not strings', async () => {
    const job: any = client.createJob(HELLO);
    expect((await refusal(() => job.withMemory('64'))).message).toBe('Job.withMemory expects the memory cap in MiB as a whole number of at least 1, not the string "64".');
    await expectRefused(() => job.withMemory(0), 'Job.withMemory', 'not the number 0');
    await expectRefused(() => job.withCpu(1.5), 'Job.withCpu');
    await expectRefused(() => job.withTimeout('5'), 'Job.withTimeout', 'a number greater than 0, not the string "5"');
    await expectRefused(() => job.withTimeout(0), 'Job.withTimeout');
    await expectRefused(() => job.withTimeout(Number.POSITIVE_INFINITY), 'Job.withTimeout');
    await expectRefused(() => job.withMaxOutput(-1), 'Job.withMaxOutput');
    await expectRefused(() => job.withMaxOutput(Number.NaN), 'Job.withMaxOutput');
    await expectRefused(() => job.withFuel(2 ** 60), 'Job.withFuel');
    await expectRefused(() => job.withFuel(undefined), 'Job.withFuel', 'not undefined');
    // What is within range is still accepted, including an output cap of 0 and half a second.
    expect(() => job.withMemory(64).withCpu(1).withTimeout(0.5).withMaxOutput(0).withFuel(1)).not.toThrow();
  });

  it('submit and start take text or bytes and an options object; submit(42) is a usage error', async () => {
    const job: any = client.createJob(HELLO);
    expect((await refusal(() => job.submit(42))).message).toBe('Job.submit expects stdin as a string or a Uint8Array (or left out), not the number 42.');
    await expectRefused(() => job.start({ text: 'hi' }), 'Job.start', 'not an object');
    await expectRefused(() => job.submit('hi', { signal: 'stop' }), 'Job.submit', 'options.signal as an AbortSignal');
    await expectRefused(() => job.submit('hi', { onEvent: true }), 'Job.submit', 'options.onEvent as a function');
    await expectRefused(() => job.submit('hi', { sginal: new AbortController().signal }), 'Job.submit', 'only the keys signal, onEvent, id in options, not the string "sginal"');
    // A job id (a queue's): what BullMQ takes as a custom id, and a log shows plainly.
    for (const id of [42, '', '123', 'a:b', 'x'.repeat(129)]) await expectRefused(() => job.submit('hi', { id }), 'Job.submit', 'options.id as a job id of 1 to 128 letters, digits');
    await expectRefused(() => job.submit('hi', 'options'), 'Job.submit');
  });

  it('withDir refuses a misspelt option instead of granting the dir read-write', async () => {
    const dir = tempDir();
    const job: any = client.createJob(join(EXAMPLES, 'cat-file', 'cat-file.wasm'));
    await expectRefused(() => job.withDir(dir, '/d', { readOnly: true }), 'Job.withDir', 'only the keys readonly in options, not the string "readOnly"');
    await expectRefused(() => job.withDir(dir, '/d', { readonly: 'yes' }), 'Job.withDir', 'options.readonly as true or false');
    await expectRefused(() => job.withDir(dir, { readonly: true }), 'Job.withDir', 'the guest path as a non-empty string, not an object');
    await expectRefused(() => job.withDir(42), 'Job.withDir', 'the host directory as a non-empty string');
  });

  it('Client checks its options, paths and batches', async () => {
    const anyClient: any = client;
    await expectRefused(() => anyClient.createJob(42), 'Client.createJob', 'the module or manifest path as a non-empty string, not the number 42');
    await expectRefused(() => anyClient.createJob(''), 'Client.createJob');
    await expectRefused(() => new (Client as any)({ transport: {} }), 'new Client', 'a Transport');
    await expectRefused(() => new (Client as any)({ warm: 'no' }), 'new Client', 'options.warm as true or false');
    await expectRefused(() => new (Client as any)('fast'), 'new Client', 'options as an object');
    await expectRefused(() => new (LocalTransport as any)({ key: 'abc' }), 'new LocalTransport', 'options.key as a NodeKey');
    const job = client.createJob(HELLO);
    await expectRefused(() => anyClient.submitAll(job), 'Client.submitAll', 'an array of jobs or { job, stdin } items, not a Job');
    await expectRefused(() => anyClient.submitAll([job, 'hello.wasm']), 'Client.submitAll', 'items[1] to be a Job or { job, stdin } with a Job, not the string "hello.wasm"');
    await expectRefused(() => anyClient.submitAll([{ job, stdin: 42 }]), 'Client.submitAll', 'items[0].stdin as a string or a Uint8Array, not the number 42');
    await expectRefused(() => anyClient.submitAll([job], { concurrency: '2' }), 'Client.submitAll', 'options.concurrency as a whole number of at least 1, not the string "2"');
    await expectRefused(() => anyClient.submitAll([job], { concurrency: 0 }), 'Client.submitAll');
    await expectRefused(() => anyClient.watch(42), 'Client.watch', 'the folder to watch');
    await expectRefused(() => anyClient.watch(tempDir(), { saveReceipts: 'no' }), 'Client.watch', 'options.saveReceipts as true or false');
  });

  it('Receipt checks its key, bindings and paths', async () => {
    const receipt: any = (await client.createJob(HELLO).submit('abc')).receipt();
    const key = client.publicKey();
    await expectRefused(() => receipt.verify(42), 'Receipt.verify', "the signer's public key pinned as 64 hex characters");
    await expectRefused(() => receipt.verify(), 'Receipt.verify', 'not undefined');
    // A misspelt binding would otherwise go unchecked while verify says ok.
    await expectRefused(() => receipt.verify(key, { input: Buffer.from('abc') }), 'Receipt.verify', 'only the keys module, manifest, stdin, stdout, stderr in bindings, not the string "input"');
    await expectRefused(() => receipt.verify(key, { stdin: 'abc' }), 'Receipt.verify', 'bindings.stdin as bytes (a Buffer or Uint8Array), not the string "abc"');
    await expectRefused(() => receipt.save(42), 'Receipt.save');
    await expectRefused(() => (Receipt as any).load({ path: 'r.json' }), 'Receipt.load', 'the receipt file as a non-empty string, not an object');
  });
});
