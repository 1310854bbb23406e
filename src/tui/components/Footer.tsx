import { Box, Text } from 'ink';
import { footerItems, type FooterItem, type Mode } from '../keys.js';
import { useTheme } from '../hooks/use-theme.js';
import { textWidth } from '../text-width.js';

export interface FooterProps {
  mode: Mode;
  width: number;
  /** A sanitised question the keys answer, shown before them. */
  prompt?: string | null;
}

const GAP = '  ';

/** The current mode's keys from the key table; on a narrow terminal the last ones give way, but help and quit stay. */
export function Footer({ mode, width, prompt = null }: FooterProps) {
  const theme = useTheme();
  const asking = prompt === null ? '' : `${prompt}${GAP}`;
  const items = fitItems(footerItems(mode), width - 1 - textWidth(asking));
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end">
        {' '}
        {asking === '' ? null : (
          <Text bold color={theme.tone('warn')}>
            {asking}
          </Text>
        )}
        {items.map((item, i) => (
          <Text key={item.key + item.label}>
            {i > 0 ? GAP : ''}
            <Text bold color={theme.accent}>
              {item.key}
            </Text>{' '}
            {item.label}
          </Text>
        ))}
      </Text>
    </Box>
  );
}

export function fitItems(items: readonly FooterItem[], width: number): FooterItem[] {
  const kept = [...items];
  const widthOf = (list: readonly FooterItem[]) => list.reduce((sum, item, i) => sum + (i > 0 ? GAP.length : 0) + textWidth(item.key) + 1 + textWidth(item.label), 0);
  while (widthOf(kept) > width) {
    let drop = -1;
    for (let i = kept.length - 1; i >= 0; i--) {
      if (kept[i]?.label !== 'help' && kept[i]?.label !== 'quit') {
        drop = i;
        break;
      }
    }
    if (drop < 0) break;
    kept.splice(drop, 1);
  }
  return kept;
}
