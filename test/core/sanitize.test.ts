import { describe, expect, it } from 'vitest';
import { sanitizeLabel, sanitizeLine, sanitizeText } from '../../src/core/sanitize.js';

describe('sanitizeLine: module output made safe for the terminal', () => {
  it('leaves ordinary text alone, including non-ASCII', () => {
    expect(sanitizeLine('dlroW ,olleH')).toBe('dlroW ,olleH');
    expect(sanitizeLine('grüße · 日本語 · ≠')).toBe('grüße · 日本語 · ≠');
  });

  it('drops what escape.wat prints: clear screen, OSC title, colours', () => {
    expect(sanitizeLine('\x1b[2J\x1b]0;pwned\x07\x1b[31mred\x1b[0m ok')).toBe('red ok');
  });

  it('drops CSI sequences of every shape, including private and intermediate bytes', () => {
    expect(sanitizeLine('a\x1b[?1049hb\x1b[1;31;4mc\x1b[3 qd\x1b[Ke')).toBe('abcde');
  });

  it('drops OSC sequences ended by BEL or ST, and hyperlinks', () => {
    expect(sanitizeLine('x\x1b]2;title\x1b\\y')).toBe('xy');
    expect(sanitizeLine('\x1b]8;;https://evil.example\x07link\x1b]8;;\x07')).toBe('link');
    expect(sanitizeLine('\x1b]52;c;c2VjcmV0\x07copied')).toBe('copied');
  });

  it('drops DCS, SOS, PM and APC strings', () => {
    expect(sanitizeLine('a\x1bP1$r0m\x1b\\b\x1bXsos\x1b\\c\x1b^pm\x1b\\d\x1b_apc\x1b\\e')).toBe('abcde');
  });

  it('drops short escapes (reset, save cursor, charset) without eating the text after them', () => {
    expect(sanitizeLine('a\x1bcb\x1b7c\x1b(Bd\x1b#8e')).toBe('abcde');
  });

  it('drops the 8-bit C1 forms of CSI and OSC', () => {
    expect(sanitizeLine('a\u009b2Jb\u009d0;pwned\u009cc')).toBe('abc');
  });

  it('swallows an unterminated OSC to the end of the line, and a lone ESC', () => {
    expect(sanitizeLine('before\x1b]0;never ends')).toBe('before');
    expect(sanitizeLine('end\x1b')).toBe('end');
  });

  it('shows other control characters as visible placeholders', () => {
    expect(sanitizeLine('bell\x07')).toBe('bell^G');
    expect(sanitizeLine('nul\x00del\x7f')).toBe('nul^@del^?');
    expect(sanitizeLine('back\bspace')).toBe('back^Hspace');
    expect(sanitizeLine('c1\u0085x')).toBe('c1\ufffdx');
  });

  it('shows bidi overrides as placeholders so text cannot be reordered', () => {
    expect(sanitizeLine('abc\u202edef\u2066')).toBe('abc\ufffddef\ufffd');
  });

  it('expands tabs to 8-column stops', () => {
    expect(sanitizeLine('a\tb')).toBe('a       b');
    expect(sanitizeLine('\tx')).toBe('        x');
    expect(sanitizeLine('12345678\ty')).toBe('12345678        y');
  });

  it('keeps what a terminal would finally show after carriage returns', () => {
    expect(sanitizeLine('10%\r50%\r100%')).toBe('100%');
    expect(sanitizeLine('windows line\r')).toBe('windows line');
  });

  it('never lets an ESC or other C0 control through, whatever the input', () => {
    let text = '';
    for (let code = 0; code < 0xa0; code++) text += `${String.fromCharCode(code)}x`;
    const out = sanitizeLine(text.repeat(3));
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});

describe('sanitizeText and sanitizeLabel', () => {
  it('keeps line breaks in text, sanitising each line', () => {
    expect(sanitizeText('a\x1b[31m\nb\x07')).toBe('a\nb^G');
  });

  it('flattens a label to one line', () => {
    expect(sanitizeLabel('evil\nname\x1b]0;x\x07')).toBe('evil name');
  });
});
