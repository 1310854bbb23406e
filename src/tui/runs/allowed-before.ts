/**
 * What the user last allowed a manifest to have, so the grants dialog can mark what changed: the
 * set allowed in this session (values included), else the newest record the engine's grant store
 * keeps for that manifest (`<config>/allowed/*.json`: dirs and env names, no values).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JobDir } from '../../engine/index.js';
import { readBounded } from './read-bounded.js';

export interface AllowedBefore {
  dirs: JobDir[];
  /** Each env name with the value allowed, or null when the record keeps no value. */
  env: Record<string, string | null>;
  /** When (ISO time), or null for earlier in this session. */
  at: string | null;
}

/** Records read at most: the store holds one small file per allowed set. */
const MAX_RECORDS = 2000;
const MAX_RECORD_BYTES = 64 * 1024;

export function allowedOnDisk(dir: string, manifest: string): AllowedBefore | null {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json')).slice(0, MAX_RECORDS);
  } catch {
    return null;
  }
  let best: AllowedBefore | null = null;
  for (const name of names) {
    const text = readBounded(join(dir, name), MAX_RECORD_BYTES);
    if (text === null) continue;
    try {
      const record = JSON.parse(text) as { manifest?: unknown; dirs?: unknown; env?: unknown; allowed_at?: unknown };
      if (record.manifest !== manifest) continue;
      const at = typeof record.allowed_at === 'string' ? record.allowed_at : '';
      if (best && (best.at ?? '') >= at) continue;
      const dirs = Array.isArray(record.dirs) ? record.dirs.filter(isDir) : [];
      const env = Array.isArray(record.env) ? Object.fromEntries(record.env.filter((n): n is string => typeof n === 'string').map((n) => [n, null])) : {};
      best = { dirs, env, at };
    } catch {
      // not a record: skipped
    }
  }
  return best;
}

function isDir(value: unknown): value is JobDir {
  const dir = value as JobDir | null;
  return typeof dir?.host === 'string' && typeof dir.guest === 'string' && typeof dir.readonly === 'boolean';
}
