import stringWidth from 'string-width';

/**
 * Terminal cell width of plain text (already sanitised: no controls), measured as Ink measures
 * it (string-width: grapheme clusters, emoji, East Asian widths, zero-width marks), so a pane's
 * rows and Ink's own layout always agree.
 */
export function textWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const piece of pieces(text)) width += piece.width;
  return width;
}

/** The common case, measured without segmenting. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/**
 * Intl.Segmenter slows down badly on long strings (64 K characters: ~10 s on Node 20), and a
 * module may print a line that long: so runs of ASCII are taken whole, and only the stretches
 * around other characters, in pieces of at most this many, are segmented.
 */
const SEGMENT_PIECE = 256;
const isAscii = (code: number): boolean => code >= 0x20 && code <= 0x7e;

/** string-width per cluster, remembered: output repeats the same few characters. */
const clusterWidths = new Map<string, number>();
function clusterWidth(cluster: string): number {
  let width = clusterWidths.get(cluster);
  if (width === undefined) {
    if (clusterWidths.size > 4096) clusterWidths.clear();
    width = stringWidth(cluster);
    clusterWidths.set(cluster, width);
  }
  return width;
}

/**
 * The text as what a terminal draws: runs of plain ASCII (one cell a character, `run: true`) and
 * single clusters (`e` + accent, a flag, a ZWJ emoji) with their width.
 */
function* pieces(text: string): Generator<{ text: string; width: number; run: boolean }> {
  let i = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && isAscii(text.charCodeAt(j))) j++;
    // The last ASCII character before anything else goes with it: it may carry a mark (e + ◌́, 1 + ⃣).
    const runEnd = j < text.length && j > i ? j - 1 : j;
    if (runEnd > i) yield { text: text.slice(i, runEnd), width: runEnd - i, run: true };
    i = runEnd;
    if (i >= text.length) return;
    let k = i + 1;
    while (k < text.length && k - i < SEGMENT_PIECE && !isAscii(text.charCodeAt(k))) k++;
    for (const { segment } of graphemes.segment(text.slice(i, k))) yield { text: segment, width: clusterWidth(segment), run: false };
    i = k;
  }
}

/** Cuts `text` to `width` cells, ending with `…` when something was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (textWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  const room = width - 1;
  for (const piece of pieces(text)) {
    if (piece.run) {
      const take = Math.min(piece.width, room - used);
      out += piece.text.slice(0, take);
      used += take;
      if (take < piece.width) break;
      continue;
    }
    if (used + piece.width > room) break;
    out += piece.text;
    used += piece.width;
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
  const rows: string[] = [];
  let row = '';
  let used = 0;
  for (const piece of pieces(text)) {
    if (piece.run) {
      let at = 0;
      while (at < piece.text.length) {
        if (used === width) {
          rows.push(row);
          row = '';
          used = 0;
        }
        const take = Math.min(width - used, piece.text.length - at);
        row += piece.text.slice(at, at + take);
        used += take;
        at += take;
      }
      continue;
    }
    if (used + piece.width > width && row !== '') {
      rows.push(row);
      row = '';
      used = 0;
    }
    row += piece.text;
    used += piece.width;
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
