import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/core/hash.js';
import type { JobEntry } from '../../src/engine/folder/job-entry.js';
import { OutputLog } from '../../src/tui/runs/output-log.js';
import type { RunOutcome, RunRecord } from '../../src/tui/runs/run-record.js';
import { containmentLine, detailsView, exitView, jobRowView, outputView, receiptAbsence, relativize, timingView } from '../../src/tui/state/views.js';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { jobFromModule } from '../../src/engine/job.js';
import { EXAMPLES } from '../helpers/cli.js';

const ROOT = '/work/jobs';
const job = (extra: Partial<JobEntry> = {}): JobEntry => ({ id: `${ROOT}/hello.wat`, name: 'hello', relPath: 'hello.wat', kind: 'module', spec: {} as never, error: null, warning: null, moduleHash: null, manifestHash: null, ...extra });
const outcome = (extra: Partial<RunOutcome> = {}): RunOutcome => ({ status: 'ok', exitCode: 0, message: 'The job exited with code 0.', timing: { start_ms: 90, compile_ms: 2, run_ms: 3, total_ms: 100 }, stdoutTruncated: false, stderrTruncated: false, outputHash: sha256(''), containment: [], ...extra });
const run = (extra: Partial<RunRecord> = {}): RunRecord => ({ jobId: `${ROOT}/hello.wat`, no: 1, stdin: '', moduleHash: null, manifestHash: null, why: 'user', startedAt: 1000, phase: 'done', output: new OutputLog(), superseded: false, outcome: outcome(), changed: null, receipt: null, fullOutput: null, finishedAt: 1100, ...extra });

