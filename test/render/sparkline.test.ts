import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { SPARK_NON_FINITE, sparkline } from '../../src/render/sparkline.js';

describe('sparkline', () => {
  it('draws one block per value from lowest to highest', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
  });

  it('tells 0.91 from 0.92 (no truncation to integers)', () => {
    expect(sparkline([0.91, 0.92])).toBe('▁█');
  });

  it('is empty for no values or width 0', () => {
    expect(sparkline([])).toBe('');
    expect(sparkline([1, 2, 3], 0)).toBe('');
  });

  it('draws a constant series as a flat mid line', () => {
    expect(sparkline([0.5, 0.5, 0.5])).toBe('▄▄▄');
    expect(sparkline([7])).toBe('▄');
  });

  it('marks non-finite values and scales the rest without them', () => {
    expect(sparkline([1, NaN, 8, Infinity, -Infinity])).toBe(`▁${SPARK_NON_FINITE}█${SPARK_NON_FINITE}${SPARK_NON_FINITE}`);
    expect(sparkline([NaN, NaN])).toBe('××');
  });

  it('averages each run of values when downsampling to the width', () => {
    // Runs [0 0] [0 8] [8 8]: means 0, 4, 8.
    expect(sparkline([0, 0, 0, 8, 8, 8], 3)).toBe('▁▅█');
    // A run holding a NaN shows the mark rather than hiding it in an average.
    expect(sparkline([1, 2, 3, NaN, 5, 6], 3)).toBe('▁×█');
  });

  it('does not stretch fewer values than the width', () => {
    expect(sparkline([1, 2], 10)).toBe('▁█');
  });

  it('copes with values near the limits of doubles', () => {
    expect(sparkline([-1.7e308, 1.7e308, 0])).toBe('▁█▅');
  });

  it('property: never wider than the width, one character per column', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { maxLength: 300 }), fc.integer({ min: 0, max: 120 }), (values, width) => {
        const line = sparkline(values, width);
        expect(stringWidth(line)).toBe(Math.min(values.length, width));
        expect(line).toMatch(/^[▁▂▃▄▅▆▇█×]*$/);
      }),
      { numRuns: 2000 },
    );
  });
});
