import { Box, Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import { innerHeight, innerWidth, type Size } from '../layout.js';
import { HELP_GAP, KEY_WIDTH, helpPages } from '../state/help-pages.js';
import { fit } from '../text-width.js';
import { Panel } from './Panel.js';

export interface HelpOverlayProps extends Size {
  /** Which page, when the keys take more than one (clamped). */
  page?: number;
}

/** The key table and the signs, laid out by state/help-pages.ts; the title says when there are more pages. */
export function HelpOverlay({ width, height, page = 0 }: HelpOverlayProps) {
  const theme = useTheme();
  const pages = helpPages(innerWidth({ width, height }), innerHeight({ width, height }));
  const at = Math.min(Math.max(0, page), pages.length - 1);
  const columns = pages[at] ?? [];
  const right = pages.length > 1 ? `page ${at + 1}/${pages.length} · space: ${at + 1 < pages.length ? 'more' : 'first page'} · esc closes` : 'esc closes';
  return (
    <Panel title="Help · keys" right={right} width={width} height={height} focused>
      <Box flexDirection="row" gap={HELP_GAP}>
        {columns.map((column, c) => (
          <Box key={c} flexDirection="column" width={column.width} flexShrink={0}>
            {column.lines.map((line, i) =>
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
