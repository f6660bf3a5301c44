/**
 * Executions side by side against a baseline: latest values, deltas, and whether each delta is
 * better or worse by the key's direction. Pure: summaries in, plain rows out.
 */
import { STEP_KEYS } from '../core/keys.js';
import { aggregateOf, directionOf, unionKeys, type DirectionOverrides, type ExecutionSummary } from './summary.js';
import type { JsonValue } from '../core/types.js';

/** One key across the executions. */
export interface ComparedKey {
  key: string;
  direction: 'max' | 'min';
  values: Array<JsonValue | undefined>;
  /** Against the baseline (index 0); undefined when either is not a number. */
  deltas: Array<number | undefined>;
}

/** Latest values and deltas against the first execution. */
export function compareExecutions(executions: readonly ExecutionSummary[], keys: readonly string[], directions: DirectionOverrides): ComparedKey[] {
  return keys.map((key) => {
    const values = executions.map((execution) => aggregateOf(execution, key, 'latest'));
    const base = values[0];
    const deltas = values.map((value) => {
      if (typeof value !== 'number' || typeof base !== 'number' || Number.isNaN(value) || Number.isNaN(base)) return undefined;
      const delta = value - base;
      // Two computations of the same value (0.001 vs 0.0010000000000000002) are equal, not a change.
      return Math.abs(delta) <= 1e-12 * Math.max(Math.abs(value), Math.abs(base)) ? 0 : delta;
    });
    return { key, direction: directionOf(key, directions), values, deltas };
  });
}

/** Whether a delta is an improvement by the key's direction; undefined for no change or no number. */
export function verdict(delta: number | undefined, direction: 'max' | 'min'): 'better' | 'worse' | undefined {
  if (delta === undefined || delta === 0 || Number.isNaN(delta)) return undefined;
  return (delta > 0) === (direction === 'max') ? 'better' : 'worse';
}

/**
 * The numeric keys worth comparing when none are named: step-like keys, then metrics (logged more
 * than once somewhere), then settings printed once (`lr0`, `batch_size`). Charts go to metrics.
 */
export function defaultCompareKeys(executions: readonly ExecutionSummary[]): { keys: string[]; metrics: string[] } {
  const numeric = unionKeys(executions).filter((key) => executions.some((execution) => typeof execution.keys.get(key)?.latest === 'number'));
  const logged = (key: string): boolean => executions.some((execution) => (execution.keys.get(key)?.count ?? 0) > 1);
  const steps = numeric.filter((key) => STEP_KEYS.includes(key));
  const metrics = numeric.filter((key) => !STEP_KEYS.includes(key) && logged(key));
  const settings = numeric.filter((key) => !STEP_KEYS.includes(key) && !logged(key));
  return { keys: [...steps, ...metrics, ...settings], metrics };
}
