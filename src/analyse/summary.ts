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
import { forEachLeaf } from '../parsers/metadata.js';
import { getPath, stepOf } from '../core/keys.js';
import type { Aggregate } from '../core/aggregates.js';
import { EntryKind, rawValue, type OtherEntries, type OtherKeysSink } from '../parsers/fast/partial.js';
import { DecimalReader } from '../parsers/fast/decimal.js';
import { numberFromText } from '../core/numbers.js';
import type { Diagnostic, JsonObject, JsonValue, MetadataRecord } from '../core/types.js';
import { tendencyOf, type Direction, type DirectionOverrides } from '../core/vocabulary.js';
import type { SchemaViolation } from '../formats/schema.js';
import { InputError } from '../core/errors.js';
import { Moments, type PlainMoments } from './moments.js';

export type { SchemaViolation };

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
  /**
   * Set for a key summarised with `others: 'latest'`: only count, first, latest, latestLine and
   * latestStep are known; numeric, nan, inf and sum are 0 and min, max undefined.
   */
  partial?: true;
  /**
   * With `moments` (summary files): `_time`, line and step of the first value, `_time` of the
   * latest, so parts of one execution merge first and latest by time; and what `stats` keeps.
   */
  firstTime?: string;
  firstLine?: number;
  firstStep?: number;
  latestTime?: string;
  /** With `moments`: `_time` where min and max were first reached, for merging ties. */
  minTime?: string;
  maxTime?: string;
  moments?: PlainMoments;
}

/** What one input amounted to. Plain data: it can come back from a worker thread. */
export interface ExecutionSummary {
  /** The input as the user named it; `-` for stdin. */
  execution: string;
  /** How the input was read: a metadata log, or a Kubeflow `mlpipeline-metrics.json`. */
  /** What was read: a JSON-lines log, a Kubeflow metrics document, or a framework's own files (TensorBoard, trainer_state.json, …). */
  kind: 'log' | 'kubeflow' | 'framework';
  /** Metadata records read. */
  records: number;
  /** For a log that held no records: what its lines looked like and what would read them (`--dialect`, `--loose`). */
  noRecordsHint?: string;
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

export { AGGREGATES, type Aggregate } from '../core/aggregates.js';

/** A bounded store of (x, y) points; `src/analyse/series.ts` provides the real one. */
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
  /**
   * Keys outside `keys` (a set): `skip` them (default), or keep their count, first and latest
   * value only (`partial` summaries): what `sort` needs to choose and fill its default columns,
   * at a fraction of the cost of converting every value.
   */
  others?: 'skip' | 'latest';
  /** Also keep each key's first and latest `_time` and `stats`' moments (`vizmeta summarize`). Default false. */
  moments?: boolean;
  /**
   * Distinct keys (folded or kept light) one execution may hold; one more is an InputError that
   * names the limit (keyLimitMessage), and the summary fails. Default unlimited.
   */
  maxKeys?: number;
}

/**
 * Distinct keys `compare` and `stats` keep by default (`--max-keys`): each costs a few KB (a
 * chart's history in compare, the moments and quantile summary in stats), so 20,000 stay near
 * 100 MB where a log of a million keys took 3-4 GB.
 */
export const DEFAULT_MAX_KEYS = 20_000;

/** The error of an execution with more than `maxKeys` distinct keys: the flag that raises it, and how to choose fewer. */
export function keyLimitMessage(execution: string, maxKeys: number): string {
  return `${execution === '-' ? 'stdin' : execution}: more than ${maxKeys} distinct keys (the --max-keys limit); name the keys with --keys, or raise it with --max-keys N`;
}

/** Whether an execution's error is keyLimitMessage's. */
export function isKeyLimitError(error: string | undefined): boolean {
  return error !== undefined && error.endsWith('(the --max-keys limit); name the keys with --keys, or raise it with --max-keys N');
}

export { STEP_KEYS, stepOf } from '../core/keys.js';

interface Building extends KeySummary {
  store?: HistoryStore;
  live?: Moments;
}

/** In SummaryBuilder's slot cache: the key is folded in full, not kept light. */
const FOLDED: Light = { count: 0, first: null, latest: null, latestLine: 0, latestStep: 0, raw: undefined, rawStart: 0, rawEnd: 0, stamp: 0 };

