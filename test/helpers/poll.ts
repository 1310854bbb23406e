/**
 * The one way tests wait: poll a condition until it holds or a deadline passes, then fail with
 * what was awaited. No fixed sleeps: a fast machine goes on at once, a loaded one gets time.
 */
import { ceiling } from './ceiling.js';

export async function until<T>(check: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, quietDeadlineMs = 10_000, everyMs = 10): Promise<T> {
  // What a quiet machine needs at most, scaled for this one.
  const deadlineMs = ceiling(quietDeadlineMs);
  const end = performance.now() + deadlineMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (performance.now() > end) throw new Error(`Timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
