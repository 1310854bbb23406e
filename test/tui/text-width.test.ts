import stringWidth from 'string-width';
import { ceiling } from '../helpers/ceiling.js';
import { describe, expect, it } from 'vitest';
import { clipRows, fit, packParts, textWidth, truncate, wrapLine, wrapWords } from '../../src/tui/text-width.js';
import { formatMs, formatPhaseMs, changeMark } from '../../src/tui/format.js';

describe('text measuring and fitting', () => {
  it('counts wide characters as two cells', () => {
    expect(textWidth('abc')).toBe(3);
    expect(textWidth('日本')).toBe(4);
    expect(textWidth('✓ ≠ ▁')).toBe(5);
  });

  it("measures as Ink does (string-width): emoji, flags, ZWJ sequences, combining marks, CJK", () => {
    const samples = ['👍', '🇫🇷', '👩‍💻', '❤️', 'e\u0301te\u0301', 'a\u0308\u0304', '日本語', '✓ ok', 'ｱｲｳ', '한국어', '☕ coffee', '1️⃣', '\u200bzero'];
    for (const sample of samples) expect(textWidth(sample), JSON.stringify(sample)).toBe(stringWidth(sample));
  });

  it('never splits a character made of several code points when cutting or wrapping', () => {
    expect(wrapLine('e\u0301e\u0301e\u0301', 2)).toEqual(['e\u0301e\u0301', 'e\u0301']);
    expect(wrapLine('👩‍💻👩‍💻', 2)).toEqual(['👩‍💻', '👩‍💻']);
    expect(truncate('🇫🇷🇫🇷🇫🇷', 5)).toBe('🇫🇷🇫🇷…');
    for (const row of wrapLine('a👍b🇫🇷c日本e\u0301', 3)) expect(stringWidth(row)).toBeLessThanOrEqual(3);
  });

  it('stays fast on a 64 K line that is not all ASCII (Intl.Segmenter alone takes seconds)', () => {
    const line = `…${'A'.repeat(65536)}`;
    const started = performance.now();
    expect(textWidth(line)).toBe(65537);
    expect(wrapLine(line, 60)).toHaveLength(1093);
    expect(truncate(line, 10)).toBe('…AAAAAAAA…');
    // A guard against a quadratic or segmenter-bound path, scaled for the machine.
    expect(performance.now() - started).toBeLessThan(ceiling(500));
  });

  it('truncates with an ellipsis and pads to an exact width', () => {
    expect(truncate('broken.manifest.json', 10)).toBe('broken.ma…');
    expect(truncate('short', 10)).toBe('short');
    expect(fit('ab', 5)).toBe('ab   ');
    expect(fit('ab', 5, 'right')).toBe('   ab');
    expect(textWidth(fit('日本語テキスト', 7))).toBeLessThanOrEqual(7);
  });

  it('hard-wraps output lines and word-wraps messages', () => {
    expect(wrapLine('abcdefgh', 3)).toEqual(['abc', 'def', 'gh']);
    expect(wrapLine('', 3)).toEqual(['']);
    expect(wrapWords('The job exited with code 0.', 12)).toEqual(['The job', 'exited with', 'code 0.']);
    expect(wrapWords('averyveryverylongword x', 8)).toEqual(['averyver', 'yverylon', 'gword x']);
  });

  it('packs phrases onto as few lines as fit', () => {
    expect(packParts(['start 91', 'compile 2.2', 'run 3.1 ms'], 40)).toEqual(['start 91 · compile 2.2 · run 3.1 ms']);
    expect(packParts(['start 91', 'compile 2.2', 'run 3.1 ms'], 23)).toEqual(['start 91 · compile 2.2', 'run 3.1 ms']);
  });

  it('clips rows and marks the cut', () => {
    expect(clipRows(['a', 'b', 'c'], 2, 5)).toEqual(['a', 'b…']);
    expect(clipRows(['a', 'b'], 2, 5)).toEqual(['a', 'b']);
    expect(clipRows(['abcde', 'x'], 1, 5)).toEqual(['abcd…']);
  });
});

describe('formatting', () => {
  it('formats durations with at most three significant figures', () => {
    expect(formatMs(0.42)).toBe('0.42 ms');
    expect(formatMs(4.13)).toBe('4.1 ms');
    expect(formatMs(412.4)).toBe('412 ms');
    expect(formatMs(1234)).toBe('1.23 s');
    expect(formatMs(12_345)).toBe('12.3 s');
    expect(formatMs(125_000)).toBe('2 m 05 s');
    expect(formatMs(Number.NaN)).toBe('—');
    expect(formatPhaseMs(2.66)).toBe('2.7');
    expect(formatPhaseMs(1003.4)).toBe('1003');
  });

  it('marks changed and unchanged output', () => {
    expect(changeMark(true)).toBe('≠');
    expect(changeMark(false)).toBe('=');
    expect(changeMark(null)).toBe('');
  });
});
