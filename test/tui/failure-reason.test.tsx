/** Why a run failed is never cut: the last line of its output, in zoom, the details and the saved text. */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { createEngine, jobFromModule } from '../../src/engine/index.js';
import { OutputLog } from '../../src/tui/runs/output-log.js';
import { RunStore } from '../../src/tui/runs/run-store.js';
import { detailsView, outputView } from '../../src/tui/state/views.js';
import { WAT } from '../helpers/cli.js';
import { ENTER, ESC, key, moduleJob, setup } from './tui-harness.js';

const REASON = 'The module trapped: unreachable code was reached in function $deeply_nested_helper (wasm-function[7]) at offset 0x1f4 of the code section.';

describe('the reason a run failed', () => {
  it('ends the output pane in full at 80 columns, and the zoomed pane, and the details', async () => {
    const { engine, waitFor, press, frame } = setup([moduleJob('alpha')], { columns: 80, rows: 24 });
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press(ENTER);
    engine.runs[0]?.emit({ type: 'stdout', chunk: Buffer.from('some output\n') });
    engine.runs[0]?.end({ status: 'trap', exit_code: null, message: REASON, stdout: Buffer.from('some output\n') });
    await waitFor((f) => f.includes('trap'), 'the trap');
    // The output pane is 48 columns wide here: the sentence wraps, whole, under the output.
    const joined = (f: string) => f.split('\n').map((line) => line.split('│')[3]?.trim() ?? '').join(' ');
    await waitFor((f) => joined(f).includes('✗ trap: The module trapped: unreachable code was reached in function'), 'the reason in the output pane');
    expect(joined(frame())).toContain('of the code section.');
    await press('z');
    await waitFor((f) => !f.includes('Jobs (1)') && f.includes(`✗ trap: ${REASON.slice(0, 40)}`), 'the reason in zoom');
    await press('z', 'o');
    const details = await waitFor((f) => f.includes('Details · alpha'), 'the details');
    expect(details.replace(/[\s│]+/g, ' ')).toContain(`ended ✗ trap: ${REASON}`);
    await press(ESC);
  });

  it('is the last line of the view model, and the placeholder when nothing was printed', () => {
    const log = new OutputLog();
    log.append('stdout', Buffer.from('line\n'));
    const record = { jobId: 'a', no: 1, stdin: '', moduleHash: null, manifestHash: null, why: 'user' as const, startedAt: 0, phase: 'done' as const, output: log, superseded: false, changed: null, receipt: null, fullOutput: null, finishedAt: 1 };
    const outcome = { status: 'timeout' as const, exitCode: null, message: '/root/x.wat ran past its 1 s limit.', timing: { start_ms: 0, compile_ms: 0, run_ms: 0, total_ms: 1 }, stdoutTruncated: false, stderrTruncated: false, outputHash: 'sha256:' as never, containment: [] };
    const job = moduleJob('x', '/root');
    expect(outputView(job, { ...record, outcome }, '/root', false).notes.at(-1)).toBe('⏱ timeout: x.wat ran past its 1 s limit.');
    expect(outputView(job, { ...record, output: new OutputLog(), outcome }, '/root', false).placeholder).toBe('(no output)\n\nx.wat ran past its 1 s limit.');
    expect(outputView(job, { ...record, outcome: { ...outcome, status: 'ok', message: 'The job exited with code 0.' } }, '/root', false).notes).toEqual([]);
    expect(detailsView(job, { ...record, outcome }, '/root').at(-1)).toBe('ended     ⏱ timeout: x.wat ran past its 1 s limit.');
  });
});

describe('the saved output text', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('ends with why a failed run ended, so the pager shows it too (real engine)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-tui-reason-'));
    dirs.push(dir);
    copyFileSync(join(WAT, 'div-zero.wat'), join(dir, 'div-zero.wat'));
    const store = new RunStore({ root: dir, engine: createEngine({ config: DEFAULT_CONFIG, key }), publicKeyHex: key.publicKeyHex });
    const spec = jobFromModule(join(dir, 'div-zero.wat'), DEFAULT_CONFIG);
    const record = store.start({ id: spec.modulePath, spec, moduleHash: null, manifestHash: null }, '');
    await store.whenIdle();
    expect(record?.outcome?.status).toBe('trap');
    const saved = readFileSync(join(dir, record?.fullOutput ?? 'missing'), 'utf8');
    expect(saved.trimEnd().split('\n').at(-1)).toBe(`✗ trap: ${record?.outcome?.message}`);
  });
});
