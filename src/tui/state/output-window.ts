import type { OutputLine } from '../runs/output-log.js';
import { STDERR_MARK } from '../format.js';
import { wrapLine, wrapWords } from '../text-width.js';

export interface OutputRow {
  kind: 'stdout' | 'stderr' | 'note';
  text: string;
}

/**
 * Where a view scrolled back stays: the line at its top (by its number in the whole output,
 * so it survives lines arriving below and old ones being dropped above) and the wrapped row of
 * that line. Null follows the end.
 */
export interface OutputAnchor {
  line: number;
  row: number;
}

export interface OutputWindow {
  rows: OutputRow[];
  /** Rows below the window: 0 when it shows the end. */
  scroll: number;
  /** Whether there is more above the window. */
  more: boolean;
}

interface Item {
  kind: OutputRow['kind'];
  text: string;
}

/** Notes above, lines, notes below: read by index, so a frame never copies the whole log. */
interface Items {
  length: number;
  rows(index: number, width: number): string[];
  kind(index: number): OutputRow['kind'];
}

/** An item's screen rows: wrapped to `width`, stderr's inside its gutter. */
function rowsOf(item: Item, width: number): string[] {
  // Notes are sentences: wrapped at spaces.
  if (item.kind === 'note') return wrapWords(item.text, width).flatMap((row) => wrapLine(row, width));
  if (item.kind !== 'stderr' || width <= STDERR_MARK.length) return wrapLine(item.text, width);
  return wrapLine(item.text, width - STDERR_MARK.length).map((row) => STDERR_MARK + row);
}

/**
 * A kept line's rows at the width they were last wrapped to. Lines are made once and never
 * change, so a frame (or a scroll) wraps only the lines that arrived since the last one.
 */
const wrapped = new WeakMap<OutputLine, { width: number; rows: string[] }>();

function lineRows(line: OutputLine, width: number): string[] {
  const cached = wrapped.get(line);
  if (cached?.width === width) return cached.rows;
  const rows = rowsOf({ kind: line.stream, text: line.text }, width);
  wrapped.set(line, { width, rows });
  return rows;
}

function itemsOf(lines: readonly OutputLine[], notes: readonly string[], head: readonly string[]): Items {
  const below = head.length + lines.length;
  return {
    length: below + notes.length,
    rows: (i, width) => (i < head.length ? rowsOf({ kind: 'note', text: head[i] ?? '' }, width) : i < below ? lineRows(lines[i - head.length] as OutputLine, width) : rowsOf({ kind: 'note', text: notes[i - below] ?? '' }, width)),
    kind: (i) => (i < head.length || i >= below ? 'note' : (lines[i - head.length] as OutputLine).stream),
  };
}

/** Each item's number of rows, and their sum. */
function rowCounts(all: Items, width: number): { counts: number[]; total: number } {
  const counts = new Array<number>(all.length);
  let total = 0;
  for (let i = 0; i < all.length; i++) {
    const n = all.rows(i, width).length;
    counts[i] = n;
    total += n;
  }
  return { counts, total };
}

function rowsBefore(counts: readonly number[], index: number): number {
  let sum = 0;
  for (let i = 0; i < index; i++) sum += counts[i] ?? 0;
  return sum;
}

/**
 * The `height` screen rows from `anchor` down, hard-wrapped to `width`; without an anchor (or
 * when the anchor is within a screen of the end) the last `height` rows. Following the end works
 * backwards and stops as soon as it has enough, so a long log costs no more to draw than a short one.
 */
export function outputWindow(lines: readonly OutputLine[], notes: readonly string[], width: number, height: number, anchor: OutputAnchor | null = null, first = 0, head: readonly string[] = []): OutputWindow {
  const all = itemsOf(lines, notes, head);
  // Item i is line number first + i - head.length: the head notes sit just above the first kept line.
  first -= head.length;
  if (anchor !== null && all.length > 0) {
    const { counts, total } = rowCounts(all, width);
    const index = Math.min(Math.max(0, anchor.line - first), all.length - 1);
    let skip = anchor.line < first ? 0 : Math.min(anchor.row, (counts[index] ?? 1) - 1);
    const top = rowsBefore(counts, index) + skip;
    if (top + height < total) {
      const rows: OutputRow[] = [];
      for (let i = index; i < all.length && rows.length < height; i++) {
        const kind = all.kind(i);
        for (const text of all.rows(i, width).slice(skip)) if (rows.length < height) rows.push({ kind, text });
        skip = 0;
      }
      return { rows, scroll: total - top - height, more: top > 0 };
    }
  }
  const needed = height;
  const rows: OutputRow[] = [];
  let i = all.length - 1;
  for (; i >= 0 && rows.length < needed + 1; i--) {
    const kind = all.kind(i);
    const wrappedRows = all.rows(i, width);
    for (let j = wrappedRows.length - 1; j >= 0; j--) rows.push({ kind, text: wrappedRows[j] ?? '' });
  }
  rows.reverse();
  const start = Math.max(0, rows.length - height);
  return { rows: rows.slice(start), scroll: 0, more: start > 0 || i >= 0 };
}

/** All rows the output wraps to. */
export function outputRowCount(lines: readonly OutputLine[], notes: readonly string[], width: number): number {
  return rowCounts(itemsOf(lines, notes, []), width).total;
}

/**
 * The anchor `by` rows up (negative: down) from where the window is now; null once it reaches
 * the end, so the view follows new output again. `Infinity` goes to the top.
 */
export function scrollAnchor(lines: readonly OutputLine[], notes: readonly string[], width: number, height: number, anchor: OutputAnchor | null, by: number, first = 0, head: readonly string[] = []): OutputAnchor | null {
  const all = itemsOf(lines, notes, head);
  first -= head.length;
  const { counts, total } = rowCounts(all, width);
  const bottom = Math.max(0, total - height);
  let top = bottom;
  if (anchor !== null && all.length > 0) {
    const index = Math.min(Math.max(0, anchor.line - first), all.length - 1);
    top = rowsBefore(counts, index) + (anchor.line < first ? 0 : Math.min(anchor.row, (counts[index] ?? 1) - 1));
    top = Math.min(top, bottom);
  }
  const next = by === Infinity ? 0 : Math.min(bottom, Math.max(0, top - by));
  if (next >= bottom) return null;
  let rest = next;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i] as number;
    if (rest < n) return { line: first + i, row: rest };
    rest -= n;
  }
  return null;
}