/** A key kept with `others: 'latest'`; its latest value may still be raw bytes of the current chunk. */
interface Light {
  count: number;
  first: JsonValue;
  latest: JsonValue;
  latestLine: number;
  latestStep: number;
  /** Set while `latest` is still the bytes `[rawStart, rawEnd)` of this buffer. */
  raw: Buffer | undefined;
  rawStart: number;
  rawEnd: number;
  /** The record that last counted this key, so a key twice in a record counts once. */
  stamp: number;
}

/** Folds the records of one execution into its summary. Pure: no I/O. */
export class SummaryBuilder implements OtherKeysSink {
  private readonly keys = new Map<string, Building>();
  private records = 0;
  private firstTime: string | undefined;
  private lastTime: string | undefined;
  private readonly diagnostics: Diagnostic[] = [];
  private droppedDiagnostics = 0;
  private readonly violations: SchemaViolation[] = [];
  private violationCount = 0;
  private readonly wanted: ReadonlySet<string> | 'all';
  /** `wanted` as an array: iterating a Set allocates an iterator per record. */
  private readonly wantedList: readonly string[];
  private readonly history: ReadonlySet<string> | 'all';
  /** The step and line of the record being folded, for `foldLeaf`. */
  private step = 0;
  private line = 0;
  /** `_time` of the record being folded, for `moments`. */
  private time = '';
  /** One visitor for every record, so folding all keys allocates no closure per record. */
  private readonly foldLeaf = (key: string, value: JsonValue): void => this.fold(key, value, this.step, this.line);
  /** The same for noting the keys outside `keys` (addOthers); the record's stamp is its number. */
  private readonly noteLeaf = (name: string, value: JsonValue): void => this.noteValue(name, value, this.records, this.step, this.line);
  /** With `others: 'latest'`: the other keys, where every key was first seen, and raw values to read before the chunk goes. */
  private readonly light: Map<string, Light> | undefined;
  private readonly order = new Map<string, number>();
  /** Light entries by the reader's name-table slot: a Map lookup saved per key per line. */
  private readonly bySlot: Array<Light | undefined> = [];
  private readonly unsettled: Light[] = [];
  /** Reads the raw values kept (number tokens without a string). */
  private readonly decimals = new DecimalReader();

  constructor(readonly execution: string, private readonly options: SummaryOptions = {}) {
    this.wanted = options.keys ?? 'all';
    this.wantedList = this.wanted === 'all' ? [] : [...this.wanted];
    this.history = options.history ?? new Set();
    this.light = options.others === 'latest' && this.wanted !== 'all' ? new Map() : undefined;
  }

  /** Folds one record. With `others: 'latest'`, the keys outside `keys` are taken from its values. */
  add(record: MetadataRecord): void {
    this.addRecord(record, undefined);
  }

  /**
   * Folds one record from a LineReader reading with `keys`, with the keys outside them as the
   * reader found them (OtherKeysSink: `others` is read now; its raw bytes are read by `chunkDone`).
   */
  recordWithOthers(record: MetadataRecord, others: OtherEntries): void {
    this.addRecord(record, others);
  }

  private addRecord(record: MetadataRecord, others: OtherEntries | undefined): void {
    this.records++;
    if (this.firstTime === undefined) this.firstTime = record.time;
    this.lastTime = record.time;
    this.time = record.time;
    const step = stepOf(record.values, this.records);
    if (this.light !== undefined) this.addOthers(record, step, others);
    if (this.wanted === 'all') {
      // forEachLeaf: no Map per record on the usual flat record (the default `sort` folds every key).
      this.step = step;
      this.line = record.line;
      forEachLeaf(record.values, this.foldLeaf);
      return;
    }
    const wanted = this.wantedList;
    for (let k = 0; k < wanted.length; k++) {
      const key = wanted[k] as string;
      const value = getPath(record.values, key);
      if (value !== undefined) this.fold(key, value, step, record.line);
    }
  }

