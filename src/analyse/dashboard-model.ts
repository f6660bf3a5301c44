/**
 * The dashboard's state: what `watch`, `run` and `chart` fold records into. Pure and bounded:
 * per (key, execution) one {@link Series} on the execution's main x axis (its first step key),
 * downsampled as it grows, so memory and the cost of a frame do not grow with the points read.
 * The other x axes (other step keys such as `epoch`, and elapsed time) are one mapping series per
 * execution from the main axis to that axis, so a frame can switch axes (the `x` key) at the
 * cost of one series per axis, not one per key and axis.
 *
 * The model knows what each key is for (core/vocabulary.ts): step keys are the x axis, settings
 * (a seed, a batch size, a constant learning rate, any text) go to the overview, metrics are
 * charted, train/validation pairs together.
 */
import { forEachLeaf } from '../parsers/metadata.js';
import { STEP_KEYS, getPath, stepKeyOf } from '../core/keys.js';
import { numberFromText } from '../core/numbers.js';
import { chartRank, groupKeys, isStepKey, roleOf, spansLogDecades, tendencyOf, type DirectionOverrides, type KeyRole, type Tendency } from '../core/vocabulary.js';
import { DEFAULT_CAPACITY, Series, elapsedClock, smoothPoints, type NonFiniteCounts, type Point } from './series.js';
import type { JsonValue, MetadataRecord } from '../core/types.js';

/** How records become points. */
export interface ModelOptions {
  /**
   * Keys (dotted paths) to chart, in this order; a group (`['loss', 'val_loss']`) shares a chart.
   * Default: every metric, train/validation pairs together.
   */
  keys?: readonly (string | readonly string[])[];
  /**
   * The x axis: a metadata key, or `_time` for seconds since the execution's first record.
   * Default: the first step key (step, epoch, iteration, …) an execution's records carry; a
   * record without it is placed at the latest step seen.
   */
  x?: string;
  /** TensorBoard's smoothing weight in [0, 1); 0 (default) draws the raw values only. */
  smooth?: number;
  /** Points kept per series. Default 2048. */
  capacity?: number;
  /** Most keys followed; later new keys are counted, not charted. Default 64. */
  maxKeys?: number;
  /** Directions named by the user (`--higher-is-better`), for the roles of constant keys. */
  directions?: DirectionOverrides;
  /**
   * Keep a map from each execution's main axis to elapsed time, so a frame can switch to it (the
   * `x` key). Default: only with `x: '_time'`; a dashboard drawn once never switches.
   */
  timeAxis?: boolean;
  /**
   * Keep a map from each execution's main axis to its other step keys (`epoch` beside `step`), so
   * a frame can switch to them (the `x` key) and {@link DashboardModel.axes} lists them. Default
   * true; a dashboard drawn once (`vizmeta chart`) never switches, and skips a series per record.
   */
  stepAxes?: boolean;
}

/** How one frame looks at the model: what the keyboard changes while a job runs. */
export interface ViewOptions {
  /**
   * The x axis for this frame: one of {@link DashboardModel.axes} (`step`, `epoch`, …) or `_time`
   * for elapsed seconds. Default: the model's `x`, else each execution's first step key.
   */
  xAxis?: string;
  /** Smoothing weight for this frame. Default: the model's `smooth`. */
  smoothing?: number;
  /** Only keys this accepts (a typed filter). */
  filter?: (key: string) => boolean;
  /** Only this execution (a run shown alone). */
  source?: string;
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
  /** Which way is better, by name or by the user's flags. */
  tendency: Tendency;
  tracks: TrackView[];
}

/** Keys charted together: a train/validation pair, or a group named with `--keys a+b`. */
export interface ChartGroup {
  /** The keys' names joined, for a chart title. */
  title: string;
  keys: KeyView[];
  /** The values span more than three decades, all positive: a log scale reads them best. */
  logScale: boolean;
}

