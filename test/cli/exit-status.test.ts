// A guest cannot steer its own status. An exit code outside 0–255 is not passed to the shell (which
// would keep its low byte: 256 read as success), and a signal the guest raises on itself
// (proc_raise) never reaches the sandbox process, so it cannot pass for a limit the kernel
// enforced (SIGXCPU read as timeout) or a kill from outside.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { envFor, MODES } from '../helpers/modes.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'plasm-exit-status-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = (body: string, start = ''): string => `(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "wasi_snapshot_preview1" "proc_raise" (func $raise (param i32) (result i32)))
  (memory (export "memory") 1)
  ${start ? `(func $init ${start}) (start $init)` : ''}
  (func (export "_start") ${body}))`;

/** A module whose `_start` runs `body`, after a start function running `start` if given. */
function module(name: string, body: string, start = ''): string {
  const path = join(dir, `${name}.wat`);
  writeFileSync(path, text(body, start));
  return path;
}

interface Report {
  status: string;
  exit_code: number | null;
  message: string;
  receipt: { status: string; exit_code: number | null };
}

describe.each(MODES)('exit codes and raised signals (OS sandbox %s)', (mode) => {
  const run = async (path: string, extra: string[] = []) => {
    const r = await cli(['run', '--json', ...extra, path], { env: envFor(mode) });
    return { exitCode: r.exitCode, report: JSON.parse(r.stdout) as Report };
  };

  it('255 is still the module\'s own exit code', async () => {
    const { report, exitCode } = await run(module('exit-255', '(call $exit (i32.const 255))'));
    expect(report).toMatchObject({ status: 'exit', exit_code: 255 });
    expect(exitCode).toBe(255);
  });

  it.each([
    [256, 256],
    [-1, 4294967295], // WASI's exit code is a u32
  ])('proc_exit(%i) → bad_exit: exit 128, the module\'s code kept in the report and the receipt', async (code, recorded) => {
    const path = module(`exit-${recorded}`, `(call $exit (i32.const ${code}))`);
    const { report, exitCode } = await run(path);
    expect(report.status).toBe('bad_exit');
    expect(report.exit_code).toBe(recorded);
    expect(report.message).toBe(`The job exited with code ${recorded}, outside the 0–255 a process exit code can carry.`);
    expect(report.receipt).toMatchObject({ status: 'bad_exit', exit_code: recorded });
    expect(exitCode).toBe(128);
    // Without --json too: `plasm-tui run job.wasm && deploy` must not go on.
    const plain = await cli(['run', path], { env: envFor(mode) });
    expect(plain.exitCode).toBe(128);
    expect(plain.stderr).toMatch(/· bad_exit · [\d.]+ ms · The job exited with code \d+, outside the 0–255/);
  });

  it.each([
    [23, 'SIGXCPU'], // was read as the kernel's CPU limit: timeout
    [9, 'SIGKILL'], // was read as a kill from outside: killed
    [18, 'SIGSTOP'], // stopped the sandbox process until the time limit: timeout
  ])('proc_raise(%i) → raised (126), naming %s, whatever the signal', async (signal, name) => {
    const { report, exitCode } = await run(module(`raise-${signal}`, `(drop (call $raise (i32.const ${signal}))) (call $exit (i32.const 0))`), ['--timeout', '10']);
    expect(report.status).toBe('raised');
    expect(report.exit_code).toBeNull();
    expect(report.message).toBe(`The module raised ${name} on itself (proc_raise); plasm-tui does not deliver a guest's signals and ended the run there.`);
    expect(report.receipt).toMatchObject({ status: 'raised', exit_code: null });
    expect(exitCode).toBe(126);
  });

  it.each([
    ['(call $exit (i32.const 3))', 'exit', 3, 3],
    ['(call $exit (i32.const 300))', 'bad_exit', 300, 128],
    ['(drop (call $raise (i32.const 23)))', 'raised', null, 126],
  ])('in a start function, %s ends the run the same way (%s)', async (call, status, code, exitCode) => {
    const { report, exitCode: processCode } = await run(module(`start-${status}`, '(call $exit (i32.const 0))', call));
    expect(report).toMatchObject({ status, exit_code: code });
    expect(processCode).toBe(exitCode);
  });

  it('a raise the guest catches still ends as raised, not as the exit that follows', async () => {
    // Exception handling lets wasm catch what an import throws: the run's status must not depend on it.
    const wabt = await (await import('wabt')).default();
    const parsed = wabt.parseWat('raise-caught.wat', text('(try (do (drop (call $raise (i32.const 23)))) (catch_all)) (call $exit (i32.const 0))'), { exceptions: true });
    const path = join(dir, 'raise-caught.wasm');
    writeFileSync(path, parsed.toBinary({}).buffer);
    parsed.destroy();
    const { report, exitCode } = await run(path);
    expect(report.status).toBe('raised');
    expect(report.message).toMatch(/raised SIGXCPU on itself/);
    expect(exitCode).toBe(126);
  });
});