describe('views', () => {
  it('shortens the watched folder out of messages', () => {
    expect(relativize(`${ROOT}/a.json: bad; see ${ROOT}/b.wasm`, ROOT)).toBe('a.json: bad; see b.wasm');
    expect(relativize('/elsewhere/a.json', ROOT)).toBe('/elsewhere/a.json');
  });

  it('builds job rows for each state', () => {
    expect(jobRowView(job(), undefined, 0)).toMatchObject({ state: 'never', status: '' });
    expect(jobRowView(job(), run({ outcome: null, startedAt: 1000 }), 2500)).toMatchObject({ state: 'running', status: '● 1.50 s' });
    expect(jobRowView(job(), run(), 0)).toMatchObject({ state: 'ok', status: '✓ 0', time: '100 ms' });
    expect(jobRowView(job(), run({ outcome: outcome({ status: 'exit', exitCode: 42 }) }), 0)).toMatchObject({ status: '✗ 42', time: '100 ms' });
    expect(jobRowView(job(), run({ outcome: outcome({ status: 'timeout', exitCode: null }) }), 0)).toMatchObject({ status: '⏱ timeout', time: '' });
    expect(jobRowView(job(), run({ outcome: outcome({ status: 'memory_limit', exitCode: null }) }), 0)).toMatchObject({ status: '⚠ memory limit' });
    expect(jobRowView(job({ spec: null, error: { message: 'x', details: [] } }), undefined, 0)).toMatchObject({ state: 'broken', status: '✗ invalid' });
    expect(jobRowView(job({ warning: 'gone' }), undefined, 0)).toMatchObject({ state: 'broken', status: '✗ missing' });
    expect(jobRowView(job({ name: 'a\x1b[2Jb' }), undefined, 0).name).toBe('ab');
  });

  it('marks a result stale (~) when the module or manifest changed on disk since that run', () => {
    const ran = run({ moduleHash: sha256('v1'), manifestHash: null });
    expect(jobRowView(job({ moduleHash: sha256('v1') }), ran, 0).status).toBe('✓ 0');
    expect(jobRowView(job({ moduleHash: sha256('v2') }), ran, 0)).toMatchObject({ status: '✓ 0 ~', time: '100 ms' });
    expect(jobRowView(job({ moduleHash: sha256('v1'), manifestHash: sha256('m2') }), ran, 0).status).toBe('✓ 0 ~');
  });

  it("shows a broken job's error and details, and hints how to run a job that never ran", () => {
    const broken = outputView(job({ spec: null, error: { message: `${ROOT}/x.json: /a must be string`, details: [`${ROOT}/x.json: /b is required`] } }), undefined, ROOT, false);
    expect(broken).toMatchObject({ placeholder: 'x.json: /a must be string\nx.json: /b is required', placeholderTone: 'bad' });
    expect(outputView(job(), undefined, ROOT, false).placeholder).toBe('Press ⏎ to run hello, or i to give it stdin first.');
    expect(outputView(undefined, undefined, ROOT, true).placeholder).toMatch(/Looking for modules/);
  });

  it('labels runs with their number and change mark, and explains a run without output', () => {
    expect(outputView(job(), run({ no: 3, changed: true }), ROOT, false).runLabel).toBe('run #3 ≠ · in: (empty)');
    expect(outputView(job(), run({ no: 4, changed: false }), ROOT, false).runLabel).toBe('run #4 = · in: (empty)');
    expect(outputView(job(), run({ outcome: null }), ROOT, false)).toMatchObject({ runLabel: 'run #1 ● · in: (empty)', placeholder: 'waiting for output…' });
    expect(outputView(job(), run({ outcome: outcome({ status: 'trap', exitCode: null, message: 'The job trapped: unreachable.' }) }), ROOT, false).placeholder).toBe('(no output)\n\nThe job trapped: unreachable.');
    const cut = outputView(job(), run({ outcome: outcome({ stdoutTruncated: true }) }), ROOT, false);
    expect(cut.notes.join()).toMatch(/stdout was cut at the output limit/);
  });

  it('gives timing live while running, then the last finished run and a history of finished runs', () => {
    const done = [run({ outcome: outcome({ timing: { start_ms: 1, compile_ms: 1, run_ms: 1, total_ms: 50 } }) }), run({ outcome: outcome({ status: 'cancelled' }) }), run()];
    expect(timingView(done[2], done, 0)).toMatchObject({ elapsedMs: null, history: [50, 100], timing: { total_ms: 100 } });
    const live = run({ outcome: null, phase: 'compiling', startedAt: 1000 });
    expect(timingView(live, [...done, live], 1250)).toMatchObject({ elapsedMs: 250, phase: 'compiling', timing: { total_ms: 100 } });
    // The running timer shows its limit: `250 ms / 30.0 s`.
    expect(timingView(live, [live], 1250, 30)).toMatchObject({ elapsedMs: 250, limitMs: 30_000 });
    expect(timingView(done[2], done, 0, 30)).toMatchObject({ limitMs: null });
  });

  it('says how a run ended, or why the job cannot run', () => {
    expect(exitView(job(), run({ outcome: outcome({ status: 'exit', exitCode: 3, message: `${ROOT}/x failed` }) }), ROOT)).toEqual({ state: 'exit', exitCode: 3, message: 'x failed', containment: null });
    expect(exitView(job(), run({ superseded: true, outcome: outcome({ status: 'cancelled', exitCode: null }) }), ROOT).message).toMatch(/newer run/);
    expect(exitView(job(), run({ outcome: null, phase: 'starting' }), ROOT)).toMatchObject({ state: 'running', message: 'starting…' });
    expect(exitView(job({ spec: null, error: { message: 'bad', details: [] } }), undefined, ROOT)).toMatchObject({ state: 'broken', message: 'bad' });
    expect(exitView(job(), undefined, ROOT)).toMatchObject({ state: 'never' });
  });

  it('explains an absent receipt', () => {
    expect(receiptAbsence(job(), undefined)).toMatch(/no receipt yet/);
    expect(receiptAbsence(job({ spec: null }), undefined)).toMatch(/cannot run/);
    expect(receiptAbsence(job(), run({ outcome: null }))).toMatch(/signed and saved when the run ends/);
    expect(receiptAbsence(job(), run())).toMatch(/nothing was signed/);
    // Between the run's end on screen and its receipt saved and checked (a moment): not "nothing was signed".
    expect(receiptAbsence(job(), run({ receiptPending: true }))).toBe('● saving and checking the receipt');
  });

  it('says a run refused before it started was refused, not that the module could not be read, and shows no 0.0 ms phases', () => {
    const refused = run({ outcome: outcome({ status: 'invalid', exitCode: null, message: 'The module hash does not match the pin.', timing: { start_ms: 0, compile_ms: 0, run_ms: 0, total_ms: 1.2 } }) });
    expect(receiptAbsence(job(), refused)).toBe('no receipt: the run was refused before it started (see Exit), so nothing was signed');
    expect(timingView(refused, [run(), refused], 2000)).toMatchObject({ timing: null, refused: true, history: [100] });
    expect(receiptAbsence(job(), run({ outcome: outcome({ status: 'trap' }) }))).toMatch(/nothing was signed for this trap run/);
  });

  it('does not repeat the headline in words: no "exited with code 0" under ✓ 0 · ok', () => {
    expect(exitView(job(), run(), ROOT).message).toBe('');
    expect(exitView(job(), run({ outcome: outcome({ status: 'exit', exitCode: 42, message: 'The job exited with code 42.' }) }), ROOT).message).toBe('');
    expect(exitView(job(), run({ outcome: outcome({ status: 'trap', exitCode: null, message: 'The module trapped: unreachable.' }) }), ROOT).message).toBe('The module trapped: unreachable.');
  });
});