/** One setting: its value in each execution that has it. */
export interface SettingView {
  key: string;
  values: Array<{ source: string; value: JsonValue }>;
  /** Executions disagree on it. */
  differs: boolean;
}

/** A snapshot of the model for one frame. */
export interface ModelView {
  sources: readonly string[];
  /** Metrics to chart, in groups. */
  groups: ChartGroup[];
  /** The same metrics, flat in group order (the table's rows). */
  keys: KeyView[];
  /** Keys that hold one value for the run (or text): the overview. */
  settings: SettingView[];
  /** Metadata records read. */
  records: number;
  /** Keys seen but not followed because of `maxKeys` (counted up to 10,000). */
  droppedKeys: number;
  /** More keys than `droppedKeys` were left out: the count stopped at its limit. */
  droppedKeysCapped?: boolean;
  /** Name of the x quantity, for the axis. */
  xLabel: string;
  /** The x axis is elapsed seconds. */
  xIsTime: boolean;
}

/** The x axis of elapsed seconds, beside the step keys. */
export const TIME_AXIS = '_time';
/** The x axis of a log whose records carry no step key: the record's number. */
export const RECORD_AXIS = 'record';

/** What one execution has shown of a key. */
interface KeyState {
  /** The key's points on the execution's main axis. */
  series: Series | undefined;
  /** The first value, and whether any later one differed: a setting holds one value. */
  first: JsonValue;
  latest: JsonValue;
  changed: boolean;
  numeric: boolean;
}

interface Execution {
  clock: (iso: string) => number;
  records: number;
  /**
   * The main x axis: the `--x` key, else the first step key the records showed (`record`, the
   * record's number, until one does).
   */
  main: string | undefined;
  /** The latest x on the main axis: where a record without the main key goes. */
  lastX: number | undefined;
  /** Other axes (step keys, elapsed time), each as points (main x, that axis's value). */
  mappings: Map<string, Series>;
  keys: Map<string, KeyState>;
}

/** Most other step keys an execution maps to (epoch, global_step, …). */
const MAX_AXES = 4;

export function validateSmoothing(weight: number): void {
  if (!Number.isFinite(weight) || weight < 0 || weight >= 1) throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
}

/** Left-out keys are remembered (to count each once) up to this many; beyond it the count says "10,000+". */
const MAX_DROPPED_KEYS = 10_000;

/** Longest text a setting keeps (a config print can hold a whole file). */
const MAX_SETTING_TEXT = 200;

export class DashboardModel {
  private readonly executions = new Map<string, Execution>();
  private readonly keyOrder: string[] = [];
  private readonly keySet = new Set<string>();
  private readonly dropped = new Set<string>();
  private droppedCapped = false;
  private readonly capacity: number;
  private readonly maxKeys: number;
  private readonly smoothWeight: number;
  private readonly wanted: readonly (readonly string[])[] | undefined;
  private readonly wantedKeys: ReadonlySet<string> | undefined;
  private recordCount = 0;
  private readonly timeAxis: boolean;
  private readonly stepAxes: boolean;
  /** The execution of the record being observed, for {@link visit}. */
  private current: Execution | undefined;
  /** The record being observed's x on its execution's main axis (undefined: not drawn). */
  private x: number | undefined;
  /** Takes one leaf of the record being observed: made once, not a closure per record. */
  private readonly visit = (key: string, value: JsonValue): void => {
    if (this.wantedKeys?.has(key)) return;
    if (!this.keySet.has(key)) {
      if (this.keyOrder.length >= this.maxKeys) {
        if (this.dropped.size < MAX_DROPPED_KEYS) this.dropped.add(key);
        else if (!this.dropped.has(key)) this.droppedCapped = true;
        return;
      }
      this.addKey(key);
    }
    this.take(this.current as Execution, key, value);
  };