  /**
   * Notes every leaf of the record in its order (flattenValues' order, so first-seen order is the
   * same as when all keys are folded), and keeps count and latest of those outside `keys`.
   */
  private addOthers(record: MetadataRecord, step: number, others: OtherEntries | undefined): void {
    const stamp = this.records;
    const values = record.values;
    if (others === undefined) {
      // forEachLeaf: flattenValues' names and order, without a Map per record.
      this.line = record.line;
      this.step = step;
      forEachLeaf(values, this.noteLeaf);
      return;
    }
    const { kinds, slots } = others;
    for (let n = 0; n < others.length; n++) {
      const kind = kinds[n];
      const slot = slots[n] as number;
      if (kind === EntryKind.Raw) {
        let light = this.bySlot[slot];
        if (light === undefined) {
          // A key outside the reader's wanted set is never one folded in full.
          light = this.lightFor(others.nameOf(n)) as Light;
          this.bySlot[slot] = light;
        }
        this.noteRaw(light, others.buffer, others.starts[n] as number, others.ends[n] as number, stamp, step, record.line);
        continue;
      }
      const value = others.values[n] as JsonValue;
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        this.noteLeaves(others.nameOf(n), value, stamp, step, record.line);
        continue;
      }
      // A leaf named as in the reader's key table: its light entry (or FOLDED) by slot, not by name.
      let light = slot === -1 ? undefined : this.bySlot[slot];
      if (light === undefined) {
        light = this.lightFor(others.nameOf(n)) ?? FOLDED;
        if (slot !== -1) this.bySlot[slot] = light;
      }
      if (light !== FOLDED) this.noteLight(light, value, stamp, step, record.line);
    }
  }

  /**
   * Notes the leaves of a nested object as flattenValues names them (`eval.precision`), in its
   * order. A name met twice (`{"a": {"b.c": 1, "b": {"c": 2}}}`) is counted once with the later
   * value, as flattenValues' Map keeps it, so the result is the same without building the Map.
   */
  private noteLeaves(prefix: string, object: JsonObject, stamp: number, step: number, line: number): void {
    for (const key of Object.keys(object)) {
      const value = object[key] as JsonValue;
      const name = `${prefix}.${key}`;
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) this.noteLeaves(name, value, stamp, step, line);
      else this.noteValue(name, value, stamp, step, line);
    }
  }

  /** The light entry of a key outside `keys`, or undefined for a key that is folded in full; notes first-seen order. */
  private lightFor(name: string): Light | undefined {
    const light = this.light as Map<string, Light>;
    const known = light.get(name);
    if (known !== undefined) return known;
    if (!this.order.has(name)) this.order.set(name, this.order.size);
    if ((this.wanted as ReadonlySet<string>).has(name)) return undefined;
    this.checkKeyLimit();
    const created: Light = { count: 0, first: null, latest: null, latestLine: 0, latestStep: 0, raw: undefined, rawStart: 0, rawEnd: 0, stamp: 0 };
    light.set(name, created);
    return created;
  }

  private noteValue(name: string, value: JsonValue, stamp: number, step: number, line: number): void {
    const light = this.lightFor(name);
    if (light !== undefined) this.noteLight(light, value, stamp, step, line);
  }

  private noteLight(light: Light, value: JsonValue, stamp: number, step: number, line: number): void {
    if (light.stamp !== stamp) {
      light.stamp = stamp;
      light.count++;
    }
    // A key twice in one record has the later value, as JSON.parse gives it; so has `first`.
    if (light.count === 1) light.first = value;
    light.latest = value;
    light.raw = undefined;
    light.latestLine = line;
    light.latestStep = step;
  }

  private noteRaw(light: Light, buffer: Buffer, start: number, end: number, stamp: number, step: number, line: number): void {
    if (light.stamp !== stamp) {
      light.stamp = stamp;
      light.count++;
    }
    if (light.count === 1) light.first = rawValue(buffer, start, end, this.decimals);
    if (light.raw === undefined) this.unsettled.push(light);
    light.raw = buffer;
    light.rawStart = start;
    light.rawEnd = end;
    light.latestLine = line;
    light.latestStep = step;
  }

  /** Reads the raw latest values that point into the reader's current chunk, before it is released. */
  chunkDone(): void {
    for (const light of this.unsettled) {
      if (light.raw !== undefined) light.latest = rawValue(light.raw, light.rawStart, light.rawEnd, this.decimals);
      light.raw = undefined;
    }
    this.unsettled.length = 0;
  }

  diagnostic(diagnostic: Diagnostic): void {
    if (this.diagnostics.length < MAX_KEPT) this.diagnostics.push(diagnostic);
    else this.droppedDiagnostics++;
  }

  violation(violation: SchemaViolation): void {
    this.violationCount++;
    if (this.violations.length < MAX_KEPT) this.violations.push(violation);
  }

  /** Before a new key is kept: past `maxKeys` the summary stops (an endless variety of keys must not grow without end). */
  private checkKeyLimit(): void {
    const max = this.options.maxKeys;
    if (max !== undefined && this.keys.size + (this.light?.size ?? 0) >= max) throw new InputError(keyLimitMessage(this.execution, max));
  }

  private fold(key: string, value: JsonValue, step: number, line: number): void {
    let summary = this.keys.get(key);
    if (summary === undefined) {
      this.checkKeyLimit();
      summary = {
        count: 0, numeric: 0, nan: 0, inf: 0,
        latest: value, latestLine: line, latestStep: step, first: value,
        min: undefined, max: undefined, minStep: undefined, maxStep: undefined, sum: 0,
      };
      if ((this.history === 'all' || this.history.has(key)) && this.options.makeHistory) summary.store = this.options.makeHistory();
      if (this.options.moments === true) {
        summary.live = new Moments();
        summary.firstTime = this.time;
        summary.firstLine = line;
        summary.firstStep = step;
      }
      this.keys.set(key, summary);
    }
    if (summary.live !== undefined) {
      summary.live.add(value);
      summary.latestTime = this.time;
    }
    summary.count++;
    summary.latest = value;
    summary.latestLine = line;
    summary.latestStep = step;
    let number: number;
    if (typeof value === 'number') number = value;
    else if (typeof value === 'string') {
      // A numeric string ("0.3", as Transformers 5 prints) is its number for min, max and mean,
      // as gate, sort and the charts read it; `latest` keeps what was printed.
      const parsed = numberFromText(value);
      if (parsed === undefined) return;
      number = parsed;
    } else return;
    summary.numeric++;
    // Non-finite values go into the history too: a sparkline marks where a run diverged.
    if (summary.store) summary.store.push(step, number);
    if (Number.isNaN(number)) {
      summary.nan++;
      return;
    }
    if (!Number.isFinite(number)) summary.inf++;
    summary.sum += number;
    if (summary.min === undefined || number < summary.min) {
      summary.min = number;
      summary.minStep = step;
      if (summary.live !== undefined) summary.minTime = this.time;
    }
    if (summary.max === undefined || number > summary.max) {
      summary.max = number;
      summary.maxStep = step;
      if (summary.live !== undefined) summary.maxTime = this.time;
    }
  }

  finish(lines: number, kind: ExecutionSummary['kind'] = 'log'): ExecutionSummary {
    this.chunkDone();
    let keys = new Map<string, KeySummary>();
    for (const [key, building] of this.keys) {
      const { store, live, ...plain } = building;
      if (store) plain.history = store.points().map((point) => ({ x: point.x, y: point.y }));
      if (live) plain.moments = live.toPlain();
      keys.set(key, plain);
    }
    if (this.light !== undefined) {
      for (const [key, light] of this.light) {
        if (light.count === 0) continue;
        keys.set(key, {
          count: light.count, numeric: 0, nan: 0, inf: 0, sum: 0,
          latest: light.latest, latestLine: light.latestLine, latestStep: light.latestStep, first: light.first,
          min: undefined, max: undefined, minStep: undefined, maxStep: undefined, partial: true,
        });
      }
      // First-seen order, as when every key is folded.
      const rank = (key: string): number => this.order.get(key) ?? Number.MAX_SAFE_INTEGER;
      keys = new Map([...keys].sort((a, b) => rank(a[0]) - rank(b[0])));
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

export { normalizeKey } from '../core/keys.js';

export type { Direction, DirectionOverrides, Tendency } from '../core/vocabulary.js';
export { tendencyOf } from '../core/vocabulary.js';

/**
 * A key's direction where one is required and none may be left open (early stopping's `--mode
 * auto`, the step at a key's best value): the vocabulary's (`tendencyOf`: an override, else the
 * words of the name, so `val_accuracy` and `eval_samples_per_second` are `max`), and Keras's
 * `min` for a name with no direction (learning rates, runtimes, unknown names). Commands that can
 * say "no direction" use `tendencyOf` instead: `sort` says how it ordered such a key, `compare`
 * gives it no verdict, `gate --max-drop` asks for `--higher-is-better` or `--lower-is-better`.
 */
export function directionOf(key: string, overrides: DirectionOverrides = {}): Direction {
  return tendencyOf(key, overrides) === 'max' ? 'max' : 'min';
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
