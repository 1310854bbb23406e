import type { OutputLine } from '../runs/output-log.js';
import { wrapLine } from '../text-width.js';

export interface OutputRow {
  kind: 'stdout' | 'stderr' | 'note';
  text: string;
}

export interface OutputWindow {
  rows: OutputRow[];
  /** The scroll actually applied (a request past the top stops at the top). */
  scroll: number;
  /** Whether there is more above the window. */
  more: boolean;
}

/**
 * The `height` screen rows ending `scroll` rows above the end of the output, hard-wrapped to
 * `width`. Works backwards from the end and stops as soon as it has enough, so a long log
 * costs no more to draw than a short one.
 */
export function outputWindow(lines: readonly OutputLine[], notes: readonly string[], width: number, height: number, scroll: number): OutputWindow {
  const all = notes.length === 0 ? lines : [...lines, ...notes.map((text) => ({ stream: 'note' as const, text }))];
  const needed = height + Math.max(0, scroll);
  const rows: OutputRow[] = [];
  let i = all.length - 1;
  for (; i >= 0 && rows.length < needed + 1; i--) {
    const line = all[i];
    if (!line) continue;
    const wrapped = wrapLine(line.text, width);
    for (let j = wrapped.length - 1; j >= 0; j--) rows.push({ kind: line.stream, text: wrapped[j] ?? '' });
  }
  rows.reverse();
  const applied = Math.max(0, Math.min(scroll, rows.length - height));
  const end = rows.length - applied;
  const start = Math.max(0, end - height);
  return { rows: rows.slice(start, end), scroll: applied, more: start > 0 || i >= 0 };
}

/** All rows the output wraps to: what "page up" may scroll through. */
export function outputRowCount(lines: readonly OutputLine[], notes: readonly string[], width: number): number {
  let count = notes.reduce((sum, note) => sum + wrapLine(note, width).length, 0);
  for (const line of lines) count += wrapLine(line.text, width).length;
  return count;
}
