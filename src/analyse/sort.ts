/**
 * Ranking executions by one aggregate of a key, as Valohai's execution table does, and choosing
 * the other columns when none are named. Pure: summaries in, ranked rows out.
 */
import { UsageError } from '../core/errors.js';
import { numberFromText } from '../core/numbers.js';
import { isStepKey, tendencyOf, type DirectionOverrides, type Tendency } from '../core/vocabulary.js';
import { aggregateOf, unionKeys, type Aggregate, type ExecutionSummary } from './summary.js';
import type { JsonValue } from '../core/types.js';
import type { RowAggregate } from '../core/aggregates.js';

/** One ranked execution. */
export interface SortedRow {
  execution: ExecutionSummary;
  /** 1-based rank; undefined for executions without the key. */
  rank: number | undefined;
  value: JsonValue | undefined;
}

/** How a value sorts: numbers, then strings, then NaN and other values, then missing. */
function sortClass(value: JsonValue | undefined): number {
  if (value === undefined) return 4;
  if (typeof value === 'number') return Number.isNaN(value) ? 2 : 0;
  if (typeof value === 'string') return 1;
  return 3;
}

/**
 * Orders two values for sorting: numbers, then strings, then NaN and other types, then missing
 * (undefined), whatever the direction; within numbers and strings `ascending` decides. 0 on ties.
 */
export function compareValues(a: JsonValue | undefined, b: JsonValue | undefined, ascending: boolean): number {
  const ca = sortClass(a);
  const cb = sortClass(b);
  if (ca !== cb) return ca - cb;
  const sign = ascending ? 1 : -1;
  if (ca === 0) {
    const d = (a as number) - (b as number);
    if (d !== 0 && !Number.isNaN(d)) return sign * d;
  } else if (ca === 1) {
    const d = (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    if (d !== 0) return sign * d;
  }
  return 0;
}

/** Which way `sort` ordered, and why: for the caption that says so. */
export interface SortOrder {
  ascending: boolean;
  /** The sorted quantity's direction: the key's, or `neutral` (also for `count`, which has none). */
  tendency: Tendency;
  /** What chose the order: `--asc` or `--desc`, the direction (best first), or the default for a key with none (highest first). */
  chosenBy: 'asc' | 'desc' | 'direction' | 'default';
}

/**
 * The order of a ranking: `--asc` or `--desc` when given (not both: a usage error); else best
 * first by the key's direction (`tendencyOf`: lower-is-better keys ascending); else, for a key
 * with no direction (and for `count`), highest first, as sort always did.
 */
export function sortOrder(key: string, aggregate: RowAggregate, flags: { asc?: boolean | undefined; desc?: boolean | undefined }, overrides: DirectionOverrides = {}): SortOrder {
  if (flags.asc === true && flags.desc === true) throw new UsageError('--asc and --desc cannot be used together');
  // How often a key was logged is no better for being higher or lower, whatever the key.
  const tendency = aggregate === 'count' ? 'neutral' : tendencyOf(key, overrides);
  if (flags.asc === true) return { ascending: true, tendency, chosenBy: 'asc' };
  if (flags.desc === true) return { ascending: false, tendency, chosenBy: 'desc' };
  if (tendency === 'neutral') return { ascending: false, tendency, chosenBy: 'default' };
  return { ascending: tendency === 'min', tendency, chosenBy: 'direction' };
}

/** A string that spells a number (`"0.3"`, `"nan"`) is that number, as `gate` reads it (core/numbers.ts). */
export function numericValue(value: JsonValue | undefined): JsonValue | undefined {
  return typeof value === 'string' ? numberFromText(value) ?? value : value;
}

/**
 * Ranks executions by one aggregate of a key. Descending unless `ascending` (see
 * {@link sortOrder} for the order a key's direction asks for); ties keep input order; executions
 * lacking the key come last whatever the direction, then NaN and odd types just before them.
 * A value that is a numeric string ranks, and is shown, as its number.
 */
export function sortExecutions(executions: readonly ExecutionSummary[], key: string, aggregate: Aggregate, ascending: boolean): SortedRow[] {
  const rows = executions.map((execution, index) => ({ execution, index, value: numericValue(aggregateOf(execution, key, aggregate)) }));
  rows.sort((a, b) => compareValues(a.value, b.value, ascending) || a.index - b.index);
  let rank = 0;
  return rows.map((row) => ({ execution: row.execution, value: row.value, rank: row.value === undefined ? undefined : ++rank }));
}

/**
 * The other columns when none are named: up to `count` numeric keys, metrics before settings
 * (a key logged more than once in more executions ranks higher; `lr0` printed once in a config
 * line ranks low), then by how many executions have it, then first seen. Step-like keys
 * (`step`, `epoch`) go last: they say how far a run got.
 */
export function defaultKeys(executions: readonly ExecutionSummary[], exclude: readonly string[], count = 4): string[] {
  const ranked: Array<{ key: string; logged: number; having: number; order: number; step: boolean }> = [];
  unionKeys(executions).forEach((key, order) => {
    if (exclude.includes(key)) return;
    let having = 0;
    let logged = 0;
    for (const execution of executions) {
      const summary = execution.keys.get(key);
      if (summary === undefined || typeof numericValue(summary.latest) !== 'number') continue;
      having++;
      if (summary.count > 1) logged++;
    }
    if (having > 0) ranked.push({ key, logged, having, order, step: isStepKey(key) });
  });
  ranked.sort((a, b) => Number(a.step) - Number(b.step) || b.logged - a.logged || b.having - a.having || a.order - b.order);
  return ranked.slice(0, count).map((entry) => entry.key);
}

/** The column name for the sort key: `accuracy`, or `max(accuracy)` for another aggregate (also the JSON property). */
export function aggregateLabel(key: string, aggregate: Aggregate): string {
  return aggregate === 'latest' ? key : `${aggregate}(${key})`;
}

/** What `sort` shows: the ranked rows, the key and aggregate they were ranked by, the other columns. */
export interface SortView {
  rows: SortedRow[];
  key: string;
  aggregate: Aggregate;
  /** More aggregates shown after the ranked one (the rest of an `--agg` list), each `max(accuracy)`. Default none. */
  aggregates?: Array<{ key: string; aggregate: Aggregate }>;
  /** Other keys, their latest values. */
  others: string[];
  /** Rows left out by --limit. */
  hidden: number;
  /** Which way it was sorted and why; absent, the text output says nothing of it. */
  order?: SortOrder;
}

/** The first `top` rows of a ranking (`--limit`), and how many were left out. */
export function topRows(rows: SortedRow[], top: number | undefined): { rows: SortedRow[]; hidden: number } {
  if (top === undefined || rows.length <= top) return { rows, hidden: 0 };
  return { rows: rows.slice(0, top), hidden: rows.length - top };
}
