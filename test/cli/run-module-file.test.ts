// `plasm-tui run` reads a module only when it is a regular file under the size cap, checked
// before a byte is read: a manifest naming /dev/zero, a FIFO or a sparse 600 MB file is refused
// in one sentence with status `invalid` (exit 65) instead of read until the process dies or
// blocked on for ever. Each child has a deadline, so a regression fails instead of hanging.
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, EXAMPLES } from '../helpers/cli.js';
import { ceiling } from '../helpers/ceiling.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-run-module-'));
  dirs.push(dir);
  return dir;
}

/** The real binary, killed if it has not ended by a generous deadline. */
function run(args: string[], env: Record<string, string | undefined> = {}) {
  return cli(['run', ...args], { timeout: ceiling(20_000), env: { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, PLASM_OS_SANDBOX: process.env.PLASM_OS_SANDBOX, ...env } });
}

function sparse(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, bytes);
  closeSync(fd);
}

describe('plasm-tui run refuses module files it should not read', () => {
  it('a manifest naming /dev/zero: not a regular file, refused unread', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'zero.manifest.json'), JSON.stringify({ version: '0.2', module: '/dev/zero' }));
    const r = await run(['--json', join(dir, 'zero.manifest.json')]);
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(65);
    expect(JSON.parse(r.stdout as string)).toMatchObject({ status: 'invalid', message: '/dev/zero is a character device, not a regular file; refusing to read it as a module.' });
  });

  it('a FIFO named like a module: refused without waiting for a writer', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe.wasm');
    execFileSync('mkfifo', [fifo]);
    const r = await run([fifo]);
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toContain(`${fifo} is a FIFO, not a regular file; refusing to read it as a module.`);
  });

  it('a sparse 600 MB module: over the default 256 MiB cap, refused before it is read', async () => {
    const dir = tempDir();
    sparse(join(dir, 'huge.wasm'), 600 * 1024 * 1024);
    const r = await run(['--json', join(dir, 'huge.wasm')]);
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(65);
    expect(JSON.parse(r.stdout as string)).toMatchObject({
      status: 'invalid',
      message: `${join(dir, 'huge.wasm')} is 600 MiB, over the 256 MiB cap on a module's size (max_module_bytes in plasm-tui's config.json); refusing to read it.`,
    });
  });

  it('the cap is the config key max_module_bytes: a real module over a lowered cap is refused, under it runs', async () => {
    const config = tempDir();
    mkdirSync(join(config, 'plasm-tui'));
    writeFileSync(join(config, 'plasm-tui', 'config.json'), JSON.stringify({ max_module_bytes: 4096 }));
    const dir = tempDir();
    copyFileSync(join(EXAMPLES, 'hello', 'hello.wasm'), join(dir, 'hello.wasm'));
    const refused = await run(['--json', '--stdin', 'abc', join(dir, 'hello.wasm')], { XDG_CONFIG_HOME: config });
    expect(refused.exitCode).toBe(65);
    expect(JSON.parse(refused.stdout as string).message).toMatch(/^\S+hello\.wasm is \d+ KiB, over the 4 KiB cap on a module's size/);

    writeFileSync(join(config, 'plasm-tui', 'config.json'), JSON.stringify({ max_module_bytes: 1024 * 1024 }));
    const ran = await run(['--json', '--stdin', 'abc', join(dir, 'hello.wasm')], { XDG_CONFIG_HOME: config });
    expect(ran.exitCode).toBe(0);
    expect(JSON.parse(ran.stdout as string)).toMatchObject({ status: 'ok', stdout: 'cba' });
  });
});
