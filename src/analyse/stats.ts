/**
 * Per-key statistics over every record of every input (`vizmeta stats`), like Kubeflow's
 * TFDV view: types seen, count, missing, NaN/Inf, min, mean, std, median, max,
 * latest and a histogram sparkline.
 *
 * Memory is bounded per key, and the statistics merge (issue 17): mean and std are Welford's
 * running values, merged with Chan et al.'s formula (analyse/moments.ts); the median and the
 * histogram come from the values themselves up to EXACT_VALUES per key (exact), and from a
 * DDSketch with RELATIVE_ACCURACY beyond (analyse/quantiles.ts). Either depends only on the values,
 * not on their order, so statistics of summary files (`vizmeta summarize`) merged in any order
 * equal those of one pass over the logs.
 * Pure: records (or execution summaries) in, plain statistics out.
 */
import { InputError } from '../core/errors.js';
import { forEachLeaf } from '../parsers/metadata.js';
import type { JsonValue, MetadataRecord } from '../core/types.js';
import { Moments, typeOf, type ValueType } from './moments.js';
import type { ExecutionSummary } from './summary.js';

export { EXACT_VALUES, RELATIVE_ACCURACY } from './quantiles.js';
export type { ValueType };
/** Bars in the histogram sparkline. */
export const HISTOGRAM_BINS = 10;

interface KeyAccumulator {
  count: number;
  latest: JsonValue;
  moments: Moments;
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
  /** The median and histogram come from the DDSketch (more than EXACT_VALUES values): within RELATIVE_ACCURACY. */
  approximate: boolean;
}

/** Folds records, or execution summaries holding moments (summary files), into per-key statistics. Pure. */
export class StatsBuilder {
  private readonly keys = new Map<string, KeyAccumulator>();
  private records = 0;

  /** Set once a key past `maxKeys` was met: the statistics are of some keys only, and must not be shown. */
  overflowed = false;

  /** Where the record or summary being added came from, for the error at the bound: a record, or an execution's name. */
  private where: MetadataRecord | string = '';

  /** One visitor for every record, so folding a record allocates no closure (and no Map, see forEachLeaf). */
  private readonly foldLeaf = (key: string, value: JsonValue): void => {
    if (this.wants(key)) this.fold(key, value);
  };

  constructor(private readonly only?: readonly string[], private readonly maxKeys = Infinity) {}

  add(record: MetadataRecord): void {
    this.records++;
    this.where = record;
    forEachLeaf(record.values, this.foldLeaf);
  }

  private wants(key: string): boolean {
    return !this.only || this.only.length === 0 || this.only.includes(key);
  }

  /** `file:line` of the record being added, or the summary's execution. */
  private whereText(): string {
    const where = this.where;
    return typeof where === 'string' ? where : `${where.source === '-' ? 'stdin' : where.source}:${where.line}`;
  }

  private accumulator(key: string, latest: JsonValue): KeyAccumulator {
    let acc = this.keys.get(key);
    if (!acc) {
      if (this.keys.size >= this.maxKeys) {
        this.overflowed = true;
        throw new InputError(`${this.whereText()}: more than ${this.maxKeys} distinct keys (the --max-keys limit); name the keys with --keys, or raise it with --max-keys N`);
      }
      acc = { count: 0, latest, moments: new Moments() };
      this.keys.set(key, acc);
    }
    return acc;
  }

  private fold(key: string, raw: JsonValue): void {
    const acc = this.accumulator(key, raw);
    acc.count++;
    acc.latest = raw;
    // A numeric string ("0.3", as Transformers 5 prints) counts as its number, as in every command;
    // the types column still says it came as a string.
    acc.moments.add(raw);
  }

  /**
   * Adds an execution as a summary file holds it: its records, and per key its count, latest value
   * and moments, as if its records had been added here in its place.
   */
  addSummary(execution: ExecutionSummary): void {
    this.records += execution.records;
    this.where = execution.execution;
    for (const [key, summary] of execution.keys) {
      if (!this.wants(key)) continue;
      const acc = this.accumulator(key, summary.latest);
      acc.count += summary.count;
      acc.latest = summary.latest;
      if (summary.moments !== undefined) acc.moments.merge(Moments.fromPlain(summary.moments));
      else if (!acc.moments.types.includes(typeOf(summary.latest))) acc.moments.types.push(typeOf(summary.latest));
    }
  }

  finish(): KeyStats[] {
    return [...this.keys.entries()].map(([key, acc]): KeyStats => {
      const m = acc.moments;
      const stats: KeyStats = {
        key, types: [...m.types], count: acc.count, missing: this.records - acc.count,
        nan: m.nan, posInf: m.posInf, negInf: m.negInf, latest: acc.latest,
        histogram: [], approximate: m.quantiles.approximate,
      };
      if (m.finite > 0) {
        stats.min = m.min;
        stats.max = m.max;
        stats.mean = m.mean;
        const std = m.std();
        if (std !== undefined) stats.std = std;
        stats.median = m.quantiles.median(m.min, m.max);
        stats.histogram = m.quantiles.histogram(m.min, m.max, HISTOGRAM_BINS);
      }
      return stats;
    });
  }
}
