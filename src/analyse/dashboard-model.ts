/**
 * The dashboard's state: what `watch`, `run` and `chart` fold records into. Pure and bounded:
 * per (key, execution) one {@link Series} (downsampled as it grows) and, with `--smooth`, a second
 * one of smoothed values, so memory and the cost of a frame do not grow with the points read.
 */
import { flattenValues } from '../parsers/metadata.js';
import { getPath, stepKeyOf } from '../core/keys.js';
import { DEFAULT_CAPACITY, Series, elapsedClock, type NonFiniteCounts, type Point } from './series.js';
import type { JsonValue, MetadataRecord } from '../core/types.js';

/** How records become points. */
export interface ModelOptions {
  /** Keys (dotted paths) to chart, in this order. Default: every numeric key, in first-seen order. */
  keys?: readonly string[];
  /**
   * The x axis: a metadata key, or `_time` for seconds since the execution's first record.
   * Default: the record's `step` when it has a numeric one, else its index (1, 2, …) in its execution.
   */
  x?: string;
  /** TensorBoard's smoothing weight in [0, 1); 0 (default) draws the raw values only. */
  smooth?: number;
  /** Points kept per series. Default 2048. */
  capacity?: number;
  /** Most keys followed when `keys` is not given; later new keys are counted, not charted. Default 64. */
  maxKeys?: number;
}

/** One execution's values of one key. */
export interface Track {
  readonly series: Series;
  /** Smoothed values at the same x, when smoothing is on. */
  readonly smoothed: Series | undefined;
}

/** What the renderer needs of one execution's series. */
export interface TrackView {
  /** The execution (file, command) this series came from. */
  source: string;
  /** Kept raw points (bounded). */
  points: readonly Point[];
  /** Kept smoothed points, when smoothing is on. */
  smoothed: readonly Point[] | undefined;
  latest: Point | undefined;
  min: Point | undefined;
  max: Point | undefined;
  count: number;
  nonFinite: NonFiniteCounts;
}

export interface KeyView {
  key: string;
  tracks: TrackView[];
}

/** A snapshot of the model for one frame. */
export interface ModelView {
  sources: readonly string[];
  keys: KeyView[];
  /** Metadata records read. */
  records: number;
  /** Numeric keys seen but not followed because of `maxKeys` (counted up to 10,000). */
  droppedKeys: number;
  /** More keys than `droppedKeys` were left out: the count stopped at its limit. */
  droppedKeysCapped?: boolean;
  /** Name of the x quantity, for the axis. */
  xLabel: string;
  /** The x axis is elapsed seconds. */
  xIsTime: boolean;
}

/** Debiased exponential moving average, one value at a time (TensorBoard's formula, as in `smooth`). */
class Ema {
  private last = 0;
  private n = 0;
  private first: number | undefined;
  private constant = true;

  constructor(private readonly weight: number) {}

  next(y: number): number {
    if (!Number.isFinite(y)) return y;
    // A constant series stays exactly constant, as `smooth` returns it unchanged.
    this.first ??= y;
    if (y !== this.first) this.constant = false;
    this.last = this.last * this.weight + (1 - this.weight) * y;
    this.n++;
    return this.constant ? y : this.last / (1 - this.weight ** this.n);
  }
}

interface Execution {
  index: number;
  clock: ((iso: string) => number) | undefined;
  records: number;
  tracks: Map<string, Track & { ema: Ema | undefined }>;
}


export function validateSmoothing(weight: number): void {
  if (!Number.isFinite(weight) || weight < 0 || weight >= 1) throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
}

/** Left-out keys are remembered (to count each once) up to this many; beyond it the count says "10,000+". */
const MAX_DROPPED_KEYS = 10_000;

export class DashboardModel {
  private readonly executions = new Map<string, Execution>();
  private readonly keyOrder: string[] = [];
  private readonly keySet = new Set<string>();
  private readonly dropped = new Set<string>();
  private droppedCapped = false;
  private readonly capacity: number;
  private readonly maxKeys: number;
  private readonly smoothWeight: number;
  private recordCount = 0;
  /** In auto mode, the first step key (core/keys.ts) a record had: the axis's name. */
  private stepKey: string | undefined;

