import { Text } from 'ink';
import type { JobState, Tone } from '../format.js';
import { STATE_GLYPHS, stateTone, stateWord } from '../format.js';
import { useTheme } from '../hooks/use-theme.js';
import { innerHeight, innerWidth, type Size } from '../layout.js';
import { clipRows, wrapWords } from '../text-width.js';
import { Panel } from './Panel.js';

export interface ExitPaneProps extends Size {
  state: JobState;
  exitCode: number | null;
  /** Sanitised one-sentence explanation. */
  message: string;
  /** Which containment layers held the run ("held: bwrap rlimits paths"), warn when one was off. */
  containment?: { text: string; warn: boolean } | null;
}

export function ExitPane({ state, exitCode, message, containment = null, width, height }: ExitPaneProps) {
  const theme = useTheme();
  const inner = innerWidth({ width, height });
  const rows = innerHeight({ width, height });
  const tone: Tone = stateTone(state);
  const headline = state === 'never' ? 'not run yet' : state === 'running' ? '● running' : `${STATE_GLYPHS[state]} ${exitCode ?? '—'} · ${stateWord(state)}`;
  const messageRows = message === '' ? [] : wrapWords(message, inner);
  const shown = clipRows(messageRows, Math.max(0, rows - 1 - (containment ? 1 : 0)), inner);
  return (
    <Panel title="Exit" width={width} height={height}>
      <Text bold color={theme.tone(tone)} dimColor={tone === 'muted'} wrap="truncate-end">
        {headline}
      </Text>
      {shown.map((row, i) => (
        <Text key={i} wrap="truncate-end">
          {row}
        </Text>
      ))}
      {containment && rows >= 2 ? (
        <Text color={containment.warn ? theme.tone('warn') : theme.tone('muted')} wrap="truncate-end">
          {containment.text}
        </Text>
      ) : null}
    </Panel>
  );
}
