/**
 * A mergeable quantile summary for `stats`' median and histogram (issue 17).
 *
 * Up to EXACT_VALUES values it keeps the values themselves, so a small key's median is exact;
 * beyond, a DDSketch (`@datadog/sketches-js`, LogCollapsingLowestDenseDDSketch) with relative
 * accuracy RELATIVE_ACCURACY: a quantile it returns is within 1% of the value at that rank. Both
 * forms depend only on the multiset of values, never on their order, so summaries of the parts of
 * a sequence merged in any order hold the same values or the same bins as one pass over it: the
 * printed median and histogram are then identical, not only close.
 *
 * The sketch keeps at most BIN_LIMIT bins per sign (a range of values of about 10^17 at 1%);
 * values further below the largest are counted in its lowest bin. Memory per key is bounded.
 *
 * sketches-js's own `merge` forgets the negative values (DataDog/sketches-js#22, open), so two
 * sketches are merged here store by store. The library is loaded on first need (bundled into the
 * CLI's files, scripts/bundle.mjs).
 */
import { requireDependency } from '../core/require-esm.js';

/** Values kept exactly per key before the sketch takes over. */
export const EXACT_VALUES = 256;
/** The sketch's relative accuracy: a quantile is within this fraction of the value at its rank. */
export const RELATIVE_ACCURACY = 0.01;
/** Bins per sign before the lowest are collapsed. */
export const BIN_LIMIT = 2048;

/** The parts of sketches-js used here. */
interface Store {
  bins: number[];
  count: number;
  minKey: number;
  maxKey: number;
  offset: number;
  add(key: number, weight?: number): void;
  merge(store: Store): void;
}
interface Sketch {
  store: Store;
  negativeStore: Store;
  zeroCount: number;
  count: number;
  min: number;
  max: number;
  sum: number;
  mapping: { value(key: number): number; minPossible: number };
  accept(value: number, weight?: number): void;
  getValueAtQuantile(quantile: number): number;
}
type SketchClass = new (config: { relativeAccuracy: number; binLimit: number }) => Sketch;

let sketchClass: SketchClass | undefined;
function newSketch(): Sketch {
  sketchClass ??= (requireDependency('@datadog/sketches-js') as { LogCollapsingLowestDenseDDSketch: SketchClass }).LogCollapsingLowestDenseDDSketch;
  return new sketchClass({ relativeAccuracy: RELATIVE_ACCURACY, binLimit: BIN_LIMIT });
}

/** One store's bins as plain data: the first key and the counts from it on. */
export type PlainBins = [firstKey: number, counts: number[]];

/**
 * The plain form, as summary files hold it: `exact` (sorted values) or the sketch's bins.
 * Counts and keys are whole numbers; values are finite.
 */
export type PlainQuantiles = { exact: number[] } | { zero: number; pos?: PlainBins; neg?: PlainBins };

function binsOf(store: Store): PlainBins | undefined {
  if (store.count === 0 || store.minKey > store.maxKey) return undefined;
  let first = store.minKey;
  let last = store.maxKey;
  const at = (key: number): number => store.bins[key - store.offset] ?? 0;
  while (first <= last && at(first) === 0) first++;
  while (last >= first && at(last) === 0) last--;
  if (first > last) return undefined;
  const counts: number[] = [];
  for (let key = first; key <= last; key++) counts.push(at(key));
  return [first, counts];
}

function addBins(store: Store, bins: PlainBins | undefined): number {
  if (bins === undefined) return 0;
  let total = 0;
  bins[1].forEach((count, i) => {
    if (count > 0) store.add(bins[0] + i, count);
    total += count;
  });
  return total;
}

/** The finite values of one key: exact while few, a DDSketch beyond. */
export class Quantiles {
  private values: number[] | undefined = [];
  private sketch: Sketch | undefined;

  /** Values counted. */
  count = 0;