  constructor(private readonly options: ModelOptions = {}) {
    this.timeAxis = options.timeAxis ?? options.x === TIME_AXIS;
    this.stepAxes = options.stepAxes ?? true;
    this.capacity = options.capacity ?? DEFAULT_CAPACITY;
    this.maxKeys = options.maxKeys ?? 64;
    this.smoothWeight = options.smooth ?? 0;
    validateSmoothing(this.smoothWeight);
    if (options.keys) {
      this.wanted = options.keys.map((entry) => (typeof entry === 'string' ? [entry] : [...entry]));
      this.wantedKeys = new Set(this.wanted.flat());
      for (const key of this.wantedKeys) this.addKey(key);
    }
  }

  get records(): number {
    return this.recordCount;
  }

  /** Whether elapsed time is kept as an axis (ModelOptions.timeAxis). */
  get keepsTime(): boolean {
    return this.timeAxis;
  }

  /** The executions with records, in the order they were named ({@link register}) or first seen. */
  get sources(): string[] {
    return [...this.executions].filter(([, execution]) => execution.records > 0).map(([source]) => source);
  }

  /**
   * Names an execution before its first record, so executions keep the order they were named in
   * (the order of the files given) rather than the order their first records arrived in.
   */
  register(source: string): void {
    this.execution(source);
  }

  /**
   * The x axes the records allow, first seen first: the `--x` key, else the step keys the
   * executions carry (`step`, `epoch`, …; `record` when none has one). Elapsed time
   * ({@link TIME_AXIS}) is not listed: it is there when {@link keepsTime} says so.
   */
  axes(): string[] {
    const axes = new Set<string>();
    for (const execution of this.executions.values()) {
      if (execution.main !== undefined && execution.main !== TIME_AXIS) axes.add(execution.main);
      for (const axis of execution.mappings.keys()) if (axis !== TIME_AXIS) axes.add(axis);
    }
    if (axes.size > 0) return [...axes];
    if (this.options.x === TIME_AXIS) return [];
    return [this.namedAxis() ?? RECORD_AXIS];
  }

  /** Every key seen (charted or not), for "did you mean" when a named key never showed up. */
  knownKeys(): string[] {
    const keys = new Set<string>();
    for (const execution of this.executions.values()) for (const key of execution.keys.keys()) keys.add(key);
    return [...keys];
  }

  /** Adds one record of the execution named `source` (default: the record's own source). */
  observe(record: MetadataRecord, source: string = record.source): void {
    this.recordCount++;
    const execution = this.execution(source);
    execution.records++;
    this.x = this.place(record, execution);
    if (this.wanted) {
      // Named keys are charted whatever their role, and may be paths into nested values.
      for (const key of this.wantedKeys as ReadonlySet<string>) {
        const value = getPath(record.values, key);
        if (value !== undefined) this.take(execution, key, value);
      }
    }
    this.current = execution;
    forEachLeaf(record.values, this.visit);
  }

