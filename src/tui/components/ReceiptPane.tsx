import { Text } from 'ink';
import { shortHash } from '../../core/hash.js';
import { useTheme } from '../hooks/use-theme.js';
import { innerHeight, innerWidth, type Size } from '../layout.js';
import type { ReceiptView } from '../runs/run-record.js';
import { sanitizeLabel } from '../../core/sanitize.js';
import { clipRows, packParts, wrapWords } from '../text-width.js';
import { Panel } from './Panel.js';

export interface ReceiptPaneProps extends Size {
  receipt: ReceiptView | null;
  /** What to say when there is no receipt (not run yet, running, nothing was signed). */
  absent: string;
}

/** `3f2a9c…07e1`: a public key is not a hash, but is compared by eye the same way. */
export function shortKey(hex: string): string {
  return hex.length > 10 ? `${hex.slice(0, 6)}…${hex.slice(-4)}` : hex;
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
  const verdict = receipt.verified ? '✓ verified' : `✗ NOT verified: ${receipt.problem}`;
  const where = receipt.savedTo !== null ? receipt.savedTo : `not saved: ${receipt.saveError ?? 'unknown error'}`;
  const parts = [`module ${shortHash(receipt.moduleHash)}`];
  if (receipt.version === '0.2') parts.push(`in ${shortHash(receipt.inputHash ?? '')}`, `out ${shortHash(receipt.stdoutHash ?? '')}`);
  parts.push(`signer ${shortKey(receipt.signer)}`);
  if (receipt.version === '0.1') parts.push('v0.1: binds no input or output');
  const headline = wrapWords(sanitizeLabel(`${verdict} · ${where}`), inner);
  const detail = packParts(parts, inner);
  // Where the receipt went matters more than its hashes when it could not be saved.
  const headRows = clipRows(headline, Math.max(1, rows - (receipt.savedTo === null ? 1 : detail.length)), inner);
  return (
    <Panel title="Receipt" width={width} height={height}>
      {headRows.map((row, i) => (
        <Text key={`h${i}`} bold={i === 0} color={theme.tone(receipt.verified && receipt.savedTo !== null ? 'good' : 'bad')} wrap="truncate-end">
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
