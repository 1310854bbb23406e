import { Box, Text } from 'ink';
import { HELP_SECTIONS, LEGEND } from '../keys.js';
import { useTheme } from '../hooks/use-theme.js';
import { innerHeight, innerWidth, type Size } from '../layout.js';
import { fit } from '../text-width.js';
import { Panel } from './Panel.js';

const KEY_WIDTH = 8;
const GAP = 2;

type HelpLine = { kind: 'title'; text: string } | { kind: 'key'; key: string; text: string } | { kind: 'text'; text: string } | { kind: 'blank' };

/** Every binding of the key table, by mode, then the signs: one list, flowed into as many columns as the height needs. */
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

export function HelpOverlay({ width, height }: Size) {
  const theme = useTheme();
  const inner = innerWidth({ width, height });
  const rows = Math.max(1, innerHeight({ width, height }));
  const all = helpLines();
  // Blank lines between sections only where they cost no third column.
  const lines = all.length > 2 * rows ? all.filter((line) => line.kind !== 'blank') : all;
  const count = Math.max(2, Math.ceil(lines.length / rows));
  const columnWidth = Math.max(1, Math.floor((inner - GAP * (count - 1)) / count));
  const columns = Array.from({ length: count }, (_, i) => lines.slice(i * rows, (i + 1) * rows));
  // A column does not start with a blank line.
  for (const column of columns) if (column[0]?.kind === 'blank') column.shift();
  return (
    <Panel title="Help · keys" right="esc closes" width={width} height={height} focused>
      <Box flexDirection="row" gap={GAP}>
        {columns.map((column, c) => (
          <Box key={c} flexDirection="column" width={columnWidth}>
            {column.map((line, i) =>
              line.kind === 'title' ? (
                <Text key={i} bold underline wrap="truncate-end">
                  {line.text}
                </Text>
              ) : line.kind === 'key' ? (
                <Text key={i} wrap="truncate-end">
                  <Text bold color={theme.accent}>
                    {fit(line.key, KEY_WIDTH)}
                  </Text>
                  {line.text}
                </Text>
              ) : (
                <Text key={i} wrap="truncate-end">
                  {line.kind === 'text' ? line.text : ' '}
                </Text>
              ),
            )}
          </Box>
        ))}
      </Box>
    </Panel>
  );
}
