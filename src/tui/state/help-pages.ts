/**
 * The help screen's layout: every binding of the key table and the signs, flowed into columns as
 * tall as the screen and as wide as their longest line, as many columns to a page as fit the
 * width. Nothing is cut: what does not fit one page goes on the next (space turns the page).
 */
import { HELP_SECTIONS, LEGEND } from '../keys.js';
import { textWidth } from '../text-width.js';

export type HelpLine = { kind: 'title'; text: string } | { kind: 'key'; key: string; text: string } | { kind: 'text'; text: string } | { kind: 'blank' };

export interface HelpColumn {
  lines: HelpLine[];
  /** Cells the column takes: its longest line, at most the page's width. */
  width: number;
}

/** Keys are padded to one width, the longest (`esc ? q`) and a space, so descriptions line up. */
export const KEY_WIDTH = 8;
export const HELP_GAP = 3;

/** Every binding of the key table, by mode, then the signs. */
export function helpLines(): HelpLine[] {
  const lines: HelpLine[] = [];
  for (const section of HELP_SECTIONS) {
    if (lines.length > 0) lines.push({ kind: 'blank' });
    lines.push({ kind: 'title', text: section.title });
    for (const binding of section.bindings) lines.push({ kind: 'key', key: binding.key, text: binding.description });
  }
  lines.push({ kind: 'blank' }, { kind: 'title', text: 'signs' });
  for (const line of LEGEND) lines.push({ kind: 'text', text: line });
  return lines;
}

function lineWidth(line: HelpLine): number {
  if (line.kind === 'blank') return 0;
  return line.kind === 'key' ? KEY_WIDTH + textWidth(line.text) : textWidth(line.text);
}

/** `lines` in columns of `rows`; a column never starts with a blank line, nor ends with a title. */
function flow(lines: readonly HelpLine[], rows: number, width: number): HelpColumn[] {
  const columns: HelpColumn[] = [];
  let current: HelpLine[] = [];
  const close = (): void => {
    if (current.length === 0) return;
    columns.push({ lines: current, width: Math.min(width, Math.max(...current.map(lineWidth))) });
    current = [];
  };
  for (const line of lines) {
    if (current.length === 0 && line.kind === 'blank') continue;
    if (current.length >= rows) {
      // A section title alone at the bottom of a column moves over with its first key.
      const last = current.at(-1);
      const carried = last?.kind === 'title' && current.length > 1 ? [current.pop() as HelpLine] : [];
      close();
      current = carried;
      if (line.kind === 'blank') continue;
    }
    current.push(line);
  }
  close();
  return columns;
}

/** Columns grouped into pages of `width` cells. */
function paginate(columns: readonly HelpColumn[], width: number): HelpColumn[][] {
  const pages: HelpColumn[][] = [];
  let page: HelpColumn[] = [];
  let used = 0;
  for (const column of columns) {
    const need = (page.length > 0 ? HELP_GAP : 0) + column.width;
    if (page.length > 0 && used + need > width) {
      pages.push(page);
      page = [];
      used = 0;
    }
    used += page.length > 0 ? HELP_GAP + column.width : column.width;
    page.push(column);
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

/** The pages for a help area of `width` × `rows` cells: blank lines between sections where they cost no page. */
export function helpPages(width: number, rows: number): HelpColumn[][] {
  const all = helpLines();
  const height = Math.max(1, rows);
  const spaced = paginate(flow(all, height, width), width);
  const dense = paginate(
    flow(
      all.filter((line) => line.kind !== 'blank'),
      height,
      width,
    ),
    width,
  );
  return spaced.length <= dense.length ? spaced : dense;
}
