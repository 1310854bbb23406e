/** A restarted TUI remembers the runs it signed: read back from their receipts, numbered as saved. */
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { loadOrCreateNodeKey } from '../../src/core/keys.js';
import { createEngine, jobFromModule } from '../../src/engine/index.js';
import { RunStore } from '../../src/tui/runs/run-store.js';
import { timingView } from '../../src/tui/state/views.js';
import { WAT } from '../helpers/cli.js';

const key = loadOrCreateNodeKey();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folderWith(file: string): { dir: string; spec: ReturnType<typeof jobFromModule>; store: () => RunStore } {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-tui-saved-'));
  dirs.push(dir);
  copyFileSync(join(WAT, file), join(dir, file));
  const spec = jobFromModule(join(dir, file), DEFAULT_CONFIG);
  return { dir, spec, store: () => new RunStore({ root: dir, engine: createEngine({ config: DEFAULT_CONFIG, key }), publicKeyHex: key.publicKeyHex }) };
}

/** Runs the job with stdin `one`, then `two`, in a TUI store that is then closed (as on quitting). */
async function runTwice(spec: ReturnType<typeof jobFromModule>, store: () => RunStore) {
  const job = { id: spec.modulePath, spec, moduleHash: null, manifestHash: null };
  const first = store();
  first.start(job, 'one');
  await first.whenIdle();
  first.start(job, 'two');
  await first.whenIdle();
  await first.close();
  return job;
}

describe('saved runs', () => {
  it('are read back after a restart, and the next run is numbered after them, as it is saved', async () => {
    const { spec, store } = folderWith('echo.wat');
    const job = await runTwice(spec, store);

    const second = store();
    const runs = second.runs(spec.modulePath);
    expect(runs.map((run) => [run.no, run.stdin, run.outcome?.status, run.saved])).toEqual([
      [1, 'one', 'ok', true],
      [2, 'two', 'ok', true],
    ]);
    expect(runs[1]?.output.view()).toEqual([{ stream: 'stdout', text: 'two' }]);
    expect(runs[1]?.changed).toBe(true);
    expect(runs[1]?.receipt).toMatchObject({ verified: true, savedTo: join('.plasm', 'receipts', 'echo.wat', '0002.json') });
    expect(runs[1]?.fullOutput).toBe(join('.plasm', 'receipts', 'echo.wat', '0002.output.txt'));
    expect(timingView(runs[1], runs, 0)).toMatchObject({ phasesKept: false, history: [expect.any(Number), expect.any(Number)] });
    const third = second.start(job, 'three');
    expect(third?.no).toBe(3);
    await second.whenIdle();
    expect(third?.receipt?.savedTo).toBe(join('.plasm', 'receipts', 'echo.wat', '0003.json'));
    expect(third?.no).toBe(3);
    await second.close();
  });

  it('checks the stdin and output saved beside each receipt against it: a changed one is not verified', async () => {
    const { dir, spec, store } = folderWith('echo.wat');
    const job = await runTwice(spec, store);
    writeFileSync(join(dir, '.plasm', 'receipts', 'echo.wat', '0002.stdout'), 'not what ran\n');
    const runs = store().runs(spec.modulePath);
    expect(runs[0]?.receipt).toMatchObject({ verified: true });
    expect(runs[1]?.receipt?.verified).toBe(false);
    expect(runs[1]?.receipt?.problem).toMatch(/^stdout is sha256:\w+, the receipt says sha256:\w+$/);
  });

  it('does not read through a symlinked receipts folder, and passes over files that are not receipts', () => {
    const { dir, spec, store } = folderWith('echo.wat');
    const elsewhere = mkdtempSync(join(tmpdir(), 'plasm-tui-saved-other-'));
    dirs.push(elsewhere);
    mkdirSync(join(elsewhere, 'echo.wat'), { recursive: true });
    writeFileSync(join(elsewhere, 'echo.wat', '0001.json'), '{"version":"0.2"}');
    mkdirSync(join(dir, '.plasm'));
    symlinkSync(elsewhere, join(dir, '.plasm', 'receipts'));
    expect(store().runs(spec.modulePath)).toEqual([]);
    rmSync(join(dir, '.plasm', 'receipts'));
    mkdirSync(join(dir, '.plasm', 'receipts', 'echo.wat'), { recursive: true });
    writeFileSync(join(dir, '.plasm', 'receipts', 'echo.wat', '0007.json'), 'not a receipt');
    const s = store();
    expect(s.runs(spec.modulePath)).toEqual([]);
    // The number is taken all the same: the next receipt is 0008.json, and its run #8.
    expect(s.start({ id: spec.modulePath, spec, moduleHash: null, manifestHash: null }, '')?.no).toBe(8);
    return s.close();
  });
});
