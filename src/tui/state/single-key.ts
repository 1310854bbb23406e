/**
 * One character of a multi-key read, named as Ink names it when it arrives alone
 * (ink/build/parse-keypress.js): DEL is `delete`, BS `backspace`, CR `return`, TAB `tab`,
 * 0x01–0x1a are Ctrl+letter. Ink names only a whole read, so a held Backspace or
 * `i` then Ctrl-U in one read would otherwise reach the editor as text and be dropped.
 */
import type { Key } from 'ink';

const PLAIN: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/** `[input, key]` as Ink's useInput would hand over `char` read on its own. */
export function singleKey(char: string): [string, Key] {
  if (char === '\r') return ['', { ...PLAIN, return: true }];
  if (char === '\n') return ['', PLAIN];
  if (char === '\t') return ['', { ...PLAIN, tab: true }];
  if (char === '\b') return ['', { ...PLAIN, backspace: true }];
  if (char === '\x7f') return ['', { ...PLAIN, delete: true }];
  if (char === '\x1b') return ['', { ...PLAIN, escape: true, meta: true }];
  const code = char.codePointAt(0) ?? 0;
  if (char.length === 1 && code >= 1 && code <= 0x1a) return [String.fromCharCode(code + 96), { ...PLAIN, ctrl: true }];
  return [char, { ...PLAIN, shift: /^[A-Z]$/.test(char) }];
}
