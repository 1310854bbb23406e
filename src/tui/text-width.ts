/**
 * Terminal cell width of plain text (already sanitised: no controls). Enough of Unicode's East
 * Asian Wide/Fullwidth ranges and emoji to keep columns aligned; Ink still truncates each line
 * to its box, so a miss costs one ragged row, never an overlap.
 */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char.codePointAt(0) ?? 0);
  return width;
}

function charWidth(code: number): number {
  if (code === 0x200b || code === 0x200d || (code >= 0x300 && code <= 0x36f) || (code >= 0xfe00 && code <= 0xfe0f)) return 0;
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Cuts `text` to `width` cells, ending with `…` when something was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (textWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = charWidth(char.codePointAt(0) ?? 0);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return `${out}…`;
}

/** Truncates or pads with spaces to exactly `width` cells. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const pad = ' '.repeat(Math.max(0, width - textWidth(cut)));
  return align === 'left' ? cut + pad : pad + cut;
}

/** Splits one line into rows of at most `width` cells (hard wrap, as a terminal would). */
export function wrapLine(text: string, width: number): string[] {
  if (width <= 0) return [text];
  if (text.length <= width && textWidth(text) <= width) return [text];
  const rows: string[] = [];
  let row = '';
  let used = 0;
  for (const char of text) {
    const w = charWidth(char.codePointAt(0) ?? 0);
    if (used + w > width) {
      rows.push(row);
      row = '';
      used = 0;
    }
    row += char;
    used += w;
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
