#!/usr/bin/env node
// Prints the TUI's key table (src/tui/keys.ts) as the Markdown table the README shows, so the
// README, the `?` help and the dispatch all come from one table (a test checks the README).
import { fileURLToPath } from 'node:url';

const { HELP_SECTIONS } = await import(fileURLToPath(new URL('../dist/tui/keys.js', import.meta.url)));

export function keysTable(sections) {
  const rows = ['| where | key | does |', '| --- | --- | --- |'];
  for (const section of sections) {
    for (const binding of section.bindings) rows.push(`| ${section.title} | \`${binding.key}\` | ${binding.description} |`);
  }
  return rows.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(keysTable(HELP_SECTIONS));
