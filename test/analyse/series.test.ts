import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketStart, downsample, elapsedClock, elapsedSeconds, Series, smooth, smoothPoints, type Point } from '../../src/analyse/series.js';

// Finite values, NaN and both infinities, the values a training log can hold.
const yValue = fc.oneof(
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 8 },
  { arbitrary: fc.constantFrom(NaN, Infinity, -Infinity), weight: 1 },
);
// A metric's values: a narrow range, where ties and values just past a bucket's extremes are common.
const metricValue = fc.oneof(
  { arbitrary: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.double({ min: 0, max: 2, noNaN: true })), weight: 8 },
  { arbitrary: fc.constantFrom(NaN, Infinity, -Infinity), weight: 1 },
);

const has = (points: readonly Point[], p: Point): boolean => points.some((q) => q.x === p.x && Object.is(q.y, p.y));

/** Lowest and highest finite point of a slice, first one on ties (the same rule as the code under test). */
function extremes(points: readonly Point[]): Point[] {
  let lo: Point | undefined;
  let hi: Point | undefined;
  for (const p of points) {
    if (!Number.isFinite(p.y)) continue;
    if (!lo || p.y < lo.y) lo = p;
    if (!hi || p.y > hi.y) hi = p;
  }
  return [lo, hi].filter((p): p is Point => p !== undefined);
}

