// A Rust std program under a read-only dir (wasm-examples/read-dir): Rust's path_open asks for
// more rights than a read uses, which the read-only layer once refused ("Capabilities
// insufficient (os error 76)" on every read). Reads and listings work; writes still fail.
import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, EXAMPLES } from '../helpers/cli.js';
import { envFor, MODES } from '../helpers/modes.js';

const EXAMPLE = join(EXAMPLES, 'read-dir');
const MODULE = join(EXAMPLE, 'read-dir.wasm');
const LISTING = 'greeting.txt: Read from a read-only dir\nnotes/\n  todo.txt: first line\n';
const REFUSED = 'Capabilities insufficient (os error 76)';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the example's data folder, so that a write that got through would change only it. */
function data(): string {
  const root = mkdtempSync(join(tmpdir(), 'plasm-ro-rust-'));
  made.push(root);
  cpSync(join(EXAMPLE, 'data'), join(root, 'data'), { recursive: true });
  return join(root, 'data');
}

interface Report {
  status: string;
  exit_code: number | null;
  stdout: string;
  stderr: string;
}

async function run(mode: string, args: string[]): Promise<Report> {
  const r = await cli(['run', '--json', ...args], { env: envFor(mode) });
  return JSON.parse(String(r.stdout)) as Report;
}

describe.each(MODES)('a Rust program under --ro-dir (PLASM_OS_SANDBOX=%s)', (mode) => {
  it('lists the dir and its subdir with read_dir and reads every file with read_to_string', async () => {
    const dir = data();
    const report = await run(mode, ['--ro-dir', `${dir}::/data`, MODULE]);
    expect(report).toMatchObject({ status: 'ok', exit_code: 0, stdout: LISTING, stderr: '' });
  });

  it('starts from a subdirectory given as its argument', async () => {
    const dir = data();
    const report = await run(mode, ['--ro-dir', `${dir}::/data`, MODULE, '--', '/data/notes']);
    expect(report).toMatchObject({ exit_code: 0, stdout: 'todo.txt: first line\n', stderr: '' });
  });

  it('cannot create a file (fs::write) nor write to one it opened without creating it', async () => {
    const dir = data();
    const created = await run(mode, ['--ro-dir', `${dir}::/data`, MODULE, '--', '/data', '--write', 'new.txt', 'hi']);
    expect(created).toMatchObject({ exit_code: 1, stdout: LISTING, stderr: `read-dir: /data/new.txt: ${REFUSED}\n` });
    const overwritten = await run(mode, ['--ro-dir', `${dir}::/data`, MODULE, '--', '/data', '--overwrite', 'greeting.txt', 'hi']);
    expect(overwritten).toMatchObject({ exit_code: 1, stdout: LISTING, stderr: `read-dir: /data/greeting.txt: ${REFUSED}\n` });
    expect(readdirSync(dir).sort()).toEqual(['greeting.txt', 'notes']);
    expect(readFileSync(join(dir, 'greeting.txt'), 'utf8')).toBe('Read from a read-only dir\n');
  });

  it('writes both ways through --dir, so the refusals above are the read-only grant', async () => {
    const dir = data();
    const created = await run(mode, ['--dir', `${dir}::/data`, MODULE, '--', '/data', '--write', 'new.txt', 'hi']);
    expect(created).toMatchObject({ exit_code: 0, stdout: `${LISTING}wrote /data/new.txt\n` });
    const overwritten = await run(mode, ['--dir', `${dir}::/data`, MODULE, '--', '/data', '--overwrite', 'greeting.txt', 'Hi']);
    expect(overwritten).toMatchObject({ exit_code: 0 });
    expect(readFileSync(join(dir, 'new.txt'), 'utf8')).toBe('hi');
    // Opened without O_TRUNC: the two bytes replace the first two.
    expect(readFileSync(join(dir, 'greeting.txt'), 'utf8')).toBe('Hiad from a read-only dir\n');
    expect(existsSync(join(dir, 'notes', 'todo.txt'))).toBe(true);
  });

  it('runs from its manifest, which grants the example\'s data read-only', async () => {
    const report = await run(mode, ['--allow-grants', join(EXAMPLE, 'read-dir.manifest.json')]);
    expect(report).toMatchObject({ status: 'ok', exit_code: 0, stdout: LISTING, stderr: '' });
  });
});
