// JSON syntax errors name the file, line and column on one line — also on Node 20, whose
// JSON.parse names no position for an unexpected token or a premature end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PlasmError } from '../../src/core/errors.js';
import { parseJson } from '../../src/core/json-file.js';
import { syntaxErrorOffset } from '../../src/core/json-syntax-error.js';
import { EXAMPLES } from '../helpers/cli.js';

const DOCUMENT = `[\n${readFileSync(join(EXAMPLES, 'args-env', 'args-env.manifest.json'), 'utf8')},\n${JSON.stringify({
  text: 'a\u00e9\n"quoted"\\',
  numbers: [-1.5e3, 0, 0.25, 1e-7, 10],
  flags: [true, false, null],
  empty: [{}, []],
})}\n]\n`;

function parseError(text: string): PlasmError {
  let thrown: unknown;
  try {
    parseJson(text, 'x.json');
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(PlasmError);
  return thrown as PlasmError;
}

describe('parseJson messages', () => {
  test.each([
    ['{"a": x}', 'line 1, column 7: unexpected "x"'],
    ['{\n  "a": 1,\n  "b": nope\n}', 'line 3, column 9: unexpected "o"'], // "n" could start null
    ['{"a": [1, ', 'line 1, column 11: unexpected end of input'],
    ['{"a": "\u001b[2J"}', 'line 1, column 8: Bad control character in string literal'],
    ['[\n\u001b]', 'line 2, column 1: unexpected "\\u001b"'],
    ['{"a": 1} {"b": 2}', 'line 1, column 10: Unexpected non-whitespace character after JSON'],
    ['[1, 😀]', 'line 1, column 5: unexpected "😀"'], // the whole character, not half a surrogate pair
  ])('%j', (text, where) => {
    const error = parseError(text);
    expect(error.kind).toBe('invalid');
    expect(error.message).toBe(`x.json is not valid JSON at ${where}.`);
    expect(error.message).not.toMatch(/[\u0000-\u001f]/); // one line, and no raw control bytes from the file
  });
});

describe('syntaxErrorOffset', () => {
  test('finds nothing wrong with valid JSON', () => {
    for (const text of [DOCUMENT, '0', '-0.5e+10', '"x"', ' [ ] ', 'true', '{"a":{"b":[null]}}', '"\\u00e9\\/"']) {
      expect(JSON.parse(text)).toBeDefined();
      expect(syntaxErrorOffset(text), text).toBeNull();
    }
  });

  test('every cut-off prefix ends too early, at its own length', () => {
    for (let length = 1; length < DOCUMENT.trimEnd().length; length++) {
      const prefix = DOCUMENT.slice(0, length);
      if (/^\s*$/.test(prefix)) continue;
      expect(syntaxErrorOffset(prefix), JSON.stringify(prefix.slice(-20))).toBe(prefix.length);
    }
  });

  test('agrees with V8 wherever V8 names a position, and flags everything V8 rejects', () => {
    let compared = 0;
    for (let i = 0; i < DOCUMENT.length; i++) {
      for (const char of ['x', '"', '\\', ',', '}', ']', ':', '-', '.', 'e', '0', ' ', '\u0001']) {
        const text = DOCUMENT.slice(0, i) + char + DOCUMENT.slice(i + 1);
        let message: string | null = null;
        try {
          JSON.parse(text);
        } catch (error) {
          message = (error as Error).message;
        }
        const offset = syntaxErrorOffset(text);
        if (message === null) {
          expect(offset, `valid: ${JSON.stringify(text.slice(i - 10, i + 10))}`).toBeNull();
          continue;
        }
        expect(offset, message).not.toBeNull();
        const at = /position (\d+)/.exec(message);
        if (at) {
          expect(offset, `${message} in ${JSON.stringify(text.slice(i - 10, i + 10))}`).toBe(Number(at[1]));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  test('deep nesting does not crash it', () => {
    expect(() => syntaxErrorOffset(`${'['.repeat(100_000)}x`)).not.toThrow();
  });
});
