/**
 * What `stats` keeps of one key, as a value that merges: the types seen, NaN and ±Infinity
 * counts, and over the finite numbers their count, min, max, mean and M2 (Welford's running sum of
 * squared deviations; std = sqrt(M2 / (n − 1))) and a Quantiles summary for the median and the
 * histogram. Two Moments merge with Chan et al.'s parallel formula:
 *
 *   n = na + nb,  δ = mean_b − mean_a,  mean = mean_a + δ·nb/n,  M2 = M2_a + M2_b + δ²·na·nb/n
 *
 * exact for the counts, min and max, and equal to a single pass up to float rounding for mean and
 * M2. Pure; `toPlain` is what summary files hold and worker threads post.
 */
import type { JsonValue } from '../core/types.js';
import { numberFromText } from '../core/numbers.js';
import { Quantiles, type PlainQuantiles } from './quantiles.js';

export type ValueType = 'number' | 'string' | 'boolean' | 'null' | 'array' | 'object';

export function typeOf(value: JsonValue): ValueType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as ValueType;
}

/** Moments as plain data (summary files, worker messages). */
export interface PlainMoments {
  /** Types seen, in first-seen order. */
  types: ValueType[];
  nan: number;
  posInf: number;
  negInf: number;
  /** Finite numbers seen. */
  finite: number;
  /** Over finite numbers; absent when there were none. */
  min?: number;
  max?: number;
  mean: number;
  m2: number;
  quantiles: PlainQuantiles;
}

export class Moments {
  types: ValueType[] = [];
  nan = 0;
  posInf = 0;
  negInf = 0;
  finite = 0;
  min = Infinity;
  max = -Infinity;
  mean = 0;
  m2 = 0;
  quantiles = new Quantiles();

  static fromPlain(plain: PlainMoments): Moments {
    const moments = new Moments();
    moments.types = [...plain.types];
    moments.nan = plain.nan;
    moments.posInf = plain.posInf;
    moments.negInf = plain.negInf;
    moments.finite = plain.finite;
    if (plain.min !== undefined) moments.min = plain.min;
    if (plain.max !== undefined) moments.max = plain.max;
    moments.mean = plain.mean;
    moments.m2 = plain.m2;
    moments.quantiles = Quantiles.fromPlain(plain.quantiles);
    return moments;
  }

  /** Folds one value as a record held it; a numeric string ("0.3") counts as its number. */
  add(raw: JsonValue): void {
    const type = typeOf(raw);
    if (!this.types.includes(type)) this.types.push(type);
    const value = typeof raw === 'string' ? numberFromText(raw) : raw;
    if (typeof value === 'number') this.addNumber(value);
  }

  /** Folds a number (the value's type already noted). */
  addNumber(value: number): void {
    if (Number.isNaN(value)) { this.nan++; return; }
    if (value === Infinity) { this.posInf++; return; }
    if (value === -Infinity) { this.negInf++; return; }
    // -0 is 0 here: which of the two a min or median shows must not depend on the order of merging.
    if (value === 0) value = 0;
    this.finite++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    const delta = value - this.mean;
    this.mean += delta / this.finite;
    this.m2 += delta * (value - this.mean);
    this.quantiles.add(value);
  }

  /** Adds another part's moments of the same key (Chan et al.). */
  merge(other: Moments): void {
    for (const type of other.types) if (!this.types.includes(type)) this.types.push(type);
    this.nan += other.nan;
    this.posInf += other.posInf;
    this.negInf += other.negInf;
    if (other.finite > 0) {
      if (this.finite === 0) {
        this.mean = other.mean;
        this.m2 = other.m2;
      } else {
        const n = this.finite + other.finite;
        const delta = other.mean - this.mean;
        this.mean += (delta * other.finite) / n;
        this.m2 += other.m2 + (delta * delta * this.finite * other.finite) / n;
      }
      this.finite += other.finite;
      if (other.min < this.min) this.min = other.min;
      if (other.max > this.max) this.max = other.max;
    }
    this.quantiles.merge(other.quantiles);
  }

  /** Sample standard deviation (n − 1); undefined below two values. */
  std(): number | undefined {
    return this.finite > 1 ? Math.sqrt(this.m2 / (this.finite - 1)) : undefined;
  }

  toPlain(): PlainMoments {
    const plain: PlainMoments = {
      types: [...this.types], nan: this.nan, posInf: this.posInf, negInf: this.negInf, finite: this.finite,
      mean: this.mean, m2: this.m2, quantiles: this.quantiles.toPlain(),
    };
    if (this.finite > 0) {
      plain.min = this.min;
      plain.max = this.max;
    }
    return plain;
  }
}
