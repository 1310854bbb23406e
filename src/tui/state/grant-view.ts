/**
 * What the grants dialog shows: each dir and env variable a manifest asks for, resolved, values
 * included (controls and bidi characters escaped so nothing hides), marked new (+) or changed (~)
 * since the user last allowed this manifest, and warned about when a dir is outside the watched
 * folder. Pure: what was allowed before and where the folder really is are given.
 */
import { isAbsolute, relative } from 'node:path';
import { sanitizeLabel, toSafeJson } from '../../core/sanitize.js';
import type { GrantRequest, JobDir } from '../../engine/index.js';
import type { AllowedBefore } from '../runs/allowed-before.js';

export type GrantMark = '+' | '~' | ' ';

export interface GrantLine {
  mark: GrantMark;
  text: string;
  /** Read-write, or outside the watched folder: shown in the warning colour. */
  warn: boolean;
  /** A second line under it: what it was, or why it is worth a look. */
  note: string | null;
}

export interface GrantView {
  lines: GrantLine[];
  /** What was allowed before and is no longer asked for. */
  dropped: string[];
  /** One sentence on how this request compares with the last one allowed. */
  summary: string;
}

const dirText = (dir: JobDir): string => `${dir.readonly ? 'read-only ' : 'read-write'} ${sanitizeLabel(dir.host)}  (as ${sanitizeLabel(dir.guest)})`;
const envText = (name: string, value: string | null): string => `env        ${sanitizeLabel(name)}${value === null ? '' : `=${toSafeJson(value)}`}`;

/** Whether `host` (a real path) lies outside `realRoot` (the watched folder's real path), by path components. */
export function outside(host: string, realRoot: string): boolean {
  const rel = relative(realRoot, host);
  return rel === '..' || rel.startsWith('../') || isAbsolute(rel);
}

export function grantView(request: GrantRequest, realRoot: string, before: AllowedBefore | null, refused: string[] = []): GrantView {
  const lines: GrantLine[] = [];
  for (const dir of request.dirs) {
    const old = before?.dirs.find((d) => d.guest === dir.guest);
    const mark: GrantMark = !before ? ' ' : !old ? '+' : old.host === dir.host && old.readonly === dir.readonly ? ' ' : '~';
    const away = outside(dir.host, realRoot);
    const notes = [away ? '⚠ outside the watched folder' : '', mark === '~' && old ? `was ${dirText(old)}` : ''].filter(Boolean);
    lines.push({ mark, text: dirText(dir), warn: !dir.readonly || away, note: notes.length > 0 ? notes.join(' · ') : null });
  }
  let unknownValues = false;
  for (const [name, value] of Object.entries(request.env)) {
    const known = before ? Object.hasOwn(before.env, name) : false;
    const old = known ? before?.env[name] : undefined;
    if (known && old === null) unknownValues = true;
    const mark: GrantMark = !before ? ' ' : !known ? '+' : old === null || old === value ? ' ' : '~';
    lines.push({ mark, text: envText(name, value), warn: false, note: mark === '~' && typeof old === 'string' ? `was ${toSafeJson(old)}` : null });
  }
  for (const problem of refused) lines.push({ mark: ' ', text: sanitizeLabel(problem), warn: true, note: null });
  const dropped = before
    ? [
        ...before.dirs.filter((d) => !request.dirs.some((now) => now.guest === d.guest)).map(dirText),
        ...Object.keys(before.env)
          .filter((name) => !Object.hasOwn(request.env, name))
          .map((name) => envText(name, null)),
      ]
    : [];
  const changed = lines.some((line) => line.mark !== ' ') || dropped.length > 0;
  const when = before?.at ? ` (${before.at.slice(0, 16).replace('T', ' ')})` : before ? ' (earlier in this session)' : '';
  const summary = !before
    ? 'Nothing from this manifest was allowed before.'
    : changed
      ? `Changed since you last allowed it${when}: + new, ~ changed.`
      : unknownValues
        ? `The same dirs and env names as you last allowed${when}; an env value differs (values are not kept on disk).`
        : `The same as you last allowed${when}.`;
  return { lines, dropped, summary };
}
