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
  const busy = running > 0 ? ` · ${running} running` : '';
  const message = error ?? notice ?? '';
  // A message says what just happened: a long folder path gives way to it (its end is kept).
  const fixed = textWidth(' plasm-tui ·  · ') + textWidth(watchText) + textWidth(busy);
  const dirRoom = Math.max(12, width - fixed - (message === '' ? 0 : textWidth(message) + 2));
  const left = ` plasm-tui · ${textWidth(dir) > dirRoom ? `…${[...dir].slice(-(dirRoom - 1)).join('')}` : dir} · `;
  const used = textWidth(left) + textWidth(watchText) + textWidth(busy);
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
