/** ⏎ on a running job and `a` ask first; the grants dialog shows values, changes and folders outside. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GrantRequest } from '../../src/engine/index.js';
import type { JobEntry } from '../../src/engine/folder/job-entry.js';
import { allowedOnDisk } from '../../src/tui/runs/allowed-before.js';
import { grantView } from '../../src/tui/state/grant-view.js';
import { ENTER, ESC, ROOT, moduleJob, scriptedEngine, setup } from './tui-harness.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-tui-grants-'));
  dirs.push(dir);
  return dir;
};

describe('a running job', () => {
  it('is not restarted by ⏎ until the user says yes; esc or any other key leaves it running', async () => {
    const { engine, waitFor, press, frame } = setup([moduleJob('alpha')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press(ENTER);
    await waitFor((f) => /alpha\s+● /.test(f), 'alpha running');
    await press(ENTER);
    await waitFor((f) => f.includes('alpha is running: cancel it and start over?'), 'the question');
    expect(frame()).toMatch(/⏎ yes\s+esc no/);
    expect(engine.runs).toHaveLength(1);
    await press(ESC);
    await waitFor((f) => f.includes('not restarted: the run goes on'), 'the answer');
    expect(engine.runs[0]?.cancelled).toBe(false);
    // Any other key is a no too, and does nothing else.
    await press(ENTER, 'j');
    await waitFor((f) => !f.includes('start over?'), 'the question gone');
    expect(engine.runs).toHaveLength(1);
    // r asks the same; y (or ⏎) restarts.
    await press('r');
    await waitFor((f) => f.includes('start over?'), 'the question again');
    await press('y');
    await waitFor(() => engine.runs.length === 2, 'the restart');
    expect(engine.runs[0]?.cancelled).toBe(true);
    engine.runs[1]?.end({});
    await waitFor((f) => f.includes('✓ 0 · ok'), 'the new run done');
    // A finished job runs at once.
    await press(ENTER);
    await waitFor(() => engine.runs.length === 3, 'a plain run');
  });

  it('a asks before running every listed job', async () => {
    const { engine, waitFor, press } = setup([moduleJob('alpha'), moduleJob('beta')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press('a');
    await waitFor((f) => f.includes('Run all 2 listed jobs?'), 'the question');
    expect(engine.runs).toHaveLength(0);
    await press('n');
    await waitFor((f) => f.includes('nothing was run'), 'the no');
    await press('a', ENTER);
    await waitFor(() => engine.runs.length === 2, 'both running');
    expect(engine.runs.map((run) => run.name)).toEqual(['alpha', 'beta']);
  });
});

describe('the grants dialog', () => {
  const manifest = join(ROOT, 'm.manifest.json');
  const request = (dirs: GrantRequest['dirs'], env: Record<string, string>, hash: string): GrantRequest => ({ manifestPath: manifest, dirs, env, hash: hash as never });

  it('shows env values with controls and bidi escaped, warns of a folder outside, and marks what changed since the last allow', async () => {
    let asked = request(
      [
        { host: join(ROOT, 'data'), guest: '/data', readonly: true },
        { host: '/etc', guest: '/etc', readonly: true },
      ],
      { TOKEN: 'ab\u202ecd\x1b[2J' },
      'sha256:one',
    );
    const engine = scriptedEngine(() => asked);
    const job: JobEntry = { ...moduleJob('m'), id: manifest, name: 'm', relPath: 'm.manifest.json', kind: 'manifest', spec: { ...moduleJob('m').spec!, manifestPath: manifest } };
    const { waitFor, press, frame } = setup([job], { engine, store: { grantsDir: join(tempDir(), 'none') } });
    await waitFor((f) => f.includes('▶ m'), 'the first frame');
    await press(ENTER);
    const first = await waitFor((f) => f.includes('Grants · m.manifest.json'), 'the dialog');
    expect(first).toContain('env        TOKEN="ab\\u202ecd\\u001b[2J"');
    expect(first).toContain('Nothing from this manifest was allowed before.');
    expect(first).toMatch(/read-only\s+\/etc\s+\(as \/etc\)\s*│\n│\s+⚠ outside the watched folder/);
    expect(first.split('\n').filter((line) => line.includes('outside the watched folder'))).toHaveLength(1);
    await press('a');
    await waitFor(() => engine.runs.length === 1, 'the run');
    engine.runs[0]?.end({});
    await waitFor((f) => f.includes('✓ 0 · ok'), 'done');
    asked = request([{ host: join(ROOT, 'data'), guest: '/data', readonly: false }], { TOKEN: 'new', MODE: 'x' }, 'sha256:two');
    await press(ENTER);
    const second = await waitFor((f) => f.includes('Changed since you last allowed it'), 'the dialog again');
    expect(second).toMatch(/~ read-write \S+\/data\s+\(as \/data\)/);
    expect(second).toContain('was read-only');
    expect(second).toContain('~ env        TOKEN="new"');
    expect(second).toContain('was "ab\\u202ecd\\u001b[2J"');
    expect(second).toContain('+ env        MODE="x"');
    expect(second).toMatch(/− read-only \s*\/etc\s+\(as \/etc\) \(no longer asked for\)/);
    expect(frame()).not.toContain('\u202e');
    await press(ESC);
  });

  it('compares with the newest record the grant store kept on disk (names only, no values)', () => {
    const store = tempDir();
    const record = (name: string, at: string, env: string[]) => writeFileSync(join(store, name), JSON.stringify({ manifest, dirs: [{ host: '/w/data', guest: '/data', readonly: true }], env, allowed_at: at }));
    record('a.json', '2024-01-01T10:00:00.000Z', ['OLD']);
    record('b.json', '2024-02-01T10:00:00.000Z', ['TOKEN']);
    mkdirSync(join(store, 'c.json'));
    writeFileSync(join(store, 'd.json'), 'not json');
    const before = allowedOnDisk(store, manifest);
    expect(before).toEqual({ dirs: [{ host: '/w/data', guest: '/data', readonly: true }], env: { TOKEN: null }, at: '2024-02-01T10:00:00.000Z' });
    const same = grantView(request([{ host: '/w/data', guest: '/data', readonly: true }], { TOKEN: 'v' }, 'sha256:x'), '/w', before);
    expect(same.summary).toMatch(/an env value differs/);
    expect(same.lines.map((line) => line.mark)).toEqual([' ', ' ']);
    const moved = grantView(request([{ host: '/w2/data', guest: '/data', readonly: true }], {}, 'sha256:y'), '/w', before);
    expect(moved.lines[0]).toMatchObject({ mark: '~', warn: true, note: '⚠ outside the watched folder · was read-only  /w/data  (as /data)' });
    expect(moved.dropped).toEqual(['env        TOKEN']);
    // A sibling whose name starts with the folder's is outside: paths compare by component.
    expect(grantView(request([{ host: '/w-evil', guest: '/x', readonly: true }], {}, 'sha256:z'), '/w', null).lines[0]?.note).toBe('⚠ outside the watched folder');
  });
});
