#!/usr/bin/env node
// Adds up what CI checked and prints the closing "N passed, N failed" line (vitest prints none
// of its own). Each argument is KIND:LABEL:FILE, KIND one of
//   vitest       vitest's JSON report (a skipped test counts as failed: it proved nothing)
//   count        a text file holding a line "N passed, N failed" (conformance runs)
//   examples     wasm-examples/build.sh --check output ("ok …" / "DIFFERS …" lines)
//   checks       "✓ …" / "✗ …" lines (the package check)
// A missing or empty file counts as one failure: a step that did not report did not pass.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
const read = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

for (const arg of process.argv.slice(2)) {
  const [kind, label, ...rest] = arg.split(':');
  const file = rest.join(':');
  const text = read(file);
  let p = 0;
  let f = 0;
  let note = '';
  if (kind === 'vitest') {
    if (text === '') {
      f = 1;
      note = 'no report (the test run did not finish)';
    } else {
      const report = JSON.parse(text);
      const skipped = report.numPendingTests + report.numTodoTests;
      p = report.numPassedTests;
      f = report.numFailedTests + skipped + (report.numTotalTests === 0 ? 1 : 0);
      note = `${skipped} skipped, ${report.numTotalTests} tests`;
    }
  } else if (kind === 'count') {
    const counted = /^(\d+) passed, (\d+) failed$/m.exec(text);
    if (counted) [p, f] = [Number(counted[1]), Number(counted[2])];
    else [f, note] = [1, 'no result'];
  } else if (kind === 'examples' || kind === 'checks') {
    const lines = text.split('\n');
    p = lines.filter((line) => (kind === 'examples' ? line.startsWith('ok ') : line.startsWith('✓ '))).length;
    f = lines.filter((line) => (kind === 'examples' ? line.startsWith('DIFFERS ') : line.startsWith('✗ '))).length;
    if (p + f === 0) [f, note] = [1, 'no result'];
  } else {
    console.error(`ci-summary: unknown kind in ${arg}`);
    process.exit(2);
  }
  console.log(`${label}: ${p} passed, ${f} failed${note ? ` (${note})` : ''}`);
  passed += p;
  failed += f;
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
