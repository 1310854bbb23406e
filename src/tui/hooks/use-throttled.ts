import { useEffect, useState } from 'react';

/**
 * A counter that follows a source's change notifications at most once per `intervalMs`:
 * the first change of a quiet period shows at once, a burst ends with one trailing update.
 * A module printing megabytes notifies thousands of times a second; the screen needs ~15.
 */
export function useThrottledVersion(subscribe: (listener: () => void) => () => void, intervalMs: number): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let last = 0;
    let timer: NodeJS.Timeout | null = null;
    const fire = (): void => {
      timer = null;
      last = Date.now();
      setVersion((v) => v + 1);
    };
    const unsubscribe = subscribe(() => {
      if (timer) return;
      const wait = intervalMs - (Date.now() - last);
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [subscribe, intervalMs]);
  return version;
}
