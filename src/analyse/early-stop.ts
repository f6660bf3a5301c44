/**
 * Stop rules for `watch` and `run`: `--stop-when EXPR` conditions and a plateau rule with
 * Keras `EarlyStopping` semantics (patience, min_delta, mode, baseline, start_from_epoch).
 *
 * Everything here is pure: a stopper is fed one record's values at a time and answers whether a
 * rule says "stop" at that record, and why, as data (render/stop.ts words it). The caller owns the
 * stream, the child process and the exit code.
 */
import { UsageError } from '../core/errors.js';
import { getPath, stepKeyOf } from '../core/keys.js';
import { tendencyOf } from '../core/vocabulary.js';
import { describeRef, type CompiledExpression, type Environment, type NameRef } from './expr.js';
import type { JsonObject, JsonValue } from '../core/types.js';

/** Which way is better. `auto` guesses from the monitored name (see {@link resolveMode}). */
export type PlateauMode = 'min' | 'max' | 'auto';

/** A Keras-style plateau rule. Each record that holds a number under `monitor` is one epoch. */
export interface PlateauOptions {
  /** The key to watch, a dotted path (`val_loss`, `val.loss`; a leading `metadata.` is dropped). */
  monitor: string;
  /** Epochs without improvement before stopping. Default 0: stop at the first epoch that does not improve. */
  patience?: number;
  /** Smallest change that counts as an improvement; its sign is ignored. Default 0. */
  minDelta?: number;
  /** Default `auto`. */
  mode?: PlateauMode;
  /** Patience only resets once a value also beats this (`--baseline-value`, Keras's `baseline`). Default: none. */
  baseline?: number;
  /** Epochs to ignore at the start, Keras's `start_from_epoch`. Default 0. */
  startFrom?: number;
}

/** Where a rule fired: the record's step key (`step`, `epoch`, …) and its value, else its record number (1-based). */
export type StopPosition = { key: string; step: number } | { record: number };

/** What made a rule fire. */
export type StopReason =
  /** An expression held; `used` are the names it read (`loss`, `min(loss)`) and their values. */
  | { kind: 'expression'; used: Array<{ name: string; value: unknown }> }
  | {
      kind: 'plateau';
      monitor: string;
      current: number;
      /** Records (epochs) since patience last restarted. */
      records: number;
      /** The margin an improvement needs (0: any). */
      minDelta: number;
      /** The best value so far and where; undefined when no value was usable (all NaN). */
      best?: { value: number; at: StopPosition };
      /** Set when the best value has not beaten the baseline: the baseline. */
      baselineMissed?: number;
    };

/** Why a run should stop. */
export interface StopDecision {
  /** The rule as the user would write it: `--stop-when 'val_loss > 5'`, `--monitor val_loss --patience 3`. */
  rule: string;
  /** The record's `step`, else its `epoch`, else its 0-based index among the records observed. */
  step?: number;
  /** The monitored value (plateau), or the first value the expression read. */
  value?: unknown;
  /** The record at which the rule fired. */
  at: StopPosition;
  reason: StopReason;
}

/** The rules a stopper applies, expressions first, in order. */
export interface StopRules {
  expressions: CompiledExpression[];
  plateau?: PlateauOptions;
}

/**
 * The direction a plateau rule optimises. `auto` keeps Keras's rule, `min` unless the name reads
 * higher-is-better, with the vocabulary's reading of names (core/vocabulary.ts `tendencyOf`):
 * `val_accuracy`, `top_k_categorical_accuracy`, `f1`, `eval_samples_per_second` are `max`; losses,
 * errors, and names with no direction (a learning rate, an unknown name) are `min`.
 */
export function resolveMode(monitor: string, mode: PlateauMode = 'auto'): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  return tendencyOf(stripMetadata(monitor)) === 'max' ? 'max' : 'min';
}

/** The plateau rule as command-line flags, for messages: `--monitor val_loss --patience 3`. */
export function plateauRule(options: PlateauOptions): string {
  let rule = `--monitor ${shellWord(options.monitor)} --patience ${options.patience ?? 0}`;
  if (options.minDelta) rule += ` --min-delta ${options.minDelta}`;
  if (options.mode && options.mode !== 'auto') rule += ` --mode ${options.mode}`;
  if (options.baseline !== undefined) rule += ` --baseline-value ${options.baseline}`;
  if (options.startFrom) rule += ` --start-from ${options.startFrom}`;
  return rule;
}

