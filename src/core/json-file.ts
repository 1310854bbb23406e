import { readFileSync } from 'node:fs';
import { PlasmError, fsError } from './errors.js';
import { syntaxErrorOffset } from './json-syntax-error.js';

export interface JsonFile {
  path: string;
  bytes: Buffer;
  data: unknown;
}

/** Reads and parses a JSON file; a syntax error names the line and column. */
export function readJsonFile(path: string): JsonFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw fsError(error, path, 'read');
  }
  return { path, bytes, data: parseJson(bytes.toString('utf8'), path) };
}

export function parseJson(text: string, path: string): unknown {
  if (text.trim() === '') throw new PlasmError('invalid', `${path} is empty; expected a JSON object.`);
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    // Node 20 gives no position for an unexpected token or a premature end, and quotes the file's
    // text (newlines, escape sequences and all) instead: locate it here and keep to one line.
    const position = at ? Number(at[1]) : syntaxErrorOffset(text);
    const where = position === null ? '' : ` at ${lineColumn(text, position)}`;
    const reason = at
      ? message.replace(/^Unexpected token (.*?) in JSON at position \d+$/, 'unexpected $1').replace(/ at position \d+.*$/, '').replace(/ in JSON$/, '')
      : position === null
        ? 'a syntax error'
        : position >= text.length
          ? 'unexpected end of input'
          : `unexpected ${JSON.stringify(String.fromCodePoint(text.codePointAt(position) ?? 0))}`;
    throw new PlasmError('invalid', `${path} is not valid JSON${where}: ${reason}.`);
  }
}

function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}
