import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useTheme } from '../hooks/use-theme.js';
import { textWidth, truncate } from '../text-width.js';

export interface PanelProps {
  title: string;
  /** Shown at the right end of the top border (`run #3 ≠`). */
  right?: string;
  width: number;
  height: number;
  focused?: boolean;
  children?: ReactNode;
}

/**
 * A rounded box with its title in the top border, like the sketch in PRODUCT.md. Ink has no
 * border titles, so the top edge is drawn as text and the box below it has no top border.
 */
export function Panel({ title, right = '', width, height, focused = false, children }: PanelProps) {
  const theme = useTheme();
  if (width < 4 || height < 2) return null;
  const room = width - 3; // ╭, ─╮
  const rightPart = right === '' ? '' : ` ${truncate(right, Math.max(0, room - 6))} `;
  const titlePart = ` ${truncate(title, Math.max(1, room - textWidth(rightPart) - 2))} `;
  const fill = '─'.repeat(Math.max(0, room - textWidth(titlePart) - textWidth(rightPart)));
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      <Text color={theme.border(focused)} wrap="truncate-end">
        ╭<Text bold>{titlePart}</Text>
        {fill}
        {rightPart}─╮
      </Text>
      <Box
        flexDirection="column"
        borderStyle="round"
        borderTop={false}
        borderColor={theme.border(focused)}
        paddingX={1}
        width={width}
        height={height - 1}
        overflow="hidden"
      >
        {children}
      </Box>
    </Box>
  );
}
