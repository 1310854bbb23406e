import { expect } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, WAT } from './cli.js';

export const FS_OPS = join(WAT, 'fs-ops.wat');

/** WASI errno values the tests expect, named as the spec names them. */
export const ERRNO = {
  SUCCESS: 0, ACCES: 2, BADF: 8, EXIST: 20, INVAL: 28, LOOP: 32, NOENT: 44, NOTDIR: 54,
  NOTEMPTY: 55, NOTSOCK: 57, PERM: 63, NOTCAPABLE: 76,
} as const;

/**
 * A fresh host tree for one test: `dirs` are created empty, `files` with their text. A decoy
 * with secret text always sits outside whatever the test grants, at `outside/secret.txt`.
 */
export function hostTree(dirs: string[] = [], files: Record<string, string> = {}): { root: string; secret: string; at: (p: string) => string } {
  const root = mkdtempSync(join(tmpdir(), 'plasm-paths-'));
  const secret = `TOPSECRET-${Math.random().toString(36).slice(2)}`;
  mkdirSync(join(root, 'outside'));
  writeFileSync(join(root, 'outside', 'secret.txt'), secret);
  for (const dir of dirs) mkdirSync(join(root, dir), { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(root, file), text);
  return { root, secret, at: (p) => join(root, p) };
}

/**
 * Runs fs-ops.wat through the real binary with `grants` (e.g. ['--dir', 'x::/']) and the
 * operations, checks it ran to a clean exit 0 and leaked no secret, and returns the guest's
 * `<op>=<errno>` lines.
 */
export async function fsOps(grants: string[], ops: string[], secret?: string): Promise<string[]> {
  const r = await cli(['run', '--json', ...grants, FS_OPS, '--', ...ops]);
  if (secret) {
    expect(r.stdout).not.toContain(secret);
    expect(r.stderr).not.toContain(secret);
  }
  const report = JSON.parse(r.stdout as string) as { status: string; exit_code: number | null; message: string; stdout: string };
  expect({ status: report.status, exit_code: report.exit_code, exit: r.exitCode }).toEqual({ status: 'ok', exit_code: 0, exit: 0 });
  return report.stdout.split('\n').filter((line) => line !== '');
}
