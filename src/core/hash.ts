import { createHash } from 'node:crypto';

export type Hash = `sha256:${string}`;

export const HASH_PATTERN = /^sha256:[a-f0-9]{64}$/;

/** SHA-256 of `data` in the `sha256:<hex>` form used by manifests and receipts. */
export function sha256(data: Uint8Array | string): Hash {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** `sha256:3f2a…c9` — short enough for a terminal pane, long enough to compare by eye. */
export function shortHash(hash: string, head = 4, tail = 2): string {
  const hex = hash.replace(/^sha256:/, '');
  if (hex.length <= head + tail) return hash;
  return `sha256:${hex.slice(0, head)}…${hex.slice(-tail)}`;
}
