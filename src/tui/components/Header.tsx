import { Box, Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import { fit, textWidth, truncate } from '../text-width.js';

export interface HeaderProps {
  width: number;
  /** Sanitised folder name as the user gave it. */
  dir: string;
  watch: boolean;
  running: number;
  /** Sanitised one-line feedback; errors win over notices. */
  notice: string | null;
  error: string | null;
}

export function Header({ width, dir, watch, running, notice, error }: HeaderProps) {
  const theme = useTheme();
  const watchText = watch ? 'watch ●' : 'watch ○';
  const left = ` plasm-tui · ${dir} · `;
  const busy = running > 0 ? ` · ${running} running` : '';
  const used = textWidth(left) + textWidth(watchText) + textWidth(busy);
  const message = error ?? notice ?? '';
  const rightWidth = Math.max(0, width - used);
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end">
        <Text bold>{truncate(left, Math.max(0, width - 10))}</Text>
        <Text color={watch ? theme.tone('good') : theme.tone('muted')}>{watchText}</Text>
        <Text color={theme.tone('busy')}>{busy}</Text>
        {message === '' || rightWidth < 8 ? null : (
          <Text color={error ? theme.tone('bad') : theme.tone('muted')}>{fit(`${truncate(message, rightWidth - 2)} `, rightWidth, 'right')}</Text>
        )}
      </Text>
    </Box>
  );
}
