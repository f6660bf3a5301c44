/**
 * Per-execution aggregates, folded from records in one streaming pass.
 *
 * An execution is one input (a log file, or stdin named `-`). For every key it keeps
 * the latest value (what Valohai sorts by, and the default everywhere), the first value,
 * min, max, sum (for the mean), counts, the NaN/Infinity counts, and the step and line at
 * which the min, max and latest were seen. Memory grows with executions × keys, never with
 * lines; the optional history of a few keys (for sparklines and charts) is a bounded,
 * downsampled store supplied by the caller.
 *
 * Everything in an ExecutionSummary is plain data that survives structured cloning, so a
 * summary can be built in a worker thread and posted back.
 */
import { forEachLeaf, getPath } from './parsers/metadata.js';
import type { Diagnostic, JsonObject, JsonValue, MetadataRecord } from './types.js';

/** Aggregates of one key within one execution. */
export interface KeySummary {
  /** Records holding the key, whatever its type. */
  count: number;
  /** Records where it is a number (NaN and ±Infinity included). */
  numeric: number;
  /** Records where it is NaN. */
  nan: number;
  /** Records where it is +Infinity or -Infinity. */
  inf: number;
  /** The value in the last record holding the key. */
  latest: JsonValue;
  /** Line of the latest value in its input (1-based). */
  latestLine: number;
  /** Step of the latest value (see `stepOf`). */
  latestStep: number;
  /** The value in the first record holding the key. */
  first: JsonValue;
  /** Smallest number seen, NaN ignored; undefined when no number was seen. */
  min: number | undefined;
  /** Largest number seen, NaN ignored. */
  max: number | undefined;
  /** Step at which the min was first reached. */
  minStep: number | undefined;
  /** Step at which the max was first reached. */
  maxStep: number | undefined;
  /** Sum of the non-NaN numbers, for the mean. */
  sum: number;
  /** Downsampled (step, value) history, when the key was asked for one. */
  history?: Array<{ x: number; y: number }>;
}

/** Where a record failed the `--schema` contract. */
export interface SchemaViolation {
  line: number;
  /** ajv's instance path, e.g. `/accuracy` (empty for the whole record). */
  instancePath: string;
  message: string;
}

/** What one input amounted to. Plain data: it can come back from a worker thread. */
export interface ExecutionSummary {
  /** The input as the user named it; `-` for stdin. */
  execution: string;
  /** How the input was read: a metadata log, or a Kubeflow `mlpipeline-metrics.json`. */
  kind: 'log' | 'kubeflow';
  /** Metadata records read. */
  records: number;
  /** Lines read. */
  lines: number;
  /** Per key, in the order keys were first seen. */
  keys: Map<string, KeySummary>;
  /** `_time` of the first and last record. */
  firstTime?: string;
  lastTime?: string;
  /** Warnings about lines of this input, at most `MAX_KEPT` of them; `droppedDiagnostics` counts the rest. */
  diagnostics: Diagnostic[];
  droppedDiagnostics: number;
  /** Records that failed `--schema`, at most `MAX_KEPT`; `violationCount` counts all. */
  violations: SchemaViolation[];
  violationCount: number;
  /** Set when the input could not be read at all; the message names it. */
  error?: string;
}

/** How many diagnostics and schema violations a summary keeps per input. */
export const MAX_KEPT = 100;

/** The aggregates an expression or a flag can ask for. */
export type Aggregate = 'latest' | 'first' | 'min' | 'max' | 'mean' | 'count';
export const AGGREGATES: readonly Aggregate[] = ['latest', 'first', 'min', 'max', 'mean', 'count'];

/** A bounded store of (x, y) points; `src/series.ts` provides the real one. */
export interface HistoryStore {
  push(x: number, y: number): void;
  points(): ReadonlyArray<{ x: number; y: number }>;
}

export interface SummaryOptions {
  /** Which keys to aggregate: a set of dotted paths, or `all` (every leaf key, nested keys dotted). Default `all`. */
  keys?: ReadonlySet<string> | 'all';
  /** Keys whose history to keep for sparklines and charts, or `all`. Default none. */
  history?: ReadonlySet<string> | 'all';
  /** Creates the bounded store for one key's history. Required when `history` is not empty. */
  makeHistory?: () => HistoryStore;
}

