// A reader that goes away (`plasm-tui watch --json DIR | head -1`, `| jq` then Ctrl-C) ends the
// command quietly, as SIGPIPE ends `yes | head`: the watcher stops, no stack trace, exit 0.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, EXAMPLES, WAT } from '../helpers/cli.js';
import { ceiling } from '../helpers/ceiling.js';
import { until } from '../helpers/poll.js';

const STACK_TRACE = /\n\s+at |EPIPE|Unhandled/;
const env = { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, PLASM_OS_SANDBOX: process.env.PLASM_OS_SANDBOX };

function helloFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-closed-'));
  copyFileSync(join(WAT, 'hello.wat'), join(dir, 'hello.wat'));
  return dir;
}

/** `plasm-tui watch --json DIR` whose reader takes the first line, then closes its end. */
function watchUntilFirstLine(dir: string, flags: string[] = ['--json']) {
  const watch = execa(process.execPath, [BIN, 'watch', dir, ...flags], { reject: false, env, timeout: ceiling(60_000) });
  let first = '';
  watch.stdout?.on('data', (chunk: Buffer) => {
    if (first.includes('\n')) return;
    first += chunk.toString();
    if (first.includes('\n')) watch.stdout?.destroy();
  });
  return { watch, firstLine: () => (first.includes('\n') ? first.slice(0, first.indexOf('\n')) : null) };
}

/**
 * Rebuilds hello.wat now and then until `watch` ends: a rebuild's events meet the closed pipe.
 * One in flight is left to print (more at once would cancel each other's runs on a busy machine
 * before any prints, and nothing would meet the pipe).
 */
async function rebuildUntilItEnds(watch: ReturnType<typeof execa>, dir: string): Promise<void> {
  const source = readFileSync(join(WAT, 'hello.wat'), 'utf8');
  let n = 0;
  let rebuiltAt = 0;
  await until(() => {
    if (watch.exitCode !== null || watch.signalCode !== null) return true;
    if (Date.now() - rebuiltAt < ceiling(1000)) return false;
    rebuiltAt = Date.now();
    writeFileSync(join(dir, 'hello.wat'), source.replace('hello from wat', `hello ${String(++n).padStart(8, '0')}`));
    return false;
  }, 'watch to end', 30_000, 250);
}

describe('watch, its reader gone', () => {
  it('`| head -1`: stops at its next event, exit 0, nothing on stderr', async () => {
    const dir = helloFolder();
    const { watch, firstLine } = watchUntilFirstLine(dir);
    const line = await until(firstLine, 'the first line');
    expect(JSON.parse(line)).toMatchObject({ event_version: 1 });
    // Its next event (the first run, or a rebuild made here if the run came before the line was read) meets the closed pipe.
    await rebuildUntilItEnds(watch, dir);
    const result = await watch;
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('`| jq` then Ctrl-C: the stop meets the closed pipe, exit 0, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-closed-'));
    copyFileSync(join(WAT, 'sleep.wat'), join(dir, 'sleep.wat'));
    const watch = execa(process.execPath, [BIN, 'watch', dir, '--json'], { reject: false, env, timeout: ceiling(60_000) });
    let out = '';
    watch.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await until(() => out.includes('"run_started"'), 'the run to start', 30_000);
    watch.stdout?.destroy();
    watch.kill('SIGINT');
    const result = await watch;
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.exitCode).toBe(0);
  });

  it('in text mode too', async () => {
    const dir = helloFolder();
    const { watch, firstLine } = watchUntilFirstLine(dir, []);
    await until(firstLine, 'the first line');
    await rebuildUntilItEnds(watch, dir);
    const result = await watch;
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.exitCode).toBe(0);
  });
});

describe('commands that print, their stdout closed before they write', () => {
  const manifest = join(EXAMPLES, 'sieve', 'sieve.manifest.json');
  it.each([
    ['validate', [manifest, manifest, manifest]],
    ['key', []],
    ['version', []],
    ['help', []],
    ['watch --help', ['--help']],
  ])('%s ends quietly with exit 0', async (name, args) => {
    const child = execa(process.execPath, [BIN, name.split(' ')[0] as string, ...args], { reject: false, env, timeout: ceiling(30_000) });
    child.stdout?.destroy(); // before the child has even started
    const result = await child;
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.exitCode).toBe(0);
  });

  it('verify ends quietly with exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-closed-'));
    const receipt = join(dir, 'r.json');
    const made = await execa(process.execPath, [BIN, 'run', '-q', '--stdin', 'x', '--receipt', receipt, join(EXAMPLES, 'hello', 'hello.wasm')], { reject: false, env });
    expect(made.exitCode).toBe(0);
    const child = execa(process.execPath, [BIN, 'verify', receipt, '--trust-embedded-key'], { reject: false, env, timeout: ceiling(30_000) });
    child.stdout?.destroy();
    const result = await child;
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.exitCode).toBe(0);
  });
});
