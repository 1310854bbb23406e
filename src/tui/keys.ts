/**
 * The one key table: dispatch, the footer and the `?` help screen are all read from it, so a
 * key can never do something its description does not say (the idea of Vitest's watch-mode
 * shortcuts). Each binding belongs to the input modes it works in; in the text fields only
 * Enter, Esc, arrows and Ctrl-C are bound, so typing never triggers a shortcut.
 */
import type { Key } from 'ink';

export type Mode = 'normal' | 'stdin' | 'filter' | 'help' | 'grants' | 'details' | 'zoom' | 'search' | 'confirm';

/** Everything a key can do; each has at least one binding and one handler in the app. */
export const ACTIONS = [
  'select-up',
  'select-down',
  'run',
  'edit-stdin',
  'edit-external',
  'rerun',
  'run-all',
  'rerun-failed',
  'open-pager',
  'toggle-watch',
  'toggle-zoom',
  'search',
  'accept-search',
  'cancel-search',
  'next-match',
  'previous-match',
  'older-run',
  'diff-runs',
  'newer-run',
  'filter',
  'accept-filter',
  'clear-filter',
  'cancel',
  'scroll-up',
  'scroll-down',
  'page-up',
  'page-down',
  'scroll-top',
  'follow',
  'leave-field',
  'help',
  'close-help',
  'help-page',
  'details',
  'replay',
  'allow-grants',
  'deny-grants',
  'confirm',
  'decline',
  'quit',
] as const;

export type Action = (typeof ACTIONS)[number];

type SpecialKey = 'upArrow' | 'downArrow' | 'return' | 'escape' | 'pageUp' | 'pageDown' | 'home' | 'end';

/** One way of pressing a binding: a typed character, or a special key; `ctrl` must match exactly. */
export interface Chord {
  input?: string;
  special?: SpecialKey;
  ctrl?: boolean;
}

export interface KeyBinding {
  /** How the key is written in help and footer. */
  key: string;
  /** The footer's one word; bindings without one are listed in help only. */
  label?: string;
  description: string;
  action: Action;
  modes: readonly Mode[];
  chords: readonly Chord[];
}

const ALL: readonly Mode[] = ['normal', 'stdin', 'filter', 'help', 'grants', 'details', 'zoom', 'search', 'confirm'];
/** The job list and the zoomed output pane share the keys that scroll and page through output. */
const OUTPUT: readonly Mode[] = ['normal', 'zoom'];

