import { useInput } from 'ink';
import { actionFor, type Action, type Mode } from '../keys.js';

export type Handlers = Partial<Record<Action, () => void>>;

/**
 * The only keyboard listener besides the text fields themselves: every key press is looked up
 * in the key table for the current mode, so what help says is what happens.
 */
export function useKeyDispatch(mode: Mode, handlers: Handlers): void {
  useInput((input, key) => {
    const action = actionFor(mode, input, key);
    if (action) handlers[action]?.();
  });
}
