/** Small things a user trips over: q in zoom, the filter's first match, Timing with `[`, names at 80×24, stale notices, bare modules. */
import { describe, expect, it } from 'vitest';
import { ENTER, ESC, moduleJob, setup } from './tui-harness.js';

describe('small fixes', () => {
  it('q in the zoomed output closes the zoom, not the app', async () => {
    const { engine, waitFor, press, frame } = setup([moduleJob('alpha')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press(ENTER);
    engine.runs[0]?.end({ stdout: Buffer.from('hi\n') });
    await press('z');
    await waitFor((f) => !f.includes('Jobs (1)'), 'zoomed');
    expect(frame()).toContain('z back');
    await press('q');
    await waitFor((f) => f.includes('Jobs (1)'), 'the panes again');
  });

  it('the filter selects its first match as it is typed', async () => {
    const { waitFor, press } = setup([moduleJob('apple'), moduleJob('banana'), moduleJob('cherry'), moduleJob('apricot')]);
    await waitFor((f) => f.includes('▶ apple'), 'the first frame');
    await press('j', 'j');
    await waitFor((f) => f.includes('▶ cherry'), 'cherry');
    await press('/', 'a', 'p');
    await waitFor((f) => f.includes('Jobs (2 of 4)') && f.includes('▶ apple'), 'the first match selected');
    await press(ENTER, ESC);
    await waitFor((f) => f.includes('Jobs (4)') && f.includes('▶ apple'), 'the pick kept when the filter is cleared');
  });

  it('[ shows the earlier run in Timing too, and its parts add up (other)', async () => {
    const { engine, waitFor, press } = setup([moduleJob('alpha')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press(ENTER);
    engine.runs[0]?.end({ timing: { start_ms: 40, compile_ms: 5, run_ms: 3, total_ms: 212 } });
    await waitFor((f) => f.includes('212 ms'), 'run #1');
    await press(ENTER);
    engine.runs[1]?.end({ timing: { start_ms: 1, compile_ms: 2, run_ms: 3, total_ms: 6 } });
    await waitFor((f) => f.includes('run #2') && f.includes('start 1.0 · compile 2.0'), 'run #2');
    await press('[');
    const older = await waitFor((f) => f.includes('run #1 of 2'), 'run #1 shown');
    expect(older).toContain('212 ms');
    expect(older.replace(/[│\s]+/g, ' ')).toMatch(/start 40 · compile 5\.0 ·? ?run 3\.0 ·? ?other 164 ms/);
  });

  it('gives job names the room at 80×24 that the status column does not need', async () => {
    const { engine, waitFor, press } = setup([moduleJob('image-resize-service'), moduleJob('b')], { columns: 80, rows: 24 });
    await waitFor((f) => f.includes('▶ image-resize-service'), 'the whole name');
    await press(ENTER);
    engine.runs[0]?.end({});
    await waitFor((f) => /▶ image-resize-service\s+✓ 0/.test(f), 'the whole name beside its status');
  });

  it('a notice goes with the next key', async () => {
    const { waitFor, press, frame } = setup([moduleJob('alpha'), moduleJob('beta')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press('x');
    await waitFor((f) => f.includes('nothing to cancel'), 'the notice');
    await press('j');
    await waitFor((f) => f.includes('▶ beta'), 'beta');
    expect(frame()).not.toContain('nothing to cancel');
  });

  it('says in the details that a bare module gets no args, env or dirs', async () => {
    const { waitFor, press } = setup([moduleJob('alpha')]);
    await waitFor((f) => f.includes('▶ alpha'), 'the first frame');
    await press('o');
    const details = await waitFor((f) => f.includes('Details · alpha'), 'the details');
    expect(details.replace(/[│\s]+/g, ' ')).toContain('a module alone runs with no args, env or dirs; a manifest beside it gives them');
  });
});

describe('the header', () => {
  it('gives a notice room before a long folder path (its end kept)', async () => {
    const { render } = await import('ink-testing-library');
    const { Header } = await import('../../src/tui/components/Header.js');
    const dir = '/tmp/plasm-tui-test-cWHSgR/plasm-tui-e2e-929C2P';
    const frame = render(<Header width={100} dir={dir} watch running={0} notice="hello.wat changed: rerunning greet" error={null} />).lastFrame() ?? '';
    expect(frame).toContain('hello.wat changed: rerunning greet');
    expect(frame).toContain('…');
    expect(frame).toContain('929C2P · watch ●');
  });
});