describe('Series', () => {
  it('keeps every point while under capacity', () => {
    const s = new Series(16);
    for (let i = 0; i < 10; i++) s.push(i, i * i);
    expect(s.points()).toEqual(Array.from({ length: 10 }, (_, i) => ({ x: i, y: i * i })));
    expect(s.count).toBe(10);
  });

  it('property: below capacity it keeps every point, with the running min, max, first, latest and non-finite counts', () => {
    fc.assert(
      fc.property(fc.array(yValue, { maxLength: 60 }), (ys) => {
        const s = new Series(64);
        const pushed = ys.map((y, x) => ({ x, y }));
        for (const p of pushed) s.push(p.x, p.y);
        expect(s.points()).toEqual(pushed);
        expect(s.spans()).toEqual(pushed.map((_, i) => ({ from: i, to: i + 1 })));
        const [lo, hi] = extremes(pushed);
        expect(s.min).toEqual(lo);
        expect(s.max).toEqual(hi ?? lo);
        expect(s.first).toEqual(pushed[0]);
        expect(s.latest).toEqual(pushed[pushed.length - 1]);
        expect(s.nonFinite).toEqual({ nan: ys.filter(Number.isNaN).length, posInf: ys.filter((y) => y === Infinity).length, negInf: ys.filter((y) => y === -Infinity).length });
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a capacity too small to hold a bucket', () => {
    expect(() => new Series(4)).toThrow(RangeError);
    expect(() => new Series(20.5)).toThrow(RangeError);
  });

  it('stays within capacity after 1,000,000 pushes and keeps the true min, max, first and latest', () => {
    const s = new Series();
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let maxLength = 0;
    for (let i = 0; i < 1_000_000; i++) {
      // A decaying loss with noise, one spike down and one up somewhere in the middle.
      const y = i === 333_333 ? -5 : i === 777_777 ? 50 : Math.exp(-i / 200_000) + random() * 0.1;
      s.push(i, y);
      if (i % 4099 === 0) maxLength = Math.max(maxLength, s.points().length);
    }
    const points = s.points();
    expect(Math.max(maxLength, points.length)).toBeLessThanOrEqual(s.capacity);
    expect(points.length).toBeGreaterThan(s.capacity / 4);
    expect(s.count).toBe(1_000_000);
    expect(s.min).toEqual({ x: 333_333, y: -5 });
    expect(s.max).toEqual({ x: 777_777, y: 50 });
    expect(s.first?.x).toBe(0);
    expect(s.latest?.x).toBe(999_999);
    expect(has(points, { x: 333_333, y: -5 })).toBe(true);
    expect(has(points, { x: 777_777, y: 50 })).toBe(true);
    expect(points[0]?.x).toBe(0);
    expect(points[points.length - 1]?.x).toBe(999_999);
    // Points come back in push order.
    expect(points.every((p, i) => i === 0 || p.x > (points[i - 1] as Point).x)).toBe(true);
  });

  it('keeps a lone NaN and the infinities visible after heavy downsampling, and counts them all', () => {
    const s = new Series(64);
    for (let i = 0; i < 100_000; i++) s.push(i, i === 5_000 ? NaN : i % 30_000 === 7 ? Infinity : i === 90_000 ? -Infinity : Math.sin(i));
    const points = s.points();
    expect(points.length).toBeLessThanOrEqual(64);
    expect(points.filter((p) => Number.isNaN(p.y)).map((p) => p.x)).toEqual([5_000]);
    expect(points.filter((p) => p.y === -Infinity).map((p) => p.x)).toEqual([90_000]);
    expect(points.some((p) => p.y === Infinity)).toBe(true);
    expect(s.nonFinite).toEqual({ nan: 1, posInf: 4, negInf: 1 });
    expect(s.latest).toEqual({ x: 99_999, y: Math.sin(99_999) });
  });

  it('reports running statistics over finite values only', () => {
    const s = new Series();
    expect(s.min).toBeUndefined();
    expect(s.latest).toBeUndefined();
    s.push(1, NaN);
    expect(s.min).toBeUndefined();
    s.push(2, 0.5);
    s.push(3, Infinity);
    s.push(4, 0.25);
    s.push(5, 0.25);
    expect(s.min).toEqual({ x: 4, y: 0.25 });
    expect(s.max).toEqual({ x: 2, y: 0.5 });
    expect(s.first).toEqual({ x: 1, y: NaN });
    expect(s.latest).toEqual({ x: 5, y: 0.25 });
    expect(s.nonFinite).toEqual({ nan: 1, posInf: 1, negInf: 0 });
  });

  it('property: every kept bucket keeps its extremes and non-finite kinds; size stays within capacity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 80 }), fc.oneof(fc.array(yValue, { maxLength: 3000 }), fc.array(metricValue, { minLength: 40, maxLength: 3000, size: 'large' })), (capacity, ys) => {
        const s = new Series(capacity);
        const pushed = ys.map((y, x) => ({ x, y }));
        for (const p of pushed) s.push(p.x, p.y);
        const points = s.points();
        expect(points.length).toBeLessThanOrEqual(capacity);
        if (pushed.length === 0) return;
        expect(points[0]).toEqual(pushed[0]);
        expect(points[points.length - 1]).toEqual(pushed[pushed.length - 1]);
        for (const { from, to } of s.spans()) {
          const slice = pushed.slice(from, to);
          for (const e of extremes(slice)) expect(has(points, e)).toBe(true);
          for (const test of [Number.isNaN, (y: number) => y === Infinity, (y: number) => y === -Infinity]) {
            const first = slice.find((p) => test(p.y));
            if (first) expect(has(points, first)).toBe(true);
          }
        }
        // Spans tile the pushes exactly, in order.
        const spans = s.spans();
        expect(spans[0]?.from).toBe(0);
        expect(spans[spans.length - 1]?.to).toBe(pushed.length);
        spans.forEach((sp, i) => i > 0 && expect(sp.from).toBe(spans[i - 1]?.to));
      }),
      { numRuns: 300 },
    );
  });
});