export const KEYS: readonly KeyBinding[] = [
  // In the job list: single letters are free to be shortcuts.
  { key: '↑ k', label: 'pick', description: 'previous job', action: 'select-up', modes: ['normal'], chords: [{ special: 'upArrow' }, { input: 'k' }] },
  { key: '↓ j', label: 'pick', description: 'next job', action: 'select-down', modes: ['normal'], chords: [{ special: 'downArrow' }, { input: 'j' }] },
  { key: '⏎', label: 'run', description: 'run (asks if running)', action: 'run', modes: ['normal'], chords: [{ special: 'return' }] },
  { key: 'i', label: 'stdin', description: "edit the job's stdin", action: 'edit-stdin', modes: ['normal'], chords: [{ input: 'i' }] },
  { key: 'e', description: 'edit stdin in $EDITOR', action: 'edit-external', modes: ['normal'], chords: [{ input: 'e' }] },
  { key: 'r', label: 'rerun', description: 'rerun with last input', action: 'rerun', modes: ['normal'], chords: [{ input: 'r' }] },
  { key: 'a', description: 'run all (asks first)', action: 'run-all', modes: ['normal'], chords: [{ input: 'a' }] },
  { key: 'f', description: 'rerun the failed jobs', action: 'rerun-failed', modes: ['normal'], chords: [{ input: 'f' }] },
  { key: 'o', description: 'job details', action: 'details', modes: ['normal'], chords: [{ input: 'o' }] },
  { key: '[', description: 'show an earlier run', action: 'older-run', modes: ['normal'], chords: [{ input: '[' }] },
  { key: ']', description: 'show a later run', action: 'newer-run', modes: ['normal'], chords: [{ input: ']' }] },
  { key: 'v', description: 'replay and compare', action: 'replay', modes: ['normal'], chords: [{ input: 'v' }] },
  { key: 'D', description: 'diff with previous run', action: 'diff-runs', modes: ['normal'], chords: [{ input: 'D' }] },
  { key: 'z', description: 'output full screen', action: 'toggle-zoom', modes: ['normal'], chords: [{ input: 'z' }] },
  { key: 'p', description: 'whole output in $PAGER', action: 'open-pager', modes: OUTPUT, chords: [{ input: 'p' }] },
  { key: 'w', label: 'watch', description: 'watch: rerun on change', action: 'toggle-watch', modes: ['normal'], chords: [{ input: 'w' }] },
  { key: '/', label: 'filter', description: 'filter the job list', action: 'filter', modes: ['normal'], chords: [{ input: '/' }] },
  { key: 'x', label: 'cancel', description: 'cancel the running job', action: 'cancel', modes: ['normal'], chords: [{ input: 'x' }] },
  { key: 'u PgUp', label: 'page', description: 'output up a page', action: 'page-up', modes: OUTPUT, chords: [{ special: 'pageUp' }, { input: 'u' }] },
  { key: 'd PgDn', label: 'page', description: 'output down a page', action: 'page-down', modes: OUTPUT, chords: [{ special: 'pageDown' }, { input: 'd' }] },
  { key: 'K', description: 'output up a line', action: 'scroll-up', modes: OUTPUT, chords: [{ input: 'K' }] },
  { key: 'J', description: 'output down a line', action: 'scroll-down', modes: OUTPUT, chords: [{ input: 'J' }] },
  { key: 'g Home', description: 'top of the output', action: 'scroll-top', modes: OUTPUT, chords: [{ input: 'g' }, { special: 'home' }] },
  { key: 'G End', description: 'follow the output end', action: 'follow', modes: OUTPUT, chords: [{ input: 'G' }, { special: 'end' }] },
  { key: 'esc', description: 'clear the filter', action: 'clear-filter', modes: ['normal'], chords: [{ special: 'escape' }] },
  { key: '?', label: 'help', description: 'this help', action: 'help', modes: ['normal'], chords: [{ input: '?' }] },
  { key: 'q', label: 'quit', description: 'quit', action: 'quit', modes: ['normal'], chords: [{ input: 'q' }] },
  // In the text fields every printable key is text: only special keys are bound.
  { key: '⏎', label: 'run', description: 'run, back to the list', action: 'run', modes: ['stdin'], chords: [{ special: 'return' }] },
  { key: 'esc', label: 'done', description: 'leave, text kept', action: 'leave-field', modes: ['stdin'], chords: [{ special: 'escape' }] },
  { key: '↑', label: 'pick', description: 'previous match', action: 'select-up', modes: ['filter'], chords: [{ special: 'upArrow' }] },
  { key: '↓', label: 'pick', description: 'next match', action: 'select-down', modes: ['filter'], chords: [{ special: 'downArrow' }] },
  { key: '⏎', label: 'keep', description: 'keep the filter', action: 'accept-filter', modes: ['filter'], chords: [{ special: 'return' }] },
  { key: 'esc', label: 'clear', description: 'clear the filter', action: 'clear-filter', modes: ['filter'], chords: [{ special: 'escape' }] },
  { key: 'esc ? q', label: 'close', description: 'close the help', action: 'close-help', modes: ['help'], chords: [{ special: 'escape' }, { input: '?' }, { input: 'q' }] },
  { key: 'space', description: 'next page of help', action: 'help-page', modes: ['help'], chords: [{ input: ' ' }, { special: 'pageDown' }, { special: 'downArrow' }] },
  { key: 'esc o q', label: 'close', description: 'close the details', action: 'close-help', modes: ['details'], chords: [{ special: 'escape' }, { input: 'o' }, { input: 'q' }] },
  { key: 'a', label: 'allow', description: 'allow, remember, run', action: 'allow-grants', modes: ['grants'], chords: [{ input: 'a' }] },
  { key: 'esc n', label: 'deny', description: 'deny: nothing runs', action: 'deny-grants', modes: ['grants'], chords: [{ special: 'escape' }, { input: 'n' }] },
  // A question in the footer (restart a running job? run every job?): any other key is a no.
  { key: '⏎ y', label: 'yes', description: 'yes, go ahead', action: 'confirm', modes: ['confirm'], chords: [{ special: 'return' }, { input: 'y' }] },
  { key: 'esc n', label: 'no', description: 'no; any other key too', action: 'decline', modes: ['confirm'], chords: [{ special: 'escape' }, { input: 'n' }] },
  // The zoomed output pane: scrolling as in the list, plus searching.
  { key: 'z esc q', label: 'back', description: 'back to all the panes', action: 'toggle-zoom', modes: ['zoom'], chords: [{ input: 'z' }, { special: 'escape' }, { input: 'q' }] },
  { key: '/', label: 'search', description: 'search the output', action: 'search', modes: ['zoom'], chords: [{ input: '/' }] },
  { key: 'n', label: 'next', description: 'next match', action: 'next-match', modes: ['zoom'], chords: [{ input: 'n' }] },
  { key: 'N', description: 'previous match', action: 'previous-match', modes: ['zoom'], chords: [{ input: 'N' }] },
  { key: '⏎', label: 'find', description: 'find from the view top', action: 'accept-search', modes: ['search'], chords: [{ special: 'return' }] },
  { key: 'esc', label: 'cancel', description: 'back, search unchanged', action: 'cancel-search', modes: ['search'], chords: [{ special: 'escape' }] },
  { key: 'ctrl-c', label: 'quit', description: 'quit, cancelling runs', action: 'quit', modes: ALL, chords: [{ input: 'c', ctrl: true }] },
];

