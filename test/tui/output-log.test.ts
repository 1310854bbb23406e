import { describe, expect, it } from 'vitest';
import { OutputLog } from '../../src/tui/runs/output-log.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('OutputLog', () => {
  it('splits streams into lines in arrival order and shows unfinished lines last', () => {
    const log = new OutputLog();
    log.append('stdout', bytes('one\ntw'));
    log.append('stderr', bytes('oops\n'));
    log.append('stdout', bytes('o\nthree'));
    expect(log.view()).toEqual([
      { stream: 'stdout', text: 'one' },
      { stream: 'stderr', text: 'oops' },
      { stream: 'stdout', text: 'two' },
      { stream: 'stdout', text: 'three' },
    ]);
    expect(log.bytes).toEqual({ stdout: 13, stderr: 5 });
  });

  it('decodes UTF-8 split across chunks', () => {
    const log = new OutputLog();
    const text = bytes('ünïcode ✓\n');
    log.append('stdout', text.subarray(0, 1));
    log.append('stdout', text.subarray(1, 12));
    log.append('stdout', text.subarray(12));
    expect(log.view()).toEqual([{ stream: 'stdout', text: 'ünïcode ✓' }]);
  });

  it('sanitises escape sequences even when a chunk boundary splits them', () => {
    const log = new OutputLog();
    log.append('stdout', bytes('\x1b[2'));
    log.append('stdout', bytes('J\x1b]0;pw'));
    log.append('stdout', bytes('ned\x07\x1b[31mred\x1b[0m ok\n'));
    expect(log.view()).toEqual([{ stream: 'stdout', text: 'red ok' }]);
  });

  it('keeps only the last lines, counting what it dropped', () => {
    const log = new OutputLog({ maxLines: 100, maxChars: 1_000_000, maxPartial: 1000 });
    for (let i = 0; i < 1000; i++) log.append('stdout', bytes(`line ${i}\n`));
    const view = log.view();
    expect(view.length).toBeLessThanOrEqual(100);
    expect(view.at(-1)?.text).toBe('line 999');
    expect(log.dropped + view.length).toBe(1000);
    expect(view[0]?.text).toBe(`line ${log.dropped}`);
  });

  it('bounds memory for very long lines and for output without any newline', () => {
    const log = new OutputLog({ maxLines: 1000, maxChars: 10_000, maxPartial: 2000 });
    for (let i = 0; i < 50; i++) log.append('stdout', bytes(`${'x'.repeat(5000)}\n`));
    const total = log.view().reduce((sum, line) => sum + line.text.length, 0);
    expect(total).toBeLessThanOrEqual(10_000 + 2001);
    const spew = new OutputLog({ maxLines: 1000, maxChars: 10_000, maxPartial: 2000 });
    for (let i = 0; i < 1000; i++) spew.append('stdout', bytes('A'.repeat(1000)));
    const [only] = spew.view();
    expect(only?.text.startsWith('…')).toBe(true);
    // The cut says how much: 998,000 of the million characters are not kept here.
    expect(only?.text).toBe(`…[998,000 characters cut] ${'A'.repeat(2000)}`);
    expect(spew.bytes.stdout).toBe(1_000_000);
  });

  it('handles megabytes of output quickly', () => {
    const log = new OutputLog();
    const chunk = bytes('a line of output\n'.repeat(4000));
    const started = performance.now();
    for (let i = 0; i < 100; i++) log.append('stdout', chunk);
    const elapsed = performance.now() - started;
    expect(log.bytes.stdout).toBe(chunk.length * 100);
    expect(elapsed).toBeLessThan(2000);
  });
});
