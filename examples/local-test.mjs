#!/usr/bin/env node
// The seed's local_test.php, with the TypeScript SDK: run hello.wasm on this machine in a
// sandbox, print what it said and how it ended, and check its signed receipt against this
// machine's key. Run it with `node examples/local-test.mjs` after `npm ci`.
import { fileURLToPath } from 'node:url';
import { Client, VerifyError } from 'plasm-tui';

const hello = fileURLToPath(new URL('../wasm-examples/hello/hello.wasm', import.meta.url));
const client = new Client();

const result = await client.createJob(hello).withCpu(1).withMemory(128).withTimeout(30).submit('Hello, World');

console.log(`stdout:    ${result.stdout()}`);
console.log(`status:    ${result.status()} (exit code ${result.exitCode()})`);
console.log(`timing:    ${result.timing().totalMs.toFixed(1)} ms in all, ${result.timing().runMs.toFixed(1)} ms running`);
console.log(`contained: ${result.containment().map((layer) => `${layer.name} ${layer.active ? 'on' : 'off'}`).join(', ')}`);

const receipt = result.receipt();
// verify() throws a VerifyError when a check fails; its report says which, as a success's does.
let report;
try {
  report = receipt.verify(client.publicKey(), { stdin: Buffer.from('Hello, World'), stdout: result.stdoutBytes() });
} catch (error) {
  if (!(error instanceof VerifyError)) throw error;
  report = error.report;
}
for (const check of report.checks) console.log(`receipt:   ${check.ok ? '✓' : '✗'} ${check.name}: ${check.detail}`);
await client.close();
process.exit(report.ok && result.ok() ? 0 : 1);
