/** The whole app with a stand-in folder and engine: keys in, frames out. */
import { render } from 'ink-testing-library';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { loadOrCreateNodeKey } from '../../src/core/keys.js';
import { jobFromModule } from '../../src/engine/index.js';
import { App } from '../../src/tui/app.js';
import type { JobEntry } from '../../src/engine/folder/job-entry.js';
import type { FolderSnapshot } from '../../src/engine/folder/job-folder.js';
import { RunStore } from '../../src/tui/runs/run-store.js';
import { WAT } from '../helpers/cli.js';
import { ceiling } from '../helpers/ceiling.js';
import { fakeEngine } from '../helpers/fake-engine.js';

const ROOT = WAT;
const key = loadOrCreateNodeKey();

class FakeFolder {
  readonly root = ROOT;
  private readonly listeners = new Set<() => void>();
  private current: FolderSnapshot = { jobs: [], ready: true, error: null };
  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  snapshot = () => this.current;
  set(jobs: JobEntry[], ready = true): void {
    this.current = { jobs, ready, error: null };
    for (const listener of this.listeners) listener();
  }
}

function moduleJob(name: string, hash = `sha256:${name}`): JobEntry {
  const path = join(ROOT, `${name}.wat`);
  return { id: path, name, relPath: `${name}.wat`, kind: 'module', spec: jobFromModule(path, DEFAULT_CONFIG), error: null, warning: null, moduleHash: hash as never, manifestHash: null };
}

const instances: ReturnType<typeof render>[] = [];
afterEach(() => {
  for (const instance of instances.splice(0)) instance.unmount();
});