/** Keys that name a record's step, in the order they are tried. */
export const STEP_KEYS: readonly string[] = ['step', 'epoch', 'iteration', '_step', 'global_step'];

/** A record's step: its `step` (or `epoch`, `iteration`, `_step`, `global_step`) when a finite number, else its 1-based record number. */
export function stepOf(values: JsonObject, ordinal: number): number {
  for (const key of STEP_KEYS) {
    if (!Object.hasOwn(values, key)) continue;
    const value = values[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return ordinal;
}

interface Building extends KeySummary {
  store?: HistoryStore;
}

/** Folds the records of one execution into its summary. Pure: no I/O. */
export class SummaryBuilder {
  private readonly keys = new Map<string, Building>();
  private records = 0;
  private firstTime: string | undefined;
  private lastTime: string | undefined;
  private readonly diagnostics: Diagnostic[] = [];
  private droppedDiagnostics = 0;
  private readonly violations: SchemaViolation[] = [];
  private violationCount = 0;
  private readonly wanted: ReadonlySet<string> | 'all';
  private readonly history: ReadonlySet<string> | 'all';
  /** The step and line of the record being folded, for `foldLeaf`. */
  private step = 0;
  private line = 0;
  /** One visitor for every record, so folding all keys allocates no closure per record. */
  private readonly foldLeaf = (key: string, value: JsonValue): void => this.fold(key, value, this.step, this.line);

  constructor(readonly execution: string, private readonly options: SummaryOptions = {}) {
    this.wanted = options.keys ?? 'all';
    this.history = options.history ?? new Set();
  }

  add(record: MetadataRecord): void {
    this.records++;
    if (this.firstTime === undefined) this.firstTime = record.time;
    this.lastTime = record.time;
    const step = stepOf(record.values, this.records);
    if (this.wanted === 'all') {
      // forEachLeaf: no Map per record on the usual flat record (the default `sort` folds every key).
      this.step = step;
      this.line = record.line;
      forEachLeaf(record.values, this.foldLeaf);
      return;
    }
    for (const key of this.wanted) {
      const value = getPath(record.values, key);
      if (value !== undefined) this.fold(key, value, step, record.line);
    }
  }

  diagnostic(diagnostic: Diagnostic): void {
    if (this.diagnostics.length < MAX_KEPT) this.diagnostics.push(diagnostic);
    else this.droppedDiagnostics++;
  }

  violation(violation: SchemaViolation): void {
    this.violationCount++;
    if (this.violations.length < MAX_KEPT) this.violations.push(violation);
  }

  private fold(key: string, value: JsonValue, step: number, line: number): void {
    let summary = this.keys.get(key);
    if (summary === undefined) {
      summary = {
        count: 0, numeric: 0, nan: 0, inf: 0,
        latest: value, latestLine: line, latestStep: step, first: value,
        min: undefined, max: undefined, minStep: undefined, maxStep: undefined, sum: 0,
      };
      if ((this.history === 'all' || this.history.has(key)) && this.options.makeHistory) summary.store = this.options.makeHistory();
      this.keys.set(key, summary);
    }
    summary.count++;
    summary.latest = value;
    summary.latestLine = line;
    summary.latestStep = step;
    if (typeof value !== 'number') return;
    summary.numeric++;
    // Non-finite values go into the history too: a sparkline marks where a run diverged.
    if (summary.store) summary.store.push(step, value);
    if (Number.isNaN(value)) {
      summary.nan++;
      return;
    }
    if (!Number.isFinite(value)) summary.inf++;
    summary.sum += value;
    if (summary.min === undefined || value < summary.min) {
      summary.min = value;
      summary.minStep = step;
    }
    if (summary.max === undefined || value > summary.max) {
      summary.max = value;
      summary.maxStep = step;
    }
  }

  finish(lines: number, kind: ExecutionSummary['kind'] = 'log'): ExecutionSummary {
    const keys = new Map<string, KeySummary>();
    for (const [key, building] of this.keys) {
      const { store, ...plain } = building;
      if (store) plain.history = store.points().map((point) => ({ x: point.x, y: point.y }));
      keys.set(key, plain);
    }
    const summary: ExecutionSummary = {
      execution: this.execution,
      kind,
      records: this.records,
      lines,
      keys,
      diagnostics: this.diagnostics,
      droppedDiagnostics: this.droppedDiagnostics,
      violations: this.violations,
      violationCount: this.violationCount,
    };
    if (this.firstTime !== undefined) summary.firstTime = this.firstTime;
    if (this.lastTime !== undefined) summary.lastTime = this.lastTime;
    return summary;
  }
}

/** Summarises records already in memory (tests, stdin helpers). */
export function summarizeRecords(execution: string, records: Iterable<MetadataRecord>, options: SummaryOptions = {}): ExecutionSummary {
  const builder = new SummaryBuilder(execution, options);
  let lines = 0;
  for (const record of records) {
    builder.add(record);
    lines = Math.max(lines, record.line);
  }
  return builder.finish(lines);
}

/** An empty summary for an input that could not be read. */
export function failedSummary(execution: string, error: string): ExecutionSummary {
  return { execution, kind: 'log', records: 0, lines: 0, keys: new Map(), diagnostics: [], droppedDiagnostics: 0, violations: [], violationCount: 0, error };
}

/** The mean of the non-NaN numbers, or undefined when there were none. */
export function meanOf(summary: KeySummary): number | undefined {
  const used = summary.numeric - summary.nan;
  return used > 0 ? summary.sum / used : undefined;
}

/**
 * The value of one aggregate of one key, or undefined when the execution lacks it
 * (no such key; or, for min, max and mean, no number).
 */
export function aggregateOf(execution: ExecutionSummary, key: string, aggregate: Aggregate): JsonValue | undefined {
  const summary = lookupKey(execution, key);
  if (summary === undefined) return aggregate === 'count' ? 0 : undefined;
  switch (aggregate) {
    case 'latest': return summary.latest;
    case 'first': return summary.first;
    case 'min': return summary.min;
    case 'max': return summary.max;
    case 'mean': return meanOf(summary);
    case 'count': return summary.count;
  }
}

/** Finds a key's summary; `metadata.` (Valohai's prefix) is accepted in front of a name. */
export function lookupKey(execution: ExecutionSummary, key: string): KeySummary | undefined {
  const direct = execution.keys.get(key);
  if (direct !== undefined) return direct;
  if (key.startsWith('metadata.')) return execution.keys.get(key.slice('metadata.'.length));
  return undefined;
}

/** Strips Valohai's `metadata.` prefix from a key named on the command line. */
export function normalizeKey(key: string): string {
  const trimmed = key.trim();
  return trimmed.startsWith('metadata.') && trimmed.length > 'metadata.'.length ? trimmed.slice('metadata.'.length) : trimmed;
}

/** Whether bigger is better for a key. */
export type Direction = 'max' | 'min';

/** Key names Keras's mode `auto` (tf.keras 2) treats as "higher is better", widened to f1, precision and recall. */
const HIGHER_SUFFIX = /(acc|accuracy|auc|f1|precision|recall)$/i;

/** Explicit directions from `--higher-is-better` / `--lower-is-better` (or the config). */
export interface DirectionOverrides {
  higher?: readonly string[];
  lower?: readonly string[];
}

/**
 * A key's direction: an explicit override wins; else Keras-style auto: `max` for names ending
 * in acc, accuracy, auc, f1, precision or recall (so `val_accuracy`, `top5_acc`), `min` otherwise (loss, error, …).
 */
export function directionOf(key: string, overrides: DirectionOverrides = {}): Direction {
  const name = normalizeKey(key);
  if (overrides.higher?.some((k) => normalizeKey(k) === name)) return 'max';
  if (overrides.lower?.some((k) => normalizeKey(k) === name)) return 'min';
  return HIGHER_SUFFIX.test(name) ? 'max' : 'min';
}

/** The step at the best value of a key, by its direction. */
export function stepAtBest(summary: KeySummary, direction: Direction): number | undefined {
  return direction === 'max' ? summary.maxStep : summary.minStep;
}

/** The union of keys over executions, in first-seen order. */
export function unionKeys(executions: readonly ExecutionSummary[]): string[] {
  const seen = new Set<string>();
  for (const execution of executions) for (const key of execution.keys.keys()) seen.add(key);
  return [...seen];
}
