// receipt.verify as the README writes it: a receipt that does not verify throws (as jose's
// jwtVerify does), with the whole report on the error; one that verifies returns the report.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, PlasmError, VerifyError, verifyReceipt, type VerifyReport } from '../../src/sdk/index.js';
import { EXAMPLES } from '../helpers/cli.js';

const HELLO = join(EXAMPLES, 'hello', 'hello.wasm');
const client = new Client({ warm: false });
afterAll(() => client.close());

function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('verify returned instead of throwing');
}

describe('receipt.verify', () => {
  it('takes several pinned keys (a queue\'s workers) and checks against the one that signed', async () => {
    const receipt = (await client.createJob(HELLO).submit('abc')).receipt();
    const others = ['ab'.repeat(32), 'cd'.repeat(32)];
    expect(client.publicKeys()).toEqual([client.publicKey()]);
    expect(receipt.verify([...others, client.publicKey()]).ok).toBe(true);
    const error = thrown(() => receipt.verify(others));
    expect(error).toBeInstanceOf(VerifyError);
    expect((error as VerifyError).message).toBe(`The receipt does not verify: signer (signed by ${client.publicKey()}, which is none of the 2 pinned keys); signature (Ed25519 signature does not match the receipt's contents).`);
    expect(thrown(() => receipt.verify([]))).toBeInstanceOf(PlasmError);
  });

  it('throws a VerifyError carrying the report when a check fails, and returns the report when all pass', async () => {
    const result = await client.createJob(HELLO).submit('abc');
    const receipt = result.receipt();
    const key = client.publicKey();

    const passed: VerifyReport = receipt.verify(key, { module: readFileSync(HELLO), stdin: Buffer.from('abc'), stdout: result.stdoutBytes() });
    expect(passed.ok).toBe(true);
    expect(passed.checks.map((check) => check.name)).toEqual(['signer', 'signature', 'module', 'input', 'stdout']);

    const error = thrown(() => receipt.verify(key, { stdin: Buffer.from('abd') }));
    expect(error).toBeInstanceOf(VerifyError);
    expect(error).toBeInstanceOf(PlasmError);
    const failure = error as VerifyError;
    expect(failure.kind).toBe('verify');
    expect(failure.report.ok).toBe(false);
    expect(failure.report.checks.map((check) => [check.name, check.ok])).toEqual([['signer', true], ['signature', true], ['input', false]]);
    expect(failure.message).toMatch(/^The receipt does not verify: input \(input is sha256:[0-9a-f]{64}, the receipt says sha256:[0-9a-f]{64}\)\.$/);
    expect(failure.details).toEqual([expect.stringMatching(/^input: input is /)]);
  });

  it('another signer is a VerifyError naming both keys; verifyReceipt still returns the report without throwing', async () => {
    const receipt = (await client.createJob(HELLO).submit('x')).receipt();
    const other = 'ab'.repeat(32);
    const failure = thrown(() => receipt.verify(other)) as VerifyError;
    expect(failure).toBeInstanceOf(VerifyError);
    expect(failure.report.checks.find((check) => check.name === 'signer')).toMatchObject({ ok: false, detail: `signed by ${client.publicKey()}, not the pinned key ${other}` });
    expect(failure.message).toContain(`signer (signed by ${client.publicKey()}, not the pinned key ${other})`);
    const report = verifyReceipt(receipt.toJSON(), { pubkey: other });
    expect(report).toEqual(failure.report);
  });
});
