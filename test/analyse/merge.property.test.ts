/**
 * Summaries merge (issue 17): any split of a sequence of values into parts, each summarised,
 * merged in any order, gives what one pass gives: counts, min, max (and their steps), first and
 * latest exactly; sum, mean and M2 within 1e-9 relative; stats' quantiles (exact values or
 * DDSketch bins) exactly, so the printed median and histogram are identical.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeExecutionSummaries, mergeKeySummaries } from '../../src/analyse/merge.js';
import { Moments } from '../../src/analyse/moments.js';
import { EXACT_VALUES, Quantiles, RELATIVE_ACCURACY } from '../../src/analyse/quantiles.js';
import { SummaryBuilder, type ExecutionSummary, type KeySummary } from '../../src/analyse/summary.js';
import type { JsonValue, MetadataRecord } from '../../src/core/types.js';

/** Values a log may hold: finite numbers (some equal, for ties), NaN, ±Infinity, numeric strings, others. */
const value: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }) },
  { weight: 4, arbitrary: fc.integer({ min: -5, max: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, 0, -0) },
  { weight: 1, arbitrary: fc.constantFrom('0.25', 'nan', 'text', null, true) },
);

/** A sequence (sometimes beyond EXACT_VALUES, so the sketch is used) and cut points splitting it into parts. */
const split = fc.array(value, { minLength: 1, maxLength: 2 * EXACT_VALUES + 40 }).chain((values) => fc.record({
  values: fc.constant(values),
  cuts: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, values.length - 1) }), { maxLength: 5 }).map((cuts) => cuts.filter((cut) => cut < values.length).sort((a, b) => a - b)),
  order: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
}));

function partsOf<T>(values: readonly T[], cuts: readonly number[]): T[][] {
  const bounds = [0, ...cuts, values.length];
  return bounds.slice(1).map((end, i) => values.slice(bounds[i], end));
}

/** A permutation of the parts' indexes drawn from `order`. */
function shuffled<T>(items: readonly T[], order: readonly number[]): T[] {
  const rest = [...items];
  const out: T[] = [];
  for (let i = 0; rest.length > 0; i++) out.push(rest.splice((order[i % order.length] ?? 0) % rest.length, 1)[0] as T);
  return out;
}

function close(actual: number | undefined, expected: number | undefined, scale: number): void {
  if (expected === undefined || !Number.isFinite(expected)) {
    expect(actual).toEqual(expected);
    return;
  }
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(Math.abs(expected), scale));
}

const time = (i: number): string => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();

/** The records of values `from` on, with a step, a line and a strictly increasing `_time`. */
function records(values: readonly JsonValue[], from: number): MetadataRecord[] {
  return values.map((v, i) => ({ values: { step: from + i, x: v }, time: time(from + i), source: 'run.log', line: from + i + 1 }));
}

function summarise(values: readonly JsonValue[], from: number): ExecutionSummary {
  const builder = new SummaryBuilder('run.log', { moments: true });
  for (const record of records(values, from)) builder.add(record);
  return builder.finish(from + values.length);
}

