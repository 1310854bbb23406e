import { describe, expect, it } from 'vitest';
import { createStreamSanitizer, sanitizeLabel, sanitizeLine, sanitizeText, toSafeJson } from '../../src/core/sanitize.js';

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

  it("shows bidi marks and zero-width characters too (what Deno's prompts make visible), but keeps joiners", () => {
    expect(sanitizeLine('a\u200eb\u200fc\u061cd\u200be\u2060f\ufeffg\u2028h\u2029i')).toBe('a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffdg\ufffdh\ufffdi');
    expect(sanitizeLabel('file\u200f.wasm')).toBe('file\ufffd.wasm');
    expect(sanitizeLine('👨\u200d👩\u200d👧 می\u200cخواهم')).toBe('👨\u200d👩\u200d👧 می\u200cخواهم');
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

describe('createStreamSanitizer: a run\'s output on a terminal, chunk by chunk', () => {
  const run = (...chunks: string[]): string => {
    const sanitizer = createStreamSanitizer();
    return chunks.map((chunk) => sanitizer.write(Buffer.from(chunk))).join('') + sanitizer.end();
  };

  it('passes line breaks, carriage returns and tabs, and drops escapes as everywhere else', () => {
    expect(run('\x1b[2J\x1b]0;pwned\x07\x1b[31mred\x1b[0m ok\n')).toBe('red ok\n');
    expect(run('10%\r50%\r\tdone\n')).toBe('10%\r50%\r\tdone\n');
    expect(run('bell\x07 c1\u0085 bidi\u202e\n')).toBe('bell^G c1\ufffd bidi\ufffd\n');
  });

  it('holds a sequence cut by a chunk boundary until it ends, so no half of it gets through', () => {
    expect(run('a\x1b', ']0;pwn', 'ed\x07b')).toBe('ab');
    expect(run('a\x1b]52;c;', 'c2VjcmV0\x1b', '\\b')).toBe('ab');
    expect(run('a\x1b[', '2', 'Jb')).toBe('ab');
    expect(run('x\u009b', '2Jy')).toBe('xy');
  });

  it('splits UTF-8 characters across chunks correctly', () => {
    const sanitizer = createStreamSanitizer();
    const bytes = Buffer.from('grüße \u202e');
    const out = [...bytes].map((b) => sanitizer.write(Uint8Array.of(b))).join('') + sanitizer.end();
    expect(out).toBe('grüße \ufffd');
  });

  it('drops an unterminated sequence at the end of the output', () => {
    expect(run('before\x1b]0;never ends')).toBe('before');
  });

  it('never lets ESC, C1 or an invisible character through, however the bytes are cut', () => {
    let text = '';
    for (let code = 0; code < 0xa0; code++) text += `${String.fromCharCode(code)}x`;
    text += '\u061c\u200b\u200e\u200f\u202a\u202e\u2066\u2069\ufeff';
    const bytes = Buffer.from(text.repeat(2));
    for (const size of [1, 2, 3, 7, 64]) {
      const sanitizer = createStreamSanitizer();
      let out = '';
      for (let i = 0; i < bytes.length; i += size) out += sanitizer.write(bytes.subarray(i, i + size));
      out += sanitizer.end();
      expect(out).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/);
    }
  });
});

describe('toSafeJson', () => {
  it('escapes DEL, C1 and bidi characters that JSON.stringify leaves raw, and parses back to the same value', () => {
    const value = { name: 'a\u009b2J\u202eb\u200f\u007f\u2028', n: 1 };
    const json = toSafeJson(value);
    expect(json).toBe('{"name":"a\\u009b2J\\u202eb\\u200f\\u007f\\u2028","n":1}');
    expect(JSON.parse(json)).toEqual(value);
    expect(toSafeJson({ a: 'ü' }, 2)).toBe('{\n  "a": "ü"\n}');
  });
});
