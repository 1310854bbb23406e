import { describe, expect, it } from 'vitest';
import { sparkline } from '../../src/tui/sparkline.js';

describe('sparkline', () => {
  it('is empty without values', () => {
    expect(sparkline([])).toBe('');
  });

  it('scales between the smallest and the largest value', () => {
    expect(sparkline([1, 8])).toBe('▁█');
    expect(sparkline([10, 20, 30, 40, 50, 60, 70, 80])).toBe('▁▂▃▄▅▆▇█');
  });

  it('draws equal values as a steady mid-height line', () => {
    expect(sparkline([5, 5, 5])).toBe('▄▄▄');
  });

  it('keeps only the most recent values that fit the width', () => {
    expect(sparkline([100, 1, 2], 2)).toBe('▁█');
    expect(sparkline([1, 2, 3], 0)).toBe('');
  });

  it('ignores values that are not numbers', () => {
    expect(sparkline([1, Number.NaN, 2])).toBe('▁█');
  });
});
