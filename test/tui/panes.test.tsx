import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ExitPane } from '../../src/tui/components/ExitPane.js';
import { Header } from '../../src/tui/components/Header.js';
import { JobList, type JobRowView } from '../../src/tui/components/JobList.js';
import { OutputPane } from '../../src/tui/components/OutputPane.js';
import { Panel } from '../../src/tui/components/Panel.js';
import { ReceiptPane } from '../../src/tui/components/ReceiptPane.js';
import { StdinInput } from '../../src/tui/components/StdinInput.js';
import { TimingPane } from '../../src/tui/components/TimingPane.js';
import { TooSmall } from '../../src/tui/components/TooSmall.js';
import type { ReceiptView } from '../../src/tui/runs/run-record.js';
import { textWidth, truncatePath } from '../../src/tui/text-width.js';
import { sha256 } from '../../src/core/hash.js';

// Colour codes are not what these tests are about: compare the text a user reads.
const plain = (frame: string | undefined) => (frame ?? '').replace(/\x1b\[[0-9;]*m/g, '');
const frameOf = (node: React.ReactElement) => plain(render(node).lastFrame());
const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

const row = (name: string, extra: Partial<JobRowView> = {}): JobRowView => ({ id: name, name, state: 'never', status: '', time: '', ...extra });
const listProps = { total: 0, scanning: false, focused: true, filter: '', filtering: false, width: 36, height: 10 };

describe('Panel', () => {
  it('draws its title and right label in the top border, exactly as wide as asked', () => {
    const lines = frameOf(
      <Panel title="Output · hello" right="run #3 ≠" width={40} height={4}>
        <></>
      </Panel>,
    ).split('\n');
    expect(lines[0]).toBe('╭ Output · hello ─────────── run #3 ≠ ─╮');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(textWidth(line)).toBe(40);
    expect(lines[3]).toBe(`╰${'─'.repeat(38)}╯`);
  });
});

describe('JobList', () => {
  it('shows name, status glyph with exit code, and last time; marks the selection', () => {
    const rows = [row('hello', { state: 'ok', status: '✓ 0', time: '4.1 ms' }), row('sieve', { state: 'timeout', status: '⏱ timeout' }), row('broken.json', { state: 'broken', status: '✗ invalid' })];
    const lines = frameOf(<JobList {...listProps} rows={rows} total={3} selected={0} />).split('\n');
    expect(lines[0]).toMatch(/^╭ Jobs \(3\) ─+╮$/);
    expect(lines[1]).toBe('│ ▶ hello           ✓ 0     4.1 ms │');
    expect(lines[2]).toBe('│   sieve           ⏱ timeout      │');
    expect(lines[3]).toBe('│   broken.json     ✗ invalid      │');
  });

  it('windows a long list around the selection and says where it is', () => {
    const rows = Array.from({ length: 50 }, (_, i) => row(`job-${String(i).padStart(2, '0')}`));
    const frame = frameOf(<JobList {...listProps} rows={rows} total={50} selected={30} />);
    const lines = frame.split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toContain('31/50');
    expect(frame).toContain('▶ job-30');
    expect(frame).not.toContain('job-00');
    expect(frame).not.toContain('job-49');
  });

  it('shows the filter and how many jobs match', () => {
    const frame = frameOf(<JobList {...listProps} rows={[row('hello')]} total={4} selected={0} filter="hel" filtering />);
    expect(frame).toContain('Jobs (1 of 4)');
    expect(frame).toContain('/ hel');
  });

  it('explains an empty list', () => {
    expect(frameOf(<JobList {...listProps} rows={[]} total={0} selected={-1} scanning />)).toContain('scanning…');
    expect(frameOf(<JobList {...listProps} rows={[]} total={0} selected={-1} />)).toContain('no modules or manifests here yet');
    expect(frameOf(<JobList {...listProps} rows={[]} total={3} selected={-1} filter="zz" />)).toContain('nothing matches "zz"');
  });
});

describe('JobList names', () => {
  it('cuts a long path keeping the file name and the start of its folders, so same-name jobs stay apart', () => {
    const rows = ['first-project-folder/hello.wasm', 'second-project-folder/hello.wasm'].map((name) => ({ id: name, name, state: 'ok' as const, status: '✓ 0', time: '' }));
    const frame = frameOf(<JobList rows={rows} selected={0} total={2} scanning={false} focused filter="" filtering={false} width={36} height={6} />);
    expect(frame).toContain('▶ fir…/hello.wasm');
    expect(frame).toContain('  sec…/hello.wasm');
    expect(truncatePath('a/b/c.wasm', 20)).toBe('a/b/c.wasm');
    // A job that never ran has no status: its name gets that room too.
    const fresh = frameOf(<JobList rows={[{ id: 'x', name: 'first-project-folder/hello.wasm', state: 'never', status: '', time: '' }]} selected={0} total={1} scanning={false} focused filter="" filtering={false} width={36} height={4} />);
    expect(fresh).toContain('▶ first-project-fold…/hello.wasm');
  });
});

describe('OutputPane', () => {
  const base = { job: 'hello', runLabel: 'run #3 ≠', notes: [], scroll: null, placeholder: null, width: 40, height: 6 };

  it('shows stdout and stderr lines with the run number and change mark', () => {
    const frame = frameOf(<OutputPane {...base} lines={[{ stream: 'stdout', text: 'dlroW ,olleH' }, { stream: 'stderr', text: 'warning: x' }]} />);
    expect(frame).toContain('Output · hello');
    expect(frame).toContain('run #3 ≠');
    expect(frame).toContain('dlroW ,olleH');
    expect(frame).toContain('warning: x');
  });

  it('follows the end, and shows how far it is scrolled up', () => {
    const lines = Array.from({ length: 20 }, (_, i) => ({ stream: 'stdout' as const, text: `line ${i + 1}` }));
    const end = frameOf(<OutputPane {...base} lines={lines} />);
    expect(end).toContain('line 20');
    expect(end).not.toContain('line 16');
    const up = frameOf(<OutputPane {...base} lines={lines} scroll={{ line: 11, row: 0 }} />);
    expect(up).toContain('line 15');
    expect(up).not.toContain('line 20');
    expect(up).toContain('run #3 ≠ · ↑ 5');
  });

  it('shows a placeholder, word-wrapped, when there is no output', () => {
    const frame = frameOf(<OutputPane {...base} runLabel="" lines={[]} placeholder="Press ⏎ to run hello, or i to give it stdin first." />);
    expect(frame).toContain('│ Press ⏎ to run hello, or i to give   │');
    expect(frame).toContain('│ it stdin first.                      │');
  });

  it('shows notes after the output', () => {
    expect(frameOf(<OutputPane {...base} lines={[{ stream: 'stdout', text: 'AAAA' }]} notes={['stdout was cut at the output limit']} />)).toContain('stdout was cut at the output limit');
  });
});

describe('TimingPane', () => {
  const size = { width: 34, height: 5 };

  it('shows live elapsed time and the phase while running', () => {
    const frame = frameOf(<TimingPane {...size} elapsedMs={1234} phase="running" timing={null} history={[]} />);
    expect(frame).toContain('● 1.23 s');
    expect(frame).toContain('running…');
    expect(frameOf(<TimingPane {...size} elapsedMs={2410} limitMs={30_000} phase="running" timing={null} history={[]} />)).toContain('● 2.41 s / 30 s');
  });

  it('shows the total, a sparkline of recent runs and the phases after a run', () => {
    const frame = frameOf(<TimingPane {...size} elapsedMs={null} phase={null} timing={{ start_ms: 90.8, compile_ms: 2.66, run_ms: 3.1, total_ms: 112.4 }} history={[100, 150, 112.4]} />);
    expect(frame).toContain('112 ms  ▁█▂');
    expect(frame).toContain('start 91 · compile 2.7');
    // What the three phases leave of the total is shown as `other`: the parts add up.
    expect(frame.replace(/[│\s]+/g, ' ')).toMatch(/run 3\.1 · ?other 16 ms/);
  });

  it('says when the job has not run', () => {
    expect(frameOf(<TimingPane {...size} elapsedMs={null} phase={null} timing={null} history={[]} />)).toContain('not run yet');
  });
});

describe('ExitPane', () => {
  it('shows code, status and message', () => {
    const frame = frameOf(<ExitPane width={34} height={5} state="exit" exitCode={42} message="The job exited with code 42." />);
    expect(frame).toContain('✗ 42 · exit');
    expect(frame).toContain('The job exited with code 42.');
  });

  it('shows a timeout without a code and cuts a long message to the pane', () => {
    const frame = frameOf(<ExitPane width={24} height={4} state="timeout" exitCode={null} message="The job ran past its 1 s time limit and was killed." />);
    const lines = frame.split('\n');
    expect(lines[1]).toContain('⏱ — · timeout');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/…\s*│$/);
  });
});

