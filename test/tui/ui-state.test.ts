import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import type { JobEntry } from '../../src/engine/folder/job-entry.js';
import { computeLayout, innerHeight, MIN_COLUMNS, MIN_ROWS } from '../../src/tui/layout.js';
import { OutputLog } from '../../src/tui/runs/output-log.js';
import type { RunRecord } from '../../src/tui/runs/run-record.js';
import { outputRowCount, outputWindow, scrollAnchor } from '../../src/tui/state/output-window.js';
import { filterJobs, moveSelection, selectedIndex, windowStart } from '../../src/tui/state/selection.js';
import { editFilter, initialUiState, uiReducer } from '../../src/tui/state/ui-state.js';
import { jobsToRerun } from '../../src/tui/state/watch-reruns.js';

function job(name: string, extra: Partial<JobEntry> = {}): JobEntry {
  return { id: `/w/${name}`, name, relPath: name, kind: 'module', spec: null, error: null, warning: null, moduleHash: null, manifestHash: null, ...extra };
}

const key = (overrides: Partial<Key> = {}): Key =>
  ({ upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false, ...overrides }) as Key;

describe('UI reducer', () => {
  it('starts in the job list with watch on', () => {
    expect(initialUiState()).toMatchObject({ mode: 'normal', watch: true, filter: '', scroll: null });
  });

  it('toggles watch and says so', () => {
    const off = uiReducer(initialUiState(), { type: 'toggle-watch' });
    expect(off.watch).toBe(false);
    expect(off.notice).toMatch(/watch off/);
    expect(uiReducer(off, { type: 'toggle-watch' }).watch).toBe(true);
  });

  it('keeps stdin per job', () => {
    let state = uiReducer(initialUiState(), { type: 'edit-stdin', length: 0 });
    expect(state).toMatchObject({ mode: 'stdin', cursor: 0 });
    state = uiReducer(state, { type: 'stdin', id: 'a', text: 'one', cursor: 3 });
    state = uiReducer(state, { type: 'stdin', id: 'b', text: 'two', cursor: 2 });
    expect(state.stdin).toEqual({ a: 'one', b: 'two' });
    expect(state.cursor).toBe(2);
  });

  it('holds the output where it was scrolled to, and follows again when another job is selected', () => {
    const state = uiReducer(initialUiState(), { type: 'scroll-to', anchor: { line: 12, row: 0 } });
    expect(state.scroll).toEqual({ line: 12, row: 0 });
    expect(uiReducer(state, { type: 'scroll-to', anchor: null }).scroll).toBeNull();
    expect(uiReducer(state, { type: 'select', id: 'other', index: 1 }).scroll).toBeNull();
  });

  it('edits the filter from raw keys, ignoring control keys', () => {
    expect(editFilter('he', 'l', key())).toBe('hel');
    expect(editFilter('hel', '', key({ backspace: true }))).toBe('he');
    expect(editFilter('he', 'c', key({ ctrl: true }))).toBe('he');
    expect(editFilter('he', 'lo', key())).toBe('helo');
    expect(editFilter('he', '\x07', key())).toBe('he');
  });
});

describe('selection', () => {
  const jobs = [job('args-env'), job('hello'), job('sieve', { relPath: 'sub/sieve.wasm' })];

  it('filters by name or path, case-insensitively', () => {
    expect(filterJobs(jobs, 'HEL').map((j) => j.name)).toEqual(['hello']);
    expect(filterJobs(jobs, 'sub/').map((j) => j.name)).toEqual(['sieve']);
    expect(filterJobs(jobs, '  ')).toBe(jobs);
  });

  it('follows the selected job by id, and lands nearby when it disappears', () => {
    expect(selectedIndex(jobs, { selectedId: '/w/sieve', selectedIndex: 0 })).toBe(2);
    expect(selectedIndex([jobs[0]!, jobs[2]!], { selectedId: '/w/hello', selectedIndex: 1 })).toBe(1);
    expect(selectedIndex([jobs[0]!], { selectedId: '/w/hello', selectedIndex: 5 })).toBe(0);
    expect(selectedIndex([], { selectedId: null, selectedIndex: 0 })).toBe(-1);
  });

  it('moves without wrapping', () => {
    expect(moveSelection(jobs, 0, -1)).toBe(0);
    expect(moveSelection(jobs, 1, 1)).toBe(2);
    expect(moveSelection(jobs, 2, 1)).toBe(2);
  });

  it('windows a long list around the selection', () => {
    expect(windowStart(0, 100, 10)).toBe(0);
    expect(windowStart(50, 100, 10)).toBe(45);
    expect(windowStart(99, 100, 10)).toBe(90);
    expect(windowStart(3, 5, 10)).toBe(0);
  });
});

describe('watch reruns', () => {
  const run = (jobId: string, moduleHash: string, manifestHash: string | null = null) =>
    ({ jobId, moduleHash, manifestHash }) as unknown as RunRecord;
  const spec = {} as JobEntry['spec'];

  it('reruns only jobs that ran and whose module or manifest changed', () => {
    const jobs = [
      job('never-ran', { spec, moduleHash: 'sha256:1' }),
      job('same', { spec, moduleHash: 'sha256:2' }),
      job('rebuilt', { spec, moduleHash: 'sha256:new' }),
      job('manifest-edited', { spec, moduleHash: 'sha256:3', manifestHash: 'sha256:m2' }),
      job('broken', { spec: null, moduleHash: 'sha256:4' }),
      job('module-gone', { spec, moduleHash: null }),
    ];
    const latest: Record<string, RunRecord> = {
      '/w/same': run('/w/same', 'sha256:2'),
      '/w/rebuilt': run('/w/rebuilt', 'sha256:old'),
      '/w/manifest-edited': run('/w/manifest-edited', 'sha256:3', 'sha256:m1'),
      '/w/broken': run('/w/broken', 'sha256:old'),
      '/w/module-gone': run('/w/module-gone', 'sha256:old'),
    };
    expect(jobsToRerun(jobs, (id) => latest[id]).map((j) => j.name)).toEqual(['rebuilt', 'manifest-edited']);
  });
});

