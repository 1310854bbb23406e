import { useEffect, useState } from 'react';

/**
 * A counter that follows a source's change notifications at most once per `intervalMs`:
 * the first change of a quiet period shows at once, a burst ends with one trailing update.
 * A module printing megabytes notifies thousands of times a second; the screen needs ~15.
 *
 * While a burst lasts, the gap between redraws grows (×1.5 a frame) up to `maxIntervalMs`: a
 * redraw costs the process milliseconds it would otherwise spend reading the job's pipes, and
 * a flood of output scrolls too fast to read at any frame rate. The first quiet period
 * brings the pace back to `intervalMs`.
 */
export function useThrottledVersion(subscribe: (listener: () => void) => () => void, intervalMs: number, maxIntervalMs = intervalMs * 6): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let last = 0;
    let lastChange = 0;
    let gap = intervalMs;
    let timer: NodeJS.Timeout | null = null;
    const fire = (): void => {
      timer = null;
      last = Date.now();
      setVersion((v) => v + 1);
    };
    const unsubscribe = subscribe(() => {
      const now = Date.now();
      const quiet = now - lastChange >= intervalMs;
      lastChange = now;
      if (quiet) gap = intervalMs;
      if (timer) return;
      const wait = gap - (now - last);
      if (!quiet) gap = Math.min(maxIntervalMs, Math.ceil(gap * 1.5));
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [subscribe, intervalMs, maxIntervalMs]);
  return version;
}
