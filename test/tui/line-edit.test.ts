import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { editLine, pasteText, stdinDisplay, type Line } from '../../src/tui/state/line-edit.js';

const NO_KEY: Key = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false };
const type = (line: Line, input: string, key: Partial<Key> = {}) => editLine(line, input, { ...NO_KEY, ...key });
const apply = (presses: [string, Partial<Key>?][], start: Line = { text: '', cursor: 0 }) => presses.reduce((line, [input, key]) => type(line, input, key), start);

describe('editLine', () => {
  it('inserts typed and pasted text at the cursor', () => {
    expect(apply([['a'], ['b'], ['c']])).toEqual({ text: 'abc', cursor: 3 });
    expect(type({ text: 'ad', cursor: 1 }, 'bc')).toEqual({ text: 'abcd', cursor: 3 });
  });

  it('moves with arrows, Home/End and Ctrl-A/Ctrl-E', () => {
    const line = { text: 'hello', cursor: 5 };
    expect(type(line, '', { leftArrow: true }).cursor).toBe(4);
    expect(type({ text: 'hello', cursor: 0 }, '', { leftArrow: true }).cursor).toBe(0);
    expect(type({ text: 'hello', cursor: 5 }, '', { rightArrow: true }).cursor).toBe(5);
    expect(type(line, '', { home: true }).cursor).toBe(0);
    expect(type(line, 'a', { ctrl: true }).cursor).toBe(0);
    expect(type({ text: 'hello', cursor: 1 }, 'e', { ctrl: true }).cursor).toBe(5);
  });

  it('erases backwards with Backspace (DEL, which Ink calls delete)', () => {
    expect(type({ text: 'abc', cursor: 2 }, '', { delete: true })).toEqual({ text: 'ac', cursor: 1 });
    expect(type({ text: 'abc', cursor: 0 }, '', { backspace: true })).toEqual({ text: 'abc', cursor: 0 });
  });

  it('kills with Ctrl-U, Ctrl-K and Ctrl-W', () => {
    expect(type({ text: 'hello world', cursor: 6 }, 'u', { ctrl: true })).toEqual({ text: 'world', cursor: 0 });
    expect(type({ text: 'hello world', cursor: 5 }, 'k', { ctrl: true })).toEqual({ text: 'hello', cursor: 5 });
    expect(type({ text: 'hello big world', cursor: 15 }, 'w', { ctrl: true })).toEqual({ text: 'hello big ', cursor: 10 });
  });

  it('handles characters outside the BMP as one', () => {
    expect(apply([['😀'], ['', { leftArrow: true }], ['x']])).toEqual({ text: 'x😀', cursor: 1 });
    expect(type({ text: 'a😀', cursor: 2 }, '', { delete: true })).toEqual({ text: 'a', cursor: 1 });
  });

  it('keeps control characters out, and ignores keys that are not editing', () => {
    expect(type({ text: 'a', cursor: 1 }, 'b\x1b[31m\x07')).toEqual({ text: 'ab[31m', cursor: 6 });
    const line = { text: 'a', cursor: 1 };
    for (const key of [{ upArrow: true }, { return: true }, { escape: true }, { tab: true }, { ctrl: true }]) expect(type(line, 'x', key)).toBe(line);
  });

  it('keeps the line breaks and tabs of pasted text (CR LF and CR become LF), and shows them one character each', () => {
    const pasted = pasteText({ text: 'ab', cursor: 1 }, 'one\r\ntwo\rthree\tfour\x07');
    expect(pasted).toEqual({ text: 'aone\ntwo\nthree\tfourb', cursor: 19 });
    expect(stdinDisplay(pasted.text)).toBe('aone↵two↵three→fourb');
    expect([...stdinDisplay(pasted.text)]).toHaveLength([...pasted.text].length);
  });
});
