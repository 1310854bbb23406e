import { Box, Text } from 'ink';
import type { JobState } from '../format.js';
import { stateTone } from '../format.js';
import { useTheme } from '../hooks/use-theme.js';
import { innerHeight, innerWidth, type Size } from '../layout.js';
import { windowStart } from '../state/selection.js';
import { sanitizeLabel } from '../../core/sanitize.js';
import { fit, textWidth, truncatePath } from '../text-width.js';
import { Panel } from './Panel.js';

export interface JobRowView {
  id: string;
  /** Sanitised display name. */
  name: string;
  state: JobState;
  /** `✓ 0`, `⏱ timeout`, `● 1.2 s`, `✗ invalid`… */
  status: string;
  /** Last run's duration, or empty. */
  time: string;
}

export interface JobListProps extends Size {
  rows: readonly JobRowView[];
  /** Index into rows, -1 for none. */
  selected: number;
  /** All jobs, before filtering. */
  total: number;
  scanning: boolean;
  focused: boolean;
  filter: string;
  /** The filter field has the keyboard (it shows a cursor). */
  filtering: boolean;
}

const STATUS_WIDTH = 14;
/** `412 ms`, `0.42 ms`, `12.3 s`: formatMs never needs more. */
const TIME_WIDTH = 7;
/** Inside width from which rows show their last run's time. */
const WIDE_LIST = 28;

export function JobList({ rows, selected, total, scanning, focused, filter, filtering, width, height }: JobListProps) {
  const theme = useTheme();
  const inner = innerWidth({ width, height });
  const showFilter = filtering || filter !== '';
  const visibleRows = Math.max(0, innerHeight({ width, height }) - (showFilter ? 1 : 0));
  const start = windowStart(selected, rows.length, visibleRows);
  const shown = rows.slice(start, start + visibleRows);
  const title = rows.length === total ? `Jobs (${total})` : `Jobs (${rows.length} of ${total})`;
  const position = rows.length > visibleRows && selected >= 0 ? `${selected + 1}/${rows.length}` : '';
  // The status column is as wide as the widest status shown needs (`✓ 0` is 3 cells, not 14), and a
  // narrow list drops the times (Timing has the selected one's): names get the rest.
  const withTimes = inner >= WIDE_LIST;
  const needed = Math.max(0, ...rows.map((row) => textWidth(row.status) + (withTimes && row.time !== '' ? 1 + TIME_WIDTH : 0)));
  const statusWidth = Math.min(withTimes ? STATUS_WIDTH : needed, STATUS_WIDTH, Math.max(0, inner - 10));
  const nameWidth = Math.max(0, inner - 2 - 1 - statusWidth);
  return (
    <Panel title={title} right={position} width={width} height={height} focused={focused || filtering}>
      {showFilter ? (
        <Box height={1}>
          <Text color={theme.accent}>/ </Text>
          <Text wrap="truncate-start">{sanitizeLabel(filter)}</Text>
          {filtering ? <Text inverse> </Text> : null}
        </Box>
      ) : null}
      {shown.map((row, i) => {
        const isSelected = start + i === selected;
        const cell = row.time === '' || !withTimes ? fit(row.status, statusWidth) : `${fit(row.status, Math.max(0, statusWidth - 1 - TIME_WIDTH))} ${fit(row.time, TIME_WIDTH, 'right')}`;
        // A job with nothing to show yet lends its status column to its name.
        const room = row.status === '' ? nameWidth + 1 + statusWidth : nameWidth;
        if (room !== nameWidth) {
          return (
            <Text key={row.id} wrap="truncate-end" inverse={isSelected && focused} bold={isSelected}>
              {isSelected ? '▶ ' : '  '}
              {fit(truncatePath(row.name, room), room)}
            </Text>
          );
        }
        return (
          <Text key={row.id} wrap="truncate-end" inverse={isSelected && focused} bold={isSelected}>
            {isSelected ? '▶ ' : '  '}
            {fit(truncatePath(row.name, nameWidth), nameWidth)} <Text color={theme.tone(stateTone(row.state))}>{fit(cell, statusWidth)}</Text>
          </Text>
        );
      })}
      {rows.length === 0 ? <Text dimColor>{emptyText(scanning, total, filter)}</Text> : null}
    </Panel>
  );
}

function emptyText(scanning: boolean, total: number, filter: string): string {
  if (scanning) return 'scanning…';
  if (total > 0) return `nothing matches "${filter}"`;
  return 'no modules or manifests here yet';
}