/** The expression rule as a command-line flag: `--stop-when 'val_loss > 5'`. */
export function expressionRule(expression: CompiledExpression): string {
  return `--stop-when ${shellQuote(expression.source)}`;
}

/**
 * A stateful checker over a stream of records. `observe` returns a decision for every record at
 * which some rule says stop (callers normally act on the first), or null.
 * Throws {@link UsageError} for invalid plateau options.
 */
export function createStopper(rules: StopRules): { observe(values: JsonObject): StopDecision | null } {
  const plateau = rules.plateau ? createPlateau(rules.plateau) : undefined;
  const history = new History(rules.expressions.flatMap((expression) => expression.references));
  let index = 0;
  return {
    observe(values: JsonObject): StopDecision | null {
      const at = positionOf(values, index++);
      history.observe(values);
      // The plateau sees every record, even one at which an expression fires first.
      const plateauDecision = plateau?.observe(values, at) ?? null;
      for (const expression of rules.expressions) {
        const result = expression.evaluate(history);
        if (result.ok && result.value) return expressionDecision(expression, result.used, at);
      }
      return plateauDecision;
    },
  };
}

/** Runs the rules over saved records: the first decision and the index of its record, or null. */
export function evaluateStopRules(rules: StopRules, records: JsonObject[]): { decision: StopDecision; index: number } | null {
  const stopper = createStopper(rules);
  for (let index = 0; index < records.length; index++) {
    const decision = stopper.observe(records[index] as JsonObject);
    if (decision) return { decision, index };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------

/** Where a record sits: a number, and how a message names it. */
interface Position {
  step: number;
  at: StopPosition;
}

/** A record's step as everywhere else (core/keys.ts), named by the key that gave it; else its record number. */
function positionOf(values: JsonObject, index: number): Position {
  const key = stepKeyOf(values);
  if (key !== undefined) return { step: values[key] as number, at: { key, step: values[key] as number } };
  return { step: index, at: { record: index + 1 } };
}

function expressionDecision(expression: CompiledExpression, used: Array<{ ref: NameRef; value: unknown }>, at: Position): StopDecision {
  return {
    rule: expressionRule(expression),
    step: at.step,
    value: used[0]?.value,
    at: at.at,
    reason: { kind: 'expression', used: used.map(({ ref, value }) => ({ name: ref.aggregate === 'latest' ? ref.path : describeRef(ref), value })) },
  };
}

/**
 * Keras `EarlyStopping.on_epoch_end`, one epoch per record holding a number under the monitored
 * key. NaN is never an improvement, so it counts toward patience.
 */
function createPlateau(options: PlateauOptions): { observe(values: JsonObject, at: Position): StopDecision | null } {
  const settings = validatePlateau(options);
  const rule = plateauRule(options);
  const maximise = resolveMode(settings.monitor, settings.mode) === 'max';
  // Keras keeps |min_delta| and negates it when minimising: min means current + |δ| < best.
  const delta = maximise ? settings.minDelta : -settings.minDelta;
  const improves = (current: number, reference: number): boolean => (maximise ? current - delta > reference : current - delta < reference);
  let epoch = 0;
  let wait = 0;
  let best = maximise ? -Infinity : Infinity;
  let bestAt: Position | undefined;

  return {
    observe(values, at) {
      const current = getPath(values, settings.monitor);
      if (typeof current !== 'number') return null;
      const thisEpoch = epoch++;
      if (thisEpoch < settings.startFrom) return null;
      wait++;
      if (improves(current, best)) {
        best = current;
        bestAt = at;
        // Only restart patience once the value beats the baseline too.
        if (settings.baseline === undefined || improves(current, settings.baseline)) wait = 0;
        return null;
      }
      if (wait < settings.patience || thisEpoch === 0) return null;
      const missed = bestAt !== undefined && settings.baseline !== undefined && !improves(best, settings.baseline);
      return {
        rule,
        step: at.step,
        value: current,
        at: at.at,
        reason: {
          kind: 'plateau',
          monitor: settings.monitor,
          current,
          records: wait,
          minDelta: settings.minDelta,
          ...(bestAt ? { best: { value: best, at: bestAt.at } } : {}),
          ...(missed && settings.baseline !== undefined ? { baselineMissed: settings.baseline } : {}),
        },
      };
    },
  };
}

interface PlateauSettings {
  monitor: string;
  patience: number;
  minDelta: number;
  mode: PlateauMode;
  baseline: number | undefined;
  startFrom: number;
}

function validatePlateau(options: PlateauOptions): PlateauSettings {
  const monitor = stripMetadata(options.monitor.trim());
  if (monitor === '') throw new UsageError('--monitor needs a key name');
  const patience = options.patience ?? 0;
  if (!Number.isSafeInteger(patience) || patience < 0) throw new UsageError(`--patience must be a whole number ≥ 0, not ${patience}`);
  const startFrom = options.startFrom ?? 0;
  if (!Number.isSafeInteger(startFrom) || startFrom < 0) throw new UsageError(`--start-from must be a whole number ≥ 0, not ${startFrom}`);
  const minDelta = options.minDelta ?? 0;
  if (!Number.isFinite(minDelta)) throw new UsageError(`--min-delta must be a finite number, not ${minDelta}`);
  const mode = options.mode ?? 'auto';
  if (mode !== 'auto' && mode !== 'min' && mode !== 'max') throw new UsageError(`--mode must be min, max or auto, not ${String(mode)}`);
  if (options.baseline !== undefined && !Number.isFinite(options.baseline)) throw new UsageError(`--baseline-value must be a finite number, not ${options.baseline}`);
  return { monitor, patience, minDelta: Math.abs(minDelta), mode, baseline: options.baseline, startFrom };
}

function stripMetadata(path: string): string {
  return path.startsWith('metadata.') && path.length > 'metadata.'.length ? path.slice('metadata.'.length) : path;
}

/** Running aggregates of one key over the records seen. min, max and mean skip NaN and non-numbers. */
interface Aggregate {
  count: number;
  first: JsonValue | undefined;
  numbers: number;
  min: number;
  max: number;
  sum: number;
}

/**
 * What `--stop-when` expressions read: the latest value of every key (nested objects merged, so a
 * record holding only `{"val": {"acc": 1}}` keeps the last `val.loss`), and running aggregates for
 * the keys an expression aggregates. Memory is one value per key.
 */
class History implements Environment {
  private readonly latest: JsonObject = {};
  private readonly aggregates = new Map<string, Aggregate>();

  constructor(references: NameRef[]) {
    for (const ref of references) {
      if (ref.aggregate !== 'latest') this.aggregates.set(ref.path, { count: 0, first: undefined, numbers: 0, min: Infinity, max: -Infinity, sum: 0 });
    }
  }

  observe(values: JsonObject): void {
    mergeInto(this.latest, values);
    for (const [path, aggregate] of this.aggregates) {
      const value = getPath(values, path);
      if (value === undefined) continue;
      if (aggregate.count++ === 0) aggregate.first = value;
      if (typeof value === 'number' && !Number.isNaN(value)) {
        aggregate.numbers++;
        aggregate.min = Math.min(aggregate.min, value);
        aggregate.max = Math.max(aggregate.max, value);
        aggregate.sum += value;
      }
    }
  }

  lookup(ref: NameRef): unknown {
    if (ref.aggregate === 'latest') return getPath(this.latest, ref.path);
    const aggregate = this.aggregates.get(ref.path);
    if (!aggregate || aggregate.count === 0) return undefined;
    switch (ref.aggregate) {
      case 'first': return aggregate.first;
      case 'count': return aggregate.count;
      case 'min': return aggregate.numbers > 0 ? aggregate.min : undefined;
      case 'max': return aggregate.numbers > 0 ? aggregate.max : undefined;
      case 'mean': return aggregate.numbers > 0 ? aggregate.sum / aggregate.numbers : undefined;
    }
  }
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep-merges `source` into `target`. Objects inside `target` are always our own copies. */
function mergeInto(target: JsonObject, source: JsonObject): void {
  for (const key of Object.keys(source)) {
    const incoming = source[key] as JsonValue;
    let value = incoming;
    if (isObject(incoming)) {
      const existing = Object.hasOwn(target, key) ? target[key] : undefined;
      const merged: JsonObject = isObject(existing) ? existing : {};
      mergeInto(merged, incoming);
      value = merged;
    }
    // defineProperty, so a `__proto__` key stays a data key.
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  }
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A key as a shell word: bare when that is safe, quoted otherwise. */
function shellWord(text: string): string {
  return /^[\w.,:/@%+-]+$/.test(text) ? text : shellQuote(text);
}