describe('folderLabel', () => {
  it('names `.` by the folder itself, and keeps what the user typed otherwise', async () => {
    const { folderLabel } = await import('../../src/tui/start.js');
    const { basename } = await import('node:path');
    expect(folderLabel('.')).toBe(basename(process.cwd()));
    expect(folderLabel('wasm-examples')).toBe('wasm-examples');
  });

  it('says which containment layers held a run, and warns by name about one that was off', () => {
    const on = (name: 'os_sandbox' | 'kernel_limits' | 'die_with_parent' | 'node_permissions' | 'wasi_paths', active = true) => ({ name, active, detail: '' });
    expect(containmentLine([])).toBeNull();
    expect(containmentLine([on('os_sandbox'), on('kernel_limits'), on('die_with_parent'), on('wasi_paths')])).toEqual({ text: 'held: bwrap rlimit paths', warn: false });
    expect(containmentLine([on('os_sandbox', false), on('kernel_limits'), on('wasi_paths')])).toEqual({ text: '⚠ no bwrap · held: rlimit paths', warn: true });
    const view = exitView(job(), run({ outcome: outcome({ containment: [on('os_sandbox', false), on('wasi_paths')] }) }), ROOT);
    expect(view.containment).toEqual({ text: '⚠ no bwrap · held: paths', warn: true });
  });
});

describe('job details', () => {
  it("lists a manifest job's module, argv, env names (not values), dirs read-only or not, limits and default stdin", () => {
    const spec = {
      name: 'greet',
      modulePath: `${ROOT}/bin/greet.wasm`,
      manifestPath: `${ROOT}/greet.manifest.json`,
      manifestHash: null,
      pinnedHash: null,
      args: ['--name', 'two words'],
      env: { TOKEN: 'secret-value', LANG: 'C' },
      dirs: [{ host: '/data', guest: '/d', readonly: true }],
      defaultStdin: 'a\nb',
      limits: { memory_mb: 64, timeout_seconds: 2, max_output_bytes: 1024 * 1024, fuel: null, cpu_cores: 1 },
      requested: null,
      deterministic: false,
      seed: null,
      argv0: null,
    };
    const lines = detailsView(job({ id: `${ROOT}/greet.manifest.json`, kind: 'manifest', spec, moduleHash: sha256('m') }), undefined, ROOT);
    expect(lines).toEqual([
      'manifest  greet.manifest.json',
      'module    bin/greet.wasm',
      `hash      ${sha256('m')}`,
      'args      greet.wasm --name "two words"',
      'env       TOKEN LANG',
      'dirs      read-only  /data as /d',
      'limits    memory 64 MiB · time 2 s · output 1.0 MiB · fuel none · cpu 1',
      'stdin     a↵b',
    ]);
    expect(lines.join('\n')).not.toContain('secret-value');
  });
});

describe('detailsView, deterministic and unwatched', () => {
  it('says a job runs deterministically, with its seed, and why watch cannot follow its module', () => {
    const spec = jobFromModule(join(EXAMPLES, 'hello', 'hello.wasm'), DEFAULT_CONFIG, { deterministic: true, seed: 'ff' });
    const lines = detailsView(job({ id: `${ROOT}/hello.wasm`, kind: 'module', spec, moduleHash: sha256('m'), unwatched: `its module ${ROOT}/../elsewhere/m.wasm is outside the watched folder` }), undefined, ROOT);
    expect(lines).toContain(`mode      deterministic · seed ${'0'.repeat(62)}ff: its receipts replay (v)`);
    expect(lines.find((l) => l.startsWith('watch     '))).toMatch(/outside the watched folder$/);
  });
});
