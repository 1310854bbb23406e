/** What the user is doing in the UI: pure state and reducer, no I/O. */
import type { Key } from 'ink';
import { editLine } from './line-edit.js';
import type { Mode } from '../keys.js';
import type { OutputAnchor } from './output-window.js';
import type { GrantView } from './grant-view.js';

export interface UiState {
  mode: Mode;
  /** The selected job, by id so it survives the list changing around it. */
  selectedId: string | null;
  /** Where it was, to land nearby when it disappears. */
  selectedIndex: number;
  filter: string;
  watch: boolean;
  /** Which of the selected job's runs the panes show: 0 the latest, 1 the one before… */
  back: number;
  /** What `/` in the zoomed output pane looks for (n, N find it again). */
  search: string;
  /** Where the output view is held when scrolled back; null follows new output. */
  scroll: OutputAnchor | null;
  /** Each job's stdin text, kept while the TUI runs. */
  stdin: Readonly<Record<string, string>>;
  /** Cursor in the stdin field while editing. */
  cursor: number;
  /** One line of feedback in the header ("watch off", "hello: module changed, rerunning"). */
  notice: string | null;
  /** Bumped with each notice, so the same words said again stay their full time. */
  noticeId: number;
  /** The page of help shown, when the keys take more than one. */
  helpPage: number;
  /** A run waiting for the user to allow what its manifest asks for (the grants dialog). */
  grants: GrantPrompt | null;
  /** A question the next key answers (restart a running job, run every job). */
  confirm: Confirm | null;
}

export type Confirm = { kind: 'restart'; jobId: string; stdin: string; question: string } | { kind: 'run-all'; question: string };

export interface GrantPrompt {
  jobId: string;
  stdin: string;
  /** The manifest, as shown. */
  manifest: string;
  /** The request's identity: allowing takes exactly what was on screen. */
  hash: string;
  view: GrantView;
}

export type UiAction =
  | { type: 'mode'; mode: Mode }
  | { type: 'select'; id: string | null; index: number }
  | { type: 'filter'; text: string }
  | { type: 'toggle-watch' }
  | { type: 'search'; text: string }
  | { type: 'back'; value: number }
  | { type: 'scroll-to'; anchor: OutputAnchor | null }
  | { type: 'edit-stdin'; length: number }
  | { type: 'stdin'; id: string; text: string; cursor: number }
  | { type: 'notice'; text: string | null }
  | { type: 'help-page'; page: number }
  | { type: 'ask-grants'; prompt: GrantPrompt | null }
  | { type: 'ask'; confirm: Confirm | null };

export function initialUiState(overrides: Partial<UiState> = {}): UiState {
  return { mode: 'normal', selectedId: null, selectedIndex: 0, filter: '', watch: true, back: 0, search: '', scroll: null, stdin: {}, cursor: 0, notice: null, noticeId: 0, helpPage: 0, grants: null, confirm: null, ...overrides };
}

export function uiReducer(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'mode':
      return { ...state, mode: action.mode };
    case 'select':
      if (action.id === state.selectedId && action.index === state.selectedIndex) return state;
      // A different job's output starts at its end.
      return { ...state, selectedId: action.id, selectedIndex: action.index, scroll: action.id === state.selectedId ? state.scroll : null, back: action.id === state.selectedId ? state.back : 0 };
    case 'filter':
      // A changed search starts at its first match, as fzf does (clearing it keeps the job picked).
      return action.text === '' || action.text === state.filter ? { ...state, filter: action.text } : { ...state, filter: action.text, selectedId: null, selectedIndex: 0 };
    case 'toggle-watch':
      return { ...state, watch: !state.watch, noticeId: state.noticeId + 1, notice: state.watch ? 'watch off: changed modules are not rerun' : 'watch on: changed modules rerun their jobs' };
    case 'back':
      return state.back === action.value ? state : { ...state, back: Math.max(0, action.value), scroll: null };
    case 'search':
      return { ...state, search: action.text };
    case 'scroll-to':
      return { ...state, scroll: action.anchor };
    case 'edit-stdin':
      return { ...state, mode: 'stdin', cursor: action.length };
    case 'stdin':
      return { ...state, stdin: { ...state.stdin, [action.id]: action.text }, cursor: action.cursor };
    case 'notice':
      return { ...state, notice: action.text, noticeId: state.noticeId + 1 };
    case 'help-page':
      return { ...state, helpPage: action.page };
    case 'ask-grants':
      return { ...state, grants: action.prompt, mode: action.prompt ? 'grants' : 'normal' };
    case 'ask':
      return { ...state, confirm: action.confirm, mode: action.confirm ? 'confirm' : 'normal' };
  }
}

/** The filter field is edited at its end: typing, Backspace, Ctrl-U, Ctrl-W. */
export function editFilter(filter: string, input: string, key: Key): string {
  return editLine({ text: filter, cursor: [...filter].length }, input, key).text;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
