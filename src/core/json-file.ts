import { readFileSync } from 'node:fs';
import { PlasmError, fsError } from './errors.js';

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
    const where = at ? ` at ${lineColumn(text, Number(at[1]))}` : '';
    const reason = message.replace(/^Unexpected token (.*?) in JSON at position \d+$/, 'unexpected $1').replace(/ in JSON at position \d+.*$/, '');
    throw new PlasmError('invalid', `${path} is not valid JSON${where}: ${reason}.`);
  }
}

function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}
