/**
 * `table`'s row logic: `--where` as a row filter, aggregate lists (`mean(loss),count()`), grouping
 * rows by one key's value, and `--by KEY` (or the old `--sort KEY` / `-KEY`) over records or
 * grouped rows. Pure: record values in, rows of values out.
 */
import { InputError, UsageError } from '../core/errors.js';
import { getPath, normalizeKey } from '../core/keys.js';
import { ROW_AGGREGATES, type AggregateSpec, type RowAggregate } from '../core/aggregates.js';
import type { JsonValue, MetadataRecord } from '../core/types.js';
import { recordEnvironment, type CompiledExpression } from './expr.js';
import { compareValues } from './sort.js';

export type AggregateFunction = RowAggregate;
export { parseAggregates, type AggregateSpec } from '../core/aggregates.js';

interface GroupAccumulator {
  value: JsonValue | undefined;
  rows: number;
  cells: Array<{ count: number; sum: number; numbers: number; min?: number; max?: number; first?: JsonValue; latest?: JsonValue }>;
}

/**
 * Groups `table --group-by` keeps by default. Each costs about 1 KB with the rows' rendering,
 * so 100,000 groups stay near 100 MB; `--max-groups` raises the bound.
 */
export const DEFAULT_MAX_GROUPS = 100_000;

/** Folds rows into groups of one key's value, with the requested aggregates. Pure. */
export class GroupBuilder {
  private readonly groups = new Map<string, GroupAccumulator>();
  /** Set once a row would have made more than `maxGroups` groups; that row and every later new group are refused. */
  overflowed = false;

  constructor(private readonly key: string, private readonly specs: readonly AggregateSpec[], private readonly maxGroups = DEFAULT_MAX_GROUPS) {}

  /** @throws InputError when the row's value would be one group more than `maxGroups` (the limit is said, not the rows dropped). */
  add(values: MetadataRecord['values']): void {
    const value = getPath(values, this.key);
    const id = value === undefined ? 'missing' : `${typeof value}:${typeof value === 'object' ? JSON.stringify(value) : String(value)}`;
    let group = this.groups.get(id);
    if (!group) {
      if (this.groups.size >= this.maxGroups) {
        this.overflowed = true;
        throw new InputError(`--group-by ${this.key}: more than ${this.maxGroups} groups (the --max-groups limit); raise it with --max-groups N`);
      }
      group = { value, rows: 0, cells: this.specs.map(() => ({ count: 0, sum: 0, numbers: 0 })) };
      this.groups.set(id, group);
    }
    group.rows++;
    this.specs.forEach((spec, i) => {
      const cell = group.cells[i];
      if (!cell || spec.key === undefined) return;
      const item = getPath(values, spec.key);
      if (item === undefined) return;
      cell.count++;
      if (cell.count === 1) cell.first = item;
      cell.latest = item;
      if (typeof item === 'number' && !Number.isNaN(item)) {
        cell.numbers++;
        cell.sum += item;
        if (cell.min === undefined || item < cell.min) cell.min = item;
        if (cell.max === undefined || item > cell.max) cell.max = item;
      }
    });
  }

  /** One row per group, in first-seen order: the group value, then each aggregate. */
  rows(): Array<Array<JsonValue | undefined>> {
    return [...this.groups.values()].map((group) => [group.value, ...this.specs.map((spec, i): JsonValue | undefined => {
      const cell = group.cells[i];
      if (spec.key === undefined) return group.rows;
      if (!cell) return undefined;
      switch (spec.fn) {
        case 'count': return cell.count;
        case 'sum': return cell.numbers > 0 ? cell.sum : undefined;
        case 'mean': return cell.numbers > 0 ? cell.sum / cell.numbers : undefined;
        case 'min': return cell.min;
        case 'max': return cell.max;
        case 'first': return cell.first;
        case 'latest': return cell.latest;
      }
    })]);
  }
}

export interface SortSpec {
  key: string;
  ascending: boolean;
}

/** `--sort KEY` (ascending) or `--sort -KEY` (descending): the old spelling of `--by KEY --asc` / `--desc`. */
export function parseSortSpec(text: string): SortSpec {
  const trimmed = text.trim();
  const key = normalizeKey(trimmed.replace(/^[-+]/, ''));
  if (key === '') throw new UsageError('--sort: expected KEY or -KEY');
  return { key, ascending: !trimmed.startsWith('-') };
}

/**
 * `--where`: whether a row is kept. Without an expression every row is; a row lacking a name the
 * expression reads is left out.
 */
export function rowFilter(where: CompiledExpression | undefined): (values: MetadataRecord['values']) => boolean {
  if (!where) return () => true;
  return (values) => {
    const result = where.evaluate(recordEnvironment(values));
    return result.ok && result.value;
  };
}

/** Items in the order of one key's value in their values, as `sort` orders values (missing last); ties keep their order. */
export function sortByKey<T>(items: readonly T[], valuesOf: (item: T) => MetadataRecord['values'], sort: SortSpec): T[] {
  return items
    .map((item, index) => ({ item, index, value: getPath(valuesOf(item), sort.key) }))
    .sort((a, b) => compareValues(a.value, b.value, sort.ascending) || a.index - b.index)
    .map(({ item }) => item);
}

/**
 * What a column of a grouped table holds, for its direction: `mean(loss)` is loss's mean,
 * `count()` a count, the group key itself its value.
 */
export function columnQuantity(name: string): { key: string; aggregate: RowAggregate } {
  const call = /^(\w+)\((.*)\)$/.exec(name);
  const fn = call ? ROW_AGGREGATES.find((known) => known === call[1]) : undefined;
  return call && fn ? { key: call[2] ?? '', aggregate: fn } : { key: name, aggregate: 'latest' };
}

/** `--by` over grouped rows: `names` are the columns (the group key, then the aggregates' labels). */
export function sortGroupRows(names: readonly string[], rows: ReadonlyArray<Array<JsonValue | undefined>>, sort: SortSpec): Array<Array<JsonValue | undefined>> {
  const index = names.indexOf(sort.key);
  if (index === -1) throw new UsageError(`--by ${sort.key}: with --group-by, sort by one of ${names.join(', ')}`);
  return rows.map((row, i) => ({ row, i })).sort((a, b) => compareValues(a.row[index], b.row[index], sort.ascending) || a.i - b.i).map(({ row }) => row);
}