describe('ReceiptPane', () => {
  const receipt: ReceiptView = {
    version: '0.2',
    bindsOutput: true,
    moduleHash: `sha256:3f2a${'0'.repeat(58)}c9`,
    inputHash: `sha256:9b1d${'0'.repeat(58)}07`,
    stdoutHash: `sha256:e0aa${'0'.repeat(58)}4a`,
    stderrHash: `sha256:${'e'.repeat(64)}`,
    signer: `abcdef${'0'.repeat(54)}1234`,
    verified: true,
    problem: '',
    savedTo: '.plasm/receipts/hello/0003.json',
    saveError: null,
    replayable: false,
    replay: null,
    signed: null,
  };
  const size = { width: 70, height: 5 };

  it('says a deterministic run\'s receipt is replayable, and how its replay went', () => {
    const replayable = { ...receipt, version: '0.3' as const, replayable: true };
    expect(frameOf(<ReceiptPane {...size} receipt={replayable} absent="" />)).toContain('✓ verified · replayable (v) · .plasm/receipts/hello/0003.json');
    expect(frameOf(<ReceiptPane {...size} receipt={{ ...replayable, replay: { state: 'running', detail: '' } }} absent="" />)).toContain('✓ verified · replaying… · ');
    expect(frameOf(<ReceiptPane {...size} receipt={{ ...replayable, replay: { state: 'ok', detail: 'same output, exit and fuel' } }} absent="" />)).toContain('✓ verified · ✓ replayed · ');
    const failed = frameOf(<ReceiptPane {...{ width: 70, height: 6 }} receipt={{ ...replayable, replay: { state: 'failed', detail: 'the fuel consumed is 12 on replay, the receipt says 13' } }} absent="" />);
    expect(failed.replace(/[│\s]+/g, ' ')).toContain('✗ replay: the fuel consumed is 12 on replay, the receipt says 13');
  });

  it('shows verification, where it was saved, short hashes and the signer', () => {
    const frame = frameOf(<ReceiptPane {...size} receipt={receipt} absent="" />);
    expect(frame).toContain('✓ verified · .plasm/receipts/hello/0003.json');
    expect(frame).toContain('module sha256:3f2a…c9 · in sha256:9b1d…07 · out sha256:e0aa…4a');
    expect(frame).toContain('signer abcdef…1234 · err sha256:eeee…ee');
  });

  it('shows longer hashes where the pane is wider, every part whole', () => {
    // The receipt pane of a 160-column screen.
    const wide = frameOf(<ReceiptPane width={116} height={5} receipt={receipt} absent="" />);
    expect(wide).toContain('module sha256:3f2a000000000000…000000c9 · in sha256:9b1d000000000000…00000007');
    expect(wide).toContain('signer abcdef0000000000…00001234 · err sha256:eeeeeeeeeeeeeeee…eeeeeeee');
    // ... and of a 100-column one: nothing cut off at the end of a row.
    const narrow = frameOf(<ReceiptPane width={63} height={5} receipt={receipt} absent="" />);
    for (const part of ['module sha256:', 'in sha256:', 'out sha256:', 'err sha256:', 'signer ']) expect(narrow).toContain(part);
    expect(narrow).not.toMatch(/…\s*│$/m);
  });

  it('leaves out the hash of an empty stderr, so the signer keeps its place on a small screen', () => {
    const quiet = frameOf(<ReceiptPane width={52} height={5} receipt={{ ...receipt, stderrHash: sha256('') }} absent="" />);
    expect(quiet).toContain('signer ');
    expect(quiet).not.toContain('err ');
  });

  it('keeps a long receipt path on one line, cut in the middle, with the hashes below', () => {
    const frame = frameOf(<ReceiptPane width={63} height={5} receipt={{ ...receipt, savedTo: '.plasm/receipts/hello_2fhello.manifest.json/0001.json' }} absent="" />);
    const rows = frame.split('\n');
    expect(rows[1]).toBe('│ ✓ verified · .plasm/receipts/hello_2fhello.manif…/0001.json │');
    expect(rows[2]).toContain('module sha256:');
  });

  it('says plainly when a receipt does not verify or could not be saved', () => {
    const frame = frameOf(<ReceiptPane {...size} receipt={{ ...receipt, verified: false, problem: 'signed by someone else', savedTo: null, saveError: 'disk full' }} absent="" />);
    expect(frame).toContain('✗ NOT verified: signed by someone else · not saved: disk full');
  });

  it('flags a v0.1 receipt as binding no input or output, and explains a missing receipt', () => {
    expect(frameOf(<ReceiptPane {...size} receipt={{ ...receipt, version: '0.1', bindsOutput: false, inputHash: null, stdoutHash: null, stderrHash: null }} absent="" />)).toContain('v0.1: binds no input or output');
    expect(frameOf(<ReceiptPane {...size} receipt={null} absent="no receipt yet" />)).toContain('no receipt yet');
  });
});