function matches(chord: Chord, input: string, key: Key): boolean {
  if ((chord.ctrl ?? false) !== key.ctrl) return false;
  if (chord.special) return key[chord.special];
  return chord.input === input && !key.meta;
}

/** The action bound to a key press in `mode`, if any. */
export function actionFor(mode: Mode, input: string, key: Key): Action | undefined {
  return KEYS.find((binding) => binding.modes.includes(mode) && binding.chords.some((chord) => matches(chord, input, key)))?.action;
}

export interface FooterItem {
  key: string;
  label: string;
}

/**
 * What the footer shows in `mode`: labelled bindings in table order, one per action (so `q`
 * hides `ctrl-c` where both quit), neighbours with the same label merged (`↑` `↓` → `↑↓ pick`).
 */
export function footerItems(mode: Mode): FooterItem[] {
  const items: FooterItem[] = [];
  const actions = new Set<Action>();
  for (const binding of KEYS) {
    if (binding.label === undefined || !binding.modes.includes(mode) || actions.has(binding.action)) continue;
    actions.add(binding.action);
    const key = binding.key.split(' ')[0] ?? binding.key;
    const previous = items.at(-1);
    // `↑↓ pick`, but `u/d page`: letters run together would read as a word.
    if (previous && previous.label === binding.label) previous.key += /^[a-z]$/i.test(key) ? `/${key}` : key;
    else items.push({ key, label: binding.label });
  }
  return items;
}

/** A binding is listed once, under the first mode it works in. */
function firstIn(mode: Mode): KeyBinding[] {
  return KEYS.filter((b) => b.modes[0] === mode && b.modes.length < ALL.length);
}

/** Help lists each mode's bindings under these headings; ctrl-c, bound everywhere, under its own. */
export const HELP_SECTIONS: readonly { title: string; bindings: readonly KeyBinding[] }[] = [
  { title: 'Job list', bindings: firstIn('normal') },
  { title: 'zoomed output', bindings: firstIn('zoom') },
  { title: 'search field', bindings: firstIn('search') },
  { title: 'stdin field', bindings: firstIn('stdin') },
  { title: 'filter field', bindings: firstIn('filter') },
  { title: 'help', bindings: firstIn('help') },
  { title: 'grants dialog', bindings: firstIn('grants') },
  { title: 'job details', bindings: firstIn('details') },
  { title: 'a question', bindings: firstIn('confirm') },
  { title: 'anywhere', bindings: KEYS.filter((b) => b.modes.length === ALL.length) },
];

/** What the glyphs in the job list and panes mean; shown under the keys in help. */
export const LEGEND: readonly string[] = ['✓ ok  ✗ failed  ⏱ timeout', '⚠ limit hit  ⊘ cancelled', '● running  ≠ changed  = same', '▌ a line of stderr', '~ changed since its last run'];
