import { useInput, type Key } from 'ink';
import { useCallback, useRef } from 'react';
import { actionFor, type Action, type Mode } from '../keys.js';

/** One handler per action: the type makes a key in the table without a handler a compile error. */
export type Handlers = Record<Action, () => void>;

/**
 * The only keyboard listener besides the text fields themselves: every key press is looked up
 * in the key table for the current mode, so what help says is what happens.
 *
 * Keys that arrive together (a busy machine, a held key) are delivered in one tick, before
 * React re-renders; so the mode is read through `getMode` (kept current by the caller as it
 * changes) and the handlers through a ref, never from a stale closure: `i` then `q` in one
 * burst must not quit. Keys the table does not bind go to `onUnbound` (the filter's text).
 */
export function useKeyDispatch(getMode: () => Mode, handlers: Handlers, onUnbound?: (mode: Mode, input: string, key: Key) => void): void {
  const latest = useRef({ handlers, onUnbound });
  latest.current = { handlers, onUnbound };
  const onInput = useCallback(
    (input: string, key: Key) => {
      // Ink hands over plain characters that arrived in one read as one string ("jj", "iab"):
      // each is a key press of its own, and may change the mode for the next.
      const chars = [...input];
      const plain = !key.ctrl && !key.meta && !key.return && !key.escape && !key.tab && !key.backspace && !key.delete;
      for (const char of plain && chars.length > 1 ? chars : [input]) {
        const mode = getMode();
        const action = actionFor(mode, char, key);
        if (action) latest.current.handlers[action]?.();
        else latest.current.onUnbound?.(mode, char, key);
      }
    },
    [getMode],
  );
  useInput(onInput);
}
