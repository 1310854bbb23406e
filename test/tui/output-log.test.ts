import { beforeEach, describe, expect, it, vi } from 'vitest';
import { sanitizeLine } from '../../src/core/sanitize.js';
import { OutputLog, type Stream } from '../../src/tui/runs/output-log.js';
import { outputText } from '../../src/tui/runs/output-text.js';

// Counts the lines made: each kept line is sanitised once, when it is made.
vi.mock('../../src/core/sanitize.js', async (original) => {
  const actual = await original<typeof import('../../src/core/sanitize.js')>();
  return { ...actual, sanitizeLine: vi.fn(actual.sanitizeLine) };
});
const linesMade = vi.mocked(sanitizeLine);
beforeEach(() => {
  linesMade.mockClear();
});

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

  it('makes at most the lines it keeps from a flood of line breaks, and counts the rest as dropped', () => {
    const log = new OutputLog({ maxLines: 100, maxChars: 1_000_000, maxPartial: 1000 });
    const chunk = Buffer.alloc(64 * 1024, 10);
    // 16 MiB of `\n`: 16,777,216 lines, as a module flooding its stdout writes them.
    for (let i = 0; i < 256; i++) log.append('stdout', chunk);
    // While nobody looks, the waiting text is cut into lines about once a MiB, at most 100 each time.
    expect(linesMade.mock.calls.length).toBeLessThanOrEqual(17 * 100);
    const view = log.view();
    expect(view).toHaveLength(100);
    expect(view.every((line) => line.text === '')).toBe(true);
    expect(log.dropped + view.length).toBe(16 * 1024 * 1024);
    expect(linesMade.mock.calls.length).toBeLessThanOrEqual(18 * 100);
    expect(log.bytes.stdout).toBe(16 * 1024 * 1024);
  });

  it('looked at after every chunk, makes each kept line once', () => {
    const log = new OutputLog({ maxLines: 50, maxChars: 1_000_000, maxPartial: 1000 });
    const chunk = bytes('x\n'.repeat(10_000));
    for (let i = 0; i < 100; i++) {
      log.append('stdout', chunk);
      expect(log.view().length).toBeLessThanOrEqual(50);
    }
    // Each chunk holds 10,000 lines, of which the last 50 can be kept: 50 made per chunk.
    expect(linesMade.mock.calls.length).toBeLessThanOrEqual(100 * 50 + 100);
    expect(log.dropped + log.view().length).toBe(1_000_000);
  });

  it('cuts lines and UTF-8 characters split anywhere by chunks the same as in one piece, keeping the last lines', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `ünï ${String(i).padStart(4, '0')} ✓ 🎉${i % 7 === 0 ? '\x1b[31mred\x1b[0m' : ''}\n`).join('') + 'unfinished ü';
    const all = bytes(text);
    const expected = text.split('\n').map((line) => sanitizeLine(line));
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (const lookEvery of [1, 5, 1000]) {
      const log = new OutputLog({ maxLines: 200, maxChars: 1_000_000, maxPartial: 1000 });
      let chunks = 0;
      for (let at = 0; at < all.length; ) {
        const size = 1 + random(300);
        log.append('stdout', all.subarray(at, at + size));
        at += size;
        if (++chunks % lookEvery === 0) log.view();
      }
      const view = log.view().map((line) => line.text);
      expect(view.at(-1)).toBe('unfinished ü');
      expect(view.length).toBeLessThanOrEqual(201);
      expect(view).toEqual(expected.slice(expected.length - view.length));
      expect(log.dropped + view.length).toBe(expected.length);
    }
  });

  it('carries a stream\'s unfinished line across lines of the other stream it does not keep', () => {
    const log = new OutputLog({ maxLines: 10, maxChars: 1_000_000, maxPartial: 1000 });
    log.append('stdout', bytes('start of '));
    for (let i = 0; i < 100; i++) log.append('stderr', bytes(`err ${i}\n`));
    log.append('stdout', bytes('a line\nnext'));
    const view = log.view();
    expect(view.at(-2)).toEqual({ stream: 'stdout', text: 'start of a line' });
    expect(view.at(-1)).toEqual({ stream: 'stdout', text: 'next' });
    expect(view.at(-3)).toEqual({ stream: 'stderr', text: 'err 99' });
    expect(log.dropped + view.length).toBe(102);
  });

  it('keeps an unfinished line bounded while lines it does not keep go by', () => {
    const log = new OutputLog({ maxLines: 10, maxChars: 1_000_000, maxPartial: 100 });
    for (let i = 0; i < 50; i++) log.append('stdout', bytes('A'.repeat(64)));
    for (let i = 0; i < 100; i++) log.append('stderr', bytes('e\n'));
    const view = log.view();
    const partial = view.at(-1);
    expect(partial?.stream).toBe('stdout');
    expect(partial?.text).toBe(`…[3,100 characters cut] ${'A'.repeat(100)}`);
  });
});

describe('outputText', () => {
  const chunks: { stream: Stream; chunk: Uint8Array }[] = [
    { stream: 'stdout', chunk: bytes('plain line\nünï') },
    { stream: 'stderr', chunk: bytes('warn\x1b[2') },
    { stream: 'stdout', chunk: bytes('cödé\n\ttab\r\nprogress 1\rprogress 2\n') },
    { stream: 'stderr', chunk: bytes('J cleared\nsecond\n') },
    { stream: 'stdout', chunk: Buffer.from([0xe2, 0x9c]) },
    { stream: 'stdout', chunk: Buffer.from([0x93, 0x0a, 0x0a, 0x0a]) },
    { stream: 'stderr', chunk: bytes('no end') },
    { stream: 'stdout', chunk: bytes('last') },
  ];

  it('is what an unbounded log shows, stderr behind its gutter', () => {
    const log = new OutputLog({ maxLines: Infinity, maxChars: Infinity, maxPartial: Infinity });
    for (const { stream, chunk } of chunks) log.append(stream, chunk);
    log.end();
    const expected = `${log.view().map((line) => (line.stream === 'stderr' ? `▌ ${line.text}` : line.text)).join('\n')}\n`;
    expect(outputText(chunks)).toBe(expected);
    expect(expected.split('\n')).toEqual(['plain line', 'ünïcödé', sanitizeLine('\ttab\r'), 'progress 2', '▌ warn cleared', '▌ second', '✓', '', '', 'last', '▌ no end', '']);
  });

  it('is empty for no output, and 16 MiB of line breaks is 16 MiB of line breaks', () => {
    expect(outputText([])).toBe('');
    const flood = Array.from({ length: 256 }, () => ({ stream: 'stdout' as const, chunk: Buffer.alloc(64 * 1024, 10) }));
    expect(outputText(flood)).toBe('\n'.repeat(16 * 1024 * 1024));
    // Checked a chunk at a time, not a line at a time.
    expect(linesMade.mock.calls.length).toBeLessThanOrEqual(256);
  });
});
