// Escape sequences that reach the user's terminal through plasm-tui: file names, manifest keys
// and paths in what `validate`, `allow` and `watch` print, C1 controls and bidi characters in
// JSON output, and a module's own output on a terminal. Each is tried through the real binary,
// the terminal case in a real pseudo-terminal read back by xterm.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, WAT, cli } from '../helpers/cli.js';
import { ceiling } from '../helpers/ceiling.js';
import { until } from '../helpers/poll.js';

/** What must never reach a terminal raw: ESC, other C0 but line breaks and tabs, DEL, C1, bidi and invisible characters. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;
/** An OSC title, an OSC 52 clipboard write, a clear screen, a C1 CSI and bidi marks. */
const HOSTILE = '\x1b]0;pwned\x07\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\u009b2J\u202e\u200f\u061c\u200b';

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-escapes-'));
  folders.push(dir);
  return dir;
}

describe('validate', () => {
  it('quotes manifest keys, paths and file names without their escapes', async () => {
    const dir = folder();
    const badKey = join(dir, 'key.manifest.json');
    writeFileSync(badKey, JSON.stringify({ version: '0.2', name: 'k', module: 'k.wasm', [HOSTILE]: 1 }));
    const badPath = join(dir, 'path.manifest.json');
    writeFileSync(badPath, JSON.stringify({ version: '0.2', name: 'p', module: `${HOSTILE}.wasm` }));
    const badName = join(dir, `${HOSTILE}.manifest.json`);
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'hello.wat'));
    writeFileSync(badName, JSON.stringify({ version: '0.2', name: 'n', module: 'hello.wat' }));
    const result = await cli(['validate', badKey, badPath, badName]);
    expect(result.exitCode).toBe(65);
    expect(result.stderr).toMatch(/key\.manifest\.json: .*unknown key/);
    expect(result.stderr).toMatch(/path\.manifest\.json: \/module names .*\.wasm, which does not exist/);
    expect(result.stdout).toMatch(/^ok .*\.manifest\.json \(manifest\)\n$/);
    expect(result.stderr).not.toMatch(UNSAFE);
    expect(result.stdout).not.toMatch(UNSAFE);
  });

  it('--json escapes C1 and bidi characters, and the strings parse back unchanged', async () => {
    const dir = folder();
    const badPath = join(dir, 'path.manifest.json');
    writeFileSync(badPath, JSON.stringify({ version: '0.2', name: 'p', module: `${HOSTILE}.wasm` }));
    const result = await cli(['validate', '--json', badPath]);
    expect(result.exitCode).toBe(65);
    expect(result.stdout).not.toMatch(UNSAFE);
    expect(result.stdout).toContain('\\u009b2J\\u202e\\u200f\\u061c\\u200b');
    const [verdict] = JSON.parse(String(result.stdout)) as { errors: string[] }[];
    expect(verdict?.errors[0]).toContain(`${HOSTILE}.wasm`);
  });
});

describe('allow', () => {
  it('shows a granted folder whose name holds bidi marks and escapes without them', async () => {
    const dir = folder();
    const data = `data${HOSTILE}`;
    mkdirSync(join(dir, data));
    copyFileSync(join(WAT, 'hello.wat'), join(dir, 'hello.wat'));
    const manifest = join(dir, 'job.manifest.json');
    writeFileSync(manifest, JSON.stringify({ version: '0.2', name: 'job', module: 'hello.wat', dirs: [{ host: data, guest: '/data', readonly: true }] }));
    const result = await cli(['allow', manifest]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/asks for:\n.*data.*\/data/);
    expect(result.stdout).not.toMatch(UNSAFE);
    expect(result.stderr).not.toMatch(UNSAFE);
  });
});

describe('watch', () => {
  /** C1 and bidi characters are allowed in a job name: this one runs. */
  const RUNS = 'evil\u009b2J\u202e\u200f.wat';
  /** ESC is not: this one is reported invalid, its name quoted in the message. */
  const INVALID = `bad${HOSTILE}.wat`;

  /** Runs watch on a folder holding hello.wat under both names, until the one has run and the other is reported. */
  async function watchOnce(json: boolean): Promise<string> {
    const dir = folder();
    copyFileSync(join(WAT, 'hello.wat'), join(dir, RUNS));
    copyFileSync(join(WAT, 'hello.wat'), join(dir, INVALID));
    const watch = execa(process.execPath, [BIN, 'watch', dir, ...(json ? ['--json'] : [])], { reject: false, env: { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME }, timeout: ceiling(30_000) });
    let out = '';
    watch.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const done = json ? () => out.includes('"run_finished"') && out.includes('"job_invalid"') : () => / #1: ok/.test(out) && /: invalid: /.test(out);
    await until(done, 'the run and the invalid job', 30_000);
    watch.kill('SIGTERM');
    const result = await watch;
    expect(result.exitCode).toBe(0);
    expect(result.stderr).not.toMatch(UNSAFE);
    return out;
  }

  it('--json escapes C1 controls and bidi overrides from file names', async () => {
    const out = await watchOnce(true);
    expect(out).not.toMatch(UNSAFE);
    expect(out).toContain('evil\\u009b2J\\u202e\\u200f.wat');
    const events = out
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; job?: { id: string }; message?: string });
    expect(events.find((event) => event.type === 'run_finished')?.job?.id).toBe(RUNS);
    expect(events.find((event) => event.type === 'job_invalid')?.job?.id).toBe(INVALID);
  });

  it('prints its text lines without them', async () => {
    const out = await watchOnce(false);
    expect(out).toMatch(/evil.*\.wat #1: ok/);
    expect(out).toMatch(/bad.*\.wat: invalid: .*is not a plain name/);
    expect(out).not.toMatch(UNSAFE);
  });
});

