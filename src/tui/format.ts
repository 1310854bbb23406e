import type { Status } from '../core/status.js';

/** `0.42 ms`, `4.1 ms`, `412 ms`, `1.23 s`, `12.3 s`, `2 m 05 s`: three significant figures at most. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const minutes = Math.floor(s / 60);
  return `${minutes} m ${String(Math.floor(s - minutes * 60)).padStart(2, '0')} s`;
}

/** Phase durations in ms without the unit, for a compact `start 91 · compile 2.7 · run 3.1 ms` line. */
export function formatPhaseMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  return ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** What a job's row shows before its first run, while running, or for a job that cannot run. */
export type JobState = Status | 'running' | 'never' | 'broken';

/** One glyph per outcome; each also has a word, so nothing depends on colour alone. */
export const STATE_GLYPHS: Readonly<Record<JobState, string>> = {
  ok: '✓',
  exit: '✗',
  bad_exit: '✗',
  raised: '✗',
  trap: '✗',
  timeout: '⏱',
  fuel_exhausted: '⚠',
  unmeterable: '⚠',
  memory_limit: '⚠',
  output_limit: '⚠',
  invalid: '✗',
  killed: '✗',
  cancelled: '⊘',
  error: '✗',
  running: '●',
  never: '·',
  broken: '✗',
};

const WORDS: Partial<Record<JobState, string>> = {
  bad_exit: 'bad exit',
  fuel_exhausted: 'out of fuel',
  unmeterable: 'cannot meter',
  memory_limit: 'memory limit',
  output_limit: 'output limit',
  broken: 'invalid',
  never: '',
};

export function stateWord(state: JobState): string {
  return WORDS[state] ?? state;
}

/**
 * Why a run ended, in one line for the end of its output (the pane, zoom and the saved text the
 * pager opens): `✗ trap: The module trapped: unreachable …`, never cut where it is shown.
 */
export function endLine(status: Status, message: string): string {
  return `${STATE_GLYPHS[status]} ${stateWord(status)}: ${message}`;
}

export type Tone = 'good' | 'bad' | 'warn' | 'busy' | 'muted';

export function stateTone(state: JobState): Tone {
  switch (state) {
    case 'ok':
      return 'good';
    case 'running':
      return 'busy';
    case 'timeout':
    case 'fuel_exhausted':
    case 'unmeterable':
    case 'memory_limit':
    case 'output_limit':
    case 'cancelled':
      return 'warn';
    case 'never':
      return 'muted';
    default:
      return 'bad';
  }
}

/** `≠` when a run's output differs from the run before, `=` when identical, nothing for a first run. */
export function changeMark(changed: boolean | null): string {
  if (changed === null) return '';
  return changed ? '≠' : '=';
}

/**
 * stderr is marked by more than colour (NO_COLOR, colour-blind users, a copy of the screen, the
 * saved full output): each of its rows starts with this gutter.
 */
export const STDERR_MARK = '▌ ';
