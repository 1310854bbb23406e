import { readFileSync } from 'node:fs';
import { fsError } from '../core/errors.js';

/** All of this process's stdin, when it is a pipe or file; nothing when it is a terminal. */
export async function readPipedStdin(): Promise<Buffer | null> {
  if (process.stdin.isTTY) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function readInputFile(path: string): Buffer {
  try {
    return readFileSync(path === '-' ? 0 : path);
  } catch (error) {
    throw fsError(error, path, 'read');
  }
}
