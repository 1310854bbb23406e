import { Box, Text } from 'ink';
import { MIN_COLUMNS, MIN_ROWS } from '../layout.js';

/** Below the minimum size panes would overlap; say so instead, and recover on resize. */
export function TooSmall({ width, height }: { width: number; height: number }) {
  return (
    <Box width={width} height={Math.max(1, height - 1)} flexDirection="column" justifyContent="center" alignItems="center">
      <Text wrap="truncate-end">
        plasm-tui needs {MIN_COLUMNS}×{MIN_ROWS}; this terminal is {width}×{height}.
      </Text>
      <Text wrap="truncate-end" dimColor>
        Enlarge it, or press q to quit.
      </Text>
    </Box>
  );
}
