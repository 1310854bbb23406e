import { Box, Text } from 'ink';
import TextInput from 'ink-text-input';
import { useTheme } from '../hooks/use-theme.js';
import { innerWidth, type Size } from '../layout.js';
import { sanitizeLabel } from '../sanitize.js';
import { fit, textWidth } from '../text-width.js';
import { Panel } from './Panel.js';

export interface StdinInputProps extends Size {
  /** Sanitised name of the job the text belongs to, or null when no job is selected. */
  job: string | null;
  value: string;
  editing: boolean;
  onChange: (value: string) => void;
}

export function StdinInput({ job, value, editing, onChange, width, height }: StdinInputProps) {
  const theme = useTheme();
  const inner = innerWidth({ width, height });
  const right = job === null ? '' : `for ${job}`;
  let body;
  if (editing) {
    body = <TextInput value={value} onChange={onChange} focus showCursor />;
  } else if (value === '') {
    body = <Text dimColor>{job === null ? '' : 'empty · press i to type'}</Text>;
  } else {
    // Out of the field, show the end of a long text: that is where one types next.
    const shown = sanitizeLabel(value);
    body = <Text>{textWidth(shown) > inner - 2 ? fit(`…${shown.slice(-(inner - 3))}`, inner - 2) : shown}</Text>;
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