/** A .wat that writes `text` to fd 1 or 2 and exits 0. */
function printer(dir: string, name: string, fd: number, text: string): string {
  const bytes = Buffer.from(text);
  const data = [...bytes].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  const path = join(dir, name);
  writeFileSync(
    path,
    `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\\10\\00\\00\\00\\${(bytes.length & 0xff).toString(16).padStart(2, '0')}\\00\\00\\00")
  (data (i32.const 16) "${data}")
  (func (export "_start") (drop (call $fd_write (i32.const ${fd}) (i32.const 0) (i32.const 1) (i32.const 8)))))
`,
  );
  return path;
}

/** `plasm-tui run ARGS` in a real terminal: what xterm shows, the titles it was given, the bytes it got. */
async function runInTerminal(args: string[]): Promise<{ screen: string; titles: string[]; raw: string; exitCode: number }> {
  const term = new xterm.Terminal({ cols: 100, rows: 20, allowProposedApi: true });
  const titles: string[] = [];
  term.onTitleChange((title) => titles.push(title));
  // Lines the screen had before the run: a module clearing the screen would wipe them.
  term.write('line before the run\r\n');
  const child = pty.spawn(process.execPath, [BIN, 'run', ...args], {
    name: 'xterm-256color',
    cols: 100,
    rows: 20,
    cwd: ROOT,
    env: { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? '', TERM: 'xterm-256color', PATH: process.env.PATH ?? '' },
  });
  let raw = '';
  let pending = 0;
  child.onData((data) => {
    raw += data;
    pending++;
    term.write(data, () => pending--);
  });
  let exit: { exitCode: number } | null = null;
  child.onExit((e) => (exit = e));
  try {
    const ended = await until(() => (exit && pending === 0 ? exit : null), 'the run to end', 20_000);
    const buffer = term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < term.rows; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
    return { screen: lines.join('\n'), titles, raw, exitCode: ended.exitCode };
  } finally {
    if (!exit) child.kill('SIGKILL');
    term.dispose();
  }
}

describe('run on a terminal', () => {
  it("sanitises the module's stdout and stderr: no clear screen, no title, no clipboard", async () => {
    const dir = folder();
    const err = printer(dir, 'err.wat', 2, '\x1b]0;from stderr\x07\x1b]52;c;cm0gLXJmIH4=\x07stderr\u202e text\n');
    const out = await runInTerminal(['-q', join(WAT, 'escape.wat')]);
    expect(out.exitCode).toBe(0);
    expect(out.titles).toEqual([]);
    expect(out.screen).toMatch(/^line before the run\nred ok\n/);
    expect(out.raw).not.toContain('\x1b]0;');
    const errOut = await runInTerminal(['-q', err]);
    expect(errOut.titles).toEqual([]);
    expect(errOut.raw).not.toContain('\x1b]52;');
    expect(errOut.screen).toMatch(/^line before the run\nstderr\ufffd text\n/);
  });

  it('--raw writes it byte for byte, as asked', async () => {
    const out = await runInTerminal(['-q', '--raw', join(WAT, 'escape.wat')]);
    expect(out.exitCode).toBe(0);
    expect(out.titles).toEqual(['pwned']);
    expect(out.raw).toContain('\x1b[2J\x1b]0;pwned\x07\x1b[31mred\x1b[0m ok');
  });

  it('keeps a pipe byte for byte, without --raw', async () => {
    const result = await cli(['run', '-q', join(WAT, 'escape.wat')], { encoding: 'buffer' });
    expect(result.exitCode).toBe(0);
    expect(Buffer.from(result.stdout as unknown as Uint8Array).toString('latin1')).toBe('\x1b[2J\x1b]0;pwned\x07\x1b[31mred\x1b[0m ok\n');
  });

  it('--json escapes C1 and bidi characters in the output it reports', async () => {
    const dir = folder();
    const job = printer(dir, 'c1.wat', 1, 'a\u009b2Jb\u202ec\n');
    const result = await cli(['run', '--json', job]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toMatch(UNSAFE);
    expect(result.stdout).toContain('a\\u009b2Jb\\u202ec');
    expect(JSON.parse(String(result.stdout))).toMatchObject({ stdout: 'a\u009b2Jb\u202ec\n' });
  });
});