  view(options: ViewOptions = {}): ModelView {
    const allSources = this.sources;
    const sources = options.source !== undefined && this.executions.has(options.source) ? [options.source] : allSources;
    const wantedAxis = options.xAxis;
    // Each execution is drawn by the axis asked for when it has it, else by its main one.
    const axisOf = (source: string): string => {
      const execution = this.executions.get(source);
      const main = execution?.main ?? this.namedAxis() ?? RECORD_AXIS;
      if (wantedAxis !== undefined && wantedAxis !== main && execution?.mappings.has(wantedAxis)) return wantedAxis;
      return main;
    };
    const shownAxes = new Set(sources.map(axisOf));
    const timeAxis = shownAxes.size === 1 && shownAxes.has(TIME_AXIS);
    // Per execution, the map from its main x to the axis shown (none when it is the main one).
    const mappers = new Map<string, ((x: number) => number) | undefined>();
    for (const source of sources) {
      const axis = axisOf(source);
      const execution = this.executions.get(source);
      mappers.set(source, execution && axis !== execution.main ? interpolator(execution.mappings.get(axis) as Series) : undefined);
    }
    const smoothing = options.smoothing ?? this.smoothWeight;
    validateSmoothing(smoothing);
    const accept = options.filter ?? ((): boolean => true);

    const keyView = (key: string): KeyView => ({
      key,
      tendency: tendencyOf(key, this.options.directions),
      tracks: sources.flatMap((source) => {
        const series = this.executions.get(source)?.keys.get(key)?.series;
        return series ? [trackView(source, series, smoothing, mappers.get(source))] : [];
      }),
    });

    const metrics: string[] = [];
    const settings: SettingView[] = [];
    for (const key of this.keyOrder) {
      if (!accept(key)) continue;
      const role = this.roleAcross(key, sources);
      if (role === 'metric') metrics.push(key);
      else if (role === 'setting') settings.push(this.settingView(key, sources));
    }
    const manual = this.wanted?.map((group) => group.filter((key) => accept(key))).filter((group) => group.length > 0) ?? [];
    // Automatic groups are ordered by what they say (quality, then neutral, then speed), first seen
    // within each; groups named with --keys keep their order.
    const rank = (names: readonly string[]): number => Math.min(...names.map((key) => chartRank(key, this.options.directions)));
    // With several runs the runs are what a chart overlays: pairs would put runs × keys on one
    // chart, so each key keeps its own (groups named with --keys still hold).
    // groupKeys returns the named groups first.
    const paired = groupKeys(metrics, manual);
    const grouped = sources.length > 1 ? paired.flatMap((names, index) => (index < manual.length ? [names] : names.map((name) => [name]))) : paired;
    const ordered = this.wanted ? grouped : grouped.map((names, index) => ({ names, index, rank: rank(names) })).sort((a, b) => a.rank - b.rank || a.index - b.index).map((g) => g.names);
    const groups = ordered.map((names) => {
      const keys = names.map(keyView);
      return { title: names.join(' · '), keys, logScale: keysWantLogScale(keys) };
    });
    return {
      sources,
      groups,
      keys: groups.flatMap((group) => group.keys),
      settings,
      records: this.recordCount,
      droppedKeys: this.dropped.size,
      ...(this.droppedCapped ? { droppedKeysCapped: true } : {}),
      xLabel: timeAxis ? 'elapsed' : [...shownAxes].map((axis) => (axis === TIME_AXIS ? 'elapsed' : axis)).join(' / ') || (this.namedAxis() ?? RECORD_AXIS),
      xIsTime: timeAxis,
    };
  }

  /**
   * A key's role over the executions shown: keys named with `--keys` are metrics (and only they
   * are charted then); otherwise a step key by name or as the axis, a metric if it is one in any
   * execution, else a setting.
   */
  private roleAcross(key: string, sources: readonly string[]): KeyRole | undefined {
    if (this.wantedKeys?.has(key)) return 'metric';
    if (isStepKey(key) || this.isAxisKey(key)) return 'step';
    let seen = false;
    let metric = false;
    for (const source of sources) {
      const state = this.executions.get(source)?.keys.get(key);
      if (!state) continue;
      seen = true;
      if (roleOf(key, { numeric: state.numeric, constant: !state.changed }, this.options.directions) === 'metric') metric = true;
    }
    if (!seen) return undefined;
    // With --keys, other metrics are left out; settings still make the overview.
    if (metric) return this.wanted ? undefined : 'metric';
    return 'setting';
  }

  private isAxisKey(key: string): boolean {
    if (this.options.x === key) return true;
    for (const execution of this.executions.values()) if (execution.main === key || execution.mappings.has(key)) return true;
    return false;
  }

  private settingView(key: string, sources: readonly string[]): SettingView {
    const values: SettingView['values'] = [];
    for (const source of sources) {
      const state = this.executions.get(source)?.keys.get(key);
      if (state) values.push({ source, value: state.latest });
    }
    const first = JSON.stringify(values[0]?.value);
    return { key, values, differs: values.some((v) => JSON.stringify(v.value) !== first) };
  }

