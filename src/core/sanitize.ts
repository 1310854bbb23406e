/**
 * Module output is untrusted: a guest that prints `ESC[2J` or `ESC]0;title BEL` must not be able
 * to clear, retitle or reprogram the user's terminal through our panes. Ink itself passes OSC and
 * colour sequences through, so every string from a module (or from a file on disk: names,
 * messages) goes through here before it is rendered.
 *
 * Escape sequences (CSI, OSC, DCS/SOS/PM/APC strings, two- and three-byte escapes, and their 8-bit
 * C1 forms) are dropped whole; any other control character becomes a visible caret placeholder
 * (`^G`, `^[`, `^?`), or `�` for C1, so the user sees that something was there.
 */

const ESC = 0x1b;
const BEL = 0x07;
const C1_CSI = 0x9b;
const C1_OSC = 0x9d;
const C1_ST = 0x9c;
/** DCS, SOS, PM, APC (7-bit final bytes after ESC, and their C1 forms): strings ended by ST. */
const STRING_INTRODUCERS = new Set([0x50, 0x58, 0x5e, 0x5f]);
const C1_STRING_INTRODUCERS = new Set([0x90, 0x98, 0x9e, 0x9f]);
/** Bidirectional overrides and isolates can reorder what the user reads ("Trojan Source"). */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

export const TAB_WIDTH = 8;

/** Neutralises one line of output (no `\n` expected; any found becomes a space). */
export function sanitizeLine(line: string): string {
  // A lone carriage return rewinds to column 0: what a terminal finally shows is what follows
  // the last one (progress bars), so keep that and drop the overwritten text.
  const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
  const lastCr = trimmed.lastIndexOf('\r');
  const visible = lastCr >= 0 ? trimmed.slice(lastCr + 1) : trimmed;
  return neutralise(visible, false);
}

/** Neutralises multi-line text, keeping line breaks. */
export function sanitizeText(text: string): string {
  return text.split('\n').map(sanitizeLine).join('\n');
}

/** For one-line labels (job names, file names, messages): line breaks become spaces. */
export function sanitizeLabel(text: string): string {
  return neutralise(text, true);
}

function neutralise(text: string, flattenNewlines: boolean): string {
  // Fast path: printable text (the overwhelming majority of output) is returned as is.
  if (!/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text)) return text;
  let out = '';
  let column = 0;
  let i = 0;
  const emit = (s: string): void => {
    out += s;
    column += s.length;
  };
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === ESC) {
      i = skipEscape(text, i);
      continue;
    }
    if (code === C1_CSI) {
      i = skipCsiBody(text, i + 1);
      continue;
    }
    if (code === C1_OSC || C1_STRING_INTRODUCERS.has(code)) {
      i = skipString(text, i + 1);
      continue;
    }
    if (code === 0x09) {
      emit(' '.repeat(TAB_WIDTH - (column % TAB_WIDTH)));
    } else if (code === 0x0a || code === 0x0d) {
      emit(flattenNewlines ? ' ' : caret(code));
    } else if (code < 0x20 || code === 0x7f) {
      emit(caret(code));
    } else if (code >= 0x80 && code <= 0x9f) {
      emit('\ufffd');
    } else if (BIDI_CONTROLS.test(text[i] ?? '')) {
      emit('\ufffd');
    } else {
      out += text[i];
      column++;
    }
    i++;
  }
  return out;
}

/** `^@`…`^_` for C0, `^?` for DEL: the notation `cat -v` and terminals use. */
function caret(code: number): string {
  return code === 0x7f ? '^?' : `^${String.fromCharCode(code + 0x40)}`;
}

/** Returns the index after the escape sequence starting at `start` (text[start] is ESC). */
function skipEscape(text: string, start: number): number {
  const next = text.charCodeAt(start + 1);
  if (Number.isNaN(next)) return start + 1; // a lone ESC at the end: drop it
  if (next === 0x5b) return skipCsiBody(text, start + 2); // ESC [
  if (next === 0x5d || STRING_INTRODUCERS.has(next)) return skipString(text, start + 2); // ESC ] / P / X / ^ / _
  // nF escapes: intermediates 0x20–0x2f, then one final byte 0x30–0x7e (ESC ( B, ESC # 8…);
  // Fp/Fe/Fs escapes are the same without intermediates (ESC 7, ESC c, ESC M…).
  let i = start + 1;
  while (i < text.length && text.charCodeAt(i) >= 0x20 && text.charCodeAt(i) <= 0x2f) i++;
  if (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x7e) return i + 1;
  return i; // malformed: drop the ESC and intermediates, show what follows as text
}

/** Parameters 0x30–0x3f, intermediates 0x20–0x2f, one final byte 0x40–0x7e. */
function skipCsiBody(text: string, start: number): number {
  let i = start;
  while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x3f) i++;
  while (i < text.length && text.charCodeAt(i) >= 0x20 && text.charCodeAt(i) <= 0x2f) i++;
  if (i < text.length && text.charCodeAt(i) >= 0x40 && text.charCodeAt(i) <= 0x7e) return i + 1;
  return i; // unterminated or malformed: what was consumed is dropped
}

/** An OSC/DCS-style string runs to BEL, ESC \ or C1 ST; unterminated, it runs to the end. */
function skipString(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === BEL || code === C1_ST) return i + 1;
    if (code === ESC) return text.charCodeAt(i + 1) === 0x5c ? i + 2 : i;
  }
  return text.length;
}
