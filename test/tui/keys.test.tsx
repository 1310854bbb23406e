import type { Key } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Footer, fitItems } from '../../src/tui/components/Footer.js';
import { HelpOverlay } from '../../src/tui/components/HelpOverlay.js';
import { ACTIONS, KEYS, actionFor, footerItems, type Mode } from '../../src/tui/keys.js';

const MODES: Mode[] = ['normal', 'stdin', 'filter', 'help'];
const NO_KEY: Key = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false };
const press = (input: string, key: Partial<Key> = {}) => ({ input, key: { ...NO_KEY, ...key } });

describe('the key table', () => {
  it('binds every action somewhere', () => {
    for (const action of ACTIONS) expect(KEYS.some((binding) => binding.action === action), action).toBe(true);
  });

  it('dispatches the documented keys', () => {
    const cases: [Mode, ReturnType<typeof press>, string | undefined][] = [
      ['normal', press('j'), 'select-down'],
      ['normal', press('', { downArrow: true }), 'select-down'],
      ['normal', press('k'), 'select-up'],
      ['normal', press('\r', { return: true }), 'run'],
      ['normal', press('i'), 'edit-stdin'],
      ['normal', press('r'), 'rerun'],
      ['normal', press('w'), 'toggle-watch'],
      ['normal', press('/'), 'filter'],
      ['normal', press('x'), 'cancel'],
      ['normal', press('?'), 'help'],
      ['normal', press('q'), 'quit'],
      ['normal', press('', { pageUp: true }), 'page-up'],
      ['normal', press('J'), 'scroll-down'],
      ['normal', press('c'), undefined],
      ['normal', press('j', { ctrl: true }), undefined],
      ['stdin', press('\r', { return: true }), 'run'],
      ['stdin', press('', { escape: true }), 'leave-field'],
      ['filter', press('', { escape: true }), 'clear-filter'],
      ['filter', press('\r', { return: true }), 'accept-filter'],
      ['filter', press('', { upArrow: true }), 'select-up'],
      ['help', press('q'), 'close-help'],
      ['help', press('', { escape: true }), 'close-help'],
    ];
    for (const [mode, { input, key }, action] of cases) expect(actionFor(mode, input, key), `${mode} ${JSON.stringify(input)}`).toBe(action);
  });

  it('quits on Ctrl-C in every mode', () => {
    for (const mode of MODES) expect(actionFor(mode, 'c', { ...NO_KEY, ctrl: true })).toBe('quit');
  });

  it('leaves every printable character to the text fields', () => {
    for (const mode of ['stdin', 'filter'] as const) {
      for (let code = 0x20; code < 0x7f; code++) {
        const input = String.fromCharCode(code);
        expect(actionFor(mode, input, NO_KEY), `${mode} ${input}`).toBeUndefined();
      }
    }
  });

  it('never binds one key press to two actions in a mode', () => {
    for (const mode of MODES) {
      const seen = new Map<string, string>();
      for (const binding of KEYS.filter((b) => b.modes.includes(mode))) {
        for (const chord of binding.chords) {
          const id = JSON.stringify(chord);
          expect(seen.get(id), `${mode}: ${id} is bound to ${seen.get(id)} and ${binding.action}`).toBeUndefined();
          seen.set(id, binding.action);
        }
      }
    }
  });
});

describe('footer', () => {
  const text = (mode: Mode) => footerItems(mode).map((item) => `${item.key} ${item.label}`).join('  ');

  it('shows each mode its own keys, from the table', () => {
    expect(text('normal')).toBe('↑↓ pick  ⏎ run  i stdin  r rerun  w watch  / filter  x cancel  u/d page  ? help  q quit');
    expect(text('stdin')).toBe('⏎ run  esc done  ctrl-c quit');
    expect(text('filter')).toBe('↑↓ pick  ⏎ keep  esc clear  ctrl-c quit');
    expect(text('help')).toBe('esc close  ctrl-c quit');
  });

  it('drops keys from the end on a narrow terminal but keeps help and quit', () => {
    const kept = fitItems(footerItems('normal'), 40).map((item) => item.label);
    expect(kept).toContain('help');
    expect(kept).toContain('quit');
    expect(kept[0]).toBe('pick');
    expect(kept.length).toBeLessThan(footerItems('normal').length);
    const { lastFrame } = render(<Footer mode="normal" width={60} />);
    expect(lastFrame()?.length).toBeLessThanOrEqual(60);
    expect(lastFrame()).toContain('q quit');
  });
});

describe('help overlay', () => {
  it('lists every binding of the table with its description', () => {
    const { lastFrame } = render(<HelpOverlay width={100} height={28} />);
    const frame = lastFrame() ?? '';
    for (const binding of KEYS) expect(frame, binding.description).toContain(binding.description);
    expect(frame).toContain('Help · keys');
  });

  it('shows every binding of an 80×24 screen whole, on as many pages as it takes', () => {
    const frames = [0, 1, 2, 3].map((page) => render(<HelpOverlay width={80} height={21} page={page} />).lastFrame() ?? '');
    for (const frame of frames) expect(frame.split('\n')).toHaveLength(21);
    for (const binding of KEYS) expect(frames.join('\n'), binding.key).toContain(`${binding.key.padEnd(8)}${binding.description}`);
  });
});
