import { describe, expect, it } from 'vitest';
import { EXACT_VALUES, RELATIVE_ACCURACY, StatsBuilder } from '../../src/analyse/stats.js';

const record = (values: Record<string, unknown>, line: number) => ({ values: values as never, time: '', source: 's', line });

describe('stats', () => {
  it('counts types, missing, NaN/Inf apart from min/mean/std/median/max', () => {
    const builder = new StatsBuilder();
    [{ x: 1 }, { x: 2 }, { x: 3 }, { x: Number.NaN }, { x: Number.POSITIVE_INFINITY }, { y: 'a' }, { x: 'odd' }].forEach((v, i) => builder.add(record(v, i + 1)));
    const [x, y] = builder.finish();
    expect(x).toMatchObject({ key: 'x', types: ['number', 'string'], count: 6, missing: 1, nan: 1, posInf: 1, min: 1, max: 3, mean: 2, median: 2, latest: 'odd', approximate: false });
    expect(x?.std).toBeCloseTo(1);
    expect(y).toMatchObject({ key: 'y', types: ['string'], count: 1, missing: 6, latest: 'a' });
    expect(y?.min).toBeUndefined();
  });

  it('counts a numeric string as its number, and still says the key came as strings', () => {
    const builder = new StatsBuilder();
    ['0.3', '0.5', 'nan', 'text'].forEach((loss, i) => builder.add(record({ loss }, i + 1)));
    const [loss] = builder.finish();
    expect(loss).toMatchObject({ key: 'loss', types: ['string'], count: 4, nan: 1, min: 0.3, max: 0.5, mean: 0.4, latest: 'text' });
  });

  it('keeps memory bounded on huge inputs: the median comes from the sketch within its accuracy, mean and std exact', () => {
    const builder = new StatsBuilder(['v']);
    const n = 100_000;
    for (let i = 0; i < n; i++) builder.add(record({ v: i % 1000, other: i }, i + 1));
    const [v] = builder.finish();
    expect(v?.approximate).toBe(n > EXACT_VALUES);
    expect(v?.mean).toBeCloseTo(499.5, 6);
    // The lower middle value is 499: the sketch's median is within 1% of it.
    expect(Math.abs((v?.median ?? 0) - 499) / 499).toBeLessThanOrEqual(RELATIVE_ACCURACY);
    // Every value lands in the histogram, each bin within the sketch's accuracy of its own.
    expect(v?.histogram.reduce((a, b) => a + b, 0)).toBe(n);
    expect(builder.finish()).toHaveLength(1);
  });
});
