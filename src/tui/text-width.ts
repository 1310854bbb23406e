import stringWidth from 'string-width';

/**
 * Terminal cell width of plain text (already sanitised: no controls), measured as Ink measures
 * it (string-width: grapheme clusters, emoji, East Asian widths, zero-width marks), so a pane's
 * rows and Ink's own layout always agree.
 */
export function textWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

/** The common case, measured without segmenting. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** What a terminal draws as one unit each (`e` + accent, a flag, a ZWJ emoji), with its width. */
function clusters(text: string): { text: string; width: number }[] {
  if (PRINTABLE_ASCII.test(text)) return Array.from(text, (char) => ({ text: char, width: 1 }));
  return Array.from(graphemes.segment(text), ({ segment }) => ({ text: segment, width: stringWidth(segment) }));
}

/** Cuts `text` to `width` cells, ending with `…` when something was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (textWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const cluster of clusters(text)) {
    if (used + cluster.width > width - 1) break;
    out += cluster.text;
    used += cluster.width;
  }
  return `${out}…`;
}

/** Truncates or pads with spaces to exactly `width` cells. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const pad = ' '.repeat(Math.max(0, width - textWidth(cut)));
  return align === 'left' ? cut + pad : pad + cut;
}

/** Splits one line into rows of at most `width` cells (hard wrap, as a terminal would; never inside a character). */
export function wrapLine(text: string, width: number): string[] {
  if (width <= 0) return [text];
  if (text.length <= width && textWidth(text) <= width) return [text];
  if (PRINTABLE_ASCII.test(text)) {
    const rows: string[] = [];
    for (let at = 0; at < text.length; at += width) rows.push(text.slice(at, at + width));
    return rows;
  }
  const rows: string[] = [];
  let row = '';
  let used = 0;
  for (const cluster of clusters(text)) {
    if (used + cluster.width > width && row !== '') {
      rows.push(row);
      row = '';
      used = 0;
    }
    row += cluster.text;
    used += cluster.width;
  }
  rows.push(row);
  return rows;
}

/**
 * Packs short phrases into as few lines of `width` cells as fit, keeping each phrase whole
 * where possible: `start 0.3 · compile 1.2 · run 2.6` on a wide pane, two lines on a narrow one.
 */
export function packParts(parts: readonly string[], width: number, separator = ' · '): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    if (line === '') line = part;
    else if (textWidth(line) + textWidth(separator) + textWidth(part) <= width) line += separator + part;
    else {
      lines.push(line);
      line = part;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** At most `max` rows; if some were cut, the last kept row ends with `…`. */
export function clipRows(rows: readonly string[], max: number, width: number): string[] {
  if (rows.length <= max) return [...rows];
  if (max <= 0) return [];
  const kept = rows.slice(0, max);
  const last = kept[max - 1] ?? '';
  // truncate() adds its own `…`; a row that just fits has to lose a character to make room for one.
  kept[max - 1] = textWidth(last) < width ? `${last}…` : truncate(`${last}…`, width);
  return kept;
}

/**
 * A path cut to `width` cells keeping what tells paths apart: the file name whole, and the
 * start of the folders (`fir…/hello.wasm`, `sec…/hello.wasm`), never `first-projec…`.
 */
export function truncatePath(path: string, width: number): string {
  if (textWidth(path) <= width) return path;
  const slash = path.lastIndexOf('/');
  if (slash < 0) return truncate(path, width);
  const base = path.slice(slash);
  const room = width - textWidth(base);
  if (room < 2) return truncate(path.slice(slash + 1), width);
  return `${truncate(path.slice(0, slash), room)}${base}`;
}

/** Wraps at spaces where it can (messages, hints), hard-wrapping only words longer than a row. */
export function wrapWords(text: string, width: number): string[] {
  if (width <= 0 || textWidth(text) <= width) return [text];
  const rows: string[] = [];
  let row = '';
  for (const word of text.split(' ')) {
    const candidate = row === '' ? word : `${row} ${word}`;
    if (textWidth(candidate) <= width) {
      row = candidate;
      continue;
    }
    if (row !== '') rows.push(row);
    const pieces = wrapLine(word, width);
    row = pieces.pop() ?? '';
    rows.push(...pieces);
  }
  if (row !== '') rows.push(row);
  return rows;
}
