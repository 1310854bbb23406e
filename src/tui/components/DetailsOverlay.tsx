import { Text } from 'ink';
import { Panel } from './Panel.js';

export interface DetailsOverlayProps {
  /** Sanitised. */
  title: string;
  /** Sanitised lines (state/views.ts detailsView). */
  lines: readonly string[];
  width: number;
  height: number;
}

/** A job's path, args, env names, granted dirs and limits, over the panes. */
export function DetailsOverlay({ title, lines, width, height }: DetailsOverlayProps) {
  return (
    <Panel title={title} right="esc closes" width={width} height={height} focused>
      {lines.map((line, i) => (
        <Text key={i} wrap="wrap">
          {line}
        </Text>
      ))}
    </Panel>
  );
}
