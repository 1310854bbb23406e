#!/usr/bin/env node
// Runs every WASI preview 1 case of the WebAssembly wasi-testsuite through `plasm-tui run` and
// compares exit code and stdout with the case's expectations (upstream doc/specification.md:
// `args`, `env`, `root` preopened as `/`, `exit_code` default 0, `stdout` if given).
// The suite is read from ../shared/wasi-testsuite (or $WASI_TESTSUITE); cases that write into
// their root get a fresh copy of it each.
import { execa } from 'execa';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SUITE = process.env.WASI_TESTSUITE ?? join(ROOT, '..', 'shared', 'wasi-testsuite', 'tests');
const BIN = join(ROOT, 'bin', 'plasm-tui.js');

if (!existsSync(SUITE)) {
  console.error(`conformance: the wasi-testsuite is not at ${SUITE}; set WASI_TESTSUITE to its tests/ folder.`);
  process.exit(2);
}

const caseDirs = readdirSync(SUITE).flatMap((language) => {
  const dir = join(SUITE, language, 'testsuite', 'wasm32-wasip1');
  return existsSync(dir) ? [dir] : [];
});
const cases = caseDirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.wasm')).sort().map((f) => join(dir, f)));

const config = mkdtempSync(join(tmpdir(), 'plasm-conformance-config-'));
let passed = 0;
/**
 * The shared suite is a read-only copy, and cpSync keeps its modes: give the owner write access
 * back, as in the upstream repository. Root's DAC override hid this until the OS sandbox
 * (bwrap --cap-drop ALL) made the kernel check the bits for the guest too.
 */
function ownerWritable(path) {
  chmodSync(path, statSync(path).mode | 0o200);
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) ownerWritable(join(path, entry));
}

const failures = [];
for (const wasm of cases) {
  const name = `${basename(join(wasm, '..', '..', '..'))}/${basename(wasm, '.wasm')}`;
  const specPath = wasm.replace(/\.wasm$/, '.json');
  const spec = existsSync(specPath) ? JSON.parse(readFileSync(specPath, 'utf8')) : {};
  const args = ['run', '--json', '--timeout', '10'];
  let scratch = null;
  if (spec.root) {
    scratch = mkdtempSync(join(tmpdir(), 'plasm-conformance-root-'));
    cpSync(join(wasm, '..', spec.root), scratch, { recursive: true });
    ownerWritable(scratch);
    args.push('--dir', `${scratch}::/`);
  }
  for (const [key, value] of Object.entries(spec.env ?? {})) args.push('--env', `${key}=${value}`);
  args.push(wasm, '--', ...(spec.args ?? []));
  const started = performance.now();
  const child = await execa(process.execPath, [BIN, ...args], { reject: false, input: '', env: { XDG_CONFIG_HOME: config } });
  const ms = performance.now() - started;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  let report;
  try {
    report = JSON.parse(child.stdout);
  } catch {
    report = { status: 'error', exit_code: null, message: `no JSON report (exit ${child.exitCode}): ${child.stderr.split('\n')[0]}`, stdout: '' };
  }
  const wantCode = spec.exit_code ?? 0;
  const problems = [];
  if (report.exit_code !== wantCode) problems.push(`exit code ${report.exit_code} (${report.status}: ${report.message}), expected ${wantCode}`);
  if (spec.stdout !== undefined && report.stdout !== spec.stdout) problems.push(`stdout ${JSON.stringify(report.stdout)}, expected ${JSON.stringify(spec.stdout)}`);
  if (problems.length === 0) {
    passed++;
    console.log(`pass ${name} (${ms.toFixed(0)} ms)`);
  } else {
    failures.push(name);
    console.log(`FAIL ${name}: ${problems.join('; ')}${report.stderr ? ` — stderr: ${report.stderr.trim().split('\n').slice(-1)[0]}` : ''}`);
  }
}
rmSync(config, { recursive: true, force: true });
console.log(`conformance: ${passed} of ${cases.length} wasi-testsuite cases passed`);
console.log(`${passed} passed, ${failures.length} failed`);
// Plain node:wasi reaches 24 of 26; plasm-tui answers sock_shutdown as WASI specifies and passes all.
const REQUIRED = Number(process.env.CONFORMANCE_REQUIRED ?? 26);
process.exit(passed >= REQUIRED ? 0 : 1);
