import { Box, Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import { innerWidth, type Size } from '../layout.js';
import { sanitizeLabel } from '../../core/sanitize.js';
import { stdinDisplay } from '../state/line-edit.js';
import { Panel } from './Panel.js';

export interface StdinInputProps extends Size {
  /** Sanitised name of the job the text belongs to, or null when no job is selected. */
  job: string | null;
  value: string;
  /** Where the cursor is while editing, in characters. */
  cursor: number;
  editing: boolean;
}

/**
 * The selected job's stdin. Editing happens in the key dispatcher (state/line-edit.ts); this
 * only draws the text, with the cursor as an inverse cell, scrolled so the cursor stays in view.
 */
export function StdinInput({ job, value, cursor, editing, width, height }: StdinInputProps) {
  const theme = useTheme();
  const room = Math.max(1, innerWidth({ width, height }) - 2);
  const chars = [...sanitizeLabel(stdinDisplay(value))];
  const right = job === null ? '' : `for ${job}`;
  let body;
  if (editing) {
    const at = Math.min(Math.max(0, cursor), chars.length);
    const start = Math.max(0, at - room + 1);
    const shown = chars.slice(start, start + room);
    const offset = at - start;
    body = (
      <Text wrap="truncate-end">
        {shown.slice(0, offset).join('')}
        <Text inverse>{shown[offset] ?? ' '}</Text>
        {shown.slice(offset + 1).join('')}
      </Text>
    );
  } else if (chars.length === 0) {
    body = <Text dimColor>{job === null ? '' : 'empty · press i to type'}</Text>;
  } else {
    // Out of the field, show the end of a long text: that is where one types next.
    body = <Text wrap="truncate-end">{chars.length > room ? `…${chars.slice(-(room - 1)).join('')}` : chars.join('')}</Text>;
  }
  return (
    <Panel title="stdin" right={right} width={width} height={height} focused={editing}>
      <Box height={1} overflow="hidden">
        <Text color={theme.accent}>› </Text>
        {body}
      </Box>
    </Panel>
  );
}
