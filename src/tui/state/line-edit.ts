/**
 * Editing one line of text from raw key presses: the stdin field. Pure, so that it runs inside
 * the key dispatcher on the latest state. (ink-text-input reads its value from the closure of
 * its last effect, so keys that arrive faster than React re-subscribes — a fast typist, a
 * paste split over reads, a busy machine — were dropped or reordered: measured in a pty,
 * "abcdefghij" typed at 5 ms a key came out as "bcdefghij" alone and "afhj" in the app.)
 */
import type { Key } from 'ink';

export interface Line {
  text: string;
  /** In code points, 0…length. */
  cursor: number;
}

/** Control characters cannot be seen in the field, so they are not put into the job's stdin unseen. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

export function editLine(line: Line, input: string, key: Key): Line {
  const chars = [...line.text];
  const cursor = Math.min(Math.max(0, line.cursor), chars.length);
  const at = (text: string[], position: number): Line => ({ text: text.join(''), cursor: position });
  if (key.leftArrow) return at(chars, Math.max(0, cursor - 1));
  if (key.rightArrow) return at(chars, Math.min(chars.length, cursor + 1));
  if (key.home || (key.ctrl && input === 'a')) return at(chars, 0);
  if (key.end || (key.ctrl && input === 'e')) return at(chars, chars.length);
  // Most terminals send DEL (0x7f) for Backspace and Ink calls it `delete`: both erase backwards.
  if (key.backspace || key.delete) return cursor === 0 ? at(chars, 0) : at([...chars.slice(0, cursor - 1), ...chars.slice(cursor)], cursor - 1);
  if (key.ctrl && input === 'u') return at(chars.slice(cursor), 0);
  if (key.ctrl && input === 'k') return at(chars.slice(0, cursor), cursor);
  if (key.ctrl && input === 'w') {
    let start = cursor;
    while (start > 0 && chars[start - 1] === ' ') start--;
    while (start > 0 && chars[start - 1] !== ' ') start--;
    return at([...chars.slice(0, start), ...chars.slice(cursor)], start);
  }
  if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.pageUp || key.pageDown || key.escape || key.return) return line;
  return insert(line, input.replace(CONTROLS, ''));
}

/** Pasted (or edited) text keeps its line breaks (CR LF and CR become LF) and tabs; other controls go. */
export function pasteText(line: Line, text: string): Line {
  return insert(line, text.replace(/\r\n?/g, '\n').replace(PASTE_CONTROLS, ''));
}

const PASTE_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function insert(line: Line, text: string): Line {
  const chars = [...line.text];
  const cursor = Math.min(Math.max(0, line.cursor), chars.length);
  const typed = [...text];
  if (typed.length === 0) return line;
  return { text: [...chars.slice(0, cursor), ...typed, ...chars.slice(cursor)].join(''), cursor: cursor + typed.length };
}

/**
 * How stdin text is shown on one line: a line break as `↵`, a tab as `→`, one character each,
 * so the cursor (in code points) stays where it is in the text.
 */
export function stdinDisplay(text: string): string {
  return text.replace(/\n/g, '↵').replace(/\t/g, '→');
}
