/**
 * Per-key statistics over every record of every input (`vizmeta stats`), like Kubeflow's
 * TFDV view: types seen, count, missing, NaN/Inf, min, mean, std, median, max,
 * latest and a histogram sparkline.
 *
 * Memory is bounded per key: mean and std are Welford's running values (exact); the median
 * and the histogram come from a uniform reservoir sample of RESERVOIR values per key, so they
 * are exact up to that many values and approximate beyond (the output says so). The sample uses
 * a fixed seed, so the same input always gives the same output.
 * Pure: records in, plain statistics out.
 */
import { flattenValues } from '../parsers/metadata.js';
import type { JsonValue, MetadataRecord } from '../core/types.js';
import { numberFromText } from '../core/numbers.js';

/** Values kept per key for the median and the histogram. */
export const RESERVOIR = 4096;
/** Bars in the histogram sparkline. */
export const HISTOGRAM_BINS = 10;

export type ValueType = 'number' | 'string' | 'boolean' | 'null' | 'array' | 'object';

function typeOf(value: JsonValue): ValueType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as ValueType;
}

/** A small seeded PRNG (mulberry32): reproducible sampling. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface KeyAccumulator {
  types: Set<ValueType>;
  count: number;
  nan: number;
  posInf: number;
  negInf: number;
  /** Finite numbers seen. */
  finite: number;
  min: number;
  max: number;
  mean: number;
  m2: number;
  latest: JsonValue;
  sample: number[];
}

/** Per-key statistics of one key. Plain data. */
export interface KeyStats {
  key: string;
  types: ValueType[];
  count: number;
  /** Records without the key. */
  missing: number;
  nan: number;
  posInf: number;
  negInf: number;
  /** Over finite numbers only; undefined when there were none. */
  min?: number;
  mean?: number;
  /** Sample standard deviation (n − 1); undefined below two values. */
  std?: number;
  median?: number;
  max?: number;
  latest: JsonValue;
  /** Counts of finite values in HISTOGRAM_BINS equal bins from min to max. */
  histogram: number[];
  /** The median and histogram come from a sample. */
  approximate: boolean;
}

/** Folds records into per-key statistics. Pure. */
export class StatsBuilder {
  private readonly keys = new Map<string, KeyAccumulator>();
  private records = 0;
  private readonly rand = random(0x5eed);

  constructor(private readonly only?: readonly string[]) {}

  add(record: MetadataRecord): void {
    this.records++;
    for (const [key, value] of flattenValues(record.values)) {
      if (this.only && this.only.length > 0 && !this.only.includes(key)) continue;
      this.fold(key, value);
    }
  }

  private fold(key: string, raw: JsonValue): void {
    let acc = this.keys.get(key);
    if (!acc) {
      acc = { types: new Set(), count: 0, nan: 0, posInf: 0, negInf: 0, finite: 0, min: Infinity, max: -Infinity, mean: 0, m2: 0, latest: raw, sample: [] };
      this.keys.set(key, acc);
    }
    acc.types.add(typeOf(raw));
    acc.count++;
    acc.latest = raw;
    // A numeric string ("0.3", as Transformers 5 prints) counts as its number, as in every command;
    // the types column still says it came as a string.
    const value = typeof raw === 'string' ? numberFromText(raw) : raw;
    if (typeof value !== 'number') return;
    if (Number.isNaN(value)) { acc.nan++; return; }
    if (value === Infinity) { acc.posInf++; return; }
    if (value === -Infinity) { acc.negInf++; return; }
    acc.finite++;
    if (value < acc.min) acc.min = value;
    if (value > acc.max) acc.max = value;
    const delta = value - acc.mean;
    acc.mean += delta / acc.finite;
    acc.m2 += delta * (value - acc.mean);
    // Reservoir sampling (Algorithm R): every value has the same chance to be kept.
    if (acc.sample.length < RESERVOIR) acc.sample.push(value);
    else {
      const slot = Math.floor(this.rand() * acc.finite);
      if (slot < RESERVOIR) acc.sample[slot] = value;
    }
  }

  finish(): KeyStats[] {
    return [...this.keys.entries()].map(([key, acc]): KeyStats => {
      const stats: KeyStats = {
        key, types: [...acc.types], count: acc.count, missing: this.records - acc.count,
        nan: acc.nan, posInf: acc.posInf, negInf: acc.negInf, latest: acc.latest,
        histogram: [], approximate: acc.finite > acc.sample.length,
      };
      if (acc.finite > 0) {
        stats.min = acc.min;
        stats.max = acc.max;
        stats.mean = acc.mean;
        if (acc.finite > 1) stats.std = Math.sqrt(acc.m2 / (acc.finite - 1));
        const sorted = [...acc.sample].sort((a, b) => a - b);
        const mid = sorted.length >> 1;
        stats.median = sorted.length % 2 === 1 ? sorted[mid] as number : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
        stats.histogram = histogram(sorted, acc.min, acc.max);
      }
      return stats;
    });
  }
}

function histogram(values: readonly number[], min: number, max: number): number[] {
  const bins = new Array<number>(HISTOGRAM_BINS).fill(0);
  const span = max - min;
  for (const value of values) {
    const bin = span > 0 && Number.isFinite(span) ? Math.min(HISTOGRAM_BINS - 1, Math.floor(((value - min) / span) * HISTOGRAM_BINS)) : 0;
    bins[bin] = (bins[bin] ?? 0) + 1;
  }
  return span > 0 ? bins : [values.length];
}