describe('Header', () => {
  it('shows the folder, watch state, running jobs and a notice', () => {
    const on = frameOf(<Header width={90} dir="wasm-examples" watch running={2} notice="hello.wat changed: rerunning hello" error={null} />);
    expect(on).toContain('plasm-tui · wasm-examples · watch ● · 2 running');
    expect(on).toMatch(/hello.wat changed: rerunning hello\s*$/);
    expect(frameOf(<Header width={90} dir="x" watch={false} running={0} notice={null} error={null} />)).toContain('watch ○');
  });
});

describe('StdinInput', () => {
  const size = { width: 60, height: 3 };

  it('shows the job it belongs to, its text, or a hint', () => {
    expect(frameOf(<StdinInput {...size} job="hello" value="Hello, World" cursor={0} editing={false} />)).toMatch(/for hello[\s\S]*› Hello, World/);
    expect(frameOf(<StdinInput {...size} job="hello" value="" cursor={0} editing={false} />)).toContain('press i to type');
  });

  it('draws the cursor while editing and keeps it in view on a long line', () => {
    const { lastFrame } = render(<StdinInput {...size} job="hello" value="abc" cursor={1} editing />);
    expect(lastFrame()).toMatch(/› a(\x1b\[7m)?b(\x1b\[27m)?c/);
    const long = 'x'.repeat(200) + 'END';
    const frame = frameOf(<StdinInput {...size} job="hello" value={long} cursor={long.length} editing />);
    expect(frame).toContain('xxxEND');
    expect(frame.split('\n').every((line) => textWidth(line) === 60)).toBe(true);
  });
});

describe('TooSmall', () => {
  it('asks for a bigger terminal', () => {
    expect(frameOf(<TooSmall width={50} height={10} />)).toContain('plasm-tui needs 60×18; this terminal is 50×10.');
  });
});
