// Who may grant what, through the real binary: a manifest's dirs and env are requests that run
// only once the user has allowed exactly them; flags the user types are consent already; a
// manifest's limits stay under the config's ceilings.
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { cli, EXAMPLES, WAT } from '../helpers/cli.js';

const CAT = join(EXAMPLES, 'cat-file', 'cat-file.wasm');

/** A cloned-looking project folder with cat-file and a manifest; a decoy secret beside it. */
function project(manifest: Record<string, unknown>) {
  const home = mkdtempSync(join(tmpdir(), 'plasm-consent-'));
  const proj = join(home, 'cloned', 'proj');
  mkdirSync(proj, { recursive: true });
  copyFileSync(CAT, join(proj, 'cat-file.wasm'));
  writeFileSync(join(home, 'secret.txt'), 'TOP-SECRET-DECOY');
  const path = join(proj, 'plasm.json');
  writeFileSync(path, JSON.stringify({ version: '0.2', module: 'cat-file.wasm', ...manifest }));
  return { home, proj, path };
}

describe('a manifest that asks for dirs or env', () => {
  it('is refused with exit 77 before anything runs, naming each resolved grant and the command that allows it', async () => {
    const { home, path } = project({ args: ['/h/secret.txt'], dirs: [{ host: '../..', guest: '/h' }], env: { TOKEN: 'x' } });
    const r = await cli(['run', path]);
    expect(r.exitCode).toBe(77);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('TOP-SECRET-DECOY');
    expect(r.stderr).toContain(`read-write ${home} (as /h)`);
    expect(r.stderr).toContain('env TOKEN');
    expect(r.stderr).toContain(`plasm-tui allow ${path}`);
    expect(r.stderr).toContain('--allow-grants');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    // --json is refused the same way: nothing ran, so there is no report to give.
    const json = await cli(['run', '--json', path]);
    expect(json.exitCode).toBe(77);
    expect(json.stdout).toBe('');
  });

  it('asks for "/" read-write as exactly that', async () => {
    const { path } = project({ dirs: [{ host: '/', guest: '/' }] });
    const r = await cli(['run', path]);
    expect(r.exitCode).toBe(77);
    expect(r.stderr).toContain('read-write / (as /)');
  });

  it('runs once allowed, and asks again when the manifest asks for something else', async () => {
    const { home, path } = project({ args: ['/h/secret.txt'], dirs: [{ host: '../..', guest: '/h', readonly: true }] });
    const allowed = await cli(['allow', path]);
    expect(allowed.exitCode).toBe(0);
    expect(allowed.stdout).toContain(`read-only  ${home}  (as /h)`);
    const run = await cli(['run', '-q', path]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('TOP-SECRET-DECOY');

    // The job rewrites its manifest to make the dir writable: that is a new request.
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    manifest.dirs[0].readonly = false;
    writeFileSync(path, JSON.stringify(manifest));
    const again = await cli(['run', '-q', path]);
    expect(again.exitCode).toBe(77);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain(`read-write ${home} (as /h)`);

    // Any other change to what is asked (a new env var) asks again too; revoking forgets.
    manifest.dirs[0].readonly = true;
    writeFileSync(path, JSON.stringify(manifest));
    expect((await cli(['run', '-q', path])).exitCode).toBe(0);
    writeFileSync(path, JSON.stringify({ ...manifest, env: { A: '1' } }));
    expect((await cli(['run', '-q', path])).exitCode).toBe(77);
    writeFileSync(path, JSON.stringify(manifest));
    expect((await cli(['allow', '--revoke', path])).stdout).toContain('no longer allowed');
    expect((await cli(['run', '-q', path])).exitCode).toBe(77);
  });

  it('--allow-grants runs it this once without remembering', async () => {
    const { path } = project({ args: ['/h/secret.txt'], dirs: [{ host: '../..', guest: '/h', readonly: true }] });
    const once = await cli(['run', '-q', '--allow-grants', path]);
    expect(once.exitCode).toBe(0);
    expect(once.stdout).toBe('TOP-SECRET-DECOY');
    expect((await cli(['run', '-q', path])).exitCode).toBe(77);
  });

  it('needs no consent for what the user typed: --dir and --env', async () => {
    const { home, proj } = project({});
    const r = await cli(['run', '-q', '--ro-dir', `${home}::/h`, join(proj, 'cat-file.wasm'), '--', '/h/secret.txt']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('TOP-SECRET-DECOY');
    const env = await cli(['run', '-q', '--env', 'A=1', join(WAT, 'print-env.wat')]);
    expect(env.stdout).toBe('A=1\ncount=1\n');
  });

  it('allow on a manifest without requests says there is nothing to allow', async () => {
    const r = await cli(['allow', join(EXAMPLES, 'hello', 'hello.manifest.json')]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('needs no allowing');
  });
});

describe('limits a manifest asks for', () => {
  it.each([
    ['max_output_bytes', 4e9, /asks for 4000000000 bytes of output, over the ceiling of 67108864 \(ceilings\.max_output_bytes/],
    ['memory_mb', 4096, /asks for 4096 MiB of memory, over the ceiling of 1024 \(ceilings\.memory_mb/],
    ['timeout_seconds', 86400, /asks for 86400 s of time, over the ceiling of 600 \(ceilings\.timeout_seconds/],
  ])('%s over the config ceiling is refused (exit 65), never run', async (key, value, message) => {
    const { path } = project({ [key]: value });
    const r = await cli(['run', '--stdin', 'x', path]);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('the ceilings come from the config, and flags typed by the user are not held to them', async () => {
    const { path, proj } = project({ memory_mb: 1500 });
    const config = mkdtempSync(join(tmpdir(), 'plasm-config-'));
    mkdirSync(join(config, 'plasm-tui'));
    writeFileSync(join(config, 'plasm-tui', 'config.json'), JSON.stringify({ ceilings: { memory_mb: 2048 } }));
    const raised = await cli(['run', '-q', '--json', path], { env: { XDG_CONFIG_HOME: config } });
    expect(JSON.parse(raised.stdout).receipt.limits.memory_mb).toBe(1500);
    const typed = await cli(['run', '--json', '--memory', '3000', join(proj, 'cat-file.wasm')]);
    expect(JSON.parse(typed.stdout).receipt.limits.memory_mb).toBe(3000);
  });
});

describe('job names', () => {
  it('a manifest named ".." is invalid, and no receipt lands outside the receipts folder', async () => {
    const { proj, path } = project({ name: '..' });
    const r = await cli(['run', path]);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toMatch(/\/name must match pattern/);
    expect(readdirSync(proj).sort()).toEqual(['cat-file.wasm', 'plasm.json']);
    expect(relative(proj, path)).toBe('plasm.json');
  });
});