  private addKey(key: string): void {
    if (this.keySet.has(key)) return;
    this.keySet.add(key);
    this.keyOrder.push(key);
  }

  private execution(source: string): Execution {
    let execution = this.executions.get(source);
    if (!execution) {
      execution = { clock: elapsedClock(), records: 0, main: undefined, lastX: undefined, mappings: new Map(), keys: new Map() };
      this.executions.set(source, execution);
    }
    return execution;
  }

  /** The `--x` key, when one other than elapsed time was named. */
  private namedAxis(): string | undefined {
    const x = this.options.x;
    return x !== undefined && x !== TIME_AXIS ? x : undefined;
  }

  /**
   * Where a record goes on each x axis. The axes are the `--x` key, else every step key the
   * execution's records have shown (so `x` can switch between `step` and `epoch`); a record
   * without an axis's key goes at the latest x seen on it (an eval record printed after step
   * 500 belongs at 500, not at its record number). A log that never prints a step is drawn by
   * record number (`record`). Elapsed time is always one more.
   */
  private place(record: MetadataRecord, execution: Execution): number | undefined {
    const values = record.values;
    const seconds = this.timeAxis ? execution.clock(record.time) : NaN;
    const named = this.options.x;
    let x: number | undefined;
    // Whether the record gives its own main x: only such records say where the other axes are.
    let own = true;
    if (named === TIME_AXIS) {
      execution.main = TIME_AXIS;
      if (!Number.isNaN(seconds)) execution.lastX = seconds;
      else own = false;
      x = execution.lastX;
    } else if (named !== undefined) {
      execution.main = named;
      const value = numericValue(getPath(values, named));
      if (value !== undefined && Number.isFinite(value)) execution.lastX = value;
      else own = false;
      x = execution.lastX;
    } else {
      // The first step key a record shows becomes the main axis; before one does, records are
      // placed by their number, and those points are let go when a step key arrives (a config
      // line is a setting, not a point on a curve).
      if (execution.main === undefined || execution.main === RECORD_AXIS) {
        const key = stepKeyOf(values);
        if (key !== undefined) {
          if (execution.main === RECORD_AXIS) for (const state of execution.keys.values()) state.series = undefined;
          execution.main = key;
          execution.mappings.clear();
        } else {
          execution.main = RECORD_AXIS;
        }
      }
      if (execution.main === RECORD_AXIS) x = execution.records;
      else {
        const value = values[execution.main];
        if (typeof value === 'number' && Number.isFinite(value)) execution.lastX = value;
        else own = false;
        x = execution.lastX;
      }
    }
    if (x === undefined || !own) return x;
    // The other axes this record places: other step keys (as long as it is not the --x key's
    // axis only), and elapsed time.
    if (this.stepAxes && (named === undefined || named === TIME_AXIS)) {
      // Indexed: every record comes through here, before V8 optimises it (see forEachLeaf).
      for (let k = 0; k < STEP_KEYS.length; k++) {
        const key = STEP_KEYS[k] as string;
        if (key === execution.main) continue;
        const value = values[key];
        if (typeof value !== 'number' || !Number.isFinite(value) || !Object.hasOwn(values, key)) continue;
        let mapping = execution.mappings.get(key);
        if (!mapping) {
          if (execution.mappings.size >= MAX_AXES) continue;
          mapping = new Series(this.capacity);
          execution.mappings.set(key, mapping);
        }
        mapping.push(x, value);
      }
    }
    if (execution.main !== TIME_AXIS && !Number.isNaN(seconds)) {
      let mapping = execution.mappings.get(TIME_AXIS);
      if (!mapping) {
        mapping = new Series(this.capacity);
        execution.mappings.set(TIME_AXIS, mapping);
      }
      mapping.push(x, seconds);
    }
    return x;
  }

