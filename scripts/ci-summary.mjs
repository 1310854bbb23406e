#!/usr/bin/env node
// Adds up what CI checked: vitest's JSON report, the conformance run and the examples check,
// and prints the closing "N passed, N failed" line (vitest prints none of its own).
import { existsSync, readFileSync } from 'node:fs';

const [vitestJson, conformanceTxt, examplesTxt] = process.argv.slice(2);
let passed = 0;
let failed = 0;

if (vitestJson && existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(`vitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped (${report.numTotalTests} tests)`);
  passed += report.numPassedTests;
  failed += report.numFailedTests + skipped; // a skipped test is a test that proved nothing
  if (report.numTotalTests === 0) failed += 1;
} else {
  console.log('vitest: no report (the test run did not finish)');
  failed += 1;
}

const conformance = conformanceTxt && existsSync(conformanceTxt) ? readFileSync(conformanceTxt, 'utf8') : '';
const counted = /^(\d+) passed, (\d+) failed$/m.exec(conformance);
if (counted) {
  console.log(`conformance: ${counted[1]} passed, ${counted[2]} failed`);
  passed += Number(counted[1]);
  failed += Number(counted[2]);
} else {
  console.log('conformance: no result');
  failed += 1;
}

const examples = examplesTxt && existsSync(examplesTxt) ? readFileSync(examplesTxt, 'utf8').split('\n') : [];
const same = examples.filter((line) => line.startsWith('ok ')).length;
const differ = examples.filter((line) => line.startsWith('DIFFERS ')).length;
console.log(`examples: ${same} rebuilt identically, ${differ} differ`);
passed += same;
failed += differ + (same + differ === 0 ? 1 : 0);

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
