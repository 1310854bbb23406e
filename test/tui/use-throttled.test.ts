import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pacer } from '../../src/tui/hooks/use-throttled.js';

/** Redraw times (ms on the fake clock) of a pacer fed changes every `everyMs` for `forMs`. */
function redrawsOf(everyMs: number, forMs: number): number[] {
  const times: number[] = [];
  const pace = pacer(() => times.push(Date.now()), 33);
  for (let t = 0; t < forMs; t += everyMs) {
    pace.change();
    vi.advanceTimersByTime(everyMs);
  }
  vi.advanceTimersByTime(1000);
  pace.stop();
  return times;
}

describe('the redraw pace', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('redraws a change after a quiet period at once: a task later, what caused it going on first', () => {
    const times: number[] = [];
    const pace = pacer(() => times.push(Date.now()), 33);
    vi.advanceTimersByTime(500);
    pace.change();
    expect(times).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(times).toEqual([500]);
    vi.advanceTimersByTime(500);
    pace.change();
    vi.advanceTimersByTime(0);
    expect(times).toEqual([500, 1000]);
  });

  it('redraws an urgent change at once, even inside the interval, and drops the redraw it had planned', () => {
    const times: number[] = [];
    const pace = pacer(() => times.push(Date.now()), 33);
    pace.change(); // t=0: drawn, a task later
    vi.advanceTimersByTime(5);
    pace.change(); // t=5: planned for t=33
    vi.advanceTimersByTime(5);
    pace.change(true); // t=10: a run's end, drawn now
    expect(times).toEqual([0, 10]);
    vi.advanceTimersByTime(1000);
    expect(times).toEqual([0, 10]);
    pace.stop();
  });

  it('follows output streaming slower than the frame rate change by change', () => {
    // Ten lines a second: every one is drawn when it arrives.
    expect(redrawsOf(100, 1000)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
  });

  it('backs off to the slowest pace while a flood lasts, and ends it with one redraw', () => {
    // A change every millisecond for 3 s: at most one redraw per 33 ms at first, then per 198 ms.
    const times = redrawsOf(1, 3000);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(gaps[0]).toBe(33);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(198);
    expect(gaps.slice(-5).slice(0, -1).every((gap) => gap === 198)).toBe(true);
    expect(times.length).toBeLessThan(3000 / 198 + 8);
    // The last change is drawn.
    expect(times.at(-1)).toBeGreaterThanOrEqual(2999);
  });

  it('comes back to the quick pace after a quiet period', () => {
    const times: number[] = [];
    const pace = pacer(() => times.push(Date.now()), 33);
    for (let t = 0; t < 2000; t++) {
      pace.change();
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(1000);
    const before = times.length;
    pace.change();
    vi.advanceTimersByTime(10);
    pace.change();
    vi.advanceTimersByTime(100);
    pace.stop();
    // At once, then one frame (33 ms) later: not the flood's 198 ms.
    expect(times.slice(before)).toEqual([3000, 3033]);
  });
});