  private take(execution: Execution, key: string, raw: JsonValue): void {
    // A matrix or a curve (`{"data": [[812, 97], …]}`) is data for `matrix` and `roc`, not a setting.
    if (Array.isArray(raw) && raw.some((item) => item !== null && typeof item === 'object')) return;
    const number = numericValue(raw);
    // A number is kept as it is; only text, arrays and objects need bounding.
    const value = typeof raw === 'number' ? raw : boundedValue(raw);
    let state = execution.keys.get(key);
    if (!state) {
      state = { series: undefined, first: value, latest: value, changed: false, numeric: number !== undefined };
      execution.keys.set(key, state);
    } else {
      if (!state.changed && !sameValue(state.first, value)) state.changed = true;
      state.latest = value;
      if (number === undefined) state.numeric = false;
    }
    if (number === undefined) return;
    if (this.x === undefined) return;
    (state.series ??= new Series(this.capacity)).push(this.x, number);
  }
}

/** A number, or a numeric string (`"0.3"`, as Transformers 5 prints) read as Python's float() does. */
function numericValue(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return numberFromText(value);
  return undefined;
}

/** A value as a setting keeps it: arrays and objects as their JSON, long text cut, so memory stays bounded. */
function boundedValue(raw: JsonValue): JsonValue {
  const text = raw !== null && typeof raw === 'object' ? JSON.stringify(raw) : raw;
  return typeof text === 'string' && text.length > MAX_SETTING_TEXT ? `${text.slice(0, MAX_SETTING_TEXT)}…` : text;
}

function sameValue(a: JsonValue, b: JsonValue): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

/**
 * Whether a chart of these keys reads better on a log scale ({@link wantsLogScale} of every y
 * their tracks hold), from each track's lowest and highest finite point: the same answer without
 * gathering every y of every track into one array each frame.
 */
export function keysWantLogScale(keys: readonly KeyView[]): boolean {
  let lowest = Infinity;
  let highest = -Infinity;
  for (let k = 0; k < keys.length; k++) {
    const tracks = (keys[k] as KeyView).tracks;
    for (let t = 0; t < tracks.length; t++) {
      const { min, max } = tracks[t] as TrackView;
      if (min !== undefined && min.y < lowest) lowest = min.y;
      if (max !== undefined && max.y > highest) highest = max.y;
    }
  }
  return spansLogDecades(lowest, highest);
}

function trackView(source: string, s: Series, smoothing: number, mapX: ((x: number) => number) | undefined): TrackView {
  const move = (p: Point | undefined): Point | undefined => (p && mapX ? { x: mapX(p.x), y: p.y } : p);
  const points = mapX ? s.points().map((p) => ({ x: mapX(p.x), y: p.y })) : s.points();
  return {
    source,
    points,
    smoothed: smoothing > 0 ? smoothPoints(points, smoothing) : undefined,
    latest: move(s.latest),
    min: move(s.min),
    max: move(s.max),
    count: s.count,
    nonFinite: s.nonFinite,
  };
}

/**
 * A map from an execution's main x to another axis, from the points (main x, other value) its
 * records gave: the other value at the nearest main x at or before, interpolated linearly
 * towards the next (steps to epochs, steps to seconds). Steps and clocks only go forward, so the
 * points are sorted by main x once per frame; a main x before the first point maps to the first.
 */
export function interpolator(mapping: Series): (x: number) => number {
  const points = [...mapping.points()].sort((a, b) => a.x - b.x);
  return (x) => {
    if (points.length === 0) return NaN;
    let lo = 0;
    let hi = points.length - 1;
    if (x <= (points[0] as Point).x) return (points[0] as Point).y;
    if (x >= (points[hi] as Point).x) return (points[hi] as Point).y;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((points[mid] as Point).x <= x) lo = mid;
      else hi = mid;
    }
    const a = points[lo] as Point;
    const b = points[hi] as Point;
    return b.x === a.x ? b.y : a.y + ((x - a.x) / (b.x - a.x)) * (b.y - a.y);
  };
}