  constructor(private readonly options: ModelOptions = {}) {
    this.capacity = options.capacity ?? DEFAULT_CAPACITY;
    this.maxKeys = options.maxKeys ?? 64;
    this.smoothWeight = options.smooth ?? 0;
    validateSmoothing(this.smoothWeight);
    for (const key of options.keys ?? []) this.addKey(key);
  }

  get records(): number {
    return this.recordCount;
  }

  /** Adds one record of the execution named `source` (default: the record's own source). */
  observe(record: MetadataRecord, source: string = record.source): void {
    this.recordCount++;
    const execution = this.execution(source);
    execution.records++;
    // In auto mode a record's x is its step (step, epoch, iteration, _step or global_step, as
    // summaries and early stopping read it): that key is the axis, not a metric.
    const xKey = this.options.x ?? stepKeyOf(record.values);
    const x = this.xOf(record, execution, xKey);
    if (x === undefined) return;
    if (this.options.keys) {
      for (const key of this.options.keys) {
        const value = getPath(record.values, key);
        if (typeof value === 'number') this.push(execution, key, x, value);
      }
      return;
    }
    for (const [key, value] of flattenValues(record.values)) {
      if (typeof value !== 'number' || key === xKey) continue;
      if (!this.keySet.has(key)) {
        if (this.keyOrder.length >= this.maxKeys) {
          if (this.dropped.size < MAX_DROPPED_KEYS) this.dropped.add(key);
          else if (!this.dropped.has(key)) this.droppedCapped = true;
          continue;
        }
        this.addKey(key);
      }
      this.push(execution, key, x, value);
    }
  }

  view(): ModelView {
    const sources = [...this.executions.keys()];
    const keys = this.keyOrder.map((key) => ({
      key,
      tracks: sources.flatMap((source) => {
        const track = this.executions.get(source)?.tracks.get(key);
        return track ? [trackView(source, track)] : [];
      }),
    }));
    const x = this.options.x;
    return {
      sources,
      keys,
      records: this.recordCount,
      droppedKeys: this.dropped.size,
      ...(this.droppedCapped ? { droppedKeysCapped: true } : {}),
      xLabel: x === '_time' ? 'elapsed' : x ?? this.stepKey ?? 'record',
      xIsTime: x === '_time',
    };
  }

  private addKey(key: string): void {
    if (this.keySet.has(key)) return;
    this.keySet.add(key);
    this.keyOrder.push(key);
  }

  private execution(source: string): Execution {
    let execution = this.executions.get(source);
    if (!execution) {
      execution = { index: this.executions.size, clock: this.options.x === '_time' ? elapsedClock() : undefined, records: 0, tracks: new Map() };
      this.executions.set(source, execution);
    }
    return execution;
  }

  private xOf(record: MetadataRecord, execution: Execution, xKey: string | undefined): number | undefined {
    const x = this.options.x;
    if (x === '_time') {
      const seconds = execution.clock?.(record.time);
      return seconds === undefined || Number.isNaN(seconds) ? undefined : seconds;
    }
    if (x !== undefined) return finiteNumber(getPath(record.values, x));
    if (xKey !== undefined) {
      this.stepKey ??= xKey;
      return record.values[xKey] as number;
    }
    return execution.records;
  }

  private push(execution: Execution, key: string, x: number, y: number): void {
    let track = execution.tracks.get(key);
    if (!track) {
      const smoothing = this.smoothWeight > 0;
      track = {
        series: new Series(this.capacity),
        smoothed: smoothing ? new Series(this.capacity) : undefined,
        ema: smoothing ? new Ema(this.smoothWeight) : undefined,
      };
      execution.tracks.set(key, track);
    }
    track.series.push(x, y);
    if (track.ema && track.smoothed) track.smoothed.push(x, track.ema.next(y));
  }
}

function finiteNumber(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function trackView(source: string, track: Track): TrackView {
  const s = track.series;
  return {
    source,
    points: s.points(),
    smoothed: track.smoothed?.points(),
    latest: s.latest,
    min: s.min,
    max: s.max,
    count: s.count,
    nonFinite: s.nonFinite,
  };
}
