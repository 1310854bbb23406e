#!/usr/bin/env node
// Prints the README's table of `plasm-tui run` options from their one declaration
// (src/cli/run-options.ts), as the README shows it (a test checks the README).
import { fileURLToPath } from 'node:url';

const { runOptionsTable } = await import(fileURLToPath(new URL('../dist/cli/run-options.js', import.meta.url)));
console.log(runOptionsTable());
