/**
 * Executions side by side against a baseline, each key by its role in the vocabulary
 * (core/vocabulary.ts): step keys and metrics with their latest values and deltas, and a verdict
 * (better or worse) only for metrics with a direction; settings (a seed, a batch size, a config
 * print, any text) side by side, the values that differ from the baseline's marked, never better
 * or worse. Pure: summaries in, plain rows out.
 */
import { isStepKey, roleOf, tendencyOf, type DirectionOverrides, type KeyFacts, type KeyRole, type Tendency } from '../core/vocabulary.js';
import { numberFromText } from '../core/numbers.js';
import { aggregateOf, lookupKey, unionKeys, type ExecutionSummary, type KeySummary } from './summary.js';
import type { JsonValue } from '../core/types.js';

/** One key across the executions. */
export interface ComparedKey {
  key: string;
  /** `step` and `metric` rows have deltas; `setting` rows are shown side by side. */
  role: KeyRole;
  /** Which way is better: `max` or `min` for a metric with a direction, else `neutral` (no verdict). */
  direction: Tendency;
  /** Latest values; a numeric string of a step or metric as its number. */
  values: Array<JsonValue | undefined>;
  /** Against the baseline (index 0); undefined when either is not a number, and for settings. */
  deltas: Array<number | undefined>;
  /** Per execution: its value is present and not the baseline's (index 0: false). Settings only; all false otherwise. */
  differs: boolean[];
}

/** A numeric string (`"0.3"`) as its number, as `gate` reads it (core/numbers.ts). */
function asNumber(value: JsonValue | undefined): JsonValue | undefined {
  return typeof value === 'string' ? numberFromText(value) ?? value : value;
}

/**
 * What one execution's summary says of a key, for its role: numbers only (a numeric string
 * counts, judged by its first and latest values, as the summary keeps no more of strings), and
 * one value throughout (logged once, or min equal to max).
 */
export function keyFacts(summary: KeySummary): KeyFacts {
  const strings = summary.numeric === 0 && typeof asNumber(summary.first) === 'number' && typeof asNumber(summary.latest) === 'number';
  const numeric = summary.count > 0 && (summary.numeric === summary.count || strings);
  const constant = summary.count === 1
    || (summary.min !== undefined && summary.min === summary.max && summary.nan === 0)
    || (strings && summary.first === summary.latest);
  return { numeric, constant };
}

/**
 * A key's role across executions: a step key by name; a metric when it is one in any execution
 * that has it (it changes there, or has a direction); a setting when it is one in all of them.
 */
export function roleAcross(key: string, executions: readonly ExecutionSummary[], directions: DirectionOverrides = {}): KeyRole {
  if (isStepKey(key)) return 'step';
  let setting = false;
  for (const execution of executions) {
    const summary = lookupKey(execution, key);
    if (summary === undefined || summary.count === 0) continue;
    if (roleOf(key, keyFacts(summary), directions) === 'metric') return 'metric';
    setting = true;
  }
  return setting ? 'setting' : 'metric';
}

/** Whether two values are the same setting: equal numbers (NaN equals NaN), else equal JSON. */
function sameValue(a: JsonValue, b: JsonValue): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Latest values against the first execution: deltas for steps and metrics, differences for settings. */
export function compareExecutions(executions: readonly ExecutionSummary[], keys: readonly string[], directions: DirectionOverrides): ComparedKey[] {
  return keys.map((key) => {
    const role = roleAcross(key, executions, directions);
    const raw = executions.map((execution) => aggregateOf(execution, key, 'latest'));
    if (role === 'setting') {
      const base = raw[0];
      const differs = raw.map((value, i) => i > 0 && value !== undefined && (base === undefined || !sameValue(value, base)));
      return { key, role, direction: 'neutral', values: raw, deltas: raw.map(() => undefined), differs };
    }
    const values = raw.map(asNumber);
    const base = values[0];
    const deltas = values.map((value) => {
      if (typeof value !== 'number' || typeof base !== 'number' || Number.isNaN(value) || Number.isNaN(base)) return undefined;
      const delta = value - base;
      // Two computations of the same value (0.001 vs 0.0010000000000000002) are equal, not a change.
      return Math.abs(delta) <= 1e-12 * Math.max(Math.abs(value), Math.abs(base)) ? 0 : delta;
    });
    const direction: Tendency = role === 'step' ? 'neutral' : tendencyOf(key, directions);
    return { key, role, direction, values, deltas, differs: values.map(() => false) };
  });
}

/** Whether a delta is an improvement by the key's direction; undefined for no change, no number or no direction. */
export function verdict(delta: number | undefined, direction: Tendency): 'better' | 'worse' | undefined {
  if (direction === 'neutral' || delta === undefined || delta === 0 || Number.isNaN(delta)) return undefined;
  return (delta > 0) === (direction === 'max') ? 'better' : 'worse';
}

/** Holds one value that can be shown in a cell: not an array or object (a confusion matrix, a nested config). */
function scalar(value: JsonValue | undefined): boolean {
  return value === null || (value !== undefined && typeof value !== 'object');
}

/**
 * The keys worth comparing when none are named: step keys, then metrics, then settings (numbers
 * or text with one value per run: `lr0`, `seed`, `optimizer`), each in first-seen order; keys
 * holding arrays or objects are left out. `metrics` are the metrics logged more than once
 * somewhere: those have a history to chart.
 */
export function defaultCompareKeys(executions: readonly ExecutionSummary[], directions: DirectionOverrides = {}): { keys: string[]; metrics: string[] } {
  const shown = unionKeys(executions).filter((key) => executions.some((execution) => {
    const summary = execution.keys.get(key);
    return summary !== undefined && scalar(summary.latest);
  }));
  const roles = new Map(shown.map((key) => [key, roleAcross(key, executions, directions)]));
  const having = (role: KeyRole): string[] => shown.filter((key) => roles.get(key) === role);
  const logged = (key: string): boolean => executions.some((execution) => (execution.keys.get(key)?.count ?? 0) > 1);
  const metrics = having('metric');
  return { keys: [...having('step'), ...metrics, ...having('setting')], metrics: metrics.filter(logged) };
}
