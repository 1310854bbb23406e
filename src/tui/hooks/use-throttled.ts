import { useEffect, useState } from 'react';

/**
 * Paces `redraw` after a source's change notifications (`change()`): the first change of a quiet
 * period redraws at once, then at most once per `intervalMs`, and a burst ends with one trailing
 * redraw. A module printing megabytes notifies thousands of times a second; the screen needs ~15.
 *
 * While a burst lasts (changes less than `intervalMs` apart), the gap between redraws grows
 * (×1.5 a frame) up to `maxIntervalMs`: a redraw costs the process milliseconds it would
 * otherwise spend reading the job's pipes, and a flood of output scrolls too fast to read at any
 * frame rate. The first quiet period brings the pace back to `intervalMs`.
 *
 * An urgent change (a run's first output, its end) redraws at once, whatever the pace: a rerun's
 * new output is not held back by a pace meant for streams.
 */
export function pacer(redraw: () => void, intervalMs: number, maxIntervalMs = intervalMs * 6): { change(urgent?: boolean): void; stop(): void } {
  let last = -Infinity;
  let lastChange = -Infinity;
  let gap = intervalMs;
  let timer: NodeJS.Timeout | null = null;
  const fire = (): void => {
    timer = null;
    last = Date.now();
    redraw();
  };
  return {
    change(urgent = false) {
      const now = Date.now();
      const quiet = now - lastChange >= intervalMs;
      lastChange = now;
      if (quiet) gap = intervalMs;
      if (urgent) {
        if (timer) clearTimeout(timer);
        fire();
        return;
      }
      if (timer) return;
      const wait = gap - (now - last);
      if (!quiet) gap = Math.min(maxIntervalMs, Math.ceil(gap * 1.5));
      // Even at once is a task later: what caused the change (a run starting) goes on first.
      timer = setTimeout(fire, Math.max(0, wait));
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

/** A counter that follows a source's changes at the pace above; each redraw changes it. */
export function useThrottledVersion(subscribe: (listener: (urgent?: boolean) => void) => () => void, intervalMs: number, maxIntervalMs = intervalMs * 6): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const pace = pacer(() => setVersion((v) => v + 1), intervalMs, maxIntervalMs);
    const unsubscribe = subscribe(pace.change);
    return () => {
      unsubscribe();
      pace.stop();
    };
  }, [subscribe, intervalMs, maxIntervalMs]);
  return version;
}