function setup(jobs: JobEntry[]) {
  const folder = new FakeFolder();
  folder.set(jobs);
  const engine = fakeEngine();
  const store = new RunStore({ root: ROOT, engine, publicKeyHex: key.publicKeyHex });
  const instance = render(<App folder={folder} store={store} dirLabel="fixtures" />);
  instances.push(instance);
  const frame = () => (instance.lastFrame() ?? '').replace(/\x1b\[[0-9;]*m/g, '');
  const waitFor = async (check: (frame: string) => boolean, what: string) => {
    const deadline = Date.now() + ceiling(3000);
    while (!check(frame())) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. Frame:\n${frame()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return frame();
  };
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      instance.stdin.write(k);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { folder, engine, store, frame, waitFor, press, instance };
}

const ENTER = '\r';
const ESC = '\x1b';

describe('App', () => {
  it('picks with j/k and runs the selected job on Enter, showing its output, exit and timing', async () => {
    const { engine, waitFor, press } = setup([moduleJob('alpha'), moduleJob('beta')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press('j');
    await waitFor((f) => f.includes('▶ beta'), 'beta selected');
    await press('k', 'j', ENTER);
    expect(engine.runs.map((run) => run.name)).toEqual(['beta']);
    await waitFor((f) => /beta\s+● /.test(f), 'beta running');
    engine.runs[0]?.emit({ type: 'stdout', chunk: Buffer.from('streamed line\n') });
    await waitFor((f) => f.includes('streamed line'), 'live output');
    engine.runs[0]?.finish('streamed line\n');
    const done = await waitFor((f) => f.includes('✓ 0 · ok'), 'the exit pane');
    expect(done).toContain('run #1');
    expect(done).toMatch(/▶ beta\s+✓ 0\s+6\.0 ms/);
    expect(done).toContain('start 1.0 · compile 2.0');
  });

  it('takes shortcut keys that arrive in one read one by one ("jj", then "iab")', async () => {
    const { waitFor, press } = setup([moduleJob('alpha'), moduleJob('beta'), moduleJob('gamma')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press('jj');
    await waitFor((f) => f.includes('▶ gamma'), 'two steps down from one read');
    await press('iab');
    const typed = await waitFor((f) => f.includes('› ab'), 'i opened the field and the rest was typed into it');
    expect(typed).toContain('▶ gamma');
  });

  it('applies control keys that arrive in one read with others (held Backspace, i then Ctrl-U)', async () => {
    const { engine, waitFor, press } = setup([moduleJob('alpha')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press('ione');
    await waitFor((f) => f.includes('› one'), 'typed text');
    await press(ESC);
    await waitFor((f) => !f.includes('esc done'), 'the field left');
    // One read: i enters the field, three DELs erase "one", the rest is new text.
    await press('i\x7f\x7f\x7ftwo');
    await waitFor((f) => f.includes('› two'), 'the erased and retyped text');
    await press(ESC, 'i\x15new\r');
    await waitFor(() => engine.runs.length === 1, 'the run started from the same read');
    expect(engine.runs[0]?.options.stdin).toBe('new');
  });

  it('keeps stdin per job: i edits, Enter runs with it, typed letters are not shortcuts, Esc leaves', async () => {
    const { engine, waitFor, press, frame } = setup([moduleJob('alpha'), moduleJob('beta')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press('i');
    await waitFor((f) => f.includes('esc done'), 'the stdin field');
    await press('q', 'j', 'x', '?', 'w');
    await waitFor((f) => f.includes('› qjx?w'), 'typed text');
    expect(frame()).toContain('▶ alpha');
    expect(frame()).toContain('watch ●');
    await press(ENTER);
    expect(engine.runs[0]?.options.stdin).toBe('qjx?w');
    await press(ESC, 'j');
    await waitFor((f) => f.includes('▶ beta'), 'beta');
    expect(frame()).toContain('press i to type');
    await press('k');
    await waitFor((f) => f.includes('› qjx?w'), "alpha's stdin back");
  });

  it('loses no keys typed in one burst, and edits with the cursor keys', async () => {
    const { engine, waitFor, press, instance } = setup([moduleJob('alpha')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    // All at once, before React can re-render in between: i enters the field, the rest is text.
    for (const k of ['i', 'a', 'b', 'c', 'd', 'e', 'f']) instance.stdin.write(k);
    await waitFor((f) => f.includes('› abcdef'), 'every key');
    await press('\x1b[D', '\x1b[D', 'X', '\x7f', '\x7f', 'Y', '\x1b[H', '>');
    await waitFor((f) => f.includes('› >abcYef'), 'the edits');
    await press(ENTER);
    expect(engine.runs[0]?.options.stdin).toBe('>abcYef');
  });

  it('filters with / (Esc clears), and runs the match', async () => {
    const { engine, waitFor, press } = setup([moduleJob('alpha'), moduleJob('beta'), moduleJob('gamma')]);
    await waitFor((f) => f.includes('Jobs (3)'), 'the first frame');
    await press('/', 'g', 'a');
    await waitFor((f) => f.includes('Jobs (1 of 3)') && f.includes('▶ gamma'), 'the filter');
    await press(ENTER, ENTER);
    expect(engine.runs.map((run) => run.name)).toEqual(['gamma']);
    await press(ESC);
    await waitFor((f) => f.includes('Jobs (3)'), 'the filter cleared');
    // `/` starts a new filter: the kept one is not added to.
    await press('/', 'b', ENTER);
    await waitFor((f) => f.includes('Jobs (1 of 3)') && f.includes('▶ beta'), 'filtered to beta');
    await press('/', 'a', 'l');
    await waitFor((f) => f.includes('▶ alpha') && f.includes('/ al'), 'a new filter, alpha');
  });

  it('cancels with x, reruns the selected job with r using its last input, toggles watch with w', async () => {
    const { engine, waitFor, press } = setup([moduleJob('alpha'), moduleJob('beta')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press('i');
    await waitFor((f) => f.includes('esc done'), 'the stdin field');
    await press('s', 'e', 'e', 'd', ENTER, ESC);
    await press('x');
    expect(engine.runs[0]?.cancelled).toBe(true);
    await waitFor((f) => f.includes('cancelled'), 'the cancelled run');
    await press('j', 'k', 'r');
    expect(engine.runs).toHaveLength(2);
    expect(engine.runs[1]?.name).toBe('alpha');
    expect(engine.runs[1]?.options.stdin).toBe('seed');
    // r on a job never run runs it, with its field.
    await press('j', 'r');
    expect(engine.runs[2]?.name).toBe('beta');
    await press('w');
    await waitFor((f) => f.includes('watch ○'), 'watch off');
  });

  it('reruns a job by itself when its module changes on disk, with the same stdin, only while watch is on', async () => {
    const alpha = moduleJob('alpha', 'sha256:v1');
    const { folder, engine, waitFor, press } = setup([alpha]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press('i');
    await waitFor((f) => f.includes('esc done'), 'the stdin field');
    await press('i', 'n', ENTER, ESC);
    engine.runs[0]?.finish('one\n');
    await waitFor((f) => f.includes('run #1'), 'the first run');
    folder.set([{ ...alpha, moduleHash: 'sha256:v2' as never }]);
    await waitFor((f) => f.includes('run #2'), 'the automatic rerun');
    expect(engine.runs[1]?.options.stdin).toBe('in');
    engine.runs[1]?.finish('two\n');
    await waitFor((f) => f.includes('run #2 ≠') && f.includes('two'), 'the changed output');
    await press('w');
    await waitFor((f) => f.includes('watch ○'), 'watch off');
    folder.set([{ ...alpha, moduleHash: 'sha256:v3' as never }]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(engine.runs).toHaveLength(2);
  });

  it('lists a broken manifest with its error and refuses to run it with an explanation', async () => {
    const broken: JobEntry = {
      id: join(ROOT, 'bad.manifest.json'),
      name: 'bad.manifest.json',
      relPath: 'bad.manifest.json',
      kind: 'manifest',
      spec: null,
      error: { message: `${join(ROOT, 'bad.manifest.json')}: /timeout_seconds must be > 0 (rule: exclusiveMinimum)`, details: [] },
      warning: null,
      moduleHash: null,
      manifestHash: null,
    };
    const { engine, waitFor, press } = setup([broken]);
    const first = await waitFor((f) => f.includes('✗ invalid'), 'the broken row');
    // The watched folder's path is shortened out of messages.
    expect(first).toContain('bad.manifest.json: /timeout_seconds must be > 0');
    expect(first).not.toContain(ROOT);
    await press(ENTER);
    await waitFor((f) => f.includes('cannot run'), 'the explanation');
    expect(engine.runs).toHaveLength(0);
  });

  it('scrolls the output a page and a line at a time, to the top, and back to following the end', async () => {
    const { engine, waitFor, press, frame } = setup([moduleJob('alpha')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press(ENTER);
    const text = Array.from({ length: 60 }, (_, i) => `output line ${String(i + 1).padStart(2, '0')}`).join('\n') + '\n';
    engine.runs[0]?.emit({ type: 'stdout', chunk: Buffer.from(text) });
    engine.runs[0]?.finish(text);
    await waitFor((f) => f.includes('output line 60') && f.includes('✓ 0 · ok'), 'the end of the output');
    await press('u');
    const paged = await waitFor((f) => /run #1 · in: \(empty\) · ↑ \d+/.test(f), 'a page up');
    expect(paged).not.toContain('output line 60');
    // Each step waits for the frame that shows it (a frame read right after a key may predate it).
    const up = Number(/↑ (\d+)/.exec(paged)?.[1]);
    await press('K');
    await waitFor((f) => f.includes(`↑ ${up + 1}`), 'a line up');
    await press('J', 'J');
    await waitFor((f) => f.includes(`↑ ${up - 1}`), 'two lines down');
    await press('g');
    await waitFor((f) => f.includes('output line 01'), 'the top');
    await press('G');
    await waitFor((f) => f.includes('output line 60') && !f.includes('(empty) · ↑'), 'following the end');
  });

  it('shows help from the key table and closes it with Esc', async () => {
    const { waitFor, press } = setup([moduleJob('alpha')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press('?');
    const help = await waitFor((f) => f.includes('Help · keys'), 'help');
    // 24 rows: four columns, descriptions cut to fit.
    expect(help).toMatch(/x {7}cancel the/);
    await press(ESC);
    await waitFor((f) => f.includes('▶ alpha'), 'the list again');
  });

  it('neutralises escape sequences in streamed output and job names', async () => {
    const evil = { ...moduleJob('evil'), name: 'evil\x1b]0;pwned\x07' };
    const { engine, waitFor, press, frame } = setup([evil]);
    await waitFor((f) => f.includes('▶ evil'), 'the first frame');
    await press(ENTER);
    engine.runs[0]?.emit({ type: 'stdout', chunk: Buffer.from('\x1b[2J\x1b]0;pwned\x07\x1b[31mred\x1b[0m ok\n') });
    await waitFor((f) => f.includes('red ok'), 'the output');
    expect(frame()).not.toContain('pwned');
    expect(frame()).not.toContain('\x1b]');
  });

  it('selects nothing while the first scan runs, then the top job; a pick made meanwhile stays put', async () => {
    const { folder, engine, waitFor, press, frame } = setup([]);
    folder.set([moduleJob('beta')], false);
    await waitFor((f) => f.includes('beta'), 'beta listed while scanning');
    expect(frame()).not.toContain('▶');
    await press(ENTER);
    expect(engine.runs).toHaveLength(0);
    folder.set([moduleJob('alpha'), moduleJob('beta')], true);
    await waitFor((f) => f.includes('▶ alpha'), 'the top job selected once the scan is done');
    // A pick made while scanning is the user's: jobs found later do not move it.
    const second = setup([]);
    second.folder.set([moduleJob('beta')], false);
    await second.waitFor((f) => f.includes('beta'), 'beta listed');
    await second.press('j');
    await second.waitFor((f) => f.includes('▶ beta'), 'beta picked');
    second.folder.set([moduleJob('alpha'), moduleJob('beta')], true);
    await second.waitFor((f) => f.includes('alpha'), 'alpha listed');
    expect(second.frame()).toContain('▶ beta');
    await second.press(ENTER);
    expect(second.engine.runs.map((run) => run.name)).toEqual(['beta']);
  });

  it('runs every listed job with a, and reruns only the failed ones with f, each with its last input', async () => {
    const { engine, waitFor, press } = setup([moduleJob('alpha'), moduleJob('beta'), moduleJob('gamma')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press('j', 'i', 'x', ENTER);
    expect(engine.runs.map((run) => run.name)).toEqual(['beta']);
    engine.runs[0]?.finish('');
    // a asks first; ⏎ says yes.
    await press('a');
    await waitFor((f) => f.includes('Run all 3 listed jobs'), 'the question');
    await press(ENTER);
    expect(engine.runs.map((run) => run.name)).toEqual(['beta', 'alpha', 'beta', 'gamma']);
    await waitFor((f) => f.includes('running 3 jobs'), 'the notice');
    engine.runs[1]?.finish('', 'trap');
    engine.runs[2]?.finish('', 'exit');
    engine.runs[3]?.finish('');
    await waitFor((f) => /gamma\s+✓/.test(f), 'all ended');
    await press('f');
    expect(engine.runs.slice(4).map((run) => [run.name, run.options.stdin])).toEqual([
      ['alpha', ''],
      ['beta', 'x'],
    ]);
    await waitFor((f) => f.includes('rerunning 2 failed jobs'), 'the notice');
  });

  it('zooms the output to the whole screen with z, scrolls there, and goes back with z', async () => {
    const { engine, waitFor, press } = setup([moduleJob('alpha')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press(ENTER);
    const text = Array.from({ length: 40 }, (_, i) => `zoomed line ${String(i + 1).padStart(2, '0')}`).join('\n') + '\n';
    engine.runs[0]?.finish(text);
    await waitFor((f) => f.includes('zoomed line 40'), 'the output');
    await press('z');
    const zoomed = await waitFor((f) => !f.includes('Jobs (1)'), 'the zoomed pane');
    // Header, then the pane (top border, 19 rows, bottom border), footer: more lines than the small pane held.
    expect(zoomed).toContain('zoomed line 22');
    expect(zoomed).toContain('zoomed line 40');
    await press('g');
    await waitFor((f) => f.includes('zoomed line 01') && f.includes('zoomed line 19'), 'the top, a whole screen of it');
    await press('z');
    await waitFor((f) => f.includes('Jobs (1)'), 'the panes again');
  });

  it("shows the job's details with o: its file, argv, env names, dirs and limits; Esc closes", async () => {
    const { waitFor, press } = setup([moduleJob('alpha')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press('o');
    const details = await waitFor((f) => f.includes('Details · alpha'), 'the details');
    expect(details).toContain('module    alpha.wat');
    expect(details).toContain('args      alpha.wat');
    expect(details).toContain('env       none');
    expect(details).toMatch(/limits {4}memory 128 MiB · time 30 s · output 16\.0 MiB/);
    await press(ESC);
    await waitFor((f) => f.includes('▶ alpha'), 'the list again');
  });

  it('browses earlier runs of the job with [ and ], output, exit and input included', async () => {
    const { engine, waitFor, press } = setup([moduleJob('alpha')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press('i', 'o', 'n', 'e', ENTER);
    engine.runs[0]?.finish('first output\n');
    await waitFor((f) => f.includes('first output'), 'run #1');
    await press('i', 'x', ENTER);
    engine.runs[1]?.finish('second output\n', 'trap');
    await waitFor((f) => f.includes('second output') && f.includes('run #2'), 'run #2');
    await press('[');
    const older = await waitFor((f) => f.includes('first output'), 'run #1 again');
    expect(older).toMatch(/run #1 of 2 · in: one/);
    expect(older).toContain('✓ 0 · ok');
    await press('[');
    await waitFor((f) => f.includes('no earlier run kept'), 'the notice at the oldest');
    await press(']');
    const newer = await waitFor((f) => f.includes('second output'), 'run #2 again');
    expect(newer).toMatch(/run #2 ≠ · in: onex/);
  });

  it('searches the zoomed output with /, and finds the next and previous matches with n and N', async () => {
    const { engine, waitFor, press, frame } = setup([moduleJob('alpha')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press(ENTER);
    const text = Array.from({ length: 90 }, (_, i) => (i % 30 === 4 ? `needle ${i + 1}` : `hay ${String(i + 1).padStart(2, '0')}`)).join('\n') + '\n';
    engine.runs[0]?.finish(text);
    await waitFor((f) => f.includes('hay 90'), 'the output');
    await press('z', 'g', '/', 'n', 'e', 'e', 'd');
    await waitFor((f) => f.includes('/need▏'), 'the search field');
    await press(ENTER);
    // The view starts at the first match; n goes to the next, N back, and it wraps around.
    const first = await waitFor((f) => /│ needle 5\s/.test(f.split('\n')[2] ?? ''), 'needle 5 at the top');
    expect(first).toContain('/need');
    // Which match of how many the view is on (each match shows in reverse video: highlight.ts).
    expect(first).toContain('(1/3)');
    await press('n');
    await waitFor((f) => /│ needle 35\s/.test(f.split('\n')[2] ?? '') && f.includes('(2/3)'), 'needle 35 at the top, the 2nd of 3');
    await press('N');
    await waitFor((f) => /│ needle 5\s/.test(f.split('\n')[2] ?? ''), 'needle 5 again');
    await press('N');
    await waitFor((f) => f.includes('needle 65'), 'wrapped around to needle 65');
    await press('/', 'x', 'y', 'z', ENTER);
    await waitFor((f) => f.includes('no "xyz" in the output shown') && f.includes('(no match)'), 'no match');
    await press(ESC);
    await waitFor((f) => f.includes('Jobs (1)'), 'the panes again');
    expect(frame()).toContain('▶ alpha');
  });

  it('keeps a pick made before the screen caught up (a key right after the list changed)', async () => {
    const { waitFor, press, instance } = setup([moduleJob('alpha'), moduleJob('beta'), moduleJob('gamma')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press('/', 'g', ENTER);
    await waitFor((f) => f.includes('Jobs (1 of 3)') && f.includes('▶ gamma'), 'filtered to gamma');
    // In one tick: `/` starts a new filter (the list grows back), ↑ moves up from gamma.
    instance.stdin.write('/');
    instance.stdin.write('\x1b[A');
    await waitFor((f) => f.includes('Jobs (3)'), 'the whole list');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await waitFor((f) => f.includes('▶ beta'), 'beta picked, and kept');
  });
});
