/**
 * Module output is untrusted: a guest that prints `ESC[2J` or `ESC]0;title BEL` must not be able
 * to clear, retitle or reprogram the user's terminal through our panes. Ink itself passes OSC and
 * colour sequences through, so every string from a module (or from a file on disk: names,
 * messages) goes through here before it is rendered.
 *
 * Escape sequences (CSI, OSC, DCS/SOS/PM/APC strings, two- and three-byte escapes, and their 8-bit
 * C1 forms) are dropped whole; any other control character becomes a visible caret placeholder
 * (`^G`, `^[`, `^?`), or `�` for C1 and for the invisible characters below, so the user sees that
 * something was there.
 */

const ESC = 0x1b;
const BEL = 0x07;
const C1_CSI = 0x9b;
const C1_OSC = 0x9d;
const C1_ST = 0x9c;
/** DCS, SOS, PM, APC (7-bit final bytes after ESC, and their C1 forms): strings ended by ST. */
const STRING_INTRODUCERS = new Set([0x50, 0x58, 0x5e, 0x5f]);
const C1_STRING_INTRODUCERS = new Set([0x90, 0x98, 0x9e, 0x9f]);
/**
 * Characters that change what the user reads without showing themselves, the set Deno's
 * permission prompts make visible: bidirectional marks, embeddings, overrides and isolates
 * (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069: "Trojan Source" reordering), and the
 * zero-width and separator characters that hide or split text (U+200B, U+2028, U+2029, U+2060,
 * U+FEFF). Joiners (U+200C, U+200D) stay: emoji sequences and several scripts need them.
 */
const INVISIBLE = '\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff';
const INVISIBLE_CHAR = new RegExp(`[${INVISIBLE}]`);
/** Anything the neutraliser changes: C0, DEL, C1 and the invisible set. */
const NEEDS_WORK = new RegExp(`[\u0000-\u001f\u007f-\u009f${INVISIBLE}]`);
/** What JSON.stringify leaves raw but a terminal (or a reader) may act on. */
const JSON_UNSAFE = new RegExp(`[\u007f-\u009f${INVISIBLE}]`, 'g');

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

/**
 * Terminal output of a run, chunk by chunk (`plasm-tui run` on a terminal): escape sequences are
 * dropped and controls made visible as everywhere else, but line breaks, carriage returns and tabs
 * reach the terminal as they are (they move the cursor and nothing else), and a sequence cut by a
 * chunk boundary is held until its end arrives, so it cannot slip through in two halves.
 */
export function createStreamSanitizer(): { write(chunk: Uint8Array): string; end(): string } {
  const decoder = new TextDecoder('utf-8');
  let held = '';
  const take = (text: string, last: boolean): string => {
    const { out, rest } = neutraliseStream(held + text, last);
    held = rest;
    return out;
  };
  return {
    write: (chunk) => take(decoder.decode(chunk, { stream: true }), false),
    end: () => take(decoder.decode(), true),
  };
}

/** At most this much of an unterminated sequence is held back; past it, it is dropped as it comes. */
const MAX_HELD = 64 * 1024;

function neutralise(text: string, flattenNewlines: boolean): string {
  return NEEDS_WORK.test(text) ? scan(text, flattenNewlines ? 'label' : 'line', true).out : text;
}

function neutraliseStream(text: string, last: boolean): { out: string; rest: string } {
  return NEEDS_WORK.test(text) ? scan(text, 'stream', last) : { out: text, rest: '' };
}

/**
 * The one pass behind every mode. `label` flattens line breaks to spaces, `line` shows them as
 * carets, `stream` passes them; unless `last`, a sequence that runs off the end is returned as
 * `rest` to be completed by the next chunk.
 */
