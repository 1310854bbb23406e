import { Text } from 'ink';
import { sha256, shortHash } from '../../core/hash.js';
import { useTheme } from '../hooks/use-theme.js';
import { innerHeight, innerWidth, type Size } from '../layout.js';
import type { ReceiptView } from '../runs/run-record.js';
import { sanitizeLabel } from '../../core/sanitize.js';
import { clipRows, packParts, textWidth, truncatePath, wrapWords } from '../text-width.js';
import { Panel } from './Panel.js';

export interface ReceiptPaneProps extends Size {
  receipt: ReceiptView | null;
  /** What to say when there is no receipt (not run yet, running, nothing was signed). */
  absent: string;
}

/** `3f2a9c…07e1`: a public key is not a hash, but is compared by eye the same way. */
export function shortKey(hex: string, head = 6, tail = 4): string {
  return hex.length > head + tail ? `${hex.slice(0, head)}…${hex.slice(-tail)}` : hex;
}

/** How much of each hash to show, longest first: the pane uses the longest that fits its rows. */
const EMPTY_HASH = sha256('');

const HASH_CUTS: readonly [number, number][] = [
  [64, 0],
  [16, 8],
  [12, 6],
  [8, 4],
  [4, 2],
];

function detailParts(receipt: ReceiptView, [head, tail]: [number, number]): string[] {
  const hash = (value: string | null): string => (head >= 64 ? (value ?? '') : shortHash(value ?? '', head, tail));
  const parts = [`module ${hash(receipt.moduleHash)}`];
  if (receipt.bindsOutput) parts.push(`in ${hash(receipt.inputHash)}`, `out ${hash(receipt.stdoutHash)}`);
  parts.push(`signer ${head >= 64 ? receipt.signer : shortKey(receipt.signer, Math.max(6, head), Math.max(4, tail))}`);
  // stderr's hash only when there was some: the hash of nothing says nothing here.
  if (receipt.bindsOutput && receipt.stderrHash !== EMPTY_HASH) parts.push(`err ${hash(receipt.stderrHash)}`);
  if (!receipt.bindsOutput) parts.push(`v${receipt.version}: binds no input or output`);
  return parts;
}

export function ReceiptPane({ receipt, absent, width, height }: ReceiptPaneProps) {
  const theme = useTheme();
  const inner = innerWidth({ width, height });
  const rows = innerHeight({ width, height });
  if (!receipt) {
    return (
      <Panel title="Receipt" width={width} height={height}>
        <Text dimColor wrap="truncate-end">
          {absent}
        </Text>
      </Panel>
    );
  }
  const replay = receipt.replay;
  const replayNote = !receipt.verified
    ? ''
    : replay?.state === 'running'
      ? ' · replaying…'
      : replay?.state === 'ok'
        ? ' · ✓ replayed'
        : replay?.state === 'failed'
          ? ` · ✗ replay: ${replay.detail}`
          : receipt.replayable
            ? ' · replayable (v)'
            : '';
  const verdict = receipt.verified ? `✓ verified${replayNote}` : `✗ NOT verified: ${receipt.problem}`;
  const failed = replay?.state === 'failed' || !receipt.verified;
  const where = receipt.savedTo !== null ? receipt.savedTo : `not saved: ${receipt.saveError ?? 'unknown error'}`;
  // Saved: one line, the path cut in its middle folders if need be (its file name is what differs).
  const headline =
    receipt.savedTo !== null && !failed
      ? [`${verdict} · ${truncatePath(sanitizeLabel(where), Math.max(1, inner - textWidth(`${verdict} · `)))}`]
      : wrapWords(sanitizeLabel(`${verdict} · ${where}`), inner);
  // Hashes as long as the pane allows: whole on a wide screen, `sha256:3f2a…c9` on a narrow one.
  const room = Math.max(1, rows - 1);
  const fits = (packed: string[]): boolean => packed.length <= room && packed.every((row) => textWidth(row) <= inner);
  const layouts = HASH_CUTS.flatMap((cut) => [' · ', '  ', ' '].map((separator) => packParts(detailParts(receipt, cut), inner, separator)));
  const detail = layouts.find(fits) ?? packParts(detailParts(receipt, [4, 2]), inner, ' ');
  // Where the receipt went matters more than its hashes when it could not be saved, and so does
  // what differed when a replay failed.
  const headRows = clipRows(headline, Math.max(1, rows - (receipt.savedTo === null || replay?.state === 'failed' ? 1 : detail.length)), inner);
  return (
    <Panel title="Receipt" width={width} height={height}>
      {headRows.map((row, i) => (
        <Text key={`h${i}`} bold={i === 0} color={theme.tone(!failed && receipt.savedTo !== null ? 'good' : 'bad')} wrap="truncate-end">
          {row}
        </Text>
      ))}
      {detail.slice(0, Math.max(0, rows - headRows.length)).map((row, i) => (
        <Text key={`d${i}`} wrap="truncate-end">
          {row}
        </Text>
      ))}
    </Panel>
  );
}
