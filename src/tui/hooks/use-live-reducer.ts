import { useCallback, useReducer, useRef } from 'react';

/**
 * useReducer whose latest state can be read synchronously, between a dispatch and the next
 * render. Key handlers need that: keys that arrive in one burst are handled in one tick, and
 * the second must see what the first did (`j` `j` `⏎` runs the job two rows down).
 */
export function useLiveReducer<S, A>(reducer: (state: S, action: A) => S, init: () => S): [S, (action: A) => void, { readonly current: S }] {
  const ref = useRef<S | null>(null);
  if (ref.current === null) ref.current = init();
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const dispatch = useCallback(
    (action: A) => {
      const next = reducer(ref.current as S, action);
      if (next === ref.current) return;
      ref.current = next;
      rerender();
    },
    [reducer],
  );
  return [ref.current, dispatch, ref as { readonly current: S }];
}
