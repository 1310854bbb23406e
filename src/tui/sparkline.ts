const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * The last `width` values as bars scaled between their own min and max: run times of one job
 * differ by little, and the point is to see which runs were slower, not how far from zero.
 */
export function sparkline(values: readonly number[], width = values.length): string {
  if (width <= 0) return '';
  const shown = values.filter((v) => Number.isFinite(v)).slice(-width);
  if (shown.length === 0) return '';
  const min = Math.min(...shown);
  const range = Math.max(...shown) - min;
  // All equal: a flat line at mid height reads as "steady", where ▁ would read as "zero".
  if (range === 0) return BARS[3].repeat(shown.length);
  return shown.map((v) => BARS[Math.min(BARS.length - 1, Math.floor(((v - min) / range) * BARS.length))]).join('');
}
