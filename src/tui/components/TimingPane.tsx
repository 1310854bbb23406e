import { Text } from 'ink';
import type { RunPhase } from '../../engine/index.js';
import { formatMs, formatPhaseMs } from '../format.js';
import { useTheme } from '../hooks/use-theme.js';
import { innerHeight, innerWidth, type Size } from '../layout.js';
import { sparkline } from '../sparkline.js';
import { packParts, textWidth } from '../text-width.js';
import { Panel } from './Panel.js';

export interface TimingPaneProps extends Size {
  /** Live elapsed time while a run is in flight, else null. */
  elapsedMs: number | null;
  /** The run's wall-clock limit, shown beside the elapsed time (`2.41 s / 30 s`). */
  limitMs?: number | null;
  phase: RunPhase | null;
  /** The last finished run's phases. */
  timing: { start_ms: number; compile_ms: number; run_ms: number; total_ms: number } | null;
  /** Total times of the job's recent finished runs, oldest first. */
  history: readonly number[];
  /** The last run was refused before it started: there are no phases. */
  refused?: boolean;
  /** False for a run read back from its receipt, which keeps the total only. */
  phasesKept?: boolean;
}

export function TimingPane({ elapsedMs, limitMs = null, phase, timing, history, refused = false, phasesKept = true, width, height }: TimingPaneProps) {
  const theme = useTheme();
  const inner = innerWidth({ width, height });
  const rows = innerHeight({ width, height });
  let lines: { text: string; tone?: 'busy' | 'muted' }[];
  if (elapsedMs !== null) {
    lines = [{ text: `● ${formatMs(elapsedMs)}${limitMs === null ? '' : ` / ${limitMs % 1000 === 0 ? `${limitMs / 1000} s` : formatMs(limitMs)}`}`, tone: 'busy' }, { text: phase ? `${phase}…` : '' }];
  } else if (timing && !phasesKept) {
    lines = [{ text: formatMs(timing.total_ms) }, { text: 'phases: not kept in the receipt', tone: 'muted' }];
  } else if (timing) {
    const total = formatMs(timing.total_ms);
    const spark = sparkline(history, Math.max(0, inner - textWidth(total) - 2));
    lines = [{ text: spark === '' ? total : `${total}  ${spark}` }];
    // What the phases do not cover (reading and preparing the module, signing): shown, so the parts add up.
    const other = timing.total_ms - timing.start_ms - timing.compile_ms - timing.run_ms;
    const parts = [`start ${formatPhaseMs(timing.start_ms)}`, `compile ${formatPhaseMs(timing.compile_ms)}`, `run ${formatPhaseMs(timing.run_ms)}`];
    if (other >= 0.05) parts.push(`other ${formatPhaseMs(other)}`);
    parts[parts.length - 1] += ' ms';
    // The phases on as few lines as fit: spaced out when there is room, tighter when not.
    const packed = [packParts(parts, inner), packParts(parts, inner, '  '), packParts(parts, inner, ' ')].find((p) => p.length < rows) ?? packParts(parts, inner, ' ');
    lines.push(...packed.map((text) => ({ text })));
  } else if (refused) {
    lines = [{ text: 'not started: refused', tone: 'muted' }];
  } else {
    lines = [{ text: 'not run yet', tone: 'muted' }];
  }
  return (
    <Panel title="Timing" width={width} height={height}>
      {lines.slice(0, rows).map((line, i) => (
        <Text key={i} color={line.tone ? theme.tone(line.tone) : undefined} dimColor={line.tone === 'muted'} wrap="truncate-end">
          {line.text === '' ? ' ' : line.text}
        </Text>
      ))}
    </Panel>
  );
}
