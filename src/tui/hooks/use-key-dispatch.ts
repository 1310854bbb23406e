import { useInput, useStdin, type Key } from 'ink';
import { useCallback, useEffect, useRef } from 'react';
import { actionFor, type Action, type Mode } from '../keys.js';
import { singleKey } from '../state/single-key.js';

/** One handler per action: the type makes a key in the table without a handler a compile error. */
export type Handlers = Record<Action, () => void>;

export interface Unbound {
  /** A key the table does not bind in `mode` (text for the fields). */
  key(mode: Mode, input: string, key: Key): void;
  /** Pasted text, line breaks kept. */
  paste(mode: Mode, text: string): void;
}

const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

/**
 * The only keyboard listener: every key press is looked up in the key table for the current
 * mode, so what help says is what happens.
 *
 * Keys that arrive together (a busy machine, a held key) are delivered in one tick, before
 * React re-renders; so the mode is read through `getMode` (kept current by the caller as it
 * changes) and the handlers through a ref, never from a stale closure: `i` then `q` in one
 * burst must not quit. Keys the table does not bind go to `unbound` (the fields' text).
 *
 * A bracketed paste (`ESC[200~ … ESC[201~`, switched on by start.ts) is taken whole from Ink's
 * raw input events, before Ink's own key parsing sees it, so its line breaks survive.
 */
export function useKeyDispatch(getMode: () => Mode, handlers: Handlers, unbound?: Unbound): void {
  const latest = useRef({ handlers, unbound });
  latest.current = { handlers, unbound };
  const { internal_eventEmitter: events } = useStdin();
  const paste = useRef<{ text: string | null; swallow: boolean }>({ text: null, swallow: false });

  useEffect(() => {
    const onRaw = (data: string): void => {
      const state = paste.current;
      if (state.text === null && !data.startsWith(PASTE_START)) return;
      // Ink's key parser will see this event next: it is part of the paste, not a key.
      state.swallow = true;
      if (state.text === null) state.text = '';
      else if (data !== PASTE_END) state.text += data;
      if (data === PASTE_END) {
        const text = state.text;
        state.text = null;
        latest.current.unbound?.paste(getMode(), text);
      }
    };
    // Before Ink's own listener, whatever the order the effects ran in.
    events.prependListener('input', onRaw);
    return () => {
      events.off('input', onRaw);
    };
  }, [events, getMode]);

  const press = useCallback(
    (input: string, key: Key) => {
      const mode = getMode();
      const action = actionFor(mode, input, key);
      if (action) latest.current.handlers[action]?.();
      else latest.current.unbound?.key(mode, input, key);
    },
    [getMode],
  );
  const onInput = useCallback(
    (input: string, key: Key) => {
      if (paste.current.swallow) {
        paste.current.swallow = false;
        return;
      }
      // Esc and the next key in one read come as one "meta" key (ESC q, ESC ESC [A): two presses.
      if (key.meta && !key.escape && !key.ctrl) {
        press('', { ...key, meta: false, escape: true, upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, home: false, end: false, return: false, tab: false, backspace: false, delete: false });
        key = { ...key, meta: false };
      }
      // Ink hands over characters that arrived in one read as one string ("jj", "iab", "i" and
      // three DELs): each is a key press of its own, named as Ink names it alone, and may
      // change the mode for the next.
      const chars = [...input];
      const plain = !key.ctrl && !key.meta && !key.return && !key.escape && !key.tab && !key.backspace && !key.delete;
      if (!plain || chars.length < 2) return press(input, key);
      // A line break inside the text, not only at its end: a paste from a terminal without
      // bracketed paste. In a text field it is text; elsewhere, each character is a key.
      const inner = /[\r\n]/.test(input.replace(/[\r\n]+$/, ''));
      if (inner && getMode() !== 'normal' && latest.current.unbound) return latest.current.unbound.paste(getMode(), input);
      for (const char of chars) press(...singleKey(char));
    },
    [getMode, press],
  );
  useInput(onInput);
}
