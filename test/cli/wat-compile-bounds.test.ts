// A .wat that sends wabt into a loop that never ends (200 nested blocks, 2 KB) must not freeze
// whoever watches the folder: the text is compiled in a worker under a time limit, and the TUI,
// `watch` and the SDK keep taking q, Ctrl-C and signals meanwhile. Each case runs in a child
// process with a deadline, so that a regression fails instead of hanging the suite; on the old
// code (wabt on the main thread) each of them fails that way.
import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, WAT, cli } from '../helpers/cli.js';
import { ceiling } from '../helpers/ceiling.js';
import { until } from '../helpers/poll.js';
import { tuiFixtures } from '../helpers/tui-folders.js';

/** 200 nested `block`s: valid text that wabt 1.0.39 never finishes parsing. */
const NESTED = `(module (func (export "_start")\n${'block\n'.repeat(200)}${'end\n'.repeat(200)}))\n`;

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A folder holding hello.wat (a job that finishes) and nested.wat. */
function hostileFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-wat-bounds-'));
  folders.push(dir);
  copyFileSync(join(WAT, 'hello.wat'), join(dir, 'hello.wat'));
  writeFileSync(join(dir, 'nested.wat'), NESTED);
  return dir;
}

const env = { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };

describe('a .wat that never finishes compiling', () => {
  const { open } = tuiFixtures();

  it('leaves the TUI responsive: q quits while the text is still compiling', async () => {
    const dir = hostileFolder();
    const tui = open(dir);
    await tui.waitForText('q quit', 20_000);
    await tui.press('q');
    expect(await tui.waitForExit(15_000)).toMatchObject({ exitCode: 0 });
  });

  it('lists the folder (the text taken as it is, after the compile time limit) and ends on SIGHUP, its terminal going away', async () => {
    const dir = hostileFolder();
    const tui = open(dir);
    await tui.waitForText('Jobs (2)', 20_000);
    tui.pty.kill('SIGHUP');
    await tui.waitForExit(15_000);
  });

  it('leaves `watch` running the other jobs and stopping on SIGTERM', async () => {
    const dir = hostileFolder();
    const watch = execa(process.execPath, [BIN, 'watch', dir], { reject: false, env, timeout: ceiling(30_000) });
    let out = '';
    watch.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await until(() => /hello\.wat #1: ok/.test(out), 'hello.wat to run', 30_000);
    watch.kill('SIGTERM');
    const result = await watch;
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(0);
    expect(out).toMatch(/stopped \(SIGTERM\)/);
  });

  it("leaves the SDK's client.watch() yielding events, and close() returns", async () => {
    const dir = hostileFolder();
    const sdk = pathToFileURL(join(ROOT, 'dist', 'sdk', 'index.js')).href;
    const program = `
      const { Client } = await import(${JSON.stringify(sdk)});
      const client = new Client();
      const watcher = client.watch(${JSON.stringify(dir)});
      for await (const event of watcher.events()) {
        if (event.type === 'run_finished' && event.job.id === 'hello.wat') {
          console.log('hello', event.status);
          void watcher.close();
        }
        if (event.type === 'stopped') console.log('stopped');
      }
      await client.close();
    `;
    const child = await execa(process.execPath, ['--input-type=module', '-e', program], { reject: false, env, timeout: ceiling(30_000) });
    expect(child.timedOut).toBe(false);
    expect(child.stdout).toBe('hello ok\nstopped');
    expect(child.exitCode).toBe(0);
  });

  it('is ended by the job timeout when it is run: the sandbox compiles it under the job limits', async () => {
    const dir = hostileFolder();
    const result = await cli(['run', '--timeout', '2', '--json', join(dir, 'nested.wat')], { timeout: ceiling(30_000) });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(124);
    expect(JSON.parse(String(result.stdout))).toMatchObject({ status: 'timeout' });
  });

  /** Runs `body` (which may await `watToWasm`) in a child with a deadline and returns what it printed. */
  async function withCompiler(body: string): Promise<string> {
    const wat = pathToFileURL(join(ROOT, 'dist', 'engine', 'wat.js')).href;
    const program = `const { watToWasm } = await import(${JSON.stringify(wat)});\nconst report = (p) => p.then((b) => console.log('bytes', b.length), (e) => console.log(e.kind, e.message));\n${body}`;
    const child = await execa(process.execPath, ['--input-type=module', '-e', program], { reject: false, timeout: ceiling(20_000) });
    expect(child.timedOut).toBe(false);
    return child.stdout;
  }

  it('is reported by the host compiler as too slow, in one sentence, and the next text gets a fresh compiler', async () => {
    const out = await withCompiler(`await report(watToWasm(${JSON.stringify(NESTED)}, 'nested.wat', { timeoutMs: 500 }));\nawait report(watToWasm('(module)', 'empty.wat'));`);
    expect(out).toBe('invalid nested.wat took longer than 0.5 s to compile as WebAssembly text.\nbytes 8');
  });

  it('stops at the memory cap for a text too big to compile, and says what is wrong with broken text', async () => {
    const out = await withCompiler(
      `await report(watToWasm('(module (memory 1) (data (i32.const 0) "' + 'x'.repeat(8 * 1024 * 1024) + '"))', 'big.wat', { memoryMb: 16 }));\nawait report(watToWasm('(module (func', 'broken.wat'));`,
    );
    expect(out).toMatch(/^invalid big\.wat needed more than 16 MiB to compile as WebAssembly text\.\ninvalid broken\.wat is not valid WebAssembly text: .*error/);
  });
});