  static fromPlain(plain: PlainQuantiles): Quantiles {
    const quantiles = new Quantiles();
    if ('exact' in plain) {
      quantiles.values = [...plain.exact];
      quantiles.count = plain.exact.length;
      return quantiles;
    }
    const sketch = newSketch();
    const count = addBins(sketch.store, plain.pos) + addBins(sketch.negativeStore, plain.neg) + plain.zero;
    sketch.zeroCount = plain.zero;
    sketch.count = count;
    quantiles.values = undefined;
    quantiles.sketch = sketch;
    quantiles.count = count;
    return quantiles;
  }

  /** Whether quantiles come from the sketch (approximate) rather than the values. */
  get approximate(): boolean {
    return this.sketch !== undefined;
  }

  add(value: number): void {
    this.count++;
    if (this.values !== undefined) {
      this.values.push(value);
      if (this.values.length > EXACT_VALUES) this.toSketch();
      return;
    }
    (this.sketch as Sketch).accept(value);
  }

  private toSketch(): Sketch {
    if (this.sketch !== undefined) return this.sketch;
    const sketch = newSketch();
    for (const value of this.values ?? []) sketch.accept(value);
    this.values = undefined;
    this.sketch = sketch;
    return sketch;
  }

  /** Adds another key's values. The result depends on the values only, not on the order of merging. */
  merge(other: Quantiles): void {
    if (other.count === 0) return;
    if (this.values !== undefined && other.values !== undefined && this.values.length + other.values.length <= EXACT_VALUES) {
      this.values.push(...other.values);
      this.count += other.count;
      return;
    }
    const sketch = this.toSketch();
    if (other.values !== undefined) for (const value of other.values) sketch.accept(value);
    else {
      const theirs = other.sketch as Sketch;
      // Store by store: the library's merge leaves out the negative store (DataDog/sketches-js#22).
      sketch.store.merge(theirs.store);
      sketch.negativeStore.merge(theirs.negativeStore);
      sketch.zeroCount += theirs.zeroCount;
      sketch.count += theirs.count;
    }
    this.count += other.count;
  }

  /**
   * The median: exact from the values (the mean of the two middle ones for an even count); from
   * the sketch, within RELATIVE_ACCURACY of the lower middle value, kept within [min, max].
   */
  median(min: number, max: number): number | undefined {
    if (this.count === 0) return undefined;
    if (this.values !== undefined) {
      const sorted = [...this.values].sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      return sorted.length % 2 === 1 ? sorted[mid] as number : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
    }
    return Math.min(max, Math.max(min, (this.sketch as Sketch).getValueAtQuantile(0.5)));
  }

  /**
   * Counts in `bins` equal bins from min to max. From the sketch, each bin's count goes where its
   * representative value (within 1% of every value it counts) falls.
   */
  histogram(min: number, max: number, bins: number): number[] {
    const counts = new Array<number>(bins).fill(0);
    const span = max - min;
    const place = (value: number, count: number): void => {
      const clamped = Math.min(max, Math.max(min, value));
      const bin = span > 0 && Number.isFinite(span) ? Math.min(bins - 1, Math.floor(((clamped - min) / span) * bins)) : 0;
      counts[bin] = (counts[bin] ?? 0) + count;
    };
    if (this.values !== undefined) for (const value of this.values) place(value, 1);
    else {
      const sketch = this.sketch as Sketch;
      const pos = binsOf(sketch.store);
      const neg = binsOf(sketch.negativeStore);
      pos?.[1].forEach((count, i) => { if (count > 0) place(sketch.mapping.value(pos[0] + i), count); });
      neg?.[1].forEach((count, i) => { if (count > 0) place(-sketch.mapping.value(neg[0] + i), count); });
      if (sketch.zeroCount > 0) place(0, sketch.zeroCount);
    }
    return span > 0 ? counts : [this.count];
  }

  toPlain(): PlainQuantiles {
    if (this.values !== undefined) return { exact: [...this.values].sort((a, b) => a - b) };
    const sketch = this.sketch as Sketch;
    const plain: PlainQuantiles = { zero: sketch.zeroCount };
    const pos = binsOf(sketch.store);
    const neg = binsOf(sketch.negativeStore);
    if (pos !== undefined) plain.pos = pos;
    if (neg !== undefined) plain.neg = neg;
    return plain;
  }
}