function scan(text: string, mode: 'label' | 'line' | 'stream', last: boolean): { out: string; rest: string } {
  let out = '';
  let column = 0;
  let i = 0;
  const emit = (s: string): void => {
    out += s;
    column += s.length;
  };
  while (i < text.length) {
    const code = text.charCodeAt(i);
    const end = code === ESC ? skipEscape(text, i) : code === C1_CSI ? skipCsiBody(text, i + 1) : code === C1_OSC || C1_STRING_INTRODUCERS.has(code) ? skipString(text, i + 1) : null;
    if (end !== null) {
      if (end === UNTERMINATED) {
        if (!last && text.length - i <= MAX_HELD) return { out, rest: text.slice(i) };
        break; // unterminated at the very end: dropped, with everything it swallowed
      }
      i = end;
      continue;
    }
    if (mode === 'stream' && (code === 0x09 || code === 0x0a || code === 0x0d)) {
      out += text[i];
    } else if (code === 0x09) {
      emit(' '.repeat(TAB_WIDTH - (column % TAB_WIDTH)));
    } else if (code === 0x0a || code === 0x0d) {
      emit(mode === 'label' ? ' ' : caret(code));
    } else if (code < 0x20 || code === 0x7f) {
      emit(caret(code));
    } else if ((code >= 0x80 && code <= 0x9f) || INVISIBLE_CHAR.test(text[i] ?? '')) {
      emit('\ufffd');
    } else {
      out += text[i];
      column++;
    }
    i++;
  }
  return { out, rest: '' };
}

/**
 * JSON for output (`--json` reports, `watch --json` events): JSON.stringify escapes C0 controls but
 * leaves DEL, C1 controls (U+009B is CSI to some terminals) and bidi and invisible characters raw;
 * these become `\u009b`-style escapes too. The parsed value is unchanged.
 */
export function toSafeJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `^@`…`^_` for C0, `^?` for DEL: the notation `cat -v` and terminals use. */
function caret(code: number): string {
  return code === 0x7f ? '^?' : `^${String.fromCharCode(code + 0x40)}`;
}

/** A sequence that runs off the end of the text (its rest may be in the next chunk). */
const UNTERMINATED = -1;

/** The index after the escape sequence starting at `start` (text[start] is ESC), or UNTERMINATED. */
function skipEscape(text: string, start: number): number {
  const next = text.charCodeAt(start + 1);
  if (Number.isNaN(next)) return UNTERMINATED; // a lone ESC at the end
  if (next === 0x5b) return skipCsiBody(text, start + 2); // ESC [
  if (next === 0x5d || STRING_INTRODUCERS.has(next)) return skipString(text, start + 2); // ESC ] / P / X / ^ / _
  // nF escapes: intermediates 0x20–0x2f, then one final byte 0x30–0x7e (ESC ( B, ESC # 8…);
  // Fp/Fe/Fs escapes are the same without intermediates (ESC 7, ESC c, ESC M…).
  let i = start + 1;
  while (i < text.length && text.charCodeAt(i) >= 0x20 && text.charCodeAt(i) <= 0x2f) i++;
  if (i === text.length) return UNTERMINATED;
  if (text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x7e) return i + 1;
  return i; // malformed: drop the ESC and intermediates, show what follows as text
}

/** Parameters 0x30–0x3f, intermediates 0x20–0x2f, one final byte 0x40–0x7e. */
function skipCsiBody(text: string, start: number): number {
  let i = start;
  while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x3f) i++;
  while (i < text.length && text.charCodeAt(i) >= 0x20 && text.charCodeAt(i) <= 0x2f) i++;
  if (i === text.length) return UNTERMINATED;
  if (text.charCodeAt(i) >= 0x40 && text.charCodeAt(i) <= 0x7e) return i + 1;
  return i; // malformed: what was consumed is dropped
}

/** An OSC/DCS-style string runs to BEL, ESC \\ or C1 ST. */
function skipString(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === BEL || code === C1_ST) return i + 1;
    if (code === ESC) {
      if (i + 1 === text.length) return UNTERMINATED;
      return text.charCodeAt(i + 1) === 0x5c ? i + 2 : i;
    }
  }
  return UNTERMINATED;
}