describe('Moments and Quantiles merge as one pass', () => {
  it('any split, merged in any order, equals one pass', () => {
    fc.assert(fc.property(split, ({ values, cuts, order }) => {
      const whole = new Moments();
      for (const v of values) whole.add(v);
      const parts = partsOf(values, cuts).map((part) => {
        const moments = new Moments();
        for (const v of part) moments.add(v);
        // Through the plain form, as a summary file carries them.
        return Moments.fromPlain(moments.toPlain());
      });
      const merged = new Moments();
      for (const part of shuffled(parts, order)) merged.merge(part);
      const scale = values.reduce<number>((max, v) => (typeof v === 'number' && Number.isFinite(v) ? Math.max(max, Math.abs(v)) : max), 1);
      expect([merged.finite, merged.nan, merged.posInf, merged.negInf]).toEqual([whole.finite, whole.nan, whole.posInf, whole.negInf]);
      expect(new Set(merged.types)).toEqual(new Set(whole.types));
      if (whole.finite > 0) expect([merged.min, merged.max]).toEqual([whole.min, whole.max]);
      close(merged.mean, whole.mean, scale);
      close(merged.m2, whole.m2, scale * scale * Math.max(1, whole.finite));
      expect(merged.quantiles.toPlain()).toEqual(whole.quantiles.toPlain());
      expect(merged.quantiles.median(merged.min, merged.max)).toEqual(whole.quantiles.median(whole.min, whole.max));
    }), { numRuns: 150 });
  });

  it('gives the median within the stated accuracy beyond the exact values', () => {
    // The sketch counts magnitudes below its smallest bin (about 1e-308) as 0: such values are left out here.
    const double = fc.double({ min: -1e4, max: 1e4, noNaN: true, noDefaultInfinity: true }).map((v) => (Math.abs(v) < 1e-200 ? 0 : v));
    fc.assert(fc.property(fc.array(double, { minLength: EXACT_VALUES + 1, maxLength: 1500 }), (values) => {
      const quantiles = new Quantiles();
      for (const v of values) quantiles.add(v);
      expect(quantiles.approximate).toBe(true);
      const sorted = [...values].sort((a, b) => a - b);
      // DDSketch's rank for q = 0.5: the lower middle value.
      const lowerMiddle = sorted[Math.floor(0.5 * (sorted.length - 1))] as number;
      const median = quantiles.median(sorted[0] as number, sorted[sorted.length - 1] as number) as number;
      expect(Math.abs(median - lowerMiddle)).toBeLessThanOrEqual(RELATIVE_ACCURACY * Math.abs(lowerMiddle) + 1e-300);
    }), { numRuns: 60 });
  });

  it('merges negative values too (sketches-js merge drops them: DataDog/sketches-js#22)', () => {
    const a = new Quantiles();
    const b = new Quantiles();
    for (let i = 1; i <= 400; i++) a.add(-i);
    for (let i = 1; i <= 400; i++) b.add(-i - 400);
    a.merge(b);
    expect(a.count).toBe(800);
    const median = a.median(-800, -1) as number;
    expect(Math.abs(median - -400) / 400).toBeLessThanOrEqual(RELATIVE_ACCURACY);
  });
});

describe('mergeKeySummaries', () => {
  it('any split of one execution\'s records, merged in any order, equals one pass', () => {
    fc.assert(fc.property(split, ({ values, cuts, order }) => {
      const whole = summarise(values, 0);
      let from = 0;
      const parts = partsOf(values, cuts).map((part) => {
        const summary = summarise(part, from);
        from += part.length;
        return summary;
      });
      const merged = shuffled(parts, order).reduce((a, b) => mergeExecutionSummaries(a, b));
      expect(merged.records).toBe(whole.records);
      expect(merged.firstTime).toBe(whole.firstTime);
      expect(merged.lastTime).toBe(whole.lastTime);
      expect([...merged.keys.keys()].sort()).toEqual([...whole.keys.keys()].sort());
      for (const [key, expected] of whole.keys) {
        const actual = merged.keys.get(key) as KeySummary;
        const exact = (s: KeySummary) => [s.count, s.numeric, s.nan, s.inf, s.min, s.max, s.minStep, s.maxStep, s.first, s.latest, s.latestLine, s.latestStep, s.firstTime, s.firstLine, s.firstStep, s.latestTime, s.minTime, s.maxTime];
        expect(exact(actual)).toEqual(exact(expected));
        const scale = values.reduce<number>((sum, v) => (typeof v === 'number' && Number.isFinite(v) ? sum + Math.abs(v) : sum), 1);
        close(actual.sum, expected.sum, scale);
        const m = Moments.fromPlain(actual.moments as NonNullable<KeySummary['moments']>);
        const w = Moments.fromPlain(expected.moments as NonNullable<KeySummary['moments']>);
        close(m.mean, w.mean, scale);
        close(m.std(), w.std(), scale);
        expect(actual.moments?.quantiles).toEqual(expected.moments?.quantiles);
      }
    }), { numRuns: 100 });
  });

  it('takes first and latest by _time, then input order', () => {
    const a = summarise([1, 2], 10);
    const b = summarise([3], 0);
    const ab = mergeKeySummaries(a.keys.get('x') as KeySummary, b.keys.get('x') as KeySummary);
    expect([ab.first, ab.latest]).toEqual([3, 2]);
    // Same times (logs without _time, read at once): the earlier input is first, the later latest.
    const untimed = (v: number): KeySummary => ({ ...(summarise([v], 0).keys.get('x') as KeySummary), firstTime: time(0), latestTime: time(0) });
    const tie = mergeKeySummaries(untimed(1), untimed(2));
    expect([tie.first, tie.latest]).toEqual([1, 2]);
  });
});