describe('output window', () => {
  const log = new OutputLog();
  for (let i = 1; i <= 30; i++) log.append('stdout', Buffer.from(`line ${i}\n`));
  const lines = log.view();

  it('shows the end of the output by default', () => {
    const view = outputWindow(lines, [], 40, 5);
    expect(view.rows.map((r) => r.text)).toEqual(['line 26', 'line 27', 'line 28', 'line 29', 'line 30']);
    expect(view.more).toBe(true);
    expect(view.scroll).toBe(0);
  });

  it('scrolls up by rows from the end, stops at the top, and follows again at the bottom', () => {
    const up = scrollAnchor(lines, [], 40, 5, null, 10);
    expect(up).toEqual({ line: 15, row: 0 });
    expect(outputWindow(lines, [], 40, 5, up).rows[0]?.text).toBe('line 16');
    expect(outputWindow(lines, [], 40, 5, up).scroll).toBe(10);
    const top = scrollAnchor(lines, [], 40, 5, up, Infinity);
    expect(top).toEqual({ line: 0, row: 0 });
    expect(outputWindow(lines, [], 40, 5, top).rows[0]?.text).toBe('line 1');
    expect(outputWindow(lines, [], 40, 5, top).more).toBe(false);
    expect(scrollAnchor(lines, [], 40, 5, top, 1000)).toEqual({ line: 0, row: 0 });
    expect(scrollAnchor(lines, [], 40, 5, up, -10)).toBeNull();
  });

  it('keeps a held view on the same lines as output arrives and old lines are dropped', () => {
    const more = [...lines, ...Array.from({ length: 20 }, (_, i) => ({ stream: 'stdout' as const, text: `line ${31 + i}` }))];
    const anchor = scrollAnchor(lines, [], 40, 5, null, 10);
    expect(outputWindow(more, [], 40, 5, anchor).rows.map((r) => r.text)).toEqual(['line 16', 'line 17', 'line 18', 'line 19', 'line 20']);
    // The first 10 lines dropped from memory: lines[0] is now line 11, numbered 10.
    expect(outputWindow(more.slice(10), [], 40, 5, anchor, 10).rows[0]?.text).toBe('line 16');
    // The anchored line itself dropped: the view starts at the oldest line kept.
    expect(outputWindow(more.slice(20), [], 40, 5, anchor, 20).rows[0]?.text).toBe('line 21');
  });

  it('anchors inside a wrapped line', () => {
    const long = [{ stream: 'stdout' as const, text: 'abcdefghij' }, ...lines];
    const anchor = scrollAnchor(long, [], 4, 3, null, Infinity);
    const down = scrollAnchor(long, [], 4, 3, anchor, -1);
    expect(down).toEqual({ line: 0, row: 1 });
    expect(outputWindow(long, [], 4, 3, down).rows.map((r) => r.text)).toEqual(['efgh', 'ij', 'line']);
  });

  it('wraps long lines into rows and appends notes', () => {
    const long = [{ stream: 'stdout' as const, text: 'abcdefghij' }];
    const view = outputWindow(long, ['cut at the limit'], 4, 10);
    expect(view.rows).toEqual([
      { kind: 'stdout', text: 'abcd' },
      { kind: 'stdout', text: 'efgh' },
      { kind: 'stdout', text: 'ij' },
      // Notes are sentences: wrapped on words, a word longer than the row cut.
      { kind: 'note', text: 'cut' },
      { kind: 'note', text: 'at' },
      { kind: 'note', text: 'the' },
      { kind: 'note', text: 'limi' },
      { kind: 'note', text: 't' },
    ]);
    expect(outputRowCount(long, ['cut at the limit'], 4)).toBe(8);
  });
});

describe('layout', () => {
  it('fills 80×24 and 100×30 exactly, with room for output', () => {
    for (const [columns, rows] of [
      [80, 24],
      [100, 30],
      [200, 60],
    ] as const) {
      const layout = computeLayout(columns, rows);
      expect(layout.tooSmall).toBe(false);
      expect(layout.jobs.width + layout.output.width).toBe(columns);
      expect(layout.timing.width + layout.exit.width).toBe(layout.output.width);
      expect(1 + layout.main.height + layout.stdin.height + 1).toBe(rows);
      expect(layout.output.height + layout.timing.height + layout.receipt.height).toBe(layout.main.height);
      expect(innerHeight(layout.output)).toBeGreaterThanOrEqual(5);
    }
  });

  it('says when the terminal is too small', () => {
    expect(computeLayout(MIN_COLUMNS - 1, 30).tooSmall).toBe(true);
    expect(computeLayout(100, MIN_ROWS - 1).tooSmall).toBe(true);
    expect(computeLayout(MIN_COLUMNS, MIN_ROWS).tooSmall).toBe(false);
  });
});
