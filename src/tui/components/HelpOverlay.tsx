import { Box, Text } from 'ink';
import { HELP_SECTIONS, LEGEND } from '../keys.js';
import { useTheme } from '../hooks/use-theme.js';
import { innerWidth, type Size } from '../layout.js';
import { fit } from '../text-width.js';
import { Panel } from './Panel.js';

const KEY_WIDTH = 9;

/** Every binding of the key table, by mode, in two columns: the job list, then the rest. */
export function HelpOverlay({ width, height }: Size) {
  const theme = useTheme();
  const inner = innerWidth({ width, height });
  const columnWidth = Math.floor((inner - 2) / 2);
  const [first, ...rest] = HELP_SECTIONS;
  const column = (sections: typeof HELP_SECTIONS, legend = false) => (
    <Box flexDirection="column" width={columnWidth}>
      {sections.map((section, s) => (
        <Box key={section.title} flexDirection="column" marginTop={s > 0 ? 1 : 0}>
          <Text bold underline wrap="truncate-end">
            {section.title}
          </Text>
          {section.bindings.map((binding) => (
            <Text key={binding.key + binding.action} wrap="truncate-end">
              <Text bold color={theme.accent}>
                {fit(binding.key, KEY_WIDTH)}
              </Text>
              {binding.description}
            </Text>
          ))}
        </Box>
      ))}
      {legend ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold underline>
            signs
          </Text>
          {LEGEND.map((line) => (
            <Text key={line} wrap="truncate-end">
              {line}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
  return (
    <Panel title="Help · keys" right="esc closes" width={width} height={height} focused>
      <Box flexDirection="row" gap={2}>
        {column(first ? [first] : [])}
        {column(rest, true)}
      </Box>
    </Panel>
  );
}
