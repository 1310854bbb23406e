import { Box, Text } from 'ink';
import type { GrantPrompt } from '../state/ui-state.js';
import { useTheme } from '../hooks/use-theme.js';
import { Panel } from './Panel.js';

export interface GrantsDialogProps {
  prompt: GrantPrompt;
  width: number;
  height: number;
}

/**
 * A manifest's dirs and env are requests: before the job runs the user sees each one resolved
 * (host folder, read-only or read-write, env names) and allows exactly that set, or not.
 */
export function GrantsDialog({ prompt, width, height }: GrantsDialogProps) {
  const theme = useTheme();
  return (
    <Panel title={`Grants · ${prompt.manifest}`} right="a allows · esc denies" width={width} height={height} focused>
      <Text wrap="wrap">{prompt.manifest} asks for:</Text>
      <Box flexDirection="column" marginY={1}>
        {prompt.lines.map((line) => (
          <Text key={line} wrap="truncate-middle" bold color={line.startsWith('read-write') ? theme.tone('warn') : undefined}>
            {'  '}
            {line}
          </Text>
        ))}
      </Box>
      <Text wrap="wrap">
        The job sees these folders and variables, and nothing else of this machine. Allowing is remembered for exactly this set;
        if the manifest later asks for anything else, you are asked again and watch mode does not rerun it.
      </Text>
    </Panel>
  );
}
