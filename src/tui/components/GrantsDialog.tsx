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
 * (host folder, read-only or read-write, env values with controls escaped), what changed since
 * they last allowed it, and any folder outside the watched one; then allows exactly that set, or not.
 */
export function GrantsDialog({ prompt, width, height }: GrantsDialogProps) {
  const theme = useTheme();
  const { view } = prompt;
  return (
    <Panel title={`Grants · ${prompt.manifest}`} right="a allows · esc denies" width={width} height={height} focused>
      <Text wrap="wrap">
        {prompt.manifest} asks for: <Text dimColor>{view.summary}</Text>
      </Text>
      <Box flexDirection="column" marginY={1}>
        {view.lines.map((line, i) => (
          <Box key={i} flexDirection="column">
            <Text wrap="wrap" bold color={line.warn ? theme.tone('warn') : undefined}>
              {line.mark} {line.text}
            </Text>
            {line.note ? (
              <Text wrap="wrap" color={line.note.startsWith('⚠') ? theme.tone('warn') : undefined} dimColor={!line.note.startsWith('⚠')}>
                {'    '}
                {line.note}
              </Text>
            ) : null}
          </Box>
        ))}
        {view.dropped.map((text, i) => (
          <Text key={`d${i}`} wrap="wrap" dimColor>
            − {text} (no longer asked for)
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
