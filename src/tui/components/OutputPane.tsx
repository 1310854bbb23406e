import type { ReactElement } from 'react';
import { Text } from 'ink';
import type { Tone } from '../format.js';
import { useTheme } from '../hooks/use-theme.js';
import { innerHeight, innerWidth, type Size } from '../layout.js';
import type { OutputLine } from '../runs/output-log.js';
import { outputWindow, type OutputAnchor } from '../state/output-window.js';
import { highlightSpans } from '../state/highlight.js';
import { wrapWords } from '../text-width.js';
import { Panel } from './Panel.js';

export interface OutputPaneProps extends Size {
  /** Sanitised job name. */
  job: string;
  /** `run #3 ≠`, or empty before the first run. */
  runLabel: string;
  lines: readonly OutputLine[];
  /** Sanitised remarks after the output (truncation). */
  notes: readonly string[];
  /** Sanitised remarks above the output (earlier lines not kept). */
  head?: readonly string[];
  /** Where a view scrolled back is held; null follows the end. */
  scroll: OutputAnchor | null;
  /** The number of `lines[0]` in the whole output (lines before it were dropped). */
  first?: number;
  /** Shown instead of output when there is none (a hint, or why the job cannot run). */
  placeholder: string | null;
  placeholderTone?: Tone;
  /** A search term shown in reverse video wherever a row holds it (any case). */
  highlight?: string;
}

export function OutputPane({ job, runLabel, lines, notes, head = [], scroll, first = 0, placeholder, placeholderTone = 'muted', highlight = '', width, height }: OutputPaneProps) {
  const theme = useTheme();
  const inner = innerWidth({ width, height });
  const rowsHigh = innerHeight({ width, height });
  const view = outputWindow(lines, notes, inner, rowsHigh, scroll, first, head);
  const right = [runLabel, view.scroll > 0 ? `↑ ${view.scroll}` : ''].filter(Boolean).join(' · ');
  const title = job === '' ? 'Output' : `Output · ${job}`;
  if (view.rows.length === 0 && placeholder !== null) {
    const rows = placeholder.split('\n').flatMap((line) => wrapWords(line, inner)).slice(0, rowsHigh);
    return (
      <Panel title={title} right={right} width={width} height={height}>
        {rows.map((row, i) => (
          <Text key={i} color={theme.tone(placeholderTone)} dimColor={placeholderTone === 'muted'} wrap="truncate-end">
            {row}
          </Text>
        ))}
      </Panel>
    );
  }
  return (
    <Panel title={title} right={right} width={width} height={height}>
      {view.rows.map((row, i) => (
        <Text key={i} color={row.kind === 'stderr' ? theme.stderr : row.kind === 'note' ? theme.tone('warn') : undefined} wrap="truncate-end">
          {row.text === '' ? ' ' : highlight === '' || row.kind === 'note' ? row.text : marked(row.text, highlight)}
        </Text>
      ))}
    </Panel>
  );
}

/** `text` with every occurrence of `term` (any case) in reverse video. */
function marked(text: string, term: string): (string | ReactElement)[] {
  let at = 0;
  return highlightSpans(text, term).map((span) => {
    at += span.text.length;
    return span.match ? (
      <Text key={at} inverse>
        {span.text}
      </Text>
    ) : (
      span.text
    );
  });
}