describe('downsample', () => {
  it('returns points that already fit unchanged', () => {
    const points = [1, 2, 3].map((y, x) => ({ x, y }));
    expect(downsample(points, 2)).toEqual(points);
  });

  it('keeps each bucket min and max in order', () => {
    const points = [5, 1, 9, 3, 2, 8, 7, 0].map((y, x) => ({ x, y }));
    // Two buckets of four: [5 1 9 3] keeps 1 and 9 (plus the first point), [2 8 7 0] keeps 8 and 0.
    expect(downsample(points, 2).map((p) => p.y)).toEqual([5, 1, 9, 8, 0]);
  });

  it('rejects fewer than one bucket', () => {
    expect(() => downsample([], 0)).toThrow(RangeError);
    expect(() => downsample([], NaN)).toThrow(RangeError);
  });

  it('property: global and per-bucket extremes, non-finite values, first and last survive', () => {
    fc.assert(
      fc.property(fc.array(yValue, { maxLength: 500 }), fc.integer({ min: 1, max: 60 }), (ys, buckets) => {
        const points = ys.map((y, x) => ({ x, y }));
        const out = downsample(points, buckets);
        expect(out.length).toBeLessThanOrEqual(Math.max(points.length <= 2 * buckets ? points.length : 0, 5 * buckets + 2));
        for (const e of extremes(points)) expect(has(out, e)).toBe(true);
        if (points.length <= 2 * buckets) return;
        for (let i = 0; i < buckets; i++) {
          const slice = points.slice(bucketStart(i, points.length, buckets), bucketStart(i + 1, points.length, buckets));
          for (const e of extremes(slice)) expect(has(out, e)).toBe(true);
          const nan = slice.find((p) => Number.isNaN(p.y));
          if (nan) expect(has(out, nan)).toBe(true);
        }
        expect(out[0]).toBe(points[0]);
        expect(out[out.length - 1]).toBe(points[points.length - 1]);
        expect(out.every((p, i) => i === 0 || p.x > (out[i - 1] as Point).x)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('smooth (TensorBoard debiased EMA)', () => {
  it('matches the formula worked by hand', () => {
    // w = 0.5, ys = 1, 3, 2:
    //   last = 0.5;   debias 1 - 0.5   = 0.5   → 1
    //   last = 1.75;  debias 1 - 0.25  = 0.75  → 2.3333…
    //   last = 1.875; debias 1 - 0.125 = 0.875 → 2.142857…
    const out = smooth([1, 3, 2], 0.5);
    expect(out[0]).toBeCloseTo(1, 12);
    expect(out[1]).toBeCloseTo(7 / 3, 12);
    expect(out[2]).toBeCloseTo(15 / 7, 12);
  });

  it('passes non-finite values through without updating the average', () => {
    // w = 0.6: after 10 → last 4, debias 0.4 → 10; NaN out as is; 20 → last 2.4 + 8 = 10.4, debias 1 - 0.36 = 0.64 → 16.25
    const out = smooth([10, NaN, 20, Infinity], 0.6);
    expect(out[0]).toBeCloseTo(10, 12);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(16.25, 12);
    expect(out[3]).toBe(Infinity);
  });

  it('leaves values unchanged at weight 0 and for a constant series', () => {
    expect(smooth([3, 1, 2], 0)).toEqual([3, 1, 2]);
    expect(smooth([0.1, 0.1, 0.1], 0.99)).toEqual([0.1, 0.1, 0.1]);
    expect(smooth([], 0.6)).toEqual([]);
  });

  it('treats a non-finite weight as 0 and rejects weights outside [0, 1)', () => {
    expect(smooth([3, 1], NaN)).toEqual([3, 1]);
    expect(smooth([3, 1], Infinity)).toEqual([3, 1]);
    expect(() => smooth([1, 2], 1)).toThrow(RangeError);
    expect(() => smooth([1, 2], -0.1)).toThrow(RangeError);
  });

  it('smooths points keeping x', () => {
    expect(smoothPoints([{ x: 7, y: 1 }, { x: 9, y: 3 }], 0.5).map((p) => p.x)).toEqual([7, 9]);
  });

  it('property: agrees with a direct transcription of the TensorBoard loop', () => {
    const reference = (ys: number[], w: number): number[] => {
      let last = 0;
      let n = 0;
      return ys.map((y) => {
        if (!Number.isFinite(y)) return y;
        last = last * w + (1 - w) * y;
        n++;
        return last / (w === 1 ? 1 : 1 - w ** n);
      });
    };
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(NaN))), fc.double({ min: 0, max: 0.999, noNaN: true }), (ys, w) => {
        const constant = ys.every((y) => y === ys[0]);
        expect(smooth(ys, w)).toEqual(constant ? ys : reference(ys, w));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('elapsed time', () => {
  it('converts ISO times to seconds since the first', () => {
    expect(elapsedSeconds(['2024-05-01T10:00:00Z', '2024-05-01T10:00:01.500Z', 'garbage', '2024-05-01T10:01:05Z'])).toEqual([0, 1.5, NaN, 65]);
  });

  it('takes the first valid time as the origin when streaming', () => {
    const clock = elapsedClock();
    expect(clock('not a time')).toBeNaN();
    expect(clock('2024-05-01T10:00:10Z')).toBe(0);
    expect(clock('2024-05-01T10:00:00Z')).toBe(-10);
  });
});
