#!/usr/bin/env node
// Checks the package as users get it: `npm pack`, then publint and @arethetypeswrong/cli on the
// tarball, then a scratch TypeScript project that installs the tarball, type-checks the README's
// SDK example under strict NodeNext settings, compiles it and runs it. Prints one line per check;
// exits 1 if any fails. Needs dist/ (`npm run check:package` builds first).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const work = mkdtempSync(join(tmpdir(), 'plasm-package-'));
let failed = 0;

function check(name, fn) {
  try {
    const detail = fn();
    console.log(`✓ ${name}${detail ? `: ${detail}` : ''}`);
  } catch (error) {
    failed++;
    console.log(`✗ ${name}`);
    console.log(String(error.stdout ?? '') + String(error.stderr ?? '') || String(error.message));
  }
}
const run = (file, args, cwd = root) => execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let tarball = '';
check('npm pack', () => {
  run('npm', ['pack', '--silent', '--pack-destination', work]);
  tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz')));
  return tarball;
});
check('publint', () => run(bin('publint'), ['--strict'], root).trim().split('\n').at(-1));
check('@arethetypeswrong/cli (ESM-only profile)', () => (run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii']), 'no problems'));

const project = join(work, 'scratch');
check('a scratch TypeScript project installs the tarball', () => {
  run('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  // A Node.js program in TypeScript has Node's types; the SDK's types use Buffer and AbortSignal.
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', tarball, '@types/node@20'], project);
});
check('the README example type-checks (strict, NodeNext) and runs', () => {
  writeFileSync(
    join(project, 'example.ts'),
    `import { Client } from 'plasm-tui';

const client = new Client();
const result = await client.createJob('node_modules/plasm-tui/wasm-examples/hello/hello.wasm')
  .withCpu(1).withMemory(128).withTimeout(30)
  .submit('Hello, World');
const reversed: string = result.stdout();
const code: number | null = result.exitCode();
const report = await result.receipt().verify(client.publicKey());
console.log(JSON.stringify({ reversed, code, status: result.status(), verified: report.ok, totalMs: result.timing().totalMs > 0 }));
`,
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, noEmit: false, outDir: 'out', types: ['node'] }, files: ['example.ts'] }),
  );
  run(bin('tsc'), ['-p', 'tsconfig.json'], project);
  const out = run(process.execPath, ['out/example.js'], project).trim();
  const expected = JSON.stringify({ reversed: 'dlroW ,olleH', code: 0, status: 'ok', verified: true, totalMs: true });
  if (out !== expected) throw new Error(`example printed ${out}, expected ${expected}`);
  return out;
});

rmSync(work, { recursive: true, force: true });
console.log(`${failed === 0 ? 'package checks passed' : `${failed} package check(s) failed`}`);
process.exit(failed === 0 ? 0 : 1);
